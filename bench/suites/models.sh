#!/usr/bin/env bash
# Models suite: forward throughput (sequences/s) of the all-MiniLM-L6-v2 shape, batch 32 x 128 tokens, ours vs
# PyTorch (Debian's torch with OpenBLAS), 2 threads, same checkpoint and batches, each in its own process so that
# peak RSS is each contender's own. Last line: "models: forward_vs_torch=<r> peak_rss_vs_torch=<r>".
set -euo pipefail
root="${REPO_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
section="${BENCH_SECTION:-/dev/null}"
threads=2 batch=32 tokens=128 batches=4
python=/usr/bin/python3
"$root/bench/install-python-peers"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build "$root/bench/Models" -c Release -nologo -v quiet >&2
app=(dotnet "$root/bench/Models/bin/Release/net10.0/MLNet.Transformers.Bench.Models.dll")
"${app[@]}" prepare "$work" --config "$root/tests/Models.Tests/fixtures/minilm/config.json" \
  --batch "$batch" --tokens "$tokens" --batches "$batches"

ours="$("${app[@]}" forward "$work" --threads "$threads" | tail -n 1)"
peer="$("$python" "$root/bench/peers/torch_models.py" "$work" --threads "$threads" | tail -n 1)"
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
ours_sps="$(field sequences_per_second "$ours")" ours_rss="$(field peak_rss_mb "$ours")"
peer_sps="$(field sequences_per_second "$peer")" peer_rss="$(field peak_rss_mb "$peer")"
forward_ratio="$(awk -v a="$ours_sps" -v b="$peer_sps" 'BEGIN { printf "%.2f", a / b }')"
rss_ratio="$(awk -v a="$ours_rss" -v b="$peer_rss" 'BEGIN { printf "%.2f", a / b }')"

{
  echo "### BERT-family encoder forward (all-MiniLM-L6-v2 shape)"
  echo
  echo "Inference forward of BertModel (6 layers, hidden 384, 12 heads, FFN 1536, vocabulary 30522, with pooler) on"
  echo "$batches batches of $batch × $tokens tokens, $threads threads, random weights from one safetensors checkpoint that"
  echo "both load; median of 3 timed passes after a warm-up pass. Peak RSS is each process's VmHWM (runtime included)."
  echo
  echo "| contender | sequences/s | peak RSS (MB) |"
  echo "| --- | ---: | ---: |"
  echo "| ours (MLNet.Transformers) | $ours_sps | $ours_rss |"
  echo "| PyTorch $("$python" -c 'import torch; print(torch.__version__)') (reference BertModel, no_grad) | $peer_sps | $peer_rss |"
  echo
  echo "forward_vs_torch = our sequences/s ÷ PyTorch's (goal ≥ 1.2); peak_rss_vs_torch = our peak RSS ÷ PyTorch's (goal ≤ 1.0)."
} > "$section"
cat "$section"
echo
echo "models: forward_vs_torch=$forward_ratio peak_rss_vs_torch=$rss_ratio"
