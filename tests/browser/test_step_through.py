"""Each lesson's step-through walks its process table one step at a time and lights up the same
step in the flow diagram, the process table and the status tracker: from the keyboard, for
screen readers, from a link, playing on its own, in both palettes, and without JavaScript. The
lessons differ in their number of steps and stages, and in what each step changes."""

from __future__ import annotations

import contextlib
import itertools
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import AXE, DIAGRAM, HOME, LESSONS, RENDERED, LessonUnderTest
from tests.browser.helpers import plain, run_axe_on
from tests.browser.test_accessibility import SCHEMES, describe

pytestmark = pytest.mark.browser

WIDGET = ".step-through"
ENHANCED = ".step-through--enhanced"

# What the page highlights, read from the attributes the script sets.
HIGHLIGHTED = """() => {
  const all = (selector) => [...document.querySelectorAll(selector)];
  return {
    nodes: all('.flow-diagram svg g.node[data-step-current]')
      .filter((node) => node.checkVisibility()).map((node) => node.dataset.flowNode),
    items: all('.flow-diagram__steps > li[data-step-current]').map((li) => li.dataset.flowStep),
    rows: all('.lesson-table--process [data-step-current]').map((row) => row.dataset.step),
    tracker: all('.lesson-table--tracker [data-step-current]')
      .map((cell) => cell.tagName + ' ' + cell.dataset.stage),
    changed: all('[data-step-changed]').map((cell) => cell.id),
    shown: all('.step-through__step:not([hidden])').map((li) => li.id),
  };
}"""

# The same, each list sorted, compared with what is expected (passed as the argument).
SHOWS = f"""(expected) => {{
  const found = ({HIGHLIGHTED})();
  Object.values(found).forEach((list) => list.sort());
  return JSON.stringify(found) === JSON.stringify(expected);
}}"""

# Resolves once the page has not scrolled for 400 ms: Material's navigation.tracking rewrites
# the fragment 250 ms after the last scroll, which would race a move made during that time.
SETTLED = """() => new Promise((resolve) => {
  let last = -1;
  const check = () => (scrollY === last ? resolve() : ((last = scrollY), setTimeout(check, 400)));
  check();
})"""


def rows_of(lesson: LessonUnderTest) -> list:
    return lesson.data.process_table.rows


def previous_stage(lesson: LessonUnderTest, index: int) -> str | None:
    """A step is compared with the stage before it: the previous row's, or for the first row
    the tracker column left of its own."""
    rows = rows_of(lesson)
    if index:
        return rows[index - 1].tracker_stage
    stages = [stage.id for stage in lesson.data.status_tracker.stages]
    position = stages.index(rows[0].tracker_stage)
    return stages[position - 1] if position else None


def changed_variables(lesson: LessonUnderTest, index: int) -> list:
    stage, before = rows_of(lesson)[index].tracker_stage, previous_stage(lesson, index)
    return [
        v
        for v in lesson.data.status_tracker.variables
        if before is not None and v.values[before] != v.values[stage]
    ]


def expected_highlights(lesson: LessonUnderTest, step: int) -> dict:
    index = step - 1
    row = rows_of(lesson)[index]
    variables = lesson.data.status_tracker.variables
    return {
        "nodes": sorted(row.flow_steps),
        "items": sorted(row.flow_steps),
        "rows": [str(row.step)],
        "tracker": sorted(
            [f"TH {row.tracker_stage}"] + [f"TD {row.tracker_stage}"] * len(variables)
        ),
        "changed": sorted(
            f"tracker-{v.id}-{row.tracker_stage}" for v in changed_variables(lesson, index)
        ),
        "shown": [f"step-through-{step}"],
    }


def highlights(page) -> dict:
    return {key: sorted(value) for key, value in page.evaluate(HIGHLIGHTED).items()}


