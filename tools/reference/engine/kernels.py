"""Reference fixtures for the engine's kernels: forward outputs and gradients computed by PyTorch in double precision
from float32 inputs. Each file holds the inputs, the output, an upstream gradient ("dy") and the input gradients.

Rerun: /usr/bin/python3 tools/reference/engine/kernels.py
"""
import math
import os

import torch
import torch.nn.functional as F

from fixture_io import repo_root, save

torch.set_num_threads(2)
OUT = os.path.join(repo_root(), "tests", "Tensors.Tests", "fixtures")
g = torch.Generator().manual_seed(2024)


def randn(*shape, scale=1.0):
    """float32-exact values widened to double, with gradients tracked."""
    return (torch.randn(*shape, generator=g) * scale).float().double().requires_grad_()


def backward(output, **inputs):
    """Backpropagates a random upstream gradient; returns it and the input gradients named d<name>."""
    dy = torch.randn(output.shape, generator=g).float().double()
    output.backward(dy)
    return {"dy": dy} | {f"d{name}": t.grad for name, t in inputs.items()}


def write(name, tensors):
    save(os.path.join(OUT, f"{name}.json"), tensors)


def linear():
    x, w, b = randn(5, 7), randn(4, 7), randn(4)
    y = F.linear(x, w, b)
    write("linear", {"x": x, "weight": w, "bias": b, "y": y} | backward(y, x=x, weight=w, bias=b))


def layer_norm():
    x, gamma, beta = randn(6, 10, scale=2.0) + 0.5, randn(10), randn(10)
    x = x.detach().requires_grad_()
    y = F.layer_norm(x, (10,), gamma, beta, 1e-5)
    write("layer_norm", {"x": x, "gamma": gamma, "beta": beta, "y": y} | backward(y, x=x, gamma=gamma, beta=beta))


def activations():
    functions = {
        "gelu": F.gelu,
        "gelu_tanh": lambda v: F.gelu(v, approximate="tanh"),
        "relu": F.relu,
        "tanh": torch.tanh,
    }
    for name, f in functions.items():
        # A grid over [-6, 6] (kept off 0 exactly, where relu has no derivative) plus random values.
        grid = torch.linspace(-6.0, 6.0, 97, dtype=torch.float64) + 1e-3
        x = torch.cat([grid, torch.randn(31, generator=g, dtype=torch.float64) * 3]).float().double().requires_grad_()
        y = f(x)
        write(f"activation_{name}", {"x": x, "y": y} | backward(y, x=x))


def softmax():
    x = randn(4, 9, scale=3.0)
    y = torch.softmax(x, dim=-1)
    write("softmax", {"x": x, "y": y} | backward(y, x=x))


def attention(name, causal):
    """Packed projections (B, T, 3C) in, context (B, T, C) out, as the engine's attention kernel lays them out."""
    b, h, t, d = 2, 3, 5, 4
    c = h * d
    qkv = randn(b, t, 3 * c)
    q, k, v = (part.reshape(b, t, h, d).transpose(1, 2) for part in qkv.split(c, dim=-1))  # (B, H, T, D)
    mask = torch.ones(b, t, dtype=torch.float64)
    mask[1, 3:] = 0.0
    allowed = mask[:, None, None, :].expand(b, 1, t, t).clone()
    if causal:
        allowed = allowed * torch.tril(torch.ones(t, t, dtype=torch.float64))
    scores = q @ k.transpose(-1, -2) / math.sqrt(d) + (1.0 - allowed) * torch.finfo(torch.float32).min
    y = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, c)
    write(name, {"qkv": qkv, "mask": mask, "y": y} | backward(y, qkv=qkv))


def embedding():
    table = randn(7, 5)
    ids = torch.tensor([3, 0, 3, 6, 1, 3])
    y = F.embedding(ids, table)
    write("embedding", {"ids": ids, "table": table, "y": y} | backward(y, table=table))


def cross_entropy(name, smoothing, weighted):
    logits = randn(6, 5, scale=2.0)
    targets = torch.tensor([1, 4, -100, 0, 2, 4])
    weight = (torch.rand(5, generator=g) + 0.5).float().double() if weighted else None
    loss = F.cross_entropy(logits, targets, weight=weight, ignore_index=-100, label_smoothing=smoothing)
    loss.backward()
    tensors = {"logits": logits, "targets": targets, "loss": loss, "dlogits": logits.grad,
               "label_smoothing": torch.tensor([smoothing])}
    if weighted:
        tensors["weight"] = weight
    write(name, tensors)


def pooling():
    hidden = randn(2, 4, 3)
    mask = torch.tensor([[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0]], dtype=torch.float64)
    m = mask[:, :, None]
    pooled = {
        "cls": hidden[:, 0],
        "mean": (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9),
        "max": hidden.masked_fill(m == 0, -1e9).max(1).values,  # sentence-transformers' max pooling
    }
    for name, y in pooled.items():
        hidden.grad = None
        write(f"pooling_{name}", {"hidden": hidden, "mask": mask, "y": y} | backward(y, hidden=hidden))


if __name__ == "__main__":
    linear()
    layer_norm()
    activations()
    softmax()
    attention("attention", causal=False)
    attention("attention_causal", causal=True)
    embedding()
    cross_entropy("cross_entropy", 0.0, weighted=False)
    cross_entropy("cross_entropy_smoothed", 0.1, weighted=False)
    cross_entropy("cross_entropy_weighted_smoothed", 0.2, weighted=True)
    pooling()
