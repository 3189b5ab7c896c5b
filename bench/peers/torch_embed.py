"""Peer for the embed benchmark: the PyTorch reference encoder (tools/reference/models/hf_bert.py) with mean pooling
and L2 normalisation in PyTorch, over the same length-sorted batches as ours (batches.txt of bench/Embed prepare).

  /usr/bin/python3 bench/peers/torch_embed.py DIR --threads 2 [--warmup 1] [--runs 3]
      times the batches, writes DIR/torch.f32 (rows in input order); last line
      "sentences_per_second=X peak_rss_mb=Y".
  /usr/bin/python3 bench/peers/torch_embed.py DIR --export-onnx FILE
      writes the same model (ids, mask, type ids -> normalised embedding) as ONNX with torch.onnx.export.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "reference", "models"))
import hf_bert  # noqa: E402
import safetensors_io  # noqa: E402


class SentenceEmbedding(torch.nn.Module):
    """Encoder, mean pooling over real tokens, L2 normalisation (all-MiniLM-L6-v2's modules)."""

    def __init__(self, config):
        super().__init__()
        self.encoder = hf_bert.BertModel(config, add_pooling_layer=False)

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden, _ = self.encoder(input_ids, attention_mask, token_type_ids)  # (B, T, C)
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)  # (B, T, 1)
        pooled = (hidden * mask).sum(1) / mask.sum(1)  # (B, C)
        return F.normalize(pooled, dim=1)


def load(directory):
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    model = SentenceEmbedding(config)
    weights = safetensors_io.load(os.path.join(directory, "model.safetensors"))
    # all-MiniLM-L6-v2's checkpoint carries a pooler its sentence embeddings do not use.
    weights = {name: tensor for name, tensor in weights.items() if not name.startswith("pooler.")}
    missing, unexpected = model.encoder.load_state_dict(weights, strict=False)
    assert not missing and not unexpected, (missing, unexpected)
    return model.eval()


def read_batches(directory):
    """[(input indices, ids (B, T) padded with 0, mask (B, T))] in file order."""
    batches, rows = [], []
    with open(os.path.join(directory, "batches.txt")) as f:
        for line in list(f) + [""]:
            if line.strip():
                values = [int(v) for v in line.split()]
                rows.append((values[0], values[1:]))
                continue
            if not rows:
                continue
            width = max(len(ids) for _, ids in rows)
            ids = torch.zeros(len(rows), width, dtype=torch.long)
            mask = torch.zeros(len(rows), width, dtype=torch.long)
            for r, (_, row) in enumerate(rows):
                ids[r, :len(row)] = torch.tensor(row)
                mask[r, :len(row)] = 1
            batches.append(([i for i, _ in rows], ids, mask))
            rows = []
    return batches


def peak_rss_mb():
    with open("/proc/self/status") as f:
        return int(next(l for l in f if l.startswith("VmHWM:")).split()[1]) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--export-onnx")
    for name, default in (("threads", 2), ("warmup", 1), ("runs", 3)):
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = load(args.directory)
    batches = read_batches(args.directory)

    if args.export_onnx:
        _, ids, mask = batches[0]
        torch.onnx.export(model, (ids, mask, torch.zeros_like(ids)), args.export_onnx, opset_version=14,
                          input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["embedding"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                        "token_type_ids": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}})
        return

    count = sum(len(indices) for indices, _, _ in batches)

    def run_all():
        out = [None] * count
        with torch.no_grad():
            for indices, ids, mask in batches:
                vectors = model(ids, mask, torch.zeros_like(ids))
                for r, i in enumerate(indices):
                    out[i] = vectors[r]
        return out

    vectors = None
    for _ in range(args.warmup):
        vectors = run_all()
    np.stack([v.numpy() for v in vectors]).astype(np.float32).tofile(os.path.join(args.directory, "torch.f32"))
    seconds = []
    for _ in range(args.runs):
        start = time.perf_counter()
        run_all()
        seconds.append(time.perf_counter() - start)
    print(f"sentences_per_second={count / sorted(seconds)[len(seconds) // 2]:.1f} peak_rss_mb={peak_rss_mb():.1f}")


if __name__ == "__main__":
    main()
