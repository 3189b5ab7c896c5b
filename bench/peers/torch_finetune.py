"""Peer for the finetune benchmark: replays bench/FineTune's run in PyTorch with the reference
BertForSequenceClassification (tools/reference/models/hf_bert.py; no dropout, as ours runs with dropout 0): the same
starting weights (init.safetensors), the same batches in the same order and the same learning rate at every step
(plan.json), mean cross-entropy, global-norm clipping, torch.optim.AdamW with the same decayed parameters and settings;
the dev set scored after the same steps, the best weights (higher accuracy, ties to lower loss) kept and scored on test.

Usage: /usr/bin/python3 bench/peers/torch_finetune.py WORK
Last line: "test_accuracy=A dev_accuracy=D best_step=S steps=N examples_per_second=E" (seconds exclude scoring).
"""
import copy
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "reference", "models"))
import hf_bert  # noqa: E402
import safetensors_io  # noqa: E402


def read_set(path):
    """[(label, [ids])] of a "label id id ..." file."""
    with open(path) as f:
        rows = [[int(v) for v in line.split()] for line in f if line.strip()]
    return [(row[0], row[1:]) for row in rows]


def pad(rows, pad_id):
    """ids (B, T) padded with pad_id, attention mask (B, T), token types (B, T) of zeros."""
    width = max(len(ids) for ids in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros(len(rows), width, dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, :len(row)] = torch.tensor(row)
        mask[i, :len(row)] = 1
    return ids, mask, torch.zeros_like(ids)


@torch.no_grad()
def score(model, examples, batch_size, pad_id):
    """(accuracy, mean loss) over batches of similar lengths (sorted by length, then index, as ours)."""
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i][1]), i))
    correct, loss = 0, 0.0
    for start in range(0, len(order), batch_size):
        chunk = [examples[i] for i in order[start:start + batch_size]]
        labels = torch.tensor([label for label, _ in chunk])
        _, _, logits = model(*pad([ids for _, ids in chunk], pad_id))
        loss += F.cross_entropy(logits, labels, reduction="sum").item()
        correct += (logits.argmax(-1) == labels).sum().item()
    return correct / len(examples), loss / len(examples)


def main():
    work = sys.argv[1]
    with open(os.path.join(work, "plan.json")) as f:
        plan = json.load(f)
    with open(os.path.join(work, "config.json")) as f:
        config = json.load(f)
    torch.set_num_threads(plan["threads"])
    train, dev, test = (read_set(os.path.join(work, f"{name}.txt")) for name in ("train", "dev", "test"))
    pad_id = config.get("pad_token_id", 0)

    model = hf_bert.BertForSequenceClassification(config)
    missing, unexpected = model.load_state_dict(safetensors_io.load(os.path.join(work, "init.safetensors")), strict=False)
    assert not missing and not unexpected, (missing, unexpected)
    decayed = set(plan["decayed"])
    named = list(model.named_parameters())
    optimizer = torch.optim.AdamW(
        [{"params": [p for n, p in named if n in decayed], "weight_decay": plan["weight_decay"]},
         {"params": [p for n, p in named if n not in decayed], "weight_decay": 0.0}],
        lr=0.0, betas=(plan["beta1"], plan["beta2"]), eps=plan["epsilon"])
    validate_after = set(plan["validate_after"])

    best, best_step, best_state = None, None, None
    training_seconds, examples = 0.0, 0
    for step, (batch, rate) in enumerate(zip(plan["batches"], plan["learning_rates"]), start=1):
        start = time.perf_counter()
        model.train()
        labels = torch.tensor([train[i][0] for i in batch])
        _, _, logits = model(*pad([train[i][1] for i in batch], pad_id))
        F.cross_entropy(logits, labels).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), plan["max_gradient_norm"])
        for group in optimizer.param_groups:
            group["lr"] = rate
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)
        training_seconds += time.perf_counter() - start
        examples += len(batch)
        if step in validate_after:
            model.eval()
            accuracy, loss = score(model, dev, plan["scoring_batch_size"], pad_id)
            print(f"step {step}: dev accuracy {accuracy:.4f}, loss {loss:.4f}", file=sys.stderr, flush=True)
            if best is None or accuracy > best[0] or (accuracy == best[0] and loss < best[1]):
                best, best_step, best_state = (accuracy, loss), step, copy.deepcopy(model.state_dict())
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    test_accuracy, _ = score(model, test, plan["scoring_batch_size"], pad_id)
    print(f"test_accuracy={test_accuracy:.4f} dev_accuracy={best[0]:.4f} best_step={best_step} "
          f"steps={len(plan['batches'])} examples_per_second={examples / training_seconds:.1f}")


if __name__ == "__main__":
    main()
