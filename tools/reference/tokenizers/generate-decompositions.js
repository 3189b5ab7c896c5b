#!/usr/bin/env node
// Writes the canonical (NFD) decomposition of every code point as Hugging Face tokenizers' NFD normalizer does it
// (its Unicode tables, which predate .NET's), for the BERT normalizer's accent stripping. .NET's string.Normalize
// does nothing in globalization-invariant mode, so the tokenizer carries this table.
//   node generate-decompositions.js > src/Tokenizers/Normalization/Data/canonical-decompositions.txt
// Each line: the code point, then its decomposition, all hex. Hangul syllables are left out: their decomposition is
// algorithmic (Unicode chapter 3.12) and computed in code.
'use strict';
const ref = require('./reference');

const HANGUL_FIRST = 0xAC00, HANGUL_LAST = 0xD7A3;
const nfd = ref.hf.nfdNormalizer();
const hex = n => n.toString(16).toUpperCase();

console.log('# Canonical decompositions as Hugging Face tokenizers has them; written by tools/reference/tokenizers/generate-decompositions.js');
for (let cp = 0xC0; cp <= 0x10FFFF; cp++) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || (cp >= HANGUL_FIRST && cp <= HANGUL_LAST)) continue;
  const c = String.fromCodePoint(cp);
  const decomposed = nfd.normalizeString(c);
  if (decomposed !== c) console.log(`${hex(cp)} ${Array.from(decomposed, ch => hex(ch.codePointAt(0))).join(' ')}`);
}
