"""The site built once, served on 127.0.0.1, and driven in real Chromium.

The site is built with `site_url` equal to the test server's origin (see tests/site_server.py),
because Material's instant navigation silently falls back to full page loads on any other
origin.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from macros.models import Lesson
from macros.render import test_length
from tests.conftest import every_lesson
from tests.site_server import CHROMIUM, CHROMIUM_ARGS, ROOT, built_and_served

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Every lesson in docs/lessons/, by slug: a lesson added there is tested by every test below
# that takes the `lesson` fixture, with no edit here.
LESSONS = every_lesson()
SLUGS = sorted(LESSONS)


@dataclass(frozen=True)
class LessonUnderTest:
    """One lesson as the browser tests meet it: its data, and where the site keeps it."""

    data: Lesson

    @property
    def slug(self) -> str:
        return self.data.id

    @property
    def url(self) -> str:
        return f"/lessons/{self.slug}/"

    @property
    def test_url(self) -> str:
        return f"/lessons/{self.slug}/test/"

    @property
    def storage_key(self) -> str:
        """Where quiz.js keeps the reader's answers and scores for this lesson."""
        return f"mlops-visual-patterns:v1:{self.slug}"

    @property
    def mode_key(self) -> str:
        """Where learning-modes.js remembers the reader's mode for this lesson."""
        return f"mlops-visual-patterns:v1:mode:{self.slug}"

    @property
    def run_length(self) -> int:
        """How many test bank questions one run of the lesson's test asks (the site's rule)."""
        return test_length(self.data)

    @property
    def questions(self) -> list:
        """Every question the lesson page and its test page ask, in page order."""
        return [*self.data.visual_quiz, *self.data.practice, *self.data.test_bank]

    def linked_row(self) -> int:
        """The first process table row a key moment links to (the key moments show in a mode
        that hides the table). A lesson with none fails the test that needs one."""
        rows = [ref.table_row for m in self.data.key_moments for ref in m.refs if ref.table_row]
        if not rows:
            pytest.fail(f"{self.slug}: no key moment links to a row of the process table")
        return rows[0]

    def question(self, predicate: Callable, section: str = "practice"):
        """The first question of `section` that `predicate` accepts. A lesson with none fails
        the test that needs one, naming the lesson and the section: it is never skipped."""
        found = next((q for q in getattr(self.data, section) if predicate(q)), None)
        if found is None:
            pytest.fail(f"{self.slug}: no question in {section} fits this test")
        return found


@pytest.fixture(params=SLUGS)
def lesson(request) -> LessonUnderTest:
    """Each lesson in turn: a test that takes it runs once per lesson."""
    return LessonUnderTest(LESSONS[request.param])


def each_with_a_lesson(cases) -> list:
    """Each case paired with one lesson, the lessons taken in turn, for `indirect=["lesson"]`.
    For cases the site checks the same way whatever the lesson (a record in storage, say):
    every case over every lesson would repeat one check, while every lesson still meets some."""
    return [
        pytest.param(case, slug, id=f"{case}-{slug}")
        for case, slug in zip(cases, itertools.cycle(SLUGS), strict=False)
    ]


HOME = "/"
CONTRIBUTING = "/contributing/"
# Every page of the site a reader can open, every lesson's two pages included.
PAGES = (
    HOME,
    CONTRIBUTING,
    *(f"/lessons/{slug}/" for slug in SLUGS),
    *(f"/lessons/{slug}/test/" for slug in SLUGS),
)
# Each lesson page's flow, by its address: a test waits for the drawing before it looks.
FLOW_STEPS = {f"/lessons/{slug}/": len(data.flow.steps) for slug, data in LESSONS.items()}

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
