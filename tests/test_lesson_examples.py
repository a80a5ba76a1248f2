"""A lesson names its example folder; the build holds the lesson to it: the folder must have
what CI runs, and the lesson's pages may show files from it only."""

from __future__ import annotations

import re
import shutil

import pytest

from macros.loader import LessonError, load_lessons
from macros.page_checks import check_snippets
from tests.conftest import ROOT

LESSON = ROOT / "docs" / "lessons" / "containers-portability" / "lesson.yml"


def project_with_the_lesson(tmp_path, example_files=()):
    folder = tmp_path / "docs" / "lessons" / "containers-portability"
    folder.mkdir(parents=True)
    shutil.copy(LESSON, folder / "lesson.yml")
    example = tmp_path / "examples" / "ml-model"
    for name in example_files:
        example.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "examples" / "ml-model" / name, example / name)
    return tmp_path


def example_line() -> int:
    lines = LESSON.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith("example:"))


def test_a_missing_example_folder_is_reported_at_the_lessons_example_line(tmp_path):
    project = project_with_the_lesson(tmp_path)
    with pytest.raises(LessonError) as error:
        load_lessons(project / "docs", project)
    assert error.value.lines == [
        f"docs/lessons/containers-portability/lesson.yml:{example_line()}: example: expected a "
        "folder examples/ml-model/ with Dockerfile, commands.sh, expected-output.json, "
        "image-check.sh, got no folder examples/ml-model/"
    ]


def test_an_example_without_its_image_check_is_reported_naming_what_is_missing(tmp_path):
    files = ("Dockerfile", "commands.sh", "expected-output.json")
    project = project_with_the_lesson(tmp_path, files)
    with pytest.raises(LessonError) as error:
        load_lessons(project / "docs", project)
    (line,) = error.value.lines
    assert line.endswith("got examples/ml-model/ without image-check.sh")


def test_a_complete_example_folder_passes(tmp_path):
    files = ("Dockerfile", "commands.sh", "expected-output.json", "image-check.sh")
    project = project_with_the_lesson(tmp_path, files)
    assert list(load_lessons(project / "docs", project)) == ["containers-portability"]


def test_a_lesson_page_may_show_only_its_own_examples_files():
    markdown = (
        '```text\n--8<-- "ml-model/model.py"\n```\n\n```text\n--8<-- "ml-model/Dockerfile"\n```\n'
    )
    bases, config_dir = [ROOT / "examples"], ROOT
    assert check_snippets(markdown, bases, config_dir, folder="ml-model") == []
    problems = check_snippets(markdown, bases, config_dir, folder="another-example")
    assert [p.line for p in problems] == [2, 6]
    assert re.fullmatch(
        r"expected a file of this lesson's example \(a path starting another-example/\), "
        r"got 'ml-model/model.py'",
        problems[0].message,
    )
