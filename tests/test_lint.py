"""The Dockerfile and the GitHub workflows pass their linters, and the linters do catch faults."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_hadolint_reports_nothing_on_the_example_dockerfile():
    result = run(BIN / "hadolint", "examples/ml-model/Dockerfile")
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_hadolint_catches_a_root_user_and_an_untagged_base(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python\nUSER root\nRUN pip install numpy\n", encoding="utf-8")
    result = run(BIN / "hadolint", dockerfile)
    assert result.returncode == 1
    assert "DL3006" in result.stdout and "DL3002" in result.stdout


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_githubs_schema(workflow):
    result = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_config_matches_its_schema():
    result = run(
        BIN / "check-jsonschema", "--builtin-schema", "vendor.dependabot", ".github/dependabot.yml"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_schema_check_catches_a_job_without_a_runner(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  test:\n    steps:\n      - run: true\n", encoding="utf-8")
    result = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", broken)
    assert result.returncode == 1


def test_zizmor_finds_nothing_in_the_workflows():
    result = run(BIN / "zizmor", "--offline", "--no-progress", ".github/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_zizmor_catches_template_injection_and_unpinned_actions(tmp_path):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(
        "on: issues\npermissions: {}\njobs:\n  greet:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        '      - run: echo "${{ github.event.issue.title }}"\n',
        encoding="utf-8",
    )
    result = run(BIN / "zizmor", "--offline", "--no-progress", tmp_path / ".github")
    assert result.returncode != 0
    assert "template-injection" in result.stdout and "unpinned-uses" in result.stdout


def test_third_party_actions_are_pinned_by_commit_sha():
    for workflow in WORKFLOWS:
        for line in workflow.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                ref = line.split("uses:")[1].split("#")[0].strip()
                assert len(ref.split("@")[1]) == 40, f"{workflow.name}: {ref} is not pinned by SHA"
