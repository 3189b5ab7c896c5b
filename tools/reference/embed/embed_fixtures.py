"""Writes tests/Transforms.Tests/fixtures/embed: a tiny random BERT checkpoint in sentence-transformers layout
(vocab.txt, config.json, model.safetensors, modules.json, 1_Pooling, 2_Normalize, sentence_bert_config.json),
texts, and the sentence embeddings the PyTorch reference (tools/reference/models/hf_bert.py) computes for them:
every pooling mode, with and without L2 normalisation, truncated and in sliding windows, plus text pairs.

Run from the repository root: /usr/bin/python3 tools/reference/embed/embed_fixtures.py
It also writes the all-MiniLM-L6-v2 case (the real config, the shared folder's vocabulary beside the checkout, the
deterministic weights of tools/reference/models), whose weights the tests rebuild instead of reading a committed file.
Each sequence is encoded on its own (no padding), in float64 from the float32 weights; the tests batch and pad,
so a padding leak shows. Tokenization is whitespace splitting over a vocabulary holding every word (lower-case
words without punctuation are single WordPiece tokens), [CLS] text [SEP] (+ pair [SEP]).
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(__file__)
sys.path.insert(0, os.path.join(HERE, "..", "models"))
import hf_bert  # noqa: E402
import safetensors_io  # noqa: E402
from make_fixtures import minilm_weights, randomize  # noqa: E402  (tools/reference/models)

OUT = os.path.join("tests", "Transforms.Tests", "fixtures", "embed")
SEED = 20261130
MAX_SEQ_LENGTH = 16
WINDOW_OVERLAP = 4
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = ("the a movie film was is very not good bad great awful plot actors story slow fast funny sad long short "
         "and but it this that i liked loved hated scenes music ending boring brilliant dull script").split()
CONFIG = {
    "architectures": ["BertModel"], "model_type": "bert", "vocab_size": len(SPECIALS) + len(WORDS),
    "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64,
    "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
    "max_position_embeddings": 40, "type_vocab_size": 2, "initializer_range": 0.02, "layer_norm_eps": 1e-12,
    "pad_token_id": 0, "position_embedding_type": "absolute",
}
POOLINGS = ["cls", "mean", "max", "mean_sqrt_len"]
# The all-MiniLM-L6-v2 case: the real config and the shared vocabulary (lower-case words that are whole WordPiece
# tokens), the deterministic weights the tests reproduce (tests/Common/DeterministicWeights.cs).
MINILM_CONFIG = os.path.join("tests", "Models.Tests", "fixtures", "minilm", "config.json")
MINILM_VOCAB = os.path.join("..", "shared", "models", "all-MiniLM-L6-v2-no-weights", "vocab.txt")
MINILM_TEXTS = ["a good movie", "the plot was slow and the actors were bored", "i loved this film",
                "it is not funny at all", "great music but the ending was too long", "bored"]


def texts(generator):
    """Short, medium and long texts (the long ones exceed MAX_SEQ_LENGTH: truncated or windowed)."""
    lengths = [1, 3, 5, 8, 2, 13, 14, 15, 20, 29, 36, 4, 9, 33]
    return [" ".join(WORDS[i] for i in torch.randint(0, len(WORDS), (n,), generator=generator).tolist()) for n in lengths]


WORD_BASE = {w: len(SPECIALS) + i for i, w in enumerate(WORDS)}
CLS, SEP = SPECIALS.index("[CLS]"), SPECIALS.index("[SEP]")


def pool(hidden, mode):
    """The sentence-transformers pooling of one unpadded sequence's states (T, C)."""
    if mode == "cls":
        return hidden[0]
    if mode == "max":
        return hidden.max(0).values
    total = hidden.sum(0)
    count = hidden.shape[0]
    return total / count if mode == "mean" else total / count ** 0.5


def encode(model, ids, types=None):
    ids_t = torch.tensor([ids])
    types_t = torch.tensor([types if types is not None else [0] * len(ids)])
    hidden, _ = model(ids_t, torch.ones_like(ids_t), types_t)
    return hidden[0]


def truncated(model, text, mode):
    content = [WORD_BASE[w] for w in text.split()][: MAX_SEQ_LENGTH - 2]
    return pool(encode(model, [CLS] + content + [SEP]), mode)


