"""A reload shows each checked question of the visual quiz and practice as the reader left it: the
same picks, order or text, the same marks and feedback, the answer ready to open. "Try again"
and "Reset progress" start afresh; a test run always does. Saved answers are untrusted: one that
does not fit its question is ignored on its own, and the rest still restore."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LESSON, TEST_PAGE
from tests.browser.helpers import (
    STORAGE_KEY,
    all_questions,
    answer,
    check,
    find_question,
    lesson,
    option_texts,
    ordering_texts,
    plain,
    question_block,
    take_test,
)

pytestmark = pytest.mark.browser

TOTAL = len(all_questions())
SINGLE = find_question(
    lambda q: q.type == "single-choice"
    and any(o.why_wrong for o in q.options if o.text != q.answer)
)
OTHER_SINGLE = find_question(lambda q: q.type == "single-choice" and q.id != SINGLE.id)
MULTIPLE = find_question(lambda q: q.type == "multiple-choice")
ORDERING = find_question(lambda q: q.type == "ordering")
SHORT = find_question(lambda q: q.type == "short-answer")
TEST_IDS = {q.id for q in lesson().test_bank}

# What a reader sees of a question, in one reading.
SEEN = """(li) => ({
  result: li.dataset.result ?? null,
  feedback: li.querySelector("[role=status]").textContent.replace(/\\s+/g, " ").trim(),
  shown: [...li.querySelectorAll(".quiz-option__text, .quiz-ordering__text")]
    .map((el) => el.textContent.trim()),
  checked: [...li.querySelectorAll("input:checked")].map((input) => input.value),
  marks: [...li.querySelectorAll("[data-mark]")].map((el) => el.dataset.mark),
  typed: li.querySelector("[data-quiz-text-answer]")?.value ?? null,
})"""


def open_lesson(page):
    page.goto(LESSON)
    expect(page.locator(".quiz--enhanced")).to_have_count(2)


def stored(page):
    return page.evaluate(f"() => JSON.parse(localStorage.getItem({STORAGE_KEY!r}))")


def seeded(new_context, saved):
    """A page whose storage holds `saved` for the lesson when it first loads (reloads keep what
    the page itself saved since); and the errors it reports."""
    context = new_context()
    context.add_init_script(
        "if (!sessionStorage.getItem('seeded')) {"
        f"  localStorage.setItem({STORAGE_KEY!r}, {json.dumps(json.dumps(saved))});"
        "  sessionStorage.setItem('seeded', '1');"
        "}"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on(
        "console",
        lambda m: (m.type == "error" or "quiz.js" in m.text) and errors.append(m.text),
    )
    return page, errors


def wrongly_given(question) -> dict:
    """A saved answer that fits `question` and is wrong (options shown in source order)."""
    if question.type == "ordering":
        return {"order": list(reversed(range(len(question.items))))}
    if question.type == "short-answer":
        return {"text": "docker ps"}
    right = [question.answer] if question.type == "single-choice" else question.answers
    wrong = next(i for i, o in enumerate(question.options) if o.text not in right)
    return {"picked": [wrong], "shown": list(range(len(question.options)))}


def progress(page):
    return page.get_by_text(re.compile(r"^Your progress: "))


def is_fresh(block):
    expect(block).not_to_have_attribute("data-result", re.compile(""))
    expect(block.locator("input:checked")).to_have_count(0)
    expect(block.get_by_role("status")).to_have_text("")
    expect(block.get_by_text("Answer and explanation")).to_be_hidden()


# 1. A reload shows what was checked ---------------------------------------------------------


@pytest.mark.parametrize(
    "question", [SINGLE, MULTIPLE, ORDERING, SHORT], ids=lambda q: f"{q.type}:{q.id}"
)
def test_a_wrong_answer_is_shown_again_after_a_reload_with_the_same_feedback(
    page, page_errors, question
):
    open_lesson(page)
    block = question_block(page, question)
    answer(block, question, right=False)  # an ordering stays in the (never right) order shown
    block.get_by_role("button", name="Check answer").click()
    expect(block.get_by_role("status")).to_contain_text("Not right.")
    before = block.evaluate(SEEN)

    page.reload()
    expect(block).to_have_attribute("data-result", "incorrect")
    assert block.evaluate(SEEN) == before
    expect(block.get_by_text("Answer and explanation")).to_be_visible()  # ready to open
    expect(block.locator("details[data-quiz-answer]")).not_to_have_attribute("open", "")
    expect(block.get_by_text("Last time, this answer was not right.")).to_be_hidden()
    expect(block.get_by_role("button", name="Try again")).to_be_visible()
    assert page_errors == []


def test_a_right_answer_is_shown_again_and_still_counts_once(page):
    open_lesson(page)
    check(page, SINGLE, right=True)
    check(page, SHORT, right=True)
    expect(progress(page)).to_contain_text(f"2 of {TOTAL}")

    page.reload()
    for question in (SINGLE, SHORT):
        expect(question_block(page, question).get_by_role("status")).to_contain_text("Correct.")
    expect(progress(page)).to_contain_text(f"2 of {TOTAL}")


def test_what_is_saved_names_options_and_steps_by_their_place_in_the_lesson(page):
    open_lesson(page)
    single = check(page, SINGLE, right=False)
    ordering = check(page, ORDERING, right=False)
    short = question_block(page, SHORT)
    short.get_by_label("Your answer").fill("  docker build -t ml-model:2.0 .  ")
    short.get_by_role("button", name="Check answer").click()
    expect(short.get_by_role("status")).to_contain_text("Not right.")

    given = stored(page)["given"]
    options = [plain(o.text) for o in SINGLE.options]
    picked = options.index(plain(next(o.text for o in SINGLE.options if o.text != SINGLE.answer)))
    assert given[SINGLE.id] == {
        "picked": [picked],
        "shown": [options.index(text) for text in option_texts(single)],
    }
    items = [plain(text) for text in ORDERING.items]
    assert given[ORDERING.id] == {"order": [items.index(text) for text in ordering_texts(ordering)]}
    assert given[SHORT.id] == {"text": "docker build -t ml-model:2.0 ."}


def test_an_answer_longer_than_500_characters_counts_but_is_not_kept(page):
    open_lesson(page)
    block = question_block(page, SHORT)
    block.get_by_label("Your answer").fill("docker build " + "x" * 600)
    block.get_by_role("button", name="Check answer").click()
    expect(block.get_by_role("status")).to_contain_text("Not right.")

    saved = stored(page)
    assert saved["answers"] == {SHORT.id: False} and saved["given"] == {}
    page.reload()
    is_fresh(block)
    expect(block.get_by_text("Last time, this answer was not right.")).to_be_visible()


# 2. Starting afresh -------------------------------------------------------------------------


def test_try_again_starts_afresh_and_then_only_the_verdict_is_remembered(page, page_errors):
    open_lesson(page)
    block = check(page, SINGLE, right=False)
    page.reload()
    expect(block.get_by_role("status")).to_contain_text("Not right.")

    block.get_by_role("button", name="Try again").click()

    is_fresh(block)
    expect(block.get_by_text("Last time, this answer was not right.")).to_be_visible()
    expect(block.get_by_role("button", name="Try again")).to_be_hidden()
    expect(block.get_by_role("radio").first).to_be_focused()
    saved = stored(page)
    assert saved["answers"][SINGLE.id] is False and SINGLE.id not in saved["given"]

    page.reload()
    is_fresh(block)
    expect(block.get_by_text("Last time, this answer was not right.")).to_be_visible()
    check(page, SINGLE, right=True)
    expect(progress(page)).to_contain_text(f"1 of {TOTAL}")
    assert page_errors == []


def test_reset_progress_clears_every_restored_answer(page):
    open_lesson(page)
    check(page, ORDERING, right=True)
    check(page, SHORT, right=False)
    page.reload()
    expect(question_block(page, SHORT).get_by_label("Your answer")).to_have_value("docker ps")

    page.get_by_role("button", name="Reset progress").click()

    for question in (ORDERING, SHORT):
        is_fresh(question_block(page, question))
    expect(question_block(page, SHORT).get_by_label("Your answer")).to_have_value("")
    page.reload()
    is_fresh(question_block(page, SHORT))
    expect(question_block(page, SHORT).get_by_label("Your answer")).to_have_value("")


def test_a_test_run_starts_afresh_and_keeps_no_answers(new_context):
    bank = lesson().test_bank
    page, errors = seeded(
        new_context,
        {"answers": {}, "given": {q.id: wrongly_given(q) for q in bank}, "best": None},
    )
    page.goto(TEST_PAGE)
    test = page.locator('[data-quiz="test_bank"]')
    test.get_by_role("button", name="Start the test").click()

    first = test.locator(".quiz-question:visible")
    expect(first).to_have_count(1)
    is_fresh(first)
    take_test(test, min(10, len(bank)), lambda question, number: number % 2 == 0)

    saved = stored(page)
    assert len(TEST_IDS & set(saved["answers"])) == min(10, len(bank))
    assert not TEST_IDS & set(saved["given"]), "no test question keeps an answer"
    assert errors == []


# 3. Saved answers are untrusted -------------------------------------------------------------

N = len(OTHER_SINGLE.options)
ALL = list(range(N))

TAMPERED = {
    "index-99": (OTHER_SINGLE, {"picked": [99], "shown": ALL}),
    "negative-index": (OTHER_SINGLE, {"picked": [-1], "shown": ALL}),
    "fractional-index": (OTHER_SINGLE, {"picked": [0.5], "shown": ALL}),
    "indexes-as-strings": (OTHER_SINGLE, {"picked": ["0"], "shown": [str(i) for i in ALL]}),
    "the-same-pick-twice": (OTHER_SINGLE, {"picked": [0, 0], "shown": ALL}),
    "two-picks-for-one-answer": (OTHER_SINGLE, {"picked": [0, 1], "shown": ALL}),
    "no-pick": (OTHER_SINGLE, {"picked": [], "shown": ALL}),
    "shown-misses-an-option": (OTHER_SINGLE, {"picked": [0], "shown": ALL[:-1]}),
    "shown-repeats-an-option": (OTHER_SINGLE, {"picked": [0], "shown": [0, *ALL[:-1]]}),
    "shown-a-huge-list": (OTHER_SINGLE, {"picked": [0], "shown": list(range(100_000))}),
    "an-extra-key": (OTHER_SINGLE, {"picked": [0], "shown": ALL, "score": 1}),
    "an-order-for-a-choice": (OTHER_SINGLE, {"order": ALL}),
    "a-text-for-a-choice": (OTHER_SINGLE, {"text": "A"}),
    "a-list": (OTHER_SINGLE, [0]),
    "null": (OTHER_SINGLE, None),
    "a-string": (OTHER_SINGLE, "A"),
    "an-order-missing-a-step": (ORDERING, {"order": list(range(len(ORDERING.items) - 1))}),
    "an-order-with-a-step-twice": (ORDERING, {"order": [0, *range(len(ORDERING.items) - 1)]}),
    "an-order-with-an-extra-step": (ORDERING, {"order": list(range(len(ORDERING.items) + 1))}),
    "an-order-as-a-string": (ORDERING, {"order": "0,1,2,3,4"}),
    "a-megabyte-of-text": (SHORT, {"text": "x" * 1_000_000}),
    "a-text-of-spaces": (SHORT, {"text": "   "}),
    "a-text-that-is-a-number": (SHORT, {"text": 5}),
    "picks-for-a-text": (SHORT, {"picked": [0], "shown": [0]}),
}


@pytest.mark.parametrize("victim, record", list(TAMPERED.values()), ids=list(TAMPERED))
def test_a_tampered_answer_is_ignored_on_its_own(new_context, victim, record):
    page, errors = seeded(
        new_context,
        {
            "answers": {victim.id: False, SINGLE.id: False},
            "given": {victim.id: record, SINGLE.id: wrongly_given(SINGLE)},
            "best": None,
        },
    )
    open_lesson(page)

    # The other question's answer is restored; the tampered one is a fresh attempt.
    expect(question_block(page, SINGLE).get_by_role("status")).to_contain_text("Not right.")
    block = question_block(page, victim)
    is_fresh(block)
    expect(block.get_by_text("Last time, this answer was not right.")).to_be_visible()
    if victim.type == "short-answer":
        expect(block.get_by_label("Your answer")).to_have_value("")
    expect(progress(page)).to_have_text(f"Your progress: 0 of {TOTAL} questions answered correctly")

    # The next save keeps the good answer and drops the bad one.
    check(page, MULTIPLE, right=True)
    given = stored(page)["given"]
    assert SINGLE.id in given and victim.id not in given
    assert errors == []


def test_a_saved_answer_is_checked_again_so_a_stale_verdict_is_put_right(new_context):
    page, errors = seeded(
        new_context,
        {"answers": {SINGLE.id: True}, "given": {SINGLE.id: wrongly_given(SINGLE)}, "best": None},
    )
    open_lesson(page)

    expect(question_block(page, SINGLE).get_by_role("status")).to_contain_text("Not right.")
    expect(progress(page)).to_have_text(f"Your progress: 0 of {TOTAL} questions answered correctly")
    assert stored(page)["answers"] == {SINGLE.id: False}
    assert errors == []


def test_answers_saved_for_questions_the_lesson_no_longer_has_are_dropped(new_context):
    page, errors = seeded(
        new_context,
        {
            "answers": {"removed-question": True},
            "given": {"removed-question": {"text": "docker ps"}, "__proto__": {"text": "x"}},
            "best": None,
        },
    )
    open_lesson(page)
    check(page, SINGLE, right=True)

    saved = stored(page)
    assert list(saved["given"]) == [SINGLE.id] and list(saved["answers"]) == [SINGLE.id]
    assert errors == []
