"""The default theme in a real browser: layout, keyboard path, dark mode and print.

One small site is built and served once per module; one headless Chromium (the system's,
never a downloaded one) visits it at phone and desktop widths.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import built_site, chromium
from tests.conftest import article_text

PHONE, DESKTOP = 375, 1280
NAV_PATHS = ["/", "/people/", "/topics/", "/sources/", "/authors/", "/archive/"]


LONG_NAME = "María de los Ángeles Fernández-Villaverde y Santa Cruz"
LONG_URL = "https://example.org/" + "a-very-long-original-address-" * 6
#: No hyphen or space to break at: scraped titles and text contain such runs.
UNBROKEN = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
BODY = (
    "First paragraph of the story, long enough to wrap over a few lines at phone width.\n\n"
    "> A quotation from someone important.\n\n"
    "| Year | Turnout | Registered voters | Notes |\n|---|---|---|---|\n"
    "| 2020 | 66.8% | 168,308,000 | record-breaking-turnout-in-a-presidential-year |\n\n"
    f"Unbroken: {UNBROKEN} and hyphens-joined-words-that-go-on-and-on-for-a-while.\n\n"
    "```\nsome_code_that_is_wider_than_a_phone = compute(arguments, more_arguments, 12345)\n```\n"
)


def _site_files() -> dict[str, str]:
    files = {
        "content/long.md": article_text(
            f"Headline with {UNBROKEN} in it",
            BODY,
            date="2021-03-04",
            source="The Northern Provinces Weekly Gazette and Advertiser",
            url=LONG_URL,
            people=[LONG_NAME, "Ann Lee", UNBROKEN],
            topics=["Elections"],
        ),
        "content/undated.md": article_text("An undated story", people=["Ann Lee"]),
    }
    for i in range(8):
        files[f"content/story-{i}.md"] = article_text(
            f"Story number {i} about the council budget",
            date=f"{2016 + i}-0{1 + i % 9}-1{i}",
            source="Reuters",
            people=["Ann Lee", LONG_NAME] if i % 2 else ["Ann Lee"],
            topics=["Budget", "Elections"],
        )
    return files


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the site once and serve its output on 127.0.0.1 from a thread."""
    with built_site(
        tmp_path_factory.mktemp("theme") / "site",
        _site_files(),
        '[site]\ntitle = "The Test Ledger"\ndescription = "A small archive"\npage_size = 4\n',
    ) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.fixture
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


PAGES = {
    "home": "/",
    "article": "/2021/03/long/",
    "person": "/people/maria-de-los-angeles-fernandez-villaverde-y-santa-cruz/",
    "people index": "/people/",
    "archive": "/archive/",
    "year": "/2021/",
    "undated": "/undated/",
}


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_pages_have_no_horizontal_overflow(page, base_url, width):
    page.set_viewport_size({"width": width, "height": 800})
    wide = {}
    for name, path in PAGES.items():
        response = page.goto(base_url + path)
        assert response is not None and response.ok, path
        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        inner_width = page.evaluate("window.innerWidth")
        if scroll_width > inner_width:
            wide[name] = scroll_width
    assert not wide, f"pages wider than the {width}px viewport: {wide}"


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const box = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          return {id: el.id, cls: el.className, href: el.getAttribute('href'),
                  inNav: el.closest('.site-nav') !== null,
                  top: box.top, bottom: box.bottom, left: box.left, width: box.width,
                  outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)};
        }"""
    )


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_skip_link_shows_on_first_tab_and_moves_focus_to_main(page, base_url, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(base_url + "/")
    hidden = page.eval_on_selector(".skip-link", "el => el.getBoundingClientRect().bottom")
    assert hidden <= 0, "the skip link should be off screen until focused"

    page.keyboard.press("Tab")
    skip = _focused(page)
    assert "skip-link" in skip["cls"]
    assert skip["top"] >= 0 and skip["bottom"] > skip["top"] and skip["width"] > 0
    assert skip["bottom"] <= 800 and skip["left"] >= 0

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    inside = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert inside, "the next Tab after the skip link should land inside main"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_nav_links_are_reachable_by_keyboard_with_visible_focus(page, base_url, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(base_url + "/people/")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["inNav"]:
            reached.append(focused["href"])
            assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, focused
            assert 0 <= focused["top"] < 800 and focused["left"] >= 0, focused
        if reached == NAV_PATHS:
            break
    assert reached == NAV_PATHS
    current = page.eval_on_selector_all(
        ".site-nav a[aria-current=page]", "els => els.map(e => e.getAttribute('href'))"
    )
    assert current == ["/people/"]


CONTRAST_JS = """() => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => {
    const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bg = lum(rgb(getComputedStyle(document.body).backgroundColor));
  const out = {background: getComputedStyle(document.body).backgroundColor, ratios: {}};
  for (const sel of ['body', '.story-title a', '.story-meta', '.kicker', '.count', '.lede',
                     '.site-nav a', '.site-tagline', '.sidebar-heading', '.page-step']) {
    const el = document.querySelector(sel);
    if (!el) continue;
    const fg = lum(rgb(getComputedStyle(el).color));
    out.ratios[sel] = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  }
  return out;
}"""


def test_dark_mode_follows_the_system_and_keeps_contrast(page, base_url):
    page.set_viewport_size({"width": DESKTOP, "height": 800})
    page.goto(base_url + "/")
    seen = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        seen[scheme] = page.evaluate(CONTRAST_JS)
        low = {k: round(v, 2) for k, v in seen[scheme]["ratios"].items() if v < 4.5}
        assert not low, f"text below WCAG AA 4.5:1 in {scheme} mode: {low}"
        assert len(seen[scheme]["ratios"]) >= 8
    assert seen["light"]["background"] != seen["dark"]["background"]


def test_print_stylesheet_hides_navigation(page, base_url):
    page.goto(base_url + "/2021/03/long/")
    nav_display = "el => getComputedStyle(el).display"
    assert page.eval_on_selector(".site-nav", nav_display) != "none"
    page.emulate_media(media="print")
    assert page.eval_on_selector(".site-nav", nav_display) == "none"
    assert page.eval_on_selector(".skip-link", nav_display) == "none"
    assert page.eval_on_selector(".article-body", nav_display) != "none"
    page.emulate_media(media="screen")
    assert page.eval_on_selector(".site-nav", nav_display) != "none"
