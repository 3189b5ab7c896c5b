#!/usr/bin/env node
// Writes the Hugging Face tokenizers fixtures of tests/Tokenizers.Tests:
//   corpus-hashes.json  SHA-256 of the canonical encodings of every corpus, per reference tokenizer, singles and pairs
//   cases.jsonl         chosen texts (hostile ones, truncation, padding, pairs) with their full expected encodings
//   unicode-classes.json  SHA-256 of unicode-classes.js's output (every code point through the pre-tokenizers)
//   SHA256SUMS          the SHA-256 of each fixture file, so that an edit by hand is caught
// Run: tools/reference/install-node-references && node tools/reference/tokenizers/write-fixtures.js [cases|corpora|unicode]
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const ref = require('./reference');
const { unicodeClassLines } = require('./unicode-classes');

const longText = 'The quick brown fox jumps over the lazy dog, and then it runs away into the unaffable forest of 1,234 trees.';
const shortText = 'A short second sentence.';

const hostileTexts = [
  '', ' ', '\t\r\n\u000b\u000c\u0085\u2028\u3000', '\u0000\u0001\u007f\ufffd text after controls',
  'a\u200bb\u200dc\u2060d \ufeffzero width', 'e\u0301 \u00e9 \u0130stanbul \u00df \u03a3\u0391\u03a3 \u1e9e',
  'Привет мир こんにちは 世界 안녕하세요 مرحبا שלום हिन्दी ไทย', '😀👍🏽 family 👨‍👩‍👧 flags 🇫🇷 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\ud800abc\udc00 lone surrogates \udbff', '[CLS] [SEP][MASK]x [cls] <|endoftext|>hi<|endoftext|>', 'a'.repeat(150),
  'don\'t you\'ll I\'M we\'ve they\'re \'s \'t', '123,456.78 1st 2nd 3rd $5 £10 €20 ¥30 50%', '  leading and trailing  ',
  'multiple     spaces\n\n\nnewlines \t\t tabs', 'ﬁ ligature ① ² ½ Ǆ ǅ ǆ Ⅷ', 'unassigned \u0378 new emoji \u{1FAE8} private \ue000',
  'CJK 中文字符 mixed中文text 日本語の文章 한국어', 'accents: café naïve résumé Ångström Zürich', 'punctuation!?.,;:\'"()[]{}<>/\\|@#^&*-_=+~`',
  'supercalifragilisticexpialidocious antidisestablishmentarianism', '   ', 'x',
  'The capital of France is  <mask>. zzz zzzz azzz zzz  end<mask>', 'zzz', ' <mask>',
];

function cases() {
  const list = [];
  for (const tokenizer of ['bert-json', 'bert-vocab', 'gpt2', 'roberta']) {
    for (const text of hostileTexts) list.push({ tokenizer, text });
    list.push({ tokenizer, text: longText, pair: shortText });
    list.push({ tokenizer, text: 'Hello, my dog is cute', pair: '' });
    list.push({ tokenizer, text: longText, add_special_tokens: false });
    for (const strategy of ['LongestFirst', 'OnlyFirst', 'OnlySecond']) {
      list.push({ tokenizer, text: longText, pair: longText.slice(0, 60), truncation: { max_length: 24, stride: 0, strategy, direction: 'Right' } });
      list.push({ tokenizer, text: longText, pair: shortText, truncation: { max_length: 20, stride: 3, strategy, direction: 'Right' } });
    }
    list.push({ tokenizer, text: longText, truncation: { max_length: 10, stride: 2, strategy: 'LongestFirst', direction: 'Right' } });
    list.push({ tokenizer, text: longText, truncation: { max_length: 10, stride: 4, strategy: 'LongestFirst', direction: 'Left' } });
    list.push({ tokenizer, text: longText, pair: shortText, truncation: { max_length: 16, stride: 2, strategy: 'LongestFirst', direction: 'Left' } });
    list.push({ tokenizer, text: shortText, padding: { maxLength: 16, direction: 'Right' } });
    list.push({ tokenizer, text: shortText, pair: 'And a pair.', padding: { maxLength: 20, direction: 'Left', padId: 7, padTypeId: 1 } });
    list.push({ tokenizer, text: shortText, padding: { maxLength: 3, padToMultipleOf: 8 } });
    list.push({ tokenizer, text: longText, truncation: { max_length: 12, stride: 1, strategy: 'LongestFirst', direction: 'Right' }, padding: { maxLength: 12 } });
  }
  return list;
}

