"""Build the site once, serve it on 127.0.0.1 and drive it with Debian's chromium.

The site is built with `site_url` equal to the test server's origin (port included), because
Material's instant navigation silently falls back to full page loads on any other origin.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-gpu",
]

HOME = "/"
LESSON = "/lessons/containers-portability/"
CONTRIBUTING = "/contributing/"
PAGES = (HOME, LESSON, CONTRIBUTING)


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}

    def log_message(self, format, *args):  # noqa: A002 (signature fixed by http.server)
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> dict:
    """Build the site for a free port, then serve it there. Yields the base URL and directory."""
    site_dir = tmp_path_factory.mktemp("site")
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    # Bind first, so the port is ours before the build bakes it into site_url.
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    base_url = f"http://127.0.0.1:{server.server_port}/"
    mkdocs = Path(sys.executable).parent / "mkdocs"
    build = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(site_dir)],
        cwd=REPO,
        env={**os.environ, "SITE_URL": base_url, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    if build.returncode != 0:
        server.server_close()
        pytest.fail(f"mkdocs build failed:\n{build.stdout}\n{build.stderr}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": base_url.rstrip("/"), "dir": site_dir}
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_url(site) -> str:
    return site["url"]


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.fail(f"{CHROMIUM} not found: run `make browser` (scripts/ensure-chromium.sh)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, base_url):
    """Factory for extra contexts (JavaScript off, phone size, dark system palette)."""
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


class PageErrors(list):
    """Uncaught exceptions and console errors seen by a page."""


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


@pytest.fixture
def page(new_context, page_errors):
    page = new_context().new_page()
    page.on("pageerror", lambda error: page_errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda message: message.type == "error" and page_errors.append(f"console: {message.text}"),
    )
    return page
