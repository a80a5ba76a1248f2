"""The site built once, served on 127.0.0.1, and driven in real Chromium.

The site is built with `site_url` equal to the test server's origin (see tests/site_server.py),
because Material's instant navigation silently falls back to full page loads on any other
origin.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.site_server import CHROMIUM, CHROMIUM_ARGS, ROOT, built_and_served

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

HOME = "/"
LESSON = "/lessons/containers-portability/"
CONTRIBUTING = "/contributing/"
TEST_PAGE = "/lessons/containers-portability/test/"
PAGES = (HOME, LESSON, TEST_PAGE, CONTRIBUTING)

DIAGRAM = ".flow-diagram"
# Drawn at build time both ways round; CSS shows one of them, by the figure's width.
RENDERED = ".flow-diagram .flow-diagram__drawing:visible"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    with built_and_served(tmp_path_factory.mktemp("site")) as served:
        yield served


@pytest.fixture(scope="session")
def base_url(site) -> str:
    return site.url


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.fail(f"no browser at {CHROMIUM}: run `make browser`, or set CHROMIUM_PATH")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, base_url):
    """Makes browser contexts (light system palette and a desktop window unless told otherwise)."""
    contexts = []

    def make(**options):
        options.setdefault("base_url", base_url)
        options.setdefault("color_scheme", "light")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught exceptions and console errors of the `page` fixture's page."""
    return []


@pytest.fixture
def page(new_context, page_errors):
    page = new_context().new_page()
    page.on("pageerror", lambda error: page_errors.append(f"uncaught: {error}"))
    page.on(
        "console",
        lambda message: message.type == "error" and page_errors.append(f"console: {message.text}"),
    )
    return page
