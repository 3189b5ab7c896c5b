#!/usr/bin/env node
// Tokens per second of Hugging Face tokenizers (npm @anush008/tokenizers, the Rust library) on a file of texts (one
// per line), encodeBatch in batches of 1024 as bench/Tokenizers runs ours.
//   node hf_tokenizers.js wordpiece|bpe TEXTS_FILE REPETITIONS
// wordpiece: bert-base-uncased vocab.txt; bpe: GPT-2 (reference.js configures both). Single-threaded when run with
// TOKENIZERS_PARALLELISM=false. Prints "tokens=<per pass> seconds=<fastest pass>".
'use strict';
const fs = require('fs');
const path = require('path');
const ref = require(path.join(__dirname, '..', '..', 'tools', 'reference', 'tokenizers', 'reference.js'));

const batchSize = 1024;

async function pass(tokenizer, batches, count) {
  let tokens = 0;
  for (const batch of batches) {
    const encodings = await tokenizer.encodeBatch(batch);
    if (count) for (const e of encodings) tokens += e.getLength();
  }
  return tokens;
}

async function main() {
  const [kind, textsFile, repetitionsText] = process.argv.slice(2);
  const shared = ref.sharedFolder();
  const tokenizer = kind === 'wordpiece' ? await ref.referenceTokenizer(shared, 'bert-vocab') : await ref.referenceTokenizer(shared, 'gpt2');
  tokenizer.disableTruncation();
  tokenizer.disablePadding();
  const texts = fs.readFileSync(textsFile, 'utf8').split('\n');
  if (texts[texts.length - 1] === '') texts.pop();
  const batches = [];
  for (let i = 0; i < texts.length; i += batchSize) batches.push(texts.slice(i, i + batchSize));

  const tokens = await pass(tokenizer, batches, true);
  let fastest = Infinity;
  for (let r = 0; r < Number(repetitionsText); r++) {
    const start = process.hrtime.bigint();
    await pass(tokenizer, batches, false);
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e9);
  }
  console.log(`tokens=${tokens} seconds=${fastest.toFixed(6)}`);
}

main().catch(error => { console.error(error.stack); process.exit(1); });
