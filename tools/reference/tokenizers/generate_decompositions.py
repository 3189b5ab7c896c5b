#!/usr/bin/env python3
"""Writes the canonical (NFD) decomposition table used by the BERT normalizer's accent stripping.

.NET's string.Normalize does nothing in globalization-invariant mode, so the tokenizer carries its own table.
Each line: the code point, then its full canonical decomposition, all as hex. Hangul syllables are left out:
their decomposition is algorithmic (Unicode chapter 3.12) and computed in code.

Usage: generate_decompositions.py > src/Tokenizers/Normalization/Data/canonical-decompositions.txt
"""
import sys
import unicodedata

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3

print(f"# Canonical decompositions, Unicode {unicodedata.unidata_version}; written by tools/reference/tokenizers/generate_decompositions.py")
for cp in range(sys.maxunicode + 1):
    if HANGUL_FIRST <= cp <= HANGUL_LAST or 0xD800 <= cp <= 0xDFFF:
        continue
    decomposed = unicodedata.normalize("NFD", chr(cp))
    if decomposed != chr(cp):
        print(f"{cp:X} " + " ".join(f"{ord(c):X}" for c in decomposed))
