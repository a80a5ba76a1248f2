"""Learning modes: ten views of every lesson, deep-linkable, remembered, and never hiding anything
from a reader without JavaScript."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from macros.render import LEARNING_MODES
from tests.browser.conftest import HOME

pytestmark = pytest.mark.browser

MODES = {mode.id: mode for mode in LEARNING_MODES}
FULL = LEARNING_MODES[0]

# For each child of the article: its section (the <h2> it comes under, "" above the first) and
# whether it is shown (a widget may lay itself out with `display: contents`, and have no box).
SECTIONS_SHOWN = """article => {
  let section = "";
  return [...article.children].map((el) => {
    if (el.tagName === "H2") section = el.id;
    return [section, el.tagName, getComputedStyle(el).display !== "none"];
  });
}"""


def remembering(lesson, mode_id: str) -> str:
    """An init script: the reader chose this mode for the lesson on an earlier visit."""
    return f"localStorage.setItem({lesson.mode_key!r}, {mode_id!r})"


def follow_a_key_moment_to_the_table(page, lesson) -> int:
    """Clicks a key moment's link to a process table row; returns the row's step."""
    step = lesson.linked_row()
    link = page.locator(".key-moments").get_by_role(
        "link", name=f"process table, step {step}", exact=True
    )
    link.first.click()
    return step


def picker(page):
    return page.get_by_role("navigation", name=re.compile("^Choose your learning style"))


def mode_link(page, mode):
    return picker(page).get_by_role("link", name=f"{mode.label} {mode.description}", exact=True)


def open_lesson(page, lesson, suffix: str = ""):
    page.goto(lesson.url + suffix)
    expect(page.locator(".mode-picker--enhanced")).to_be_visible()


def article(page):
    return page.locator("article.md-content__inner")


def visible_sections(page) -> list[str]:
    return page.locator("article > h2").evaluate_all(
        "all => all.filter(h => h.checkVisibility()).map(h => h.id)"
    )


def all_sections(page) -> list[str]:
    return page.locator("article > h2").evaluate_all("all => all.map(h => h.id)")


def url_mode(page) -> str | None:
    return parse_qs(urlsplit(page.url).query).get("mode", [None])[0]


def expect_mode(page, mode):
    expect(article(page)).to_have_attribute("data-lesson-mode", mode.id)
    expect(mode_link(page, mode)).to_have_attribute("aria-current", "true")
    expect(picker(page).locator("[aria-current]")).to_have_count(1)
    every = all_sections(page)
    assert set(mode.sections) <= set(every), "a mode names a heading the lesson lacks"
    shown = visible_sections(page)
    assert shown == [s for s in every if not mode.sections or s in mode.sections], shown


def test_the_picker_offers_every_mode_with_the_full_lesson_active(page, lesson):
    open_lesson(page, lesson)

    assert len(LEARNING_MODES) >= 8
    expect(picker(page).get_by_role("link")).to_have_count(len(LEARNING_MODES))
    for mode in LEARNING_MODES:
        expect(mode_link(page, mode)).to_be_visible()
        expect(mode_link(page, mode)).to_have_attribute("href", re.compile(rf"\?mode={mode.id}$"))
    expect_mode(page, FULL)
    total = len(all_sections(page))
    expect(picker(page)).to_contain_text(f"{FULL.description} {total} of {total} sections.")
    assert url_mode(page) is None


@pytest.mark.parametrize("mode", LEARNING_MODES, ids=[mode.id for mode in LEARNING_MODES])
def test_each_mode_shows_exactly_its_sections(page, mode, lesson):
    open_lesson(page, lesson)
    total = len(all_sections(page))
    mode_link(page, mode).click()

    expect_mode(page, mode)
    # Every element under a heading shows with its heading; the lesson's header always does.
    for section, tag, shown in article(page).evaluate(SECTIONS_SHOWN):
        expected = not section or not mode.sections or section in mode.sections
        assert shown == expected, f"{tag} under #{section or '(top)'} shown={shown}"
    expect(page.locator("article > h1")).to_be_visible()
    expect(page.locator(".lesson-meta")).to_be_visible()

    count = len(mode.sections) or total
    expect(picker(page)).to_contain_text(f"{mode.description} {count} of {total} sections.")
    expect(picker(page).get_by_role("status")).to_have_text(
        f"Showing: {mode.label}. {count} of {total} sections."
    )


def test_practice_mode_shows_the_practice_quiz_and_not_the_test(page, lesson):
    open_lesson(page, lesson, "?mode=practice")

    expect(page.locator('[data-quiz="practice"]')).to_be_visible()
    expect(page.get_by_role("button", name="Check answer").first).to_be_visible()
    expect(page.get_by_role("link", name="Take the test")).to_be_hidden()


def test_hands_on_mode_shows_the_commands_to_run(page, lesson):
    open_lesson(page, lesson, "?mode=hands-on")

    # The example's script runs the execution sample's commands.
    script = f"examples/{lesson.data.example}/commands.sh"
    commands = page.locator(".highlight").filter(has=page.get_by_text(script, exact=True))
    expect(commands).to_be_visible()
    for command in lesson.data.execution_sample.commands:
        expect(commands.locator("code")).to_contain_text(command.command)
    expect(page.locator('[data-quiz="practice"]')).to_be_hidden()


def test_a_deep_link_opens_its_mode(page, lesson):
    open_lesson(page, lesson, "?mode=practice")

    expect_mode(page, MODES["practice"])
    expect(page.locator("#practice")).to_be_in_viewport()


def test_choosing_a_mode_puts_it_in_the_address_and_full_takes_it_out(page, lesson):
    open_lesson(page, lesson)

    for mode in ("visual", "test"):
        mode_link(page, MODES[mode]).click()
        expect(mode_link(page, MODES[mode])).to_be_focused()
        expect(page).to_have_url(re.compile(rf"\?mode={mode}(#|$)"))

    mode_link(page, FULL).click()
    expect_mode(page, FULL)
    assert url_mode(page) is None


def test_the_mode_is_remembered_on_reload_and_on_the_next_visit(page, lesson):
    open_lesson(page, lesson)
    mode_link(page, MODES["flashcards"]).click()
    expect_mode(page, MODES["flashcards"])

    page.reload()
    expect_mode(page, MODES["flashcards"])

    page.goto(HOME)
    open_lesson(page, lesson)  # no ?mode= in the address
    expect_mode(page, MODES["flashcards"])
    assert url_mode(page) == "flashcards"

    other = page.context.new_page()
    other.goto(lesson.url)
    expect(other.locator("article")).to_have_attribute("data-lesson-mode", "flashcards")


def test_a_deep_link_wins_over_the_remembered_mode(page, lesson):
    page.add_init_script(remembering(lesson, "flashcards"))
    open_lesson(page, lesson, "?mode=practice")

    expect_mode(page, MODES["practice"])


@pytest.mark.parametrize(
    "stored, suffix, expected",
    [
        ("garbage", "", "full"),
        (None, "?mode=nonsense", "full"),
        ("practice", "?mode=nonsense", "practice"),
        ('{"mode": "test"}', "?mode=", "full"),
    ],
    ids=["stored-garbage", "unknown-param", "unknown-param-remembered", "empty-param"],
)
def test_unknown_modes_fall_back(page, stored, suffix, expected, lesson):
    if stored is not None:
        page.add_init_script(remembering(lesson, stored))
    open_lesson(page, lesson, suffix)

    expect_mode(page, MODES[expected])
    assert url_mode(page) == (None if expected == "full" else expected)


def test_modes_switch_when_storage_is_disabled(page, page_errors, lesson):
    page.add_init_script(
        """Object.defineProperty(window, "localStorage", {
          get() { throw new DOMException("The operation is insecure.", "SecurityError"); }
        });"""
    )
    open_lesson(page, lesson, "?mode=read")
    expect_mode(page, MODES["read"])
    # Material's own inline scripts read the palette from storage, unguarded, before ours run.
    assert all(error == "uncaught: The operation is insecure." for error in page_errors)
    page_errors.clear()

    mode_link(page, MODES["practice"]).click()
    expect_mode(page, MODES["practice"])
    expect(page).to_have_url(re.compile(r"\?mode=practice"))
    page.reload()
    expect_mode(page, MODES["practice"])  # from the address
    assert not [error for error in page_errors if "insecure" not in error]


def test_a_fragment_the_remembered_mode_hides_opens_the_smallest_mode_that_shows_it(page, lesson):
    page.add_init_script(remembering(lesson, "practice"))
    entry = f"#glossary-{lesson.data.glossary[0].id}"
    open_lesson(page, lesson, entry)

    expect_mode(page, MODES["read"])  # the smallest mode with the glossary
    target = page.locator(entry)
    expect(target).to_be_visible()
    expect(target).to_be_in_viewport()
    assert url_mode(page) == "read"
    expect(picker(page).get_by_role("status")).to_have_text("Switched to Read to show Glossary.")


def test_a_link_to_a_hidden_section_switches_to_the_smallest_mode_that_shows_it(page, lesson):
    open_lesson(page, lesson, "?mode=key-moments")
    step = follow_a_key_moment_to_the_table(page, lesson)

    expect_mode(page, MODES["visual"])
    row = page.locator(f"#process-step-{step}")
    expect(row).to_be_visible()
    expect(row).to_be_in_viewport()
    # (Material's navigation.tracking may swap the fragment for the section's heading.)
    expect(page).to_have_url(re.compile(r"\?mode=visual(#|$)"))
    expect(picker(page).get_by_role("status")).to_have_text(
        "Switched to Visual to show Process table."
    )


def test_a_search_result_on_the_same_page_switches_to_a_mode_that_shows_it(page, lesson):
    open_lesson(page, lesson, "?mode=practice")
    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially("glossary")
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching")
    # A page's further sections are folded under "more"; unfold them all.
    page.locator("details.md-search-result__more").evaluate_all(
        "all => all.forEach(d => { d.open = true; })"
    )
    page.locator(f".md-search-result__link[href*='{lesson.url}'][href$='#glossary']").click()

    expect_mode(page, MODES["read"])
    expect(page.locator("#glossary")).to_be_in_viewport()
    assert url_mode(page) == "read"


def test_a_fragment_typed_into_the_address_switches_modes_too(page, lesson):
    open_lesson(page, lesson, "?mode=flashcards")
    page.evaluate("location.hash = '#practice'")

    expect_mode(page, MODES["practice"])
    expect(page.locator("#practice")).to_be_in_viewport()


def test_the_keyboard_switches_modes_and_keeps_focus_on_the_mode(page, lesson):
    open_lesson(page, lesson)
    first = mode_link(page, FULL)
    first.focus()
    for _ in range(list(MODES).index("test")):
        page.keyboard.press("Tab")
    test = mode_link(page, MODES["test"])
    expect(test).to_be_focused()

    page.keyboard.press("Enter")
    expect_mode(page, MODES["test"])
    expect(test).to_be_focused()
    expect(test).to_have_attribute("aria-current", "true")
    expect(first).not_to_have_attribute("aria-current", re.compile("."))


def test_switching_from_far_down_brings_the_picker_back_into_view(page, lesson):
    open_lesson(page, lesson)
    page.locator("#cheat-sheet").scroll_into_view_if_needed()
    expect(picker(page)).not_to_be_in_viewport()

    picker(page).evaluate("nav => nav.querySelector('[data-mode=practice]').click()")
    expect_mode(page, MODES["practice"])
    expect(picker(page)).to_be_in_viewport()


def test_without_javascript_every_section_shows_and_the_picker_links_to_them(new_context, lesson):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(lesson.url)

    for heading in page.locator("article > h2").all():
        expect(heading).to_be_visible()
    for mode in LEARNING_MODES:
        link = page.locator(f'.mode-picker a[data-mode="{mode.id}"]')
        section = (mode.sections or (page.locator("article > h2").first.get_attribute("id"),))[0]
        expect(link).to_have_attribute("href", f"#{section}")
        expect(link).to_contain_text(mode.description)
        expect(page.locator(f"h2#{section}")).to_be_visible()
    expect(page.locator("article[data-lesson-mode]")).to_have_count(0)


def test_instant_navigation_back_to_the_lesson_applies_the_remembered_mode(
    page, page_errors, lesson
):
    open_lesson(page, lesson)
    page.evaluate("window.__sameDocument = true")
    mode_link(page, MODES["practice"]).click()

    for mode in ("practice", "visual"):
        page.get_by_role("link", name="Home").first.click()
        expect(page.locator(".mode-picker")).to_have_count(0)
        expect(page.locator("article[data-lesson-mode]")).to_have_count(0)
        page.locator(".lesson-catalog").get_by_role("link", name=lesson.data.title).click()
        expect(page.locator(".mode-picker--enhanced")).to_have_count(1)
        expect_mode(page, MODES[mode])
        assert url_mode(page) == mode
        mode_link(page, MODES["visual"]).click()  # one switch, one handler: no duplicates
        expect_mode(page, MODES["visual"])
        expect(page.locator(".mode-picker__status")).to_have_count(1)
        expect(page.locator('link[rel=stylesheet][href$="learning-modes.css"]')).to_have_count(1)

    # The in-page link handler acts on the live page only.
    page.locator(".lesson-meta a.glossary-term").first.click()
    expect_mode(page, MODES["read"])
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation"
    assert page_errors == []


def test_the_table_of_contents_lists_only_the_sections_shown(page, lesson):
    open_lesson(page, lesson, "?mode=visual-quiz")
    toc = page.locator(".md-sidebar--secondary").get_by_role("navigation", name="Table of contents")

    listed = toc.locator(":scope > ul > li > a").evaluate_all(
        "all => all.filter(a => a.checkVisibility()).map(a => a.textContent.trim())"
    )
    headings = page.locator("article > h2:visible").evaluate_all(
        "all => all.map(h => h.firstChild.textContent.trim())"
    )
    assert listed == headings
    assert len(listed) == len(MODES["visual-quiz"].sections)

    mode_link(page, FULL).click()
    expect(toc.locator(":scope > ul > li:visible")).to_have_count(len(all_sections(page)))


def test_scrolling_in_a_mode_never_writes_a_hidden_section_into_the_address(page, lesson):
    open_lesson(page, lesson, "?mode=practice")
    practice = page.locator("#practice").bounding_box()
    assert practice
    # Past the top of the article, short of the first section shown: Material's
    # navigation.tracking writes the last heading scrolled past, hidden ones included.
    page.mouse.wheel(0, practice["y"] - 200)
    page.wait_for_timeout(1500)

    fragment = urlsplit(page.url).fragment
    assert fragment in ("", "practice"), page.url
    page.reload()
    expect_mode(page, MODES["practice"])


def test_back_after_following_a_reference_returns_to_the_mode_it_was_followed_from(page, lesson):
    open_lesson(page, lesson, "?mode=key-moments")
    step = follow_a_key_moment_to_the_table(page, lesson)
    expect_mode(page, MODES["visual"])

    page.go_back()
    expect_mode(page, MODES["key-moments"])
    expect(page).to_have_url(re.compile(r"\?mode=key-moments$"))
    page.go_forward()
    expect_mode(page, MODES["visual"])
    expect(page.locator(f"#process-step-{step}")).to_be_in_viewport()


# Every frame until the mode is applied: is a section the remembered mode hides on screen?
WATCH_FOR_A_FLASH = """(() => {
  window.flashed = [];
  const look = () => {
    const article = document.querySelector("article.md-content__inner");
    const heading = document.getElementById("process-flow");
    if (heading && article && !article.dataset.lessonMode &&
        heading.checkVisibility({ visibilityProperty: true })) {
      window.flashed.push(location.pathname);
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();"""


def test_a_remembered_mode_never_shows_the_whole_lesson_first(new_context, lesson):
    context = new_context()
    context.add_init_script(remembering(lesson, "practice"))
    context.add_init_script(WATCH_FOR_A_FLASH)
    page = context.new_page()

    open_lesson(page, lesson)  # a full page load
    expect(article(page)).to_have_attribute("data-lesson-mode", "practice")
    assert page.evaluate("window.flashed") == []

    page.goto(HOME)
    page.evaluate("window.flashed = []")
    # The card's link (the line above the cards offers the same lesson again): instant navigation
    page.locator(".lesson-catalog").get_by_role("link", name=lesson.data.title).click()
    expect(article(page)).to_have_attribute("data-lesson-mode", "practice")
    assert page.evaluate("window.flashed") == []
    expect(page.locator("h2#practice")).to_be_visible()
    expect(page.locator("h2#process-flow")).to_be_hidden()


def test_a_remembered_mode_waits_for_its_script_however_late_it_arrives(new_context, lesson):
    context = new_context()
    context.add_init_script(remembering(lesson, "practice"))
    context.add_init_script(WATCH_FOR_A_FLASH)
    held = []
    # Answered below, as late as a busy phone might get to it.
    context.route("**/learning-modes.js", lambda route: held.append(route))
    page = context.new_page()

    page.goto(lesson.url)
    page.wait_for_timeout(3000)
    assert page.evaluate("document.documentElement.hasAttribute('data-mode-pending')")
    assert len(held) == 1
    held[0].continue_()
    expect(article(page)).to_have_attribute("data-lesson-mode", "practice")
    expect(page.locator("html")).not_to_have_attribute("data-mode-pending", "")
    assert page.evaluate("window.flashed") == []
    expect(page.locator("h2#practice")).to_be_visible()


@pytest.mark.parametrize("script", ["learning-modes.js", "site.js"])
def test_a_remembered_mode_whose_script_fails_shows_the_whole_lesson(new_context, script, lesson):
    context = new_context()
    context.add_init_script(remembering(lesson, "practice"))
    context.route(f"**/javascripts/{script}", lambda route: route.abort())
    page = context.new_page()

    page.goto(lesson.url)
    expect(page.locator("html")).not_to_have_attribute("data-mode-pending", "")
    expect(page.locator("h2#process-flow")).to_be_visible()
    expect(page.locator("h2#practice")).to_be_visible()
