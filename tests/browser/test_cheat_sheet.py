"""Every lesson's cheat sheet prints on one page, from its own button, and the lesson prints
without the site around it, with or without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from macros.render import LEARNING_MODES

pytestmark = pytest.mark.browser

CHEAT_SHEET = next(mode for mode in LEARNING_MODES if mode.sections == ("cheat-sheet",))
PAGE = re.compile(rb"/Type\s*/Page[^s]")
MARGINS = {side: "1cm" for side in ("top", "right", "bottom", "left")}  # as a browser prints
CHROME = {
    "header": ".md-header",
    "navigation sidebar": ".md-sidebar--primary",
    "table of contents": ".md-sidebar--secondary",
    "footer": ".md-footer",
    "back to top": ".md-top",
    "mode picker": ".mode-picker",
}

RECORD_PRINT = """
  window.__printed = [];
  window.print = () => {
    window.__printed.push(document.querySelector("article").dataset.lessonMode);
  };
"""


def open_in_mode(page, lesson, mode_id: str):
    page.goto(f"{lesson.url}?mode={mode_id}")
    expect(page.locator("article")).to_have_attribute("data-lesson-mode", mode_id)


def pages(pdf: bytes) -> int:
    return len(PAGE.findall(pdf))


def expect_no_site_chrome(page):
    for name, selector in CHROME.items():
        for element in page.locator(selector).all():
            expect(element, f"{name} should not print").to_be_hidden()


def test_in_cheat_sheet_mode_print_shows_the_cheat_sheet_alone(page, lesson):
    open_in_mode(page, lesson, CHEAT_SHEET.id)
    page.emulate_media(media="print")

    expect_no_site_chrome(page)
    sheet = page.locator(".cheat-sheet")
    expect(sheet).to_be_visible()
    expect(sheet.locator("table")).to_have_count(2)
    expect(sheet.get_by_role("button", name="Print the cheat sheet")).to_be_hidden()
    visible = page.locator("article > *").evaluate_all(
        "all => all.filter(el => el.checkVisibility()).map(el => el.className)"
    )
    assert visible == ["cheat-sheet"], "the sheet has its own title: nothing else prints"


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_cheat_sheet_prints_on_one_page(page, lesson, paper):
    open_in_mode(page, lesson, CHEAT_SHEET.id)

    assert pages(page.pdf(format=paper, margin=MARGINS)) == 1


def test_the_full_lesson_prints_on_several_pages_without_the_site_around_it(page, lesson):
    open_in_mode(page, lesson, "full")

    assert pages(page.pdf(format="A4", margin=MARGINS)) > 3
    page.emulate_media(media="print")
    expect_no_site_chrome(page)
    for heading in page.locator("article > h2").all():
        expect(heading).to_be_visible()


def test_the_print_button_switches_to_the_cheat_sheet_and_prints(page, lesson):
    page.add_init_script(RECORD_PRINT)
    page.goto(lesson.url)
    button = page.get_by_role("button", name="Print the cheat sheet")
    expect(button).to_be_visible()  # in the full lesson, under the cheat sheet's heading

    button.click()
    assert page.evaluate("window.__printed") == [CHEAT_SHEET.id], "one print, in the mode"
    expect(page.locator("article")).to_have_attribute("data-lesson-mode", CHEAT_SHEET.id)
    expect(page).to_have_url(re.compile(rf"\?mode={CHEAT_SHEET.id}(#|$)"))
    expect(page.locator(".mode-picker").get_by_role("status")).to_contain_text(
        f"Showing: {CHEAT_SHEET.label}."
    )


# The sections hidden when print is called. Whether the picker had started before it was taken
# away is a race, so the mode attribute it sets says nothing here: what prints does.
RECORD_HIDDEN_AT_PRINT = """
  window.__printed = [];
  window.print = () => {
    const sections = [...document.querySelectorAll("article > h2")];
    window.__printed.push(sections.filter((h) => !h.checkVisibility()).map((h) => h.id));
  };
"""


def test_the_print_button_prints_the_page_as_it_is_without_a_picker(page, lesson):
    page.add_init_script(RECORD_HIDDEN_AT_PRINT)
    page.goto(lesson.url)
    page.locator(".mode-picker").evaluate("nav => nav.remove()")  # as if it had failed
    page.get_by_role("button", name="Print the cheat sheet").click()

    assert page.evaluate("window.__printed") == [[]], "one print, with every section shown"


def test_without_javascript_print_hides_the_site_and_keeps_every_section(new_context, lesson):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(lesson.url)
    page.emulate_media(media="print")

    expect_no_site_chrome(page)
    headings = page.locator("article > h2")
    assert headings.count() >= len({s for mode in LEARNING_MODES for s in mode.sections})
    for heading in headings.all():
        expect(heading).to_be_visible()
    expect(page.locator(".cheat-sheet")).to_be_visible()
    expect(page.get_by_role("button", name="Print the cheat sheet")).to_have_count(0)