async function expectedFor(tokenizer, testCase) {
  if (testCase.truncation) {
    const t = testCase.truncation;
    tokenizer.setTruncation(t.max_length, { stride: t.stride, strategy: t.strategy, direction: t.direction.toLowerCase() });
  }
  if (testCase.padding) {
    const p = testCase.padding;
    tokenizer.setPadding({ ...p, direction: (p.direction ?? 'Right').toLowerCase() });
  }
  const addSpecialTokens = testCase.add_special_tokens ?? true;
  const encoding = await tokenizer.encode(testCase.text, testCase.pair ?? null, { addSpecialTokens });
  const texts = testCase.pair === undefined ? [testCase.text] : [testCase.text, testCase.pair];
  const describe = e => ({
    ...ref.plain(e, texts),
    special_tokens_mask: e.getSpecialTokensMask(),
    attention_mask: e.getAttentionMask(),
  });
  return {
    ...describe(encoding),
    overflowing: encoding.getOverflowing().map(describe),
    decoded: await tokenizer.decode(encoding.getIds(), true),
  };
}

// JSON readers may refuse lone surrogates: such texts also go as arrays of UTF-16 code units.
function utf16Fields(testCase) {
  const fields = {};
  for (const name of ['text', 'pair']) {
    const value = testCase[name];
    if (value !== undefined && !value.isWellFormed()) fields[`${name}_utf16`] = Array.from({ length: value.length }, (_, i) => value.charCodeAt(i));
  }
  return fields;
}

async function writeCases(shared) {
  const lines = [];
  for (const testCase of cases()) {
    const tokenizer = await ref.referenceTokenizer(shared, testCase.tokenizer);
    let expected;
    try {
      expected = await expectedFor(tokenizer, testCase);
    } catch (error) {
      expected = { error: error.message };
    }
    lines.push(JSON.stringify({ ...testCase, ...utf16Fields(testCase), expected }));
  }
  fs.writeFileSync(path.join(ref.fixtures, 'cases.jsonl'), lines.join('\n') + '\n');
  return lines.length;
}

async function writeCorpusHashes(shared) {
  const tokenizers = {};
  for (const name of ref.tokenizerNames) tokenizers[name] = await ref.referenceTokenizer(shared, name);
  const entries = [];
  for (const corpus of ref.corpora()) {
    const texts = ref.corpusTexts(corpus, shared);
    for (const name of ref.tokenizerNames) {
      for (const kind of ['single', 'pair']) {
        const lines = await ref.encodeCorpus(tokenizers[name], texts, kind);
        const input = ref.sha256(texts.map(text => text + '\n'));
        const tokens = lines.reduce((sum, line) => sum + line.split('\t')[0].split(' ').filter(Boolean).length, 0);
        entries.push({ tokenizer: name, corpus: corpus.name, kind, texts_sha256: input, count: lines.length, tokens, sha256: ref.sha256(lines) });
        console.error(`${name} ${corpus.name} ${kind}: ${lines.length} encodings, ${tokens} tokens`);
      }
    }
  }
  const description = 'SHA-256 of the canonical lines (ids TAB type ids TAB start:end offsets in UTF-16 units, one line per '
    + 'encoding) of Hugging Face tokenizers on each corpus of corpora.json, and of the corpus texts themselves (each followed '
    + 'by a line break) to tell a changed corpus from a changed tokenizer; written by tools/reference/tokenizers/write-fixtures.js';
  fs.writeFileSync(path.join(ref.fixtures, 'corpus-hashes.json'), JSON.stringify({ description, entries }, null, 2) + '\n');
  return entries.length;
}

function writeUnicodeClasses() {
  const hash = crypto.createHash('sha256');
  let count = 0;
  for (const line of unicodeClassLines()) {
    hash.update(line, 'utf8');
    count++;
  }
  const description = 'SHA-256 of the output of tools/reference/tokenizers/unicode-classes.js: every code point between two '
    + 'letters, through the BERT normalizer and pre-tokenizer and the GPT-2 byte-level pre-tokenizer';
  fs.writeFileSync(path.join(ref.fixtures, 'unicode-classes.json'), JSON.stringify({ description, count, sha256: hash.digest('hex') }, null, 2) + '\n');
  return count;
}

function writeChecksums() {
  const names = fs.readdirSync(ref.fixtures).filter(name => name !== 'SHA256SUMS').sort();
  const lines = names.map(name => `${crypto.createHash('sha256').update(fs.readFileSync(path.join(ref.fixtures, name))).digest('hex')}  ${name}\n`);
  fs.writeFileSync(path.join(ref.fixtures, 'SHA256SUMS'), lines.join(''));
}

async function main() {
  const shared = ref.sharedFolder();
  const only = process.argv[2];
  if (!only || only === 'cases') console.error(`cases.jsonl: ${await writeCases(shared)} cases`);
  if (!only || only === 'unicode') console.error(`unicode-classes.json: ${writeUnicodeClasses()} code points`);
  if (!only || only === 'corpora') console.error(`corpus-hashes.json: ${await writeCorpusHashes(shared)} entries`);
  writeChecksums();
}

main().catch(error => { console.error(error.stack); process.exit(1); });
