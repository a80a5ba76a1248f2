"""What the pattern does not take care of: a table in each lesson, readable on a phone, and part
of the Read, Cheat sheet and Flashcards modes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import plain

pytestmark = pytest.mark.browser


def open_mode(page, lesson, mode: str):
    page.goto(f"{lesson.url}?mode={mode}")
    expect(page.locator("article")).to_have_attribute("data-lesson-mode", mode)


def test_the_read_mode_shows_the_whole_limits_table(page, lesson):
    rows = lesson.data.limits.rows
    open_mode(page, lesson, "read")
    table = page.locator(".lesson-table--limits")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(len(rows))
    for row in rows:
        expect(page.locator(f"#limit-{row.id} th")).to_have_text(plain(row.what))


def test_the_cheat_sheet_mode_names_every_limit(page, lesson):
    limits = lesson.data.limits
    open_mode(page, lesson, "cheat-sheet")
    block = page.locator(".cheat-sheet__block--limits")
    expect(block).to_be_visible()
    expect(block.locator("h3")).to_have_text(plain(limits.title))
    for row in limits.rows:
        expect(block).to_contain_text(plain(row.what))


def test_the_flashcards_mode_deals_a_card_for_every_limit(page, lesson):
    rows = lesson.data.limits.rows
    open_mode(page, lesson, "flashcards")
    expect(page.locator(".flashcards")).to_be_visible()
    cards = page.locator('.flashcard[data-card-kind="limit"]')
    expect(cards).to_have_count(len(rows))
    ids = cards.evaluate_all("all => all.map(card => card.dataset.cardId)")
    assert ids == [f"limit-{row.id}" for row in rows]


def test_on_a_phone_each_limit_reads_as_a_labelled_card_without_sideways_scrolling(
    new_context, lesson
):
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    open_mode(page, lesson, "read")
    table = page.locator(".lesson-table--limits")
    table.scroll_into_view_if_needed()
    # Material wraps each table in a scroll container that bleeds to the screen's edges.
    overflow = table.evaluate(
        "el => { const scroller = el.querySelector('.md-typeset__scrollwrap') || el;"
        " return scroller.scrollWidth - scroller.clientWidth; }"
    )
    assert overflow <= 1, f"the table scrolls sideways by {overflow}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = lesson.data.limits.rows[0]
    labels = page.locator(f"#limit-{first.id} td").evaluate_all(
        "cells => cells.map(td => getComputedStyle(td, '::before').content)"
    )
    assert labels == ['"Where it comes from"', '"What can break"', '"How to guard against it"']


def test_a_key_moment_that_names_a_limit_leads_to_its_row(page, lesson):
    moment, row = next(
        (
            (moment, row)
            for moment in lesson.data.key_moments
            for ref in moment.refs
            for row in lesson.data.limits.rows
            if ref.limit == row.id
        ),
        (None, None),
    )
    if moment is None:
        pytest.fail(f"{lesson.slug}: no key moment refers to a row of the limits table")
    open_mode(page, lesson, "key-moments")
    page.locator(f"#key-moment-{moment.id}").get_by_role(
        "link", name=f"row “{plain(row.what)}”", exact=False
    ).click()
    expect(page.locator(f"#limit-{row.id}")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"#limit-{re.escape(row.id)}$"))
