#!/usr/bin/env bash
# Tokenizers side by side on the SST-2 train sentences and the State of the Union paragraphs (both as
# tests/Tokenizers.Tests/fixtures/corpora.json cuts them): ours, Hugging Face tokenizers (Rust, through npm
# @anush008/tokenizers, encodeBatch), Microsoft.ML.Tokenizers (BertTokenizer; Tiktoken's GPT-2 encoding) and
# FastBertTokenizer. WordPiece: bert-base-uncased vocab.txt; byte-level BPE: GPT-2. Identity: the fraction of texts
# whose ids (special tokens included) equal Hugging Face's. Speed: one thread and all cores, every contender reading
# the same text file in batches of 1024, fastest of REPETITIONS passes.
set -euo pipefail
root="${REPO_ROOT:?run through bench/run}"
section="${BENCH_SECTION:?run through bench/run}"
repetitions="${REPETITIONS:-5}"
work="$root/.bench/tokenizers"
mkdir -p "$work"

[ -d "$root/tools/reference/node/node_modules/@anush008/tokenizers" ] || "$root/tools/reference/install-node-references" >&2
dotnet build "$root/bench/Tokenizers" -c Release -o "$work/bin" --nologo -v quiet >&2
shared="$(node -e "console.log(require('$root/tools/reference/tokenizers/reference.js').sharedFolder())")"
declare -A corpus_id=([sst2]=sst2 [sotu]=sotu_paragraphs)
declare -A corpus_name=([sst2]="SST-2 train sentences" [sotu]="SOTU paragraphs")
declare -A path=([wordpiece]="$shared/tokenizers/bert-base-uncased/vocab.txt" [bpe]="$shared/tokenizers/gpt2")
declare -A reference=([wordpiece]=bert-vocab [bpe]=gpt2)
declare -A microsoft=([wordpiece]=ms-bert [bpe]=ms-tiktoken-gpt2)
tokenizer="$work/bin/bench-tokenizers"

min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
seconds() { sed 's/.*seconds=//' <<<"$1"; }
tokens() { sed 's/tokens=\([0-9]*\).*/\1/' <<<"$1"; }
rate() { awk -v t="$1" -v s="$2" 'BEGIN { printf "%.0f", t / s }'; }
identity() { # CONTENDER KIND CORPUS -> fraction of texts with Hugging Face's ids; differing texts in $work
  local result
  result="$("$tokenizer" identity "$1" "${path[$2]}" "$work/$3.txt" "$work/$3.$2.ids" "$work/differ.$3.$1.txt")"
  awk '{ split($1, a, "="); split($2, b, "="); printf "%.4f", a[2] / b[2] }' <<<"$result"
}

identity_rows=""; speed_rows=""
declare -A worst=()
printf '%-6s %-10s %-7s %12s %12s %12s %12s %12s\n' corpus tokenizer threads "ours (enc.)" "HF" "ours (ids)" "Microsoft" "FastBert"
for corpus in sst2 sotu; do
  node "$root/tools/reference/tokenizers/write-corpus-texts.js" "${corpus_id[$corpus]}" "$work/$corpus.txt"
  for kind in wordpiece bpe; do
    node "$root/tools/reference/tokenizers/encode-corpus.js" "${reference[$kind]}" "${corpus_id[$corpus]}" single | cut -f1 > "$work/$corpus.$kind.ids"
    ours_identity="$(identity ours-ids "$kind" "$corpus")"
    [ "$ours_identity" = "1.0000" ] || { echo "ours differs from Hugging Face on $corpus ($kind): $ours_identity identical" >&2; exit 1; }
    ms_identity="$(identity "${microsoft[$kind]}" "$kind" "$corpus")"
    worst[ms_$kind]="$(min "${worst[ms_$kind]:-}" "$ms_identity")"
    fast_identity="—"
    if [ "$kind" = wordpiece ]; then
      fast_identity="$(identity fastbert "$kind" "$corpus")"
      worst[fastbert]="$(min "${worst[fastbert]:-}" "$fast_identity")"
    fi
    identity_rows+="| ${corpus_name[$corpus]} | $kind | $ours_identity | $ms_identity (\`${microsoft[$kind]}\`) | $fast_identity |"$'\n'

    for threads in 1 all; do
      flag="$([ "$threads" = all ] && echo 0 || echo 1)"
      parallel="$([ "$threads" = all ] && echo true || echo false)"
      our="$("$tokenizer" speed ours-encodings "${path[$kind]}" "$work/$corpus.txt" "$flag" "$repetitions")"
      our_ids="$("$tokenizer" speed ours-ids "${path[$kind]}" "$work/$corpus.txt" "$flag" "$repetitions")"
      hf="$(TOKENIZERS_PARALLELISM=$parallel node "$root/bench/peers/hf_tokenizers.js" "$kind" "$work/$corpus.txt" "$repetitions")"
      [ "$(tokens "$our")" = "$(tokens "$hf")" ] || { echo "token counts differ: ours $(tokens "$our"), Hugging Face $(tokens "$hf")" >&2; exit 1; }
      ms="$("$tokenizer" speed "${microsoft[$kind]}" "${path[$kind]}" "$work/$corpus.txt" "$flag" "$repetitions")"
      count="$(tokens "$our")" # every rate is Hugging Face's token count over the contender's seconds: the same work
      our_rate="$(rate "$count" "$(seconds "$our")")"; hf_rate="$(rate "$count" "$(seconds "$hf")")"
      ids_rate="$(rate "$count" "$(seconds "$our_ids")")"; ms_rate="$(rate "$count" "$(seconds "$ms")")"
      vs_hf="$(ratio "$our_rate" "$hf_rate")"; vs_ms="$(ratio "$ids_rate" "$ms_rate")"
      worst[hf_$kind]="$(min "${worst[hf_$kind]:-}" "$vs_hf")"
      fast_rate="—"; vs_fast="—"
      if [ "$kind" = wordpiece ]; then
        fast="$("$tokenizer" speed fastbert "${path[$kind]}" "$work/$corpus.txt" "$flag" "$repetitions")"
        fast_rate="$(rate "$count" "$(seconds "$fast")")"; vs_fast="$(ratio "$ids_rate" "$fast_rate")"
        [ "$threads" = 1 ] && worst[fast_speed]="$(min "${worst[fast_speed]:-}" "$vs_fast")"
        [ "$threads" = 1 ] && worst[ms_speed]="$(min "${worst[ms_speed]:-}" "$vs_ms")"
      fi
      printf '%-6s %-10s %-7s %12s %12s %12s %12s %12s\n' "$corpus" "$kind" "$threads" "$our_rate" "$hf_rate" "$ids_rate" "$ms_rate" "$fast_rate"
      speed_rows+="| ${corpus_name[$corpus]} | $kind | $threads | $our_rate | $hf_rate | $vs_hf | $ids_rate | $ms_rate | $fast_rate | $vs_ms | $vs_fast |"$'\n'
    done
  done
