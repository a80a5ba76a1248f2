"""Flow diagrams drawn at build time: Mermaid itself (the pinned npm package) in Chromium.

Readers get an inline SVG that needs no JavaScript. Each drawing is cached on disk by a hash of
everything that shapes it (source, direction, Mermaid's version and settings, the script that
tidies it), so a rebuild that changes no diagram never starts a browser, and `make serve`
redraws only the diagram that changed. This module does the I/O; `render.process_flow` only
places the drawings it is given.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

MERMAID_PACKAGE = Path("node_modules", "mermaid")
MERMAID_SCRIPT = MERMAID_PACKAGE / "dist" / "mermaid.min.js"
DRAWING_SCRIPT = Path(__file__).with_name("flow_drawing.js")
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CACHE_DIR = Path(".cache", "flow-diagrams")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
# Labels are measured in this font at build time and drawn in it on the page (site.css):
# Liberation Sans, which Debian's Chromium uses for Arial, has Arial's and Helvetica's widths.
FONT_FAMILY = 'Arial, "Liberation Sans", Helvetica, sans-serif'
FONT_SIZE = "15px"
# Labels are SVG text, never HTML: `strict` escapes them and turns off click handlers, and
# with `htmlLabels: false` no <foreignObject> carries markup into the page.
MERMAID_CONFIG = {
    "startOnLoad": False,
    "securityLevel": "strict",
    "htmlLabels": False,
    "theme": "base",
    "fontFamily": FONT_FAMILY,
    "themeVariables": {"fontFamily": FONT_FAMILY, "fontSize": FONT_SIZE},
    "flowchart": {"useMaxWidth": False, "htmlLabels": False},
}
# What a flowchart drawing may contain once tidied; anything else stops the build.
ALLOWED_ELEMENTS = frozenset(
    {"svg", "g", "path", "rect", "polygon", "circle", "marker", "text", "tspan", "defs"}
)
ALLOWED_ATTRIBUTES = frozenset(
    {
        "id", "class", "d", "x", "y", "dx", "dy", "width", "height", "rx", "ry", "cx", "cy",
        "r", "points", "transform", "viewBox", "refX", "refY", "markerUnits", "markerWidth",
        "markerHeight", "orient", "marker-end", "marker-start", "text-anchor", "font-style",
        "font-weight", "style", "data-flow-node", "focusable", "aria-hidden",
    }
)  # fmt: skip
_URL = re.compile(r"url\(\s*['\"]?([^)'\"]*)")
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"


class DiagramError(Exception):
    """A diagram could not be drawn; the message is one line that says what to do."""


@dataclass(frozen=True)
class Drawing:
    svg: str
    width: float
    height: float


@dataclass(frozen=True)
class Request:
    source: str
    svg_id: str
    nodes: dict[str, str]  # Mermaid's node name -> step id
    origin: str = ""  # where the flow was written (`file: flow`), for error messages only

    def key(self, mermaid_version: str, script: str) -> str:
        shaped_by = [self.source, self.svg_id, self.nodes, mermaid_version, MERMAID_CONFIG, script]
        return hashlib.sha256(json.dumps(shaped_by, sort_keys=True).encode()).hexdigest()


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM


class FlowDiagramRenderer:
    """Draws requests, from the cache when it can, in one browser session for all the rest."""

    def __init__(self, project_dir: Path, cache_dir: Path | None = None):
        self.project_dir = project_dir
        self.cache_dir = cache_dir or Path(
            os.environ.get("FLOW_DIAGRAM_CACHE") or project_dir / CACHE_DIR
        )
        self.drawn = 0  # drawings made by the browser in this build, for tests and benchmarks

    def draw_all(self, requests: list[Request]) -> list[Drawing]:
        script_path = self.project_dir / MERMAID_SCRIPT
        if not script_path.is_file():
            raise DiagramError(
                f"{MERMAID_SCRIPT} is missing: run `make setup` (or `npm ci`) to install "
                "the front-end dependencies"
            )
        version = json.loads((self.project_dir / MERMAID_PACKAGE / "package.json").read_text())[
            "version"
        ]
        script = DRAWING_SCRIPT.read_text(encoding="utf-8")
        keys = [request.key(version, script) for request in requests]
        drawings: dict[str, Drawing] = {}
        for key in keys:
            cached = self._cached(key)
            if cached:
                drawings[key] = cached
        missing = [(key, r) for key, r in zip(keys, requests, strict=True) if key not in drawings]
        if missing:
            # In a thread of its own: Playwright's sync API refuses to run in a thread that
            # already has an event loop (a test's browser, an embedding program).
            with ThreadPoolExecutor(max_workers=1) as pool:
                drawn = pool.submit(self._draw_in_browser, missing, script_path, script).result()
            for key, drawing in drawn:
                self._store(key, drawing)
                drawings[key] = drawing
        return [drawings[key] for key in keys]

    def _cached(self, key: str) -> Drawing | None:
        path = self.cache_dir / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Drawing(svg=data["svg"], width=data["width"], height=data["height"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or unreadable: drawn again

    def _store(self, key: str, drawing: Drawing) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        path = self.cache_dir / f"{key}.json"
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(drawing.__dict__), encoding="utf-8")
        partial.replace(path)  # never a half-written file for the next build to read

    def _draw_in_browser(self, missing, script_path: Path, script: str) -> list:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        browser_path = chromium_path()
        if not Path(browser_path).is_file():
            raise DiagramError(
                f"flow diagrams are drawn at build time in Chromium, and there is none at "
                f"{browser_path}: run `make browser` (installs Debian's chromium) or set "
                "CHROMIUM_PATH to a Chromium or Chrome executable"
            )
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=browser_path, args=CHROMIUM_ARGS
                )
                try:
                    page = browser.new_page()
                    page.set_content("<!doctype html><html><head></head><body></body></html>")
                    page.add_script_tag(path=str(script_path))
                    return [(key, self._draw(page, script, request)) for key, request in missing]
                finally:
                    browser.close()
        except PlaywrightError as error:
            raise DiagramError(
                f"could not start Chromium at {browser_path}: {_first_line(error)}"
            ) from None

    def _draw(self, page, script: str, request: Request) -> Drawing:
        from playwright.sync_api import Error as PlaywrightError

        arguments = {
            "source": request.source,
            "svgId": request.svg_id,
            "nodes": request.nodes,
            "config": MERMAID_CONFIG,
        }
        try:
            result = page.evaluate(script, arguments)
            drawing = Drawing(result["svg"], result["width"], result["height"])
            check_drawing(drawing.svg)
        except (PlaywrightError, DiagramError) as error:
            raise DiagramError(
                f"{request.origin or 'flow'}: Mermaid could not draw the diagram: "
                f"{_first_line(error)}"
            ) from None
        self.drawn += 1
        return drawing


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def check_drawing(svg: str) -> None:
    """A tripwire behind Mermaid's strict mode: the drawing is shapes and text, nothing else."""
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as error:
        raise DiagramError(f"Mermaid drew something that is not SVG: {error}") from None
    for el in root.iter():
        tag = el.tag.removeprefix(SVG_NAMESPACE)
        if tag not in ALLOWED_ELEMENTS:
            raise DiagramError(f"Mermaid drew a <{tag}> element, expected only shapes and text")
        for name, value in el.attrib.items():
            if name not in ALLOWED_ATTRIBUTES:
                raise DiagramError(f"Mermaid drew a {name!r} attribute on <{tag}>, not allowed")
            for target in _URL.findall(value):
                if not target.startswith("#"):
                    raise DiagramError(f"Mermaid drew a link to {target!r}, expected none")
