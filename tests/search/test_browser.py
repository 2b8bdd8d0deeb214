"""The /search/ page in headless Chromium, served by a plain static file server."""

from __future__ import annotations

import json
from bisect import bisect_right
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from sitegen.config import load_config
from sitegen.search.index import open_searcher
from sitegen.search.query import Filters, search
from sitegen.search.schema import analyze
from sitegen.site.pipeline import build_site
from tests.browser import static_server
from tests.search.archive import write_archive

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402


def shard_names(output: Path, keys: list[str]) -> set[str]:
    """The term shards holding these keys, read from the exported meta file."""
    import gzip

    meta_path = next((output / "search").glob("meta.*.sgz"))
    meta = json.loads(gzip.decompress(meta_path.read_bytes()))
    from sitegen.search.query import utf16_key

    firsts = [utf16_key(k) for k in meta["shardKeys"]]
    return {meta["shards"][bisect_right(firsts, utf16_key(key)) - 1] for key in keys}


def python_titles(archive, query: str, limit: int = 10, **filters) -> tuple[int, list[str]]:
    with open_searcher(archive) as searcher:
        result = search(searcher, query, Filters(**filters), limit=limit, with_facets=False)
    return result.total, [hit.title for hit in result.hits]


@pytest.fixture
def page(browser, site_url):
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(urlsplit(request.url).path))
    page.requests = requests  # type: ignore[attr-defined]
    yield page
    page.close()


def fetched(page, kind: str) -> list[str]:
    return [p.rsplit("/", 1)[1][: -len(".sgz")] for p in page.requests if f"/search/{kind}/" in p]


def test_a_linked_query_shows_whooshs_results_fetching_only_its_shard(archive, page, site_url):
    total, titles = python_titles(archive, "harbour")
    page.goto(f"{site_url}/search/?q=harbour")
    status = page.locator(".search-status")
    expect(status).to_have_text(f"{total} results for “harbour”.")
    expect(status).to_have_attribute("role", "status")
    expect(page.locator(".search-result-title")).to_have_text(titles)
    assert page.locator(".search-result-snippet mark").count() >= 1
    expect(page.locator("#search-q")).to_have_value("harbour")

    assert fetched(page, "t") == sorted(shard_names(archive.output_dir, analyze("harbour")))
    assert fetched(page, "p") == []  # no phrase: no positions
    assert len(fetched(page, "d")) == len(titles)  # records only for the results shown
    assert len([p for p in page.requests if "/search/meta." in p]) == 1


def test_typing_a_query_and_filtering(archive, page, site_url):
    page.goto(f"{site_url}/search/")
    box = page.locator("#search-q")
    box.fill('"state of the union"')
    box.press("Enter")
    total, titles = python_titles(archive, '"state of the union"')
    expect(page.locator(".search-status")).to_have_text(
        f'{total} result{"s" if total != 1 else ""} for “"state of the union"”.'
    )
    expect(page.locator(".search-result-title")).to_have_text(titles)
    assert "President gives the state of the union" in titles
    assert parse_qs(urlsplit(page.url).query)["q"] == ['"state of the union"']
    words = analyze("state union")
    assert sorted(fetched(page, "p")) == sorted(shard_names(archive.output_dir, words))

    page.requests.clear()
    box.fill("harbour")
    box.press("Enter")
    total, _ = python_titles(archive, "harbour")
    expect(page.locator(".search-status")).to_have_text(f"{total} results for “harbour”.")
    source_button = page.locator(".search-facet[data-filter=source]").first
    source = source_button.inner_text().rsplit(" ", 1)[0]
    source_button.click()
    total, titles = python_titles(archive, "harbour", sources=(source,))
    expect(page.locator(".search-status")).to_have_text(
        f"{total} result{'s' if total != 1 else ''} for “harbour” (Source: {source})."
    )
    expect(page.locator(".search-result-title")).to_have_text(titles)
    for text in page.locator(".search-result-source").all_inner_texts():
        assert text == source
    assert parse_qs(urlsplit(page.url).query)["source"] == [source]
    expect(page.locator(".search-active-filters li")).to_have_count(1)

    page.select_option("#search-year", "2023")
    total, titles = python_titles(archive, "harbour", sources=(source,), years=("2023",))
    expect(page.locator(".search-status")).to_have_text(
        f"{total} result{'s' if total != 1 else ''} for “harbour” (Source: {source}; Year: 2023)."
    )
    expect(page.locator(".search-result-title")).to_have_text(titles)
    for stamp in page.locator(".search-result time").all():
        assert stamp.get_attribute("datetime").startswith("2023")


def test_keyboard_and_bad_queries(page, site_url):
    page.goto(f"{site_url}/search/?q=harbour")
    expect(page.locator(".search-result").first).to_be_visible()
    page.locator("body").click()
    page.keyboard.press("/")
    expect(page.locator("#search-q")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".search-result-title a").first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".search-result-title a").nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#search-q")).to_be_focused()

    page.locator("#search-q").fill("(harbour")
    page.locator("#search-q").press("Enter")
    expect(page.locator(".search-status")).to_have_text(
        "Cannot search: the '(' at character 1 is not closed."
    )
    expect(page.locator(".search-result")).to_have_count(0)

    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for query, position in (("(", 1), ("harbour (", 9)):  # the query ends inside the group
        page.locator("#search-q").fill(query)
        page.locator("#search-q").press("Enter")
        expect(page.locator(".search-status")).to_have_text(
            f"Cannot search: the '(' at character {position} is not closed."
        )
    assert errors == []  # a message, not a TypeError thrown out of the parser


def test_the_nav_box_leads_to_the_search_page(page, site_url):
    page.goto(f"{site_url}/")
    page.locator(".site-search input[name=q]").fill("erdogan")
    page.locator(".site-search input[name=q]").press("Enter")
    expect(page.locator(".search-result-title")).to_have_text(["Erdoğan visits Łódź"])
    assert urlsplit(page.url).path == "/search/"


def test_markup_in_articles_stays_text_and_more_results_load(page, site_url):
    page.goto(f"{site_url}/search/?q=harbour")
    expect(page.locator(".search-result")).to_have_count(10)
    page.locator(".search-more").click()
    expect(page.locator(".search-result")).to_have_count(20)
    page.goto(f"{site_url}/search/?q=onerror+claims")
    title = page.locator(".search-result-title a").first
    expect(title).to_have_text('Harbour <img src=x onerror="alert(1)"> & <b>bold</b> claims')
    assert (
        page.locator(".search-results img, .search-results b, .search-results script").count() == 0
    )


def test_search_works_under_a_base_path(tmp_path, browser):
    root = write_archive(tmp_path / "site", count=10)
    (root / "sitegen.toml").write_text(
        '[site]\ntitle = "Sub"\nbase_url = "https://example.org/archive/"\n', encoding="utf-8"
    )
    config = load_config(root)
    assert build_site(config).written
    served = tmp_path / "served"
    served.mkdir()
    (served / "archive").symlink_to(config.output_dir, target_is_directory=True)
    with static_server(served) as url:
        page = browser.new_page()
        try:
            page.goto(f"{url}/archive/search/?q=harbour")
            expect(page.locator(".search-result").first).to_be_visible()
            href = page.locator(".search-result-title a").first.get_attribute("href")
            assert href.startswith("/archive/")
            page.locator(".search-result-title a").first.click()
            expect(page.locator("h1")).to_be_visible()
            assert urlsplit(page.url).path == href
        finally:
            page.close()
