"""Build the site for a port on 127.0.0.1 and serve it there (for browser tests and the benchmark).

The site is built with `site_url` equal to the server's origin, port included, because Material's
instant navigation silently falls back to full page loads on any other origin.
"""

from __future__ import annotations

import functools
import gzip
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# As root Chromium needs --no-sandbox; the rest keep it from calling Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-gpu",
]


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by http.server
        pass


class GzipHandler(QuietHandler):
    """Serves text files gzip-compressed to a client that accepts gzip, as GitHub Pages does,
    so that what a browser (or Lighthouse) measures as transferred is what a reader downloads."""

    COMPRESSED = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml"}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in self.COMPRESSED and path.is_file()):
            return super().send_head()  # directories without a slash are redirected there
        stat = path.stat()
        body = _gzipped(str(path), stat.st_mtime_ns)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", formatdate(stat.st_mtime, usegmt=True))
        self.end_headers()
        return BytesIO(body)


@functools.lru_cache(maxsize=512)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    """Compressed once per file version: compressing Mermaid's chunks on every request would
    put the server's CPU time into the page's load on a two-core machine."""
    return gzip.compress(Path(path).read_bytes(), 6)


class BuildFailed(Exception):
    pass


@dataclass(frozen=True)
class ServedSite:
    url: str  # no trailing slash
    dir: Path
    build_seconds: float


@contextmanager
def built_and_served(
    site_dir: Path, project: Path = ROOT, compress: bool = False
) -> Iterator[ServedSite]:
    """compress=True serves text gzipped (GzipHandler); the default sends files as they are."""
    handler_class = GzipHandler if compress else QuietHandler
    handler = functools.partial(handler_class, directory=str(site_dir))
    # Bind first, so the port is ours before the build bakes it into site_url.
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    base_url = f"http://127.0.0.1:{server.server_port}/"
    try:
        seconds = build(site_dir, base_url, project)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield ServedSite(base_url.rstrip("/"), site_dir, seconds)
        finally:
            server.shutdown()
    finally:
        server.server_close()


def build(site_dir: Path, site_url: str, project: Path = ROOT) -> float:
    """Strict build of `project` into site_dir; returns the build's wall time in seconds."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env={**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BuildFailed(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - start
