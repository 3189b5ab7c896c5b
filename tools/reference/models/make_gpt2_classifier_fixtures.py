"""Writes tests/Models.Tests/fixtures/gpt2-tiny-classifier: a random-weight GPT2ForSequenceClassification checkpoint in
Hugging Face layout (config.json with id2label and pad_token_id, model.safetensors with transformer.* and score.weight),
a right-padded batch with labels (inputs.json), and what the PyTorch reference (hf_gpt2.py) computes from it in float64
from the float32 weights (expected.safetensors: logits, loss, grad.<parameter> for every parameter).

Run from the repository root: /usr/bin/python3 tools/reference/models/make_gpt2_classifier_fixtures.py
"""
import copy
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import hf_gpt2  # noqa: E402
import make_gpt2_fixtures  # noqa: E402
import safetensors_io  # noqa: E402

OUT = os.path.join("tests", "Models.Tests", "fixtures", "gpt2-tiny-classifier")
SEED = 20250219
CONFIG = dict(make_gpt2_fixtures.CONFIG, architectures=["GPT2ForSequenceClassification"], pad_token_id=63,
              id2label={"0": "negative", "1": "neutral", "2": "positive"},
              label2id={"negative": 0, "neutral": 1, "positive": 2})
LENGTHS = [9, 6, 4]
LABELS = [2, 0, 1]


def main():
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    os.makedirs(OUT, exist_ok=True)
    model = hf_gpt2.GPT2ForSequenceClassification(CONFIG)
    make_gpt2_fixtures.randomize(model, generator)
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2)
    safetensors_io.save(os.path.join(OUT, "model.safetensors"), {k: v.float() for k, v in model.state_dict().items()}, {"format": "pt"})

    longest = max(LENGTHS)
    ids = torch.full((len(LENGTHS), longest), CONFIG["pad_token_id"])
    mask = torch.zeros((len(LENGTHS), longest), dtype=torch.long)
    for row, length in enumerate(LENGTHS):
        ids[row, :length] = torch.randint(0, CONFIG["vocab_size"] - 1, (length,), generator=generator)  # no pad id in the text
        mask[row, :length] = 1
    labels = torch.tensor(LABELS)
    with open(os.path.join(OUT, "inputs.json"), "w") as f:
        json.dump({"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "labels": LABELS}, f)

    reference = copy.deepcopy(model).double().eval()
    logits = reference(ids, mask)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    expected = {"logits": logits, "loss": loss.reshape(1)}
    for k, p in reference.named_parameters():
        expected["grad." + k] = p.grad
    safetensors_io.save(os.path.join(OUT, "expected.safetensors"), {k: v.float() for k, v in expected.items()})
    print(f"logits {logits.tolist()}, loss {loss.item():.6f}")


if __name__ == "__main__":
    main()
