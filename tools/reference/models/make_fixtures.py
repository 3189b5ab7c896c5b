"""Writes the model fixtures of tests/Models.Tests/fixtures: random-weight checkpoints in Hugging Face layout and
what the PyTorch reference (hf_bert.py) computes from them, in float64 from the float32 weights.

Run from the repository root: /usr/bin/python3 tools/reference/models/make_fixtures.py
Each fixture folder: config.json, model.safetensors (F32 weights), inputs.json, expected.safetensors
(last_hidden_state, pooler_output, logits, loss, grad.<parameter> for every parameter).
"""
import copy
import json
import os
import pickle
import shutil
import sys
import zipfile

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import deterministic_weights  # noqa: E402
import hf_bert  # noqa: E402
import safetensors_io  # noqa: E402

OUT = os.path.join("tests", "Models.Tests", "fixtures")
SEED = 20241125
MINILM_WEIGHT_SEED = 1234
IGNORE_INDEX = -100
GRADIENT_SAMPLES = 64

BERT_TINY = {
    "architectures": ["BertForSequenceClassification"], "model_type": "bert", "vocab_size": 1000,
    "hidden_size": 128, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 512,
    "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
    "max_position_embeddings": 64, "type_vocab_size": 2, "initializer_range": 0.02, "layer_norm_eps": 1e-12,
    "pad_token_id": 0, "position_embedding_type": "absolute",
    "id2label": {"0": "negative", "1": "neutral", "2": "positive"},
    "label2id": {"negative": 0, "neutral": 1, "positive": 2},
}
BERT_TINY_MLM = dict(BERT_TINY, architectures=["BertForMaskedLM"], hidden_size=64, intermediate_size=128,
                     hidden_act="gelu_new", vocab_size=300, layer_norm_eps=1e-6)
ROBERTA = {
    "architectures": ["RobertaForSequenceClassification"], "model_type": "roberta", "vocab_size": 1000,
    "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128,
    "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
    "max_position_embeddings": 24, "type_vocab_size": 1, "initializer_range": 0.02, "layer_norm_eps": 1e-5,
    "pad_token_id": 1, "bos_token_id": 0, "eos_token_id": 2, "position_embedding_type": "absolute",
    "id2label": {"0": "LABEL_0", "1": "LABEL_1"}, "label2id": {"LABEL_0": 0, "LABEL_1": 1},
}
ROBERTA_MLM = dict(ROBERTA, architectures=["RobertaForMaskedLM"], vocab_size=300, hidden_act="gelu_new")
DISTILBERT = {
    "architectures": ["DistilBertForSequenceClassification"], "model_type": "distilbert", "vocab_size": 1000,
    "dim": 64, "n_layers": 2, "n_heads": 4, "hidden_dim": 128, "activation": "relu", "dropout": 0.1,
    "attention_dropout": 0.1, "max_position_embeddings": 32, "initializer_range": 0.02, "pad_token_id": 0,
    "sinusoidal_pos_embds": False, "seq_classif_dropout": 0.2, "qa_dropout": 0.1,
    "id2label": {"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2", "3": "LABEL_3"},
    "label2id": {"LABEL_0": 0, "LABEL_1": 1, "LABEL_2": 2, "LABEL_3": 3},
}

DISTILBERT_MLM = dict(DISTILBERT, architectures=["DistilBertForMaskedLM"], vocab_size=300, activation="gelu")


def randomize(model, generator):
    """Weights of a scale that keeps every activation O(1): normal/sqrt(fan-in) for Linear, LayerNorm near 1."""
    for name, p in model.named_parameters():
        with torch.no_grad():
            if "LayerNorm" in name or "layer_norm" in name:
                base = 1.0 if name.endswith("weight") else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=generator))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=generator))
            elif "embeddings" in name:
                p.copy_(0.5 * torch.randn(p.shape, generator=generator))
            else:
                p.copy_(torch.randn(p.shape, generator=generator) / p.shape[1] ** 0.5)


