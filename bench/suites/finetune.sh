#!/usr/bin/env bash
# Finetune suite: fine-tunes the real all-MiniLM-L6-v2 (the shared checkpoint) into an SST-2 sentiment classifier,
# ours (bench/FineTune: the trainer's TrainingLoop over our BertForSequenceClassification) and PyTorch
# (bench/peers/torch_finetune.py: the reference BertForSequenceClassification) with the same recipe: the same starting
# weights, batches, learning rate at every step, optimizer and clipping, the dev set scored after the same steps to
# keep the best weights, which are scored on test. Both on 2 threads, one after the other in the same run.
# Last line: "finetune: sst2_acc=<ours> torch_acc=<peer> step_vs_torch=<ratio>".
set -euo pipefail
root="${REPO_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
section="${BENCH_SECTION:-/dev/null}"
shared="$root/../shared"
model="$shared/models/all-MiniLM-L6-v2" data="$shared/data/sst2"
python=/usr/bin/python3
# The recipe: steps (batches of the length-bucketed seeded shuffle), batch, peak learning rate (10 % linear warm-up,
# then linear decay to 0), token limit, dev scored every N steps and at the end, dropout (the reference has none), seed.
steps=800 batch=32 lr=1e-4 tokens=64 validate_every=200 dropout=0 seed=1 threads=2
[ -f "$data/train.tsv" ] || { echo "finetune suite: $data/train.tsv not found (the shared folder beside the checkout)" >&2; exit 2; }
"$root/bench/install-python-peers"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build "$root/bench/FineTune" -c Release -nologo -v quiet >&2
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

ours="$(dotnet "$root/bench/FineTune/bin/Release/net10.0/MLNet.Transformers.Bench.FineTune.dll" ours --model "$model" \
  --data "$data" --work "$work" --max-steps "$steps" --batch "$batch" --learning-rate "$lr" --tokens "$tokens" \
  --validate-every "$validate_every" --dropout "$dropout" --seed "$seed" --threads "$threads" 2> "$work/ours.log" | tail -n 1)"
cat "$work/ours.log" >&2; echo "ours: $ours" >&2
# PyTorch's OpenMP threads wait passively: spinning waits collapse its throughput whenever other processes hold the cores.
peer="$(OMP_WAIT_POLICY=PASSIVE "$python" "$root/bench/peers/torch_finetune.py" "$work" 2> "$work/peer.log" | tail -n 1)"
cat "$work/peer.log" >&2; echo "torch: $peer" >&2
load="$(cut -d' ' -f1-3 /proc/loadavg)"

curve() { # "step: dev accuracy" pairs of a log, as "step a, step b, ..."
  sed -n 's/^step \([0-9]*\): dev accuracy \([0-9.]*\).*/\1: \2/p' "$1" | paste -sd';' - | sed 's/;/; /g'
}
ratio="$(awk -v a="$(field examples_per_second "$ours")" -v b="$(field examples_per_second "$peer")" 'BEGIN { printf "%.2f", a / b }')"
{
  echo "### Fine-tuning the real all-MiniLM-L6-v2 on SST-2, side by side with PyTorch"
  echo
  echo "The shared all-MiniLM-L6-v2 checkpoint (6 layers, hidden 384; its pooler, plus a fresh classification head"
  echo "from seed $seed) fine-tuned on SST-2 \`train.tsv\` (60,614 sentences): $steps steps of $batch (the trainer's"
  echo "seeded, length-bucketed shuffle), peak learning rate $lr with 10 % linear warm-up then linear decay, AdamW"
  echo "(weight decay 0.01, not on biases and LayerNorm), global-norm clipping at 1.0, inputs cut at $tokens tokens,"
  echo "dropout $dropout (the PyTorch reference model has none). \`dev.tsv\` (6,735) scored every $validate_every steps and"
  echo "at the end; the best (accuracy, then loss) weights scored on \`test.tsv\` (872). Ours: bench/FineTune runs the"
  echo "\`TrainingLoop\` the text-classification trainer runs; it records its batches and learning rates and writes the"
  echo "starting weights, and PyTorch $("$python" -c 'import torch; print(torch.__version__)') (bench/peers/torch_finetune.py,"
  echo "tools/reference/models/hf_bert.py, \`torch.optim.AdamW\`) replays exactly those. $threads threads each, one after"
  echo "the other; examples/s counts training steps only (scoring excluded). Load average after the run: $load on $(nproc) cores."
  echo
  echo "| contender | dev accuracy after steps | best step | test accuracy | training examples/s |"
  echo "| --- | --- | ---: | ---: | ---: |"
  echo "| ours | $(curve "$work/ours.log") | $(field best_step "$ours") | $(field test_accuracy "$ours") | $(field examples_per_second "$ours") |"
  echo "| PyTorch | $(curve "$work/peer.log") | $(field best_step "$peer") | $(field test_accuracy "$peer") | $(field examples_per_second "$peer") |"
  echo
  echo "Goals: test accuracy ≥ 0.88 and not below PyTorch's by more than 0.5 points; step_vs_torch (our training"
  echo "examples/s ÷ PyTorch's) ≥ 1.2."
} > "$section"
cat "$section"
echo
echo "finetune: sst2_acc=$(field test_accuracy "$ours") torch_acc=$(field test_accuracy "$peer") step_vs_torch=$ratio"
