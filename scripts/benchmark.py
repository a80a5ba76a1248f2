"""Print the numbers the project watches: build time, page weights and Lighthouse figures.

Numbers, not pass/fail: goals live here, not in tests.

`make benchmark` (this script without arguments) prints:

1. The strict build time (the flow drawings from the project's cache, as `make build` after the
   first time; and once with an empty cache, so that Chromium draws them), and what each page
   transfers when loaded in real Chromium: every response is counted with its body
   gzip-compressed (level 6), as GitHub Pages sends it.
2. The gzip size of the site's own JavaScript and CSS, by the widget that loads it.
3. Lighthouse (pinned in package.json; mobile, default simulated throttling, performance only),
   5 runs of home and of the lesson, for this site and for a bare Material baseline, both served
   gzipped by a local server (tests/site_server.py, GzipHandler): the median and range of the
   score, LCP, TBT, CLS, the transferred KiB (total-byte-weight) and the DOM element count, and
   the ratio ours/bare of the medians for TBT, transfer and DOM size.

The bare baseline is what plain Material makes of the same pages: the same Material theme
options (features, palette, language; `font: false`), the search plugin, the same Markdown
extensions (none needs project code; snippets read our examples/ folder), and none of ours:
no hooks, no macros plugin, no extra_css or extra_javascript, no custom_dir. Its pages are the
Markdown our macros produce. To get that Markdown, this script builds our site once in-process
with one extra plugin that keeps each page's Markdown as mkdocs-macros hands it on (the
`on_page_markdown` event, run last), with its front matter. This was chosen over pasting our
built `<article>` HTML into the bare pages as a raw HTML block: from Markdown, Material itself
renders the headings, table of contents, permalinks, code highlighting and search index, as it
would for any site with that text, while a raw HTML block would hide the headings from it (no
table of contents, one search entry per page). What the baseline lacks by this choice is what
our hooks add to the HTML: the glossary links (a few dozen elements) and the escaped lesson
title. The macros' HTML (tables, quizzes, flashcards...) is in the bare pages, unstyled and
without our scripts, which is the point: the difference is what our CSS and JavaScript cost.

Lighthouse runs alternate between our site and the baseline, page by page, so a slow moment of
the machine falls on both alike.

`make benchmark SCALE=1` (`--scale`) prints only the scale figures: for N = 1, 10, 50, 100
lessons (the real one and N-1 copies under new ids, in a temporary copy of the project whose nav
lists them all; the copies' flows are the same, so their one drawing comes from the cache), the
strict build time and what the real lesson page transfers (gzip): its HTML, its other assets,
and search/search_index.json, separately and in total; and whether the search index was
requested while the page loaded, before anyone opened search.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner, every build
# Every build here, of the project or of a copy, shares the project's cache of flow drawings, as
# `make build` reuses it: the build times are of builds that start no browser. One cold build,
# with an empty cache (Mermaid in Chromium draws the diagrams), is timed on its own.
os.environ.setdefault("FLOW_DIAGRAM_CACHE", str(ROOT / ".cache" / "flow-diagrams"))

import yaml  # noqa: E402
from mkdocs.commands.build import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.plugins import BasePlugin, event_priority  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.conftest import copy_project  # noqa: E402
from tests.site_server import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    ServedSite,
    build,
    built_and_served,
)

# Every lesson is weighed and audited: each lesson page and its test page, by slug.
LESSON_SLUGS = sorted(p.parent.name for p in (ROOT / "docs" / "lessons").glob("*/lesson.yml"))
LESSON_PAGES = {
    name: path
    for slug in LESSON_SLUGS
    for name, path in [(slug, f"/lessons/{slug}/"), (f"{slug} test", f"/lessons/{slug}/test/")]
}
PAGES = {"home": "/", **LESSON_PAGES, "guide": "/contributing/"}
BUILDS = 3
QUIZ_BUDGET = 10 * 1024  # issue 3: all quiz JavaScript and CSS together, gzip
ASSETS = Path("docs/assets")
OWN_ASSETS = {  # loaded on every page, then lazily by the widgets on the page
    "every page": [ASSETS / "javascripts/site.js", ASSETS / "stylesheets/site.css"],
    "widget helpers": [ASSETS / "javascripts/dom.js"],
    "quiz": [ASSETS / "javascripts/quiz.js", ASSETS / "stylesheets/quiz.css"],
    "catalog (home)": [ASSETS / "javascripts/catalog.js", ASSETS / "stylesheets/catalog.css"],
    # Fetched by quiz.js only when a reader starts on, checks or gets back a command question.
    "command judge": [ASSETS / "javascripts/command.js"],
    "learning modes": [
        ASSETS / "javascripts/learning-modes.js",
        ASSETS / "stylesheets/learning-modes.css",
        ASSETS / "javascripts/step-through.js",
        ASSETS / "stylesheets/step-through.css",
        ASSETS / "javascripts/flashcards.js",
        ASSETS / "stylesheets/flashcards.css",
    ],
}

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_PAGES = {"home": "/", **LESSON_PAGES}
LIGHTHOUSE_RUNS = 5
LIGHTHOUSE_CHROME_FLAGS = "--headless=new --no-sandbox --disable-dev-shm-usage"


def _audit(audit_id: str, scale: float = 1.0) -> Callable[[dict], float]:
    return lambda report: report["audits"][audit_id]["numericValue"] / scale


# Label: how to read it from a Lighthouse report (JSON), and how to print it.
METRICS: dict[str, tuple[Callable[[dict], float], str]] = {
    "performance score": (lambda report: report["categories"]["performance"]["score"] * 100, ".0f"),
    "LCP (ms)": (_audit("largest-contentful-paint"), ".0f"),
    "TBT (ms)": (_audit("total-blocking-time"), ".0f"),
    "CLS": (_audit("cumulative-layout-shift"), ".3f"),
    "transfer (KiB)": (_audit("total-byte-weight", 1024), ".1f"),
    "DOM elements": (_audit("dom-size"), ".0f"),
}
RATIOS = ("TBT (ms)", "transfer (KiB)", "DOM elements")

SCALE_SIZES = (1, 10, 50, 100)
SCALE_BUILDS = 3
SCALE_REPEAT_UNDER = 120.0  # seconds: a build slower than this is timed once, not three times
SEARCH_INDEX = "search/search_index.json"
# Read in Material's source (bundle.ts: fetchSearchIndex; integrations/search/worker:
# setupSearchWorker), and the same code is in 9.8.1's minified bundle; the instant-navigation
# part was checked in Chromium. Printed under the scale table, which measures the index's size.
SEARCH_INDEX_NOTE = (
    "The index column counts the search index whether or not the page requested it. Material "
    f"requests {SEARCH_INDEX} as soon as any page with its search form loads over http(s), "
    "before the reader opens search: it sets the search worker up on "
    "merge(of(location.protocol !== 'file:'), watchToggle('search')), so only a site opened "
    "from file:// waits for the search toggle. The search plugin has no option that defers it "
    "(lang, separator, pipeline, fields, jieba_dict*). Instant navigation does not fetch it "
    "again; every full page load requests it again."
)


# Page weights -----------------------------------------------------------------------------


def transfer(browser, url: str) -> list[tuple[str, int, int]]:
    """(url, raw bytes, gzip bytes) of every response until the network is idle: the widgets'
    scripts, which load lazily, included. Flow diagrams are inline SVG, drawn at build time."""
    context = browser.new_context()
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    rows = []
    for response in responses:
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            continue
        rows.append((response.url, len(body), len(gzip.compress(body, 6))))
    context.close()
    return rows


def kib(n: int) -> str:
    return f"{n / 1024:8.1f} KiB"


def print_page_weights(browser, site: ServedSite) -> None:
    width = max(map(len, PAGES))
    print(f"\n{'page':{width}} {'requests':>8} {'raw':>12} {'gzip':>12} {'of it, HTML gzip':>18}")
    for name, path in PAGES.items():
        rows = transfer(browser, site.url + path)
        raw = sum(r[1] for r in rows)
        zipped = sum(r[2] for r in rows)
        html = sum(r[2] for r in rows if r[0] == site.url + path)
        print(f"{name:{width}} {len(rows):8} {kib(raw)} {kib(zipped)} {kib(html):>18}")


def print_own_assets() -> None:
    print()
    for group, paths in OWN_ASSETS.items():
        total = 0
        for path in paths:
            data = (ROOT / path).read_bytes()
            total += len(gzip.compress(data, 6))
            print(f"{str(path):46} {len(data):7} B raw {len(gzip.compress(data, 6)):7} B gzip")
        goal = f" (goal: at most {QUIZ_BUDGET} B)" if group == "quiz" else ""
        print(f"{'':46} {group} together: {total} B gzip{goal}")


@contextmanager
def flow_drawing_cache(path: Path) -> Iterator[None]:
    saved = os.environ["FLOW_DIAGRAM_CACHE"]
    os.environ["FLOW_DIAGRAM_CACHE"] = str(path)
    try:
        yield
    finally:
        os.environ["FLOW_DIAGRAM_CACHE"] = saved


def print_build_times(work: Path) -> None:
    url = "http://127.0.0.1:8000/"
    build(work / "warm-up", url)  # fills the drawing cache if the project's is empty or stale
    times = [build(work / f"b{i}", url) for i in range(BUILDS)]
    print(
        f"build (--strict), median of {BUILDS}: {statistics.median(times):.2f} s "
        f"(min {min(times):.2f} s, max {max(times):.2f} s)",
        flush=True,
    )
    with flow_drawing_cache(work / "empty-drawing-cache"):
        cold = build(work / "cold", url)
    print(f"build (--strict) with no cached flow drawing (drawn in Chromium): {cold:.2f} s")


# Bare Material baseline ---------------------------------------------------------------------


class _KeepRenderedMarkdown(BasePlugin):
    """Keeps each page's front matter and Markdown as the macros plugin hands them on."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[dict, str]] = {}

    @event_priority(-100)  # last, so after mkdocs-macros whatever order plugins run in
    def on_page_markdown(self, markdown, page, **kwargs):
        self.pages[page.file.src_uri] = (dict(page.meta), markdown)
        return markdown