def announcement(lesson: LessonUnderTest, step: int) -> str:
    rows = rows_of(lesson)
    names = [plain(v.label) for v in changed_variables(lesson, step - 1)]
    if names:
        changed = f"Changed: {', '.join(names)}."
    elif previous_stage(lesson, step - 1):
        changed = "Nothing changed."
    else:
        changed = "The tracker starts here."
    return f"Step {step} of {len(rows)}: {plain(rows[step - 1].action)}. {changed}"


def open_lesson(page, lesson: LessonUnderTest, query: str = ""):
    page.goto(f"{lesson.url}{query}")
    expect(page.locator(f"{RENDERED} svg g.node[data-step-current]").first).to_be_attached()
    return page.locator(ENHANCED)


def control(widget, name: str):
    return widget.get_by_role("button", name=name, exact=True)


def assert_shows_step(page, lesson: LessonUnderTest, step: int) -> None:
    widget = page.locator(WIDGET)
    rows = rows_of(lesson)
    expected = expected_highlights(lesson, step)
    with contextlib.suppress(PlaywrightTimeout):  # the diagram may still be (re)drawing
        page.wait_for_function(SHOWS, arg=expected, timeout=5_000)
    assert highlights(page) == expected, f"step {step}"
    expect(widget.locator(".step-through__position")).to_have_text(f"Step {step} of {len(rows)}")
    # Not by colour alone: each changed cell says so in words.
    for variable in changed_variables(lesson, step - 1):
        cell = page.locator(f"#tracker-{variable.id}-{rows[step - 1].tracker_stage}")
        expect(cell).to_contain_text(re.compile(r"changed$"))
    expect(page.locator(f"#process-step-{step}")).to_have_attribute("aria-current", "step")
    previous, following = control(widget, "Previous"), control(widget, "Next")
    (expect(previous).to_be_disabled if step == 1 else expect(previous).to_be_enabled)()
    (expect(following).to_be_disabled if step == len(rows) else expect(following).to_be_enabled)()


def test_it_starts_on_the_first_step_with_every_view_of_it_highlighted(page, page_errors, lesson):
    widget = open_lesson(page, lesson)

    assert_shows_step(page, lesson, 1)
    expect(widget.locator(".step-through__step")).to_have_count(len(rows_of(lesson)))
    expect(widget.locator(".step-through__step:visible")).to_have_count(1)
    expect(widget.get_by_role("status")).to_have_text("")  # nothing said before a move
    assert page.evaluate("location.hash") == ""
    assert page_errors == []


def test_the_keyboard_walks_every_step_forward_and_back(page, page_errors, lesson):
    count = len(rows_of(lesson))
    widget = open_lesson(page, lesson)
    following = control(widget, "Next")
    following.focus()

    # Every key that moves forward, in turn, however many steps the lesson has.
    keys = itertools.cycle(["Enter", " ", "ArrowRight"])
    for step, key in zip(range(2, count + 1), keys, strict=False):
        page.keyboard.press(key)
        assert_shows_step(page, lesson, step)
    page.keyboard.press("Enter")  # Next is unavailable on the last step, and keeps the focus
    assert_shows_step(page, lesson, count)
    expect(following).to_be_focused()

    for step in range(count - 1, 0, -1):
        page.keyboard.press("ArrowLeft")
        assert_shows_step(page, lesson, step)
    page.keyboard.press("End")
    assert_shows_step(page, lesson, count)
    page.keyboard.press("Home")
    assert_shows_step(page, lesson, 1)
    assert page_errors == []


def test_each_move_is_announced_with_what_changed(page, lesson):
    count = len(rows_of(lesson))
    widget = open_lesson(page, lesson)
    status = widget.get_by_role("status")

    for step in range(2, count + 1):
        control(widget, "Next").click()
        expect(status).to_have_text(announcement(lesson, step))
    control(widget, "Previous").click()
    expect(status).to_have_text(announcement(lesson, count - 1))
    # "Nothing changed." is heard in some lesson: not every lesson has such a step.
    assert any(
        not changed_variables(other, i)
        for other in map(LessonUnderTest, LESSONS.values())
        for i in range(len(rows_of(other)))
    ), "a step that changes nothing"


