"""Peer for the pretrain benchmark: masked-LM training steps (forward, backward, AdamW) of the same config.json in
PyTorch, with the reference BertForMaskedLM of tools/reference/models/hf_bert.py (Hugging Face semantics, decoder
tied to the word embeddings), on a random batch with 15 % of the tokens labelled. Prints
"step_seconds=X tokens_per_second=Y" (median over the timed steps, after one warm-up step).

Usage: /usr/bin/python3 bench/peers/torch_mlm.py CONFIG.json [--batch 32] [--tokens 128] [--steps 5] [--threads 2]
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "reference", "models"))
import hf_bert  # noqa: E402

SPECIALS = 5


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(7)
    with open(args.config) as f:
        config = json.load(f)
    model = hf_bert.BertForMaskedLM(config)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    ids = torch.randint(SPECIALS, config["vocab_size"], (args.batch, args.tokens))
    labels = torch.where(torch.rand(args.batch, args.tokens) < 0.15, ids, torch.full_like(ids, -100))
    mask = torch.ones_like(ids)
    types = torch.zeros_like(ids)
    times = []
    for step in range(args.steps + 1):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=False)
        _, _, logits = model(ids, mask, types)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)
        loss.backward()
        optimizer.step()
        if step > 0:
            times.append(time.perf_counter() - start)
    median = sorted(times)[len(times) // 2]
    print(f"step_seconds={median:.4f} tokens_per_second={args.batch * args.tokens / median:.1f}")


if __name__ == "__main__":
    main()
