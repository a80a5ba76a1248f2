"""`make check-lessons` checks every lesson as the build does, without building: the same
`file:line: ...` lines and exit status 1 on problems, one `N lessons OK` line otherwise."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from macros.page_checks import heading_ids
from tests.conftest import ROOT, copy_project, run_mkdocs_build

SCRIPT = ROOT / "scripts" / "check_lessons.py"
_spec = importlib.util.spec_from_file_location("check_lessons", SCRIPT)
check_lessons = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_lessons)


def run(project: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--project", str(project)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def edit(project: Path, folder: str, name: str, old: str, new: str) -> str:
    """Replaces the first match of the regular expression `old` in the lesson's file `name`."""
    path = project / folder / name
    text, found = re.subn(old, new, path.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert found, f"{name} no longer matches {old!r}"
    path.write_text(text, encoding="utf-8")
    return text


@pytest.fixture
def folder(lesson_files) -> str:
    """Each lesson's folder in turn, as check-lessons names it."""
    return str(Path(lesson_files.page).parent)


def line_of(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


def test_the_real_lessons_pass_with_one_line_and_status_0():
    result = run()
    count = len(list((ROOT / "docs" / "lessons").glob("*/lesson.yml")))
    assert count >= 1
    expected = f"{count} lesson{'s' if count != 1 else ''} OK\n"
    assert (result.returncode, result.stdout, result.stderr) == (0, expected, "")


def test_the_real_lessons_have_no_problems_in_process():
    # How long it takes is scripts/benchmark.py's to print, not a test's to time.
    count, problems = check_lessons.check(ROOT)
    assert (count, problems) == (len(list((ROOT / "docs" / "lessons").glob("*/lesson.yml"))), [])


def test_a_schema_error_is_printed_as_the_build_prints_it_with_status_1(project, folder):
    text = edit(project, folder, "lesson.yml", r"^minutes: \d+$", "minutes: ten")
    result = run(project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{folder}/lesson.yml:{line_of(text, 'minutes: ten')}: minutes: "
        "expected a whole number, got 'ten'"
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_problems_in_the_data_and_in_the_page_are_all_listed_at_once(project, folder):
    data = edit(project, folder, "lesson.yml", r"^minutes: \d+$", "minutes: ten")
    page = edit(project, folder, "index.md", r"\{\{ key_moments\(\) \}\}", "{{ key_moment() }}")
    lines = run(project).stderr.splitlines()
    assert lines == [
        f"{folder}/lesson.yml:{line_of(data, 'minutes: ten')}: minutes: "
        "expected a whole number, got 'ten'",
        f"{folder}/index.md:{line_of(page, 'key_moment()')}: "
        "expected a known macro, got key_moment() (did you mean key_moments()?)",
        f"{folder}/index.md:{page.count(chr(10)) + 1}: expected every lesson section on the "
        "page, got no {{ key_moments() }} (that section would be missing)",
    ]


def test_a_renamed_heading_names_the_learning_mode_that_needs_it(project, folder):
    page = edit(project, folder, "index.md", r"^## Glossary$", "## Terms")
    result = run(project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{folder}/index.md:{page.count(chr(10)) + 1}: the 'Read' learning mode shows the section "
        "#glossary, expected a `##` heading with that id, got none"
    ]


def test_a_heading_id_given_with_attr_list_counts(project, folder):
    edit(project, folder, "index.md", r"^## Glossary$", "## Terms { #glossary }")
    assert run(project).returncode == 0


def test_a_snippet_outside_the_examples_folder_is_reported(project, folder):
    path = project / folder / "index.md"
    path.write_text(path.read_text(encoding="utf-8") + '\n--8<-- "../mkdocs.yml"\n', "utf-8")
    lines = run(project).stderr.splitlines()
    assert len(lines) == 1
    assert re.fullmatch(
        rf"{folder}/index\.md:\d+: expected a snippet path to a file inside examples/, "
        r"got '\.\./mkdocs\.yml'",
        lines[0],
    )


def test_a_missing_test_page_is_reported(project, folder):
    (project / folder / "test.md").unlink()
    assert run(project).stderr.splitlines() == [
        f"{folder}/test.md:1: expected the lesson's test page beside its lesson.yml, got no file"
    ]


def test_a_page_without_lesson_data_is_reported(project):
    orphan = project / "docs/lessons/orphan"
    orphan.mkdir()
    (orphan / "index.md").write_text("# Orphan\n", encoding="utf-8")
    result = run(project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "docs/lessons/orphan/index.md:1: expected the lesson's data beside its page, "
        "docs/lessons/orphan/lesson.yml, got no file"
    ]


def test_a_page_that_is_not_utf8_is_one_line_not_a_traceback(project, folder):
    (project / folder / "test.md").write_bytes(b"# Test\n\n\xff\xfe\n")
    assert run(project).stderr.splitlines() == [
        f"{folder}/test.md:3: expected UTF-8 text, got invalid start byte"
    ]


def test_a_missing_mkdocs_yml_is_one_line_not_a_traceback(project):
    (project / "mkdocs.yml").unlink()
    result = run(project)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("check-lessons: ") and "mkdocs.yml" in result.stderr


def test_static_heading_ids_are_the_ids_the_build_gives_the_headings(built_site, lesson_files):
    page = (ROOT / lesson_files.page).read_text(encoding="utf-8")
    built = re.findall(r'<h2 id="([^"]+)"', built_site.page(lesson_files.url))
    assert list(heading_ids(page)) == built


def test_a_heading_in_a_code_fence_is_not_a_heading():
    assert heading_ids("## Real\n\n```md\n## Inside\n```\n") == {"real": 1}


def test_an_invisible_character_in_prose_is_a_warning_in_the_check_and_the_build(project):
    # Valid (a zero-width joiner belongs in some emoji), so it is said but fails neither, even
    # under `--strict`, where a logged warning would fail the build.
    folder = "docs/lessons/containers-portability"
    text = edit(project, folder, "lesson.yml", r"^(    definition: >-\n      )(\S)", "\\1\\2\u200d")
    line = line_of(text, "\u200d") - 1  # where the folded scalar starts: `definition: >-`
    expected = (
        f"{folder}/lesson.yml:{line}: glossary[0].definition: warning: invisible format "
        "character U+200D ZERO WIDTH JOINER in "
    )
    result = run(project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(" lessons OK\n")
    assert [row for row in result.stderr.splitlines() if row.startswith(expected)], result.stderr
    build = run_mkdocs_build(project, project.parent / "site")
    assert build.returncode == 0, build.output
    assert re.search(rf"INFO +-  {re.escape(expected)}", build.output), build.output
