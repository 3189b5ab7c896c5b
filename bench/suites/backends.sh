#!/usr/bin/env bash
# Backends suite: the same work on the managed engine and on the TorchSharp backend (libtorch 2.10.0 on the CPU), 2
# threads each, in one process: fine-tuning steps of a sequence classifier from the real all-MiniLM-L6-v2 (batch of 32
# SST-2 dev sentences: forward, backward, clipping, AdamW, parameters kept on the device as TrainingLoop keeps them),
# and an embedding pass over SST-2 dev sentences (TextEmbedder.Embed, batches of 32; the managed engine runs the
# batches data-parallel, libtorch one after another on its 2 intra-op threads); then the TorchSharp embedding pass
# with Precision.BFloat16, its vectors compared with the managed float32 ones by cosine. Options: --sentences N
# (default 512), --steps N (default 5).
# Last line: "backends: managed_vs_torchsharp_step=<r> managed_vs_torchsharp_embed=<r> torchsharp_bf16_embed_cos=<c>",
# r = the managed engine's speed ÷ TorchSharp's (above 1: the managed engine is faster), c = the mean cosine.
set -euo pipefail
root="${REPO_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
section="${BENCH_SECTION:-/dev/null}"
threads=2 sentences=512 steps=5
while [ $# -gt 0 ]; do
  case "$1" in
    --sentences) sentences="${2:?--sentences N}"; shift 2 ;;
    --steps) steps="${2:?--steps N}"; shift 2 ;;
    *) echo "backends suite: unknown argument $1 (have --sentences N, --steps N)" >&2; exit 2 ;;
  esac
done
shared="$root/../shared"
model="$shared/models/all-MiniLM-L6-v2" data="$shared/data/sst2/dev.tsv"
[ -f "$data" ] || { echo "backends suite: $data not found (the shared folder beside the checkout)" >&2; exit 2; }
dotnet build "$root/bench/Backends" -c Release -nologo -v quiet >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet "$root/bench/Backends/bin/Release/net10.0/MLNet.Transformers.Bench.Backends.dll" "$model" "$data" "$sentences" "$steps" "$threads" | tee "$log" >&2
result="$(tail -n 1 "$log")"
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$result"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
step_ratio="$(ratio "$(field torch_step_s)" "$(field managed_step_s)")"
embed_ratio="$(ratio "$(field managed_sentences_per_s)" "$(field torch_sentences_per_s)")"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
# The vector instructions decide both engines' speed (bfloat16 products are fast only with native bfloat16 ones).
if grep -qw avx512f /proc/cpuinfo; then vectors="AVX-512"; else vectors="AVX2, no AVX-512"; fi
if grep -qw -e avx512_bf16 -e amx_bf16 /proc/cpuinfo; then bf16="with"; else bf16="without"; fi
{
  echo "### Backends: the managed engine and TorchSharp (libtorch on the CPU)"
  echo
  echo "The same model definition on both backends, $threads threads each, one process. Fine-tuning: a sequence"
  echo "classifier from the real all-MiniLM-L6-v2, batch of 32 SST-2 dev sentences (forward, backward, clipping, AdamW on the device), median of"
  echo "$steps steps after a warm-up. Embedding: \`TextEmbedder.Embed\` over the first $sentences SST-2 dev sentences, batches of 32,"
  echo "after a warm-up batch (the managed engine runs batches data-parallel, libtorch runs them one after another on its"
  echo "$threads intra-op threads). The float32 vectors of the two backends agree (see the test \`EmbeddingsOnTorchCpuAreTheManagedOnes\`)."
  echo "Load average during the run: $load. CPU: $vectors, $bf16 bfloat16 instructions."
  echo
  echo "| | managed engine | TorchSharp float32 | TorchSharp bfloat16 |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| fine-tuning step (s) | $(field managed_step_s) | $(field torch_step_s) | |"
  echo "| embedding (sentences/s) | $(field managed_sentences_per_s) | $(field torch_sentences_per_s) | $(field torch_bf16_sentences_per_s) |"
  echo
  echo "bfloat16 vectors against the managed float32 ones: cosine mean $(field bf16_cos_mean), minimum $(field bf16_cos_min)."
} > "$section"
cat "$section"
echo
echo "backends: managed_vs_torchsharp_step=$step_ratio managed_vs_torchsharp_embed=$embed_ratio torchsharp_bf16_embed_cos=$(field bf16_cos_mean)"
