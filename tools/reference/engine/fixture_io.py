"""Writes reference fixtures as JSON: {"name": {"shape": [...], "data": [...]}, ...}, data flattened row-major.

Float32 values are written as the exact decimal of their float64 widening, so the .NET side reads them back bit-exact.
"""
import json
import os

import torch


def tensor_entry(value):
    t = torch.as_tensor(value).detach()
    return {"shape": list(t.shape), "data": [float(x) for x in t.double().flatten().tolist()]}


def save(path, tensors):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump({name: tensor_entry(v) for name, v in tensors.items()}, f, separators=(",", ":"))
    print(f"wrote {path}")


def repo_root():
    return os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
