"""Progress lasts in localStorage, shows on the lesson and the home page, and can be reset.
Storage that is corrupt, full or disabled never breaks a quiz."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HOME, each_with_a_lesson
from tests.browser.helpers import check, question_block, take_test

pytestmark = pytest.mark.browser

DISABLED_STORAGE = """Object.defineProperty(window, "localStorage", {
  configurable: true,
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});"""

FULL_STORAGE = """Storage.prototype.setItem = function () {
  throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
};"""


def two_questions(lesson):
    """Two questions of the visual quiz, one to answer rightly and one wrongly; the first a
    single-choice one, as a test looks for its checked radio button."""
    right = lesson.question(lambda q: q.type == "single-choice", "visual_quiz")
    return right, lesson.question(lambda q: q.id != right.id, "visual_quiz")


def progress(page):
    return page.get_by_text(re.compile(r"^Your progress: "))


def catalog_card(page, lesson):
    cards = page.locator(".lesson-catalog").get_by_role("listitem")
    return cards.filter(has=page.get_by_role("link", name=lesson.data.title))


def open_lesson(page, lesson):
    page.goto(lesson.url)
    expect(page.locator(".quiz--enhanced")).to_have_count(2)  # the test is on its own page
    expect(progress(page)).to_be_visible()


def stored(page, lesson):
    return page.evaluate("(key) => JSON.parse(localStorage.getItem(key))", lesson.storage_key)


def stores(lesson, text: str) -> str:
    """An init script that leaves `text` in the lesson's storage before the page starts."""
    return f"localStorage.setItem({lesson.storage_key!r}, {json.dumps(text)});"


def script_errors(page) -> list[str]:
    """Uncaught errors thrown from the site's own scripts (Material's are not ours to fix)."""
    errors: list[str] = []
    page.on(
        "pageerror",
        lambda error: re.search(r"(site|quiz)\.js", error.stack or "")
        and errors.append(error.stack),
    )
    return errors


def test_progress_survives_a_reload_and_shows_on_the_home_page(page, page_errors, lesson):
    right, wrong = two_questions(lesson)
    total = len(lesson.questions)
    open_lesson(page, lesson)
    expect(progress(page)).to_have_text(f"Your progress: 0 of {total} questions answered correctly")
    check(page, right, right=True)
    check(page, wrong, right=False)
    expect(progress(page)).to_have_text(f"Your progress: 1 of {total} questions answered correctly")
    saved = stored(page, lesson)
    assert saved["answers"] == {right.id: True, wrong.id: False} and saved["best"] is None
    assert sorted(saved["given"]) == sorted([right.id, wrong.id])

    page.reload()
    expect(progress(page)).to_have_text(f"Your progress: 1 of {total} questions answered correctly")
    # Each checked question is shown as it was checked (test_quiz_restore.py has the details).
    block = question_block(page, right)
    expect(block.get_by_role("status")).to_contain_text("Correct.")
    expect(block.get_by_text("Answer and explanation")).to_be_visible()
    expect(question_block(page, wrong).get_by_role("status")).to_contain_text("Not right.")
    untouched = question_block(page, lesson.data.practice[0])
    expect(untouched.get_by_text("You answered this correctly before.")).to_be_hidden()
    expect(untouched.get_by_text("Last time, this answer was not right.")).to_be_hidden()

    page.goto(HOME)
    card = catalog_card(page, lesson)
    expect(card).to_contain_text(f"1 of {total} questions answered correctly")
    expect(card.get_by_role("button")).to_have_count(0)  # resetting belongs to the lesson page
    assert page_errors == []


def test_a_best_score_saved_earlier_shows_on_the_lesson_and_its_card(new_context, lesson):
    right, wrong = two_questions(lesson)
    saved = {
        "answers": {right.id: True, wrong.id: True, "removed-question": False},
        "best": {"score": 8, "total": 10},
    }
    context = new_context()
    context.add_init_script(stores(lesson, json.dumps(saved)))
    page = context.new_page()

    page.goto(HOME)
    card = catalog_card(page, lesson)
    expect(card).to_contain_text(
        f"Your progress: 2 of {len(lesson.questions)} questions answered correctly"
        " · best test score 8/10"
    )
    open_lesson(page, lesson)
    expect(progress(page)).to_contain_text("best test score 8/10")
    # Saved before answers were kept: each says how it went, and is a fresh attempt.
    block = question_block(page, right)
    expect(block.get_by_text("You answered this correctly before.")).to_be_visible()
    expect(block.get_by_text("Answer and explanation")).to_be_hidden()
    expect(block.get_by_role("radio", checked=True)).to_have_count(0)


