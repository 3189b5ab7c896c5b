"""Reference fixtures for the recurrent kernels: PyTorch's nn.LSTM and nn.GRU over padded batches of variable length
(pack_padded_sequence), one and two bidirectional layers, and additive (Bahdanau) attention pooling. Each file holds
the inputs, the lengths, every weight under PyTorch's name, the padded outputs and final states, the upstream
gradients ("dy" for the outputs, "dh_n" for the last layer's final hidden states) and the gradients of the input and every weight.
Computed in double precision from float32 values.

Rerun: /usr/bin/python3 tools/reference/engine/recurrent.py
"""
import os

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from fixture_io import repo_root, save

torch.set_num_threads(2)
g = torch.Generator().manual_seed(2025)
BATCH, STEPS, INPUT, HIDDEN = 3, 6, 5, 4
LENGTHS = [6, 3, 1]


def randn(*shape, scale=1.0):
    return (torch.randn(*shape, generator=g, dtype=torch.float64) * scale).float().double().requires_grad_()


def recurrent(kind, layers, directory):
    module = getattr(torch.nn, kind)(INPUT, HIDDEN, num_layers=layers, bidirectional=True, batch_first=True).double()
    with torch.no_grad():
        for p in module.parameters():
            p.copy_((torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.5).float().double())
    x = randn(BATCH, STEPS, INPUT)
    lengths = torch.tensor(LENGTHS)
    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    out, state = module(packed)
    y, _ = pad_packed_sequence(out, batch_first=True, total_length=STEPS)  # (B, T, 2H), zeros at padding
    h_n = (state[0] if kind == "LSTM" else state)[-2:]  # (2, B, H): the last layer's final states, both directions
    dy = torch.randn(y.shape, generator=g, dtype=torch.float64).float().double()
    dh_n = torch.randn(h_n.shape, generator=g, dtype=torch.float64).float().double()
    ((y * dy).sum() + (h_n * dh_n).sum()).backward()
    tensors = {"x": x, "lengths": lengths.double(), "y": y, "h_n": h_n, "dy": dy, "dh_n": dh_n, "dx": x.grad}
    for name, p in module.named_parameters():
        tensors[name] = p
        tensors[f"d{name}"] = p.grad
    save(os.path.join(directory, f"{kind.lower()}_{layers}layer.json"), tensors)


def additive_attention(directory):
    """context = Σ_t α_t h_t, α = softmax over each sequence's positions of vᵀ tanh(W h_t + b)."""
    width, size = 6, 5
    h, w, b, v = randn(BATCH, STEPS, width), randn(size, width, scale=0.5), randn(size, scale=0.5), randn(size)
    scores = torch.tanh(h @ w.T + b) @ v  # (B, T)
    valid = torch.arange(STEPS)[None, :] < torch.tensor(LENGTHS)[:, None]
    alpha = torch.softmax(scores.masked_fill(~valid, float("-inf")), dim=-1)
    context = (alpha[:, :, None] * h).sum(dim=1)  # (B, D)
    dcontext = torch.randn(context.shape, generator=g, dtype=torch.float64).float().double()
    context.backward(dcontext)
    save(os.path.join(directory, "additive_attention.json"), {
        "h": h, "lengths": torch.tensor(LENGTHS).double(), "weight": w, "bias": b, "query": v, "attention": alpha,
        "context": context, "dcontext": dcontext, "dh": h.grad, "dweight": w.grad, "dbias": b.grad, "dquery": v.grad})


if __name__ == "__main__":
    out = os.path.join(repo_root(), "tests", "Tensors.Tests", "fixtures")
    for kind in ("LSTM", "GRU"):
        for layers in (1, 2):
            recurrent(kind, layers, out)
    additive_attention(out)
