"""Peer for the gpt benchmark, in PyTorch with the reference GPT2LMHeadModel of tools/reference/models/hf_gpt2.py
(Hugging Face semantics) on the same config.json:

  step CONFIG [--batch 8] [--tokens 256] [--steps 5] [--threads 2]
      causal-LM training steps (forward, shifted cross-entropy, backward, AdamW) on a random batch, no dropout;
      prints "step_seconds=X tokens_per_second=Y" (median over the timed steps, after one warm-up step).
  generate CONFIG [--batch 1] [--prompt 32] [--new 64] [--threads 2]
      greedy generation from random prompts with the key/value cache (past_key_values): the prompt in one forward
      pass, then one token per pass; prints "seconds=X tokens_per_second=Y" (new tokens of the whole batch per second,
      median of 3 runs after a warm-up run).
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "reference", "models"))
import hf_gpt2  # noqa: E402


def model_of(path, dropout):
    with open(path) as f:
        config = json.load(f)
    if not dropout:
        config.update(resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    model = hf_gpt2.GPT2LMHeadModel(config)
    for name, p in model.named_parameters():  # GPT-2's initialisation (values do not change the timing)
        with torch.no_grad():
            if ".ln_" in name or name.startswith("transformer.ln_f"):
                p.fill_(1.0 if name.endswith("weight") else 0.0)
            elif name.endswith("bias"):
                p.zero_()
            else:
                p.normal_(0.0, config.get("initializer_range", 0.02))
    return model, config


def step(args):
    model, config = model_of(args.config, dropout=False)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    ids = torch.randint(0, config["vocab_size"], (args.batch, args.tokens))
    times = []
    for i in range(args.steps + 1):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=False)
        loss = hf_gpt2.causal_lm_loss(model(ids), ids)
        loss.backward()
        optimizer.step()
        if i > 0:
            times.append(time.perf_counter() - start)
    median = sorted(times)[len(times) // 2]
    print(f"step_seconds={median:.4f} tokens_per_second={args.batch * args.tokens / median:.1f}")


def generate(args):
    model, config = model_of(args.config, dropout=False)
    model.eval()
    prompts = torch.randint(0, config["vocab_size"], (args.batch, args.prompt))

    def run():
        cache = [{} for _ in model.transformer.h]
        with torch.no_grad():
            logits = model(prompts, cache=cache)[:, -1]
            for _ in range(args.new):
                logits = model(torch.argmax(logits, dim=-1, keepdim=True), cache=cache)[:, -1]

    run()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    median = sorted(times)[1]
    print(f"seconds={median:.4f} tokens_per_second={args.batch * args.new / median:.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["step", "generate"])
    parser.add_argument("config")
    parser.add_argument("--batch", type=int, default=None)
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--prompt", type=int, default=32)
    parser.add_argument("--new", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(7)
    if args.command == "step":
        args.batch = args.batch or 8
        step(args)
    else:
        args.batch = args.batch or 1
        generate(args)


if __name__ == "__main__":
    main()
