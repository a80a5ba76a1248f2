"""`mkdocs serve`, as a contributor uses it: it rebuilds when a lesson file or the macros change,
and a lesson broken while it runs is reported in the terminal while the last good site stays
served (mkdocs alone prints a traceback and holds every request until a build succeeds)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import LESSON_SLUGS, LessonFiles, copy_project

# What is served does not depend on the lesson, and a serve is slow to start: one lesson will do.
SERVED = LessonFiles(LESSON_SLUGS[0])
LESSON = Path(SERVED.data)
PAGE = f"{SERVED.url}/"
TITLE = SERVED.load().title


class Served:
    """`mkdocs serve` of a project, with what it has logged so far."""

    def __init__(self, project: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.project = project
        self.lines: list[str] = []
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": self.url}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, after: int = 0, timeout: float = 60) -> int:
        """Waits until a line from `after` on contains `text`; returns the count of lines then."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines[after:]):
                return len(self.lines)
            assert self.process.poll() is None, "\n".join(self.lines)
            time.sleep(0.1)
        raise AssertionError(f"no {text!r} within {timeout} s:\n" + "\n".join(self.lines))

    def get(self, path: str, timeout: float = 10) -> str:
        with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
            assert response.status == 200
            return response.read().decode("utf-8")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def served(tmp_path):
    server = Served(copy_project(tmp_path / "project"))
    try:
        server.wait_for("Serving on")
        yield server
    finally:
        server.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_lesson_broken_while_serving_is_reported_and_the_last_good_site_stays(served):
    assert TITLE in served.get(PAGE)
    seen = len(served.lines)
    edit(served.project / LESSON, "\nminutes: ", "\nminuts: 12\nminutes: ")

    seen = served.wait_for("The site was not rebuilt: still serving the last good build", seen)
    log = "\n".join(served.lines)
    lines = (served.project / LESSON).read_text(encoding="utf-8").splitlines()
    line = lines.index("minuts: 12") + 1
    assert f"lesson.yml:{line}: minuts: expected a known field, got unknown key 'minuts'" in log
    assert "Traceback" not in log
    # Not held until a build succeeds: the last good page, at once.
    assert TITLE in served.get(PAGE, timeout=5)

    edit(served.project / LESSON, "\nminuts: 12\n", "\n")
    served.wait_for("Reloading browsers", seen)
    assert TITLE in served.get(PAGE)


def test_a_change_to_the_renderers_is_served_without_a_restart(served):
    seen = len(served.lines)
    edit(
        served.project / "macros" / "render.py",
        "Questions with hints and worked solutions.",
        "Questions with hints and worked solutions (changed while serving).",
    )
    served.wait_for("Reloading browsers", seen)
    assert "(changed while serving)" in served.get(PAGE)


@pytest.mark.parametrize(
    ("broken", "reported"),
    [
        # Fails while the pages render: mkdocs has already emptied the folder it builds into.
        ("{{ config }}\n", "got a bare name (config)"),
        # A strict warning: mkdocs aborts only after every page is written.
        ("[broken](no-such-page.md)\n", "no-such-page.md"),
    ],
    ids=["a-page-error", "a-strict-warning"],
)
def test_a_failed_rebuild_leaves_every_url_of_the_last_good_site_served(served, broken, reported):
    urls = ["", PAGE, f"{PAGE}test/", "contributing/", "sitemap.xml"]

    def site():
        # The live-reload script mkdocs injects carries the moment of each request.
        return {url: re.sub(r"livereload\(\d+, \d+\)", "", served.get(url)) for url in urls}

    before = site()
    seen = len(served.lines)
    page = served.project / SERVED.page
    page.write_text(page.read_text(encoding="utf-8") + "\n" + broken, encoding="utf-8")
    served.wait_for("The site was not rebuilt: still serving the last good build", seen)
    assert reported in "\n".join(served.lines[seen:])
    assert "Traceback" not in "\n".join(served.lines[seen:])
    assert site() == before


def test_a_syntax_error_in_the_macros_is_one_line_and_serving_goes_on(served):
    seen = len(served.lines)
    render = served.project / "macros" / "render.py"
    good = render.read_text(encoding="utf-8")
    render.write_text(good + "\ndef broken(:\n", encoding="utf-8")
    served.wait_for("The site was not rebuilt: still serving the last good build", seen)
    log = "\n".join(served.lines[seen:])
    assert f"render.py:{good.count(chr(10)) + 2}: SyntaxError: " in log
    assert "Traceback" not in log
    assert TITLE in served.get(PAGE)
    render.write_text(good, encoding="utf-8")
    served.wait_for("Reloading browsers", seen)
    assert TITLE in served.get(PAGE)


def test_a_change_to_a_module_the_hooks_use_is_served_without_a_restart(served):
    seen = len(served.lines)
    edit(
        served.project / "macros" / "glossary.py",
        'f\'<a class="glossary-term" href=',
        'f\'<a class="glossary-term changed-while-serving" href=',
    )
    served.wait_for("Reloading browsers", seen)
    assert "changed-while-serving" in served.get(PAGE)


def test_a_change_to_the_hooks_file_itself_asks_for_a_restart(served):
    seen = len(served.lines)
    hooks = served.project / "macros" / "hooks.py"
    hooks.write_text(hooks.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    served.wait_for("The site was not rebuilt: still serving the last good build", seen)
    assert "hooks.py changed since mkdocs started" in "\n".join(served.lines[seen:])
    assert "restart `make serve`" in "\n".join(served.lines[seen:])
    assert TITLE in served.get(PAGE)
