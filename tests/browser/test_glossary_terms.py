"""Glossary terms across the site: a tooltip on hover and on keyboard focus, a link that leads
to the definition, and the definition still there without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from macros.glossary import term
from tests.browser.conftest import AXE, HOME, LESSONS
from tests.browser.helpers import contrast

pytestmark = pytest.mark.browser

TRANSCRIPT_TERMS = "#full-transcript ~ .lesson-transcript a.glossary-term"


def defining_lesson(href: str, here: str | None = None) -> str:
    """The slug of the lesson whose glossary a term link leads to. A term links to its lesson's
    page, or on that page itself to a bare `#glossary-...` (until Material's instant navigation
    makes every link absolute): then `here`, the page's lesson. A lesson's page may link other
    lessons' terms too (`glossary_from`)."""
    page_part = href.partition("#")[0].rstrip("/")
    return page_part.rsplit("/", 1)[-1] if page_part else here


def definition(slug: str, entry_id: str) -> str:
    (entry,) = [e for e in LESSONS[slug].glossary if e.id == entry_id]
    return term(slug, entry).definition


def defined(link, here: str | None = None) -> str:
    """The definition a term link shows and leads to."""
    href = link.get_attribute("href")
    return definition(defining_lesson(href, here), link.get_attribute("data-glossary-term"))


def first_own_term(page, lesson):
    """The lesson page's first link to the first term of the lesson's glossary it mentions."""
    expect(page.locator(f"#glossary-{lesson.data.glossary[0].id}")).to_be_attached()
    for entry in lesson.data.glossary:
        link = page.locator(f"article a.glossary-term[data-glossary-term='{entry.id}']")
        if link.count():
            return link.first
    pytest.fail(f"{lesson.slug}: its page mentions none of its glossary's terms")


def test_a_term_shows_its_definition_when_reached_by_keyboard(page, lesson):
    page.goto(lesson.url)
    term = page.locator(TRANSCRIPT_TERMS).first
    term.focus()
    expect(term).to_be_focused()
    tooltip = page.get_by_role("tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(defined(term, lesson.slug))


def test_a_term_shows_its_definition_on_hover(page, lesson):
    page.goto(lesson.url)
    term = first_own_term(page, lesson)
    term.scroll_into_view_if_needed()
    term.hover()
    expect(page.get_by_role("tooltip")).to_have_text(defined(term, lesson.slug))


def test_a_term_on_the_home_page_leads_to_its_definition_in_its_lesson(page):
    page.goto(HOME)
    # The home page links every lesson's terms, but only those its text happens to mention: the
    # first link to each lesson's glossary stands for that lesson. No link at all is a failure.
    hrefs = page.locator("article a.glossary-term").evaluate_all(
        "links => links.map((link) => link.getAttribute('href'))"
    )
    first_of_each: dict[str, str] = {}
    for href in hrefs:
        first_of_each.setdefault(defining_lesson(href), href)
    assert first_of_each, "the home page links no glossary term"
    assert set(first_of_each) <= set(LESSONS), f"links to no lesson's glossary: {first_of_each}"

    for slug, href in first_of_each.items():
        page.goto(HOME)
        term = page.locator(f"article a.glossary-term[href='{href}']").first
        entry_id = term.get_attribute("data-glossary-term")
        term.click()
        expect(page).to_have_url(re.compile(rf"/lessons/{slug}/#glossary-{entry_id}$"))
        target = page.locator(f"#glossary-{entry_id}")
        expect(target).to_be_in_viewport()
        expect(target).to_contain_text(definition(slug, entry_id))


def test_terms_are_not_linked_inside_quiz_questions(page, lesson):
    page.goto(lesson.url)
    expect(page.locator(".quiz a.glossary-term")).to_have_count(0)
    expect(page.locator(".quiz-question").first).to_be_attached()


def shown_term(page, lesson, width: int = 1280):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(lesson.url)
    term = page.locator(TRANSCRIPT_TERMS).first
    term.scroll_into_view_if_needed()
    term.hover()
    expect(page.get_by_role("tooltip")).to_be_visible()
    return term, page.get_by_role("tooltip")


def test_a_shown_definition_is_not_doubled_by_the_browsers_own_tooltip(page, lesson):
    term, tooltip = shown_term(page, lesson)
    definition_text = tooltip.text_content()
    expect(term).not_to_have_attribute("title", re.compile(".*"))
    expect(term).to_have_attribute("aria-describedby", tooltip.get_attribute("id"))
    page.mouse.move(0, 0)
    expect(tooltip).to_be_hidden()
    expect(term).to_have_attribute("title", definition_text)  # back for the next hover
    expect(term).not_to_have_attribute("aria-describedby", re.compile(".*"))


def test_the_pointer_can_move_onto_a_definition_and_escape_dismisses_it(page, lesson):
    term, tooltip = shown_term(page, lesson)
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
def test_a_definition_stays_on_the_screen_next_to_its_term(page, lesson, width):
    term, tooltip = shown_term(page, lesson, width)
    box = tooltip.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= 800
    assert 0 <= gap_between(tooltip, term) <= 16


def gap_between(tooltip, term) -> float:
    box, near = tooltip.bounding_box(), term.bounding_box()
    return max(box["y"] - (near["y"] + near["height"]), near["y"] - (box["y"] + box["height"]))


def test_a_definition_follows_its_term_when_the_page_moves(page, lesson):
    page.goto(lesson.url)
    term = page.locator(TRANSCRIPT_TERMS).first
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
def test_a_definition_is_legible_in_both_palettes(new_context, lesson, system):
    page = new_context(color_scheme=system).new_page()
    _, tooltip = shown_term(page, lesson)
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


def test_definitions_still_show_after_instant_navigation(page, page_errors, lesson):
    page.goto(HOME)
    page.evaluate("window.__sameDocument = true")
    page.locator("article a.glossary-term").first.hover()
    expect(page.get_by_role("tooltip")).to_be_visible()
    page.locator(f".lesson-card[data-lesson='{lesson.slug}'] .lesson-card__title a").click()
    page.wait_for_url(f"**{lesson.url}")
    expect(page.get_by_role("tooltip")).to_be_hidden()  # its term is gone
    term = first_own_term(page, lesson)
    term.scroll_into_view_if_needed()
    term.hover()
    expect(page.get_by_role("tooltip")).to_have_text(defined(term, lesson.slug))
    expect(page.get_by_role("tooltip")).to_have_count(1)
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation"
    assert page_errors == []
