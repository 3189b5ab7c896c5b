"""GPT-2 (decoder-only transformer) in PyTorch, written from the Hugging Face `transformers` semantics of
`GPT2LMHeadModel`: module names reproduce Hugging Face's, so `state_dict()` has the exact checkpoint names
(`transformer.h.0.attn.c_attn.weight`, ...), and Conv1D weights are stored (in, out) as Hugging Face stores them.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

IGNORE_INDEX = -100


class Conv1D(nn.Module):
    """y = x · W + b with W stored (in, out): GPT-2's fully connected layer."""

    def __init__(self, nf, nx):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(nx, nf))
        self.bias = nn.Parameter(torch.zeros(nf))

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.shape[-1]), self.weight).reshape(*x.shape[:-1], -1)


def gelu_new(x):
    """The tanh approximation of GELU (`gelu_new`)."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class GPT2Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_head = config["n_head"]
        self.c_attn = Conv1D(3 * config["n_embd"], config["n_embd"])
        self.c_proj = Conv1D(config["n_embd"], config["n_embd"])
        self.attn_dropout = nn.Dropout(config["attn_pdrop"])
        self.resid_dropout = nn.Dropout(config["resid_pdrop"])

    def forward(self, x, additive_mask=None, cache=None):
        """With a cache (a dict, as Hugging Face's layer_past / present), the keys and values of earlier tokens are
        read from it and the new ones appended: the new queries attend to every cached token and causally to themselves."""
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)
        heads = lambda y: y.view(b, t, self.n_head, c // self.n_head).transpose(1, 2)  # noqa: E731
        q, k, v = heads(q), heads(k), heads(v)
        if cache is not None:
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], dim=2), torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        past = k.shape[2] - t
        weights = q @ k.transpose(-1, -2) / math.sqrt(v.shape[-1])
        causal = torch.tril(torch.ones(t, past + t, dtype=torch.bool), diagonal=past)
        weights = torch.where(causal, weights, torch.tensor(torch.finfo(weights.dtype).min, dtype=weights.dtype))
        if additive_mask is not None:
            weights = weights + additive_mask
        self.probabilities = F.softmax(weights, dim=-1)  # what output_attentions=True returns (no dropout in eval)
        weights = self.attn_dropout(self.probabilities)
        context = (weights @ v).transpose(1, 2).reshape(b, t, c)
        return self.resid_dropout(self.c_proj(context))


class GPT2MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        inner = config.get("n_inner") or 4 * config["n_embd"]
        self.c_fc = Conv1D(inner, config["n_embd"])
        self.c_proj = Conv1D(config["n_embd"], inner)
        self.dropout = nn.Dropout(config["resid_pdrop"])

    def forward(self, x):
        return self.dropout(self.c_proj(gelu_new(self.c_fc(x))))


class GPT2Block(nn.Module):
    """Pre-LayerNorm: x + attn(ln_1(x)), then + mlp(ln_2(·))."""

    def __init__(self, config):
        super().__init__()
        eps = config["layer_norm_epsilon"]
        self.ln_1 = nn.LayerNorm(config["n_embd"], eps=eps)
        self.attn = GPT2Attention(config)
        self.ln_2 = nn.LayerNorm(config["n_embd"], eps=eps)
        self.mlp = GPT2MLP(config)

    def forward(self, x, additive_mask=None, cache=None):
        x = x + self.attn(self.ln_1(x), additive_mask, cache)
        return x + self.mlp(self.ln_2(x))


class GPT2Model(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config["vocab_size"], config["n_embd"])
        self.wpe = nn.Embedding(config["n_positions"], config["n_embd"])
        self.drop = nn.Dropout(config["embd_pdrop"])
        self.h = nn.ModuleList([GPT2Block(config) for _ in range(config["n_layer"])])
        self.ln_f = nn.LayerNorm(config["n_embd"], eps=config["layer_norm_epsilon"])

    def forward(self, input_ids, attention_mask=None, position_ids=None, cache=None):
        """With an attention_mask (B, T) of 1 for tokens and 0 for padding, as Hugging Face's GPT-2 for padded batches:
        (1 - mask) * finfo.min added to every row of scores (after the causal `where`). Positions follow the cached
        tokens (0..T-1 without a cache) unless position_ids are given (`generate` passes generation_position_ids(mask)).
        A cache is a list of one dict per block (past_key_values), filled and extended in place."""
        past = cache[0]["k"].shape[2] if cache and "k" in cache[0] else 0
        positions = torch.arange(past, past + input_ids.shape[1])[None, :] if position_ids is None else position_ids
        additive = None
        if attention_mask is not None:
            dtype = self.wte.weight.dtype
            additive = (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min
        x = self.drop(self.wte(input_ids) + self.wpe(positions))
        for i, block in enumerate(self.h):
            x = block(x, additive, None if cache is None else cache[i])
        return self.ln_f(x)


class GPT2LMHeadModel(nn.Module):
    """GPT2Model and an LM head tied to the token embeddings (`lm_head.weight` is `transformer.wte.weight`)."""

    def __init__(self, config):
        super().__init__()
        self.transformer = GPT2Model(config)
        self.lm_head = nn.Linear(config["n_embd"], config["vocab_size"], bias=False)
        self.lm_head.weight = self.transformer.wte.weight

    def forward(self, input_ids, attention_mask=None, position_ids=None, cache=None):
        return self.lm_head(self.transformer(input_ids, attention_mask, position_ids, cache))


def generation_position_ids(attention_mask):
    """The position ids `generate` gives a left-padded batch: cumsum(mask) - 1, padding at 1."""
    return (attention_mask.long().cumsum(-1) - 1).masked_fill(attention_mask == 0, 1)


class GPT2ForSequenceClassification(nn.Module):
    """GPT2Model and `score`, a Linear without bias applied to every hidden state; the logits of each sequence are
    those of its last token before the first pad_token_id (Hugging Face's `argmax(input_ids == pad) - 1`, modulo T, so
    the last token when there is no padding)."""

    def __init__(self, config):
        super().__init__()
        self.pad_token_id = config["pad_token_id"]
        self.transformer = GPT2Model(config)
        self.score = nn.Linear(config["n_embd"], len(config["id2label"]), bias=False)

    def forward(self, input_ids, attention_mask=None):
        logits = self.score(self.transformer(input_ids, attention_mask))
        lengths = (torch.eq(input_ids, self.pad_token_id).int().argmax(-1) - 1) % input_ids.shape[-1]
        return logits[torch.arange(input_ids.shape[0]), lengths]


def causal_lm_loss(logits, labels):
    """GPT2LMHeadModel's loss: token t predicts label t + 1 (shifted inside the model), -100 ignored."""
    shifted = logits[:, :-1, :].reshape(-1, logits.shape[-1])
    return F.cross_entropy(shifted, labels[:, 1:].reshape(-1), ignore_index=IGNORE_INDEX)


def process_logits(scores, previous, repetition_penalty=1.0, temperature=1.0, top_k=0, top_p=1.0):
    """Hugging Face's logits processors and warpers in `generate`'s order: RepetitionPenaltyLogitsProcessor,
    TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper (min_tokens_to_keep = 1); returns the probabilities."""
    scores = scores.clone()
    if repetition_penalty != 1.0:
        ids = torch.tensor(previous)
        chosen = scores[ids]
        scores[ids] = torch.where(chosen < 0, chosen * repetition_penalty, chosen / repetition_penalty)
    if temperature != 1.0:
        scores = scores / temperature
    if top_k > 0:
        k = min(top_k, scores.shape[-1])
        scores = scores.masked_fill(scores < torch.topk(scores, k)[0][-1], -float("inf"))
    if top_p < 1.0:
        sorted_logits, sorted_indices = torch.sort(scores, descending=False)
        cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        remove = cumulative <= (1 - top_p)
        remove[-1:] = False
        scores = scores.masked_fill(remove.scatter(0, sorted_indices, remove), -float("inf"))
    return F.softmax(scores, dim=-1)


def greedy(model, prompt, new_tokens):
    """Greedy decoding by recomputing the whole sequence each step; returns the new ids and the smallest gap between
    the best and second-best logit (how far the choices are from a tie)."""
    ids = list(prompt)
    gap = float("inf")
    with torch.no_grad():
        for _ in range(new_tokens):
            logits = model(torch.tensor([ids]))[0, -1]
            top = torch.topk(logits, 2).values
            gap = min(gap, float(top[0] - top[1]))
            ids.append(int(torch.argmax(logits)))
    return ids[len(prompt):], gap
