"""A PyTorch implementation of the BERT family written from the Hugging Face semantics.

Module attribute names reproduce Hugging Face's, so `state_dict()` has the exact checkpoint names
(`bert.encoder.layer.0.attention.self.query.weight`, `distilbert.transformer.layer.0.q_lin.weight`, ...).
Semantics: exact-erf GELU (or gelu_new / relu), post-LayerNorm layers with `layer_norm_eps`, additive attention mask
with the dtype's minimum, pooler = tanh(dense(hidden[:, 0])), token type embeddings, absolute learned positions,
RoBERTa positions counted over non-padding tokens from `pad_token_id + 1`.
"""
import math

import torch
from torch import nn
import torch.nn.functional as F


def activation(name):
    if name == "gelu":
        return lambda x: F.gelu(x)  # exact erf form
    if name in ("gelu_new", "gelu_pytorch_tanh"):
        return lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))
    if name == "relu":
        return F.relu
    raise ValueError(name)


def additive_mask(attention_mask, dtype):
    """(B, T) of 1/0 -> (B, 1, 1, T) of 0 / dtype minimum, added to the attention scores."""
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


def roberta_position_ids(input_ids, padding_idx):
    """Positions count non-padding tokens from padding_idx + 1; padding tokens get padding_idx."""
    mask = input_ids.ne(padding_idx).int()
    return (torch.cumsum(mask, dim=1) * mask).long() + padding_idx


def sinusoidal_table(positions, dim):
    """The original Transformer's encoding: sin on even channels, cos on odd, frequency 10000^(-2i/dim)."""
    table = torch.zeros(positions, dim, dtype=torch.float64)
    position = torch.arange(positions, dtype=torch.float64)[:, None]
    frequency = torch.pow(10000.0, -torch.arange(0, dim, 2, dtype=torch.float64) / dim)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency)
    return table


class BertEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"], padding_idx=c["pad_token_id"])
        self.sinusoidal = c.get("position_embedding_type", "absolute") == "sinusoidal"
        if not self.sinusoidal:
            # RoBERTa's position table has a padding row too (padding tokens sit at position pad_token_id).
            padding = c["pad_token_id"] if c["model_type"] == "roberta" else None
            self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"], padding_idx=padding)
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, input_ids, token_type_ids):
        if self.c["model_type"] == "roberta":
            position_ids = roberta_position_ids(input_ids, self.c["pad_token_id"])
        else:
            position_ids = torch.arange(input_ids.shape[1])[None, :].expand_as(input_ids)
        if self.sinusoidal:
            table = sinusoidal_table(self.c["max_position_embeddings"], self.c["hidden_size"])
            positions = table.to(self.word_embeddings.weight.dtype)[position_ids]
        else:
            positions = self.position_embeddings(position_ids)
        x = self.word_embeddings(input_ids) + positions + self.token_type_embeddings(token_type_ids)
        return self.LayerNorm(x)


class BertSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c["num_attention_heads"]
        self.query = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.key = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.value = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, x, mask):
        b, t, ch = x.shape
        split = lambda y: y.view(b, t, self.heads, ch // self.heads).transpose(1, 2)  # (B, H, T, D)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(ch // self.heads) + mask  # (B, H, T, T)
        self.probabilities = scores.softmax(-1)  # what output_attentions=True returns (no dropout in eval)
        return (self.probabilities @ v).transpose(1, 2).reshape(b, t, ch)


class BertSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, h, x):
        return self.LayerNorm(self.dense(h) + x)


class BertAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = BertSelfAttention(c)
        self.output = BertSelfOutput(c)

    def forward(self, x, mask):
        return self.output(self.self(x, mask), x)


class BertIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.act = activation(c["hidden_act"])

    def forward(self, x):
        return self.act(self.dense(x))


class BertOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["intermediate_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, h, x):
        return self.LayerNorm(self.dense(h) + x)


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = BertAttention(c)
        self.intermediate = BertIntermediate(c)
        self.output = BertOutput(c)

    def forward(self, x, mask):
        a = self.attention(x, mask)
        return self.output(self.intermediate(a), a)


class BertEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, x, mask):
        for layer in self.layer:
            x = layer(x, mask)
        return x


class BertPooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, h):
        return torch.tanh(self.dense(h[:, 0]))


class BertModel(nn.Module):
    """BertModel / RobertaModel: embeddings, encoder, optional pooler. Returns (last_hidden_state, pooler_output)."""

    def __init__(self, c, add_pooling_layer=True):
        super().__init__()
        self.embeddings = BertEmbeddings(c)
        self.encoder = BertEncoder(c)
        self.pooler = BertPooler(c) if add_pooling_layer else None

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.embeddings(input_ids, token_type_ids)
        h = self.encoder(x, additive_mask(attention_mask, x.dtype))
        return h, (self.pooler(h) if self.pooler is not None else None)


class BertForSequenceClassification(nn.Module):
    """Names `bert.*`, `classifier.*`; logits = classifier(pooler_output)."""

    def __init__(self, c):
        super().__init__()
        self.bert = BertModel(c)
        self.classifier = nn.Linear(c["hidden_size"], len(c["id2label"]))

    def forward(self, input_ids, attention_mask, token_type_ids):
        h, pooled = self.bert(input_ids, attention_mask, token_type_ids)
        return h, pooled, self.classifier(pooled)


class RobertaClassificationHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.out_proj = nn.Linear(c["hidden_size"], len(c["id2label"]))

    def forward(self, h):
        return self.out_proj(torch.tanh(self.dense(h[:, 0])))


