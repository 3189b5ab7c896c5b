#!/usr/bin/env node
// Writes the texts of one corpus of tests/Tokenizers.Tests/fixtures/corpora.json, one per line (benchmark input):
//   node write-corpus-texts.js CORPUS OUTPUT_FILE
'use strict';
const fs = require('fs');
const ref = require('./reference');

const [name, output] = process.argv.slice(2);
const corpus = ref.corpora().find(c => c.name === name);
if (!corpus || !output) {
  console.error('usage: write-corpus-texts.js CORPUS OUTPUT_FILE');
  process.exit(2);
}
const texts = ref.corpusTexts(corpus, ref.sharedFolder());
if (texts.some(text => text.includes('\n'))) throw new Error(`${name}: a text holds a line break`);
fs.writeFileSync(output, texts.join('\n') + '\n');
