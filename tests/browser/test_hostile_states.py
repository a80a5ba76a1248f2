"""Hostile and odd states never break the page: a malformed fragment, tampered or impossible
progress in storage, a test question checked twice by script, many instant navigations, a link
into a section the learning mode hides, markup in a diagram label, and a failing widget."""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HOME, RENDERED, each_with_a_lesson
from tests.browser.helpers import answer, take_test

pytestmark = pytest.mark.browser


def answered_right(lesson):
    """A question of the lesson page that storage may say was answered rightly."""
    return lesson.question(lambda q: q.type == "single-choice", "visual_quiz")


def answered_oddly(lesson):
    """Another question of the lesson page, whose stored answer is tampered with."""
    right = answered_right(lesson)
    return lesson.question(lambda q: q.id != right.id, "visual_quiz")


def steps(lesson) -> int:
    """The rows of the process table: the step-through's steps."""
    return len(lesson.data.process_table.rows)


def nodes(lesson) -> int:
    """The steps of the process flow: the diagram's nodes."""
    return len(lesson.data.flow.steps)


def seeded(new_context, lesson, value, **options):
    """A page whose storage holds `value` (a string, written as it is) for the lesson when it
    first loads (a reload keeps what the page saved since)."""
    context = new_context(**options)
    context.add_init_script(
        "if (!sessionStorage.getItem('seeded')) {"
        f"  localStorage.setItem({lesson.storage_key!r}, {json.dumps(value)});"
        "  sessionStorage.setItem('seeded', '1');"
        "}"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    return page, errors


def progress(page):
    return page.get_by_text(re.compile(r"^Your progress: "))


def stored(page, lesson):
    return page.evaluate(f"() => JSON.parse(localStorage.getItem({lesson.storage_key!r}))")


# 1. A fragment that is not valid percent-encoding --------------------------------------------


@pytest.mark.parametrize("fragment", ["%", "%E0%A4%A", "100%-sure"])
def test_a_malformed_fragment_in_the_address_still_draws_the_diagram(
    page, page_errors, fragment, lesson
):
    page.goto(f"{lesson.url}#{fragment}")

    expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(nodes(lesson))
    expect(page.locator(".mode-picker--enhanced")).to_be_visible()
    expect(page.locator(".step-through--enhanced")).to_have_count(1)
    assert page_errors == []


# 2, 3. Progress in storage is untrusted data --------------------------------------------------

FAKE_IDS = {f"not-a-question-{n}": True for n in range(50)}


# Each case: what storage holds, given a question answered rightly, another question and the
# length of the lesson's test; how many answers the page counts; the best score it shows.
@pytest.mark.parametrize(
    "saved, right, best",
    [
        (
            lambda ok, odd, n: {
                "answers": {ok: True, **FAKE_IDS},
                "best": {"score": 1e300, "total": 1e300},
            },
            1,
            None,
        ),
        (
            lambda ok, odd, n: {
                "answers": {ok: True, "__proto__": True, "constructor": True},
                "best": None,
            },
            1,
            None,
        ),
        (lambda ok, odd, n: {"answers": {ok: True}, "best": {"score": 3.5, "total": n}}, 1, None),
        (
            lambda ok, odd, n: {"answers": {ok: True}, "best": {"score": "8", "total": str(n)}},
            1,
            None,
        ),
        (lambda ok, odd, n: {"answers": {ok: True}, "best": {"score": -1, "total": n}}, 1, None),
        (
            lambda ok, odd, n: {"answers": {ok: True}, "best": {"score": n + 1, "total": n + 1}},
            1,
            None,
        ),
        (lambda ok, odd, n: {"answers": {ok: True}, "best": [8, n]}, 1, None),
        (
            lambda ok, odd, n: {
                "answers": {ok: True, odd: "yes"},
                "best": {"score": 7, "total": n},
            },
            1,
            "7/{n}",
        ),
        (lambda ok, odd, n: {"answers": {ok: True, odd: 1}, "best": None}, 1, None),
        (lambda ok, odd, n: {"answers": [ok], "best": {"score": 7, "total": n}}, 0, "7/{n}"),
    ],
    ids=[
        "unknown-ids-and-huge-score",
        "prototype-keys",
        "fractional-score",
        "score-as-strings",
        "negative-score",
        "longer-than-the-test",
        "best-as-a-list",
        "one-answer-not-boolean",
        "one-answer-a-number",
        "answers-a-list",
    ],
)
def test_tampered_progress_shows_only_what_this_lesson_could_have_scored(
    new_context, saved, right, best, lesson
):
    length = lesson.run_length
    saved = saved(answered_right(lesson).id, answered_oddly(lesson).id, length)
    page, errors = seeded(new_context, lesson, json.dumps(saved))
    page.goto(lesson.url)

    expected = f"Your progress: {right} of {len(lesson.questions)} questions answered correctly"
    expected += f" · best test score {best.format(n=length)}" if best else ""
    expect(progress(page)).to_have_text(expected)
    untouched = page.locator(f"#question-{lesson.data.practice[0].id}")
    expect(untouched.get_by_text("You answered this correctly before.")).to_be_hidden()

    # After instant navigation too, the card counts as the lesson page does.
    page.get_by_role("link", name="Home").first.click()
    card = page.locator(".lesson-catalog").get_by_role("listitem")
    expect(card.filter(has_text=lesson.data.title)).to_contain_text(expected)
    assert errors == []


def run_lengths(lesson) -> set[int]:
    """How many questions a run of the lesson's test can ask: the run's length, or fewer when the
    reader picks a difficulty that has fewer (the test page's filter)."""
    bank = lesson.data.test_bank
    return {
        min(lesson.run_length, n)
        for n in [len(bank), *Counter(q.difficulty for q in bank).values()]
    }


def no_run_length(lesson) -> int:
    """The longest test no run of the lesson's test can be."""
    runs = run_lengths(lesson)
    lengths = [n for n in range(1, max(runs)) if n not in runs]
    if not lengths:
        pytest.fail(f"{lesson.slug}: every length up to {max(runs)} is a run of its test")
    return lengths[-1]


# Records the home page's cards once counted otherwise than the lesson page (issue 21). Each
# case: what storage holds, given the lesson and a question answered rightly; how many answers
# both count; whether both show the stored best score.
AGREED = {
    "only-unknown-ids": (lambda lesson, ok: {"answers": FAKE_IDS, "best": None}, 0, False),
    "a-right-answer-among-unknown-ids": (
        lambda lesson, ok: {"answers": {ok: True, **FAKE_IDS}, "best": None},
        1,
        False,
    ),
    "best-of-a-one-question-run": (
        lambda lesson, ok: {"answers": {ok: True}, "best": {"score": 1, "total": 1}},
        1,
        False,
    ),
    "best-of-a-length-no-run-has": (
        lambda lesson, ok: {"answers": {}, "best": {"score": 2, "total": no_run_length(lesson)}},
        0,
        False,
    ),
    "best-of-a-run-of-one-difficulty": (
        lambda lesson, ok: {"answers": {}, "best": {"score": 2, "total": min(run_lengths(lesson))}},
        0,
        True,
    ),
}


@pytest.mark.parametrize("case, lesson", each_with_a_lesson(AGREED), indirect=["lesson"])
def test_the_home_card_and_the_lesson_page_count_stored_progress_alike(new_context, case, lesson):
    saved, right, shows_best = AGREED[case]
    saved = saved(lesson, answered_right(lesson).id)
    page, errors = seeded(new_context, lesson, json.dumps(saved))
    expected = f"Your progress: {right} of {len(lesson.questions)} questions answered correctly"
    if shows_best:
        expected += f" · best test score {saved['best']['score']}/{saved['best']['total']}"

    page.goto(HOME)  # loaded first: no lesson page has told the script anything yet
    card = page.locator(f".lesson-card[data-lesson='{lesson.slug}'] .lesson-progress")
    expect(card).to_be_visible()  # filled in: until then it holds "0 of ..." from the build
    expect(card).to_have_text(expected)
    page.goto(lesson.url)
    expect(progress(page)).to_be_visible()
    expect(progress(page)).to_have_text(expected)
    assert errors == []


def test_a_best_score_no_run_could_give_gives_way_to_a_real_run(new_context, lesson):
    page, errors = seeded(
        new_context, lesson, json.dumps({"answers": {}, "best": {"score": 1, "total": 1}})
    )
    bank = lesson.data.test_bank
    level, count = min(Counter(q.difficulty for q in bank).items(), key=lambda item: item[1])
    count = min(lesson.run_length, count)
    page.goto(lesson.test_url)
    test = page.locator('[data-quiz="test_bank"].quiz--enhanced')
    test.get_by_label("Difficulty").select_option(label=level.capitalize())
    test.get_by_role("button", name="Start the test").click()
    take_test(test, count, lambda question, number: False, bank)

    summary = test.get_by_role("region", name="Test result").get_by_role("status")
    expect(summary).to_contain_text(f"You scored 0 of {count}.")
    expect(summary).to_contain_text(f"Your best score: 0/{count}.")
    assert stored(page, lesson)["best"] == {"score": 0, "total": count}
    page.goto(HOME)  # a run of one difficulty is a real run: the card shows it too
    card = page.locator(f".lesson-card[data-lesson='{lesson.slug}'] .lesson-progress")
    expect(card).to_contain_text(f"best test score 0/{count}")
    assert errors == []


@pytest.mark.parametrize("garbage", ["{", '"a string"', "1e999", "[[[[]]]]", "{}", "true"])
def test_malformed_progress_json_never_crashes_a_page(new_context, garbage, lesson):
    page, errors = seeded(new_context, lesson, garbage)
    page.goto(lesson.url)

    total = len(lesson.questions)
    expect(progress(page)).to_have_text(f"Your progress: 0 of {total} questions answered correctly")
    expect(page.locator(".quiz--enhanced")).to_have_count(2)
    page.goto(HOME)
    card = (
        page.locator(".lesson-catalog").get_by_role("listitem").filter(has_text=lesson.data.title)
    )
    expect(card).to_contain_text(f"0 of {total} questions")
    assert errors == []


CHECK_TWICE = """(li) => {
  const check = [...li.querySelectorAll("button")].find((b) => b.textContent === "Check answer");
  check.click();
  check.click();
  check.dispatchEvent(new MouseEvent("click", { bubbles: true }));
}"""

# After a wrong first check: pick the right answer despite the disabled fieldset, check again.
CORRECT_AND_CHECK_AGAIN = """(li, index) => {
  const option = li.querySelector(`[data-option-index="${index}"] input`);
  option.checked = true;
  [...li.querySelectorAll("button")].find((b) => b.textContent === "Check answer").click();
}"""


def test_a_test_question_checked_again_by_script_scores_once(new_context, lesson):
    right = answered_right(lesson)
    page, errors = seeded(
        new_context, lesson, json.dumps({"answers": {right.id: True}, "best": None})
    )
    page.goto(lesson.test_url)
    test = page.locator('[data-quiz="test_bank"]')
    test.get_by_role("button", name="Start the test").click()
    by_id = {q.id: q for q in lesson.data.test_bank}
    length = lesson.run_length
    first = None

    for number in range(1, length + 1):
        group = test.get_by_role("group", name=re.compile(rf"^Question {number} of "))
        expect(group).to_be_visible()
        block = group.locator("xpath=ancestor::li[1]")
        question = by_id[block.get_attribute("data-question-id")]
        single = question.type == "single-choice"
        if first is None and single:  # wrong first, then "fixed" by script: still wrong
            first = question
            answer(block, question, right=False)
            block.evaluate(CHECK_TWICE)
            index = [o.text for o in question.options].index(question.answer)
            block.evaluate(CORRECT_AND_CHECK_AGAIN, index)
        else:
            answer(block, question, right=True)
            block.evaluate(CHECK_TWICE)
        verdict = "Not right." if question is first else "Correct."
        expect(block.get_by_role("status")).to_contain_text(verdict)
        test.locator("[data-action=advance]").evaluate("b => { b.click(); b.click(); }")

    expected = length - 1 if first else length
    score = test.locator(".quiz-test__score")
    expect(score).to_have_text(f"You scored {expected} of {length}.")
    expect(test).to_contain_text(f"Your best score: {expected}/{length}.")
    saved = stored(page, lesson)
    assert saved["best"] == {"score": expected, "total": length}
    if first:
        assert saved["answers"][first.id] is False

    page.goto(lesson.url)  # nothing was lost: the lesson page's progress has the best score
    expect(progress(page)).to_contain_text(f"best test score {expected}/{length}")
    assert right.id in stored(page, lesson)["answers"]
    assert errors == []


# 4. One hashchange, one handler, however many lesson visits ------------------------------------

# Every hashchange listener our scripts add, wrapped to count its calls, by script.
COUNT_HASHCHANGE_LISTENERS = """(() => {
  window.__hashCalls = {};
  const wrappers = new WeakMap();
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    const script = type === "hashchange" && this === window &&
      (/\\/assets\\/javascripts\\/([\\w-]+\\.js)/.exec(new Error().stack) || [])[1];
    if (script && typeof listener === "function") {
      const wrapper = function (event) {
        window.__hashCalls[script] = (window.__hashCalls[script] || 0) + 1;
        return listener.call(this, event);
      };
      wrappers.set(listener, wrapper);
      return add.call(this, type, wrapper, options);
    }
    return add.call(this, type, listener, options);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    return remove.call(this, type, wrappers.get(listener) || listener, options);
  };
})();"""


def test_after_many_instant_navigations_a_hashchange_reaches_each_handler_once(new_context, lesson):
    context = new_context()
    context.add_init_script(COUNT_HASHCHANGE_LISTENERS)
    page = context.new_page()
    page.goto(lesson.url)
    expect(page.locator(".step-through--enhanced")).to_have_count(1)
    page.evaluate("window.__sameDocument = true")

    for _ in range(4):
        page.get_by_role("link", name="Home").first.click()
        expect(page.locator(".lesson-catalog")).to_be_visible()
        page.locator(".lesson-catalog").get_by_role("link", name=lesson.data.title).first.click()
        expect(page.locator(".step-through--enhanced")).to_have_count(1)
        expect(page.locator(".mode-picker--enhanced")).to_have_count(1)

    last = steps(lesson)  # the step-through starts at the first
    page.evaluate(f"window.__hashCalls = {{}}; location.hash = '#step-through-{last}'")
    expect(page.locator(".step-through__position")).to_have_text(f"Step {last} of {last}")
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation"
    calls = page.evaluate("window.__hashCalls")
    assert calls == {"learning-modes.js": 1, "step-through.js": 1}, calls


# 5. A link into a section the mode hides ------------------------------------------------------


def url_parts(page) -> tuple[str | None, str]:
    parts = urlsplit(page.url)
    return parse_qs(parts.query).get("mode", [None])[0], parts.fragment


def test_a_link_into_a_section_the_mode_hides_switches_and_lands_every_time(new_context, lesson):
    page = new_context(viewport={"width": 1280, "height": 700}).new_page()
    article = page.locator("article.md-content__inner")
    step = lesson.linked_row()
    row = page.locator(f"#process-step-{step}")

    for attempt in range(5):
        page.goto(f"{lesson.url}?mode=key-moments")
        expect(page.locator(".mode-picker--enhanced")).to_be_visible()
        link = page.locator(".key-moments").get_by_role(
            "link", name=f"process table, step {step}", exact=True
        )
        link.first.click()  # scrolled into view first, as a reader would

        expect(article).to_have_attribute("data-lesson-mode", "visual")
        expect(row).to_be_visible()
        expect(row).to_be_in_viewport(ratio=1)
        expect(row).to_be_focused()
        header = page.locator(".md-header").bounding_box()
        assert row.bounding_box()["y"] >= header["height"], f"attempt {attempt}: under the header"
        # Material's navigation.tracking would rewrite the address 250 ms after a scroll.
        page.wait_for_timeout(600)
        assert url_parts(page) == ("visual", f"process-step-{step}"), (
            f"attempt {attempt}: {page.url}"
        )


def test_a_fragment_the_mode_hides_typed_into_the_address_is_shown_and_focused(page, lesson):
    page.goto(f"{lesson.url}?mode=practice")
    expect(page.locator(".mode-picker--enhanced")).to_be_visible()

    entry = f"glossary-{lesson.data.glossary[0].id}"
    page.evaluate(f"location.hash = '#{entry}'")

    expect(page.locator("article.md-content__inner")).to_have_attribute("data-lesson-mode", "read")
    target = page.locator(f"#{entry}")
    expect(target).to_be_in_viewport()
    expect(target).to_be_focused()


# 6. Diagram labels are text, never markup; one widget's failure stops no other ----------------


def test_diagram_labels_are_drawn_as_svg_text_never_as_html(page, page_errors, lesson):
    # What Mermaid does with markup in a label is tested at build time (tests/test_diagrams.py).
    page.goto(lesson.url)
    expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(nodes(lesson))
    svg = page.locator(f"{RENDERED} svg")
    expect(svg.locator("foreignObject")).to_have_count(0)
    expect(svg.locator("g.node text")).to_have_count(nodes(lesson))
    assert page_errors == []


# The head script's hook, replaced by one that throws; bogus module names, first on the page.
BROKEN_WIDGETS = """(() => {
  Object.defineProperty(window, "holdForMode", {
    configurable: true,
    get: () => () => { throw new Error("hook broke"); },
    set() {},
  });
  document.addEventListener("DOMContentLoaded", () => {
    const article = document.querySelector("article");
    for (const name of ["no-such-module", "__proto__", "constructor", "toString"]) {
      const el = document.createElement("div");
      el.setAttribute("data-module", name);
      article.prepend(el);
    }
  });
})();"""


def test_one_widget_failing_to_start_leaves_every_other_one_working(new_context, lesson):
    context = new_context()
    context.add_init_script(BROKEN_WIDGETS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(lesson.url)

    expect(page.locator(".quiz--enhanced")).to_have_count(2)
    expect(page.locator(".mode-picker--enhanced")).to_be_visible()
    expect(page.locator(".step-through--enhanced")).to_have_count(1)
    expect(page.locator(".flashcards--enhanced")).not_to_have_count(0)
    expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(nodes(lesson))
    expect(progress(page)).to_be_visible()
    assert all("hook broke" in error for error in errors), errors  # the head script's own call
