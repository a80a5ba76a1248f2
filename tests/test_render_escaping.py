"""No lesson text can become markup, script, a Mermaid directive or a snippet include.

The schema rejects much of this already; these tests bypass it (models are copied without
validation) to prove the renderers hold on their own: every renderer, every text field at once.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from pydantic import BaseModel

from macros import LESSON_MACROS, render
from macros.diagrams import Drawing
from macros.loader import parse_lesson
from macros.models import QUIZ_SECTIONS, Lesson
from macros.page_checks import snippet_lines

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "tiny-lesson.yml"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PAYLOAD = (
    " <img src=x onerror=pwn(1)> \"q\" 's' & [l](javascript:pwn(2)) "
    "![i](https://other.example/i.png){: onerror=pwn(3) } %%{init: {'theme':'dark'}}%% "
    "`<b>code</b>` *em* {: onclick=pwn(5) }\n\n# Injected heading\n"
    '--8<-- ".git/config"\n<script>pwn(4)</script>\n```\n'
)


def poisoned(value):
    """`value` with PAYLOAD appended to every text that is not an id, without validation."""
    if isinstance(value, BaseModel):
        return value.model_copy(
            update={name: poisoned(getattr(value, name)) for name in type(value).model_fields}
        )
    if isinstance(value, list):
        return [poisoned(item) for item in value]
    if isinstance(value, dict):
        return {key: poisoned(item) for key, item in value.items()}
    if isinstance(value, str) and not SLUG.match(value):
        return value + PAYLOAD
    return value


@pytest.fixture(scope="module")
def hostile() -> Lesson:
    tiny = parse_lesson(FIXTURE.read_text(encoding="utf-8"), "tiny.yml", slug="tiny-lesson")
    return poisoned(tiny)


class Markup(HTMLParser):
    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def every_rendering(lesson: Lesson) -> dict[str, str]:
    renderings = {
        name: getattr(render, name)(lesson)
        for name in LESSON_MACROS
        # quiz takes a section; the titles are headings; the flow takes its drawings as well;
        # the links between a lesson's two pages take the other page's URL
        if name
        not in (
            "quiz",
            "lesson_title",
            "test_page_title",
            "process_flow",
            "test_link",
            "test_page_intro",
        )
    }
    renderings["test_link"] = render.test_link(lesson, "test/")
    renderings["test_page_intro"] = render.test_page_intro(lesson, "../")
    # The drawings come from Mermaid at build time (tests/test_diagrams.py draws hostile labels).
    drawing = Drawing('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', 1, 1)
    renderings["process_flow"] = render.process_flow(lesson, render.FlowDrawings(drawing, drawing))
    renderings |= {f"quiz({section!r})": render.quiz(lesson, section) for section in QUIZ_SECTIONS}
    renderings["quiz('test_bank'), on the test page"] = render.quiz(lesson, "test_bank", "../")
    renderings["lesson_catalog"] = render.lesson_catalog([(lesson, "lessons/tiny-lesson/")])
    return renderings


def test_the_payload_reaches_every_renderer(hostile):
    for name, markup in every_rendering(hostile).items():
        if name in ("mode_picker", "test_link"):  # no lesson text: labels and counts only
            continue
        assert "onerror=pwn(1)" in markup or "onerror=pwn(1)" in markup.replace("&quot;", '"'), (
            f"{name} shows no lesson text: the test would prove nothing about it"
        )


def test_no_renderer_emits_a_tag_or_attribute_from_lesson_text(hostile):
    for name, markup in every_rendering(hostile).items():
        tags = Markup(markup).tags
        assert not [tag for tag, _ in tags if tag in {"img", "script", "b", "iframe", "h1"}], name
        for tag, attrs in tags:
            assert not [a for a in attrs if a.startswith("on")], f"{name}: <{tag} {attrs}>"
            for key in ("href", "src"):
                value = attrs.get(key) or ""
                assert not re.match(r"\s*(javascript|data|https?):", value, re.I), (
                    f"{name}: <{tag} {key}={value!r}>"
                )


def test_no_renderer_emits_a_line_that_markdown_or_snippets_would_read(hostile):
    for name, markup in every_rendering(hostile).items():
        assert list(snippet_lines(markup)) == [], name
        assert not re.search(r"(?m)^[ \t]*(`{3}|~{3})", markup), f"{name}: a fence would open"


def as_the_site_renders_it(markup: str) -> str:
    """The renderer's output through Python-Markdown with the site's extensions, snippets too."""
    extensions = [
        "abbr",
        "admonition",
        "attr_list",
        "def_list",
        "md_in_html",
        "tables",
        "toc",
        "pymdownx.details",
        "pymdownx.highlight",
        "pymdownx.inlinehilite",
        "pymdownx.superfences",
        "pymdownx.snippets",
    ]
    configs = {"pymdownx.snippets": {"base_path": [str(ROOT)], "check_paths": True}}
    return markdown.markdown(markup, extensions=extensions, extension_configs=configs)


def test_markdown_adds_no_tag_and_includes_no_file_from_lesson_text(hostile):
    for name, markup in every_rendering(hostile).items():
        page = as_the_site_renders_it(f"# Title\n\n{markup}\n\nAfter.\n")
        tags = Markup(page).tags
        assert [tag for tag, _ in tags if tag in {"img", "script", "b", "h1"}] == ["h1"], name
        assert not [tag for tag, _ in tags if tag == "a" and _.get("href", "").startswith("java")]
        assert "[core]" not in page, f"{name}: .git/config was included"
        assert page.rstrip().endswith("<p>After.</p>"), f"{name}: the HTML block did not close"


@pytest.mark.parametrize("heading", ["lesson_title", "test_page_title"])
def test_the_title_is_an_inert_markdown_heading(hostile, heading):
    title = getattr(render, heading)(hostile)
    assert "\n" not in title
    assert "<" not in title and ">" not in title
    heading = Markup(as_the_site_renders_it(f"# {title}\n"))
    assert [tag for tag, _ in heading.tags] == ["h1"]
    unescaped = re.findall(r"(?<!\\)[][`*_{}()#!|]", title.replace("\\\\", ""))
    assert unescaped == [], f"{unescaped} would be read as Markdown"


@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_mermaid_source_keeps_every_label_inside_its_quotes(hostile, direction):
    source = render.mermaid_source(hostile, direction)
    assert "%%" not in source
    assert not re.search(r"[<>`]", source.replace(" --> ", " ").replace(" -->|", " |"))
    lines = source.splitlines()
    assert lines[0] == f"flowchart {direction}"
    assert len(lines) == 1 + len(hostile.flow.steps) + len(hostile.flow.edges)
    for line in lines[1:]:
        assert re.fullmatch(r'  [a-z0-9_]+(\["[^"]*"\]| -->(\|"[^"]*"\|)? [a-z0-9_]+)', line), line