def test_reset_clears_the_progress_and_every_answer(page, page_errors, lesson):
    right, _ = two_questions(lesson)
    total = len(lesson.questions)
    open_lesson(page, lesson)
    block = check(page, right, right=True)
    expect(progress(page)).to_contain_text(f"1 of {total}")

    page.get_by_role("button", name="Reset progress").click()

    expect(progress(page)).to_have_text(f"Your progress: 0 of {total} questions answered correctly")
    expect(page.get_by_role("status").filter(has_text="Progress reset.")).to_be_visible()
    expect(block.get_by_role("status")).to_have_text("")
    expect(block.get_by_role("radio", checked=True)).to_have_count(0)
    expect(block.get_by_text("Answer and explanation")).to_be_hidden()
    assert stored(page, lesson) is None

    page.reload()
    expect(progress(page)).to_contain_text(f"0 of {total}")
    expect(block.get_by_text("You answered this correctly before.")).to_be_hidden()
    assert page_errors == []


# QUESTION stands for the id of the question the test then answers.
GARBAGE = {
    "invalid-json": "{not json",
    "null": "null",
    "array": "[]",
    "answers-list": '{"answers": ["QUESTION"]}',
    "answer-not-boolean": '{"answers": {"QUESTION": "yes"}}',
    "impossible-score": '{"answers": {}, "best": {"score": 11, "total": 10}}',
}


@pytest.mark.parametrize(("corruption", "lesson"), each_with_a_lesson(GARBAGE), indirect=["lesson"])
def test_corrupt_storage_is_ignored_and_then_replaced(new_context, corruption, lesson):
    right, _ = two_questions(lesson)
    total = len(lesson.questions)
    context = new_context()
    context.add_init_script(stores(lesson, GARBAGE[corruption].replace("QUESTION", right.id)))
    page = context.new_page()
    errors = script_errors(page)

    open_lesson(page, lesson)
    expect(progress(page)).to_have_text(f"Your progress: 0 of {total} questions answered correctly")
    check(page, right, right=True)

    expect(progress(page)).to_contain_text(f"1 of {total}")
    saved = stored(page, lesson)
    assert saved["answers"] == {right.id: True} and saved["best"] is None
    assert list(saved["given"]) == [right.id]
    assert errors == []


def test_disabled_storage_keeps_progress_for_the_visit(new_context, lesson):
    first, second = two_questions(lesson)
    total = len(lesson.questions)
    context = new_context()
    context.add_init_script(DISABLED_STORAGE)
    page = context.new_page()
    errors = script_errors(page)

    open_lesson(page, lesson)
    check(page, first, right=True)
    expect(progress(page)).to_contain_text(f"1 of {total}")
    page.get_by_role("button", name="Reset progress").click()
    expect(progress(page)).to_contain_text(f"0 of {total}")
    check(page, second, right=True)
    expect(progress(page)).to_contain_text(f"1 of {total}")
    assert errors == []


def test_full_storage_keeps_progress_in_memory_across_instant_navigation(new_context, lesson):
    right, _ = two_questions(lesson)
    total = len(lesson.questions)
    context = new_context()
    context.add_init_script(FULL_STORAGE)
    page = context.new_page()
    errors = script_errors(page)

    open_lesson(page, lesson)
    page.evaluate("window.__sameDocument = true")
    check(page, right, right=True)
    expect(progress(page)).to_contain_text(f"1 of {total}")

    page.get_by_role("link", name="Home").first.click()
    card = catalog_card(page, lesson)
    expect(card).to_contain_text(f"1 of {total} questions answered correctly")
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation"

    page.reload()  # nothing could be written, so a new visit starts afresh
    expect(card).to_contain_text(f"0 of {total} questions answered correctly")
    assert errors == []


def test_the_lesson_page_and_its_test_page_keep_each_others_progress(page, page_errors, lesson):
    # Each page has only some of the lesson's questions; saving on one must not drop the other's.
    right, wrong = two_questions(lesson)
    length = lesson.run_length
    open_lesson(page, lesson)
    check(page, right, right=True)
    page.get_by_role("link", name="Take the test").click()
    # (Material's navigation.tracking may yet put the lesson's last section in the hash.)
    expect(page).to_have_url(re.compile(re.escape(lesson.test_url) + "(#[^/]*)?$"))
    test = page.locator('[data-quiz="test_bank"].quiz--enhanced')
    test.get_by_role("button", name="Start the test").click()
    asked = take_test(test, length, lambda question, number: True, lesson.data.test_bank)
    expect(test.get_by_text(f"Your best score: {length}/{length}.")).to_be_visible()
    saved = stored(page, lesson)
    assert saved["answers"][right.id] is True, "the test page dropped the lesson page's answer"
    assert right.id in saved["given"], "the test page dropped what the lesson page restores"
    assert saved["best"] == {"score": length, "total": length}

    page.go_back()
    expect(page.locator(".quiz--enhanced")).to_have_count(2)
    check(page, wrong, right=False)
    saved = stored(page, lesson)
    assert saved["best"] == {"score": length, "total": length}, "best score dropped"
    assert all(saved["answers"][question.id] for question, _, _ in asked)
    expect(progress(page)).to_have_text(
        f"Your progress: {length + 1} of {len(lesson.questions)} questions answered correctly"
        f" · best test score {length}/{length}"
    )
    expect(question_block(page, right).get_by_role("status")).to_contain_text("Correct.")
    assert page_errors == []