def macro_rendered_pages(project: Path, site_dir: Path) -> tuple[dict[str, tuple[dict, str]], dict]:
    """Build `project` in-process, keeping every page's macro-rendered Markdown; also returns
    the validated config the baseline copies its theme options and extensions from."""
    keeper = _KeepRenderedMarkdown()
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    config.plugins["benchmark/keep-rendered-markdown"] = keeper
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    return keeper.pages, config


def _plain(value):
    """Config values as YAML can write them: `!relative` placeholders become absolute paths."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def write_bare_project(target: Path, pages: dict[str, tuple[dict, str]], config) -> Path:
    for src_uri, (meta, markdown) in pages.items():
        path = target / "docs" / src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        front = f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n\n" if meta else ""
        path.write_text(front + markdown, encoding="utf-8")
    theme = config["theme"]
    bare = {
        "site_name": config["site_name"],
        "strict": True,
        "nav": config["nav"],
        "theme": {
            "name": "material",
            "language": theme["language"],
            "font": False,
            "features": theme["features"],
            "palette": theme["palette"],
        },
        "plugins": ["search"],
        "markdown_extensions": [
            {name: _plain(config["mdx_configs"][name])} if name in config["mdx_configs"] else name
            for name in config["markdown_extensions"]
        ],
    }
    # site_url from the environment, as ours: the server's origin, for instant navigation.
    (target / "mkdocs.yml").write_text(
        'site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]\n'
        + yaml.safe_dump(bare, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return target


# Lighthouse --------------------------------------------------------------------------------


def lighthouse(url: str, report_path: Path) -> dict:
    """One Lighthouse run (fresh Chromium, cold cache); returns its report (JSON)."""
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `make setup` (npm ci)")
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance",
            "--output=json",
            f"--output-path={report_path}",
            f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse exited with {result.returncode}: {result.stderr[-2000:]}")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    report_path.unlink()
    error = report.get("runtimeError")
    if error:
        raise RuntimeError(f"{error.get('code')}: {error.get('message')}")
    return report


def metrics(report: dict) -> dict[str, float]:
    return {label: read(report) for label, (read, _) in METRICS.items()}


def median_and_range(values: list[float], spec: str) -> str:
    if not values:
        return "no run succeeded"
    middle, low, high = statistics.median(values), min(values), max(values)
    return f"{middle:{spec}} ({low:{spec}}–{high:{spec}})"


def ratio_of_medians(ours: list[float], bare: list[float]) -> str:
    if not ours or not bare:
        return ""
    denominator = statistics.median(bare)
    return f"{statistics.median(ours) / denominator:.2f}" if denominator else "-"  # TBT 0 ms


def print_lighthouse_comparison(sites: dict[str, ServedSite], work: Path) -> None:
    runs = {(page, site): [] for page in LIGHTHOUSE_PAGES for site in sites}
    failures = {key: [] for key in runs}
    version = "?"
    for run in range(1, LIGHTHOUSE_RUNS + 1):
        for page, path in LIGHTHOUSE_PAGES.items():
            for site_name, site in sites.items():
                print(f"lighthouse {run}/{LIGHTHOUSE_RUNS}: {site_name} {page}", file=sys.stderr)
                try:
                    report = lighthouse(site.url + path, work / "lighthouse.json")
                    runs[page, site_name].append(metrics(report))
                    version = report["lighthouseVersion"]
                except (RuntimeError, TypeError, subprocess.TimeoutExpired) as error:
                    # TypeError: a metric Lighthouse could not measure is null in the report.
                    failures[page, site_name].append(str(error).splitlines()[0])
    ours, bare = sites  # names, in order
    print(
        f"\nLighthouse {version}, mobile, simulated throttling, {LIGHTHOUSE_RUNS} runs per page "
        "and site, served gzipped: median (min–max)"
    )
    for page, path in LIGHTHOUSE_PAGES.items():
        print(f"\n{page} ({path})")
        print(f"  {'':18} {ours:>24} {bare:>24} {ours + '/' + bare:>10}")
        for label, (_, spec) in METRICS.items():
            ours_values = [run[label] for run in runs[page, ours]]
            bare_values = [run[label] for run in runs[page, bare]]
            ratio = ratio_of_medians(ours_values, bare_values) if label in RATIOS else ""
            print(
                f"  {label:18} {median_and_range(ours_values, spec):>24} "
                f"{median_and_range(bare_values, spec):>24} {ratio:>10}"
            )
        for site_name in sites:
            if failures[page, site_name]:
                shown = "; ".join(sorted(set(failures[page, site_name])))
                print(f"  {site_name}: {len(failures[page, site_name])} run(s) failed: {shown}")


# Scale ---------------------------------------------------------------------------------------


def largest_lesson() -> str:
    """The real lesson with the most data (its lesson.yml's size): the page the scale mode copies
    and weighs, unless --scale-lesson names another."""
    files = (ROOT / "docs" / "lessons").glob("*/lesson.yml")
    return max(files, key=lambda path: (path.stat().st_size, path.parent.name)).parent.name


def add_synthetic_lessons(project: Path, count: int, lesson: str) -> list[str]:
    """The real `lesson` plus count-1 copies under new kebab-case ids (slug = folder = `id:`);
    the build lists every lesson in the nav by itself (macros/hooks.py)."""
    lessons_dir = project / "docs" / "lessons"
    # N lessons means N: the real lesson and its copies only, the other real lessons left out.
    for other in lessons_dir.iterdir():
        if other.is_dir() and other.name != lesson:
            shutil.rmtree(other)
    slugs = [lesson]
    for number in range(2, count + 1):
        slug = f"synthetic-lesson-{number:03d}"
        shutil.copytree(lessons_dir / lesson, lessons_dir / slug)
        data = lessons_dir / slug / "lesson.yml"
        text, replaced = re.subn(
            r"^id: .*$", f"id: {slug}", data.read_text(encoding="utf-8"), count=1, flags=re.M
        )
        if not replaced:
            raise SystemExit(f"{data}: no top-level `id:` line to give the copy its own id")
        data.write_text(text, encoding="utf-8")
        slugs.append(slug)
    return slugs


def lesson_page_weights(browser, site: ServedSite, lesson: str) -> dict[str, int | bool]:
    """Gzip bytes of the real lesson page's HTML, of everything else it loads (apart from the
    search index), and of the search index file; and whether the page requested the index."""
    url = f"{site.url}/lessons/{lesson}/"
    rows = transfer(browser, url)
    html = sum(gzipped for found, _, gzipped in rows if found == url)
    index_fetched = any(found.endswith("/" + SEARCH_INDEX) for found, _, _ in rows)
    assets = sum(
        gzipped
        for found, _, gzipped in rows
        if found != url and not found.endswith("/" + SEARCH_INDEX)
    )
    index = len(gzip.compress((site.dir / SEARCH_INDEX).read_bytes(), 6))
    return {"html": html, "assets": assets, "index": index, "index_fetched": index_fetched}


def print_scale_report(lesson: str) -> None:
    print(
        f"The lesson page /lessons/{lesson}/, KiB gzip: its HTML, everything else it loads "
        f"(assets), {SEARCH_INDEX} (index), and the three together (total)."
    )
    print(
        f"{'lessons':>7}  {'build --strict, s':<30} {'html':>7} {'assets':>7} {'index':>7} "
        f"{'total':>7}  index on page load"
    )
    with tempfile.TemporaryDirectory(prefix="benchmark-scale-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for count in SCALE_SIZES:
            work = Path(tmp) / f"lessons-{count}"
            project = copy_project(work / "project")
            add_synthetic_lessons(project, count, lesson)
            with built_and_served(work / "site", project, compress=True) as site:
                times = [site.build_seconds]
                while len(times) < SCALE_BUILDS and max(times) < SCALE_REPEAT_UNDER:
                    times.append(build(work / f"site-{len(times)}", site.url + "/", project))
                weights = lesson_page_weights(browser, site, lesson)
            shutil.rmtree(work)  # a hundred lessons' site is large; the next size starts afresh
            timing = f"{statistics.median(times):.1f}"
            if len(times) > 1:
                timing += f" (median of {len(times)}, {min(times):.1f}–{max(times):.1f})"
            else:
                timing += " (1 run)"
            sizes = [weights["html"], weights["assets"], weights["index"]]
            shown = " ".join(f"{size / 1024:7.1f}" for size in [*sizes, sum(sizes)])
            fetched = "requested" if weights["index_fetched"] else "not requested"
            print(f"{count:>7}  {timing:<30} {shown}  {fetched}", flush=True)
        browser.close()
    print()
    print(textwrap.fill(SEARCH_INDEX_NOTE, 100))


# Main -----------------------------------------------------------------------------------------


def print_check_lessons_time() -> None:
    """`make check-lessons`, as a contributor runs it: a fresh process, imports included."""
    command = [sys.executable, str(ROOT / "scripts" / "check_lessons.py")]
    times = []
    for _ in range(BUILDS):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    print(
        f"check-lessons, median of {BUILDS}: {statistics.median(times):.2f} s "
        f"(min {min(times):.2f} s, max {max(times):.2f} s)"
    )


def print_default_report() -> None:
    with tempfile.TemporaryDirectory(prefix="benchmark-") as tmp:
        work = Path(tmp)
        print_build_times(work)
        print_check_lessons_time()
        pages, config = macro_rendered_pages(ROOT, work / "rendered")
        bare_project = write_bare_project(work / "bare", pages, config)
        with (
            built_and_served(work / "site", compress=True) as ours,
            built_and_served(work / "bare-site", bare_project, compress=True) as bare,
        ):
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                print_page_weights(browser, ours)
                browser.close()
            print_own_assets()
            sys.stdout.flush()
            print_lighthouse_comparison({"ours": ours, "bare": bare}, work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        action="store_true",
        help=f"build with {', '.join(map(str, SCALE_SIZES))} lessons instead; print build time "
        "and the lesson page's transfer for each",
    )
    parser.add_argument(
        "--scale-lesson",
        metavar="SLUG",
        help="with --scale: the lesson to copy and weigh (default: the one with the most data)",
    )
    args = parser.parse_args()
    if args.scale:
        lessons = sorted(p.parent.name for p in (ROOT / "docs" / "lessons").glob("*/lesson.yml"))
        lesson = args.scale_lesson or largest_lesson()
        if lesson not in lessons:
            parser.error(f"--scale-lesson: expected one of {', '.join(lessons)}, got {lesson!r}")
        print_scale_report(lesson)
    else:
        print_default_report()


if __name__ == "__main__":
    main()
