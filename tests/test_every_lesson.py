"""What every lesson must be, checked on each of them: a new lesson is covered by adding it.

Its page has every section the seed has and the learning aids, every question is shown with
its answer, its test has enough questions of each difficulty, and its example is real: the
execution sample is what the example's commands.sh runs, and the page shows the example's files
exactly as they are on disk, from the lesson's own example folder only.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from macros.loader import EXAMPLE_FILES, load_lessons
from macros.page_checks import snippet_lines
from macros.render import mode_sections
from tests.conftest import ROOT

LESSONS = load_lessons(ROOT / "docs", ROOT)
SLUGS = sorted(LESSONS)
# The seed's sections and the learning aids, in the order of the seed (a lesson may add more).
SECTIONS = [
    "process-flow",
    "execution-sample",
    "process-table",
    "status-tracker",
    "hands-on",
    "limits",
    "key-moments",
    "visual-quiz",
    "concept-snapshot",
    "full-transcript",
    "glossary",
    "practice",
    "test-this-pattern",
    "flashcards",
    "cheat-sheet",
]


def text_of(fragment: str) -> str:
    """The text of some HTML, its white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_there_is_more_than_one_lesson_to_check():
    # The parametrised tests below would pass vacuously over an empty list.
    found = sorted(path.parent.name for path in (ROOT / "docs" / "lessons").glob("*/lesson.yml"))
    assert len(SLUGS) >= 1 and found == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_the_page_has_every_seed_section_in_order_and_every_mode_section(built_site, slug):
    page = built_site.page(f"lessons/{slug}")
    ids = re.findall(r'<h2 id="([^"]+)"', page)
    assert [i for i in ids if i in SECTIONS] == SECTIONS
    assert set(mode_sections()) <= set(ids)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_the_test_bank_has_questions_of_each_difficulty(slug, difficulty):
    bank = LESSONS[slug].test_bank
    assert sum(q.difficulty == difficulty for q in bank) >= 3


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("kind", ["single-choice", "multiple-choice", "ordering", "short-answer"])
def test_the_test_bank_asks_questions_of_every_type(slug, kind):
    assert any(q.type == kind for q in LESSONS[slug].test_bank)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_hard_test_question_points_into_the_lesson_body(slug):
    # A hard question tests what the lesson teaches: its hint links to where it is taught.
    for question in LESSONS[slug].test_bank:
        if question.difficulty == "hard":
            assert question.hint_refs, question.id


@pytest.mark.parametrize("slug", SLUGS)
def test_every_practice_question_has_a_worked_solution(slug):
    for question in LESSONS[slug].practice:
        assert question.solution and question.solution.steps, question.id


@pytest.mark.parametrize(
    ("slug", "page_path", "sections"),
    [
        (slug, path, sections)
        for slug in SLUGS
        for path, sections in [
            (f"lessons/{slug}", ("visual_quiz", "practice")),
            (f"lessons/{slug}/test", ("test_bank",)),
        ]
    ],
)
def test_every_question_is_shown_with_its_answer(built_site, slug, page_path, sections):
    page = built_site.page(page_path)
    for question in [q for section in sections for q in getattr(LESSONS[slug], section)]:
        block = page[page.index(f'id="question-{question.id}"') :]
        block = block[: block.index("</li>\n") if "</li>\n" in block else None]
        answer = text_of(block[block.index("data-quiz-answer") :])
        if question.type == "multiple-choice":
            expected = question.answers
        elif question.type == "ordering":
            expected = question.items
        else:
            expected = [question.answer]
        for text in expected:
            assert " ".join(text.replace("`", "").split()) in answer, question.id


# The example ----------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_the_example_folder_holds_what_ci_runs(slug):
    folder = ROOT / "examples" / LESSONS[slug].example
    for name in EXAMPLE_FILES:
        assert (folder / name).is_file(), f"{folder.name}/{name}"
    json.loads((folder / "expected-output.json").read_text(encoding="utf-8"))
    assert "check_image()" in (folder / "image-check.sh").read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", SLUGS)
def test_the_execution_sample_is_what_the_examples_commands_run_in_order(slug):
    lesson = LESSONS[slug]
    script = (ROOT / "examples" / lesson.example / "commands.sh").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines()]
    positions = []
    for command in lesson.execution_sample.commands:
        assert command.command in lines, f"{command.command!r} is not a line of commands.sh"
        positions.append(lines.index(command.command))
    assert positions == sorted(positions)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_page_shows_only_its_own_examples_files_as_they_are_on_disk(built_site, slug):
    lesson = LESSONS[slug]
    source = (ROOT / "docs" / "lessons" / slug / "index.md").read_text(encoding="utf-8")
    included = [re.search(r'"([^"]+)"', line).group(1) for line in snippet_lines(source)]
    assert included, "the hands-on shows no file of the example"
    page = text_of(built_site.page(f"lessons/{slug}"))
    for path in included:
        assert path.startswith(f"{lesson.example}/"), path
        name, _, section = path.partition(":")
        text = (ROOT / "examples" / name).read_text(encoding="utf-8")
        if section:  # a named section: the lines between its markers
            text = text.split(f"[start:{section}]", 1)[1].split(f"[end:{section}]", 1)[0]
        for line in text.splitlines():
            if line.strip() and "--8<--" not in line:
                assert " ".join(line.split()) in page, f"{path}: {line!r} is not on the page"
