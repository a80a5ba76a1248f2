"""Print the numbers the project watches: build time and what each page transfers (gzip).

Run with `make benchmark`. Pages are loaded in real Chromium from a local server; every response
is counted with its body gzip-compressed (level 6, as a typical server would send it), because
Python's http.server does not compress. Numbers, not pass/fail: goals live here, not in tests.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.site_server import CHROMIUM, CHROMIUM_ARGS, build, built_and_served  # noqa: E402

PAGES = {"home": "/", "lesson": "/lessons/containers-portability/", "guide": "/contributing/"}
BUILDS = 3
QUIZ_BUDGET = 10 * 1024  # issue 3: all quiz JavaScript and CSS together, gzip
ASSETS = Path("docs/assets")
OWN_ASSETS = {  # loaded on every page, then lazily by the widgets on the page
    "every page": [ASSETS / "javascripts/site.js", ASSETS / "stylesheets/site.css"],
    "widget helpers": [ASSETS / "javascripts/dom.js"],
    "quiz": [ASSETS / "javascripts/quiz.js", ASSETS / "stylesheets/quiz.css"],
    "learning modes": [
        ASSETS / "javascripts/learning-modes.js",
        ASSETS / "stylesheets/learning-modes.css",
        ASSETS / "javascripts/step-through.js",
        ASSETS / "stylesheets/step-through.css",
        ASSETS / "javascripts/flashcards.js",
        ASSETS / "stylesheets/flashcards.css",
    ],
}


def transfer(browser, url: str, wait_for_diagram: bool) -> list[tuple[str, int, int]]:
    context = browser.new_context()
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    if wait_for_diagram:
        page.wait_for_selector('[data-module="flow-diagram"][data-state="rendered"]')
        page.wait_for_load_state("networkidle")
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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        times = [build(Path(tmp) / f"b{i}", "http://127.0.0.1:8000/") for i in range(BUILDS)]
        print(
            f"build (--strict), median of {BUILDS}: {statistics.median(times):.2f} s "
            f"(min {min(times):.2f} s, max {max(times):.2f} s)"
        )
        with built_and_served(Path(tmp) / "site") as site, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print(f"\n{'page':8} {'requests':>8} {'raw':>12} {'gzip':>12} {'gzip w/o mermaid':>18}")
            for name, path in PAGES.items():
                rows = transfer(browser, site.url + path, wait_for_diagram=name == "lesson")
                raw = sum(r[1] for r in rows)
                zipped = sum(r[2] for r in rows)
                without = sum(r[2] for r in rows if "/vendor/mermaid/" not in r[0])
                print(f"{name:8} {len(rows):8} {kib(raw)} {kib(zipped)} {kib(without):>18}")
                mermaid = [r for r in rows if "/vendor/mermaid/" in r[0]]
                if mermaid:
                    print(
                        f"{'':8} mermaid: {len(mermaid)} files, {kib(sum(r[2] for r in mermaid))} gzip"
                    )
            browser.close()
        print()
        for group, paths in OWN_ASSETS.items():
            total = 0
            for path in paths:
                data = path.read_bytes()
                total += len(gzip.compress(data, 6))
                print(f"{str(path):46} {len(data):7} B raw {len(gzip.compress(data, 6)):7} B gzip")
            goal = f" (goal: at most {QUIZ_BUDGET} B)" if group == "quiz" else ""
            print(f"{'':46} {group} together: {total} B gzip{goal}")


if __name__ == "__main__":
    main()
