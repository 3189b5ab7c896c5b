"""Reference fixture for AdamW with parameter groups, a warmup-then-decay schedule and global-norm clipping,
computed by torch.optim.AdamW, torch.optim.lr_scheduler.LambdaLR and torch.nn.utils.clip_grad_norm_.

Rerun: /usr/bin/python3 tools/reference/engine/optimizer.py
"""
import math
import os

import torch

from fixture_io import repo_root, save

torch.set_num_threads(2)
STEPS, WARMUP, PEAK_LR, MAX_NORM, WEIGHT_DECAY = 8, 3, 0.05, 1.5, 0.1


def schedule(decay):
    def factor(step):
        if step < WARMUP:
            return step / max(1, WARMUP)
        progress = (step - WARMUP) / max(1, STEPS - WARMUP)
        return max(0.0, 1.0 - progress) if decay == "linear" else max(0.0, 0.5 * (1.0 + math.cos(math.pi * progress)))
    return factor


def run(decay):
    g = torch.Generator().manual_seed(7)
    weight = torch.nn.Parameter(torch.randn(3, 4, generator=g))
    bias = torch.nn.Parameter(torch.randn(4, generator=g))
    tensors = {"weight.initial": weight.detach().clone(), "bias.initial": bias.detach().clone()}
    optimizer = torch.optim.AdamW(
        [{"params": [weight], "weight_decay": WEIGHT_DECAY}, {"params": [bias], "weight_decay": 0.0}],
        lr=PEAK_LR, betas=(0.9, 0.999), eps=1e-8)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule(decay))
    lrs, norms = [], []
    for step in range(STEPS):
        weight.grad = torch.randn(3, 4, generator=g)
        bias.grad = torch.randn(4, generator=g) * 0.5
        tensors[f"weight.grad.{step}"] = weight.grad.clone()
        tensors[f"bias.grad.{step}"] = bias.grad.clone()
        norms.append(float(torch.nn.utils.clip_grad_norm_([weight, bias], MAX_NORM)))
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
        tensors[f"weight.{step}"] = weight.detach().clone()
        tensors[f"bias.{step}"] = bias.detach().clone()
    tensors["learning_rates"] = torch.tensor(lrs, dtype=torch.float64)
    tensors["norms"] = torch.tensor(norms, dtype=torch.float64)
    tensors["settings"] = torch.tensor([STEPS, WARMUP, PEAK_LR, MAX_NORM, WEIGHT_DECAY], dtype=torch.float64)
    save(os.path.join(repo_root(), "tests", "Tensors.Tests", "fixtures", f"adamw_{decay}.json"), tensors)


if __name__ == "__main__":
    run("linear")
    run("cosine")
