"""The test, on its own page: a drawn set of questions, one at a time, a result by difficulty, a retry."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from playwright.sync_api import expect

from macros.render import TEST_LENGTH
from tests.browser.helpers import SEEDED_RANDOM, answer, plain, take_test

pytestmark = pytest.mark.browser

LEVELS = ("easy", "medium", "hard")
TEST = '[data-module="quiz"][data-quiz="test_bank"]'


def open_test(page, lesson):
    page.goto(lesson.test_url)
    test = page.locator(f"{TEST}.quiz--enhanced")
    expect(test.get_by_role("button", name="Start the test")).to_be_visible()
    return test


def test_a_full_run_ends_with_a_summary_per_difficulty_a_review_and_a_retry(new_context, lesson):
    bank = lesson.data.test_bank
    context = new_context()
    context.add_init_script(SEEDED_RANDOM % 7)
    page = context.new_page()
    test = open_test(page, lesson)
    expect(test.get_by_role("group", name=re.compile(r"^Question \d"))).to_have_count(
        0
    )  # behind the start screen
    expect(test.get_by_label("Difficulty")).to_have_value("")
    test.get_by_role("button", name="Start the test").click()

    # Easy ones right, medium ones wrong, only the first hard one right.
    hard_seen = []

    def plan(question, number):
        if question.difficulty == "hard":
            hard_seen.append(number)
            return len(hard_seen) == 1
        return question.difficulty == "easy"

    asked = take_test(test, 10, plan, bank)

    levels = [q.difficulty for q, _, _ in asked]
    assert levels == sorted(levels, key=LEVELS.index), "easy questions come first"
    drawn = Counter(levels)
    assert set(drawn) == set(LEVELS) and max(drawn.values()) - min(drawn.values()) <= 1, drawn
    assert len({q.id for q, _, _ in asked}) == 10

    result = test.get_by_role("region", name="Test result")
    expect(result.get_by_role("heading", name="Your result")).to_be_focused()
    score = sum(correct for _, correct, _ in asked)
    by_level = ", ".join(
        f"{level.capitalize()} {sum(c for q, c, _ in asked if q.difficulty == level)}/{drawn[level]}"
        for level in LEVELS
    )
    summary = result.get_by_role("status")
    expect(summary).to_contain_text(f"You scored {score} of 10.")
    expect(summary).to_contain_text(f"By difficulty: {by_level}.")
    expect(summary).to_contain_text(f"Your best score: {score}/10.")

    reviewed = result.get_by_role("listitem").filter(has_text="Your answer:")
    wrong = [q for q, correct, _ in asked if not correct]
    expect(reviewed).to_have_count(len(wrong))
    for question in wrong:
        item = reviewed.filter(has_text=plain(question.prompt)[:60])
        expect(item).to_contain_text(plain(question.explanation))
        if question.type in ("single-choice", "multiple-choice"):  # every right option, named
            answers = [question.answer] if question.type == "single-choice" else question.answers
            for answer in answers:
                expect(item).to_contain_text(plain(answer))

    # Retry: a new draw from the start, every question reset and reshuffled.
    result.get_by_role("button", name="Retry the test").click()
    expect(result).to_be_hidden()
    first_group = test.get_by_role("group", name=re.compile(r"^Question 1 of 10\b"))
    expect(first_group).to_be_visible()
    expect(first_group.locator("input:checked")).to_have_count(0)
    again = take_test(test, 10, lambda question, number: True, bank)

    before = {q.id: shown for q, _, shown in asked}
    common = [(q.id, shown) for q, _, shown in again if q.id in before]
    assert common, "the two draws should share some questions"
    assert any(shown != before[qid] for qid, shown in common), "options should be reshuffled"
    expect(summary).to_contain_text("You scored 10 of 10.")
    expect(summary).to_contain_text("Your best score: 10/10.")
    expect(result.get_by_role("heading", name="No wrong answers to review")).to_be_visible()
    # The lesson page's progress line has the best score (the test page has none of its own).
    page.get_by_role("article").get_by_role("link", name=lesson.data.title).click()
    expect(page.locator(".lesson-progress").first).to_contain_text("best test score 10/10")


def test_the_difficulty_filter_draws_only_questions_of_that_level(page, page_errors, lesson):
    hard = [q for q in lesson.data.test_bank if q.difficulty == "hard"]
    count = min(TEST_LENGTH, len(hard))
    test = open_test(page, lesson)

    test.get_by_label("Difficulty").select_option(label="Hard")
    expect(test).to_contain_text(f"{count} questions, one at a time, drawn from {len(hard)} hard")
    test.get_by_role("button", name="Start the test").click()
    asked = take_test(test, count, lambda question, number: False, lesson.data.test_bank)

    assert {q.difficulty for q, _, _ in asked} == {"hard"}
    summary = test.get_by_role("region", name="Test result").get_by_role("status")
    expect(summary).to_contain_text(f"You scored 0 of {count}.")
    expect(summary).to_contain_text(f"By difficulty: Hard 0/{count}.")
    expect(summary).not_to_contain_text("Easy")

    test.get_by_role("button", name="Change difficulty").click()
    expect(test.get_by_label("Difficulty")).to_be_visible()
    expect(test.get_by_role("region", name="Test result")).to_be_hidden()
    assert page_errors == []


def test_a_test_question_counts_its_first_check_only(page, lesson):
    test = open_test(page, lesson)
    test.get_by_role("button", name="Start the test").click()
    group = test.get_by_role("group", name=re.compile(r"^Question 1 of 10\b"))
    block = group.locator("xpath=ancestor::li[1]")
    question = next(
        q for q in lesson.data.test_bank if q.id == block.get_attribute("data-question-id")
    )
    answer(block, question, right=False)
    block.get_by_role("button", name="Check answer").click()

    # No changing the answer once it has been shown.
    expect(group.locator("input, button").first).to_be_disabled()
    expect(block.get_by_text("Answer and explanation")).to_be_visible()
    expect(block.get_by_text("Hint", exact=True)).to_be_visible()
