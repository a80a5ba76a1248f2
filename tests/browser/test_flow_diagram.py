"""Each lesson's process flow is an SVG drawn at build time: there with or without JavaScript,
in Material's palette, light or dark, top to bottom on a phone; no Mermaid script is loaded."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from macros.render import NARROW
from tests.browser.conftest import DIAGRAM, HOME, RENDERED
from tests.browser.helpers import NODE_COLOURS, contrast, seen, words

pytestmark = pytest.mark.browser

SCHEMES = {"light": "default", "dark": "slate"}
WIDTHS = (390, 1280)


# Labels are SVG text: a label wrapped over lines is one <tspan> per line.
NODE_LABELS = """nodes => nodes.map((node) => {
  const rows = [...node.querySelectorAll("text > tspan")];
  return rows.map((row) => row.textContent).join(" ");
})"""


def step_labels(page) -> list[str]:
    steps = page.locator(f"{DIAGRAM} .flow-diagram__steps > li")
    return [words(text) for text in steps.all_text_contents()]


def node_labels(page) -> list[str]:
    return [words(t) for t in page.locator(f"{RENDERED} svg g.node").evaluate_all(NODE_LABELS)]


def drawing_for_its_width(page) -> str:
    """The id of the drawing site.css should show in the figure as wide as it is: left to right
    from the width its layout class names (the lesson's: a longer flow needs more room), top
    to bottom below it. Top to bottom says nothing of the shape: a flow that branches is wide
    that way round too."""
    figure = page.locator(DIAGRAM)
    wide_from = re.search(r"\bflow-diagram--lr-from-(\d+)\b", figure.get_attribute("class"))
    width = figure.evaluate("el => el.clientWidth")
    return "flow-lr" if wide_from and width >= int(wide_from.group(1)) else "flow-tb"


def test_the_diagram_has_a_node_per_step_and_the_steps_as_a_list(page, page_errors, lesson):
    flow = lesson.data.flow
    page.goto(lesson.url)
    expect(page.locator(f"{RENDERED} svg")).to_have_count(1)
    expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(len(flow.steps))
    # The labels as written: Mermaid's entity codes (for `&`, `#`, quotes...) decoded.
    assert node_labels(page) == step_labels(page) == [words(step.label) for step in flow.steps]
    expect(page.locator(f"{RENDERED} svg")).to_have_attribute("aria-hidden", "true")
    # The list of steps is what screen readers get: out of sight, in the accessibility tree.
    steps = page.locator(DIAGRAM).get_by_role("list")
    expect(steps.get_by_role("listitem")).to_have_count(len(flow.steps))
    box = steps.bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1, f"the list should be visually hidden: {box}"
    assert page_errors == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_with_javascript_off_the_diagram_is_there_in_the_palette(
    new_context, lesson, scheme, width
):
    page = new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = page.new_page()
    page.goto(lesson.url)
    # Material picks the palette with a script; without one it shows the first (light). The
    # drawing's colours are CSS alone: switched here the way Material's script would.
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{SCHEMES[scheme]}')")

    drawing = page.locator(f"{RENDERED} svg")
    expect(drawing).to_have_count(1)
    expect(drawing).to_have_id(drawing_for_its_width(page))
    expect(drawing.locator("g.node")).to_have_count(len(lesson.data.flow.steps))
    box = drawing.bounding_box()
    assert box["width"] <= width - 16 and page.evaluate("scrollY") == 0
    colours = seen(page.evaluate(NODE_COLOURS))
    ratio = contrast(colours["text"], colours["fill"])
    assert ratio >= 4.5, f"{scheme}: node text {colours['text']} on {colours['fill']}: {ratio:.2f}"
    assert colours["stroke"] == colours["border"], colours


def test_the_palette_toggle_recolours_the_drawing_without_redrawing_it(page, page_errors, lesson):
    page.goto(lesson.url)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    drawing = page.locator(f"{RENDERED} svg").element_handle()
    light = seen(page.evaluate(NODE_COLOURS))

    page.get_by_title("Switch to dark mode").click()  # the mouse path
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    dark = seen(page.evaluate(NODE_COLOURS))
    assert dark["fill"] != light["fill"] and dark["text"] != light["text"]
    for colours in (light, dark):
        ratio = contrast(colours["text"], colours["fill"])
        assert ratio >= 4.5, f"node text {colours['text']} on {colours['fill']}: {ratio:.2f}:1"

    page.get_by_role("radio", name="Switch to light mode").press("Enter")  # the keyboard path
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    assert seen(page.evaluate(NODE_COLOURS)) == light
    assert drawing.evaluate("svg => svg.isConnected"), "the same drawing, recoloured by CSS"
    assert page_errors == []


def test_the_flow_runs_left_to_right_once_the_figure_is_wide_enough_for_it(page, lesson):
    page.goto(lesson.url)
    figure = page.locator(DIAGRAM)
    # The wide drawing is legible from 80% of its size, and never in a figure narrower than
    # NARROW; the layout class rounds that up to the next of its widths.
    wide = page.locator(".flow-diagram__drawing--lr svg")
    needed = max(float(wide.get_attribute("width")) * 0.8, NARROW)
    resize = "(el, width) => { el.style.width = width + 'px'; el.style.maxWidth = 'none'; }"

    figure.evaluate(resize, needed - 1)
    expect(page.locator(f"{RENDERED} svg")).to_have_id("flow-tb")
    figure.evaluate(resize, needed + 200)
    expect(page.locator(f"{RENDERED} svg")).to_have_id("flow-lr")
    box = page.locator(f"{RENDERED} svg").bounding_box()
    assert box["width"] > 2 * box["height"]


def test_on_a_phone_the_drawing_runs_top_to_bottom_and_the_page_does_not_scroll_sideways(
    new_context, lesson
):
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(lesson.url)
    drawing = page.locator(f"{RENDERED} svg")
    expect(drawing).to_have_id("flow-tb")
    assert drawing.bounding_box()["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_no_mermaid_script_is_loaded_and_the_source_is_there_to_copy(page, page_errors, lesson):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(lesson.url, wait_until="networkidle")
    assert [url for url in requested if "mermaid" in url.lower()] == []

    source = page.locator(".flow-diagram__source")
    source.locator("summary").click()
    text = source.locator("code").inner_text()
    assert text.startswith("flowchart LR\n") and text.count("-->") == len(lesson.data.flow.edges)
    assert page_errors == []


def test_the_diagram_survives_instant_navigation_from_home(page, page_errors, lesson):
    page.goto(HOME)
    page.evaluate("window.__sameDocument = true")
    for _ in range(2):  # there, back home, and there again
        page.locator(f".lesson-card[data-lesson='{lesson.slug}'] .lesson-card__title a").click()
        page.wait_for_url(f"**{lesson.url}")
        expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(len(lesson.data.flow.steps))
        page.go_back()
        page.wait_for_url(f"**{HOME}")
        expect(page.locator(DIAGRAM)).to_have_count(0)
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation, not a load"
    assert page_errors == []


def test_a_deep_link_below_the_diagram_lands_on_its_target(page, lesson):
    page.goto(f"{lesson.url}#process-step-2")
    page.wait_for_load_state("networkidle")
    row = page.locator("#process-step-2")
    expect(row).to_be_in_viewport()
    header = page.locator(".md-header").bounding_box()
    top = row.bounding_box()["y"]
    assert header["height"] - 1 <= top <= header["height"] + 120, f"row drawn at {top}px"
