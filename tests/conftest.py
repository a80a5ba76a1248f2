"""Shared fixtures: every lesson's files, and the site built once per session with --strict."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from macros.loader import load_lessons

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "overrides", "macros", "examples")
# Every build in the tests, copies of the project included, shares the project's cache of
# flow drawings, so only a test that changes a flow (or says otherwise) starts a browser.
os.environ.setdefault("FLOW_DIAGRAM_CACHE", str(ROOT / ".cache" / "flow-diagrams"))


@dataclass(frozen=True)
class Build:
    returncode: int
    output: str
    site: Path

    def page(self, url_path: str) -> str:
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")


def run_mkdocs_build(
    project: Path,
    site: Path,
    env: dict[str, str] | None = None,
    *,
    config: str | None = None,
    cwd: Path | None = None,
) -> Build:
    """`mkdocs build --strict` of `project`, started in `cwd` (the project by default), with
    `-f config` when given (a path as typed on the command line: relative to `cwd`, or absolute)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    result = subprocess.run(
        command + (["-f", config] if config is not None else []),
        cwd=cwd or project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Build(result.returncode, result.stdout + result.stderr, site)


def copy_project(target: Path) -> Path:
    """A throwaway copy of the site sources, so a test can break them."""
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


@functools.cache
def every_lesson() -> dict:
    """Every real lesson, validated, by slug: read once per session."""
    return load_lessons(ROOT / "docs", ROOT)


# Every lesson in docs/lessons/: a test that takes `lesson_files` runs once for each, so a new
# lesson is covered by adding it.
LESSON_SLUGS = sorted(path.parent.name for path in (ROOT / "docs" / "lessons").glob("*/lesson.yml"))


@dataclass(frozen=True)
class LessonFiles:
    """Where one lesson's sources and built pages are, relative to a project (or its site)."""

    slug: str

    @property
    def data(self) -> str:
        return f"docs/lessons/{self.slug}/lesson.yml"

    @property
    def page(self) -> str:
        return f"docs/lessons/{self.slug}/index.md"

    @property
    def test_page(self) -> str:
        return f"docs/lessons/{self.slug}/test.md"

    @property
    def url(self) -> str:
        """The lesson page's folder in the built site, as `Build.page` takes it."""
        return f"lessons/{self.slug}"

    def load(self):
        return every_lesson()[self.slug]


@pytest.fixture(params=LESSON_SLUGS)
def lesson_files(request) -> LessonFiles:
    return LessonFiles(request.param)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    build = run_mkdocs_build(ROOT, tmp_path_factory.mktemp("site"))
    assert build.returncode == 0, build.output
    return build


@contextmanager
def at_most_seconds(seconds: int):
    """A guard, not a measurement: stops a test that would otherwise run for minutes."""

    def stop(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
