"""Each widget's stylesheet is linked in the head of the pages that have it (hooks.py), so a
fresh load never restyles the page when a widget starts; instant navigation to a page with more
widgets still brings their stylesheets, once each."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HOME, PAGES

pytestmark = pytest.mark.browser

WIDGET_SHEETS = ("quiz.css", "learning-modes.css", "step-through.css", "flashcards.css")
LINKED = """() => [...document.querySelectorAll('link[rel="stylesheet"]')]
    .map((link) => link.href.split("/").pop())"""


@pytest.mark.parametrize("path", PAGES)
def test_a_fresh_load_starts_every_widget_with_the_stylesheets_its_head_links(page, path):
    head = page.request.get(path).text().split("</head>", 1)[0]
    in_head = re.findall(r'<link rel="stylesheet" href="[^"]*/([\w.-]+\.css)"', head)
    page.goto(path)
    expect(page.locator("[data-module]:not([data-module-initialised])")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-module-failed]")).to_have_count(0)
    # site.js added no stylesheet of its own (it would have, for a widget whose sheet the build
    # did not link), and none twice.
    assert page.evaluate(LINKED) == in_head


def test_instant_navigation_brings_the_stylesheets_a_page_lacks_once_each(
    page, page_errors, lesson
):
    page.goto(HOME)
    page.evaluate("window.__sameDocument = true")
    page.locator(f".lesson-card[data-lesson='{lesson.slug}'] .lesson-card__title a").click()
    page.wait_for_url(f"**{lesson.url}")
    expect(page.locator(".flashcards--enhanced")).to_have_count(1)
    expect(page.locator(".quiz--enhanced")).to_have_count(2)
    linked = page.evaluate(LINKED)
    assert [linked.count(name) for name in WIDGET_SHEETS] == [1, 1, 1, 1], linked
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation"
    assert page_errors == []
