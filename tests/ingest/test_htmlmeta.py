"""What an HTML page declares about itself: og:, JSON-LD, meta author, <h1>/<title>."""

from __future__ import annotations

import json

from sitegen.ingest.htmlmeta import html_metadata, page_lines
from tests.ingest.test_clean import P1, P2, P3

BODY = f"<article><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>"


def page(head: str, body: str = BODY) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_open_graph_and_meta_author():
    meta = html_metadata(
        page(
            "<title>Council approves bridge | The Example Post</title>"
            '<meta property="og:title" content="Council approves bridge">'
            '<meta property="og:site_name" content="The Example Post">'
            '<meta name="author" content="Jane Roe and John Smith">'
            '<meta property="article:author" content="https://facebook.com/janeroe">'
            '<meta property="article:published_time" content="2024-03-05T10:00:00+01:00">'
        ),
        P1,
    )
    assert meta.title == "Council approves bridge"
    assert meta.site_name == "The Example Post"
    assert meta.authors == ["Jane Roe", "John Smith"]
    assert meta.date == "2024-03-05T10:00:00+01:00"


def test_json_ld_article():
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Example"},
            {
                "@type": "NewsArticle",
                "headline": "Council approves bridge after four-year row",
                "datePublished": "2024-03-05T09:30:00Z",
                "dateModified": "2024-03-06T09:30:00Z",
                "author": [{"@type": "Person", "name": "Jane Roe"}, {"name": "John Smith"}],
                "publisher": {"@type": "Organization", "name": "Harbor Ledger Media Ltd"},
            },
        ],
    }
    meta = html_metadata(
        page(f'<script type="application/ld+json">{json.dumps(data)}</script>'), P1
    )
    assert meta.title == "Council approves bridge after four-year row"
    assert meta.date == "2024-03-05T09:30:00Z"
    assert meta.authors == ["Jane Roe", "John Smith"]
    assert meta.site_name == "Harbor Ledger"  # the publisher without its legal form


def test_the_title_most_sources_agree_on_wins_over_a_logo_h1():
    meta = html_metadata(
        page(
            "<title>Council approves bridge after four-year row - Example Post</title>"
            '<meta name="twitter:title" content="Council approves bridge after four-year row">',
            "<header><h1>Example Post</h1></header>"
            "<h1>Council approves bridge after four-year row</h1>" + BODY,
        ),
        P1,
    )
    assert meta.title == "Council approves bridge after four-year row"


def test_an_h1_that_shares_no_word_with_the_article_loses_to_the_title():
    meta = html_metadata(
        page(
            "<title>Council approves new bridge over the river</title>",
            "<h1>Allergies Health Center</h1>" + BODY,
        ),
        P1 + " " + P2,
    )
    assert meta.title == "Council approves new bridge over the river"


def test_without_author_metadata_the_byline_under_the_headline_counts():
    meta = html_metadata(
        page(
            "",
            "<h1>Council approves bridge after four-year row</h1>"
            '<div class="byline">By Jane Roe</div><div>March 12, 2024</div>' + BODY,
        ),
        "\n".join([P1, P2, P3]),
    )
    assert meta.authors == ["Jane Roe"]
    assert meta.date == "2024-03-12"


def test_page_lines_walk_blocks_and_skip_scripts():
    import lxml.html

    tree = lxml.html.document_fromstring(
        "<html><body><nav><a>Home</a> <a>News</a></nav><script>var x = 1;</script>"
        "<h1>Head <em>line</em></h1><p>One<br>Two</p></body></html>"
    )
    assert page_lines(tree) == ["Home News", "Head line", "One", "Two"]
