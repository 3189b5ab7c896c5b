#!/usr/bin/env bash
# Engine-layer benchmark: one BERT-base encoder layer (hidden 768, 12 heads, FFN 3072, dropout 0.1) on 32 × 128
# tokens, ours (bench/EngineLayer) vs PyTorch (bench/peers/torch_layer.py) in the same run, both on 2 threads.
# Extra arguments (e.g. --runs 3, --batch 8) go to both contenders.
# Prints a markdown table (also written to $BENCH_SECTION) and, last, "layer_step_vs_torch=R layer_forward_vs_torch=R"
# where each ratio is our throughput over torch's (above 1 = we are faster).
set -euo pipefail
root="${REPO_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
section="${BENCH_SECTION:-/dev/null}"
threads=2

dotnet build "$root/bench/EngineLayer" -c Release -nologo -v quiet >&2
ours="$(dotnet "$root/bench/EngineLayer/bin/Release/net10.0/MLNet.Transformers.Bench.EngineLayer.dll" --threads "$threads" "$@" | tail -n 1)"
peer="$(/usr/bin/python3 "$root/bench/peers/torch_layer.py" --threads "$threads" "$@" | tail -n 1)"

value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
batch=32; tokens=128
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --batch) batch="${args[i + 1]}" ;;
    --tokens) tokens="${args[i + 1]}" ;;
  esac
done

awk -v of="$(value forward_seconds "$ours")" -v os="$(value step_seconds "$ours")" \
    -v pf="$(value forward_seconds "$peer")" -v ps="$(value step_seconds "$peer")" \
    -v n="$((batch * tokens))" -v b="$batch" -v t="$tokens" -v threads="$threads" -v section="$section" '
BEGIN {
  table = sprintf("One BERT-base encoder layer (hidden 768, 12 heads, FFN 3072, dropout 0.1), batch %d × %d tokens, %d threads. " \
    "Median seconds per call; throughput in tokens/s. Forward = inference (no activations kept); " \
    "step = training forward + backward.\n\n", b, t, threads)
  table = table "| | ours (s) | PyTorch 1.13 (s) | ours (tokens/s) | PyTorch (tokens/s) | ours / PyTorch |\n"
  table = table "|---|---:|---:|---:|---:|---:|\n"
  table = table sprintf("| forward | %.3f | %.3f | %.0f | %.0f | %.2f |\n", of, pf, n / of, n / pf, pf / of)
  table = table sprintf("| forward + backward | %.3f | %.3f | %.0f | %.0f | %.2f |\n", os, ps, n / os, n / ps, ps / os)
  printf "%s", table
  printf "%s", table > section
  printf "\nlayer_step_vs_torch=%.2f layer_forward_vs_torch=%.2f\n", ps / os, pf / of
}'