def windowed(model, text, mode):
    """Windows of MAX_SEQ_LENGTH - 2 text tokens sharing WINDOW_OVERLAP tokens, means weighted by window length."""
    content = [WORD_BASE[w] for w in text.split()]
    width = MAX_SEQ_LENGTH - 2
    vectors, weights, start = [], [], 0
    while True:
        stop = min(start + width, len(content))
        window = [CLS] + content[start:stop] + [SEP]
        vectors.append(pool(encode(model, window), mode))
        weights.append(len(window))
        if stop == len(content):
            break
        start += width - WINDOW_OVERLAP
    w = torch.tensor(weights, dtype=torch.float64)
    return (torch.stack(vectors) * w[:, None]).sum(0) / w.sum()


def pair(model, text, second, mode):
    """A pair within the length limit: [CLS] a [SEP] b [SEP], type ids 0 then 1."""
    a = [WORD_BASE[w] for w in text.split()]
    b = [WORD_BASE[w] for w in second.split()]
    ids = [CLS] + a + [SEP] + b + [SEP]
    types = [0] * (len(a) + 2) + [1] * (len(b) + 1)
    return pool(encode(model, ids, types), mode)


def minilm_embeddings():
    """Mean-pooled, normalised embeddings of MINILM_TEXTS, each sequence on its own: [CLS] words [SEP]."""
    with open(MINILM_CONFIG) as f:
        config = json.load(f)
    with open(MINILM_VOCAB) as f:
        vocab = {token: i for i, token in enumerate(f.read().split("\n"))}
    model = hf_bert.BertModel(config)
    minilm_weights(model)
    model = model.double().eval()
    vectors = []
    for text in MINILM_TEXTS:
        ids = [vocab["[CLS]"]] + [vocab[w] for w in text.split()] + [vocab["[SEP]"]]
        vectors.append(pool(encode(model, ids), "mean"))
    return F.normalize(torch.stack(vectors), dim=1)


def write_checkpoint(model):
    os.makedirs(os.path.join(OUT, "1_Pooling"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "2_Normalize"), exist_ok=True)
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2)
    with open(os.path.join(OUT, "vocab.txt"), "w") as f:
        f.write("\n".join(SPECIALS + WORDS) + "\n")
    weights = {k: v.float() for k, v in model.state_dict().items()}
    safetensors_io.save(os.path.join(OUT, "model.safetensors"), weights, {"format": "pt"})
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    with open(os.path.join(OUT, "modules.json"), "w") as f:
        json.dump(modules, f, indent=2)
    with open(os.path.join(OUT, "sentence_bert_config.json"), "w") as f:
        json.dump({"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False}, f, indent=2)
    pooling = {"word_embedding_dimension": CONFIG["hidden_size"], "pooling_mode_cls_token": False,
               "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
               "pooling_mode_mean_sqrt_len_tokens": False}
    with open(os.path.join(OUT, "1_Pooling", "config.json"), "w") as f:
        json.dump(pooling, f, indent=2)
    with open(os.path.join(OUT, "2_Normalize", ".gitkeep"), "w") as f:
        f.write("")


def main():
    generator = torch.Generator().manual_seed(SEED)
    model = hf_bert.BertModel(CONFIG, add_pooling_layer=False)
    randomize(model, generator)
    model.eval()
    write_checkpoint(model)
    sentences = texts(generator)
    seconds = texts(generator)[:6]
    with open(os.path.join(OUT, "texts.txt"), "w") as f:
        f.write("\n".join(sentences) + "\n")
    pairs = [(a, b) for a, b in zip(sentences[:6], seconds) if len(a.split()) + len(b.split()) + 3 <= MAX_SEQ_LENGTH]

    reference = model.double()
    expected = {}
    with torch.no_grad():
        for mode in POOLINGS:
            for kind, embed in (("truncate", truncated), ("window", windowed)):
                vectors = torch.stack([embed(reference, t, mode) for t in sentences])
                expected[f"{kind}.{mode}"] = vectors
                expected[f"{kind}.{mode}.normalized"] = F.normalize(vectors, dim=1)
            vectors = torch.stack([pair(reference, a, b, mode) for a, b in pairs])
            expected[f"pair.{mode}"] = vectors
        expected["minilm.mean.normalized"] = minilm_embeddings()
    safetensors_io.save(os.path.join("tests", "Transforms.Tests", "fixtures", "embed-expected.safetensors"),
                        {k: v.float() for k, v in expected.items()})
    with open(os.path.join("tests", "Transforms.Tests", "fixtures", "embed-cases.json"), "w") as f:
        json.dump({"max_seq_length": MAX_SEQ_LENGTH, "window_overlap": WINDOW_OVERLAP,
                   "texts": sentences, "pairs": [[a, b] for a, b in pairs], "minilm_texts": MINILM_TEXTS}, f, indent=1)


if __name__ == "__main__":
    main()
