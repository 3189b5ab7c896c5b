#!/usr/bin/env bash
# Tokenization throughput, ours vs Hugging Face tokenizers (Rust, through npm @anush008/tokenizers, encodeBatch),
# on the SST-2 train sentences and the State of the Union paragraphs (both as tests/Tokenizers.Tests/fixtures/corpora.json
# cuts them), WordPiece (bert-base-uncased tokenizer.json) and byte-level BPE (GPT-2), one thread and all cores.
# Both sides read the same text file, encode it in batches of 1024, and report the fastest of REPETITIONS passes.
set -euo pipefail
root="${REPO_ROOT:?run through bench/run}"
section="${BENCH_SECTION:?run through bench/run}"
repetitions="${REPETITIONS:-5}"
work="$root/.bench/tokenizers"
mkdir -p "$work"

[ -d "$root/tools/reference/node/node_modules/@anush008/tokenizers" ] || "$root/tools/reference/install-node-references" >&2
dotnet build "$root/bench/Tokenizers" -c Release -o "$work/bin" --nologo -v quiet >&2
shared="$(node -e "console.log(require('$root/tools/reference/tokenizers/reference.js').sharedFolder())")"
node "$root/tools/reference/tokenizers/write-corpus-texts.js" sst2 "$work/sst2.txt"
node "$root/tools/reference/tokenizers/write-corpus-texts.js" sotu_paragraphs "$work/sotu.txt"

declare -A tokenizer_path=([wordpiece]="$shared/models/all-MiniLM-L6-v2-no-weights/tokenizer.json" [bpe]="$shared/tokenizers/gpt2")
declare -A corpus_name=([sst2]="SST-2 train sentences" [sotu]="SOTU paragraphs")
declare -A worst=([wordpiece]="" [bpe]="")
rows=""

rate() { # "tokens=N seconds=S" -> tokens per second
  awk '{ split($1, t, "="); split($2, s, "="); printf "%.0f", t[2] / s[2] }' <<<"$1"
}

printf '%-22s %-10s %-8s %14s %14s %7s\n' corpus tokenizer threads "ours tok/s" "HF tok/s" ratio
for corpus in sst2 sotu; do
  for kind in wordpiece bpe; do
    for threads in 1 all; do
      ours="$("$work/bin/bench-tokenizers" "${tokenizer_path[$kind]}" "$work/$corpus.txt" "$([ "$threads" = all ] && echo 0 || echo 1)" "$repetitions")"
      if [ "$threads" = 1 ]; then
        theirs="$(TOKENIZERS_PARALLELISM=false node "$root/bench/peers/hf_tokenizers.js" "$kind" "$work/$corpus.txt" "$repetitions")"
      else
        theirs="$(TOKENIZERS_PARALLELISM=true node "$root/bench/peers/hf_tokenizers.js" "$kind" "$work/$corpus.txt" "$repetitions")"
      fi
      [ "${ours%% *}" = "${theirs%% *}" ] || { echo "token counts differ: ours ${ours%% *}, Hugging Face ${theirs%% *}" >&2; exit 1; }
      ours_rate="$(rate "$ours")"; theirs_rate="$(rate "$theirs")"
      ratio="$(awk -v a="$ours_rate" -v b="$theirs_rate" 'BEGIN { printf "%.2f", a / b }')"
      worst[$kind]="$(awk -v w="${worst[$kind]}" -v r="$ratio" 'BEGIN { print (w == "" || r < w) ? r : w }')"
      printf '%-22s %-10s %-8s %14s %14s %7s\n' "$corpus" "$kind" "$threads" "$ours_rate" "$theirs_rate" "$ratio"
      rows+="| ${corpus_name[$corpus]} | $kind | $threads | $ours_rate | $theirs_rate | $ratio |"$'\n'
    done
  done
done

{
  echo "Tokens per second (special tokens included), fastest of $repetitions passes over the whole corpus, batches of 1024"
  echo "texts; ours: \`Tokenizer.EncodeBatch\`, Hugging Face: \`encodeBatch\` of npm \`@anush008/tokenizers\` (the Rust"
  echo "library; one thread with \`TOKENIZERS_PARALLELISM=false\`). WordPiece: bert-base-uncased \`tokenizer.json\`; BPE: GPT-2."
  echo "Both produce identical ids on these corpora (tests/Tokenizers.Tests). Ratio = ours / Hugging Face."
  echo "Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg) (on a shared machine, absolute numbers are noisy)."
  echo
  echo "| corpus | tokenizer | threads | ours tok/s | Hugging Face tok/s | ratio |"
  echo "|---|---|---|---:|---:|---:|"
  printf '%s' "$rows"
} > "$section"

echo "tokenizers: wordpiece_vs_hf=${worst[wordpiece]} bpe_vs_hf=${worst[bpe]}"
