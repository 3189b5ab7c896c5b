"""Seeded pseudo-random tensors that C# reproduces bit for bit (tests/Common/DeterministicWeights.cs).

Element i of the tensor named `name` is u(i) * 2 * scale - scale, u uniform in [0, 1) from 24 bits of
splitmix64(fnv1a64(name) ^ seed) advanced i + 1 times. Lets a test build a large checkpoint (the real
all-MiniLM-L6-v2 shape, vocabulary 30522) without committing it.
"""
import numpy as np

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MANTISSA_BITS = 24


def fnv1a64(text):
    h = _FNV_OFFSET
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * _FNV_PRIME) & _MASK
    return h


def uniform(name, count, seed, scale):
    """float32 values in [-scale, scale) for the tensor `name`."""
    with np.errstate(over="ignore"):
        state = np.uint64(fnv1a64(name) ^ seed)
        z = state + np.arange(1, count + 1, dtype=np.uint64) * np.uint64(_GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(64 - _MANTISSA_BITS)).astype(np.float32) / np.float32(1 << _MANTISSA_BITS)
    return u * np.float32(2 * scale) - np.float32(scale)
