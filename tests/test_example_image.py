"""The real Dockerfile is built and run, and the container prints the expected predictions.

With Docker where a daemon answers, otherwise with Buildah from a local Debian base (see
scripts/check-example-image.sh). This is slow (minutes when cold) and never skipped.
"""

import subprocess

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.image


def test_image_builds_runs_and_prints_the_expected_predictions():
    result = subprocess.run(
        ["bash", ROOT / "scripts" / "check-example-image.sh"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "predictions match examples/ml-model/expected-output.json" in result.stdout
    assert '"environment":' in result.stdout
