"""Flow diagrams are drawn at build time by Mermaid in Chromium, cached, and checked."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from macros import render
from macros.diagrams import DiagramError, Drawing, FlowDiagramRenderer, Request, check_drawing
from macros.loader import parse_lesson

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "tiny-lesson.yml"
SVG = 'xmlns="http://www.w3.org/2000/svg"'


@pytest.fixture(scope="module")
def tiny():
    return parse_lesson(FIXTURE.read_text(encoding="utf-8"), "tiny.yml", slug="tiny-lesson")


def request_for(lesson, direction="LR") -> Request:
    return Request(
        source=render.mermaid_source(lesson, direction),
        svg_id=render.flow_diagram_svg_id(direction),
        nodes=render.flow_node_names(lesson),
        origin="tiny.yml: flow",
    )


def with_labels(lesson, *labels: str):
    steps = [
        s.model_copy(update={"label": t}) for s, t in zip(lesson.flow.steps, labels, strict=True)
    ]
    return lesson.model_copy(update={"flow": lesson.flow.model_copy(update={"steps": steps})})


def texts(svg: str) -> list[str]:
    """Each node's label as drawn, its lines joined by spaces."""
    nodes = re.findall(r'<g class="node"[^>]*>(.*?)</text>', svg, re.S)
    return [" ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", node)) for node in nodes]


@pytest.mark.browser
def test_each_step_is_a_node_carrying_its_step_id(tiny, tmp_path):
    renderer = FlowDiagramRenderer(ROOT, tmp_path)
    lr, drawing = renderer.draw_all([request_for(tiny, "LR"), request_for(tiny, "TB")])

    assert re.findall(r'data-flow-node="([^"]+)"', drawing.svg) == ["build", "run"]
    assert texts(drawing.svg) == ["Build image", "Run container"]
    assert drawing.height > lr.height and lr.width > drawing.width  # each way round
    assert f'width="{math.ceil(drawing.width)}"' in drawing.svg  # its own size, for layout
    assert "<style" not in drawing.svg, "colours come from the site's CSS, in both palettes"


@pytest.mark.browser
def test_markup_in_a_label_is_drawn_as_its_characters(tiny, tmp_path):
    # The schema rejects < and > in labels; the drawing holds even if it did not.
    hostile = with_labels(tiny, '<b>bold</b> & "quoted"', "<img src=x onerror=pwn()>")
    (drawing,) = FlowDiagramRenderer(ROOT, tmp_path).draw_all([request_for(hostile)])

    check_drawing(drawing.svg)
    assert "<b>" not in drawing.svg and "<img" not in drawing.svg
    labels = [re.sub(r"\s+", "", t) for t in texts(drawing.svg)]
    assert labels == [
        "&lt;b&gt;bold&lt;/b&gt;&amp;&quot;quoted&quot;".replace("&quot;", '"'),
        "&lt;imgsrc=xonerror=pwn()&gt;",
    ]


@pytest.mark.browser
def test_only_a_changed_diagram_is_drawn_again(tiny, tmp_path, monkeypatch):
    first = FlowDiagramRenderer(ROOT, tmp_path)
    first.draw_all([request_for(tiny, "LR"), request_for(tiny, "TB")])
    assert first.drawn == 2

    changed = with_labels(tiny, "Build the image", "Run container")
    second = FlowDiagramRenderer(ROOT, tmp_path)
    lr, tb = second.draw_all([request_for(changed, "LR"), request_for(tiny, "TB")])
    assert second.drawn == 1
    assert texts(lr.svg)[0] == "Build the image"

    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "no-chromium"))
    third = FlowDiagramRenderer(ROOT, tmp_path)
    third.draw_all([request_for(changed, "LR"), request_for(tiny, "TB")])
    assert third.drawn == 0  # all from the cache: no browser was needed


def test_a_missing_browser_is_one_line_saying_how_to_get_one(tiny, tmp_path, monkeypatch):
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "no-chromium"))
    with pytest.raises(DiagramError) as error:
        FlowDiagramRenderer(ROOT, tmp_path).draw_all([request_for(tiny)])
    assert "\n" not in str(error.value)
    assert "run `make browser`" in str(error.value) and "CHROMIUM_PATH" in str(error.value)


def test_an_unreadable_cache_entry_is_drawn_again_not_trusted(tiny, tmp_path, monkeypatch):
    renderer = FlowDiagramRenderer(ROOT, tmp_path)
    key = request_for(tiny).key("0", "script")
    (tmp_path / f"{key}.json").write_text("{not json", encoding="utf-8")
    assert renderer._cached(key) is None


@pytest.mark.parametrize(
    "inside, problem",
    [
        ("<script>pwn()</script>", "a <script> element"),
        ("<foreignObject><p>x</p></foreignObject>", "a <foreignObject> element"),
        ('<g onclick="pwn()"/>', "'onclick' attribute"),
        ('<path marker-end="url(https://example.com/x.svg#m)"/>', "a link to 'https:"),
        ('<image href="https://example.com/x.png"/>', "a <image> element"),
    ],
)
def test_a_drawing_with_anything_but_shapes_and_text_is_refused(inside, problem):
    with pytest.raises(DiagramError, match=re.escape(problem)):
        check_drawing(f"<svg {SVG}>{inside}</svg>")


def test_a_drawing_of_shapes_and_text_passes_the_check():
    check_drawing(
        f'<svg {SVG} viewBox="0 0 9 9"><g class="node" data-flow-node="a">'
        '<rect width="9" height="9"/><text><tspan x="0">a &amp; b</tspan></text></g>'
        '<path marker-end="url(#m)" d="M0 0"/></svg>'
    )


def test_process_flow_places_the_drawings_it_is_given(tiny):
    drawing = Drawing(f'<svg {SVG} id="flow-lr" viewBox="0 0 1 1"/>', 1, 1)
    markup = render.process_flow(tiny, render.FlowDrawings(drawing, drawing))
    assert markup.count(drawing.svg) == 2
