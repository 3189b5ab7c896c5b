"""Loads a checkpoint directory written by `mlnet-transformers pretrain` into the PyTorch reference BertForMaskedLM
(tools/reference/models/hf_bert.py, whose module names are Hugging Face's) with load_state_dict(strict=True), the
pooler dropped as Hugging Face's BertForMaskedLM drops it, and fills the masks of a text tokenized by the
checkpoint's vocab.txt (whitespace-separated words that are whole vocabulary entries, or [MASK]).

Usage: /usr/bin/python3 tools/reference/pretraining/check_checkpoint.py DIR ["the president of the united [MASK]"]
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "models"))
import hf_bert  # noqa: E402
import safetensors_io  # noqa: E402


def main():
    directory = sys.argv[1]
    text = sys.argv[2] if len(sys.argv) > 2 else None
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    assert config["architectures"] == ["BertForMaskedLM"], config.get("architectures")
    weights = safetensors_io.load(os.path.join(directory, "model.safetensors"))
    weights = {k: v for k, v in weights.items() if not k.startswith("bert.pooler.")}
    model = hf_bert.BertForMaskedLM(config)
    model.load_state_dict(weights, strict=True)
    model.eval()
    print(f"loaded {len(weights)} tensors strictly into BertForMaskedLM")
    if text is None:
        return
    with open(os.path.join(directory, "vocab.txt")) as f:
        vocab = [line.rstrip("\n") for line in f]
    ids = {token: i for i, token in enumerate(vocab)}
    tokens = ["[CLS]"] + text.lower().split() + ["[SEP]"]
    input_ids = torch.tensor([[ids.get(t, ids["[UNK]"]) if t != "[mask]" else ids["[MASK]"] for t in tokens]])
    with torch.no_grad():
        _, _, logits = model(input_ids, torch.ones_like(input_ids), torch.zeros_like(input_ids))
    for position in (input_ids[0] == ids["[MASK]"]).nonzero().flatten().tolist():
        probabilities = torch.softmax(logits[0, position], dim=-1)
        top = torch.topk(probabilities, 5)
        print("  ".join(f"{vocab[i]} {p:.4f}" for p, i in zip(top.values.tolist(), top.indices.tolist())))


if __name__ == "__main__":
    main()
