"""Minimal safetensors reader/writer (the format: u64 LE header length, JSON header, raw little-endian data).

Written from the format specification so the fixtures do not depend on the `safetensors` package.
"""
import json
import struct

import numpy as np
import torch

_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64", torch.int64: "I64"}
_ALIGNMENT = 8


def save(path, tensors, metadata=None):
    """Writes an ordered dict name -> tensor; data in the given order, header padded with spaces to 8 bytes."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, tensor in tensors.items():
        tensor = tensor.detach().contiguous().cpu()
        if tensor.dtype == torch.bfloat16:
            data = tensor.view(torch.int16).numpy().tobytes()
        else:
            data = tensor.numpy().tobytes()
        header[name] = {"dtype": _DTYPES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((-len(text)) % _ALIGNMENT)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for chunk in chunks:
            f.write(chunk)


def load(path):
    """Reads F32 tensors of a safetensors file into an ordered dict name -> torch.float32 tensor."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    result = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", f"{path}: {name} is {entry['dtype']}"
        begin, end = entry["data_offsets"]
        result[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype="<f4").copy()).reshape(entry["shape"])
    return result
