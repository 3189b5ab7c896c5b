#!/usr/bin/env node
// Writes Hugging Face tokenizers' view of Unicode where the .NET tokenizer cannot take it from .NET: the general
// categories where its (older) tables disagree with current Unicode (as this JavaScript engine knows it), and its
// whole non-ASCII lower-case mapping (Rust's, newer than .NET's). The .NET tokenizer applies both, so that it cuts
// every code point as the reference does.
//   node generate-legacy-unicode.js > src/Tokenizers/Normalization/Data/legacy-unicode.txt
// Lines: "C FIRST LAST CATEGORY" (category as the BERT normalizer sees it: Cn ordinary, Cc removed as control,
// Po split as punctuation, Mn removed as an accent) or "L CODEPOINT LOWERCASE..." (every code point whose lower case
// differs from itself), all hex.
'use strict';
const ref = require('./reference');

const clean = ref.hf.bertNormalizer({ cleanText: true, handleChineseChars: false, stripAccents: false, lowercase: false });
const stripping = ref.hf.bertNormalizer({ cleanText: true, handleChineseChars: false, stripAccents: true, lowercase: false });
const lowercase = ref.hf.lowercase();
const preTokenizer = ref.hf.bertPreTokenizer();

function referenceClass(c) {
  const text = 'a' + c + 'b';
  if (clean.normalizeString(text) === 'ab') return 'Cc';
  if (preTokenizer.preTokenizeString(text).length === 3) return 'Po';
  if (stripping.normalizeString(text) === 'ab') return 'Mn';
  return 'Cn';
}

function currentClass(c) {
  if (/^[\t\n\r]$/u.test(c) || /^\p{White_Space}$/u.test(c)) return null;
  if (/^[\p{Cc}\p{Cf}\p{Co}]$/u.test(c)) return 'Cc';
  if (/^\p{P}$/u.test(c)) return 'Po';
  if (/^\p{Mn}$/u.test(c)) return 'Mn';
  return 'Cn';
}

const hex = n => n.toString(16).toUpperCase();
const ranges = [];
const lowercases = [];
for (let cp = 0x80; cp <= 0x10FFFF; cp++) {
  if (cp >= 0xD800 && cp <= 0xDFFF) continue;
  const c = String.fromCodePoint(cp);
  const current = currentClass(c);
  if (current !== null) {
    const reference = referenceClass(c);
    if (reference !== current) {
      const last = ranges[ranges.length - 1];
      if (last && last[1] === cp - 1 && last[2] === reference) last[1] = cp;
      else ranges.push([cp, cp, reference]);
    }
  }
  const lower = lowercase.normalizeString(c);
  if (lower !== c) lowercases.push([cp, Array.from(lower, ch => hex(ch.codePointAt(0)))]);
}
console.log('# Hugging Face tokenizers\' view of Unicode categories (where older) and lower case (non-ASCII); written by tools/reference/tokenizers/generate-legacy-unicode.js');
for (const [first, last, category] of ranges) console.log(`C ${hex(first)} ${hex(last)} ${category}`);
for (const [cp, lower] of lowercases) console.log(`L ${hex(cp)} ${lower.join(' ')}`);
