"""Whose glossary a page links: a lesson's pages link only their own lesson's terms, unless the
lesson opts in to another's (`glossary_from`); pages of no lesson link every lesson's."""

from __future__ import annotations

import re
import shutil

from tests.conftest import LESSON_SLUGS, copy_project, run_mkdocs_build

LESSONS = "docs/lessons"
# Any lesson will do: the page gets its own sentence with the word the copy defines.
OWN = LESSON_SLUGS[0]
OTHER = "laptop-lesson"
OTHER_TITLE = "A second lesson, copied from the first"


def with_a_second_lesson(tmp_path, opt_in: str | None = None):
    """The project, plus a copy of a lesson whose glossary also defines "laptop", a word the
    original lesson's page then says in its own prose."""
    project = copy_project(tmp_path / "project")
    page = project / LESSONS / OWN / "index.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + "\n\nA model is often first trained on a laptop, then shipped elsewhere.\n",
        encoding="utf-8",
    )
    shutil.copytree(project / LESSONS / OWN, project / LESSONS / OTHER)
    other = project / LESSONS / OTHER / "lesson.yml"
    text = other.read_text(encoding="utf-8")
    assert f"\nid: {OWN}\n" in text and "\ntitle: " in text
    text = text.replace(f"\nid: {OWN}\n", f"\nid: {OTHER}\n", 1)
    text = re.sub(r"(?m)^title: .*$", f"title: {OTHER_TITLE}", text, count=1)
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
    page = build.page(f"lessons/{OWN}")
    links = laptop_links(page)
    assert links and set(links) == {f"../{OTHER}/#glossary-laptop"}
    # Every other term is both lessons' (the copy's), and its own spelling still wins.
    terms = re.findall(r'<a class="glossary-term" href="([^"]*)"', page)
    assert [href for href in terms if "laptop" not in href]
    assert [href for href in terms if "laptop" not in href and not href.startswith("#")] == []


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
