"""The quiz in Material: without JavaScript, after instant navigation, in both palettes, in print,
with reduced motion, loaded only where needed and within its size budget."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, CONTRIBUTING, RENDERED
from tests.browser.helpers import (
    check,
    ordering_texts,
    plain,
    question_block,
    run_axe_on,
    take_test,
)
from tests.browser.test_accessibility import SCHEMES, describe

pytestmark = pytest.mark.browser


QUIZ_ASSETS = ("assets/javascripts/quiz.js", "assets/stylesheets/quiz.css")


def single(lesson):
    return lesson.question(lambda q: q.type == "single-choice", "visual_quiz")


def ordering(lesson):
    return lesson.question(lambda q: q.type == "ordering")


def open_lesson(page, lesson):
    page.goto(lesson.url)
    expect(page.locator(".quiz--enhanced")).to_have_count(2)


def catalog_card(page, lesson):
    return (
        page.locator(".lesson-catalog")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("link", name=lesson.data.title))
    )


# Each page with its questions: the lesson page asks its own, the test page the test bank's.
SECTIONS = {"lesson-page": ("visual_quiz", "practice"), "test-page": ("test_bank",)}


@pytest.mark.parametrize("where", SECTIONS)
def test_every_question_and_its_answer_reads_with_javascript_off(new_context, lesson, where):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(lesson.url if where == "lesson-page" else lesson.test_url)

    expect(page.get_by_role("button", name="Check answer")).to_have_count(0)
    expect(page.get_by_role("button", name="Start the test")).to_have_count(0)
    questions = [q for section in SECTIONS[where] for q in getattr(lesson.data, section)]
    expect(page.locator(".quiz-question")).to_have_count(len(questions))
    for question in questions:  # the test bank too, as a plain list
        block = question_block(page, question)
        group = block.get_by_role("group", name=re.compile(r"^Question \d+ "))
        expect(group).to_be_visible()
        if question.type in ("single-choice", "multiple-choice"):
            role = "radio" if question.type == "single-choice" else "checkbox"
            expect(group.get_by_role(role)).to_have_count(len(question.options))
        elif question.type == "ordering":
            expect(group.get_by_role("listitem")).to_have_count(len(question.items))
            expect(group.get_by_role("button")).to_have_count(0)
        else:
            expect(group.get_by_role("textbox", name="Your answer")).to_be_visible()
        expect(block.get_by_text("Hint", exact=True)).to_be_visible()
        expect(block.get_by_text("Answer and explanation")).to_be_visible()
    # The progress lines are in the lesson page (they keep its room for the script), never shown.
    progress = page.get_by_text(re.compile("^Your progress"))
    expect(progress).to_have_count(1 if where == "lesson-page" else 0)
    if where == "lesson-page":
        expect(progress).to_be_hidden()


def test_instant_navigation_away_and_back_twice_keeps_one_set_of_controls_and_the_progress(
    page, page_errors, lesson
):
    single_choice, steps = single(lesson), ordering(lesson)
    total = len(lesson.questions)
    # The lesson page shows every question of its own at once (the test page, one at a time).
    on_the_page = len(lesson.data.visual_quiz) + len(lesson.data.practice)
    open_lesson(page, lesson)
    page.evaluate("window.__sameDocument = true")
    check(page, single_choice, right=True)

    for _ in range(2):
        page.get_by_role("link", name="Home").first.click()
        card = catalog_card(page, lesson)
        expect(card).to_contain_text(f"1 of {total} questions answered correctly")
        card.get_by_role("link", name=lesson.data.title).click()
        expect(page.locator(".quiz--enhanced")).to_have_count(2)

        expect(page.get_by_role("button", name="Check answer")).to_have_count(on_the_page)
        expect(page.get_by_role("link", name="Take the test")).to_have_count(1)
        expect(page.get_by_role("button", name="Reset progress")).to_have_count(1)
        expect(page.get_by_text(re.compile("^Your progress"))).to_have_text(
            f"Your progress: 1 of {total} questions answered correctly"
        )
        expect(page.locator('link[rel=stylesheet][href$="quiz.css"]')).to_have_count(1)
        # The answer checked before is shown checked again, with its verdict.
        block = question_block(page, single_choice)
        picked = [o.text for o in single_choice.options].index(single_choice.answer)
        expect(block.get_by_role("radio", checked=True)).to_have_value(str(picked))
        expect(block.get_by_role("status")).to_contain_text("Correct.")

        # One press, one step: a second handler would move the item twice.
        block = question_block(page, steps)
        expect(block.get_by_role("button", name=re.compile("^Move up"))).to_have_count(
            len(steps.items)
        )
        first = ordering_texts(block)[0]
        block.get_by_role("button", name=f"Move down: {first}").press("Enter")
        assert ordering_texts(block).index(first) == 1

    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation"
    assert page_errors == []


@pytest.mark.parametrize("system", SCHEMES)
def test_axe_finds_no_violations_with_questions_answered(new_context, lesson, system):
    page = new_context(color_scheme=system).new_page()
    open_lesson(page, lesson)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[system])
    expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(len(lesson.data.flow.steps))
    for question in [*lesson.data.visual_quiz, *lesson.data.practice]:
        check(page, question, right=question.type == "ordering")
    axe_finds_nothing(page, system, "[data-module=quiz]", "[data-module=lesson-progress]")

    page.get_by_role("link", name="Take the test").click()
    test = page.locator('[data-quiz="test_bank"].quiz--enhanced')
    test.get_by_role("button", name="Start the test").click()
    take_test(
        test, lesson.run_length, lambda question, number: number % 2 == 0, lesson.data.test_bank
    )
    axe_finds_nothing(page, system, "[data-module=quiz]")


def axe_finds_nothing(page, system, *selectors):
    page.locator("article details:visible").evaluate_all(
        "all => all.forEach(d => { d.open = true; })"
    )
    page.add_script_tag(path=str(AXE))
    result = run_axe_on(page, *selectors)
    assert "color-contrast" in result["passed"], "axe should have checked the quizzes"
    assert not result["violations"], f"axe-core ({system}):\n{describe(result['violations'])}"


def test_quiz_assets_load_only_where_a_quiz_or_progress_is_shown(new_context, lesson):
    context = new_context()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()

    def quiz_assets() -> list[str]:
        return [url for url in requested if url.endswith(("/quiz.js", "/quiz.css"))]

    page.goto(CONTRIBUTING, wait_until="networkidle")
    assert quiz_assets() == [], "a page without quizzes should not load them"

    # Scripts in a page fetched by instant navigation never run: site.js loads the quiz itself.
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name=lesson.data.title).first.click()
    check(page, single(lesson), right=True)
    assert sorted(url.rsplit("/", 1)[1] for url in quiz_assets()) == ["quiz.css", "quiz.js"]

    page.get_by_role("link", name="Home").first.click()
    expect(catalog_card(page, lesson)).to_contain_text(
        f"1 of {len(lesson.questions)} questions answered correctly"
    )
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation"
    assert len(quiz_assets()) == 2, "loaded once, then reused"


def test_print_shows_checked_answers_only_and_no_controls(page, lesson):
    question, untouched = single(lesson), lesson.data.practice[0]
    open_lesson(page, lesson)
    checked = check(page, question, right=False)
    unchecked = question_block(page, untouched)

    page.emulate_media(media="print")
    page.evaluate(
        "window.dispatchEvent(new Event('beforeprint'))"
    )  # Material opens every <details>

    expect(checked.locator("details[data-quiz-answer]")).to_have_attribute("open", "")
    expect(checked.get_by_text(plain(question.explanation))).to_be_visible()
    expect(unchecked.locator("details[data-quiz-answer]")).to_have_attribute("open", "")
    expect(unchecked.get_by_text(plain(untouched.explanation))).to_be_hidden()
    expect(page.get_by_role("button", name="Check answer")).to_have_count(0)
    expect(page.get_by_role("button", name="Reset progress")).to_have_count(0)


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_feedback_moves_only_for_readers_who_accept_motion(new_context, lesson, motion):
    page = new_context(reduced_motion=motion).new_page()
    open_lesson(page, lesson)
    block = check(page, single(lesson), right=True)
    animation = block.get_by_role("status").evaluate("el => getComputedStyle(el).animationName")
    assert (animation == "none") == (motion == "reduce"), animation


def test_a_broken_widget_leaves_the_others_working(page, lesson):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    open_lesson(page, lesson)
    page.evaluate(
        """(slug) => {
          const broken = document.createElement("div");
          broken.setAttribute("data-module", "quiz");
          broken.innerHTML = '<ol class="quiz__questions"><li class="quiz-question"></li></ol>';
          const widget = document.createElement("div");
          widget.setAttribute("data-module", "lesson-progress");
          widget.setAttribute("data-lesson", slug);
          widget.setAttribute("data-question-count", "3");
          widget.hidden = true;
          document.querySelector("article").prepend(broken, widget);
          window.MLOpsVisualPatterns.initAll();
        }""",
        lesson.slug,
    )
    expect(page.get_by_text("Your progress: 0 of 3 questions answered correctly")).to_be_visible()
    assert any("quiz module failed to start" in error for error in errors), errors
    check(page, single(lesson), right=True)


def test_a_hint_on_the_test_page_leads_back_to_its_part_of_the_lesson(new_context, lesson):
    # Without JavaScript every question is listed, so a hint with a reference is always there
    # (a test run draws at random, and not every question's hint has one).
    page = new_context(java_script_enabled=False).new_page()
    page.goto(lesson.test_url)
    hint = page.locator("details.quiz-question__hint", has=page.locator(".lesson-refs a")).first
    hint.locator("summary").click()
    link = hint.locator(".lesson-refs a").first
    target = link.get_attribute("href").split("#")[1]
    link.click()
    expect(page).to_have_url(re.compile(re.escape(f"{lesson.url}#{target}") + "$"))
    expect(page.locator(f"#{target}")).to_be_in_viewport()


def test_every_reference_on_the_test_page_lands_on_an_element_of_the_lesson_page(
    new_context, lesson
):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(lesson.test_url)
    hrefs = page.locator("article a[href*='#']:not(.headerlink)").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    # At least every hint's references (glossary terms link there too).
    hint_refs = sum(len(question.hint_refs) for question in lesson.data.test_bank)
    assert len(hrefs) >= max(hint_refs, 1), hrefs
    assert all(href.startswith("../#") for href in hrefs), hrefs
    page.goto(lesson.url)
    for href in set(hrefs):
        expect(page.locator(f"#{href.split('#')[1]}")).to_have_count(1)


def test_without_its_script_the_test_page_shows_every_question(new_context, lesson):
    # The questions are held out of sight for the start screen only while the script can come.
    page = new_context().new_page()
    page.route("**/quiz.js", lambda route: route.abort())
    page.goto(lesson.test_url)
    expect(page.locator("[data-quiz=test_bank][data-module-failed]")).to_have_count(1)
    expect(page.locator(".quiz-question:visible")).to_have_count(len(lesson.data.test_bank))
