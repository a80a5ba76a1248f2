"""The example-image workflow proves what its header says: each platform on its own native
runner, the architecture asserted per platform, and each platform's image scanned.

Each check is a function returning the problems it finds, run on the real workflow and on
copies broken the way a regression would break it.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from macros.loader import load_lessons
from scripts.new_lesson import scaffold
from tests.conftest import LESSON_SLUGS, ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "example-image.yml"
NATIVE = {
    "linux/amd64": ("ubuntu-24.04", "x86_64"),
    "linux/arm64": ("ubuntu-24.04-arm", "aarch64"),
}


def load(path: Path = WORKFLOW) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def platform_job(workflow: dict) -> tuple[str, dict]:
    """The job with a matrix over platforms: the one that builds and runs the image."""
    for name, job in workflow["jobs"].items():
        include = job.get("strategy", {}).get("matrix", {}).get("include", [])
        if any("platform" in entry for entry in include):
            return name, job
    raise AssertionError("no job has a matrix over platforms")


def steps_using(job: dict, action: str) -> list[dict]:
    return [s for s in job.get("steps", []) if s.get("uses", "").split("@")[0] == action]


def resolve(step: dict, word: str) -> str:
    """An argument as written, or the env expression a "$NAME" argument stands for."""
    match = re.fullmatch(r"\$\{?(\w+)\}?", word)
    return step.get("env", {}).get(match.group(1), word) if match else word


def runner_problems(workflow: dict) -> list[str]:
    _, job = platform_job(workflow)
    problems = []
    if job.get("runs-on") != "${{ matrix.runner }}":
        problems.append(f"runs-on is {job.get('runs-on')!r}, not the matrix entry's runner")
    entries = {e["platform"]: e for e in job["strategy"]["matrix"]["include"]}
    if set(entries) != set(NATIVE):
        problems.append(f"platforms are {sorted(entries)}, expected {sorted(NATIVE)}")
    for platform, (runner, architecture) in NATIVE.items():
        entry = entries.get(platform, {})
        if entry.get("runner") != runner:
            problems.append(f"{platform} runs on {entry.get('runner')!r}, expected {runner!r}")
        if entry.get("architecture") != architecture:
            problems.append(f"{platform} expects {entry.get('architecture')!r}, not {architecture}")
    return problems


def emulation_problems(workflow: dict) -> list[str]:
    return [
        f"job {name} sets up QEMU"
        for name, job in workflow["jobs"].items()
        if steps_using(job, "docker/setup-qemu-action")
    ]


def architecture_assertion_problems(workflow: dict) -> list[str]:
    """The run is compared with --architecture set to its own matrix entry's architecture."""
    _, job = platform_job(workflow)
    for step in job["steps"]:
        for command in step.get("run", "").replace("\\\n", " ").splitlines():
            args = shlex.split(command) if "compare_predictions.py" in command else []
            if "--architecture" in args[:-1]:
                given = resolve(step, args[args.index("--architecture") + 1])
                if given == "${{ matrix.architecture }}":
                    return []
                return [f"--architecture is given {given!r}, not the matrix entry's architecture"]
    return ["no step runs compare_predictions.py with --architecture"]


def scan_problems(workflow: dict) -> list[str]:
    """Trivy scans, in the platform job, the image that job built."""
    name, job = platform_job(workflow)
    builds = steps_using(job, "docker/build-push-action")
    scans = steps_using(job, "aquasecurity/trivy-action")
    if not builds or not scans:
        return [f"job {name} does not both build and scan the image"]
    built = builds[0]["with"]
    problems = []
    if built.get("platforms") != "${{ matrix.platform }}":
        problems.append(f"job {name} builds {built.get('platforms')!r}, not its matrix platform")
    if scans[0]["with"].get("image-ref") != built.get("tags"):
        problems.append(f"trivy scans {scans[0]['with'].get('image-ref')!r}, not the built image")
    if job["steps"].index(scans[0]) < job["steps"].index(builds[0]):
        problems.append("trivy runs before the image is built")
    return problems


def report_problems(workflow: dict) -> list[str]:
    """Each platform uploads its report; a later job downloads them all and sets them side by
    side."""
    name, job = platform_job(workflow)
    problems = []
    uploads = steps_using(job, "actions/upload-artifact")
    if not uploads or "${{ matrix.report }}" not in uploads[0]["with"].get("name", ""):
        problems.append(f"job {name} does not upload a report per platform")
    if not any("GITHUB_STEP_SUMMARY" in s.get("run", "") for s in job["steps"]):
        problems.append(f"job {name} writes nothing to the step summary")
    final = [
        j
        for j in workflow["jobs"].values()
        if name in needs(j)
        and steps_using(j, "actions/download-artifact")
        and any("reports_side_by_side.py" in s.get("run", "") for s in j["steps"])
    ]
    if not final:
        problems.append("no job after it downloads the reports and sets them side by side")
    return problems


def needs(job: dict) -> list[str]:
    value = job.get("needs", [])
    return [value] if isinstance(value, str) else value


