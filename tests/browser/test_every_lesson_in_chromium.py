"""Each lesson walked through whole, in the browser: every quiz question answered rightly, a
test run with full marks, every step of the step-through lighting its own nodes, a reference
followed from the far end of a mode, and the cheat sheet's terms. The other browser files test
each widget in depth, also over every lesson (their `lesson` fixture)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import RENDERED
from tests.browser.helpers import (
    answer,
    question_block,
    take_test,
)

pytestmark = pytest.mark.browser


def test_the_step_through_highlights_each_steps_own_nodes(page, page_errors, lesson):
    page.goto(lesson.url)
    widget = page.locator(".step-through--enhanced")
    rows = lesson.data.process_table.rows
    for number, row in enumerate(rows, 1):
        if number > 1:
            widget.get_by_role("button", name="Next", exact=True).click()
        expect(widget.locator(".step-through__position")).to_have_text(
            f"Step {number} of {len(rows)}"
        )
        lit = page.locator(f"{RENDERED} svg g.node[data-step-current]")
        expect(lit).to_have_count(len(row.flow_steps))
        assert sorted(n.get_attribute("data-flow-node") for n in lit.all()) == sorted(
            row.flow_steps
        ), f"step {number}"
    assert page_errors == []


@pytest.mark.parametrize("height", [900, 700])
def test_a_reference_to_a_section_the_mode_hides_switches_mode_and_keeps_its_fragment(
    new_context, lesson, height
):
    # The last key moment's references: the furthest down the Key moments mode, so that the
    # click comes after a scroll (a link above the fold once hid the failure).
    moment = lesson.data.key_moments[-1]
    page = new_context(viewport={"width": 1280, "height": height}).new_page()
    for attempt in range(4):  # it failed 2 times in 4 at 1280x900 once
        page.goto(f"{lesson.url}?mode=key-moments")
        expect(page.locator("article")).to_have_attribute("data-lesson-mode", "key-moments")
        link = page.locator(f"#key-moment-{moment.id} .lesson-refs a").first
        fragment = "#" + link.get_attribute("href").split("#", 1)[1]
        link.scroll_into_view_if_needed()
        link.click()
        target = page.locator(f"[id='{fragment[1:]}']")
        # A flow step's target is the diagram's list for screen readers: the reader sees the
        # drawing beside it.
        seen_part = target.locator("xpath=ancestor-or-self::*[contains(@class, 'flow-diagram')]")
        expect(seen_part.first if seen_part.count() else target).to_be_in_viewport()
        assert page.evaluate("location.hash") == fragment, f"attempt {attempt + 1}"
        assert page.locator("article").get_attribute("data-lesson-mode") != "key-moments"


def test_the_cheat_sheet_puts_a_space_between_each_term_and_its_definition(page, lesson):
    page.goto(f"{lesson.url}?mode=cheat-sheet")
    terms = page.locator(".cheat-sheet__terms dt")
    expect(terms).to_have_count(len(lesson.data.glossary))
    gaps = terms.evaluate_all(
        """(all) => all.map((dt) => {
          const box = (node, start, end) => {
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, end);
            return [...range.getClientRects()];
          };
          const term = dt.lastChild;
          const end = box(term, term.length - 1, term.length).pop();
          const [first] = box(dt.nextElementSibling.firstChild, 0, 1);
          const colon = dt.appendChild(document.createElement("span"));
          colon.textContent = ":";
          const colonWidth = colon.getBoundingClientRect().width;
          colon.remove();
          // On one line: the definition starts a colon and a space after the term's last letter.
          return Math.abs(first.top - end.top) < 2 ? first.left - end.right - colonWidth : null;
        })"""
    )
    same_line = [gap for gap in gaps if gap is not None]
    assert same_line and all(gap >= 2 for gap in same_line), gaps


def test_every_visual_quiz_and_practice_question_takes_its_right_answer(page, page_errors, lesson):
    page.goto(lesson.url)
    expect(page.locator(".quiz--enhanced")).to_have_count(2)
    data = lesson.data
    for question in [*data.visual_quiz, *data.practice]:
        block = question_block(page, question)
        block.scroll_into_view_if_needed()
        answer(block, question, right=True)
        block.get_by_role("button", name="Check answer").click()
        expect(block.get_by_role("status")).to_contain_text("Correct.")
    expect(page.get_by_text(re.compile(r"^Your progress: "))).to_contain_text(
        f"{len(data.visual_quiz) + len(data.practice)} of"
    )
    assert page_errors == []


def test_a_test_run_answered_rightly_scores_full_marks(page, page_errors, lesson):
    page.goto(lesson.test_url)
    test = page.locator(".quiz--enhanced")
    test.get_by_role("button", name="Start the test").click()
    count = lesson.run_length
    take_test(test, count, lambda question, number: True, bank=lesson.data.test_bank)
    expect(test).to_contain_text(f"You scored {count} of {count}.")
    assert page_errors == []
