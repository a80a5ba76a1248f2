"""A small, deterministic ML model: logistic regression on an embedded slice of the Iris data.

`python model.py` trains it (plain gradient descent, no randomness) and prints one JSON
document: the predictions, rounded so they are byte-identical on every platform, and a report
of the environment it ran in. The lesson's claim is that the first part never changes from one
host to another while the second part shows which host it was.
"""

from __future__ import annotations

import json
import platform
import sys

import numpy as np

# Petal length and width (cm) of ten Iris flowers: five setosa (0), five versicolor (1).
TRAINING_FEATURES = [
    [1.4, 0.2], [1.3, 0.2], [1.5, 0.2], [1.7, 0.4], [1.6, 0.6],
    [4.7, 1.4], [4.5, 1.5], [4.9, 1.5], [4.0, 1.3], [3.5, 1.0],
]  # fmt: skip
TRAINING_LABELS = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
CLASSES = ["setosa", "versicolor"]
# Flowers the model has not seen, and one deliberately between the two species.
QUERIES = [[1.5, 0.3], [4.2, 1.2], [2.6, 0.8], [3.9, 1.1]]

LEARNING_RATE = 0.5
EPOCHS = 500
DECIMALS = 4  # far coarser than any floating-point difference between platforms


def train(features: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean, scale = features.mean(axis=0), features.std(axis=0)
    x = (features - mean) / scale
    weights = np.zeros(x.shape[1])
    bias = 0.0
    for _ in range(EPOCHS):
        error = sigmoid(x @ weights + bias) - labels
        weights -= LEARNING_RATE * (x.T @ error) / len(labels)
        bias -= LEARNING_RATE * error.mean()
    return np.append(weights, bias), mean, scale


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def predict(params: np.ndarray, mean: np.ndarray, scale: np.ndarray, queries: np.ndarray) -> list:
    x = (queries - mean) / scale
    probabilities = sigmoid(x @ params[:-1] + params[-1])
    return [
        {
            "petal": [float(v) for v in query],
            "class": CLASSES[int(p >= 0.5)],
            "probability_versicolor": round(float(p), DECIMALS),
        }
        for query, p in zip(queries, probabilities, strict=True)
    ]


def environment() -> dict:
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "os": f"{platform.system()} {platform.release()}",
        "architecture": platform.machine(),
    }


def main() -> None:
    params, mean, scale = train(np.array(TRAINING_FEATURES), np.array(TRAINING_LABELS))
    report = {
        "model": "logistic-regression",
        "predictions": predict(params, mean, scale, np.array(QUERIES)),
        "environment": environment(),
    }
    sys.stdout.write(to_json(report))


def to_json(report: dict) -> str:
    """Indented JSON with one prediction per line, so a diff shows which prediction changed."""
    rows = ",\n".join(f"    {json.dumps(row)}" for row in report["predictions"])
    return (
        "{\n"
        f'  "model": {json.dumps(report["model"])},\n'
        f'  "predictions": [\n{rows}\n  ],\n'
        f'  "environment": {json.dumps(report["environment"])}\n'
        "}\n"
    )


if __name__ == "__main__":
    main()
