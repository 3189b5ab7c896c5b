"""Writes tests/Models.Tests/fixtures/attention: what Hugging Face returns with output_attentions=True (each layer's
attention probabilities, (B, H, T, T), padding keys at 0), computed in float64 by the PyTorch references (hf_bert.py,
hf_gpt2.py) from the float32 weights of the committed model fixtures on their committed inputs, and from the real
all-MiniLM-L6-v2 weights (the shared checkpoint folder, given as the first argument) on one sentence.

Run from the repository root:
    /usr/bin/python3 tools/reference/models/make_attention_fixtures.py ../shared/models/all-MiniLM-L6-v2
Files: attentions.safetensors (<fixture>.layer.<i> for bert-tiny, roberta, distilbert, gpt2-tiny and minilm-real),
minilm-real.json (the sentence, its tokens and ids; the test checks our tokenizer gives the same ids).
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import hf_bert  # noqa: E402
import hf_gpt2  # noqa: E402
import safetensors_io  # noqa: E402

FIXTURES = os.path.join("tests", "Models.Tests", "fixtures")
OUT = os.path.join(FIXTURES, "attention")
SENTENCE = "The cat sat on the mat."
# The sentence as BERT's uncased WordPiece splits it: lower case, punctuation apart; every piece is a whole word of
# the vocabulary (checked below), so no WordPiece splitting is involved.
PIECES = ["[CLS]", "the", "cat", "sat", "on", "the", "mat", ".", "[SEP]"]

ENCODERS = {
    "bert-tiny": hf_bert.BertForSequenceClassification,
    "roberta": hf_bert.RobertaForSequenceClassification,
    "distilbert": hf_bert.DistilBertForSequenceClassification,
}


def read_json(folder, name):
    with open(os.path.join(folder, name)) as f:
        return json.load(f)


def load(model, folder):
    """Loads every parameter (a tied GPT-2 head is saved without its own weight) in float64, in eval mode."""
    missing, _ = model.load_state_dict(safetensors_io.load(os.path.join(folder, "model.safetensors")), strict=False)
    assert missing in ([], ["lm_head.weight"]), f"{folder}: missing {missing}"
    return model.double().eval()


def attention_modules(model):
    """The modules that record `probabilities`, in layer order."""
    return [m for m in model.modules() if isinstance(m, (hf_bert.BertSelfAttention, hf_bert.MultiHeadSelfAttention,
                                                          hf_gpt2.GPT2Attention))]


def record(expected, name, model):
    for i, module in enumerate(attention_modules(model)):
        expected[f"{name}.layer.{i}"] = module.probabilities


def minilm_real(expected, checkpoint):
    with open(os.path.join(checkpoint, "vocab.txt")) as f:
        vocabulary = {token: i for i, token in enumerate(f.read().splitlines())}
    assert SENTENCE.lower().replace(".", " .").split() == PIECES[1:-1]
    ids = [vocabulary[p] for p in PIECES]
    config = read_json(checkpoint, "config.json")
    model = load(hf_bert.BertModel(config), checkpoint)
    ids_tensor = torch.tensor([ids])
    with torch.no_grad():
        model(ids_tensor, torch.ones_like(ids_tensor), torch.zeros_like(ids_tensor))
    record(expected, "minilm-real", model)
    with open(os.path.join(OUT, "minilm-real.json"), "w") as f:
        json.dump({"text": SENTENCE, "tokens": PIECES, "input_ids": ids}, f, indent=1)


def main():
    torch.set_grad_enabled(False)
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    for name, cls in ENCODERS.items():
        folder = os.path.join(FIXTURES, name)
        model = load(cls(read_json(folder, "config.json")), folder)
        inputs = read_json(folder, "inputs.json")
        model(*(torch.tensor(inputs[k]) for k in ("input_ids", "attention_mask", "token_type_ids")))
        record(expected, name, model)
    folder = os.path.join(FIXTURES, "gpt2-tiny")
    gpt2 = load(hf_gpt2.GPT2LMHeadModel(read_json(folder, "config.json")), folder)
    gpt2(torch.tensor(read_json(folder, "inputs.json")["input_ids"]))
    record(expected, "gpt2-tiny", gpt2)
    minilm_real(expected, sys.argv[1])
    safetensors_io.save(os.path.join(OUT, "attentions.safetensors"), {k: v.float() for k, v in expected.items()})


if __name__ == "__main__":
    main()
