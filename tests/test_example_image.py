"""The real Dockerfile is built and run for linux/amd64 and linux/arm64, and each run checks out.

With Docker where a daemon answers, otherwise with Buildah from local Debian bases, arm64 under
QEMU user-mode emulation (see scripts/check-example-image.sh). This is slow (minutes when cold)
and never skipped.
"""

import json
import os
import re
import subprocess
from dataclasses import dataclass

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.image

SCRIPT = ROOT / "scripts" / "check-example-image.sh"
EXAMPLE = ROOT / "examples" / "ml-model"
PLATFORMS = {"linux-amd64": "x86_64", "linux-arm64": "aarch64"}


def docker_answers() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def read(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Runs:
    builder: str
    kernel: str  # of the host that runs the containers
    outputs: dict[str, dict]  # platform name: the run's report


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Runs:
    """The script, run once for every test below: it builds and runs both platforms' images."""
    builder = "docker" if docker_answers() else "buildah"
    if builder == "docker":
        kernel = subprocess.run(
            ["docker", "info", "--format", "{{.KernelVersion}}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    else:
        kernel = os.uname().release
    out = tmp_path_factory.mktemp("runs")
    result = subprocess.run(
        ["bash", SCRIPT, "--output-dir", out],
        cwd=ROOT,
        env={**os.environ, "IMAGE_BUILDER": builder},
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("predictions match examples/ml-model/expected-output.json") == 2
    return Runs(builder, kernel, {name: read(out / f"{name}.json") for name in PLATFORMS})


@pytest.mark.parametrize("name", PLATFORMS)
def test_each_platform_prints_the_expected_predictions(runs, name):
    expected = read(EXAMPLE / "expected-output.json")
    run = runs.outputs[name]
    assert (run["model"], run["predictions"]) == (expected["model"], expected["predictions"])


@pytest.mark.parametrize(("name", "architecture"), PLATFORMS.items())
def test_each_platform_reports_its_architecture_and_the_committed_image_fields(
    runs, name, architecture
):
    committed = read(EXAMPLE / "reports" / f"{name}.json")["environment"]
    environment = runs.outputs[name]["environment"]
    assert environment["architecture"] == architecture
    assert (environment["numpy"], environment["system"]) == (committed["numpy"], "Linux")
    assert environment["architecture"] == committed["architecture"]
    if runs.builder == "buildah":
        # The build the committed reports were recorded from: the same Python as theirs.
        assert environment["python"] == committed["python"]
    else:
        # Docker builds from the pinned base, python:<major.minor>-slim, not Debian's Python.
        dockerfile = (EXAMPLE / "Dockerfile").read_text(encoding="utf-8")
        base = re.search(r"^ARG BASE_IMAGE=python:(\d+\.\d+)-slim@", dockerfile, re.MULTILINE)
        assert environment["python"].startswith(base.group(1) + ".")


@pytest.mark.parametrize("name", PLATFORMS)
def test_both_platforms_run_on_the_host_kernel(runs, name):
    # A container has no kernel of its own; under QEMU user-mode emulation the emulator passes
    # the arm64 program's system calls to the same host kernel.
    assert runs.outputs[name]["environment"]["kernel_release"] == runs.kernel


# Bad input to the script fails at once, before anything is built.


def run_script(*args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", SCRIPT, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_script_refuses_an_unknown_argument():
    result = run_script("--recrod")
    assert result.returncode == 2
    assert "unknown argument '--recrod'" in result.stderr


def test_the_script_refuses_an_unknown_builder():
    result = run_script(IMAGE_BUILDER="podman")
    assert result.returncode == 2
    assert "IMAGE_BUILDER is 'podman', expected docker or buildah" in result.stderr


def test_reports_are_recorded_only_from_the_build_they_describe():
    result = run_script("--record", IMAGE_BUILDER="docker")
    assert result.returncode == 2
    assert "--record needs the Buildah build" in result.stderr
