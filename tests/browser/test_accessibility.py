"""Every page passes axe-core in both palettes, reads without JavaScript, and links resolve."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from macros.render import LEARNING_MODES, flashcard_deck
from tests.browser.conftest import AXE, DIAGRAM, FLOW_STEPS, PAGES, RENDERED
from tests.browser.helpers import lay_out_everything

pytestmark = pytest.mark.browser

SCHEMES = {"light": "default", "dark": "slate"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

RUN_AXE = """async () => {
  const { violations } = await axe.run(document, { resultTypes: ["violations"] });
  return violations.map((v) => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
  }));
}"""


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']}: {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}\n        {summary}")
    return "\n".join(lines)


def test_axe_reports_no_violations_on_every_page_in_both_palettes(new_context):
    found = []
    runs = itertools.product(SCHEMES.items(), VIEWPORTS.items())
    for (system, scheme), (device, viewport) in runs:
        page = new_context(color_scheme=system, viewport=viewport).new_page()
        for path in PAGES:
            page.goto(path)
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
            drawn = FLOW_STEPS.get(path)
            if drawn is not None:
                expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(drawn)
                # Check what a reader sees once every hint, answer and solution is open.
                details = page.locator("article details")
                details.evaluate_all("all => all.forEach(d => { d.open = true; })")
            lay_out_everything(page)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(RUN_AXE)
            if violations:
                found.append(f"--- {path} ({system} palette, {device})\n{describe(violations)}")
    assert not found, "axe-core found violations:\n" + "\n".join(found)


@pytest.mark.parametrize("system", SCHEMES)
def test_axe_reports_no_violations_in_every_learning_mode(new_context, lesson, system):
    page = new_context(color_scheme=system).new_page()
    found = []
    for mode in LEARNING_MODES:
        page.goto(f"{lesson.url}?mode={mode.id}")
        expect(page.locator("article")).to_have_attribute("data-lesson-mode", mode.id)
        if "process-flow" in mode.sections or not mode.sections:
            expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(
                len(lesson.data.flow.steps)
            )
        page.wait_for_load_state("networkidle")  # the lazily loaded widgets have started
        page.locator("article details").evaluate_all(
            "all => all.forEach(d => { if (d.checkVisibility()) d.open = true; })"
        )
        lay_out_everything(page)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
        if violations:
            found.append(f"--- {mode.label} ({system} palette)\n{describe(violations)}")
    assert not found, "axe-core found violations:\n" + "\n".join(found)


def test_every_learning_aid_reads_in_full_with_javascript_off(new_context, lesson):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(lesson.url)

    for section in {s for mode in LEARNING_MODES for s in mode.sections}:
        expect(page.locator(f"h2#{section}")).to_be_visible()
    links = page.locator(".mode-picker a")
    expect(links).to_have_count(len(LEARNING_MODES))
    for link in links.all():
        assert (link.get_attribute("href") or "").startswith("#")
    steps = page.locator(".step-through__step")
    expect(steps).to_have_count(len(lesson.data.process_table.rows))
    for step in steps.all():
        expect(step).to_be_visible()
    expect(page.locator(".step-through button")).to_have_count(0)
    cards = page.locator(".flashcard")
    expect(cards).to_have_count(len(flashcard_deck(lesson.data)))
    for card in cards.all():
        expect(card.locator(".flashcard__front")).to_be_visible()
        expect(card.locator("details")).not_to_have_attribute("open", "")
    expect(page.locator(".cheat-sheet table")).to_have_count(2)
    expect(page.locator(".cheat-sheet")).to_be_visible()
    expect(page.locator(".glossary > div")).to_have_count(len(lesson.data.glossary))
    term = page.locator("a.glossary-term").first
    expect(term).to_have_attribute("title", re.compile(r"\w+ \w+"))


def test_lesson_reads_with_javascript_off(new_context, lesson):
    steps = len(lesson.data.flow.steps)
    page = new_context(java_script_enabled=False).new_page()
    page.goto(lesson.url)

    assert "js-enabled" not in (page.locator("html").get_attribute("class") or "")
    # The diagram was drawn at build time: it is there for every reader.
    figure = page.locator(DIAGRAM)
    expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(steps)
    drawing = page.locator(f"{RENDERED} svg").bounding_box()
    assert drawing["width"] > 200 and drawing["height"] > 200, f"drawing too small: {drawing}"
    # Screen readers still get the steps as a list (the drawing is aria-hidden).
    expect(figure.get_by_role("list").get_by_role("listitem")).to_have_count(steps)

    tables = page.locator("article .lesson-table table")
    expect(tables).to_have_count(3)  # the process table, the status tracker, the limits
    expect(tables.first).to_be_visible()
    expect(tables.first.locator("tbody tr")).to_have_count(len(lesson.data.process_table.rows))

    questions = page.locator("article .quiz-question")
    expect(questions).to_have_count(len(lesson.data.visual_quiz) + len(lesson.data.practice))
    answers = page.locator("article .quiz-question details[data-quiz-answer]")
    expect(answers).to_have_count(questions.count())
    for answer in answers.all():
        expect(answer).not_to_have_attribute("open", "")
        expect(answer.locator(".quiz-question__correct")).to_have_count(1)
        expect(answer.locator(".quiz-question__correct")).to_be_hidden()
    # The browser's own disclosure works without any script.
    first = answers.first
    first.locator("summary").click()
    expect(first.locator(".quiz-question__correct")).to_be_visible()
    expect(first.locator(".quiz-question__correct")).to_contain_text("Answer:")


def test_reference_links_point_at_existing_anchors(page, lesson):
    page.goto(lesson.url)
    # The list of steps must survive the drawing.
    expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(len(lesson.data.flow.steps))

    # Material rewrites "#x" to absolute URLs for instant navigation: resolve every link and
    # keep those that point into this page.
    fragments = page.eval_on_selector_all(
        "article a[href]",
        """links => links
          .map(a => new URL(a.href, location.href))
          .filter(url => url.origin + url.pathname === location.origin + location.pathname)
          .map(url => decodeURIComponent(url.hash.slice(1)))
          .filter(Boolean)""",
    )
    references = page.locator("article .lesson-refs a")
    assert references.count() >= 10, "expected the lesson's cross-references"
    assert len(fragments) >= references.count()
    missing = sorted(
        {f for f in fragments if not page.evaluate("id => !!document.getElementById(id)", f)}
    )
    assert missing == [], "links to no element on the page: #" + ", #".join(missing)


# Material mounts each code block (copy button, tab stop when it overflows) only when it first
# comes into view (content.lazy); until then site.js makes an overflowing one a tab stop.
OVERFLOWING_CODE = """() => [...document.querySelectorAll("article pre > code")]
  .filter((el) => el.scrollWidth > el.clientWidth + 1)
  .map((el) => ({ id: el.closest("pre").id, tabindex: el.getAttribute("tabindex") }))"""


@pytest.mark.parametrize("width", [390, 1280])
def test_a_code_block_that_scrolls_sideways_takes_focus_before_and_after_it_is_seen(
    new_context, lesson, width
):
    page = new_context(viewport={"width": width, "height": 844}).new_page()
    page.goto(lesson.url)
    expect(page.locator(".quiz--enhanced")).to_have_count(2)  # site.js has started
    page.wait_for_function(f"({OVERFLOWING_CODE})().every((c) => c.tabindex === '0')")
    unseen = [c for c in page.evaluate(OVERFLOWING_CODE) if not c["id"]]
    assert unseen, "no overflowing code block is left unmounted below the fold"

    page.locator("article details").evaluate_all("all => all.forEach(d => { d.open = true; })")
    blocks = page.locator("article .highlight pre")
    for i in range(blocks.count()):
        blocks.nth(i).scroll_into_view_if_needed()
        expect(blocks.nth(i).get_by_role("button", name="Copy to clipboard")).to_be_attached()
    assert all(c["tabindex"] == "0" for c in page.evaluate(OVERFLOWING_CODE))
