// Shared pieces of the Hugging Face tokenizers reference: the shared data folder, the corpora (as
// tests/Tokenizers.Tests/fixtures/corpora.json defines them), the reference tokenizers, and the canonical text form of
// an encoding that fixtures hash. Offsets are converted from the binding's code-point offsets to UTF-16 code units,
// the unit of JavaScript and .NET string indices.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const hf = require(path.join(__dirname, '..', 'node', 'node_modules', '@anush008', 'tokenizers'));

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const fixtures = path.join(repoRoot, 'tests', 'Tokenizers.Tests', 'fixtures');

function sharedFolder() {
  for (let dir = repoRoot; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared');
    if (fs.existsSync(path.join(candidate, 'DESIGN.md'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('No shared data folder beside or above the repository.');
  }
}

function readLines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').map(line => line.replace(/\r$/, ''));
}

function corpusTexts(corpus, shared) {
  const data = path.join(shared, 'data');
  if (corpus.kind === 'tsv') {
    const texts = [];
    for (const file of corpus.files) {
      const lines = readLines(path.join(data, file)).filter(line => line.length > 0);
      for (const line of corpus.header ? lines.slice(1) : lines) {
        const fields = line.split('\t');
        if (fields.length <= corpus.column) throw new Error(`${file}: a line has no column ${corpus.column}: ${line}`);
        texts.push(fields[corpus.column]);
      }
    }
    return texts;
  }
  if (corpus.kind === 'paragraphs') {
    const dir = path.join(data, corpus.directory);
    const texts = [];
    for (const name of fs.readdirSync(dir).filter(n => n.endsWith('.txt')).sort(ordinal)) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8').replace(/[\r\n]+$/, '');
      let start = 0;
      while (start < text.length) {
        const cut = text.indexOf('. ', start + corpus.min_chars);
        if (cut < 0) { texts.push(text.slice(start)); break; }
        texts.push(text.slice(start, cut + 1));
        start = cut + 2;
      }
    }
    return texts;
  }
  throw new Error(`unknown corpus kind ${corpus.kind}`);
}

function ordinal(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

function corpora() {
  return JSON.parse(fs.readFileSync(path.join(fixtures, 'corpora.json'), 'utf8')).corpora;
}

const tokenizerNames = ['bert-json', 'bert-vocab', 'gpt2', 'roberta'];

// A fresh reference tokenizer, by the name fixtures use; 'bert-vocab:PATH' and 'gpt2:DIR' configure the same
// pipelines on other files (vocabularies we trained, for instance); 'bert-json:PATH' loads a tokenizer.json we wrote.
async function referenceTokenizer(shared, name) {
  if (name.startsWith('bert-json:')) return fromJsonFile(name.slice('bert-json:'.length));
  if (name.startsWith('bert-vocab:')) return bertFromVocab(shared, name.slice('bert-vocab:'.length));
  if (name.startsWith('gpt2:')) return gpt2(shared, name.slice('gpt2:'.length));
  switch (name) {
    case 'bert-json': return bertFromJson(shared);
    case 'bert-vocab': return bertFromVocab(shared);
    case 'gpt2': return gpt2(shared);
    case 'roberta': return roberta(shared);
    default: throw new Error(`no reference tokenizer named ${name}`);
  }
}

function bertFromJson(shared) {
  return fromJsonFile(path.join(shared, 'models', 'all-MiniLM-L6-v2-no-weights', 'tokenizer.json'));
}

function fromJsonFile(file) {
  const bertJson = hf.Tokenizer.fromFile(file);
  bertJson.disablePadding();
  return bertJson;
}

async function bertFromVocab(shared, vocabPath) {
  const vocab = vocabPath ?? path.join(shared, 'tokenizers', 'bert-base-uncased', 'vocab.txt');
  const bertVocab = new hf.Tokenizer(await hf.WordPiece.fromFile(vocab, { unkToken: '[UNK]' }));
  const ids = bertVocab.getVocab(false);
  bertVocab.setNormalizer(hf.bertNormalizer({ cleanText: true, handleChineseChars: true, lowercase: true }));
  bertVocab.setPreTokenizer(hf.bertPreTokenizer());
  bertVocab.setPostProcessor(hf.bertProcessing(['[SEP]', ids['[SEP]']], ['[CLS]', ids['[CLS]']]));
  bertVocab.setDecoder(hf.wordPieceDecoder());
  bertVocab.addSpecialTokens(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  return bertVocab;
}

function gpt2(shared, directory) {
  return hf.Tokenizer.fromString(JSON.stringify(byteLevelTokenizerJson(directory ?? path.join(shared, 'tokenizers', 'gpt2'), {
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
  })));
}

// RoBERTa's configuration (prefix space, <s> A </s></s> B </s>, trimmed offsets) on the GPT-2 vocabulary,
// with <|endoftext|> standing in for both <s> and </s>.
// Two added tokens outside the vocabulary exercise matching options: RoBERTa's <mask> (lstrip) and a whole-word one.
function roberta(shared) {
  const json = byteLevelTokenizerJson(path.join(shared, 'tokenizers', 'gpt2'), {
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    post_processor: {
      type: 'RobertaProcessing', sep: ['<|endoftext|>', 50256], cls: ['<|endoftext|>', 50256],
      trim_offsets: true, add_prefix_space: true,
    },
  });
  json.added_tokens.push(
    { id: 50257, content: '<mask>', single_word: false, lstrip: true, rstrip: false, normalized: false, special: true },
    { id: 50258, content: 'zzz', single_word: true, lstrip: false, rstrip: true, normalized: false, special: false });
  return hf.Tokenizer.fromString(JSON.stringify(json));
}

const bpeFiles = new Map();

// A tokenizer.json for a vocab.json + merges.txt folder with the given pre-tokenizer and post-processor.
function byteLevelTokenizerJson(dir, { pre_tokenizer, post_processor }) {
  if (!bpeFiles.has(dir)) {
    bpeFiles.set(dir, {
      vocab: JSON.parse(fs.readFileSync(path.join(dir, 'vocab.json'), 'utf8')),
      merges: readLines(path.join(dir, 'merges.txt')).filter((line, i) => line.length > 0 && !(i === 0 && line.startsWith('#version'))),
    });
  }
  const { vocab, merges } = bpeFiles.get(dir);
  const endOfText = vocab['<|endoftext|>'];
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: endOfText === undefined ? [] : [{ id: endOfText, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null,
    pre_tokenizer,
    post_processor,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '',
      fuse_unk: false, byte_fallback: false, vocab, merges,
    },
  };
}

// UTF-16 index of every code-point index of `text` (one extra entry for the end).
function utf16Positions(text) {
  const positions = [];
  let index = 0;
  for (const ch of text) { positions.push(index); index += ch.length; }
  positions.push(index);
  return positions;
}

function utf16Offsets(encoding, texts) {
  const positions = texts.map(utf16Positions);
  const sequences = encoding.getSequenceIds();
  return encoding.getOffsets().map(([start, end], i) => {
    const sequence = sequences[i];
    if (sequence === null || sequence === undefined) return [start, end];
    const map = positions[sequence];
    return [map[start], map[end]];
  });
}

function plain(encoding, texts) {
  return {
    ids: encoding.getIds(),
    type_ids: encoding.getTypeIds(),
    offsets: utf16Offsets(encoding, texts),
  };
}

// One line per encoding: "ids<TAB>type ids<TAB>start:end ...", the form the .NET tests hash too.
function canonicalLine(e) {
  return `${e.ids.join(' ')}\t${e.type_ids.join(' ')}\t${e.offsets.map(([s, t]) => `${s}:${t}`).join(' ')}\n`;
}

function pairsOf(texts) {
  const pairs = [];
  for (let i = 0; i + 1 < texts.length; i += 2) pairs.push([texts[i], texts[i + 1]]);
  return pairs;
}

// Canonical lines of every text (kind 'single') or consecutive pair (kind 'pair') of a corpus.
async function encodeCorpus(tokenizer, texts, kind) {
  const lines = [];
  if (kind === 'single') {
    const batch = 1024;
    for (let i = 0; i < texts.length; i += batch) {
      const slice = texts.slice(i, i + batch);
      const encodings = await tokenizer.encodeBatch(slice);
      encodings.forEach((e, j) => lines.push(canonicalLine(plain(e, [slice[j]]))));
    }
  } else {
    const pairs = pairsOf(texts);
    const window = 256;
    for (let i = 0; i < pairs.length; i += window) {
      const slice = pairs.slice(i, i + window);
      const encodings = await Promise.all(slice.map(([a, b]) => tokenizer.encode(a, b)));
      encodings.forEach((e, j) => lines.push(canonicalLine(plain(e, slice[j]))));
    }
  }
  return lines;
}

function sha256(lines) {
  const hash = crypto.createHash('sha256');
  for (const line of lines) hash.update(line, 'utf8');
  return hash.digest('hex');
}

module.exports = { hf, repoRoot, fixtures, sharedFolder, corpora, corpusTexts, tokenizerNames, referenceTokenizer, plain, canonicalLine, encodeCorpus, sha256 };
