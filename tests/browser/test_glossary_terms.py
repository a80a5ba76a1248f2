"""Glossary terms across the site: a tooltip on hover and on keyboard focus, a link that leads
to the definition, and the definition still there without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from macros.glossary import term
from tests.browser.conftest import HOME, LESSON
from tests.browser.helpers import lesson

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
    term = page.locator("article a.glossary-term").first
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
