#!/usr/bin/env bash
# Engine suite (run through `bench/run engine`): ours against native peers on the same inputs, in the same run.
#   Step 1, GEMM:  SGEMM GFLOP/s of Gemm.Multiply vs OpenBLAS cblas_sgemm, BERT-base layer shapes, NN/NT/TN,
#                  and attention-sized batches (Gemm.BatchedMultiply vs one cblas_sgemm per product).
#   Step 2, layer: a BERT-base encoder layer's forward and training step vs PyTorch (bench/suites/engine-layer.sh).
# Writes its markdown section to $BENCH_SECTION; the last stdout line is the suite's summary.
set -euo pipefail
root="${REPO_ROOT:?run through bench/run}"
section="${BENCH_SECTION:?run through bench/run}"
threads="${ENGINE_THREADS:-2}"

# Both contenders run on the same number of threads; OpenBLAS's OpenMP build reads these.
export OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads"

install_openblas() {
  ldconfig -p | grep -q 'libopenblas\.so\.0' && return
  echo "engine: installing libopenblas0-openmp (the GEMM peer)" >&2
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y libopenblas0-openmp >&2 ||
    { $sudo apt-get update >&2 && $sudo apt-get install -y libopenblas0-openmp >&2; }
}

# Prints the value of KEY from a "key=value key=value" line.
value_of() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

dotnet build "$root/bench/Engine" -c Release -v quiet -nologo >&2
engine=(dotnet "$root/bench/Engine/bin/Release/net10.0/MLNet.Transformers.Bench.Engine.dll" --threads "$threads")
: > "$section"

# ---- Step 1: GEMM vs OpenBLAS -------------------------------------------------------------------------------------
install_openblas
gemm_log="$(mktemp)"
"${engine[@]}" gemm batched | tee "$gemm_log"
gemm_summary="$(tail -n 1 "$gemm_log")"
gemm_vs_openblas="$(value_of gemm_vs_openblas "$gemm_summary")"
gemm_gflops="$(value_of gemm_gflops "$gemm_summary")"
{
  echo "### SGEMM"
  echo
  sed '$d' "$gemm_log"
  echo "Shapes are a BERT-base layer over 4096 tokens: attention projections (768→768), FFN up (768→3072) and down"
  echo "(3072→768); NN and NT are the forward layouts (X·W, X·Wᵀ), TN the weight gradient (Xᵀ·dY). The summary's"
  echo "gemm_vs_openblas and gemm_gflops are the worst ratio and the worst throughput over the first table."
  echo
} >> "$section"

# ---- Step 2: encoder layer training step vs PyTorch ------------------------------------------------------------
# bench/suites/engine-layer.sh appends its own table to "$section" and ends with a line holding layer_step_vs_torch=R.
layer_log="$(mktemp)"
ENGINE_THREADS="$threads" bash "$root/bench/suites/engine-layer.sh" | tee "$layer_log"
layer_step_vs_torch="$(value_of layer_step_vs_torch "$(tail -n 1 "$layer_log")")"

echo "engine: gemm_vs_openblas=$gemm_vs_openblas layer_step_vs_torch=$layer_step_vs_torch gemm_gflops=$gemm_gflops"
