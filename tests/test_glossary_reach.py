"""Whose glossary a page links: a lesson's pages link only their own lesson's terms, unless the
lesson opts in to another's (`glossary_from`); pages of no lesson link every lesson's."""

from __future__ import annotations

import re
import shutil

from tests.conftest import copy_project, run_mkdocs_build

LESSONS = "docs/lessons"
OWN = "containers-portability"
OTHER = "laptop-lesson"


def with_a_second_lesson(tmp_path, opt_in: str | None = None):
    """The project, plus a copy of the containers lesson whose glossary also defines "laptop",
    a word the containers lesson's page says in its own prose."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(project / LESSONS / OWN, project / LESSONS / OTHER)
    other = project / LESSONS / OTHER / "lesson.yml"
    text = other.read_text(encoding="utf-8")
    text = text.replace(f"id: {OWN}\n", f"id: {OTHER}\n", 1)
    text = text.replace("title: Why containers", "title: A copy of why containers", 1)
    text = text.replace(
        "\nglossary:\n",
        "\nglossary:\n  - id: laptop\n    term: laptop\n"
        "    definition: A portable computer, where a model is often first developed.\n",
        1,
    )
    other.write_text(text, encoding="utf-8")
    if opt_in is not None:
        own = project / LESSONS / OWN / "lesson.yml"
        own.write_text(
            own.read_text(encoding="utf-8").replace(
                "\nglossary:\n", f"\nglossary_from: [{opt_in}]\n\nglossary:\n", 1
            ),
            encoding="utf-8",
        )
    return project


def laptop_links(page: str) -> list[str]:
    return re.findall(r'<a class="glossary-term" href="([^"]*#glossary-laptop)"', page)


def test_a_lesson_page_links_only_its_own_lessons_terms(tmp_path):
    build = run_mkdocs_build(with_a_second_lesson(tmp_path), tmp_path / "site")
    assert build.returncode == 0, build.output
    assert laptop_links(build.page(f"lessons/{OWN}")) == []
    assert laptop_links(build.page(f"lessons/{OTHER}")) != []  # its own term, on its own page


def test_a_lesson_that_opts_in_links_the_other_lessons_terms_to_that_lessons_glossary(tmp_path):
    build = run_mkdocs_build(with_a_second_lesson(tmp_path, opt_in=OTHER), tmp_path / "site")
    assert build.returncode == 0, build.output
    links = laptop_links(build.page(f"lessons/{OWN}"))
    assert links and set(links) == {f"../{OTHER}/#glossary-laptop"}
    # Its own spelling of a shared term still wins.
    assert 'href="#glossary-image"' in build.page(f"lessons/{OWN}")


def test_opting_in_to_a_lesson_that_does_not_exist_fails_at_its_line(tmp_path):
    project = with_a_second_lesson(tmp_path, opt_in="no-such-lesson")
    build = run_mkdocs_build(project, tmp_path / "site")
    lines = (project / LESSONS / OWN / "lesson.yml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(lines, 1) if row.startswith("glossary_from:"))
    assert build.returncode != 0
    assert (
        f"docs/lessons/{OWN}/lesson.yml:{line}: glossary_from[0]: expected the id of another "
        "lesson, got 'no-such-lesson', which is no lesson's id"
    ) in build.output
    assert "Traceback" not in build.output