def make_inputs(config, generator, batch, length, lengths, mlm=False):
    """Token ids with [CLS]-like first token and right padding, token types, attention mask, labels."""
    vocab, pad = config["vocab_size"], config["pad_token_id"]
    ids = torch.randint(3, vocab, (batch, length), generator=generator)
    ids[ids == pad] = pad + 1 if pad + 1 < vocab else pad - 1
    mask = torch.zeros(batch, length, dtype=torch.long)
    types = torch.zeros(batch, length, dtype=torch.long)
    for b, n in enumerate(lengths):
        mask[b, :n] = 1
        ids[b, n:] = pad
        if config.get("type_vocab_size", 0) > 1:
            types[b, n // 2:n] = 1
    if mlm:
        labels = torch.full((batch, length), IGNORE_INDEX, dtype=torch.long)
        for b, n in enumerate(lengths):
            chosen = torch.randperm(n - 1, generator=generator)[: max(2, n // 4)] + 1
            labels[b, chosen] = ids[b, chosen]
        labels_list = labels.tolist()
    else:
        labels_list = torch.randint(0, len(config["id2label"]), (batch,), generator=generator).tolist()
    return {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "token_type_ids": types.tolist(),
            "labels": labels_list}


def save_fixture(name, config, model, inputs, loss_fn, extra=None):
    """Saves config, F32 weights, inputs, and the float64 reference outputs and gradients."""
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(folder, "inputs.json"), "w") as f:
        json.dump(inputs, f)
    weights = {k: v.float() for k, v in model.state_dict().items()}
    safetensors_io.save(os.path.join(folder, "model.safetensors"), weights, {"format": "pt"})

    reference = copy.deepcopy(model).double()
    ids = torch.tensor(inputs["input_ids"])
    mask = torch.tensor(inputs["attention_mask"])
    types = torch.tensor(inputs["token_type_ids"])
    hidden, pooled, logits = reference(ids, mask, types)
    loss = loss_fn(logits, torch.tensor(inputs["labels"]))
    loss.backward()
    expected = {"last_hidden_state": hidden, "loss": loss.reshape(1)}
    if pooled is not None:
        expected["pooler_output"] = pooled
    expected["logits"] = logits
    expected.update(extra(hidden, mask) if extra else {})
    for k, p in reference.named_parameters():
        expected["grad." + k] = p.grad
    safetensors_io.save(os.path.join(folder, "expected.safetensors"), {k: v.float() for k, v in expected.items()})
    return folder


def poolings(hidden, mask):
    """The sentence-transformers poolings of (B, T, C) states over a (B, T) mask, and their L2-normalised forms."""
    m = mask[:, :, None].to(hidden.dtype)
    count = m.sum(1)
    result = {
        "pool.cls": hidden[:, 0],
        "pool.mean": (hidden * m).sum(1) / count,
        "pool.max": hidden.masked_fill(m == 0, -1e9).max(1).values,
        "pool.mean_sqrt_len": (hidden * m).sum(1) / count.sqrt(),
    }
    result["pool.mean.normalized"] = F.normalize(result["pool.mean"], dim=1)
    return result


def classification_loss(logits, labels):
    return F.cross_entropy(logits, labels)


def mlm_loss(logits, labels):
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE_INDEX)


def minilm_weights(model):
    """Fills a BertModel with tests/Models.Tests/DeterministicWeights values (reproduced there bit for bit)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(torch.from_numpy(deterministic_minilm(name, list(p.shape))).reshape(p.shape))


def deterministic_minilm(name, shape):
    count = int(np.prod(shape))
    if name.endswith("LayerNorm.weight"):
        return np.float32(1) + deterministic_weights.uniform(name, count, MINILM_WEIGHT_SEED, 0.1)
    if name.endswith("bias") or name.endswith("LayerNorm.bias"):
        return deterministic_weights.uniform(name, count, MINILM_WEIGHT_SEED, 0.1)
    if "embeddings" in name:
        return deterministic_weights.uniform(name, count, MINILM_WEIGHT_SEED, 0.5)
    return deterministic_weights.uniform(name, count, MINILM_WEIGHT_SEED, (3.0 / shape[1]) ** 0.5)


def make_minilm(generator):
    """The real all-MiniLM-L6-v2 config (vocabulary 30522), weights from the deterministic generator (not committed):
    forward outputs, mean-pooled normalised sentence embeddings, and for every parameter the gradient of
    loss = sum(hidden * R1) + sum(pooled * R2) through its norm, its largest magnitude, a projection on a seeded
    direction and 64 sampled elements (indices in gradient_samples.json)."""
    folder = os.path.join(OUT, "minilm")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    model = hf_bert.BertModel(config)
    minilm_weights(model)
    inputs = make_inputs(dict(config, id2label={"0": "a"}), generator, 2, 16, [16, 9])
    for row in inputs["input_ids"]:
        row[0] = 101
    inputs["labels"] = []
    with open(os.path.join(folder, "inputs.json"), "w") as f:
        json.dump(inputs, f)
    with open(os.path.join(folder, "parameters.json"), "w") as f:
        json.dump([{"name": k, "shape": list(v.shape)} for k, v in model.named_parameters()], f, indent=1)

    reference = model.double()
    ids, mask, types = (torch.tensor(inputs[k]) for k in ("input_ids", "attention_mask", "token_type_ids"))
    hidden, pooled = reference(ids, mask, types)
    upstream_hidden = torch.randn(hidden.shape, generator=generator, dtype=torch.float64)
    upstream_pooled = torch.randn(pooled.shape, generator=generator, dtype=torch.float64)
    ((hidden * upstream_hidden).sum() + (pooled * upstream_pooled).sum()).backward()
    expected = {"last_hidden_state": hidden, "pooler_output": pooled,
                "upstream.last_hidden_state": upstream_hidden, "upstream.pooler_output": upstream_pooled}
    expected.update(poolings(hidden, mask))
    samples = {}
    for name, p in reference.named_parameters():
        direction = torch.from_numpy(deterministic_weights.uniform("projection." + name, p.numel(), MINILM_WEIGHT_SEED, 1.0))
        gradient = p.grad.reshape(-1)
        expected["grad_norm." + name] = gradient.norm().reshape(1)
        expected["grad_max_abs." + name] = gradient.abs().max().reshape(1)
        expected["grad_projection." + name] = (gradient * direction.double()).sum().reshape(1)
        samples[name] = sample_indices(gradient, generator)
        expected["grad_sample." + name] = gradient[samples[name]]
    safetensors_io.save(os.path.join(folder, "expected.safetensors"), {k: v.float() for k, v in expected.items()})
    with open(os.path.join(folder, "gradient_samples.json"), "w") as f:
        json.dump(samples, f)


def sample_indices(gradient, generator, count=GRADIENT_SAMPLES):
    """Flat indices of gradient elements to compare one by one, drawn among the nonzero ones (a word embedding's
    gradient is zero outside the rows of the batch's tokens)."""
    nonzero = torch.nonzero(gradient).reshape(-1)
    pool = nonzero if len(nonzero) > 0 else torch.arange(len(gradient))
    chosen = torch.randperm(len(pool), generator=generator)[:count]
    return sorted(pool[chosen].tolist())


def make_tied_bin(mlm_folder, folder):
    """A BertForMaskedLM state dict as `save_pretrained(safe_serialization=False)` writes it: the tied decoder weight
    and bias stored as views of the word embeddings' and the prediction bias's storages."""
    weights = safetensors_io.load(os.path.join(mlm_folder, "model.safetensors"))
    weights["cls.predictions.decoder.weight"] = weights["bert.embeddings.word_embeddings.weight"]
    weights["cls.predictions.decoder.bias"] = weights["cls.predictions.bias"]
    os.makedirs(folder, exist_ok=True)
    shutil.copy(os.path.join(mlm_folder, "config.json"), folder)
    torch.save(weights, os.path.join(folder, "pytorch_model.bin"))


def make_io_fixtures(roberta_folder, generator):
    """Other checkpoint layouts of the RoBERTa weights (pytorch_model.bin, two safetensors shards),
    F16/BF16 values, and a pickle that names a forbidden global."""
    weights = safetensors_io.load(os.path.join(roberta_folder, "model.safetensors"))
    folder = os.path.join(OUT, "checkpoints")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    torch.save(weights, os.path.join(folder, "pytorch_model.bin"))

    names = list(weights)
    shards = {"model-00001-of-00002.safetensors": names[: len(names) // 2],
              "model-00002-of-00002.safetensors": names[len(names) // 2:]}
    for file, members in shards.items():
        safetensors_io.save(os.path.join(folder, file), {k: weights[k] for k in members})
    index = {"metadata": {"total_size": sum(w.numel() * 4 for w in weights.values())},
             "weight_map": {k: file for file, members in shards.items() for k in members}}
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump(index, f, indent=2)

    values = torch.cat([torch.randn(60, generator=generator) * 3, torch.tensor([0.0, -0.0, 65504.0, 1e-7, -2.5])])
    half, brain = values.half(), values.bfloat16()
    safetensors_io.save(os.path.join(folder, "dtypes.safetensors"), {
        "values.f16": half, "values.bf16": brain, "values.f64": values.double(),
        "values.f16.as_f32": half.float(), "values.bf16.as_f32": brain.float(), "values.f64.as_f32": values.double().float(),
        "position_ids": torch.arange(5).reshape(1, 5)})

    # torch.save layout of a state dict holding one value whose unpickling would call os.getcwd.
    class Exploit:
        def __reduce__(self):
            return (os.getcwd, ())

    fixed_time = (2020, 1, 1, 0, 0, 0)  # so reruns write identical bytes
    with zipfile.ZipFile(os.path.join(folder, "malicious.bin"), "w") as archive:
        payload = pickle.dumps({"embeddings.word_embeddings.weight": Exploit()}, protocol=2)
        archive.writestr(zipfile.ZipInfo("malicious/data.pkl", fixed_time), payload)
        archive.writestr(zipfile.ZipInfo("malicious/version", fixed_time), "3\n")


def main():
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    torch.set_num_threads(2)
    specs = [
        ("bert-tiny", BERT_TINY, hf_bert.BertForSequenceClassification, classification_loss, [12, 7], poolings),
        ("roberta", ROBERTA, hf_bert.RobertaForSequenceClassification, classification_loss, [10, 6], None),
        ("distilbert", DISTILBERT, hf_bert.DistilBertForSequenceClassification, classification_loss, [9, 5], None),
        ("bert-tiny-mlm", BERT_TINY_MLM, hf_bert.BertForMaskedLM, mlm_loss, [10, 8], None),
        ("roberta-mlm", ROBERTA_MLM, hf_bert.RobertaForMaskedLM, mlm_loss, [11, 7], None),
        ("distilbert-mlm", DISTILBERT_MLM, hf_bert.DistilBertForMaskedLM, mlm_loss, [9, 6], None),
    ]
    folders = {}
    for name, config, model_type, loss, lengths, extra in specs:
        model = model_type(config)
        randomize(model, generator)
        inputs = make_inputs(config, generator, len(lengths), max(lengths), lengths, mlm=loss is mlm_loss)
        folders[name] = save_fixture(name, config, model, inputs, loss, extra)
    make_minilm(generator)
    make_io_fixtures(folders["roberta"], generator)
    make_tied_bin(folders["bert-tiny-mlm"], os.path.join(OUT, "checkpoints", "mlm-tied-bin"))


if __name__ == "__main__":
    main()
