"""Each kind of question, answered the way a reader would: feedback, hints, answers, shuffling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    SEEDED_RANDOM,
    answer,
    option_name,
    option_texts,
    ordering_texts,
    plain,
    question_block,
    words,
)

pytestmark = pytest.mark.browser


def single(lesson):
    """A single-choice question of the visual quiz that says why each of three options is wrong."""
    return lesson.question(
        lambda q: q.type == "single-choice"
        and sum(o.why_wrong is not None for o in q.options) >= 3,
        "visual_quiz",
    )


def multiple(lesson):
    return lesson.question(lambda q: q.type == "multiple-choice")


def ordering(lesson):
    return lesson.question(lambda q: q.type == "ordering")


def open_lesson(page, lesson):
    page.goto(lesson.url)
    expect(page.locator(".quiz--enhanced")).to_have_count(2)


def marked(text: str) -> re.Pattern:
    """Accessible name of an option once checked: its text, then its mark ("Right", "Wrong
    pick"). Playwright writes the pattern between slashes, so a "/" in the text is escaped."""
    return re.compile("^" + re.escape(plain(text)).replace("/", "\\/"))


def details(block, name: str):
    """A <details> by its summary: 'Hint', 'Answer and explanation' or 'Worked solution'."""
    return block.locator("details").filter(has=block.page.locator("summary", has_text=name))


def test_a_right_answer_is_confirmed_and_the_answer_and_solution_can_then_be_opened(
    page, page_errors, lesson
):
    question = lesson.question(lambda q: q.type == "single-choice" and q.solution is not None)
    open_lesson(page, lesson)
    block = question_block(page, question)
    expect(block.get_by_text("Answer and explanation")).to_be_hidden()
    expect(block.get_by_text("Worked solution")).to_be_hidden()

    answer(block, question, right=True)
    block.get_by_role("button", name="Check answer").click()

    feedback = block.get_by_role("status")
    expect(feedback).to_contain_text("Correct.")
    expect(feedback).not_to_contain_text("Not right")
    block.get_by_text("Answer and explanation").click()
    expect(block.get_by_text(plain(question.explanation))).to_be_visible()
    block.get_by_text("Worked solution").click()
    expect(block.get_by_text(plain(question.solution.quick_check))).to_be_visible()
    assert page_errors == []


def test_a_wrong_answer_shows_why_that_option_is_wrong(page, page_errors, lesson):
    question = single(lesson)
    picked = next(o for o in question.options if o.text != question.answer and o.why_wrong)
    others = [o for o in question.options if o.why_wrong and o is not picked]
    open_lesson(page, lesson)
    block = question_block(page, question)

    block.get_by_role("radio", name=option_name(picked.text)).check()
    block.get_by_role("button", name="Check answer").click()

    feedback = block.get_by_role("status")
    expect(feedback).to_contain_text("Not right.")
    expect(feedback).to_contain_text(plain(picked.why_wrong))
    for other in others:
        expect(feedback).not_to_contain_text(plain(other.why_wrong))
    expect(block.get_by_text("Answer and explanation")).to_be_visible()
    assert page_errors == []


def test_checking_without_an_answer_asks_for_one_and_reveals_nothing(page, lesson):
    open_lesson(page, lesson)
    block = question_block(page, single(lesson))
    block.get_by_role("button", name="Check answer").click()
    expect(block.get_by_role("status")).to_have_text("Choose an answer first.")
    expect(block.get_by_text("Answer and explanation")).to_be_hidden()


def test_the_hint_opens_before_answering_while_the_answer_stays_hidden(page, lesson):
    question = single(lesson)
    open_lesson(page, lesson)
    block = question_block(page, question)
    hint = details(block, "Hint")

    block.get_by_text("Hint", exact=True).click()

    expect(hint).to_have_attribute("open", "")
    expect(hint.get_by_text(plain(question.hint))).to_be_visible()
    expect(block.get_by_text("Answer and explanation")).to_be_hidden()
    expect(block.get_by_role("status")).to_have_text("")


def test_multiple_choice_is_all_or_nothing_and_names_the_missed_and_wrong_picks(
    page, page_errors, lesson
):
    question = multiple(lesson)
    missed = question.answers[1:]
    wrong = next(o for o in question.options if o.text not in question.answers)
    open_lesson(page, lesson)
    block = question_block(page, question)
    expect(block.get_by_role("group", name=re.compile("^Question"))).to_contain_text(
        "Select all that apply"
    )

    block.get_by_role("checkbox", name=option_name(question.answers[0])).check()
    block.get_by_role("checkbox", name=option_name(wrong.text)).check()
    block.get_by_role("button", name="Check answer").click()

    feedback = block.get_by_role("status")
    expect(feedback).to_contain_text("Not right.")
    for text in missed:
        expect(feedback.get_by_text("You missed")).to_contain_text(plain(text).rstrip("."))
    expect(feedback.get_by_text("Wrong pick")).to_contain_text(plain(wrong.why_wrong))
    expect(feedback).not_to_contain_text(plain(question.answers[0]))

    # Every right option and no wrong one: now it counts.
    block.get_by_role("checkbox", name=marked(wrong.text)).uncheck()
    for text in missed:
        block.get_by_role("checkbox", name=marked(text)).check()
    block.get_by_role("button", name="Check answer").click()
    expect(feedback).to_contain_text("Correct.")
    expect(block.get_by_role("checkbox", name=re.compile("Wrong pick"))).to_have_count(0)
    expect(block.get_by_role("checkbox", name=re.compile("Right$"))).to_have_count(
        len(question.answers)
    )
    assert page_errors == []


def test_ordering_works_from_the_keyboard_alone(page, page_errors, lesson):
    question = ordering(lesson)
    open_lesson(page, lesson)
    block = question_block(page, question)
    items = [plain(text) for text in question.items]
    assert ordering_texts(block) != items, "the steps should start out of order"

    for position, text in enumerate(items):
        up = block.get_by_role("button", name=f"Move up: {text}")
        down = block.get_by_role("button", name=f"Move down: {text}")
        start = ordering_texts(block).index(text)
        if start == position:
            continue
        up.focus()
        for expected in range(start - 1, position - 1, -1):
            page.keyboard.press("Enter")
            assert ordering_texts(block).index(text) == expected
            # Focus follows the item; at the top its "Move down" button takes over.
            expect(down if expected == 0 else up).to_be_focused()
        expect(block.get_by_role("status")).to_contain_text(f"position {position + 1} of")
    assert ordering_texts(block) == items

    focused = block.locator(":focus")
    outline = focused.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "the focused button should show where the keyboard is"
    expect(block.get_by_role("button", name=f"Move up: {items[0]}")).to_be_disabled()
    expect(block.get_by_role("button", name=f"Move down: {items[-1]}")).to_be_disabled()

    check = block.get_by_role("button", name="Check answer")
    for _ in range(2 * len(items)):  # on past the remaining move buttons
        page.keyboard.press("Tab")
        if check.evaluate("el => el === document.activeElement"):
            break
    expect(check).to_be_focused()
    page.keyboard.press("Enter")
    expect(block.get_by_role("status")).to_contain_text("Correct.")
    assert page_errors == []


def test_a_wrong_order_says_how_many_steps_are_in_place(page, lesson):
    question = ordering(lesson)
    open_lesson(page, lesson)
    block = question_block(page, question)
    placed = sum(
        shown == right
        for shown, right in zip(ordering_texts(block), map(plain, question.items), strict=True)
    )
    block.get_by_role("button", name="Check answer").click()
    expect(block.get_by_role("status")).to_contain_text(
        f"Not right. {placed} of {len(question.items)} steps are in the right place."
    )


def test_ordering_steps_never_start_in_the_right_order(new_context, lesson):
    # The worst case: the steps arrive in order, and with Math.random stuck near 1 Fisher-Yates
    # leaves every list as it is.
    context = new_context()
    context.add_init_script(
        """Math.random = () => 0.999999;
        document.addEventListener("DOMContentLoaded", () => {
          document.querySelectorAll("[data-quiz-ordering]").forEach((list) => list.append(
            ...[...list.children].sort((a, b) => a.dataset.orderItem - b.dataset.orderItem)));
        });"""
    )
    page = context.new_page()
    checked = 0
    pages = [
        (lesson.url, [*lesson.data.visual_quiz, *lesson.data.practice]),
        (lesson.test_url, lesson.data.test_bank),
    ]
    for path, questions in pages:
        page.goto(path)
        expect(page.locator(".quiz--enhanced")).not_to_have_count(0)
        for question in questions:
            if question.type == "ordering":
                shown = ordering_texts(question_block(page, question))
                assert shown != [plain(text) for text in question.items], question.id
                checked += 1
    assert checked >= 2, "expected ordering questions on both pages"


# A short answer may be judged as a command (test_command_judge.py): here one is judged as text,
# as a question without `judge: command` is.
JUDGED_AS_TEXT = """document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-judge]").forEach((input) => input.removeAttribute("data-judge"));
});"""


def test_short_answer_accepts_a_listed_variant_after_normalising_whitespace(new_context, lesson):
    # Its case can be changed: an upper-case copy is then a different answer.
    question = lesson.question(
        lambda q: q.type == "short-answer" and any(a != a.upper() for a in q.accepted)
    )
    variant = next(a for a in question.accepted if a != a.upper())
    context = new_context()
    context.add_init_script(JUDGED_AS_TEXT)
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    open_lesson(page, lesson)
    block = question_block(page, question)
    field = block.get_by_label("Your answer")
    feedback = block.get_by_role("status")
    expect(field).not_to_have_attribute("data-judge", "command")

    field.fill("  " + variant.replace(" ", "   ") + " ")
    field.press("Enter")
    expect(feedback).to_contain_text("Correct.")

    # Case matters, and only the listed answers count: the answer with its last character typed
    # twice (a build's context `..` for `.`, say) is not one of them.
    unlisted = question.answer + question.answer[-1]
    assert unlisted not in [question.answer, *question.accepted]
    for other in (variant.upper(), unlisted):
        field.fill(other)
        block.get_by_role("button", name="Check answer").click()
        expect(feedback).to_contain_text("Not right.")
        expect(feedback).to_contain_text(f"“{other}” is not one of the accepted answers")

    field.fill("")
    block.get_by_role("button", name="Check answer").click()
    expect(feedback).to_have_text("Type an answer first.")
    assert page_errors == []


def test_options_are_shuffled_and_their_letters_follow_the_shown_order(new_context, lesson):
    context = new_context()
    context.add_init_script(SEEDED_RANDOM % 2024)
    page = context.new_page()
    open_lesson(page, lesson)

    moved = 0
    for question in [*lesson.data.visual_quiz, *lesson.data.practice]:
        if question.type != "single-choice":
            continue
        block = question_block(page, question)
        shown = option_texts(block)
        assert sorted(shown) == sorted(plain(o.text) for o in question.options)
        moved += shown != [plain(o.text) for o in question.options]
        radios = block.get_by_role("radio")
        for i, text in enumerate(shown):
            expect(radios.nth(i)).to_have_accessible_name(text)
        # The letters are a counter over the options in page order, so they follow the shuffle.
        letters = block.locator(".quiz-option__text").evaluate_all(
            "all => all.map((el) => getComputedStyle(el, '::before').content)"
        )
        assert letters == ['counter(quiz-option, upper-alpha) ". "'] * len(shown)

        # The answer and the why-wrong list name options by their words, in the order shown.
        expect(block.locator(".quiz-question__correct")).to_contain_text(plain(question.answer))
        wrong = [words(t) for t in block.locator(".quiz-question__wrong > li").all_text_contents()]
        places = [next(i for i, text in enumerate(shown) if f"“{text}”" in w) for w in wrong]
        assert places == sorted(places), f"{question.id}: listed in the shown order"
        assert not [w for w in wrong if re.match(r"[A-Z]\.", w)], "no letter names an option"
    assert moved >= 3, "most questions should show their options in a new order"