def test_a_link_to_a_step_opens_on_it_and_moving_keeps_the_address_a_link(page, lesson):
    widget = open_lesson(page, lesson, "?mode=visual#step-through-3")

    assert_shows_step(page, lesson, 3)
    expect(widget.locator(".step-through__controls")).to_be_in_viewport()
    assert page.evaluate("document.activeElement === document.body")  # focus is not taken
    page.evaluate(SETTLED)
    entries = page.evaluate("history.length")

    control(widget, "Next").click()
    assert_shows_step(page, lesson, 4)
    expect(page).to_have_url(re.compile(rf"{re.escape(lesson.url)}\?mode=visual#step-through-4$"))
    assert page.evaluate("history.length") == entries, "the move replaced the entry, no push"

    # The fragment changes under the widget, as the browser signals it. (A real change of
    # location.hash also makes Material's instant navigation re-render the page on its first
    # popstate, racing these checks between the old widget and a fresh one.)
    page.evaluate("scrollTo(0, 0)")
    page.evaluate(
        """() => {
          history.replaceState(history.state, "", "#step-through-2");
          window.dispatchEvent(new HashChangeEvent("hashchange"));
        }"""
    )
    assert_shows_step(page, lesson, 2)
    expect(widget.locator(".step-through__controls")).to_be_in_viewport()


def test_play_advances_until_the_last_step_and_pause_stops_it(page, lesson):
    count = len(rows_of(lesson))
    page.clock.install()
    widget = open_lesson(page, lesson)
    play = control(widget, "Play")

    play.click()
    expect(control(widget, "Pause")).to_be_visible()
    page.clock.run_for(4_000)
    assert_shows_step(page, lesson, 2)
    expect(widget.get_by_role("status")).to_have_text(announcement(lesson, 2))

    control(widget, "Pause").click()
    page.clock.run_for(20_000)
    assert_shows_step(page, lesson, 2)
    expect(play).to_be_visible()

    play.click()
    page.clock.run_for(4_000 * count)
    assert_shows_step(page, lesson, count)
    expect(play).to_be_visible()  # stopped by itself at the end

    play.click()  # from the end, it plays from the start again
    assert_shows_step(page, lesson, 1)
    page.clock.run_for(4_000)
    assert_shows_step(page, lesson, 2)
    control(widget, "Previous").click()  # any move of the reader's stops it
    expect(play).to_be_visible()
    page.clock.run_for(20_000)
    assert_shows_step(page, lesson, 1)


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_highlights_move_without_transitions_for_readers_who_reduce_motion(
    new_context, lesson, motion
):
    page = new_context(reduced_motion=motion).new_page()
    widget = open_lesson(page, lesson)
    control(widget, "Next").click()

    durations = page.evaluate(
        """() => [...document.querySelectorAll(
            '[data-step-current], [data-step-current] > *, [data-step-current] .label-container'
          )].flatMap((el) => getComputedStyle(el).transitionDuration.split(',').map(parseFloat))"""
    )
    if motion == "reduce":
        assert durations and all(d <= 0.00001 for d in durations), durations
    else:
        assert any(d > 0 for d in durations), durations


