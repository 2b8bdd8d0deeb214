"""Every page kind of the default theme passes axe-core and reads at 16 px on a phone.

axe-core comes inside the axe-playwright-python wheel (its axe.min.js, injected into the
page by Playwright): nothing is downloaded. One tiny site is built and served once; one
headless Chromium (the system's) visits each page kind in light and dark mode.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import built_site, chromium
from tests.conftest import article_text

PHONE = 375
#: Every page kind: home, article, people index, person, topics index, topic, source,
#: authors index, author, standalone page, year and month archives, search with results
#: shown, 404.
PAGES = {
    "home": "/",
    "article": "/2024/03/harbour-strike-ends/",
    "people index": "/people/",
    "person": "/people/ann-lee/",
    "topics index": "/topics/",
    "topic": "/topics/ports/",
    "source": "/sources/the-harbour-ledger/",
    "authors index": "/authors/",
    "author": "/authors/jane-doe/",
    "standalone page": "/about/",
    "year": "/2024/",
    "month": "/2024/03/",
    "search": "/search/?q=harbour",
    "404": "/404.html",
}
#: Why a rule's finding is not a page's fault: none so far; add one with its reason.
IGNORED_RULES: set[str] = set()


def _site_files() -> dict[str, str]:
    files = {
        "content/2024/03/harbour-strike-ends.md": article_text(
            "Harbour strike ends",
            "Dock workers voted to return to the harbour on Monday.\n\n"
            "> We got what we came for, said a union official.\n\n"
            "The harbour authority said ships would be unloaded by Friday.\n",
            date="2024-03-12",
            source="The Harbour Ledger",
            people=["Ann Lee", "Ludwig van Beethoven"],
            topics=["Ports", "Strikes"],
            url="https://example.org/original",
            authors=["Jane Doe", "Sam Ortiz"],
        ),
        "content/pages/about.md": article_text(
            "About this archive", "Who keeps it, and how to write to them.\n"
        ),
    }
    for i in range(5):
        files[f"content/2023/0{i + 1}/story-{i}.md"] = article_text(
            f"Harbour story {i}",
            f"The harbour board met for the {i}th time to talk about the strike and the port.",
            date=f"2023-0{i + 1}-1{i}",
            source="The Harbour Ledger" if i % 2 else "Wire",
            people=["Ann Lee"],
            topics=["Ports"],
        )
    return files


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with built_site(
        tmp_path_factory.mktemp("a11y") / "site",
        _site_files(),
        '[site]\ntitle = "The Test Ledger"\ndescription = "A small archive"\n'
        'nav = [{ title = "About", url = "/about/" }]\n',
    ) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


#: Small type on purpose: headings, metadata lines (dates, sources, counts), kickers,
#: charts and their captions, code, navigation strips. Every other piece of text in <main> is body text.
META = (
    "h1, h2, h3, h4, time, code, kbd, figure, nav, .visually-hidden, .count, .kicker,"
    " .story-meta, .article-meta, .byline, .term-facts, .search-result-meta, .original"
)

#: [font size, characters, where] of each piece of body text smaller than 16 px.
SMALL_BODY_TEXT = """(meta) => {
  const small = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const parent = node.parentElement;
    if (!text || !parent || !parent.getClientRects().length || parent.closest(meta)) continue;
    const size = parseFloat(getComputedStyle(parent).fontSize);
    if (size < 16) small.push([size, text.slice(0, 30), parent.outerHTML.slice(0, 80)]);
  }
  return small;
}"""


def _open(browser, url: str, scheme: str):
    page = browser.new_page()
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(url)
    if "/search/" in url:
        page.wait_for_selector(".search-results li mark", timeout=10_000)
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_page_kind_has_no_serious_axe_violation(browser, base_url, kind, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page = _open(browser, base_url + PAGES[kind], scheme)
    try:
        results = Axe().run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical") and v["id"] not in IGNORED_RULES
        ]
        assert serious == [], f"{kind} ({scheme}): " + "\n".join(serious)
    finally:
        page.close()


@pytest.mark.parametrize("kind", list(PAGES))
def test_body_text_is_at_least_16px_on_a_phone(browser, base_url, kind):
    page = _open(browser, base_url + PAGES[kind], "light")
    try:
        small = page.evaluate(SMALL_BODY_TEXT, META)
        assert small == [], f"{kind}: body text under 16 px at {PHONE} px wide: {small[:5]}"
        root = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert root >= 16
    finally:
        page.close()
