#!/usr/bin/env bash
# Pretrain suite: masked-LM pretraining of BERT-Mini (4 layers, hidden 256) on the State of the Union corpus plus the
# SST-2 training sentences as unlabelled text for a time budget (default 30 minutes; `--minutes N` to shorten; `--steps N`
# sizes the learning-rate schedule to N steps so that it decays within the budget), then
# SST-2 fine-tuning from that checkpoint and from a fresh model of the same size and tokenizer (same options), and
# masked-LM training step throughput vs PyTorch on the same config. Last line:
# "pretrain: perplexity=<p> sst2_gain=<accuracy points> step_vs_torch=<r>".
set -euo pipefail
root="${REPO_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
section="${BENCH_SECTION:-/dev/null}"
minutes=30 max_steps=""
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="${2:?--minutes N}"; shift 2 ;;
    --steps) max_steps="${2:?--steps N}"; shift 2 ;;   # the schedule then decays to zero at N steps (within the minutes)
    *) echo "pretrain suite: unknown argument $1 (have --minutes N, --steps N)" >&2; exit 2 ;;
  esac
done
shared="${SHARED_DATA:-$root/../shared/data}"
threads=2 preset=mini vocab=8000 batch=32 tokens=128 examples=8000 finetune_epochs=2 finetune_lr=2e-4
validate_every=$(awk -v m="$minutes" 'BEGIN { v = int(m * 2); print (v < 10 ? 10 : v > 50 ? 50 : v) }')
python=/usr/bin/python3
"$python" -c "import torch" 2>/dev/null || { echo "pretrain suite: $python cannot import torch (apt-get install python3-torch libopenblas0-openmp)" >&2; exit 2; }
[ -d "$shared/sotu-mlm-corpus/txt" ] && [ -f "$shared/sst2/train.tsv" ] || { echo "pretrain suite: no $shared/sotu-mlm-corpus or $shared/sst2" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build "$root/bench/Pretrain" -c Release -nologo -v quiet >&2
app=(dotnet "$root/bench/Pretrain/bin/Release/net10.0/MLNet.Transformers.Bench.Pretrain.dll")
tail -n +2 "$shared/sst2/train.tsv" | cut -f1 > "$work/sst2-train.txt"

pretrained="$work/pretrained"
run="$("${app[@]}" pretrain --corpus "$shared/sotu-mlm-corpus/txt" "$work/sst2-train.txt" --output "$pretrained" \
  --preset "$preset" --vocab-size "$vocab" --tokens "$tokens" --batch "$batch" --minutes "$minutes" ${max_steps:+--max-steps "$max_steps"} \
  --validate-every "$validate_every" --threads "$threads")"
curve="$(grep '^curve ' <<<"$run" | cut -d' ' -f2-)"
summary="$(tail -n 1 <<<"$run")"
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
perplexity="$(field perplexity "$summary")" steps="$(field steps "$summary")" corpus_tokens="$(field tokens "$summary")"

ours_step="$("${app[@]}" step --config "$pretrained/config.json" --batch "$batch" --tokens "$tokens" --threads "$threads" | tail -n 1)"
peer_step="$("$python" "$root/bench/peers/torch_mlm.py" "$pretrained/config.json" --batch "$batch" --tokens "$tokens" --threads "$threads" | tail -n 1)"
ours_tps="$(field tokens_per_second "$ours_step")" peer_tps="$(field tokens_per_second "$peer_step")"
step_ratio="$(awk -v a="$ours_tps" -v b="$peer_tps" 'BEGIN { printf "%.2f", a / b }')"

finetune=(--train "$shared/sst2/train.tsv" --test "$shared/sst2/test.tsv" --examples "$examples" --epochs "$finetune_epochs"
  --learning-rate "$finetune_lr" --threads "$threads")
with="$(field accuracy "$("${app[@]}" finetune --model "$pretrained" "${finetune[@]}" | tail -n 1)")"
without="$(field accuracy "$("${app[@]}" finetune --model "$pretrained" --fresh "${finetune[@]}" | tail -n 1)")"
gain="$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.1f", 100 * (a - b) }')"

{
  echo "### Masked-LM pretraining (BERT-Mini on the State of the Union corpus + SST-2 sentences)"
  echo
  echo "Budget: **$minutes minutes**${max_steps:+ or $max_steps steps, whichever comes first,} of pretraining on $threads threads (the issue's full run is 30 minutes); load average"
  echo "at the end $(cut -d' ' -f1-3 /proc/loadavg) (about 2 = the cores were otherwise idle). BERT-Mini (4 layers, hidden 256, 4 heads, FFN 1024), WordPiece vocabulary of $vocab learned on"
  echo "the corpus, sequences packed to $tokens tokens, batch $batch, dynamic masking 15 % (80/10/10), AdamW, peak learning"
  echo "rate 5e-4 with 10 % warmup and linear decay over ${max_steps:+the first $max_steps steps of }one epoch, 2 % of the texts held out."
  echo "$steps steps were run over $corpus_tokens training tokens."
  echo
  echo "Held-out perplexity (exp of the mean masked-token loss) by step: \`$curve\`; final **$perplexity**."
  echo
  echo "SST-2 fine-tuning ($examples training sentences, $finetune_epochs epochs, learning rate $finetune_lr, at most 64 tokens;"
  echo "accuracy on the 872 test sentences):"
  echo
  echo "| start | SST-2 test accuracy |"
  echo "| --- | ---: |"
  echo "| pretrained checkpoint | $with |"
  echo "| fresh model (same size and tokenizer) | $without |"
  echo
  echo "Masked-LM training step (forward, backward, AdamW; batch $batch × $tokens, no dropout, same config.json; median of 5):"
  echo
  echo "| contender | tokens/s |"
  echo "| --- | ---: |"
  echo "| ours (MLNet.Transformers) | $ours_tps |"
  echo "| PyTorch $("$python" -c 'import torch; print(torch.__version__)') (reference BertForMaskedLM) | $peer_tps |"
  echo
  echo "sst2_gain = accuracy points gained by pretraining (goal ≥ 3); step_vs_torch = our tokens/s ÷ PyTorch's (goal ≥ 1.1)."
} > "$section"
cat "$section"
echo
echo "pretrain: perplexity=$perplexity sst2_gain=$gain step_vs_torch=$step_ratio"
