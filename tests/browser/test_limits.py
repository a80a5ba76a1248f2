"""What the image does not carry: a table in the lesson, readable on a phone, and part of the
Read, Cheat sheet and Flashcards modes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LESSON
from tests.browser.helpers import lesson

pytestmark = pytest.mark.browser

LIMITS = lesson().limits


def open_mode(page, mode: str):
    page.goto(f"{LESSON}?mode={mode}")
    expect(page.locator("article")).to_have_attribute("data-lesson-mode", mode)


def test_the_read_mode_shows_the_whole_limits_table(page):
    open_mode(page, "read")
    table = page.locator(".lesson-table--limits")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(len(LIMITS.rows))
    for row in LIMITS.rows:
        expect(page.locator(f"#limit-{row.id} th")).to_have_text(row.what.replace("`", ""))


def test_the_cheat_sheet_mode_names_every_limit(page):
    open_mode(page, "cheat-sheet")
    block = page.locator(".cheat-sheet__block--limits")
    expect(block).to_be_visible()
    expect(block.locator("h3")).to_have_text(LIMITS.title)
    for row in LIMITS.rows:
        expect(block).to_contain_text(row.what.replace("`", ""))


def test_the_flashcards_mode_deals_a_card_for_every_limit(page):
    open_mode(page, "flashcards")
    expect(page.locator(".flashcards")).to_be_visible()
    cards = page.locator('.flashcard[data-card-kind="limit"]')
    expect(cards).to_have_count(len(LIMITS.rows))
    ids = cards.evaluate_all("all => all.map(card => card.dataset.cardId)")
    assert ids == [f"limit-{row.id}" for row in LIMITS.rows]


def test_on_a_phone_each_limit_reads_as_a_labelled_card_without_sideways_scrolling(new_context):
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    open_mode(page, "read")
    table = page.locator(".lesson-table--limits")
    table.scroll_into_view_if_needed()
    # Material wraps each table in a scroll container that bleeds to the screen's edges.
    overflow = table.evaluate(
        "el => { const scroller = el.querySelector('.md-typeset__scrollwrap') || el;"
        " return scroller.scrollWidth - scroller.clientWidth; }"
    )
    assert overflow <= 1, f"the table scrolls sideways by {overflow}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    labels = page.locator("#limit-kernel td").evaluate_all(
        "cells => cells.map(td => getComputedStyle(td, '::before').content)"
    )
    assert labels == ['"Where it comes from"', '"What can break"', '"How to guard against it"']


def test_the_key_moment_on_host_changes_leads_to_the_kernel_row(page):
    open_mode(page, "key-moments")
    moment = page.locator("#key-moment-host-os-changes")
    moment.get_by_role("link", name="row “The kernel”", exact=False).click()
    row = page.locator("#limit-kernel")
    expect(row).to_be_visible()
    expect(page).to_have_url(re.compile(r"#limit-kernel$"))
