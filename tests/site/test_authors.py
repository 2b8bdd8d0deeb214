"""Authors (`authors:` / `author:`) as a taxonomy, and the RSS feeds beside the Atom ones:
front matter, pages, feeds read back with feedparser, `sitegen search author:`, edits."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.cli import cli
from sitegen.content import parse_article
from sitegen.model import Article, ProblemError
from sitegen.site import feeds
from sitegen.site.pipeline import build_site
from tests.conftest import article_text
from tests.site.builds import PAGES_FIRST, Builds
from tests.site.test_incremental import clean_build_of
from tests.site.test_pipeline import _compare_trees

CONFIG = (
    '[site]\ntitle = "Byline Times"\nbase_url = "https://news.example/"\n'
    'description = "Who wrote what"\n'
)
EVIL = "<b>Eve</b> & Co"


def author_files() -> dict[str, str]:
    return {
        "content/a.md": article_text(
            "Harbour reopens",
            "Ships sail again.",
            date="2024-01-02T08:00:00Z",
            author="Jane Doe",
            topics=["Port"],
            summary="The harbour is open.",
        ),
        "content/b.md": article_text(
            "Council budget passes",
            "The vote was close.",
            date="2024-02-03",
            authors=["Sam Roe", " Jane  Doe "],
            author="jane doe",  # the same author: kept once, as first written
            topics=["Budget", "Council"],
        ),
        "content/c.md": article_text("Late note", "No date here.", author=EVIL),
        "content/d.md": article_text("Wire copy", "Nobody signed it.", date="2024-03-04"),
    }


def test_author_and_authors_are_merged_trimmed_and_deduplicated():
    text = "---\ntitle: T\nauthors: [' Jane  Doe ', Sam Roe]\nauthor: [jane doe, Ann Lee]\n---\nx\n"
    assert parse_article("a.md", text).authors == ["Jane Doe", "Sam Roe", "Ann Lee"]
    assert parse_article("a.md", "---\ntitle: T\nauthor: Jane Doe\n---\nx\n").authors == [
        "Jane Doe"
    ]
    article = parse_article("a.md", "---\ntitle: T\n---\nx\n")
    assert article.authors == [] and "author" not in article.extra
    with pytest.raises(ProblemError) as info:
        parse_article("content/bad.md", "---\ntitle: T\nauthor: {name: Jane}\n---\nx\n")
    assert str(info.value.problem) == "content/bad.md: 'author' must be a list of names"


def test_a_bad_author_value_names_its_file_and_the_others_still_build(site):
    files = author_files()
    files["content/bad.md"] = "---\ntitle: Bad\nauthors: [[Jane]]\n---\nx\n"
    config = site(files, CONFIG)
    report = build_site(config, keep_going=True)
    assert report.written and [str(p) for p in report.problems] == [
        "content/bad.md: 'authors' holds ['Jane']; each entry must be a name"
    ]
    assert (config.output_dir / "authors/jane-doe/index.html").is_file()


def test_author_pages_byline_and_index(site):
    config = site(author_files(), CONFIG)
    assert build_site(config).written
    out = config.output_dir
    index = (out / "authors/index.html").read_text()
    for slug, name in (("jane-doe", "Jane Doe"), ("sam-roe", "Sam Roe")):
        assert f'href="/authors/{slug}/">{name}</a>' in index
    jane = (out / "authors/jane-doe/index.html").read_text()
    assert "Harbour reopens" in jane and "Council budget passes" in jane
    assert "Late note" not in jane and "Wire copy" not in jane
    assert 'href="/topics/budget/"' in jane  # the topics alongside, as on a person page
    assert 'type="application/rss+xml" title="Jane Doe" href="/authors/jane-doe/rss.xml"' in jane
    article = (out / "2024/02/b/index.html").read_text()
    assert (
        '<p class="byline">By <a class="author" rel="author" href="/authors/sam-roe/">Sam Roe</a>'
        ' and <a class="author" rel="author" href="/authors/jane-doe/">Jane Doe</a></p>'
    ) in article
    assert '<link rel="alternate" type="application/rss+xml"' in article
    undated = (out / "undated/c/index.html").read_text()
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; Co" in undated and "<b>Eve</b>" not in undated
    assert (out / "authors/b-eve-b-co/index.html").is_file()


def _parsed(path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_feeds_atom_and_rss_match_the_articles(site):
    config = site(author_files(), CONFIG)
    assert build_site(config).written
    out = config.output_dir
    wanted = [  # newest first; the undated article stays out of every feed
        ("Wire copy", "https://news.example/2024/03/d/", (2024, 3, 4, 0, 0), []),
        ("Council budget passes", "https://news.example/2024/02/b/", (2024, 2, 3, 0, 0),
         ["Sam Roe", "Jane Doe"]),
        ("Harbour reopens", "https://news.example/2024/01/a/", (2024, 1, 2, 8, 0), ["Jane Doe"]),
    ]  # fmt: skip
    rss, atom = _parsed(out / "rss.xml"), _parsed(out / "feed.xml")
    assert rss.version == "rss20" and atom.version == "atom10"
    assert rss.feed.title == atom.feed.title == "Byline Times"
    assert rss.feed.link == "https://news.example/" and rss.feed.language == "en"
    assert rss.feed.subtitle == "Who wrote what"
    assert rss.feed.updated_parsed[:5] == (2024, 3, 4, 0, 0)
    for parsed in (rss, atom):
        got = [
            (
                e.title,
                e.link,
                tuple(e.published_parsed[:5]),
                [a.get("name") for a in e.get("authors", []) if a.get("name")],
            )
            for e in parsed.entries
        ]
        expected = [
            (t, link, date, names or (["Unknown source"] if parsed is atom else []))
            for t, link, date, names in wanted
        ]
        assert got == expected
    harbour = rss.entries[2]
    assert harbour.id == harbour.link
    assert harbour.summary == "The harbour is open."
    assert [t.term for t in rss.entries[1].tags] == ["Budget", "Council"]
    root = ET.parse(out / "rss.xml").getroot()
    self_link = root.find("channel/{http://www.w3.org/2005/Atom}link")
    assert self_link.get("href") == "https://news.example/rss.xml"
    assert root.find("channel/item/guid").get("isPermaLink") == "true"
    assert root.find("channel/item/pubDate").text == "Mon, 04 Mar 2024 00:00:00 GMT"

    for kind in ("feed.xml", "rss.xml"):  # an author's feeds hold only their articles
        parsed = _parsed(out / "authors/jane-doe" / kind)
        assert [e.title for e in parsed.entries] == ["Council budget passes", "Harbour reopens"]
        assert parsed.feed.title == "Jane Doe — Byline Times"
    budget = _parsed(out / "topics/budget/rss.xml")  # beside every term feed
    assert [e.title for e in budget.entries] == ["Council budget passes"]
    # an author with only an undated article: both feeds valid and empty
    assert _parsed(out / "authors/b-eve-b-co/rss.xml").entries == []
    assert _parsed(out / "authors/b-eve-b-co/feed.xml").entries == []


def _search(config, *args):
    result = CliRunner().invoke(cli, ["search", *args, "--site", str(config.root), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_search_by_author_finds_only_their_articles(site):
    config = site(author_files(), CONFIG)
    assert build_site(config).written
    found = _search(config, 'author:"Sam Roe"')
    assert [hit["title"] for hit in found["results"]] == ["Council budget passes"]
    assert found["results"][0]["authors"] == ["Sam Roe", "Jane Doe"]
    assert found["facets"]["authors"] == [
        {"name": "Jane Doe", "count": 1},
        {"name": "Sam Roe", "count": 1},
    ]
    unquoted = _search(config, "authors:jane doe")  # the name 'jane' and the word 'doe'
    assert unquoted["total"] == 0
    assert unquoted["notes"] == ["no author named 'jane' in the archive; did you mean 'jane doe'?"]
    jane = _search(config, 'author:"jane doe"')
    assert sorted(hit["title"] for hit in jane["results"]) == [
        "Council budget passes",
        "Harbour reopens",
    ]
    assert _search(config, "harbour", "--author", "Sam Roe")["total"] == 0
    assert _search(config, "vote", "--author", "Sam Roe")["total"] == 1
    missing = _search(config, 'author:"Nobody Here"')
    assert missing["total"] == 0
    assert missing["notes"] == ["no author named 'nobody here' in the archive"]


def test_editing_authors_rewrites_what_a_clean_build_writes(site, tmp_path):
    config = site(author_files(), CONFIG)
    builder = Builds(config, jobs=1)
    assert builder.build().written
    builder.mode = PAGES_FIRST
    content = config.content_dir

    def edit(rel: str, old: str, new: str) -> str:
        path = content / rel
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))
        return str(path)

    edits = [
        lambda: edit("a.md", "author: Jane Doe", "author: Sam Roe"),  # moves between authors
        lambda: edit("d.md", "date:", "authors: [New Writer]\ndate:"),  # a new author page
        lambda: edit("b.md", "- Sam Roe\n", ""),  # the last of Sam's articles but one
        lambda: edit("a.md", "author: Sam Roe", "author: sam roe"),  # case: a new name
        lambda: edit("c.md", "author:", "authors: []\nwriter:"),  # an author page goes away
    ]
    for number, change in enumerate(edits):
        report = builder.build(changed_files={change()})
        assert report.written and report.incremental and not report.problems, number
        clean = clean_build_of(config.root, tmp_path, f"edit{number}")
        assert _compare_trees(config.output_dir, clean, True) == [], f"edit {number}"
    assert not (config.output_dir / "authors/b-eve-b-co").exists()
    assert (config.output_dir / "authors/new-writer/rss.xml").is_file()


# Names as front matter can hold them: YAML refuses control characters and surrogates.
NAMES = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"),
    min_size=1,
    max_size=30,
).filter(str.strip)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    authors=st.lists(NAMES, max_size=4),
    author=st.one_of(st.none(), NAMES, st.lists(NAMES, max_size=3)),
    title=NAMES,
    topics=st.lists(NAMES, max_size=3),
)
def test_fuzz_authors_front_matter_and_feeds(authors, author, title, topics):
    """Any names under `authors:` / `author:` give a trimmed, case-insensitively unique
    byline, and both feeds of it parse and give the names back as written."""
    text = article_text(title, authors=authors, author=author, topics=topics, date="2024-05-06")
    article: Article = parse_article("content/f.md", text)
    folded = [name.casefold() for name in article.authors]
    assert len(set(folded)) == len(folded)
    given_names = [
        " ".join(n.split())
        for n in [*authors, *([author] if isinstance(author, str) else author or [])]
    ]
    assert {n.casefold() for n in given_names} == set(folded)
    article.slug = "f"
    channel = feeds.Channel(
        title=title,
        subtitle="",
        page_url="https://x.example/",
        language="en",
        entries=[article],
        entry_url=lambda a: "https://x.example/f/",
        summary_of=lambda a: title,
    )
    for document in (
        feeds.rss_feed(channel, "https://x.example/rss.xml"),
        feeds.atom_feed(channel, "https://x.example/feed.xml"),
    ):
        parsed = feedparser.parse(document.encode())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert tuple(parsed.entries[0].published_parsed[:3]) == (2024, 5, 6)
        # the names as the XML holds them (feedparser "repairs" some text it reads)
        root = ET.fromstring(document)
        if root.tag == "rss":
            names = [e.text for e in root.iter("{http://purl.org/dc/elements/1.1/}creator")]
            assert [e.text for e in root.iter("category")] == article.topics
        else:
            names = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}name")]
        assert names == (article.authors or ([] if root.tag == "rss" else ["Unknown source"]))
    assert dt.datetime(2024, 5, 6) == article.date