def permission_problems(workflow: dict) -> list[str]:
    problems = [] if workflow.get("permissions") == {} else ["top-level permissions are not {}"]
    for name, job in workflow["jobs"].items():
        if job.get("permissions") != {"contents": "read"}:
            problems.append(f"job {name} has permissions {job.get('permissions')!r}")
    return problems


def example_problems(workflow: dict) -> list[str]:
    """Every lesson's example, and only those, is built and checked by scripts/check-example.sh
    in a job of its own per example."""
    wanted = sorted({lesson.example for lesson in load_lessons(ROOT / "docs", ROOT).values()})
    for name, job in workflow["jobs"].items():
        examples = job.get("strategy", {}).get("matrix", {}).get("example")
        if examples is None:
            continue
        problems = []
        if sorted(examples) != wanted:
            problems.append(f"job {name} checks examples {sorted(examples)}, expected {wanted}")
        runs = [s.get("run", "") for s in job.get("steps", [])]
        if not any('scripts/check-example.sh "$EXAMPLE"' in run for run in runs):
            problems.append(f"job {name} does not run scripts/check-example.sh on its example")
        return problems
    return ["no job has a matrix over examples"]


CHECKS = [
    example_problems,
    runner_problems,
    emulation_problems,
    architecture_assertion_problems,
    scan_problems,
    report_problems,
    permission_problems,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_the_example_image_workflow_passes(check):
    assert check(load()) == []


def broken(change) -> dict:
    workflow = copy.deepcopy(load())
    change(workflow)
    return workflow


def matrix_entry(workflow: dict, platform: str) -> dict:
    _, job = platform_job(workflow)
    return next(e for e in job["strategy"]["matrix"]["include"] if e["platform"] == platform)


def step_of(workflow: dict, needle: str) -> dict:
    _, job = platform_job(workflow)
    return next(s for s in job["steps"] if needle in s.get("run", "") + s.get("uses", ""))


def test_arm64_on_an_x86_runner_is_caught():
    workflow = broken(lambda w: matrix_entry(w, "linux/arm64").update(runner="ubuntu-24.04"))
    assert runner_problems(workflow) == [
        "linux/arm64 runs on 'ubuntu-24.04', expected 'ubuntu-24.04-arm'"
    ]


def test_a_fixed_runner_for_every_platform_is_caught():
    workflow = broken(lambda w: platform_job(w)[1].update({"runs-on": "ubuntu-24.04"}))
    assert runner_problems(workflow) == ["runs-on is 'ubuntu-24.04', not the matrix entry's runner"]


def test_qemu_set_up_again_is_caught():
    def add_qemu(workflow):
        qemu = {"uses": "docker/setup-qemu-action@" + "0" * 40}
        platform_job(workflow)[1]["steps"].insert(1, qemu)

    assert emulation_problems(broken(add_qemu)) == ["job run-on-each-platform sets up QEMU"]


def test_an_architecture_assertion_not_taken_from_the_matrix_is_caught():
    def fixed(workflow):
        step_of(workflow, "compare_predictions.py")["env"]["ARCHITECTURE"] = "x86_64"

    assert architecture_assertion_problems(broken(fixed)) == [
        "--architecture is given 'x86_64', not the matrix entry's architecture"
    ]


def test_a_comparison_without_the_architecture_is_caught():
    def dropped(workflow):
        step = step_of(workflow, "compare_predictions.py")
        step["run"] = re.sub(r'--architecture "\$ARCHITECTURE" ', "", step["run"])

    assert architecture_assertion_problems(broken(dropped)) == [
        "no step runs compare_predictions.py with --architecture"
    ]


def test_a_scan_moved_to_a_job_of_its_own_is_caught():
    def moved(workflow):
        _, job = platform_job(workflow)
        job["steps"] = [s for s in job["steps"] if "trivy-action" not in s.get("uses", "")]

    assert scan_problems(broken(moved)) == [
        "job run-on-each-platform does not both build and scan the image"
    ]


def test_a_scan_of_another_image_is_caught():
    workflow = broken(lambda w: step_of(w, "trivy-action")["with"].update({"image-ref": "x:1"}))
    assert scan_problems(workflow) == ["trivy scans 'x:1', not the built image"]


def test_a_missing_side_by_side_job_is_caught():
    workflow = broken(lambda w: w["jobs"].pop("side-by-side"))
    assert report_problems(workflow) == [
        "no job after it downloads the reports and sets them side by side"
    ]


def test_a_write_permission_is_caught():
    workflow = broken(lambda w: w["jobs"]["lint"].update(permissions={"contents": "write"}))
    assert permission_problems(workflow) == ["job lint has permissions {'contents': 'write'}"]


def test_a_lesson_example_left_out_of_the_matrix_is_caught():
    def dropped(workflow):
        workflow["jobs"]["check-each-example"]["strategy"]["matrix"]["example"] = []

    (problem,) = example_problems(broken(dropped))
    assert problem.startswith("job check-each-example checks examples [], expected [")


# Every workflow


WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
MAX_TIMEOUT_MINUTES = 120  # GitHub's own default is 360: a hung step holds a runner for 6 hours


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_stops_after_a_timeout_of_its_own(workflow):
    jobs = load(workflow)["jobs"]
    timeouts = {name: job.get("timeout-minutes") for name, job in jobs.items()}
    unbounded = {
        name: minutes
        for name, minutes in timeouts.items()
        if not (isinstance(minutes, int) and 1 <= minutes <= MAX_TIMEOUT_MINUTES)
    }
    assert unbounded == {}, f"expected timeout-minutes from 1 to {MAX_TIMEOUT_MINUTES}"


# The audit and the update proposals cover every lesson's example


AUDIT = ROOT / ".github" / "workflows" / "audit.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"


def lesson_examples() -> list[str]:
    return sorted({lesson.example for lesson in load_lessons(ROOT / "docs", ROOT).values()})


def example_locks() -> set[str]:
    """Each example's hashed lock, for those that install Python packages."""
    return {
        f"examples/{name}/requirements.txt"
        for name in lesson_examples()
        if (ROOT / "examples" / name / "requirements.txt").is_file()
    }


def list_job(workflow: dict) -> tuple[str, dict]:
    """The job whose output is the list of examples."""
    for name, job in workflow["jobs"].items():
        if "examples" in job.get("outputs", {}):
            return name, job
    raise AssertionError("no job outputs the list of examples")


def run_list_step(workflow: dict, project) -> tuple[subprocess.CompletedProcess, str]:
    """The list job's script, run in `project` as the runner runs it: (its run, its output)."""
    _, job = list_job(workflow)
    (script,) = [step["run"] for step in job["steps"] if "run" in step]
    output = Path(project) / "github-output"
    output.write_text("", encoding="utf-8")
    run = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=project,
        env={**os.environ, "GITHUB_OUTPUT": str(output)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return run, output.read_text(encoding="utf-8")


def test_the_audit_lists_every_lessons_example_from_the_lesson_files(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs" / "lessons", project / "docs" / "lessons")
    scaffold("new-pattern", project)  # its `example:` is quoted
    run, output = run_list_step(load(AUDIT), project)
    assert run.returncode == 0, run.stderr
    (line,) = output.splitlines()
    name, _, value = line.partition("=")
    assert (name, json.loads(value)) == ("examples", sorted([*lesson_examples(), "new-pattern"]))


def test_an_example_the_audits_list_cannot_read_fails_the_audit(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs" / "lessons", project / "docs" / "lessons")
    lesson = project / "docs" / "lessons" / LESSON_SLUGS[0] / "lesson.yml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(re.sub(r"(?m)^example: .*$", "example: $(id)", text), encoding="utf-8")
    run, output = run_list_step(load(AUDIT), project)
    assert run.returncode != 0
    assert f"docs/lessons/{LESSON_SLUGS[0]}/lesson.yml" in run.stderr
    assert output == ""


def test_the_audit_scans_the_image_of_every_example_it_lists():
    workflow = load(AUDIT)
    listed, _ = list_job(workflow)
    scanning = [
        (name, job)
        for name, job in workflow["jobs"].items()
        if job.get("strategy", {}).get("matrix", {}).get("example")
        == f"${{{{ fromJSON(needs.{listed}.outputs.examples) }}}}"
    ]
    assert len(scanning) == 1, "expected one job with a matrix of the listed examples"
    name, job = scanning[0]
    assert listed in needs(job)
    (build,) = [s for s in job["steps"] if s.get("run", "").startswith("docker build")]
    command = shlex.split(build["run"])
    assert (command[-1], build["env"]["EXAMPLE"]) == ("examples/$EXAMPLE", "${{ matrix.example }}")
    (scan,) = steps_using(job, "aquasecurity/trivy-action")
    assert scan["with"]["image-ref"] == command[command.index("-t") + 1]
    assert job["steps"].index(scan) > job["steps"].index(build)
    assert scan["with"].get("exit-code") == "1"


def pip_audited(workflow: dict) -> set[str]:
    """The lock files pip-audit checks, by their hashes, failing when it cannot look one up."""
    audited = set()
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            for command in step.get("run", "").replace("\\\n", " ").splitlines():
                args = shlex.split(command.split("||")[0])
                if args[:1] == ["pip-audit"] and {"--strict", "--require-hashes"} <= set(args):
                    audited |= {args[i + 1] for i, a in enumerate(args[:-1]) if a == "-r"}
    return audited


def test_the_audit_checks_the_locked_requirements_of_every_example():
    audited = pip_audited(load(AUDIT))
    assert {lock for lock in audited if lock.startswith("examples/")} == example_locks()


def dependabot_folders(ecosystem: str) -> set[str]:
    updates = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))["updates"]
    return {
        u["directory"]
        for u in updates
        if u["package-ecosystem"] == ecosystem and u["directory"].startswith("/examples/")
    }


def test_dependabot_proposes_updates_for_every_lessons_example_and_no_other_folder():
    assert dependabot_folders("docker") == {f"/examples/{name}" for name in lesson_examples()}
    assert dependabot_folders("pip") == {"/" + lock.rsplit("/", 1)[0] for lock in example_locks()}
