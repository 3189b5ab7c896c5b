#!/usr/bin/env bash
# Study suite: writes docs/why-transformers.md and its SVG figures (docs/why-transformers/) from one run of
# bench/Study: training throughput against sequence length (LSTM, GRU, transformer), a synthetic long-range task,
# gradient norms through time, SST-2 and AG News with the same budget, and attention maps; 2 threads.
# About 20-30 minutes on 2 quiet cores; `bench/run study --quick` is a smoke run of every experiment at small sizes.
# Last line: "study: transformer_vs_lstm_at_<L>=... lstm_acc_d<d>=... ...".
set -euo pipefail
root="${REPO_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
section="${BENCH_SECTION:-/dev/null}"
shared="$root/../shared"
quick=""
[ "${1:-}" = "--quick" ] && quick="--quick"
[ -f "$shared/data/sst2/train.tsv" ] || { echo "study suite: $shared/data/sst2/train.tsv not found (the shared folder beside the checkout)" >&2; exit 2; }
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build "$root/bench/Study" -c Release -nologo -v quiet >&2
summary="$(dotnet "$root/bench/Study/bin/Release/net10.0/MLNet.Transformers.Bench.Study.dll" $quick --shared "$shared" --threads 2 --seed 1 \
  --doc "$root/docs/why-transformers.md" --figures "$root/docs/why-transformers" --load-before "$load_before" | tail -n 1)"
{
  echo "### Why transformers: the recurrent baseline, measured"
  echo
  echo "LSTM, GRU and attention-RNN against a transformer, in the same engine and trainer: throughput against sequence"
  echo "length, a long-range memory task, gradient norms through time, SST-2 and AG News with the same budget, attention"
  echo "maps. Tables, figures and findings: \`docs/why-transformers.md\`${quick:+ (a --quick smoke run)}."
} > "$section"
cat "$section"
echo
echo "$summary"
