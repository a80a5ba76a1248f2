"""No request leaves the site's origin: no CDN, no fonts, no API calls, even after drawing."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import FLOW_STEPS, HOME, PAGES, RENDERED

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = {"data", "blob", "about"}


def test_no_request_leaves_the_origin_on_any_page(new_context, base_url):
    context = new_context()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    origin = urlsplit(base_url)
    page = context.new_page()

    def visit(path: str) -> list[str]:
        start = len(requested)
        page.goto(path, wait_until="networkidle")
        drawn = FLOW_STEPS.get(path)
        if drawn is not None:
            expect(page.locator(f"{RENDERED} svg g.node")).to_have_count(drawn)
            page.wait_for_load_state("networkidle")
        if path == HOME:  # the search index and its worker load on first use
            page.keyboard.press("/")
            page.get_by_role("textbox", name="Search").press_sequentially("lesson")
            expect(page.locator(".md-search-result__item").first).to_be_visible()
        return requested[start:]

    by_page = {path: visit(path) for path in (*PAGES, "/404.html")}

    foreign = [
        url
        for url in requested
        if urlsplit(url).scheme not in LOCAL_SCHEMES
        and (urlsplit(url).scheme, urlsplit(url).netloc) != (origin.scheme, origin.netloc)
    ]
    assert foreign == [], "requests left the origin:\n" + "\n".join(foreign)
    # The diagram is drawn at build time: no page loads Mermaid.
    for path, urls in by_page.items():
        mermaid = [url for url in urls if "mermaid" in url.lower()]
        assert mermaid == [], f"{path} requested:\n" + "\n".join(mermaid)
