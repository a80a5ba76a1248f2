"""Glossary terms across the site: a tooltip on hover and on keyboard focus, a link that leads
to the definition, and the definition still there without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from macros.glossary import term
from tests.browser.conftest import AXE, HOME, LESSON
from tests.browser.helpers import contrast, lesson

pytestmark = pytest.mark.browser


def definition(entry_id: str) -> str:
    (entry,) = [e for e in lesson().glossary if e.id == entry_id]
    return term(lesson().id, entry).definition


def test_a_term_shows_its_definition_when_reached_by_keyboard(page):
    page.goto(LESSON)
    term = page.locator("#full-transcript ~ .lesson-transcript a.glossary-term").first
    entry_id = term.get_attribute("data-glossary-term")
    term.focus()
    expect(term).to_be_focused()
    tooltip = page.get_by_role("tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(definition(entry_id))


def test_a_term_shows_its_definition_on_hover(page):
    page.goto(LESSON)
    term = page.locator("a.glossary-term[data-glossary-term=container]").first
    term.scroll_into_view_if_needed()
    term.hover()
    expect(page.get_by_role("tooltip")).to_have_text(definition("container"))


def test_a_term_on_the_home_page_leads_to_its_definition_in_the_lesson(page):
    page.goto(HOME)
    # A term of the containers lesson: the catalog lists every lesson's summary.
    term = page.locator("article a.glossary-term[href*='containers-portability']").first
    entry_id = term.get_attribute("data-glossary-term")
    term.click()
    expect(page).to_have_url(re.compile(rf"{re.escape(LESSON)}#glossary-{entry_id}$"))
    target = page.locator(f"#glossary-{entry_id}")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text(definition(entry_id))


def test_terms_are_not_linked_inside_quiz_questions(page):
    page.goto(LESSON)
    expect(page.locator(".quiz a.glossary-term")).to_have_count(0)
    expect(page.locator(".quiz-question").first).to_be_attached()


def shown_term(page, width: int = 1280):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(LESSON)
    term = page.locator("#full-transcript ~ .lesson-transcript a.glossary-term").first
    term.scroll_into_view_if_needed()
    term.hover()
    expect(page.get_by_role("tooltip")).to_be_visible()
    return term, page.get_by_role("tooltip")


def test_a_shown_definition_is_not_doubled_by_the_browsers_own_tooltip(page):
    term, tooltip = shown_term(page)
    definition_text = tooltip.text_content()
    expect(term).not_to_have_attribute("title", re.compile(".*"))
    expect(term).to_have_attribute("aria-describedby", tooltip.get_attribute("id"))
    page.mouse.move(0, 0)
    expect(tooltip).to_be_hidden()
    expect(term).to_have_attribute("title", definition_text)  # back for the next hover
    expect(term).not_to_have_attribute("aria-describedby", re.compile(".*"))


def test_the_pointer_can_move_onto_a_definition_and_escape_dismisses_it(page):
    term, tooltip = shown_term(page)
    box = tooltip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.wait_for_timeout(400)
    expect(tooltip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    term.focus()
    expect(tooltip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(term).to_be_focused()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_definition_stays_on_the_screen_next_to_its_term(page, width):
    term, tooltip = shown_term(page, width)
    box = tooltip.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= 800
    assert 0 <= gap_between(tooltip, term) <= 16


def gap_between(tooltip, term) -> float:
    box, near = tooltip.bounding_box(), term.bounding_box()
    return max(box["y"] - (near["y"] + near["height"]), near["y"] - (box["y"] + box["height"]))


def test_a_definition_follows_its_term_when_the_page_moves(page):
    page.goto(LESSON)
    term = page.locator("#full-transcript ~ .lesson-transcript a.glossary-term").first
    term.focus()
    tooltip = page.get_by_role("tooltip")
    expect(tooltip).to_be_visible()
    page.evaluate("scrollBy(0, 120)")
    page.wait_for_timeout(100)
    # Something above the term grows, as a box drawn late does.
    page.evaluate(
        """() => {
          const spacer = document.createElement("div");
          spacer.style.height = "300px";
          document.querySelector("article").prepend(spacer);
        }"""
    )
    page.wait_for_timeout(200)
    expect(tooltip).to_be_visible()
    assert 0 <= gap_between(tooltip, term) <= 16


@pytest.mark.parametrize("system", ["light", "dark"])
def test_a_definition_is_legible_in_both_palettes(new_context, system):
    page = new_context(color_scheme=system).new_page()
    _, tooltip = shown_term(page)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run("#glossary-tooltip", { resultTypes: ["violations"] }))
            .violations.map((v) => v.id)"""
    )
    assert violations == []
    colour, background = tooltip.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    )
    assert contrast(colour, background) >= 4.5


def test_definitions_still_show_after_instant_navigation(page, page_errors):
    page.goto(HOME)
    page.evaluate("window.__sameDocument = true")
    page.locator("article a.glossary-term").first.hover()
    expect(page.get_by_role("tooltip")).to_be_visible()
    page.locator(
        ".lesson-card[data-lesson='containers-portability'] .lesson-card__title a"
    ).click()  # the lesson these tests know
    page.wait_for_url(f"**{LESSON}")
    expect(page.get_by_role("tooltip")).to_be_hidden()  # its term is gone
    term = page.locator("a.glossary-term[data-glossary-term=container]").first
    term.scroll_into_view_if_needed()
    term.hover()
    expect(page.get_by_role("tooltip")).to_have_text(definition("container"))
    expect(page.get_by_role("tooltip")).to_have_count(1)
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation"
    assert page_errors == []
