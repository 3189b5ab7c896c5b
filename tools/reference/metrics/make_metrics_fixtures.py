#!/usr/bin/python3
"""Writes the metrics fixtures of tests/Data.Tests: random scored rows and scikit-learn's metrics on them.

Scores and probabilities are float32 (what a pipeline produces) and the metrics are computed on exactly those
values in float64, so the .NET evaluators must agree to 1e-9. Rerun: /usr/bin/python3 tools/reference/metrics/make_metrics_fixtures.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "Data.Tests", "fixtures", "metrics")


def f32(values):
    return np.asarray(values, dtype=np.float32).astype(np.float64)


def binary_case(rng, n):
    labels = rng.random(n) < 0.4
    # Scores rounded to one decimal: many ties, which ROC AUC and average precision must group.
    scores = f32(np.round(rng.normal(labels * 1.2, 1.0), 1))
    probabilities = f32(1 / (1 + np.exp(-scores)))
    probabilities[:3] = [0.0, 1.0, 1.0]  # clipped by log_loss
    predicted = probabilities >= 0.5
    predicted[rng.random(n) < 0.05] ^= True
    prior = labels.mean()
    return {
        "label": labels.tolist(), "score": scores.tolist(), "probability": probabilities.tolist(),
        "predicted": predicted.tolist(),
        "expected": {
            "accuracy": metrics.accuracy_score(labels, predicted),
            "auc": metrics.roc_auc_score(labels, scores),
            "average_precision": metrics.average_precision_score(labels, scores),
            "positive_precision": metrics.precision_score(labels, predicted, zero_division=0),
            "positive_recall": metrics.recall_score(labels, predicted),
            "negative_precision": metrics.precision_score(~labels, ~predicted, zero_division=0),
            "negative_recall": metrics.recall_score(~labels, ~predicted),
            "f1": metrics.f1_score(labels, predicted),
            "log_loss": metrics.log_loss(labels, probabilities),
            "entropy": metrics.log_loss(labels, np.full(n, prior)),
            "confusion": metrics.confusion_matrix(labels, predicted, labels=[False, True]).tolist(),
        },
    }


def multiclass_case(rng, n, k):
    labels = rng.integers(0, k, n)
    labels[:k] = np.arange(k)  # every class has rows
    logits = rng.normal(0, 1, (n, k)) + 1.5 * np.eye(k)[labels]
    scores = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    scores = f32(scores)
    scores[0, labels[0]] = 0.0  # a zero probability for the true class: clipped
    predicted = scores[:, : k - 1].argmax(axis=1)  # the last class is never predicted: zero precision
    probabilities = np.clip(scores, np.finfo(np.float64).eps, 1 - np.finfo(np.float64).eps)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    row_loss = -np.log(probabilities[np.arange(n), labels])
    priors = np.bincount(labels, minlength=k) / n
    precision, recall, f1, _ = metrics.precision_recall_fscore_support(labels, predicted, labels=range(k), zero_division=0)
    return {
        "classes": k, "label": labels.tolist(), "score": scores.tolist(), "predicted": predicted.tolist(),
        "expected": {
            "micro_accuracy": metrics.accuracy_score(labels, predicted),
            "macro_accuracy": metrics.balanced_accuracy_score(labels, predicted),
            "log_loss": metrics.log_loss(labels, scores, labels=range(k)),
            "prior_log_loss": metrics.log_loss(labels, np.tile(priors, (n, 1)), labels=range(k)),
            "per_class_log_loss": [row_loss[labels == c].mean() for c in range(k)],
            "precision": precision.tolist(), "recall": recall.tolist(), "f1": f1.tolist(),
            "confusion": metrics.confusion_matrix(labels, predicted, labels=range(k)).tolist(),
        },
    }


def main():
    rng = np.random.default_rng(20251125)
    os.makedirs(OUT, exist_ok=True)
    cases = {"binary.json": binary_case(rng, 400), "multiclass.json": multiclass_case(rng, 300, 4)}
    for name, case in cases.items():
        case["generator"] = f"scikit-learn {sklearn.__version__}, numpy {np.__version__}"
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(case, f)
            f.write("\n")
        print("wrote", name)


if __name__ == "__main__":
    main()
