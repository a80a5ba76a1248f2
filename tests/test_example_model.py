"""The example model: trained once, deterministic, and its output matches the expected output.

Each test runs model.py with exactly the pinned requirements, in a throwaway copy of the
example, so no weights file is ever written into the checkout.
"""

import json
import platform
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "ml-model"
COMPARE = ROOT / "scripts" / "compare_predictions.py"
SIDE_BY_SIDE = ROOT / "scripts" / "reports_side_by_side.py"
ENVIRONMENT_KEYS = ["python", "numpy", "system", "kernel_release", "architecture"]
# Platforms differ in the last bits of a float (another libm, fused multiply-add, SIMD paths):
# around 1e-15 here. A value this far from a rounding boundary rounds the same on all of them.
ROUNDING_MARGIN = 1e-6


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


@pytest.fixture
def example(tmp_path) -> Path:
    """A copy of the example's model, untrained."""
    copy = tmp_path / "ml-model"
    copy.mkdir()
    shutil.copy2(EXAMPLE / "model.py", copy / "model.py")
    return copy


@pytest.fixture
def trained(model_python, example) -> Path:
    run_model(model_python, example, "train")
    return example


def run_model(python: Path, example: Path, *args: str, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [python, "model.py", *args],
        cwd=example,
        check=check,
        capture_output=True,
        text=True,
        timeout=60,
    )


def predict(python: Path, example: Path) -> str:
    return run_model(python, example, "predict").stdout


def compare(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, COMPARE, *args], capture_output=True, text=True, timeout=60
    )


def test_train_writes_the_parameters_as_json_floats(model_python, example):
    result = run_model(model_python, example, "train")
    assert result.stdout == ""
    weights = json.loads((example / "weights.json").read_text(encoding="utf-8"))
    assert list(weights) == ["weights", "bias", "mean", "scale"]
    assert [len(weights[k]) for k in ("weights", "mean", "scale")] == [2, 2, 2]
    values = [*weights["weights"], weights["bias"], *weights["mean"], *weights["scale"]]
    assert all(type(v) is float for v in values)


def test_training_is_deterministic(model_python, example):
    run_model(model_python, example, "train")
    first = (example / "weights.json").read_bytes()
    run_model(model_python, example, "train")
    assert (example / "weights.json").read_bytes() == first


def test_predictions_match_the_expected_output(model_python, trained, tmp_path):
    output = tmp_path / "output.json"
    output.write_text(predict(model_python, trained), encoding="utf-8")
    result = compare(output, EXAMPLE / "expected-output.json")
    assert result.returncode == 0, result.stderr


def test_predict_is_the_default_command(model_python, trained):
    assert run_model(model_python, trained).stdout == predict(model_python, trained)


def test_model_prints_the_same_bytes_every_run(model_python, trained):
    assert predict(model_python, trained) == predict(model_python, trained)


def test_predict_uses_the_weights_file_instead_of_training_again(model_python, trained):
    weights = json.loads((trained / "weights.json").read_text(encoding="utf-8"))
    weights["bias"] -= 100.0  # every flower now looks like a setosa
    (trained / "weights.json").write_text(json.dumps(weights), encoding="utf-8")
    predictions = json.loads(predict(model_python, trained))["predictions"]
    assert [p["class"] for p in predictions] == ["setosa"] * 4


