"""Peer for the train benchmark: training steps of the same classifier and batch as bench/Train, run as a plain
PyTorch training loop over the model of tools/reference/models/hf_bert.py (BertForSequenceClassification: logits =
classifier(pooler_output); no dropout, as that reference has none and bench/Train sets its dropout to 0):
forward, mean cross-entropy, backward, global-norm clipping at 1.0, AdamW (decoupled weight decay 0.01), zero grads.
Prints "examples_per_second=X" (median over timed runs of --steps steps each, after --warmup steps).

Usage: /usr/bin/python3 bench/peers/torch_train.py DIR [--threads 2] [--warmup 2] [--steps 5] [--runs 3]
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


def read_batch(directory):
    with open(os.path.join(directory, "batch.json")) as f:
        batch = json.load(f)
    return (torch.tensor(batch["input_ids"]), torch.tensor(batch["attention_mask"]),
            torch.tensor(batch["token_type_ids"]), torch.tensor(batch["labels"]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    for name, default in (("threads", 2), ("warmup", 2), ("steps", 5), ("runs", 3)):
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    with open(os.path.join(args.directory, "config.json")) as f:
        config = json.load(f)
    model = hf_bert.BertForSequenceClassification(config)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
    ids, mask, types, labels = read_batch(args.directory)

    def step():
        _, _, logits = model(ids, mask, types)
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)

    for _ in range(args.warmup):
        step()
    seconds = []
    for _ in range(args.runs):
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        seconds.append(time.perf_counter() - start)
    examples = len(labels) * args.steps
    print(f"examples_per_second={examples / sorted(seconds)[len(seconds) // 2]:.2f}")


if __name__ == "__main__":
    main()