@pytest.mark.parametrize("width", [390, 1280])
def test_both_drawings_highlight_the_step_whichever_the_width_shows(new_context, lesson, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    open_lesson(page, lesson)
    control(page.locator(WIDGET), "Next").click()

    expected = sorted(rows_of(lesson)[1].flow_steps)
    for drawing in page.locator(f"{DIAGRAM} svg").all():  # the hidden one too, for a resize
        nodes = drawing.locator("g.node[data-step-current]")
        assert sorted(n.get_attribute("data-flow-node") for n in nodes.all()) == expected
    assert_shows_step(page, lesson, 2)
    page.get_by_title("Switch to dark mode").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert_shows_step(page, lesson, 2)


def test_with_javascript_off_every_step_is_listed_and_there_are_no_controls(new_context, lesson):
    rows = rows_of(lesson)
    page = new_context(java_script_enabled=False).new_page()
    page.goto(lesson.url)

    steps = page.locator(f"{WIDGET} .step-through__step")
    expect(steps).to_have_count(len(rows))
    for step, row in zip(steps.all(), rows, strict=True):
        expect(step).to_be_visible()
        expect(step).to_contain_text(f"Step {row.step} of {len(rows)}: {plain(row.action)}")
    expect(page.locator(WIDGET).get_by_role("button")).to_have_count(0)
    expect(page.locator("[data-step-current]")).to_have_count(0)


def test_print_shows_every_step_and_no_controls(page, lesson):
    widget = open_lesson(page, lesson)
    control(widget, "Next").click()

    page.emulate_media(media="print")
    expect(widget.locator(".step-through__step")).to_have_count(len(rows_of(lesson)))
    for step in widget.locator(".step-through__step").all():
        expect(step).to_be_visible()
    expect(widget.locator(".step-through__controls")).to_be_hidden()
    marks = page.locator(".lesson-table--tracker").get_by_text("changed")
    expect(marks).to_have_count(len(changed_variables(lesson, 1)))
    for mark in marks.all():  # the step on screen is not the one on paper
        expect(mark).to_be_hidden()


def test_in_the_visual_mode_the_controls_stay_in_reach_over_the_tracker(page, lesson):
    widget = open_lesson(page, lesson, "?mode=visual")
    expect(page.locator("article")).to_have_attribute("data-lesson-mode", "visual")

    page.locator(".lesson-table--tracker").scroll_into_view_if_needed()
    bar = widget.locator(".step-through__controls")
    expect(bar).to_be_in_viewport()
    header = page.locator(".md-header").bounding_box()
    assert bar.bounding_box()["y"] >= header["y"] + header["height"] - 1, "under the header"
    control(widget, "Next").click()
    assert_shows_step(page, lesson, 2)
    expect(page.locator(".lesson-table--tracker")).to_be_in_viewport()


def test_after_instant_navigation_away_and_back_it_works_again_without_errors(
    page, page_errors, lesson
):
    page.goto(HOME)
    page.evaluate("window.__sameDocument = true")

    for _ in range(2):
        page.locator(".lesson-catalog").get_by_role("link", name=lesson.data.title).first.click()
        page.wait_for_url(re.compile(re.escape(lesson.url)))
        widget = page.locator(ENHANCED)
        expect(widget).to_have_count(1)
        expect(widget.locator(".step-through__controls")).to_have_count(1)
        expect(page.locator(f"{RENDERED} svg g.node[data-step-current]")).to_have_count(
            len(rows_of(lesson)[0].flow_steps)
        )
        assert_shows_step(page, lesson, 1)
        control(widget, "Next").click()  # one press, one step: no handler left over
        assert_shows_step(page, lesson, 2)
        page.get_by_role("link", name="Home").first.click()
        expect(page.locator(".lesson-catalog")).to_be_visible()
        expect(page.locator(WIDGET)).to_have_count(0)

    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation"
    assert page_errors == []


@pytest.mark.parametrize("system", SCHEMES)
def test_axe_finds_no_violations_on_the_second_step(new_context, lesson, system):
    page = new_context(color_scheme=system).new_page()
    widget = open_lesson(page, lesson)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[system])
    control(widget, "Next").click()
    assert_shows_step(page, lesson, 2)

    page.add_script_tag(path=str(AXE))
    result = run_axe_on(
        page,
        ".step-through",
        ".flow-diagram",
        ".lesson-table--process",
        ".lesson-table--tracker",
    )
    assert "color-contrast" in result["passed"], "axe should have checked the colours"
    assert not result["violations"], f"axe-core ({system}):\n{describe(result['violations'])}"