def test_predict_without_weights_fails_with_one_line_naming_the_file(model_python, example):
    result = run_model(model_python, example, "predict", check=False)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"model.py: {example / 'weights.json'} not found: create it with `python model.py train`\n"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [("{", "JSONDecodeError"), ('{"weights": [1, 2]}', "KeyError: 'bias'"), ("[]", "TypeError")],
)
def test_a_damaged_weights_file_fails_with_one_line(model_python, example, content, problem):
    (example / "weights.json").write_text(content, encoding="utf-8")
    result = run_model(model_python, example, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert "is not a weights file from `python model.py train`" in result.stderr
    assert problem in result.stderr


def test_an_unknown_command_is_refused(model_python, example):
    result = run_model(model_python, example, "fit", check=False)
    assert result.returncode == 2
    assert "invalid choice: 'fit' (choose from 'train', 'predict')" in result.stderr
    assert not (example / "weights.json").exists()


def test_model_reports_its_environment_in_separate_keys(model_python, trained):
    environment = json.loads(predict(model_python, trained))["environment"]
    assert list(environment) == ENVIRONMENT_KEYS
    # The virtualenv's interpreter is the one running these tests, on this host.
    assert environment == {
        "python": platform.python_version(),
        "numpy": "2.3.5",
        "system": platform.system(),
        "kernel_release": platform.release(),
        "architecture": platform.machine(),
    }


def test_model_separates_the_two_species(model_python, trained):
    predictions = json.loads(predict(model_python, trained))["predictions"]
    assert [p["class"] for p in predictions] == ["setosa", "versicolor", "setosa", "versicolor"]


# Rounding to 4 decimals hides float differences between platforms only if no raw value sits
# next to a boundary (k + 0.5) * 1e-4, where a difference in the last bit could flip the digit.
DISTANCES = """
import json, sys
import numpy as np
import model

raw = model.probabilities(model.load(model.WEIGHTS_FILE), np.array(model.QUERIES))
print(json.dumps([abs(p - (round(p * 1e4 - 0.5) + 0.5) * 1e-4) for p in raw.tolist()]))
"""


def test_every_raw_probability_is_far_from_a_rounding_boundary(model_python, trained):
    result = subprocess.run(
        [model_python, "-c", DISTANCES],
        cwd=trained,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    distances = json.loads(result.stdout)
    assert len(distances) == 4
    assert min(distances) >= ROUNDING_MARGIN, distances


def test_the_lesson_states_the_margin_the_model_really_has(model_python, trained):
    # The hands-on section names the closest distance; it must be this run's, to two digits.
    result = subprocess.run(
        [model_python, "-c", DISTANCES], cwd=trained, capture_output=True, text=True, check=True
    )
    closest = min(json.loads(result.stdout))
    page = (ROOT / "docs" / "lessons" / "containers-portability" / "index.md").read_text(
        encoding="utf-8"
    )
    stated = re.search(r"the closest\s+is ([0-9.]+) away", page)
    assert stated, "the lesson no longer states the closest distance"
    assert f"{closest:.1e}" == f"{float(stated.group(1)):.1e}", (closest, stated.group(1))
    assert re.search(r"within\s+0\.000001\s+of", page)
    assert ROUNDING_MARGIN == 1e-6


def test_the_margin_check_finds_a_value_on_a_boundary(model_python, trained):
    # The same computation, with the bias moved by logit(0.00185) - logit(0.0018421...), so the
    # first probability lands on the boundary 0.00185.
    weights = json.loads((trained / "weights.json").read_text(encoding="utf-8"))
    weights["bias"] += 0.004275
    (trained / "weights.json").write_text(json.dumps(weights), encoding="utf-8")
    result = subprocess.run(
        [model_python, "-c", DISTANCES], cwd=trained, capture_output=True, text=True, check=True
    )
    assert min(json.loads(result.stdout)) < ROUNDING_MARGIN


# The committed reports: the complete output of one run per platform.
REPORTS = {"linux-amd64": "x86_64", "linux-arm64": "aarch64"}


@pytest.mark.parametrize(("name", "architecture"), REPORTS.items())
def test_each_committed_report_is_a_complete_run_on_its_platform(name, architecture, tmp_path):
    report = EXAMPLE / "reports" / f"{name}.json"
    environment = json.loads(report.read_text(encoding="utf-8"))["environment"]
    assert list(environment) == ENVIRONMENT_KEYS
    result = compare(report, EXAMPLE / "expected-output.json", "--architecture", architecture)
    assert result.returncode == 0, result.stderr


def test_the_committed_reports_differ_only_in_architecture():
    amd64, arm64 = (
        json.loads((EXAMPLE / "reports" / f"{name}.json").read_text(encoding="utf-8"))
        for name in REPORTS
    )
    assert amd64["predictions"] == arm64["predictions"]
    differ = {k for k in ENVIRONMENT_KEYS if amd64["environment"][k] != arm64["environment"][k]}
    # One kernel: the arm64 run was emulated in user mode on the same host.
    assert differ == {"architecture"}


def test_the_build_context_admits_only_the_model_and_its_requirements():
    rules = [
        line
        for line in (EXAMPLE / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    # Everything is excluded first, so weights.json, __pycache__/ and reports/ stay out.
    assert rules == ["*", "!requirements.txt", "!model.py"]


# compare_predictions.py, as the image check and the workflow call it.


def changed_report(tmp_path: Path, change) -> Path:
    report = json.loads((EXAMPLE / "reports" / "linux-arm64.json").read_text(encoding="utf-8"))
    change(report)
    path = tmp_path / "run.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    return path


def test_compare_passes_a_run_with_the_architecture_it_must_report():
    result = compare(
        EXAMPLE / "reports" / "linux-arm64.json",
        EXAMPLE / "expected-output.json",
        "--architecture",
        "aarch64",
    )
    assert result.returncode == 0, result.stderr
    assert "environment.architecture is 'aarch64', as --architecture expects" in result.stdout


def test_compare_fails_a_run_on_the_wrong_architecture(tmp_path):
    run = changed_report(tmp_path, lambda r: r["environment"].update(architecture="x86_64"))
    result = compare(run, EXAMPLE / "expected-output.json", "--architecture", "aarch64")
    assert result.returncode == 1
    assert result.stderr == (
        f"{run}: environment.architecture is 'x86_64', expected 'aarch64' (--architecture)\n"
    )


def test_a_changed_prediction_is_reported_with_a_diff(tmp_path):
    def change(report):
        report["predictions"][0]["probability_versicolor"] += 0.0001

    run = changed_report(tmp_path, change)
    result = compare(run, EXAMPLE / "expected-output.json", "--architecture", "aarch64")
    assert result.returncode == 1
    assert '-      "probability_versicolor": 0.0018' in result.stderr
    assert '+      "probability_versicolor": 0.0019' in result.stderr


def test_compare_checks_the_committed_reports_image_fields_and_the_kernel(tmp_path):
    run = changed_report(tmp_path, lambda r: r["environment"].update(python="3.12.0"))
    committed = EXAMPLE / "reports" / "linux-arm64.json"
    result = compare(
        run,
        EXAMPLE / "expected-output.json",
        "--environment-of",
        committed,
        "--kernel-release",
        "0.0-other-host",
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    python = json.loads(committed.read_text(encoding="utf-8"))["environment"]["python"]
    assert lines[0] == f"{run}: environment.python is '3.12.0', expected {python!r} ({committed})"
    assert "environment.kernel_release is" in lines[1]
    assert lines[1].endswith("expected '0.0-other-host' (--kernel-release)")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read {path} (No such file or directory)"),
        ("not json", "{path} is not JSON (Expecting value: line 1 column 1 (char 0))"),
        ('{"model": "x"}', "{path}: not a report of the example model (needs ['model', "),
    ],
)
def test_compare_refuses_what_is_not_a_report(tmp_path, content, message):
    path = tmp_path / "run.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = compare(path, EXAMPLE / "expected-output.json")
    assert result.returncode == 2
    assert result.stderr.startswith("compare_predictions.py: " + message.format(path=path))
    assert len(result.stderr.splitlines()) == 1


def test_side_by_side_marks_the_fields_that_differ():
    result = subprocess.run(
        [sys.executable, SIDE_BY_SIDE, *(EXAMPLE / "reports" / f"{n}.json" for n in REPORTS)],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "| field | linux-amd64 | linux-arm64 | |"
    rows = {line.split(" | ")[0].lstrip("| "): line for line in lines[2:]}
    assert rows["environment.architecture"].endswith("| x86_64 | aarch64 | **differs** |")
    assert rows["prediction for petal [2.6, 0.8]"].endswith(
        "| setosa 0.4303 | setosa 0.4303 | same |"
    )
    assert [r for r in rows.values() if r.endswith("**differs** |")] == [
        rows["environment.architecture"]
    ]


def test_side_by_side_keeps_a_pipe_in_a_value_inside_its_cell(tmp_path):
    run = changed_report(tmp_path, lambda r: r["environment"].update(system="Linux | x"))
    result = subprocess.run(
        [sys.executable, SIDE_BY_SIDE, EXAMPLE / "reports" / "linux-amd64.json", run],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "| environment.system | Linux | Linux \\| x | **differs** |" in result.stdout


def test_side_by_side_needs_two_reports():
    result = subprocess.run(
        [sys.executable, SIDE_BY_SIDE, EXAMPLE / "reports" / "linux-amd64.json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "give at least two reports to put side by side" in result.stderr


def test_requirements_are_pinned_with_hashes():
    text = (EXAMPLE / "requirements.txt").read_text(encoding="utf-8")
    assert "numpy==2.3.5" in text and "--hash=sha256:" in text
