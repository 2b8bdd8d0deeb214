"""Atom and RSS 2.0 feeds, the sitemap and robots.txt: XML text built from plain values.

Dates come from the articles themselves (never the clock), so the output is the same
every time the same content is built.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from sitegen.model import Article

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def rfc3339(value: dt.datetime | None) -> str:
    if value is None:
        value = EPOCH
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Channel:
    """What the Atom and the RSS feed of one list of articles share."""

    title: str
    subtitle: str  # the site's description on the site feed, else ""
    page_url: str  # the HTML page the feed follows
    language: str
    entries: list[Article]  # dated, newest first (pages.dated_entries)
    entry_url: Callable[[Article], str]
    summary_of: Callable[[Article], str]

    @property
    def updated(self) -> dt.datetime | None:
        """The newest entry's date: the feed changes when its articles do, not the clock."""
        return max((a.date for a in self.entries if a.date), default=None, key=_utc)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def rfc822(value: dt.datetime | None) -> str:
    """RSS's date form, in GMT: 'Fri, 31 May 2024 14:00:00 GMT'."""
    return email.utils.format_datetime(_utc(value or EPOCH).astimezone(dt.UTC), usegmt=True)


def entry_authors(article: Article) -> list[str]:
    """Who an entry is by: its byline, else the outlet it came from."""
    return article.authors or [article.source or "Unknown source"]


def atom_feed(channel: Channel, feed_url: str) -> str:
    """An Atom 1.0 document; every value is escaped."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{escape(channel.title)}</title>",
    ]
    if channel.subtitle:
        out.append(f"  <subtitle>{escape(channel.subtitle)}</subtitle>")
    out += [
        f"  <id>{escape(feed_url)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(channel.page_url)}/>',
        f"  <updated>{rfc3339(channel.updated)}</updated>",
        "  <generator>sitegen</generator>",
    ]
    for article in channel.entries:
        link = channel.entry_url(article)
        out += [
            "  <entry>",
            f"    <title>{escape(article.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>',
            f"    <id>{escape(link)}</id>",
            f"    <updated>{rfc3339(article.date)}</updated>",
            f"    <published>{rfc3339(article.date)}</published>",
        ]
        for name in entry_authors(article):
            out.append(f"    <author><name>{escape(name)}</name></author>")
        for topic in article.topics:
            out.append(f"    <category term={quoteattr(topic)}/>")
        summary = channel.summary_of(article)
        if summary:
            out.append(f"    <summary>{escape(summary)}</summary>")
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def rss_feed(channel: Channel, feed_url: str) -> str:
    """An RSS 2.0 document of the same entries (authors as dc:creator); every value escaped."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "  <channel>",
        f"    <title>{escape(channel.title)}</title>",
        f"    <link>{escape(channel.page_url)}</link>",
        f"    <description>{escape(channel.subtitle or channel.title)}</description>",
        f"    <language>{escape(channel.language)}</language>",
        f"    <lastBuildDate>{rfc822(channel.updated)}</lastBuildDate>",
        "    <generator>sitegen</generator>",
        f'    <atom:link rel="self" type="application/rss+xml" href={quoteattr(feed_url)}/>',
    ]
    for article in channel.entries:
        link = escape(channel.entry_url(article))
        out += [
            "    <item>",
            f"      <title>{escape(article.title)}</title>",
            f"      <link>{link}</link>",
            f'      <guid isPermaLink="true">{link}</guid>',
            f"      <pubDate>{rfc822(article.date)}</pubDate>",
        ]
        summary = channel.summary_of(article)
        if summary:
            out.append(f"      <description>{escape(summary)}</description>")
        for name in article.authors:
            out.append(f"      <dc:creator>{escape(name)}</dc:creator>")
        for topic in article.topics:
            out.append(f"      <category>{escape(topic)}</category>")
        out.append("    </item>")
    out += ["  </channel>", "</rss>"]
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
