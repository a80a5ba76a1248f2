"""Lessons with hostile text in every text field build, and in a real browser nothing of it
runs, nothing leaves the origin and every payload reads as text: on every page, in every
learning mode, through the diagram, the step-through, the quizzes, the flashcards and search."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CONTRIBUTING, HOME, SLUGS
from tests.conftest import copy_project
from tests.hostile import OFF_ORIGIN, poison_lesson
from tests.site_server import built_and_served

pytestmark = pytest.mark.browser

MODES = [
    "full",
    "visual",
    "read",
    "key-moments",
    "visual-quiz",
    "practice",
    "test",
    "flashcards",
    "cheat-sheet",
    "hands-on",
]
# Defined before any page script: a payload that runs calls one of these and is recorded.
TRAPS = """
window.__pwned = [];
window.pwn = (what) => window.__pwned.push(String(what));
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (message) => window.__pwned.push(name + ": " + message);
}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    # Every lesson is poisoned, so each lesson's own fields take each path through the site.
    for slug in SLUGS:
        poison_lesson(project / "docs" / "lessons" / slug / "lesson.yml")
    with built_and_served(project.parent / "site", project) as served:
        yield served


@pytest.fixture
def hostile_page(browser, hostile_site):
    context = browser.new_context(
        base_url=hostile_site.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    context.add_init_script(TRAPS)
    origin = urlsplit(hostile_site.url)
    seen = {"foreign": [], "errors": [], "dialogs": []}

    def on_request(request):
        url = urlsplit(request.url)
        if url.scheme not in {"data", "blob", "about"} and url.netloc != origin.netloc:
            seen["foreign"].append(request.url)

    context.on("request", on_request)
    page = context.new_page()
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    yield page, seen
    pwned = page.evaluate("window.__pwned")
    context.close()
    assert pwned == [], f"lesson text ran as script: {pwned}"
    assert seen["dialogs"] == []
    assert seen["foreign"] == [], "requests left the origin:\n" + "\n".join(seen["foreign"])
    assert seen["errors"] == [], seen["errors"]


def test_every_page_shows_the_hostile_title_as_text(hostile_page, lesson):
    page, _ = hostile_page
    for path in (HOME, lesson.url, lesson.test_url, CONTRIBUTING, "/404.html"):
        page.goto(path, wait_until="networkidle")
        assert page.locator("img[src='x']").count() == 0, path
        assert page.locator("[onclick], [onerror]").count() == 0, path
        nav = page.locator(".md-nav__link", has_text="onerror=pwn('title')").first
        expect(nav).to_be_attached()
    page.goto(lesson.url)
    expect(page.locator("h1")).to_contain_text("<img src=x onerror=pwn('title')>{: onclick=")
    assert "<img src=x onerror=pwn('title')>" in page.title()


@pytest.mark.parametrize("mode", MODES)
def test_no_learning_mode_runs_lesson_text(hostile_page, lesson, mode):
    page, _ = hostile_page
    page.goto(f"{lesson.url}?mode={mode}", wait_until="networkidle")
    expect(page.locator("html")).not_to_have_attribute("data-mode-pending", "")
    assert page.locator("img[src='x'], a[href^='javascript'], [onclick], [onerror]").count() == 0
    assert page.locator(f"img[src^='{OFF_ORIGIN}']").count() == 0
    expect(page.locator("body")).to_contain_text("{{ 7*191 }}")


def test_the_diagram_draws_hostile_labels_as_text(hostile_page, lesson):
    page, _ = hostile_page
    page.goto(lesson.url, wait_until="networkidle")
    # Drawn at build time, both ways round: shapes and text, nothing that loads or runs.
    drawings = page.locator(".flow-diagram svg")
    expect(drawings).to_have_count(2)
    steps = page.locator(".flow-diagram__steps > li").count()
    expect(drawings.first.locator("g.node")).to_have_count(steps)
    inside = "svg :is(foreignObject, image, script, a, iframe, use, animate, set)"
    assert page.evaluate(f"document.querySelectorAll('.flow-diagram {inside}').length") == 0
    # Each payload is drawn as the characters it is (lines broken at spaces, rejoined here).
    labels = ["".join(t.split()) for t in drawings.first.locator("g.node text").all_text_contents()]
    assert labels and all("pwn();" in label for label in labels), labels


def test_widgets_handle_hostile_text_without_running_it(hostile_page, lesson):
    page, _ = hostile_page
    page.goto(lesson.url, wait_until="networkidle")
    step_through = page.locator('[data-module="step-through"]')
    next_step = step_through.get_by_role("button", name="Next", exact=True)
    for _ in lesson.data.process_table.rows:
        if next_step.is_visible() and next_step.is_enabled():
            next_step.click()
    for question in page.locator("#practice ~ * .quiz-question, .quiz-question").all()[:8]:
        choice = question.locator("input[type=radio], input[type=checkbox]").first
        if choice.count() and choice.is_visible():
            choice.check()
            check = question.get_by_role("button", name="Check answer")
            if check.is_visible():
                check.click()
    page.goto(f"{lesson.url}?mode=flashcards", wait_until="networkidle")
    show = page.get_by_role("button", name="Show answer", exact=True)
    if show.is_visible():
        show.click()


def test_search_results_show_hostile_text_as_text(hostile_page):
    page, _ = hostile_page
    page.goto(HOME, wait_until="networkidle")
    page.keyboard.press("/")
    page.get_by_role("textbox", name="Search").press_sequentially("onerror")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert page.locator(".md-search-result img, .md-search-result [onerror]").count() == 0
