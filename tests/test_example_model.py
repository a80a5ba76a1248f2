"""The example model: deterministic, and its output matches the committed expected output."""

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "ml-model"
COMPARE = ROOT / "scripts" / "compare_predictions.py"


@pytest.fixture(scope="module")
def model_python(tmp_path_factory) -> Path:
    """A fresh virtual environment with exactly the pinned, hashed requirements."""
    env = tmp_path_factory.mktemp("model-venv")
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--require-hashes",
            "-r",
            EXAMPLE / "requirements.txt",
        ],
        check=True,
        timeout=600,
    )
    return python


def run_model(python: Path) -> str:
    return subprocess.run(
        [python, "model.py"], cwd=EXAMPLE, check=True, capture_output=True, text=True, timeout=60
    ).stdout


def test_model_output_matches_the_expected_output(model_python, tmp_path):
    output = tmp_path / "output.json"
    output.write_text(run_model(model_python), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, COMPARE, output, EXAMPLE / "expected-output.json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_model_prints_the_same_bytes_every_run(model_python):
    assert run_model(model_python) == run_model(model_python)


def test_model_reports_its_environment(model_python):
    report = json.loads(run_model(model_python))
    assert set(report["environment"]) == {"python", "numpy", "os", "architecture"}
    assert report["environment"]["numpy"] == "2.3.5"


def test_model_separates_the_two_species(model_python):
    predictions = json.loads(run_model(model_python))["predictions"]
    assert [p["class"] for p in predictions] == ["setosa", "versicolor", "setosa", "versicolor"]


def test_a_changed_prediction_is_reported_with_a_diff(tmp_path):
    expected = json.loads((EXAMPLE / "expected-output.json").read_text(encoding="utf-8"))
    expected["predictions"][0]["probability_versicolor"] += 0.0001
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps({**expected, "environment": {}}), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, COMPARE, changed, EXAMPLE / "expected-output.json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert '-      "probability_versicolor": 0.0018' in result.stderr


def test_requirements_are_pinned_with_hashes():
    text = (EXAMPLE / "requirements.txt").read_text(encoding="utf-8")
    assert "numpy==2.3.5" in text and "--hash=sha256:" in text
