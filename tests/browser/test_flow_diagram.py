"""The lesson's process flow is drawn by Mermaid, served from the site, in both palettes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DIAGRAM, HOME, LESSON, RENDERED
from tests.browser.helpers import contrast, words

pytestmark = pytest.mark.browser

NODE_COLOURS = """() => {
  const node = document.querySelector('[data-module="flow-diagram"] svg g.node');
  return {
    svg: node.ownerSVGElement.id,
    fill: getComputedStyle(node.querySelector('.label-container')).fill,
    text: getComputedStyle(node.querySelector('text')).fill,
  };
}"""


def step_labels(page) -> list[str]:
    steps = page.locator(f"{DIAGRAM} .flow-diagram__steps > li")
    return [words(text) for text in steps.all_text_contents()]


# Labels are SVG text: a label wrapped over lines is one <tspan class="row"> per line.
NODE_LABELS = """nodes => nodes.map((node) => {
  const rows = [...node.querySelectorAll("text > tspan.row")];
  return rows.length ? rows.map((row) => row.textContent).join(" ") : node.textContent;
})"""


def node_labels(page) -> list[str]:
    return [words(t) for t in page.locator(f"{DIAGRAM} svg g.node").evaluate_all(NODE_LABELS)]


def test_lesson_diagram_renders_as_svg_with_five_step_nodes(page, page_errors):
    page.goto(LESSON)
    figure = page.locator(RENDERED)
    expect(figure).to_have_count(1)

    expect(figure.locator("svg g.node")).to_have_count(5)
    assert node_labels(page) == step_labels(page)
    assert "Consistent environment & output" in node_labels(page)  # entity survived Mermaid
    canvas = figure.locator(".flow-diagram__canvas")
    expect(canvas).to_be_visible()
    expect(canvas).to_have_attribute("aria-hidden", "true")
    # The list of steps is what screen readers get: out of sight, still in the accessibility tree.
    steps = figure.get_by_role("list")
    expect(steps).to_have_count(1)
    expect(steps.get_by_role("listitem")).to_have_count(5)
    box = steps.bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1, f"the list should be visually hidden: {box}"
    assert page_errors == []


def test_diagram_renders_after_instant_navigation_from_home(page, page_errors):
    page.goto(HOME)
    page.evaluate("window.__sameDocument = true")

    for _ in range(2):  # there, back home, and there again: a fresh figure each time
        page.locator(".lesson-catalog").get_by_role("link").first.click()
        page.wait_for_url(f"**{LESSON}")
        expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(5)
        expect(page.locator(f"{DIAGRAM} svg")).to_have_count(1)
        page.go_back()
        page.wait_for_url(f"**{HOME}")
        expect(page.locator(DIAGRAM)).to_have_count(0)

    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation, not a load"
    assert page_errors == []


def test_dark_mode_toggle_switches_palette(page, page_errors):
    page.goto(LESSON)
    expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(5)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    light = page.evaluate(NODE_COLOURS)

    # The mouse path: the visible button in the header.
    page.get_by_title("Switch to dark mode").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.wait_for_function(f"({NODE_COLOURS})().svg !== {light['svg']!r}")
    dark = page.evaluate(NODE_COLOURS)

    assert dark["fill"] != light["fill"] and dark["text"] != light["text"]
    for colours in (light, dark):
        ratio = contrast(colours["text"], colours["fill"])
        assert ratio >= 4.5, f"node text {colours['text']} on {colours['fill']}: {ratio:.2f}:1"

    # The keyboard path: the radio named "Switch to light mode", then Enter.
    page.get_by_role("radio", name="Switch to light mode").press("Enter")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    page.wait_for_function(f"({NODE_COLOURS})().svg !== {dark['svg']!r}")
    back = page.evaluate(NODE_COLOURS)
    assert (back["fill"], back["text"]) == (light["fill"], light["text"])
    expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(5)
    assert page_errors == []


def test_diagram_runs_top_to_bottom_on_a_phone(new_context):
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(LESSON)
    expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(5)
    svg = page.locator(f"{DIAGRAM} svg")
    box = svg.bounding_box()
    assert box["height"] > box["width"], f"expected a tall drawing on a phone, got {box}"
    assert box["width"] <= 390
    # No sideways scrolling of the page because of the drawing.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_widgets_initialise_once_per_element(page, page_errors):
    page.goto(LESSON)
    expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(5)
    drawn = page.locator(f"{DIAGRAM} svg").get_attribute("id")

    page.evaluate("MLOpsVisualPatterns.initAll(); MLOpsVisualPatterns.initAll()")
    page.wait_for_timeout(1000)  # a second start would redraw within a few dozen ms

    expect(page.locator(f"{DIAGRAM} svg")).to_have_count(1)
    assert page.locator(f"{DIAGRAM} svg").get_attribute("id") == drawn, "the diagram was redrawn"
    assert page_errors == []


def test_a_deep_link_below_the_diagram_stays_in_view_once_it_is_drawn(page):
    page.goto(f"{LESSON}#process-step-2")
    expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(5)
    page.wait_for_load_state("networkidle")
    row = page.locator("#process-step-2")
    expect(row).to_be_in_viewport()
    header = page.locator(".md-header").bounding_box()
    top = row.bounding_box()["y"]
    assert header["height"] - 1 <= top <= header["height"] + 120, f"row drawn at {top}px"