class RobertaForSequenceClassification(nn.Module):
    """Names `roberta.*` (no pooler), `classifier.dense.*`, `classifier.out_proj.*`."""

    def __init__(self, c):
        super().__init__()
        self.roberta = BertModel(c, add_pooling_layer=False)
        self.classifier = RobertaClassificationHead(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        h, _ = self.roberta(input_ids, attention_mask, token_type_ids)
        return h, None, self.classifier(h)


class BertPredictionHeadTransform(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.act = activation(c["hidden_act"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, h):
        return self.LayerNorm(self.act(self.dense(h)))


class BertLMPredictionHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.transform = BertPredictionHeadTransform(c)
        self.bias = nn.Parameter(torch.zeros(c["vocab_size"]))


class BertOnlyMLMHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.predictions = BertLMPredictionHead(c)


class BertForMaskedLM(nn.Module):
    """Names `bert.*` (no pooler), `cls.predictions.*`; the decoder is tied to the word embeddings."""

    def __init__(self, c):
        super().__init__()
        self.bert = BertModel(c, add_pooling_layer=False)
        self.cls = BertOnlyMLMHead(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        h, _ = self.bert(input_ids, attention_mask, token_type_ids)
        p = self.cls.predictions
        logits = p.transform(h) @ self.bert.embeddings.word_embeddings.weight.T + p.bias  # (B, T, V)
        return h, None, logits


class RobertaLMHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.layer_norm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.bias = nn.Parameter(torch.zeros(c["vocab_size"]))


class RobertaForMaskedLM(nn.Module):
    """Names `roberta.*` (no pooler), `lm_head.*`; exact GELU whatever hidden_act says; tied decoder."""

    def __init__(self, c):
        super().__init__()
        self.roberta = BertModel(c, add_pooling_layer=False)
        self.lm_head = RobertaLMHead(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        h, _ = self.roberta(input_ids, attention_mask, token_type_ids)
        x = self.lm_head.layer_norm(F.gelu(self.lm_head.dense(h)))
        return h, None, x @ self.roberta.embeddings.word_embeddings.weight.T + self.lm_head.bias


# DistilBERT: its own names, no token types, no pooler; the same post-LayerNorm layer.
class DistilEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["dim"], padding_idx=c["pad_token_id"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["dim"])
        self.LayerNorm = nn.LayerNorm(c["dim"], eps=1e-12)

    def forward(self, input_ids):
        positions = torch.arange(input_ids.shape[1])[None, :]
        return self.LayerNorm(self.word_embeddings(input_ids) + self.position_embeddings(positions))


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c["n_heads"]
        self.q_lin, self.k_lin, self.v_lin, self.out_lin = (nn.Linear(c["dim"], c["dim"]) for _ in range(4))

    def forward(self, x, attention_mask):
        b, t, ch = x.shape
        split = lambda y: y.view(b, t, self.heads, ch // self.heads).transpose(1, 2)  # (B, H, T, D)
        q = split(self.q_lin(x)) / math.sqrt(ch // self.heads)
        scores = q @ split(self.k_lin(x)).transpose(-1, -2)  # (B, H, T, T)
        scores = scores.masked_fill((attention_mask == 0)[:, None, None, :], torch.finfo(scores.dtype).min)
        self.probabilities = scores.softmax(-1)  # what output_attentions=True returns (no dropout in eval)
        context = (self.probabilities @ split(self.v_lin(x))).transpose(1, 2).reshape(b, t, ch)
        return self.out_lin(context)


class FFN(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.lin1 = nn.Linear(c["dim"], c["hidden_dim"])
        self.lin2 = nn.Linear(c["hidden_dim"], c["dim"])
        self.act = activation(c["activation"])

    def forward(self, x):
        return self.lin2(self.act(self.lin1(x)))


class TransformerBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = MultiHeadSelfAttention(c)
        self.sa_layer_norm = nn.LayerNorm(c["dim"], eps=1e-12)
        self.ffn = FFN(c)
        self.output_layer_norm = nn.LayerNorm(c["dim"], eps=1e-12)

    def forward(self, x, attention_mask):
        a = self.sa_layer_norm(self.attention(x, attention_mask) + x)
        return self.output_layer_norm(self.ffn(a) + a)


class Transformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([TransformerBlock(c) for _ in range(c["n_layers"])])


class DistilBertModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = DistilEmbeddings(c)
        self.transformer = Transformer(c)

    def forward(self, input_ids, attention_mask):
        x = self.embeddings(input_ids)
        for layer in self.transformer.layer:
            x = layer(x, attention_mask)
        return x


class DistilBertForSequenceClassification(nn.Module):
    """Names `distilbert.*`, `pre_classifier.*`, `classifier.*`; logits from relu(pre_classifier(hidden[:, 0]))."""

    def __init__(self, c):
        super().__init__()
        self.distilbert = DistilBertModel(c)
        self.pre_classifier = nn.Linear(c["dim"], c["dim"])
        self.classifier = nn.Linear(c["dim"], len(c["id2label"]))

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.distilbert(input_ids, attention_mask)
        return h, None, self.classifier(F.relu(self.pre_classifier(h[:, 0])))


class VocabProjectorBias(nn.Module):
    """The untied part of DistilBERT's vocab_projector (its weight is the word embeddings)."""

    def __init__(self, c):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(c["vocab_size"]))


class DistilBertForMaskedLM(nn.Module):
    """Names `distilbert.*`, `vocab_transform.*`, `vocab_layer_norm.*`, `vocab_projector.bias` (weight tied)."""

    def __init__(self, c):
        super().__init__()
        self.distilbert = DistilBertModel(c)
        self.vocab_transform = nn.Linear(c["dim"], c["dim"])
        self.act = activation(c["activation"])
        self.vocab_layer_norm = nn.LayerNorm(c["dim"], eps=1e-12)
        self.vocab_projector = VocabProjectorBias(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.distilbert(input_ids, attention_mask)
        x = self.vocab_layer_norm(self.act(self.vocab_transform(h)))
        return h, None, x @ self.distilbert.embeddings.word_embeddings.weight.T + self.vocab_projector.bias
