"""The home page's catalog: every lesson with its difficulty, time, tags and the reader's
progress; filters by tag and difficulty that live in the address; lessons grouped by tag when
JavaScript is off; and a link back to the lesson the reader opened last."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from macros.loader import load_lessons
from tests.browser.conftest import HOME
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

LESSONS = load_lessons(ROOT / "docs", ROOT)
TAGS = sorted({tag for lesson in LESSONS.values() for tag in lesson.tags})
# A tag some lessons have and others not, when there is one: the filter must tell them apart.
TAG = next(
    (t for t in TAGS if 0 < sum(t in one.tags for one in LESSONS.values()) < len(LESSONS)),
    TAGS[0],
)


def titles_shown(page) -> list[str]:
    return page.locator(".lesson-card:visible .lesson-card__title").all_inner_texts()


def titles_of(predicate) -> list[str]:
    return sorted(lesson.title for lesson in LESSONS.values() if predicate(lesson))


def filters(page):
    return page.locator(".lesson-browser__filters")


def open_catalog(page, query: str = ""):
    page.goto(HOME + query)
    expect(page.locator(".lesson-browser--enhanced")).to_have_count(1)


def test_every_lesson_has_a_card_with_its_facts(page, page_errors):
    open_catalog(page)
    assert sorted(titles_shown(page)) == titles_of(lambda lesson: True)
    for lesson in LESSONS.values():
        card = page.locator(f".lesson-card[data-lesson='{lesson.id}']")
        expect(card).to_contain_text(f"About {lesson.minutes} min")
        expect(card).to_contain_text(lesson.difficulty)
        expect(card.get_by_role("list", name="Tags").get_by_role("listitem")).to_have_text(
            lesson.tags
        )
        expect(card).to_contain_text(re.compile(r"Your progress: 0 of \d+ questions"))
    expect(page.get_by_role("status").filter(has_text="lessons")).to_have_text(
        f"All {len(LESSONS)} lessons."
    )
    assert page_errors == []


def test_a_tag_and_a_difficulty_narrow_the_cards_and_the_address_keeps_them(page):
    open_catalog(page)
    filters(page).get_by_label("Tag", exact=True).select_option(TAG)
    expected = titles_of(lambda lesson: TAG in lesson.tags)
    assert sorted(titles_shown(page)) == expected
    assert f"tag={TAG}" in page.url
    expect(page.locator(".lesson-browser__count")).to_have_text(
        f"All {len(LESSONS)} lessons."
        if len(expected) == len(LESSONS)
        else f"{len(expected)} of {len(LESSONS)} lessons match."
    )

    level = LESSONS[next(iter(LESSONS))].difficulty
    filters(page).get_by_label("Difficulty", exact=True).select_option(level)
    both = titles_of(lambda lesson: TAG in lesson.tags and lesson.difficulty == level)
    assert sorted(titles_shown(page)) == both

    page.reload()  # the address holds the choice
    expect(filters(page).get_by_label("Tag", exact=True)).to_have_value(TAG)
    assert sorted(titles_shown(page)) == both

    filters(page).get_by_label("Tag", exact=True).select_option("")
    filters(page).get_by_label("Difficulty", exact=True).select_option("")
    assert sorted(titles_shown(page)) == titles_of(lambda lesson: True)
    assert "tag=" not in page.url and "difficulty=" not in page.url


def test_an_unknown_filter_in_the_address_shows_every_lesson(page, page_errors):
    open_catalog(page, "?tag=no-such-tag&difficulty=impossible")
    assert sorted(titles_shown(page)) == titles_of(lambda lesson: True)
    assert page_errors == []


def test_without_javascript_the_lessons_are_listed_by_tag_and_there_is_no_form(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(HOME)
    assert sorted(titles_shown(page)) == titles_of(lambda lesson: True)
    expect(page.locator(".lesson-browser__filters")).to_be_hidden()
    by_tag = page.locator(".lesson-browser__by-tag")
    expect(by_tag.get_by_role("heading", name="Lessons by tag")).to_be_visible()
    for tag in TAGS:
        group = by_tag.locator(".lesson-browser__tag").filter(
            has=page.get_by_role("heading", name=tag, exact=True)
        )
        links = sorted(group.get_by_role("link").all_inner_texts())
        assert links == titles_of(lambda lesson, tag=tag: tag in lesson.tags), tag


@pytest.mark.parametrize("slug", sorted(LESSONS))
def test_home_offers_to_continue_the_lesson_opened_last(page, slug):
    open_catalog(page)
    expect(page.locator(".lesson-browser__continue")).not_to_contain_text("Continue")
    page.goto(f"/lessons/{slug}/")
    expect(page.locator(".mode-picker--enhanced")).to_have_count(1)
    page.get_by_role("link", name="Home").first.click()  # instant navigation, not a reload
    continue_line = page.locator(".lesson-browser__continue")
    expect(continue_line).to_contain_text("Continue where you left off:")
    link = continue_line.get_by_role("link")
    expect(link).to_have_text(LESSONS[slug].title)
    link.click()
    expect(page).to_have_url(re.compile(rf"/lessons/{slug}/$"))


def run_lengths_offered(page, lesson) -> set[int]:
    """How many questions each choice of the test page's Difficulty starts a run with."""
    page.goto(lesson.test_url)
    test = page.locator('[data-quiz="test_bank"].quiz--enhanced')
    expect(test.get_by_role("button", name="Start the test")).to_be_visible()
    difficulty = test.get_by_label("Difficulty")
    lengths = set()
    for value in difficulty.locator("option").evaluate_all("all => all.map((o) => o.value)"):
        difficulty.select_option(value)
        intro = test.get_by_text(re.compile(r"^\d+ questions, one at a time"))
        lengths.add(int(intro.inner_text().split()[0]))
    return lengths


def test_a_card_shows_the_best_score_of_every_run_the_test_page_offers_and_no_other(
    page, page_errors, lesson
):
    offered = run_lengths_offered(page, lesson)
    card = page.locator(f".lesson-card[data-lesson='{lesson.slug}'] .lesson-progress")
    shown = set()
    for total in range(1, max(offered) + 2):
        best = {"score": total, "total": total}
        page.evaluate(
            "([key, best]) => localStorage.setItem(key, JSON.stringify({ answers: {}, best }))",
            [lesson.storage_key, best],
        )
        open_catalog(page)
        expect(card).to_be_visible()
        if "best test score" in card.inner_text():
            expect(card).to_contain_text(f"best test score {total}/{total}")
            shown.add(total)
    assert shown == offered
    assert page_errors == []
