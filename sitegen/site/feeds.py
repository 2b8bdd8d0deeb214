"""Atom feeds, the sitemap and robots.txt: XML text built from plain values.

Dates come from the articles themselves (never the clock), so the output is the same
every time the same content is built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape, quoteattr

from sitegen.model import Article

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def rfc3339(value: dt.datetime | None) -> str:
    if value is None:
        value = EPOCH
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(
    *,
    title: str,
    feed_url: str,
    page_url: str,
    entries: Iterable[Article],
    entry_url: Callable[[Article], str],
    summary_of: Callable[[Article], str],
    subtitle: str = "",
) -> str:
    """An Atom 1.0 document; every value is escaped."""
    items = list(entries)
    updated = max(
        (a.date for a in items if a.date),
        default=None,
        key=lambda d: d if d.tzinfo else d.replace(tzinfo=dt.UTC),
    )
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{escape(title)}</title>",
    ]
    if subtitle:
        out.append(f"  <subtitle>{escape(subtitle)}</subtitle>")
    out += [
        f"  <id>{escape(feed_url)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(page_url)}/>',
        f"  <updated>{rfc3339(updated)}</updated>",
        "  <generator>sitegen</generator>",
    ]
    for article in items:
        link = entry_url(article)
        out += [
            "  <entry>",
            f"    <title>{escape(article.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>',
            f"    <id>{escape(link)}</id>",
            f"    <updated>{rfc3339(article.date)}</updated>",
            f"    <published>{rfc3339(article.date)}</published>",
        ]
        if article.source:
            out.append(f"    <author><name>{escape(article.source)}</name></author>")
        else:
            out.append("    <author><name>Unknown source</name></author>")
        for topic in article.topics:
            out.append(f"    <category term={quoteattr(topic)}/>")
        summary = summary_of(article)
        if summary:
            out.append(f"    <summary>{escape(summary)}</summary>")
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def sitemap(urls: Iterable[tuple[str, dt.datetime | None]]) -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for loc, lastmod in urls:
        out.append(
            f"  <url><loc>{escape(loc)}</loc>"
            + (f"<lastmod>{rfc3339(lastmod)[:10]}</lastmod>" if lastmod else "")
            + "</url>"
        )
    out.append("</urlset>")
    return "\n".join(out) + "\n"


def robots_txt(sitemap_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"
