"""Reference fixtures for the BERT encoder layer (post-LayerNorm), forward and backward, written with plain torch.

Each case stores the layer's parameters under their Hugging Face names, the input hidden states and attention mask,
the output, an upstream gradient, and the gradients of the input and of every parameter (prefixed "grad."). Dropout
is off (masks cannot match across implementations); dropout is tested by its own identities on the .NET side.

Rerun: /usr/bin/python3 tools/reference/engine/encoder_layer.py
"""
import math
import os

import torch
import torch.nn.functional as F

from fixture_io import repo_root, save

torch.set_num_threads(2)

ACTIVATIONS = {
    "gelu": lambda x: F.gelu(x),
    "gelu_new": lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0)))),
    "relu": F.relu,
}


def parameters(hidden, intermediate, generator):
    def dense(name, out_features, in_features):
        return {
            f"{name}.weight": torch.randn(out_features, in_features, generator=generator) * 0.2,
            f"{name}.bias": torch.randn(out_features, generator=generator) * 0.1,
        }

    def norm(name, width):
        return {
            f"{name}.weight": 1.0 + 0.1 * torch.randn(width, generator=generator),
            f"{name}.bias": 0.1 * torch.randn(width, generator=generator),
        }

    p = {}
    for proj in ("query", "key", "value"):
        p.update(dense(f"attention.self.{proj}", hidden, hidden))
    p.update(dense("attention.output.dense", hidden, hidden))
    p.update(norm("attention.output.LayerNorm", hidden))
    p.update(dense("intermediate.dense", intermediate, hidden))
    p.update(dense("output.dense", hidden, intermediate))
    p.update(norm("output.LayerNorm", hidden))
    return {k: v.double().requires_grad_() for k, v in p.items()}


def layer(p, x, mask, heads, act, eps, causal):
    b, t, c = x.shape
    d = c // heads

    def linear(name, v):
        return F.linear(v, p[f"{name}.weight"], p[f"{name}.bias"])

    def split(v):  # (B, T, C) -> (B, H, T, D)
        return v.view(b, t, heads, d).transpose(1, 2)

    q, k, v = (split(linear(f"attention.self.{n}", x)) for n in ("query", "key", "value"))
    allowed = mask[:, None, None, :].expand(b, 1, t, t).clone()
    if causal:
        allowed = allowed * torch.tril(torch.ones(t, t, dtype=x.dtype))
    additive = (1.0 - allowed) * torch.finfo(torch.float32).min
    scores = q @ k.transpose(-1, -2) / math.sqrt(d) + additive
    context = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, c)
    a = F.layer_norm(linear("attention.output.dense", context) + x, (c,),
                     p["attention.output.LayerNorm.weight"], p["attention.output.LayerNorm.bias"], eps)
    h = ACTIVATIONS[act](linear("intermediate.dense", a))
    return F.layer_norm(linear("output.dense", h) + a, (c,),
                        p["output.LayerNorm.weight"], p["output.LayerNorm.bias"], eps)


def case(name, seed, batch, tokens, hidden, heads, intermediate, act, eps, causal, lengths):
    g = torch.Generator().manual_seed(seed)
    p = parameters(hidden, intermediate, g)
    x = torch.randn(batch, tokens, hidden, generator=g).double().requires_grad_()
    mask = torch.zeros(batch, tokens, dtype=torch.float64)
    for i, n in enumerate(lengths):
        mask[i, :n] = 1.0
    out = layer(p, x, mask, heads, act, eps, causal)
    upstream = torch.randn(out.shape, generator=g).double()
    (out * upstream).sum().backward()
    tensors = {k: v for k, v in p.items()}
    tensors.update({"input": x, "attention_mask": mask, "output": out, "grad.output": upstream, "grad.input": x.grad})
    tensors.update({f"grad.{k}": v.grad for k, v in p.items()})
    tensors["config"] = torch.tensor([hidden, heads, intermediate, eps, float(causal)])
    path = os.path.join(repo_root(), "tests", "Models.Tests", "fixtures", "layers", f"{name}.json")
    save(path, {k: v.float() for k, v in tensors.items()} | {"config": tensors["config"]})


if __name__ == "__main__":
    case("encoder_layer_gelu", 1, batch=2, tokens=5, hidden=16, heads=4, intermediate=32, act="gelu",
         eps=1e-12, causal=False, lengths=[5, 3])
    case("encoder_layer_gelu_new_causal", 2, batch=2, tokens=4, hidden=12, heads=3, intermediate=20, act="gelu_new",
         eps=1e-5, causal=True, lengths=[4, 2])
    case("encoder_layer_relu", 3, batch=3, tokens=3, hidden=8, heads=2, intermediate=16, act="relu",
         eps=1e-6, causal=False, lengths=[3, 3, 1])
