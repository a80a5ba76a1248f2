"""Nothing moves once a page has painted: the widgets start into room the page kept for them.

Layout shifts are read from the browser's own layout-shift entries (what Lighthouse sums as
cumulative layout shift), over the whole load and start of every widget.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from macros.render import LEARNING_MODES
from tests.browser.conftest import HOME, LESSONS, PAGES, LessonUnderTest

pytestmark = pytest.mark.browser

LESSON_PAGES = {LessonUnderTest(data).url for data in LESSONS.values()}
TEST_PAGES = {LessonUnderTest(data).test_url for data in LESSONS.values()}
# Shifts are summed from the first paint; every started widget has added its elements by the
# time the page is idle on the network.
RECORD_SHIFTS = """
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      const moved = (entry.sources || []).map((s) => s.node && (s.node.id || s.node.className || s.node.nodeName));
      window.__shifts.push({ value: entry.value, moved });
    }
  }).observe({ type: "layout-shift", buffered: true });
"""
LIMIT = 0.05  # what Lighthouse calls good is 0.1; the goal here is half of it


def shifts_while_loading(new_context, path, *, width, scheme="light", remembered=None):
    """`remembered`: (the lesson, the mode the reader chose for it on an earlier visit)."""
    context = new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
    context.add_init_script(RECORD_SHIFTS)
    page = context.new_page()
    if remembered:
        lesson, mode = remembered
        page.goto(HOME)
        page.evaluate(f"localStorage.setItem({lesson.mode_key!r}, {mode!r})")
    page.goto(path, wait_until="networkidle")
    page_path = path.split("?")[0]
    if page_path in TEST_PAGES:  # its start screen takes the place of the questions
        expect(page.locator(".quiz--enhanced")).to_have_count(1)
        page.wait_for_load_state("networkidle")
    elif page_path in LESSON_PAGES:  # however long a busy machine takes to start them
        expect(page.locator(".mode-picker--enhanced")).to_have_count(1)
        expect(page.locator(".quiz--enhanced")).not_to_have_count(0)
        page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # a last frame after the widgets have started
    shifts = page.evaluate("window.__shifts")
    return sum(s["value"] for s in shifts), shifts


# The dark palette changes colours only (site.css and quiz.css give `slate` other colours, no
# other sizes). Material switches to it from its script at the end of the page, which may run
# after a first paint: once, where room is tightest, catches a dark-only rule that changes a size.
@pytest.mark.parametrize(("scheme", "width"), [("light", 390), ("light", 1280), ("dark", 390)])
@pytest.mark.parametrize("path", PAGES)
def test_no_page_moves_while_it_loads(new_context, path, scheme, width):
    total, shifts = shifts_while_loading(new_context, path, width=width, scheme=scheme)
    assert total < LIMIT, f"{path} shifted by {total:.3f}: {shifts}"


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("mode", [mode.id for mode in LEARNING_MODES])
def test_a_linked_mode_does_not_move_the_page_when_it_applies(new_context, mode, width, lesson):
    total, shifts = shifts_while_loading(new_context, f"{lesson.url}?mode={mode}", width=width)
    assert total < LIMIT, f"?mode={mode} shifted by {total:.3f}: {shifts}"


# A remembered mode is applied as a linked one is (learning-modes.js takes the address's, else
# the stored one), into the same layout: each mode's is measured above, so here one mode does.
@pytest.mark.parametrize("width", [390, 1280])
def test_a_remembered_mode_does_not_move_the_page_when_it_applies(new_context, width, lesson):
    total, shifts = shifts_while_loading(
        new_context, lesson.url, width=width, remembered=(lesson, "practice")
    )
    assert total < LIMIT, f"remembered practice shifted by {total:.3f}: {shifts}"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_remembered_mode_neither_holds_nor_moves_the_test_page(new_context, width, lesson):
    # Learning modes belong to the lesson page: the test page shows at once, whatever is saved.
    total, shifts = shifts_while_loading(
        new_context, lesson.test_url, width=width, remembered=(lesson, "practice")
    )
    assert total < LIMIT, f"{lesson.test_url} shifted by {total:.3f}: {shifts}"
