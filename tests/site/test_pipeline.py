"""Whole-site builds: links resolve, every term has its page, hostile values are escaped,
a broken file leaves the previous build alone, and output is deterministic."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest

from sitegen.config import load_config
from sitegen.site.pipeline import build_site
from tests.conftest import REPO, article_text
from tests.linkcheck import broken_links


def sample_files() -> dict[str, str]:
    files = {}
    people = ["Marta Okonkwo-Reyes", "Łucja Wiśniewska", "Pavel Dvořák", "Ann Lee"]
    topics = ["Port strike", "Elections", "Central bank"]
    sources = ["Harbor Ledger", "Meridian Wire"]
    for i in range(30):
        year = 2020 + i % 4
        files[f"content/{year}/story-{i}.md"] = article_text(
            f"Story number {i} about {topics[i % 3]}",
            f"Opening paragraph {i} names {people[i % 4]}.\n\nSecond paragraph with *emphasis*.",
            date=f"{year}-{1 + i % 12:02d}-{1 + i % 27:02d}",
            source=sources[i % 2],
            url=f"https://news.example/{i}",
            people=[people[i % 4], people[(i + 1) % 4]],
            topics=[topics[i % 3]],
        )
    files["content/undated/no-date.md"] = article_text(
        "An undated note", "Text.", people=["Ann Lee"]
    )
    return files


CONFIG = '[site]\ntitle = "Sample"\npage_size = 7\nterm_page_size = 5\n'


@pytest.fixture
def sample(site):
    return site(sample_files(), CONFIG)


@pytest.mark.parametrize("base_url", [None, "https://example.org/archive/"])
def test_every_internal_link_resolves(site, base_url):
    config = site(sample_files(), CONFIG)
    if base_url:
        config = load_config(config.root, base_url)
    report = build_site(config)
    assert report.written and not report.problems
    assert broken_links(config.output_dir, config.base_path) == []
    home = (config.output_dir / "index.html").read_text()
    prefix = config.base_path
    assert f'href="{prefix}people/"' in home
    assert f'href="{prefix}static/style.css?v=' in home
    if base_url:
        assert 'href="/people/' not in home  # nothing escapes the sub-path
        feed = (config.output_dir / "feed.xml").read_text()
        assert "https://example.org/archive/20" in feed


def test_every_term_has_its_page_and_articles_link_to_them(sample):
    build_site(sample)
    out = sample.output_dir
    for section, names in [
        ("people", ["Marta Okonkwo-Reyes", "Łucja Wiśniewska", "Pavel Dvořák", "Ann Lee"]),
        ("topics", ["Port strike", "Elections", "Central bank"]),
        ("sources", ["Harbor Ledger", "Meridian Wire"]),
    ]:
        index = (out / section / "index.html").read_text()
        for name in names:
            assert f">{name}</a>" in index
    assert (out / "people/lucja-wisniewska/index.html").is_file()
    assert (out / "people/pavel-dvorak/feed.xml").is_file()
    page = (out / "2020/01/story-0/index.html").read_text()
    assert "<p>Opening paragraph 0 names Marta Okonkwo-Reyes.</p>" in page
    assert 'href="/people/marta-okonkwo-reyes/"' in page
    assert 'href="/topics/port-strike/"' in page
    assert 'href="https://news.example/0"' in page


def test_pages_exist_for_every_kind(sample):
    build_site(sample)
    out = sample.output_dir
    for rel in [
        "index.html",
        "page/2/index.html",
        "page/5/index.html",
        "archive/index.html",
        "2021/index.html",
        "2021/02/index.html",
        "undated/index.html",
        "undated/no-date/index.html",
        "people/index.html",
        "people/ann-lee/page/2/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
    ]:
        assert (out / rel).is_file(), rel
    assert not (out / "page/6/index.html").exists()  # 31 articles at 7 a page: 5 pages


def test_hostile_values_are_escaped(site):
    evil = "<script>alert(1)</script>"
    config = site(
        {
            "content/evil.md": article_text(
                f"Title {evil}",
                f"Body {evil} and <img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))",
                date="2024-01-01",
                people=[f"Mal {evil}"],
                topics=[evil],
                source=evil,
                url="javascript:alert(4)",
                summary=evil,
            ),
        }
    )
    assert build_site(config).written
    for page in config.output_dir.rglob("*"):
        if page.suffix in (".html", ".xml"):
            text = page.read_text()
            assert "<script>" not in text, page
            assert "<img src=x" not in text, page
            assert 'href="javascript:' not in text, page


def test_raw_html_only_when_the_site_allows_it(site):
    files = {"content/a.md": article_text("A", "<aside>raw</aside>", date="2024-01-01")}
    off = site(files, name="off")
    build_site(off)
    assert "<aside>raw</aside>" not in (off.output_dir / "2024/01/a/index.html").read_text()
    on = site(files, '[site]\ntitle = "x"\n[build]\nallow_html = true\n', name="on")
    build_site(on)
    assert "<aside>raw</aside>" in (on.output_dir / "2024/01/a/index.html").read_text()


def test_broken_file_leaves_previous_build_intact(sample):
    assert build_site(sample).written
    before = (sample.output_dir / "index.html").read_bytes()
    bad = sample.content_dir / "2021" / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\nbody\n")
    report = build_site(sample)
    assert not report.written
    assert [p.path for p in report.problems] == ["content/2021/bad.md"]
    assert report.problems[0].line == 2
    assert (sample.output_dir / "index.html").read_bytes() == before
    assert not list(sample.root.glob("build.*"))  # no temporary folder left behind
    kept = build_site(sample, keep_going=True)
    assert kept.written and len(kept.problems) == 1


def test_two_articles_with_one_url_is_an_error(site):
    config = site(
        {
            "content/a.md": article_text("A", date="2024-01-05", slug="same"),
            "content/b.md": article_text("B", date="2024-01-09", slug="same"),
        }
    )
    report = build_site(config)
    assert not report.written
    assert "same page /2024/01/same/" in report.problems[0].message


def test_names_that_slugify_alike_get_distinct_pages(site):
    # Topics are taken as written (people would be merged as spelling variants).
    config = site(
        {
            "content/a.md": article_text("A", date="2024-01-05", topics=["Côte d'Azur"]),
            "content/b.md": article_text("B", date="2024-01-06", topics=["Cote d Azur"]),
        }
    )
    build_site(config)
    pages = sorted(p.parent.name for p in (config.output_dir / "topics").glob("*/index.html"))
    assert len(pages) == 2 and pages[0] == "cote-d-azur" and pages[1].startswith("cote-d-azur-")


def test_output_is_deterministic(site):
    first = site(sample_files(), CONFIG, name="one")
    second = site(dict(reversed(list(sample_files().items()))), CONFIG, name="two")
    build_site(first)
    build_site(second)
    mismatch = _compare_trees(first.output_dir, second.output_dir)
    assert mismatch == []


def _compare_trees(a: Path, b: Path, skip_search: bool = False) -> list[str]:
    """Files that differ between two output folders.

    skip_search leaves out the static search export, whose bytes follow the Whoosh
    index's document numbering: an index updated in place numbers documents differently
    from one built afresh (tests/search checks that both rank alike).
    """

    def listed(root: Path) -> list[str]:
        names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        return [n for n in names if not (skip_search and n.startswith("search/"))]

    files_a, files_b = listed(a), listed(b)
    if files_a != files_b:
        return sorted(set(files_a) ^ set(files_b))
    return [f for f in files_a if not filecmp.cmp(a / f, b / f, shallow=False)]


def test_bundled_example_archive_builds_clean(tmp_path):
    if not any((REPO / "content").rglob("*.md")):
        pytest.skip("the example archive is not in content/ yet")
    root = tmp_path / "example"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "sitegen.toml", root / "sitegen.toml")
    for base in (None, "https://example.org/sub/path/"):
        config = load_config(root, base)
        report = build_site(config)
        assert report.written and not report.problems, report.problems
        assert broken_links(config.output_dir, config.base_path) == []
    assert report.articles >= 30 and report.people >= 20 and report.sources >= 4
    # every person, topic and source named in front matter has its page, and each
    # article page shows its body and links to them
    import html

    from markupsafe import escape

    from sitegen.content import read_article
    from sitegen.urls import slugify

    out = config.output_dir
    indexes = {s: (out / s / "index.html").read_text() for s in ("people", "topics", "sources")}
    for path in sorted((root / "content").rglob("*.md")):
        article = read_article(path.name, path.read_bytes())
        names = [("people", n) for n in article.people] + [("topics", n) for n in article.topics]
        names += [("sources", article.source)] if article.source else []
        rel = path.relative_to(root / "content").with_suffix("")
        slug = article.slug or slugify(rel.name)
        if rel.parts[0] == "pages":  # a standalone page: at /<slug>/
            page_dir = out / slug
        else:
            folder = "undated" if rel.parts[0] == "undated" else f"{article.date:%Y/%m}"
            page_dir = out / folder / slug
        page = (page_dir / "index.html").read_text()
        first = re.sub(r"[*_#>\[\]]", "", article.body.strip().split("\n\n")[0]).split()[:6]
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
        assert " ".join(first) in text, path
        for section, name in names:
            assert f">{escape(name)}</a>" in indexes[section], (path, name)
            assert f"/{section}/{slugify(name)}" in page, (path, name)
