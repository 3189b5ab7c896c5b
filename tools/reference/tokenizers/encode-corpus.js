#!/usr/bin/env node
// Prints the canonical lines of Hugging Face tokenizers' encodings of one corpus:
//   node encode-corpus.js TOKENIZER CORPUS single|pair
// TOKENIZER: bert-json | bert-vocab | gpt2 | roberta; CORPUS: a name from tests/Tokenizers.Tests/fixtures/corpora.json.
'use strict';
const ref = require('./reference');

async function main() {
  const [name, corpusName, kind] = process.argv.slice(2);
  if (!name || !corpusName || !['single', 'pair'].includes(kind)) {
    console.error('usage: encode-corpus.js TOKENIZER CORPUS single|pair');
    process.exit(2);
  }
  const shared = ref.sharedFolder();
  const corpus = ref.corpora().find(c => c.name === corpusName);
  if (!corpus) throw new Error(`no corpus named ${corpusName}`);
  const tokenizer = await ref.referenceTokenizer(shared, name);
  const lines = await ref.encodeCorpus(tokenizer, ref.corpusTexts(corpus, shared), kind);
  process.stdout.write(lines.join(''));
}

main().catch(error => { console.error(error.message); process.exit(1); });
