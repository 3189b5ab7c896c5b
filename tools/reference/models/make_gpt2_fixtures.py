"""Writes tests/Models.Tests/fixtures/gpt2-tiny: a random-weight GPT2LMHeadModel checkpoint in Hugging Face layout and
what the PyTorch reference (hf_gpt2.py) computes from it, in float64 from the float32 weights.

Run from the repository root: /usr/bin/python3 tools/reference/models/make_gpt2_fixtures.py
Files: config.json, model.safetensors (F32, saved as Hugging Face saves a tied GPT-2: without lm_head.weight),
inputs.json (input_ids, labels), expected.safetensors (logits, loss, grad.<parameter> for every parameter),
generation.json (greedy tokens of a prompt; probabilities after the logits processors for several settings),
batched.json (prompts of different lengths left-padded into one batch with an attention mask: the logits of the
padded batch and each prompt's greedy tokens alone).
"""
import copy
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import hf_gpt2  # noqa: E402
import safetensors_io  # noqa: E402

OUT = os.path.join("tests", "Models.Tests", "fixtures", "gpt2-tiny")
SEED = 20250218
CONFIG = {
    "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": 64, "n_positions": 16, "n_embd": 24,
    "n_layer": 2, "n_head": 3, "n_inner": None, "activation_function": "gelu_new", "resid_pdrop": 0.1,
    "embd_pdrop": 0.1, "attn_pdrop": 0.1, "layer_norm_epsilon": 1e-5, "initializer_range": 0.02,
    "bos_token_id": 63, "eos_token_id": 63, "tie_word_embeddings": True,
}
PROMPT = [5, 17, 42, 8, 30]
NEW_TOKENS = 10
BATCHED_PROMPTS = [[5, 17, 42, 8, 30], [11, 2], [7, 19, 33, 4, 50, 23, 9]]
BATCHED_NEW_TOKENS = 8
SETTINGS = [
    {"repetition_penalty": 1.3},
    {"temperature": 0.7},
    {"top_k": 5},
    {"top_p": 0.8},
    {"repetition_penalty": 1.2, "temperature": 0.8, "top_k": 10, "top_p": 0.9},
]


def randomize(model, generator):
    """Weights of a scale that keeps every activation O(1): normal/sqrt(fan-in) for Conv1D (in, out), LayerNorm near
    1; small token embeddings (0.2) and large position embeddings (1.5) so that greedy decoding does not just repeat
    the last token (the LM head is tied to the token embeddings) and depends on the positions."""
    for name, p in model.named_parameters():
        with torch.no_grad():
            if ".ln_" in name:
                base = 1.0 if name.endswith("weight") else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=generator))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=generator))
            elif ".wte." in name:
                p.copy_(0.2 * torch.randn(p.shape, generator=generator))
            elif ".wpe." in name:
                p.copy_(1.5 * torch.randn(p.shape, generator=generator))
            else:
                p.copy_(torch.randn(p.shape, generator=generator) / p.shape[0] ** 0.5)


def main():
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    os.makedirs(OUT, exist_ok=True)
    model = hf_gpt2.GPT2LMHeadModel(CONFIG)
    randomize(model, generator)
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2)
    weights = {k: v.float() for k, v in model.state_dict().items() if k != "lm_head.weight"}
    safetensors_io.save(os.path.join(OUT, "model.safetensors"), weights, {"format": "pt"})

    ids = torch.randint(0, CONFIG["vocab_size"], (2, 9), generator=generator)
    labels = ids.clone()
    labels[1, 6:] = hf_gpt2.IGNORE_INDEX
    inputs = {"input_ids": ids.tolist(), "labels": labels.tolist()}
    with open(os.path.join(OUT, "inputs.json"), "w") as f:
        json.dump(inputs, f)

    reference = copy.deepcopy(model).double().eval()
    logits = reference(ids)
    loss = hf_gpt2.causal_lm_loss(logits, labels)
    loss.backward()
    expected = {"logits": logits, "loss": loss.reshape(1)}
    for k, p in reference.named_parameters():
        expected["grad." + k] = p.grad
    safetensors_io.save(os.path.join(OUT, "expected.safetensors"), {k: v.float() for k, v in expected.items()})

    tokens, gap = hf_gpt2.greedy(reference, PROMPT, NEW_TOKENS)
    assert gap > 1e-3, f"greedy choices too close to a tie ({gap})"
    with torch.no_grad():
        last = reference(torch.tensor([PROMPT]))[0, -1]
    processed = [dict(s, probabilities=hf_gpt2.process_logits(last, PROMPT, **s).tolist()) for s in SETTINGS]
    generation = {"prompt": PROMPT, "greedy": tokens, "smallest_greedy_gap": gap, "logits": last.tolist(),
                  "processed": processed}
    with open(os.path.join(OUT, "generation.json"), "w") as f:
        json.dump(generation, f, indent=1)
    print(f"greedy {tokens}, smallest gap {gap:.4f}, loss {loss.item():.6f}")
    write_batched(reference)


def write_batched(reference):
    """Left-padded prompts (padding id eos, mask 0) through the masked reference, and each prompt's greedy tokens alone."""
    longest = max(len(p) for p in BATCHED_PROMPTS)
    pad = CONFIG["eos_token_id"]
    ids = torch.tensor([[pad] * (longest - len(p)) + p for p in BATCHED_PROMPTS])
    mask = torch.tensor([[0] * (longest - len(p)) + [1] * len(p) for p in BATCHED_PROMPTS])
    with torch.no_grad():
        logits = reference(ids, mask, hf_gpt2.generation_position_ids(mask))
    alone = [hf_gpt2.greedy(reference, p, BATCHED_NEW_TOKENS) for p in BATCHED_PROMPTS]
    gap = min(g for _, g in alone)
    assert gap > 1e-3, f"greedy choices too close to a tie ({gap})"
    batched = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "logits": logits.tolist(),
               "greedy": [t for t, _ in alone], "smallest_greedy_gap": gap}
    with open(os.path.join(OUT, "batched.json"), "w") as f:
        json.dump(batched, f)
    print(f"batched greedy {batched['greedy']}, smallest gap {gap:.4f}")


if __name__ == "__main__":
    main()
