"""A page's macro calls are checked from its syntax tree before it renders: every mistake is a
`line: message`, never a rendering traceback."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from macros import LESSON_MACROS, render
from macros.page_checks import check_page, check_snippets

ROOT = Path(__file__).resolve().parent.parent
MACROS = {name: getattr(render, name) for name in LESSON_MACROS} | {
    "lesson_catalog": lambda: "",
    "lesson_field_reference": lambda: "",
}


def problems(source: str, kind: str | None = "lesson") -> list[tuple[int, str]]:
    found = check_page(
        source,
        macros=MACROS,
        lesson_macros=LESSON_MACROS,
        names=["config", "page"],
        kind=kind,
        environment=jinja2.Environment(),
    )
    return [(problem.line, problem.message) for problem in found]


@pytest.fixture
def lesson_source(lesson_files) -> str:
    """Each real lesson page's Markdown in turn."""
    return (ROOT / lesson_files.page).read_text(encoding="utf-8")


@pytest.fixture
def test_source(lesson_files) -> str:
    """Each real lesson's test page's Markdown in turn."""
    return (ROOT / lesson_files.test_page).read_text(encoding="utf-8")


def line_of(text: str, source: str) -> int:
    return source[: source.index(text)].count("\n") + 1


def test_the_real_lesson_page_has_no_problems(lesson_source):
    assert problems(lesson_source) == []


def test_the_real_test_page_has_no_problems(test_source):
    assert problems(test_source, "test") == []


def test_a_test_page_without_its_questions_names_the_missing_call(test_source):
    source = test_source.replace('{{ quiz("test_bank") }}', "")
    assert problems(source, "test") == [
        (
            source.count("\n") + 1,
            'expected every lesson section on the page, got no {{ quiz("test_bank") }} '
            "(that section would be missing)",
        )
    ]


def test_the_test_bank_on_the_lesson_page_is_reported_at_its_line(lesson_source):
    source = lesson_source + '\n{{ quiz("test_bank") }}\n'
    assert problems(source) == [
        (
            source.count("\n"),
            'expected {{ quiz("test_bank") }} only on the lesson\'s test page '
            "(lessons/<slug>/test.md), got it on the lesson's page (lessons/<slug>/index.md)",
        )
    ]


def test_a_lesson_page_section_on_the_test_page_is_reported_at_its_line(test_source):
    source = test_source + "\n{{ glossary() }}\n"
    assert problems(source, "test") == [
        (
            source.count("\n"),
            "expected {{ glossary() }} only on the lesson's page (lessons/<slug>/index.md), "
            "got it on the lesson's test page (lessons/<slug>/test.md)",
        )
    ]


@pytest.mark.parametrize(
    "call",
    ['{{ quiz("practice") }}', "{{ mode_picker() }}", "{{ step_through() }}"],
)
def test_a_lesson_page_without_a_section_names_the_missing_call(call, lesson_source):
    source = lesson_source.replace(call, "")
    assert problems(source) == [
        (
            source.count("\n") + 1,
            f"expected every lesson section on the page, got no {call} "
            "(that section would be missing)",
        )
    ]


def test_a_section_called_twice_is_reported_at_the_second_call(lesson_source):
    source = lesson_source + "\n{{ flashcards() }}\n"
    first = line_of("{{ flashcards() }}", lesson_source)
    assert problems(source) == [
        (
            source.count("\n"),
            f"expected {{{{ flashcards() }}}} once, got it again (first at line {first}); "
            "its element ids would repeat",
        )
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            '{{ quiz("pratice") }}',
            "expected quiz() with one of 'visual_quiz', 'practice' or 'test_bank', got 'pratice'",
        ),
        ("{{ quiz() }}", "expected quiz(section), got no arguments"),
        ('{{ quiz("practice", 2) }}', "expected quiz(section), got 2 arguments"),
        (
            '{{ quiz(section="practice", size=2) }}',
            "expected quiz(section), got an unknown argument size=",
        ),
        (
            "{{ quiz(page) }}",
            "expected text or a lesson macro call with literal arguments, got a bare name (page)",
        ),
        ("{{ quiz(1) }}", "expected quiz() with a quoted section name, got an expression"),
    ],
)
def test_a_wrong_quiz_argument_is_reported_at_its_line(call, message, lesson_source):
    source = lesson_source.replace('{{ quiz("practice") }}', call)
    assert problems(source) == [(line_of(call, source), message)]


def test_an_argument_to_a_macro_that_takes_none_is_reported(lesson_source):
    source = lesson_source.replace("{{ mode_picker() }}", "{{ mode_picker(1) }}")
    assert problems(source) == [
        (
            line_of("{{ mode_picker(1) }}", source),
            "expected mode_picker() with no arguments, got 1 argument",
        )
    ]


def test_an_unknown_macro_suggests_the_nearest_one(lesson_source):
    source = lesson_source + '{{ quizz("practice") }}\n'
    assert problems(source) == [
        (source.count("\n"), "expected a known macro, got quizz() (did you mean quiz()?)")
    ]


def test_a_template_syntax_error_is_reported_at_its_line(lesson_source):
    source = lesson_source.replace('{{ quiz("practice") }}', '{{ quiz("practice" }}')
    ((line, message),) = problems(source)
    assert line == line_of('{{ quiz("practice" }}', source)
    assert message.startswith("expected valid macro syntax, got ")


def test_a_lesson_macro_on_another_page_is_reported():
    assert problems("# Home\n\n{{ lesson_catalog() }}\n\n{{ glossary() }}\n", None) == [
        (
            5,
            "expected glossary() only on a lesson's pages (lessons/<slug>/index.md or test.md), "
            "got it on a page that is not a lesson's",
        )
    ]


def test_snippets_must_name_a_file_inside_the_examples_folder(tmp_path):
    (tmp_path / "examples" / "any-model").mkdir(parents=True)
    (tmp_path / "examples" / "any-model" / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "secret").write_text("no\n")
    source = (
        '--8<-- "any-model/Dockerfile"\n'
        '--8<-- "../secret"\n'
        "text\n"
        "--8<-- 'any-model/missing.txt'\n"
        ';--8<-- "escaped/is/fine"\n'
    )
    found = check_snippets(source, [tmp_path / "examples"], tmp_path)
    assert [(p.line, p.message) for p in found] == [
        (2, "expected a snippet path to a file inside examples/, got '../secret'"),
        (4, "expected a snippet path to a file inside examples/, got 'any-model/missing.txt'"),
    ]


def test_a_relative_snippet_base_is_found_where_pymdownx_snippets_finds_it(tmp_path, monkeypatch):
    # `mkdocs build -f project/mkdocs.yml` from tmp_path: mkdocs.yml's directory and
    # `!relative $config_dir/examples` are both paths from there, not from mkdocs.yml.
    (tmp_path / "project" / "examples" / "any-model").mkdir(parents=True)
    (tmp_path / "project" / "examples" / "any-model" / "Dockerfile").write_text("FROM scratch\n")
    monkeypatch.chdir(tmp_path)
    source = '--8<-- "any-model/Dockerfile"\n--8<-- "any-model/missing.txt"\n'
    found = check_snippets(source, [Path("project/examples")], Path("project"))
    assert [(p.line, p.message) for p in found] == [
        (2, "expected a snippet path to a file inside examples/, got 'any-model/missing.txt'"),
    ]
