"""A reload shows each checked question of the visual quiz and practice as the reader left it: the
same picks, order or text, the same marks and feedback, the answer ready to open. "Try again"
and "Reset progress" start afresh; a test run always does. Saved answers are untrusted: one that
does not fit its question is ignored on its own, and the rest still restore."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import each_with_a_lesson
from tests.browser.helpers import (
    answer,
    check,
    option_texts,
    ordering_texts,
    plain,
    question_block,
    take_test,
)

pytestmark = pytest.mark.browser


# The practice questions the tests answer, one of each kind.
def single(lesson):
    return lesson.question(
        lambda q: q.type == "single-choice"
        and any(o.why_wrong for o in q.options if o.text != q.answer)
    )


def other_single(lesson):
    first = single(lesson)
    return lesson.question(lambda q: q.type == "single-choice" and q.id != first.id)


def multiple(lesson):
    return lesson.question(lambda q: q.type == "multiple-choice")


def ordering(lesson):
    return lesson.question(lambda q: q.type == "ordering")


def short(lesson):
    return lesson.question(lambda q: q.type == "short-answer")


KINDS = {
    "single-choice": single,
    "multiple-choice": multiple,
    "ordering": ordering,
    "short-answer": short,
}

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


def open_lesson(page, lesson):
    page.goto(lesson.url)
    expect(page.locator(".quiz--enhanced")).to_have_count(2)


def stored(page, lesson):
    return page.evaluate("(key) => JSON.parse(localStorage.getItem(key))", lesson.storage_key)


def seeded(new_context, lesson, saved):
    """A page whose storage holds `saved` for the lesson when it first loads (reloads keep what
    the page itself saved since); and the errors it reports."""
    context = new_context()
    context.add_init_script(
        "if (!sessionStorage.getItem('seeded')) {"
        f"  localStorage.setItem({lesson.storage_key!r}, {json.dumps(json.dumps(saved))});"
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


def typed_wrongly(question) -> str:
    """A wrong answer to a short-answer question, whatever it asks for: the right one with a
    word too many."""
    return f"{question.answer} again"


def wrongly_given(question) -> dict:
    """A saved answer that fits `question` and is wrong (options shown in source order)."""
    if question.type == "ordering":
        return {"order": list(reversed(range(len(question.items))))}
    if question.type == "short-answer":
        return {"text": typed_wrongly(question)}
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


@pytest.mark.parametrize("kind", KINDS)
def test_a_wrong_answer_is_shown_again_after_a_reload_with_the_same_feedback(
    page, page_errors, lesson, kind
):
    question = KINDS[kind](lesson)
    open_lesson(page, lesson)
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


def test_a_right_answer_is_shown_again_and_still_counts_once(page, lesson):
    questions = (single(lesson), short(lesson))
    total = len(lesson.questions)
    open_lesson(page, lesson)
    for question in questions:
        check(page, question, right=True)
    expect(progress(page)).to_contain_text(f"2 of {total}")

    page.reload()
    for question in questions:
        expect(question_block(page, question).get_by_role("status")).to_contain_text("Correct.")
    expect(progress(page)).to_contain_text(f"2 of {total}")


def test_what_is_saved_names_options_and_steps_by_their_place_in_the_lesson(page, lesson):
    choice, steps, typed = single(lesson), ordering(lesson), short(lesson)
    open_lesson(page, lesson)
    choice_block = check(page, choice, right=False)
    steps_block = check(page, steps, right=False)
    typed_block = question_block(page, typed)
    typed_block.get_by_label("Your answer").fill(f"  {typed_wrongly(typed)}  ")
    typed_block.get_by_role("button", name="Check answer").click()
    expect(typed_block.get_by_role("status")).to_contain_text("Not right.")

    given = stored(page, lesson)["given"]
    options = [plain(o.text) for o in choice.options]
    picked = options.index(plain(next(o.text for o in choice.options if o.text != choice.answer)))
    assert given[choice.id] == {
        "picked": [picked],
        "shown": [options.index(text) for text in option_texts(choice_block)],
    }
    items = [plain(text) for text in steps.items]
    assert given[steps.id] == {"order": [items.index(text) for text in ordering_texts(steps_block)]}
    assert given[typed.id] == {"text": typed_wrongly(typed)}


def test_an_answer_longer_than_500_characters_counts_but_is_not_kept(page, lesson):
    question = short(lesson)
    open_lesson(page, lesson)
    block = question_block(page, question)
    block.get_by_label("Your answer").fill(f"{question.answer} {'x' * 600}")
    block.get_by_role("button", name="Check answer").click()
    expect(block.get_by_role("status")).to_contain_text("Not right.")

    saved = stored(page, lesson)
    assert saved["answers"] == {question.id: False} and saved["given"] == {}
    page.reload()
    is_fresh(block)
    expect(block.get_by_text("Last time, this answer was not right.")).to_be_visible()


# 2. Starting afresh -------------------------------------------------------------------------


def test_try_again_starts_afresh_and_then_only_the_verdict_is_remembered(page, page_errors, lesson):
    question = single(lesson)
    open_lesson(page, lesson)
    block = check(page, question, right=False)
    page.reload()
    expect(block.get_by_role("status")).to_contain_text("Not right.")

    block.get_by_role("button", name="Try again").click()

    is_fresh(block)
    expect(block.get_by_text("Last time, this answer was not right.")).to_be_visible()
    expect(block.get_by_role("button", name="Try again")).to_be_hidden()
    expect(block.get_by_role("radio").first).to_be_focused()
    saved = stored(page, lesson)
    assert saved["answers"][question.id] is False and question.id not in saved["given"]

    page.reload()
    is_fresh(block)
    expect(block.get_by_text("Last time, this answer was not right.")).to_be_visible()
    check(page, question, right=True)
    expect(progress(page)).to_contain_text(f"1 of {len(lesson.questions)}")
    assert page_errors == []


def test_reset_progress_clears_every_restored_answer(page, lesson):
    steps, typed = ordering(lesson), short(lesson)
    open_lesson(page, lesson)
    check(page, steps, right=True)
    field = check(page, typed, right=False).get_by_label("Your answer")
    wrong = field.input_value()
    assert wrong.strip(), "a wrong answer was typed"
    page.reload()
    expect(field).to_have_value(wrong)

    page.get_by_role("button", name="Reset progress").click()

    for question in (steps, typed):
        is_fresh(question_block(page, question))
    expect(field).to_have_value("")
    page.reload()
    is_fresh(question_block(page, typed))
    expect(field).to_have_value("")


def test_a_test_run_starts_afresh_and_keeps_no_answers(new_context, lesson):
    bank = lesson.data.test_bank
    in_the_test = {q.id for q in bank}
    page, errors = seeded(
        new_context,
        lesson,
        {"answers": {}, "given": {q.id: wrongly_given(q) for q in bank}, "best": None},
    )
    page.goto(lesson.test_url)
    test = page.locator('[data-quiz="test_bank"]')
    test.get_by_role("button", name="Start the test").click()

    first = test.locator(".quiz-question:visible")
    expect(first).to_have_count(1)
    is_fresh(first)
    take_test(test, lesson.run_length, lambda question, number: number % 2 == 0, bank)

    saved = stored(page, lesson)
    assert len(in_the_test & set(saved["answers"])) == lesson.run_length
    assert not in_the_test & set(saved["given"]), "no test question keeps an answer"
    assert errors == []


# 3. Saved answers are untrusted -------------------------------------------------------------


def places(question) -> list[int]:
    """The place of each of the question's options or steps, in the lesson's order."""
    return list(range(len(question.items if question.type == "ordering" else question.options)))


# Each record spoils the saved answer of one kind of question: the question, then the record.
TAMPERED = {
    "index-99": (other_single, lambda q: {"picked": [99], "shown": places(q)}),
    "negative-index": (other_single, lambda q: {"picked": [-1], "shown": places(q)}),
    "fractional-index": (other_single, lambda q: {"picked": [0.5], "shown": places(q)}),
    "indexes-as-strings": (
        other_single,
        lambda q: {"picked": ["0"], "shown": [str(i) for i in places(q)]},
    ),
    "the-same-pick-twice": (other_single, lambda q: {"picked": [0, 0], "shown": places(q)}),
    "two-picks-for-one-answer": (other_single, lambda q: {"picked": [0, 1], "shown": places(q)}),
    "no-pick": (other_single, lambda q: {"picked": [], "shown": places(q)}),
    "shown-misses-an-option": (other_single, lambda q: {"picked": [0], "shown": places(q)[:-1]}),
    "shown-repeats-an-option": (
        other_single,
        lambda q: {"picked": [0], "shown": [0, *places(q)[:-1]]},
    ),
    "shown-a-huge-list": (other_single, lambda q: {"picked": [0], "shown": list(range(100_000))}),
    "an-extra-key": (other_single, lambda q: {"picked": [0], "shown": places(q), "score": 1}),
    "an-order-for-a-choice": (other_single, lambda q: {"order": places(q)}),
    "a-text-for-a-choice": (other_single, lambda q: {"text": "A"}),
    "a-list": (other_single, lambda q: [0]),
    "null": (other_single, lambda q: None),
    "a-string": (other_single, lambda q: "A"),
    "an-order-missing-a-step": (ordering, lambda q: {"order": places(q)[:-1]}),
    "an-order-with-a-step-twice": (ordering, lambda q: {"order": [0, *places(q)[:-1]]}),
    "an-order-with-an-extra-step": (ordering, lambda q: {"order": [*places(q), len(places(q))]}),
    "an-order-as-a-string": (ordering, lambda q: {"order": ",".join(map(str, places(q)))}),
    "a-megabyte-of-text": (short, lambda q: {"text": "x" * 1_000_000}),
    "a-text-of-spaces": (short, lambda q: {"text": "   "}),
    "a-text-that-is-a-number": (short, lambda q: {"text": 5}),
    "picks-for-a-text": (short, lambda q: {"picked": [0], "shown": [0]}),
}


@pytest.mark.parametrize(("tampering", "lesson"), each_with_a_lesson(TAMPERED), indirect=["lesson"])
def test_a_tampered_answer_is_ignored_on_its_own(new_context, tampering, lesson):
    choose, spoil = TAMPERED[tampering]
    victim, restored = choose(lesson), single(lesson)
    page, errors = seeded(
        new_context,
        lesson,
        {
            "answers": {victim.id: False, restored.id: False},
            "given": {victim.id: spoil(victim), restored.id: wrongly_given(restored)},
            "best": None,
        },
    )
    open_lesson(page, lesson)

    # The other question's answer is restored; the tampered one is a fresh attempt.
    expect(question_block(page, restored).get_by_role("status")).to_contain_text("Not right.")
    block = question_block(page, victim)
    is_fresh(block)
    expect(block.get_by_text("Last time, this answer was not right.")).to_be_visible()
    if victim.type == "short-answer":
        expect(block.get_by_label("Your answer")).to_have_value("")
    expect(progress(page)).to_have_text(
        f"Your progress: 0 of {len(lesson.questions)} questions answered correctly"
    )

    # The next save keeps the good answer and drops the bad one.
    check(page, multiple(lesson), right=True)
    given = stored(page, lesson)["given"]
    assert restored.id in given and victim.id not in given
    assert errors == []


def test_a_saved_answer_is_checked_again_so_a_stale_verdict_is_put_right(new_context, lesson):
    question = single(lesson)
    page, errors = seeded(
        new_context,
        lesson,
        {
            "answers": {question.id: True},
            "given": {question.id: wrongly_given(question)},
            "best": None,
        },
    )
    open_lesson(page, lesson)

    expect(question_block(page, question).get_by_role("status")).to_contain_text("Not right.")
    expect(progress(page)).to_have_text(
        f"Your progress: 0 of {len(lesson.questions)} questions answered correctly"
    )
    assert stored(page, lesson)["answers"] == {question.id: False}
    assert errors == []


def test_answers_saved_for_questions_the_lesson_no_longer_has_are_dropped(new_context, lesson):
    question = single(lesson)
    page, errors = seeded(
        new_context,
        lesson,
        {
            "answers": {"removed-question": True},
            "given": {"removed-question": {"text": "an answer"}, "__proto__": {"text": "x"}},
            "best": None,
        },
    )
    open_lesson(page, lesson)
    check(page, question, right=True)

    saved = stored(page, lesson)
    assert list(saved["given"]) == [question.id] and list(saved["answers"]) == [question.id]
    assert errors == []
