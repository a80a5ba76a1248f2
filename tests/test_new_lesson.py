"""`make lesson SLUG=...` scaffolds a lesson that builds strictly at once and is listed by
itself, with every text to replace marked, and the suite refuses to pass while one is left."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import jsonschema
import pytest
import yaml

from macros.json_schema import lesson_json_schema, schema_comment
from macros.loader import load_lesson
from scripts.new_lesson import PLACEHOLDER_MARK, placeholders, scaffold
from tests.conftest import LESSON_SLUGS, ROOT, copy_project, run_mkdocs_build

SCRIPT = ROOT / "scripts" / "new_lesson.py"


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("scaffold") / "project")
    scaffold("my-pattern", project)
    return project


def test_a_scaffolded_lesson_builds_strictly_and_is_in_the_nav(scaffolded, tmp_path):
    build = run_mkdocs_build(scaffolded, tmp_path / "site")
    assert build.returncode == 0, build.output
    page = build.page("lessons/my-pattern")
    assert "TODO: the lesson&#x27;s title" in page or "TODO: the lesson's title" in page
    assert 'href="lessons/my-pattern/" class="md-nav__link"' in build.page("")
    assert (build.site / "lessons" / "my-pattern" / "test" / "index.html").is_file()


def test_every_text_to_replace_is_found_by_the_placeholder_check(scaffolded):
    found = placeholders(scaffolded)
    files = {where.rsplit(":", 1)[0] for where in found}
    assert {
        "docs/lessons/my-pattern/lesson.yml",
        "docs/lessons/my-pattern/index.md",
        "examples/my-pattern/Dockerfile",
        "examples/my-pattern/main.py",
        "examples/my-pattern/expected-output.json",
    } <= files
    # Only the scaffold's own files: no existing lesson is touched.
    assert not any(
        where.startswith(f"docs/lessons/{slug}/") for slug in LESSON_SLUGS for where in found
    )


def test_the_scaffolds_example_runs_and_prints_its_expected_output(scaffolded):
    example = scaffolded / "examples" / "my-pattern"
    output = subprocess.run(
        [sys.executable, "main.py"], cwd=example, capture_output=True, text=True, check=True
    )
    expected = json.loads((example / "expected-output.json").read_text(encoding="utf-8"))
    assert json.loads(output.stdout) == expected


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        (
            "My_Pattern",
            "make lesson: expected a kebab-case slug such as my-pattern, got 'My_Pattern'",
        ),
        (LESSON_SLUGS[0], f"make lesson: docs/lessons/{LESSON_SLUGS[0]} exists already"),
    ],
)
def test_a_bad_or_taken_slug_is_refused_in_one_line_and_writes_nothing(slug, message):
    before = sorted(p.name for p in (ROOT / "docs" / "lessons").iterdir())
    result = subprocess.run(
        [sys.executable, SCRIPT, slug], cwd=ROOT, capture_output=True, text=True
    )
    assert (result.returncode, result.stderr.strip(), result.stdout) == (2, message, "")
    assert sorted(p.name for p in (ROOT / "docs" / "lessons").iterdir()) == before


def test_no_published_lesson_keeps_a_scaffold_placeholder():
    assert placeholders(ROOT) == [], (
        f"replace every text starting with {PLACEHOLDER_MARK!r} (make lesson wrote them)"
    )


def test_the_scaffold_passes_check_lessons_and_its_json_schema(scaffolded):
    result = subprocess.run(
        [sys.executable, ROOT / "scripts" / "check_lessons.py", "--project", scaffolded],
        capture_output=True,
        text=True,
    )
    count = len(list((ROOT / "docs" / "lessons").glob("*/lesson.yml"))) + 1
    assert (result.returncode, result.stdout.strip()) == (0, f"{count} lessons OK"), result.stderr
    text = (scaffolded / "docs/lessons/my-pattern/lesson.yml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == schema_comment("docs/lessons/my-pattern/lesson.yml")
    validator = jsonschema.Draft202012Validator(lesson_json_schema())
    assert list(validator.iter_errors(yaml.safe_load(text))) == []


def check_lessons(project) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, ROOT / "scripts" / "check_lessons.py", "--project", project],
        capture_output=True,
        text=True,
    )


# Slugs YAML would read as something other than text if the scaffold wrote them bare: a yes/no
# value, nothing, a number and a date.
@pytest.mark.parametrize("slug", ["yes", "null", "123", "2024-01-01"])
def test_a_slug_yaml_would_read_as_another_type_scaffolds_a_lesson_that_passes(slug, tmp_path):
    project = copy_project(tmp_path / "project")
    scaffold(slug, project)
    result = check_lessons(project)
    count = len(LESSON_SLUGS) + 1
    assert (result.returncode, result.stdout.strip()) == (0, f"{count} lessons OK"), result.stderr
    lesson = load_lesson(project / "docs" / "lessons" / slug / "lesson.yml")
    assert (lesson.id, lesson.example) == (slug, slug)


def make_in_a_copy(project_dir, target: str, **variables: str) -> subprocess.CompletedProcess:
    """`make TARGET NAME=value ...` in a copy of the project that uses this checkout's .venv;
    the set-up targets are taken as done, so only the target's own recipe runs."""
    project = copy_project(project_dir)
    for part in ("scripts", "tests"):  # the benchmark imports helpers from the tests
        shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    given = [f"{name}={value}" for name, value in {"VENV": ROOT / ".venv", **variables}.items()]
    command = ["make", "-s", "-C", project, "-o", "setup", "-o", "browser", target, *given]
    # In a session of its own: a recipe that went on to run (a benchmark) is stopped with make.
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


SLUG_ERROR = "make lesson: expected a kebab-case slug such as my-pattern, got "
# Each would run `touch` if the Makefile pasted the value into its recipe: make's own function,
# the shell's command substitution in both spellings.
INJECTIONS = ["`touch {ran}`", "$(shell touch {ran})", "$$(touch {ran})", "$(touch {ran})"]


@pytest.mark.parametrize("written", INJECTIONS)
def test_a_slug_that_is_a_command_is_refused_as_a_slug_and_never_runs(written, tmp_path):
    ran = tmp_path / "ran"
    slug = written.format(ran=ran)
    result = make_in_a_copy(tmp_path / "project", "lesson", SLUG=slug)
    assert not ran.exists(), "the slug ran as a command"
    assert result.returncode != 0
    assert f"{SLUG_ERROR}{slug!r}" in result.stderr.splitlines(), result.stderr
    assert sorted(p.name for p in (tmp_path / "project" / "docs" / "lessons").iterdir()) == (
        LESSON_SLUGS
    )


def test_a_slug_that_looks_like_an_option_is_refused_as_a_slug(tmp_path):
    result = make_in_a_copy(tmp_path / "project", "lesson", SLUG="-h")
    assert result.returncode != 0
    assert f"{SLUG_ERROR}'-h'" in result.stderr.splitlines(), result.stdout + result.stderr
    assert "usage:" not in result.stdout


@pytest.mark.parametrize("written", [*INJECTIONS, "-h"])
def test_the_benchmarks_lesson_is_passed_as_data_and_checked(written, tmp_path):
    ran = tmp_path / "ran"
    lesson = written.format(ran=ran)
    result = make_in_a_copy(tmp_path / "project", "benchmark", SCALE="1", LESSON=lesson)
    assert not ran.exists(), "LESSON ran as a command"
    assert result.returncode != 0
    expected = f"--scale-lesson: expected one of {', '.join(LESSON_SLUGS)}, got {lesson!r}"
    assert expected in result.stderr, result.stderr
