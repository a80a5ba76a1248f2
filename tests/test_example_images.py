"""Every lesson's example image is built from its real Dockerfile and checked by the example's
own image-check.sh (through scripts/check-example.sh, as CI's example-image workflow runs it):
with Docker where a daemon answers, otherwise with Buildah from a local Debian base. Slow
(minutes when cold) and never skipped. examples/ml-model is also checked on two platforms by
tests/test_example_image.py."""

from __future__ import annotations

import os
import subprocess

import pytest

from macros.loader import load_lessons
from tests.conftest import ROOT

pytestmark = pytest.mark.image

SCRIPT = ROOT / "scripts" / "check-example.sh"
EXAMPLES = sorted({lesson.example for lesson in load_lessons(ROOT / "docs", ROOT).values()})


def check(name: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", SCRIPT, name],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=3600,
    )


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_lessons_example_image_passes_its_own_check(name):
    result = check(name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{name}: image check passed" in result.stdout


def test_an_unknown_example_is_refused_in_one_line():
    result = check("no-such-example")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "check-example.sh: examples/no-such-example/Dockerfile: no such file"
    )


def test_a_failing_image_check_fails_the_script():
    # The example's Dockerfile, with an image check that finds a fault: the script must say so.
    copy = ROOT / "examples" / "failing-check-example"
    assert not copy.exists()
    copy.mkdir()
    try:
        (copy / "Dockerfile").write_text("FROM scratch\n", encoding="utf-8")
        (copy / "image-check.sh").write_text(
            'check_image() {\n  echo "the image said 2, expected 1" >&2\n  return 1\n}\n',
            encoding="utf-8",
        )
        result = check("failing-check-example")
    finally:
        for path in copy.iterdir():
            path.unlink()
        copy.rmdir()
    assert result.returncode == 1
    assert "the image said 2, expected 1" in result.stderr
    assert "failing-check-example: image check FAILED" in result.stderr
