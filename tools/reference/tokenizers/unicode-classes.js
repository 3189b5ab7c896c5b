#!/usr/bin/env node
// Prints, for every Unicode code point c (surrogates excepted), how Hugging Face tokenizers cuts "a" + c + "b":
//   hex(c) TAB words of the BERT normalizer (uncased defaults) + BERT pre-tokenizer, joined by '|'
//          TAB words of the GPT-2 byte-level pre-tokenizer, joined by '|'
// This pins every character class the tokenizers depend on (control, whitespace, punctuation, CJK, accents,
// casing, letters, numbers) to the reference's Unicode tables.
'use strict';
const ref = require('./reference');

function* unicodeClassLines() {
  const normalizer = ref.hf.bertNormalizer();
  const bert = ref.hf.bertPreTokenizer();
  const byteLevel = ref.hf.byteLevelPreTokenizer(false);
  const words = pieces => pieces.map(piece => piece[0]).join('|');
  for (let cp = 0; cp <= 0x10FFFF; cp++) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const text = 'a' + String.fromCodePoint(cp) + 'b';
    yield `${cp.toString(16)}\t${words(bert.preTokenizeString(normalizer.normalizeString(text)))}\t${words(byteLevel.preTokenizeString(text))}\n`;
  }
}

if (require.main === module) {
  for (const line of unicodeClassLines()) process.stdout.write(line);
}

module.exports = { unicodeClassLines };
