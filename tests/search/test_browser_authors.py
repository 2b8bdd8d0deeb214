"""The static search's author: filter in headless Chromium, against Whoosh's answer."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from sitegen.search.index import open_searcher
from sitegen.search.query import Filters, search
from sitegen.site.pipeline import build_site
from tests.browser import chromium, static_server
from tests.conftest import article_text

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

FILES = {
    "content/a.md": article_text(
        "Harbour reopens", "The harbour council met.", date="2024-01-02", author="Jane Doe"
    ),
    "content/b.md": article_text(
        "Harbour budget", "The harbour budget passed.", date="2024-02-03", authors=["Sam Roe"]
    ),
    "content/c.md": article_text(
        "Harbour strike", "Dockworkers at the harbour.", date="2024-03-04",
        authors=["Sam Roe", "Jane Doe"],
    ),
}  # fmt: skip


def whoosh_titles(config, query: str, **filters) -> list[str]:
    with open_searcher(config) as searcher:
        result = search(searcher, query, Filters(**filters), limit=10, with_facets=False)
    return [hit.title for hit in result.hits]


def test_the_author_filter_matches_whoosh(site, tmp_path):
    config = site(FILES)
    assert build_site(config).written
    by_jane = whoosh_titles(config, 'harbour author:"Jane Doe"')
    assert sorted(by_jane) == ["Harbour reopens", "Harbour strike"]
    with static_server(config.output_dir) as url, chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        query = 'harbour author:"jane doe"'  # any case, like the Whoosh search
        page.goto(f"{url}/search/?q={quote(query)}")
        expect(page.locator(".search-status")).to_have_text(
            '2 results for “harbour author:"jane doe"”.'
        )
        expect(page.locator(".search-result-title")).to_have_text(by_jane)
        expect(page.locator(".search-result-authors").first).to_contain_text("Jane Doe")

        page.goto(f"{url}/search/?q=harbour&author=Sam+Roe")  # the filter as a URL parameter
        by_sam = whoosh_titles(config, "harbour", authors=("Sam Roe",))
        expect(page.locator(".search-status")).to_have_text(
            "2 results for “harbour” (Author: Sam Roe)."
        )
        expect(page.locator(".search-result-title")).to_have_text(by_sam)

        page.locator("#search-q").fill("author:Nobody")
        page.locator("#search-q").press("Enter")
        expect(page.locator(".search-result")).to_have_count(0)
        page.close()
