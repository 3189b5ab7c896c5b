"""Peer for the models benchmark: the same checkpoint and token batches as bench/Models, run by the PyTorch
implementation of tools/reference/models/hf_bert.py (BertModel with pooler, eval mode, torch.no_grad()).
Prints "sequences_per_second=X peak_rss_mb=Y" (median pass over the batches; VmHWM of this process).

Usage: /usr/bin/python3 bench/peers/torch_models.py DIR [--threads 2] [--warmup 1] [--runs 3]
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "reference", "models"))
import hf_bert  # noqa: E402
import safetensors_io  # noqa: E402


def read_batches(directory):
    batches, rows = [], []
    with open(os.path.join(directory, "inputs.txt")) as f:
        for line in list(f) + [""]:
            if line.strip():
                rows.append([int(v) for v in line.split()])
            elif rows:
                batches.append(torch.tensor(rows))
                rows = []
    return batches


def peak_rss_mb():
    with open("/proc/self/status") as f:
        line = next(l for l in f if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    for name, default in (("threads", 2), ("warmup", 1), ("runs", 3)):
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    with open(os.path.join(args.directory, "config.json")) as f:
        config = json.load(f)
    model = hf_bert.BertModel(config)
    missing, unexpected = model.load_state_dict(safetensors_io.load(os.path.join(args.directory, "model.safetensors")), strict=False)
    assert not missing and not unexpected, (missing, unexpected)
    model.eval()
    batches = read_batches(args.directory)
    masks = [torch.ones_like(ids) for ids in batches]
    types = [torch.zeros_like(ids) for ids in batches]

    def run_all():
        with torch.no_grad():
            for ids, mask, type_ids in zip(batches, masks, types):
                model(ids, mask, type_ids)

    for _ in range(args.warmup):
        run_all()
    seconds = []
    for _ in range(args.runs):
        start = time.perf_counter()
        run_all()
        seconds.append(time.perf_counter() - start)
    sequences = sum(len(ids) for ids in batches)
    print(f"sequences_per_second={sequences / sorted(seconds)[len(seconds) // 2]:.2f} peak_rss_mb={peak_rss_mb():.1f}")


if __name__ == "__main__":
    main()
