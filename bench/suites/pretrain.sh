#!/usr/bin/env bash
# Pretrain suite: masked-LM pretraining of BERT-Tiny (2 layers, hidden 128; no dropout while pretraining) on the State
# of the Union corpus plus the SST-2 training sentences as unlabelled text for a time budget (default 30 minutes;
# `--minutes N` to shorten; `--steps N` sizes the learning-rate schedule, by default to what the budget runs on this
# machine, so that it decays within the budget), then SST-2 fine-tuning (dropout 0.1) from that checkpoint and from the
# same model re-initialised (same config, tokenizer and options), on all of SST-2's training sentences and on its first
# 8,000, and masked-LM training step throughput vs PyTorch on the same config. Last line:
# "pretrain: perplexity=<p> sst2_gain=<accuracy points> step_vs_torch=<r>".
set -euo pipefail
root="${REPO_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
section="${BENCH_SECTION:-/dev/null}"
source "$root/bench/time-budget.sh"
read_time_budget pretrain "$@"
shared="${SHARED_DATA:-$root/../shared/data}"
threads=2 vocab=8000 batch=32 tokens=128 learning_rate=1e-3 few=8000 finetune_epochs=2 finetune_lr=1e-3
steps_per_minute=480   # BERT-Tiny steps of 32 × 128 tokens a minute on 2 cores of this machine
max_steps="${max_steps:-$((minutes * steps_per_minute))}"
validate_every=$(( max_steps / 30 > 10 ? max_steps / 30 : 10 ))
python=/usr/bin/python3
"$root/bench/install-python-peers"
[ -d "$shared/sotu-mlm-corpus/txt" ] && [ -f "$shared/sst2/train.tsv" ] || { echo "pretrain suite: no $shared/sotu-mlm-corpus or $shared/sst2" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build "$root/bench/Pretrain" -c Release -nologo -v quiet >&2
app=(dotnet "$root/bench/Pretrain/bin/Release/net10.0/MLNet.Transformers.Bench.Pretrain.dll")
tail -n +2 "$shared/sst2/train.tsv" | cut -f1 > "$work/sst2-train.txt"

# BERT-Tiny's shape (Turc et al.) without dropout: a short pretraining run learns faster without it.
cat > "$work/config.json" <<'JSON'
{"model_type": "bert", "hidden_size": 128, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 512,
 "hidden_act": "gelu", "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0, "max_position_embeddings": 512,
 "type_vocab_size": 2, "initializer_range": 0.02, "layer_norm_eps": 1e-12, "vocab_size": 8000, "pad_token_id": 0}
JSON
pretrained="$work/pretrained"
run="$("${app[@]}" pretrain --corpus "$shared/sotu-mlm-corpus/txt" "$work/sst2-train.txt" --output "$pretrained" \
  --config "$work/config.json" --learning-rate "$learning_rate" --vocab-size "$vocab" --tokens "$tokens" --batch "$batch" \
  --minutes "$minutes" --epochs 1000 --max-steps "$max_steps" --validate-every "$validate_every" --threads "$threads")"
curve="$(grep '^curve ' <<<"$run" | cut -d' ' -f2-)"
summary="$(tail -n 1 <<<"$run")"
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
perplexity="$(field perplexity "$summary")" steps="$(field steps "$summary")" corpus_tokens="$(field tokens "$summary")"
rate="$(field sequences_per_second "$summary")"

ours_step="$("${app[@]}" step --config "$pretrained/config.json" --batch "$batch" --tokens "$tokens" --threads "$threads" | tail -n 1)"
peer_step="$("$python" "$root/bench/peers/torch_mlm.py" "$pretrained/config.json" --batch "$batch" --tokens "$tokens" --threads "$threads" | tail -n 1)"
ours_tps="$(field tokens_per_second "$ours_step")" peer_tps="$(field tokens_per_second "$peer_step")"
step_ratio="$(awk -v a="$ours_tps" -v b="$peer_tps" 'BEGIN { printf "%.2f", a / b }')"

finetune() { # finetune EXAMPLES [--fresh]: SST-2 test accuracy
  field accuracy "$("${app[@]}" finetune --model "$pretrained" "${@:2}" --train "$shared/sst2/train.tsv" --test "$shared/sst2/test.tsv" \
    --examples "$1" --epochs "$finetune_epochs" --learning-rate "$finetune_lr" --threads "$threads" | tail -n 1)"
}
all="$(($(wc -l < "$shared/sst2/train.tsv") - 1))"
with="$(finetune "$all")" without="$(finetune "$all" --fresh)"
few_with="$(finetune "$few")" few_without="$(finetune "$few" --fresh)"
gain="$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.1f", 100 * (a - b) }')"

{
  echo "### Masked-LM pretraining (BERT-Tiny on the State of the Union corpus + SST-2 sentences)"
  echo
  echo "Budget: **$minutes minutes** or $max_steps steps, whichever comes first, of pretraining on $threads threads; load average"
  echo "at the end $(cut -d' ' -f1-3 /proc/loadavg) (about 2 = the cores were otherwise idle). BERT-Tiny (2 layers, hidden 128, 2 heads, FFN 512,"
  echo "no dropout while pretraining), WordPiece vocabulary of $vocab learned on the corpus, sequences packed to $tokens tokens,"
  echo "batch $batch, dynamic masking 15 % (80/10/10), the head run on the masked tokens only, AdamW, peak learning rate"
  echo "$learning_rate with 10 % warmup and linear decay over $max_steps steps, 2 % of the texts held out."
  echo "$steps steps were run ($rate sequences/s) over a corpus of $corpus_tokens training tokens."
  echo
  echo "Held-out perplexity (exp of the mean masked-token loss) by step: \`$curve\`; final **$perplexity**."
  echo
  echo "SST-2 fine-tuning from the checkpoint and from the same model re-initialised (same config, tokenizer and"
  echo "options: dropout 0.1, $finetune_epochs epochs, learning rate $finetune_lr, batch 32, at most 64 tokens); accuracy on the 872 test sentences:"
  echo
  echo "| start | all $all training sentences | first $few |"
  echo "| --- | ---: | ---: |"
  echo "| pretrained checkpoint | $with | $few_with |"
  echo "| re-initialised | $without | $few_without |"
  echo
  echo "Masked-LM training step (forward, backward, AdamW; batch $batch × $tokens, no dropout, same config.json; median of 5;"
  echo "both compute the logits of every token, as Hugging Face's BertForMaskedLM does, while our pretraining loop"
  echo "computes them at the masked tokens only):"
  echo
  echo "| contender | tokens/s |"
  echo "| --- | ---: |"
  echo "| ours (MLNet.Transformers) | $ours_tps |"
  echo "| PyTorch $("$python" -c 'import torch; print(torch.__version__)') (reference BertForMaskedLM) | $peer_tps |"
  echo
  echo "sst2_gain = accuracy points gained by pretraining, fine-tuned on all training sentences (goal ≥ 3);"
  echo "step_vs_torch = our tokens/s ÷ PyTorch's (goal ≥ 1.1)."
} > "$section"
cat "$section"
echo
echo "pretrain: perplexity=$perplexity sst2_gain=$gain step_vs_torch=$step_ratio"
