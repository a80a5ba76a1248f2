"""A small, deterministic ML model: logistic regression on an embedded slice of the Iris data.

`python model.py train` trains it (plain gradient descent, no randomness) and writes the trained
parameters to weights.json. The Dockerfile runs this at build time, so the trained parameters
travel in the image. `python model.py predict`, the default, loads them and prints one JSON
document: the predictions and a report of the environment it ran in.

The probabilities are rounded to 4 decimals, a tolerance far coarser than floating-point
differences between platforms, and a test checks that no unrounded value lies near a rounding
boundary, where such a difference could still flip the last digit. The lesson's claim is that
the predictions never change from one host to another while the report shows which host it was.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from pathlib import Path

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
DECIMALS = 4
WEIGHTS_FILE = Path(__file__).with_name("weights.json")


def train(features: np.ndarray, labels: np.ndarray) -> dict:
    mean, scale = features.mean(axis=0), features.std(axis=0)
    x = (features - mean) / scale
    weights = np.zeros(x.shape[1])
    bias = 0.0
    for _ in range(EPOCHS):
        error = sigmoid(x @ weights + bias) - labels
        weights -= LEARNING_RATE * (x.T @ error) / len(labels)
        bias -= LEARNING_RATE * error.mean()
    # Plain floats: JSON writes each one in full, so loading gives back exactly these values.
    return {
        "weights": weights.tolist(),
        "bias": float(bias),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
    }


def load(path: Path) -> dict:
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        return {key: saved[key] for key in ("weights", "bias", "mean", "scale")}
    except FileNotFoundError:
        sys.exit(f"model.py: {path} not found: create it with `python model.py train`")
    except (ValueError, KeyError, TypeError) as error:
        problem = f"{type(error).__name__}: {error}"
        sys.exit(f"model.py: {path} is not a weights file from `python model.py train` ({problem})")


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def probabilities(params: dict, queries: np.ndarray) -> np.ndarray:
    x = (queries - np.array(params["mean"])) / np.array(params["scale"])
    return sigmoid(x @ np.array(params["weights"]) + params["bias"])


def predict(params: dict, queries: np.ndarray) -> list:
    return [
        {
            "petal": [float(v) for v in query],
            "class": CLASSES[int(p >= 0.5)],
            "probability_versicolor": round(float(p), DECIMALS),
        }
        for query, p in zip(queries, probabilities(params, queries), strict=True)
    ]


def environment() -> dict:
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "system": platform.system(),
        "kernel_release": platform.release(),
        "architecture": platform.machine(),
    }


def to_json(report: dict) -> str:
    """Indented JSON with one prediction and one environment field per line, so a diff (or two
    reports side by side) shows exactly which one changed."""
    rows = ",\n".join(f"    {json.dumps(row)}" for row in report["predictions"])
    fields = ",\n".join(
        f"    {json.dumps(key)}: {json.dumps(value)}"
        for key, value in report["environment"].items()
    )
    return (
        "{\n"
        f'  "model": {json.dumps(report["model"])},\n'
        f'  "predictions": [\n{rows}\n  ],\n'
        f'  "environment": {{\n{fields}\n  }}\n'
        "}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the model, or predict with its weights.")
    parser.add_argument("command", nargs="?", default="predict", choices=["train", "predict"])
    if parser.parse_args().command == "train":
        params = train(np.array(TRAINING_FEATURES), np.array(TRAINING_LABELS))
        WEIGHTS_FILE.write_text(json.dumps(params, indent=2) + "\n", encoding="utf-8")
        print(f"trained: wrote {WEIGHTS_FILE}", file=sys.stderr)
        return
    report = {
        "model": "logistic-regression",
        "predictions": predict(load(WEIGHTS_FILE), np.array(QUERIES)),
        "environment": environment(),
    }
    sys.stdout.write(to_json(report))


if __name__ == "__main__":
    main()
