#!/usr/bin/env bash
# GPT suite: a GPT-2 of 6 layers, hidden 384, 6 heads, context 256 (GPT-2 small scaled down), vocabulary 8,000.
# 1. Causal-LM training step (forward, backward, AdamW; batch 8 × 256, no dropout) vs PyTorch on the same config.json.
# 2. Greedy generation with the key/value cache, batch 1 and batch 8 (32-token prompts, 64 new tokens), vs PyTorch's loop
#    with past_key_values.
# 3. Causal-LM pretraining on the State of the Union corpus for a time budget (default 30 minutes; `--minutes N` to
#    shorten; `--steps N` sizes the learning-rate schedule, by default to what the budget runs on this machine), with the
#    held-out perplexity curve as SVG (docs/gpt-perplexity.svg) and sample generations.
# Last line: "gpt: step_vs_torch=<r> generate_vs_torch=<r> perplexity=<p>" (generate_vs_torch: the lower of batch 1 and 8).
set -euo pipefail
root="${REPO_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
section="${BENCH_SECTION:-/dev/null}"
source "$root/bench/time-budget.sh"
read_time_budget gpt "$@"
shared="${SHARED_DATA:-$root/../shared/data}"
threads=2 vocab=8000 batch=8 tokens=256 learning_rate=1e-3 prompt=32 new=64
steps_per_minute=65   # steps of 8 × 256 tokens a minute on 2 otherwise idle cores (measured: 8.9 sequences/s)
max_steps="${max_steps:-$((minutes * steps_per_minute))}"
validate_every=$(( max_steps / 15 > 10 ? max_steps / 15 : 10 ))
python=/usr/bin/python3
"$root/bench/install-python-peers"
[ -d "$shared/sotu-mlm-corpus/txt" ] || { echo "gpt suite: no $shared/sotu-mlm-corpus" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build "$root/bench/Gpt" -c Release -nologo -v quiet >&2
app=(dotnet "$root/bench/Gpt/bin/Release/net10.0/MLNet.Transformers.Bench.Gpt.dll")
config="$work/config.json"
cat > "$config" <<JSON
{"model_type": "gpt2", "vocab_size": $vocab, "n_positions": $tokens, "n_embd": 384, "n_layer": 6, "n_head": 6,
 "activation_function": "gelu_new", "resid_pdrop": 0.1, "embd_pdrop": 0.1, "attn_pdrop": 0.1,
 "layer_norm_epsilon": 1e-5, "initializer_range": 0.02, "bos_token_id": 0, "eos_token_id": 0}
JSON
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
ours_step="$(field tokens_per_second "$("${app[@]}" step --config "$config" --batch "$batch" --tokens "$tokens" --threads "$threads" | tail -n 1)")"
peer_step="$(field tokens_per_second "$("$python" "$root/bench/peers/torch_gpt2.py" step "$config" --batch "$batch" --tokens "$tokens" --threads "$threads" | tail -n 1)")"
step_ratio="$(ratio "$ours_step" "$peer_step")"
declare -A ours_gen peer_gen gen_ratio
for b in 1 8; do
  ours_gen[$b]="$(field tokens_per_second "$("${app[@]}" generate --config "$config" --batch "$b" --prompt "$prompt" --new "$new" --threads "$threads" | tail -n 1)")"
  peer_gen[$b]="$(field tokens_per_second "$("$python" "$root/bench/peers/torch_gpt2.py" generate "$config" --batch "$b" --prompt "$prompt" --new "$new" --threads "$threads" | tail -n 1)")"
  gen_ratio[$b]="$(ratio "${ours_gen[$b]}" "${peer_gen[$b]}")"
done
generate_ratio="$(awk -v a="${gen_ratio[1]}" -v b="${gen_ratio[8]}" 'BEGIN { print (a < b ? a : b) }')"
load_timing="$(cut -d' ' -f1-3 /proc/loadavg)"

svg="$root/docs/gpt-perplexity.svg"
run="$("${app[@]}" pretrain --corpus "$shared/sotu-mlm-corpus/txt" --config "$config" --output "$work/pretrained" --svg "$svg" \
  --learning-rate "$learning_rate" --vocab-size "$vocab" --tokens "$tokens" --batch "$batch" --minutes "$minutes" \
  --max-steps "$max_steps" --validate-every "$validate_every" --threads "$threads")"
curve="$(grep '^curve ' <<<"$run" | cut -d' ' -f2-)"
summary="$(tail -n 1 <<<"$run")"
perplexity="$(field perplexity "$summary")" steps="$(field steps "$summary")" corpus_tokens="$(field tokens "$summary")"
rate="$(field sequences_per_second "$summary")"
torch_version="$("$python" -c 'import torch; print(torch.__version__)')"

{
  echo "### GPT-2 (6 layers, hidden 384, context 256): training step, generation, pretraining on the State of the Union"
  echo
  echo "$threads threads each, same config.json (6 layers, hidden 384, 6 heads, FFN 1536, vocabulary $vocab), GPT-2's"
  echo "initialisation. Load average before the timings $load_before, after them $load_timing (about 2 = the cores were"
  echo "otherwise idle; more means other work shared them, which makes every number here slower and the ratios noisier)."
  echo
  echo "Causal-LM training step (forward, shifted cross-entropy, backward, AdamW; batch $batch × $tokens, no dropout; median of 5):"
  echo
  echo "| contender | tokens/s |"
  echo "| --- | ---: |"
  echo "| ours (MLNet.Transformers) | $ours_step |"
  echo "| PyTorch $torch_version (reference GPT2LMHeadModel) | $peer_step |"
  echo
  echo "Greedy generation with the key/value cache, $prompt-token random prompts, $new new tokens per sequence (prompt"
  echo "pass, then one token per pass; PyTorch's loop passes past_key_values; our weight matrices are packed once before the"
  echo "timed runs, as PyTorch's model is loaded once, and each run makes its own cache); new tokens of the batch per second, median of 3:"
  echo
  echo "| batch | ours | PyTorch | ratio |"
  echo "| ---: | ---: | ---: | ---: |"
  for b in 1 8; do echo "| $b | ${ours_gen[$b]} | ${peer_gen[$b]} | ${gen_ratio[$b]} |"; done
  echo
  echo "Causal-LM pretraining on the State of the Union corpus: budget **$minutes minutes** or $max_steps steps, whichever"
  echo "comes first; byte-level BPE vocabulary of $vocab learned on the corpus, texts packed into sequences of $tokens tokens,"
  echo "batch $batch, dropout 0.1, AdamW, peak learning rate $learning_rate with warmup and linear decay over $max_steps steps,"
  echo "2 % of the texts held out. $steps steps were run ($rate sequences/s) over $corpus_tokens training tokens; load"
  echo "average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "Held-out perplexity by step: \`$curve\`; final **$perplexity**."
  echo
  echo "![GPT-2 held-out perplexity](gpt-perplexity.svg)"
  echo
  echo "Samples from the pretrained model (40 new tokens; greedy with repetition penalty 1.3, and sampled at temperature"
  echo "0.8, top-k 40, seed 1):"
  echo
  echo "| prompt | greedy | sampled |"
  echo "| --- | --- | --- |"
  grep '^sample ' <<<"$run" | cut -d' ' -f2- | awk -F'\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }'
  echo
  echo "step_vs_torch = our training tokens/s ÷ PyTorch's (goal ≥ 1.2); generate_vs_torch = the lower of the batch-1 and"
  echo "batch-8 generation ratios (goal ≥ 1.5)."
} > "$section"
cat "$section"
echo
echo "gpt: step_vs_torch=$step_ratio generate_vs_torch=$generate_ratio perplexity=$perplexity"