done

{
  echo "Identity: the fraction of texts whose ids (special tokens included) equal Hugging Face tokenizers' (Rust, npm"
  echo "\`@anush008/tokenizers\`). WordPiece: bert-base-uncased \`vocab.txt\` (Hugging Face's uncased BertNormalizer; Microsoft's"
  echo "\`BertTokenizer\` lower-casing, removing non-spacing marks and splitting CJK; FastBertTokenizer \`LoadVocabulary\`"
  echo "lower-casing). BPE: GPT-2 (ours and Hugging Face's from \`vocab.json\` + \`merges.txt\`; Microsoft's \`TiktokenTokenizer\`"
  echo "for model \`gpt2\`). The peers run with ICU, as applications do (accent stripping goes through \`string.Normalize\`)."
  echo "Where they differ, and why: docs/tokenizers.md."
  echo
  echo "| corpus | tokenizer | ours | Microsoft.ML.Tokenizers | FastBertTokenizer |"
  echo "|---|---|---:|---:|---:|"
  printf '%s' "$identity_rows"
  echo
  echo "Speed: tokens per second, fastest of $repetitions passes over the whole corpus in batches of 1024 texts; every rate is"
  echo "the Hugging Face token count of the corpus over the contender's time (the same work for all). Against Hugging Face"
  echo "(\`encodeBatch\`: full encodings, ids, type ids, offsets, masks), ours runs \`Tokenizer.EncodeBatch\`, which returns the"
  echo "same; one thread: \`MaxDegreeOfParallelism\` 1 and \`TOKENIZERS_PARALLELISM=false\`. Against the .NET peers, every"
  echo "contender returns the ids of one text per call: ours \`HuggingFaceTokenizer.EncodeToIds\` (Microsoft's API over"
  echo "ours), Microsoft's \`EncodeToIds\`, FastBertTokenizer's \`Encode\` into a span; one thread: a loop; all cores:"
  echo "\`Parallel.ForEach\` over chunks of 64 texts. Ratios: ours ÷ the peer."
  echo "Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg) (on a shared machine, absolute numbers are noisy)."
  echo
  echo "| corpus | tokenizer | threads | ours, encodings | Hugging Face | ÷ HF | ours, ids | Microsoft.ML.Tokenizers | FastBertTokenizer | ÷ Microsoft | ÷ FastBert |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s' "$speed_rows"
  echo
  echo "wordpiece_vs_hf, bpe_vs_hf: the lowest ratio to Hugging Face over corpora and threads; vs_ms_bert, vs_fastbert: the"
  echo "lowest one-thread WordPiece ratio (goals ≥ 3 and ≥ 1.0); ms_identical, fastbert_identical: the lowest WordPiece identity."
} > "$section"

echo "tokenizers: wordpiece_vs_hf=${worst[hf_wordpiece]} bpe_vs_hf=${worst[hf_bpe]} vs_ms_bert=${worst[ms_speed]} vs_fastbert=${worst[fast_speed]} ms_identical=${worst[ms_wordpiece]} fastbert_identical=${worst[fastbert]}"
