"""A lesson names its example folder; the build holds the lesson to it: the folder must have
what CI runs, and the lesson's pages may show files from it only. Each real lesson in turn."""

from __future__ import annotations

import re
import shutil

import pytest

from macros.loader import LessonError, load_lessons
from macros.page_checks import check_snippets
from tests.conftest import ROOT

REQUIRED = ("Dockerfile", "commands.sh", "expected-output.json", "image-check.sh")


@pytest.fixture
def example(lesson_files) -> str:
    return lesson_files.load().example


def project_with_the_lesson(tmp_path, lesson_files, example, example_files=()):
    """A project holding only the lesson's data, and the named files of its example."""
    folder = tmp_path / lesson_files.data
    folder.parent.mkdir(parents=True)
    shutil.copy(ROOT / lesson_files.data, folder)
    for name in example_files:
        (tmp_path / "examples" / example).mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "examples" / example / name, tmp_path / "examples" / example / name)
    return tmp_path


def example_line(lesson_files) -> int:
    lines = (ROOT / lesson_files.data).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith("example:"))


def test_a_missing_example_folder_is_reported_at_the_lessons_example_line(
    tmp_path, lesson_files, example
):
    project = project_with_the_lesson(tmp_path, lesson_files, example)
    with pytest.raises(LessonError) as error:
        load_lessons(project / "docs", project)
    assert error.value.lines == [
        f"{lesson_files.data}:{example_line(lesson_files)}: example: expected a "
        f"folder examples/{example}/ with {', '.join(REQUIRED)}, got no folder examples/{example}/"
    ]


def test_an_example_without_its_image_check_is_reported_naming_what_is_missing(
    tmp_path, lesson_files, example
):
    project = project_with_the_lesson(tmp_path, lesson_files, example, REQUIRED[:-1])
    with pytest.raises(LessonError) as error:
        load_lessons(project / "docs", project)
    (line,) = error.value.lines
    assert line.endswith(f"got examples/{example}/ without image-check.sh")


def test_a_complete_example_folder_passes(tmp_path, lesson_files, example):
    project = project_with_the_lesson(tmp_path, lesson_files, example, REQUIRED)
    assert list(load_lessons(project / "docs", project)) == [lesson_files.slug]


def test_a_lesson_page_may_show_only_its_own_examples_files(example):
    markdown = (
        f'```text\n--8<-- "{example}/commands.sh"\n```\n\n'
        f'```text\n--8<-- "{example}/Dockerfile"\n```\n'
    )
    bases, config_dir = [ROOT / "examples"], ROOT
    assert check_snippets(markdown, bases, config_dir, folder=example) == []
    problems = check_snippets(markdown, bases, config_dir, folder="another-example")
    assert [p.line for p in problems] == [2, 6]
    assert re.fullmatch(
        r"expected a file of this lesson's example \(a path starting another-example/\), "
        rf"got '{re.escape(example)}/commands\.sh'",
        problems[0].message,
    )
