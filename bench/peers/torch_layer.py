"""Peer for the engine-layer benchmark: one BERT-base encoder layer (post-LayerNorm, exact GELU, dropout 0.1) in
PyTorch, the same shapes as bench/EngineLayer. Prints "forward_seconds=X step_seconds=Y" (medians): an inference
forward under torch.no_grad() in eval mode, and a training forward + backward.

Usage: /usr/bin/python3 bench/peers/torch_layer.py [--batch 32] [--tokens 128] [--threads 2] [--warmup 2] [--runs 5]
"""
import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BertLayer(nn.Module):
    def __init__(self, hidden=768, heads=12, intermediate=3072, dropout=0.1, eps=1e-12):
        super().__init__()
        self.heads, self.head_size = heads, hidden // heads
        self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))
        self.attention_output = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Linear(hidden, intermediate)
        self.output = nn.Linear(intermediate, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=eps)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, additive_mask):
        b, t, c = x.shape

        def heads(v):  # (B, T, C) -> (B, H, T, D)
            return v.view(b, t, self.heads, self.head_size).transpose(1, 2)

        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_size) + additive_mask
        probabilities = self.dropout(torch.softmax(scores, dim=-1))
        context = (probabilities @ v).transpose(1, 2).reshape(b, t, c)
        a = self.attention_norm(self.dropout(self.attention_output(context)) + x)
        h = F.gelu(self.intermediate(a))
        return self.output_norm(self.dropout(self.output(h)) + a)


def median_seconds(action, warmup, runs):
    for _ in range(warmup):
        action()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return sorted(seconds)[len(seconds) // 2]


def main():
    parser = argparse.ArgumentParser()
    for name, default in (("batch", 32), ("tokens", 128), ("threads", 2), ("warmup", 2), ("runs", 5)):
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    layer = BertLayer()
    x = torch.randn(args.batch, args.tokens, 768)
    mask = torch.ones(args.batch, args.tokens)
    additive_mask = ((1.0 - mask) * torch.finfo(torch.float32).min)[:, None, None, :]
    upstream = torch.randn(args.batch, args.tokens, 768)

    def forward():
        layer.eval()
        with torch.no_grad():
            layer(x, additive_mask)

    def step():
        layer.train()
        layer.zero_grad(set_to_none=False)
        layer(x, additive_mask).backward(upstream)

    print(f"forward_seconds={median_seconds(forward, args.warmup, args.runs):.4f} "
          f"step_seconds={median_seconds(step, args.warmup, args.runs):.4f}")


if __name__ == "__main__":
    main()
