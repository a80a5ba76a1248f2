"""Progress lasts in localStorage, shows on the lesson and the home page, and can be reset.
Storage that is corrupt, full or disabled never breaks a quiz."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HOME, LESSON, TEST_PAGE
from tests.browser.helpers import (
    STORAGE_KEY,
    all_questions,
    check,
    find_question,
    lesson,
    question_block,
    take_test,
)

pytestmark = pytest.mark.browser

TOTAL = len(all_questions())
TEST_LENGTH = min(10, len(lesson().test_bank))
RIGHT = find_question(lambda q: q.type == "single-choice", "visual_quiz")
WRONG = find_question(lambda q: q.type == "single-choice" and q.id != RIGHT.id, "visual_quiz")

DISABLED_STORAGE = """Object.defineProperty(window, "localStorage", {
  configurable: true,
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});"""

FULL_STORAGE = """Storage.prototype.setItem = function () {
  throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
};"""


def progress(page):
    return page.get_by_text(re.compile(r"^Your progress: "))


def catalog_card(page):
    cards = page.locator(".lesson-catalog").get_by_role("listitem")
    return cards.filter(has=page.get_by_role("link", name=lesson().title))


def open_lesson(page):
    page.goto(LESSON)
    expect(page.locator(".quiz--enhanced")).to_have_count(2)  # the test is on its own page
    expect(progress(page)).to_be_visible()


def stored(page):
    return page.evaluate(f"() => JSON.parse(localStorage.getItem({STORAGE_KEY!r}))")


def script_errors(page) -> list[str]:
    """Uncaught errors thrown from the site's own scripts (Material's are not ours to fix)."""
    errors: list[str] = []
    page.on(
        "pageerror",
        lambda error: re.search(r"(site|quiz)\.js", error.stack or "")
        and errors.append(error.stack),
    )
    return errors


def test_progress_survives_a_reload_and_shows_on_the_home_page(page, page_errors):
    open_lesson(page)
    expect(progress(page)).to_have_text(f"Your progress: 0 of {TOTAL} questions answered correctly")
    check(page, RIGHT, right=True)
    check(page, WRONG, right=False)
    expect(progress(page)).to_have_text(f"Your progress: 1 of {TOTAL} questions answered correctly")
    saved = stored(page)
    assert saved["answers"] == {RIGHT.id: True, WRONG.id: False} and saved["best"] is None
    assert sorted(saved["given"]) == sorted([RIGHT.id, WRONG.id])

    page.reload()
    expect(progress(page)).to_have_text(f"Your progress: 1 of {TOTAL} questions answered correctly")
    # Each checked question is shown as it was checked (test_quiz_restore.py has the details).
    right = question_block(page, RIGHT)
    expect(right.get_by_role("status")).to_contain_text("Correct.")
    expect(right.get_by_text("Answer and explanation")).to_be_visible()
    expect(question_block(page, WRONG).get_by_role("status")).to_contain_text("Not right.")
    untouched = question_block(page, lesson().practice[0])
    expect(untouched.get_by_text("You answered this correctly before.")).to_be_hidden()
    expect(untouched.get_by_text("Last time, this answer was not right.")).to_be_hidden()

    page.goto(HOME)
    card = catalog_card(page)
    expect(card).to_contain_text(f"1 of {TOTAL} questions answered correctly")
    expect(card.get_by_role("button")).to_have_count(0)  # resetting belongs to the lesson page
    assert page_errors == []


def test_a_best_score_saved_earlier_shows_on_the_lesson_and_its_card(new_context):
    saved = {
        "answers": {RIGHT.id: True, WRONG.id: True, "removed-question": False},
        "best": {"score": 8, "total": 10},
    }
    context = new_context()
    context.add_init_script(
        f"localStorage.setItem({STORAGE_KEY!r}, {json.dumps(json.dumps(saved))});"
    )
    page = context.new_page()

    page.goto(HOME)
    card = catalog_card(page)
    expect(card).to_contain_text(
        f"Your progress: 2 of {TOTAL} questions answered correctly · best test score 8/10"
    )
    open_lesson(page)
    expect(progress(page)).to_contain_text("best test score 8/10")
    # Saved before answers were kept: each says how it went, and is a fresh attempt.
    right = question_block(page, RIGHT)
    expect(right.get_by_text("You answered this correctly before.")).to_be_visible()
    expect(right.get_by_text("Answer and explanation")).to_be_hidden()
    expect(right.get_by_role("radio", checked=True)).to_have_count(0)


def test_reset_clears_the_progress_and_every_answer(page, page_errors):
    open_lesson(page)
    block = check(page, RIGHT, right=True)
    expect(progress(page)).to_contain_text(f"1 of {TOTAL}")

    page.get_by_role("button", name="Reset progress").click()

    expect(progress(page)).to_have_text(f"Your progress: 0 of {TOTAL} questions answered correctly")
    expect(page.get_by_role("status").filter(has_text="Progress reset.")).to_be_visible()
    expect(block.get_by_role("status")).to_have_text("")
    expect(block.get_by_role("radio", checked=True)).to_have_count(0)
    expect(block.get_by_text("Answer and explanation")).to_be_hidden()
    assert stored(page) is None

    page.reload()
    expect(progress(page)).to_contain_text(f"0 of {TOTAL}")
    expect(block.get_by_text("You answered this correctly before.")).to_be_hidden()
    assert page_errors == []


@pytest.mark.parametrize(
    "garbage",
    [
        "{not json",
        "null",
        "[]",
        '{"answers": ["vq-image-created-step"]}',
        '{"answers": {"vq-image-created-step": "yes"}}',
        '{"answers": {}, "best": {"score": 11, "total": 10}}',
    ],
    ids=["invalid-json", "null", "array", "answers-list", "answer-not-boolean", "impossible-score"],
)
def test_corrupt_storage_is_ignored_and_then_replaced(new_context, garbage):
    context = new_context()
    context.add_init_script(f"localStorage.setItem({STORAGE_KEY!r}, {json.dumps(garbage)});")
    page = context.new_page()
    errors = script_errors(page)

    open_lesson(page)
    expect(progress(page)).to_have_text(f"Your progress: 0 of {TOTAL} questions answered correctly")
    check(page, RIGHT, right=True)

    expect(progress(page)).to_contain_text(f"1 of {TOTAL}")
    saved = stored(page)
    assert saved["answers"] == {RIGHT.id: True} and saved["best"] is None
    assert list(saved["given"]) == [RIGHT.id]
    assert errors == []


def test_disabled_storage_keeps_progress_for_the_visit(new_context):
    context = new_context()
    context.add_init_script(DISABLED_STORAGE)
    page = context.new_page()
    errors = script_errors(page)

    open_lesson(page)
    check(page, RIGHT, right=True)
    expect(progress(page)).to_contain_text(f"1 of {TOTAL}")
    page.get_by_role("button", name="Reset progress").click()
    expect(progress(page)).to_contain_text(f"0 of {TOTAL}")
    check(page, WRONG, right=True)
    expect(progress(page)).to_contain_text(f"1 of {TOTAL}")
    assert errors == []


def test_full_storage_keeps_progress_in_memory_across_instant_navigation(new_context):
    context = new_context()
    context.add_init_script(FULL_STORAGE)
    page = context.new_page()
    errors = script_errors(page)

    open_lesson(page)
    page.evaluate("window.__sameDocument = true")
    check(page, RIGHT, right=True)
    expect(progress(page)).to_contain_text(f"1 of {TOTAL}")

    page.get_by_role("link", name="Home").first.click()
    card = catalog_card(page)
    expect(card).to_contain_text(f"1 of {TOTAL} questions answered correctly")
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation"

    page.reload()  # nothing could be written, so a new visit starts afresh
    expect(card).to_contain_text(f"0 of {TOTAL} questions answered correctly")
    assert errors == []


def test_the_lesson_page_and_its_test_page_keep_each_others_progress(page, page_errors):
    # Each page has only some of the lesson's questions; saving on one must not drop the other's.
    open_lesson(page)
    check(page, RIGHT, right=True)
    page.get_by_role("link", name="Take the test").click()
    # (Material's navigation.tracking may yet put the lesson's last section in the hash.)
    expect(page).to_have_url(re.compile(re.escape(TEST_PAGE) + "(#[^/]*)?$"))
    test = page.locator('[data-quiz="test_bank"].quiz--enhanced')
    test.get_by_role("button", name="Start the test").click()
    asked = take_test(test, TEST_LENGTH, lambda question, number: True)
    expect(test.get_by_text(f"Your best score: {TEST_LENGTH}/{TEST_LENGTH}.")).to_be_visible()
    saved = stored(page)
    assert saved["answers"][RIGHT.id] is True, "the test page dropped the lesson page's answer"
    assert RIGHT.id in saved["given"], "the test page dropped what the lesson page restores"
    assert saved["best"] == {"score": TEST_LENGTH, "total": TEST_LENGTH}

    page.go_back()
    expect(page.locator(".quiz--enhanced")).to_have_count(2)
    check(page, WRONG, right=False)
    saved = stored(page)
    assert saved["best"] == {"score": TEST_LENGTH, "total": TEST_LENGTH}, "best score dropped"
    assert all(saved["answers"][question.id] for question, _, _ in asked)
    expect(progress(page)).to_have_text(
        f"Your progress: {TEST_LENGTH + 1} of {TOTAL} questions answered correctly"
        f" · best test score {TEST_LENGTH}/{TEST_LENGTH}"
    )
    expect(question_block(page, RIGHT).get_by_role("status")).to_contain_text("Correct.")
    assert page_errors == []
