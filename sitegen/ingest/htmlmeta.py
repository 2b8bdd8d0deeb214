"""What an HTML page says about itself: headline, date, authors, site name and address.

Read from the page's own metadata, in the order sites fill it most reliably:

- title: og:title, twitter:title, the JSON-LD article's headline, the <h1>s and <title>,
  each cleaned of a site name and breadcrumbs (headline.split_title); the one the most
  sources agree on wins (then the one the article's opening shares words with, then that
  order), so a <title> with " | Site" or an <h1> that is the logo loses to the headline
  the others repeat. When no source is agreed on or shares the article's words, the line
  the dump ranker (headline.py) picks from the page's text.
- date: JSON-LD datePublished, article:published_time and its kin (meta date, pubdate,
  DC.date, parsely/sailthru), itemprop="datePublished", <time datetime>; a modified date
  only when nothing else is there.
- authors: JSON-LD author names, meta author / byl / article:author (not a profile url),
  rel=author and itemprop=author text; parsed as bylines (byline.clean_author_field).
  Without any, the byline under the headline in the page's text, read as in a dump.
- site name: og:site_name, the JSON-LD publisher, application-name, without a legal form.

What is not here: the article text (readers.py extracts it with trafilatura) and the
choices between a format's values and the text's (metadata.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sitegen.ingest.headline import choose_headline, split_title
from sitegen.ingest.metadata import strip_legal_name
from sitegen.ingest.text import content_words, sentence_key

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
#: Titles longer than this are descriptions, not headlines.
MAX_TITLE_CHARS = 400

_ARTICLE_TYPES = re.compile(
    r"article|posting|report|blog|news|webpage|creativework|review|recipe|howto|video|book"
    r"|scholarly|qapage|itempage|clip|episode|event",
    re.I,
)
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "published_time",
    "article:published",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "published-date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.created",
    "dcterms.issued",
    "citation_publication_date",
    "citation_date",
    "cxenseparse:recs:publishtime",
    "date.available",
    "displaydate",
    "timestamp",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dc.date.modified",
    "dcterms.modified",
)
_AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "twitter:creator:name",
    "cxenseparse:author",
    "article:author_name",
    "author_name",
)
_SITE_META = ("og:site_name", "application-name", "al:ios:app_name", "twitter:app:name:iphone")


@dataclass
class PageMeta:
    titles: list[tuple[str, str]] = field(default_factory=list)  # (where, text) in order
    dates: list[tuple[str, str]] = field(default_factory=list)
    modified: list[tuple[str, str]] = field(default_factory=list)
    authors: list[tuple[str, Any]] = field(default_factory=list)
    site_names: list[tuple[str, str]] = field(default_factory=list)
    url: str | None = None


def _text(node: Any) -> str:
    return " ".join(node.text_content().split())


def _jsonld_objects(tree: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, @graph members and nested lists flattened."""
    out: list[dict[str, Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            out.append(value)
            if "@graph" in value:
                walk(value["@graph"])
            main = value.get("mainEntity") or value.get("mainEntityOfPage")
            if isinstance(main, dict) and main.get("@type"):
                walk(main)

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            walk(json.loads(raw))
        except ValueError:
            try:  # a trailing comma or two objects glued: try the first object only
                walk(json.loads(raw[: raw.rfind("}") + 1]))
            except ValueError:
                continue
    return out


def _types(obj: dict[str, Any]) -> str:
    kind = obj.get("@type") or ""
    return " ".join(kind) if isinstance(kind, list) else str(kind)


def _names(value: Any) -> Any:
    """A JSON-LD author/publisher value as a name or list of names."""
    if isinstance(value, list):
        return [n for v in value if (n := _names(v))]
    if isinstance(value, dict):
        return value.get("name") or ""
    return value if isinstance(value, str) else ""


def read_page_meta(tree: Any) -> PageMeta:
    """Collect what the page declares, in page order within each kind."""
    meta = PageMeta()
    for node in tree.xpath("//meta[@content]"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        value = " ".join((node.get("content") or "").split())
        if not key or not value:
            continue
        if key in ("og:title", "twitter:title", "title", "dc.title", "headline", "sailthru.title"):
            meta.titles.append((key, value))
        elif key in _DATE_META:
            meta.dates.append((key, value))
        elif key in _MODIFIED_META:
            meta.modified.append((key, value))
        elif key in _AUTHOR_META:
            meta.authors.append((key, value))
        elif key in _SITE_META:
            meta.site_names.append((key, value))
        elif key == "og:url" and not meta.url:
            meta.url = value
    for obj in _jsonld_objects(tree):
        kind = _types(obj)
        if kind and not _ARTICLE_TYPES.search(kind) and "Organization" not in kind:
            continue
        if "Organization" in kind and not _ARTICLE_TYPES.search(kind):
            if obj.get("name") and isinstance(obj["name"], str):
                meta.site_names.append(("json-ld organization", obj["name"]))
            continue
        for key in ("headline", "name"):
            if isinstance(obj.get(key), str) and obj[key].strip():
                meta.titles.append((f"json-ld {key}", " ".join(obj[key].split())))
                break
        if isinstance(obj.get("datePublished"), str):
            meta.dates.insert(0, ("json-ld datePublished", obj["datePublished"]))
        elif isinstance(obj.get("dateCreated"), str):
            meta.dates.append(("json-ld dateCreated", obj["dateCreated"]))
        if isinstance(obj.get("dateModified"), str):
            meta.modified.append(("json-ld dateModified", obj["dateModified"]))
        for key in ("author", "creator"):
            if obj.get(key):
                meta.authors.insert(0, (f"json-ld {key}", _names(obj[key])))
                break
        publisher = _names(obj.get("publisher"))
        if isinstance(publisher, str) and publisher:
            meta.site_names.append(("json-ld publisher", publisher))
    for node in tree.xpath("//*[@itemprop='datePublished']"):
        value = node.get("content") or node.get("datetime") or _text(node)
        if value:
            meta.dates.append(("itemprop datePublished", value))
    for node in tree.xpath("//time[@datetime]")[:3]:
        meta.dates.append(("time", node.get("datetime")))
    for node in tree.xpath("//*[@rel='author' or @itemprop='author']")[:4]:
        inner = node.xpath(".//*[@itemprop='name']")
        value = (inner[0].get("content") or _text(inner[0])) if inner else _text(node)
        if value and len(value) <= 80:
            meta.authors.append(("rel/itemprop author", value))
    for node in tree.xpath("//h1")[:3]:
        value = _text(node)
        if value:
            meta.titles.append(("h1", value))
    title = tree.find(".//title")
    if title is not None and _text(title):
        meta.titles.append(("title", _text(title)))
    if not meta.url:
        link = tree.xpath("//link[@rel='canonical']/@href")
        meta.url = link[0] if link else None
    return meta


_TITLE_ORDER = (
    "og:title",
    "json-ld headline",
    "h1",
    "twitter:title",
    "json-ld name",
    "title",
)


def choose_title(
    meta: PageMeta, site: str | None, body: str = "", from_text: str | None = None
) -> tuple[str | None, str]:
    """(headline, where it came from): the cleaned title most of the page's sources agree
    on; between equals, the one whose words the article's opening shares (an <h1> that is
    a logo or a section name shares none), then og:title, JSON-LD, <h1>, <title>.

    `from_text`, the headline the dump ranker finds in the page's text, is taken only when
    the metadata offers nothing better: no title two sources agree on or that the article's
    opening shares words with."""
    cleaned: list[tuple[str, str, str]] = []  # (where, title, key)
    site_key = sentence_key(site or "")
    for where, text in meta.titles:
        if len(text) > MAX_TITLE_CHARS:
            continue
        title = split_title(text, site)[0]
        key = sentence_key(title)
        if not key or key == site_key:
            continue
        cleaned.append((where, title, key))
    if not cleaned:
        if from_text:
            return from_text, "the headline line of the page's text"
        return None, "no title in the page's metadata"

    def support(key: str) -> float:
        votes = 0.0
        for _, _, other in cleaned:
            if other == key:
                votes += 1
            elif key in other and len(key) >= 0.6 * len(other):
                votes += 0.5  # a longer form holds it ("Headline - Site" left whole)
        return votes

    lead = content_words(body[:3000])

    def overlap(title: str) -> bool:
        own = content_words(title)
        return bool(own) and len(own & lead) / len(own) >= 0.3

    def rank(item: tuple[str, str, str]) -> tuple[float, bool, int]:
        where = item[0]
        order = _TITLE_ORDER.index(where) if where in _TITLE_ORDER else len(_TITLE_ORDER)
        return (-support(item[2]), not overlap(item[1]), order)

    best = min(cleaned, key=rank)
    if from_text and support(best[2]) < 2 and not overlap(best[1]):
        return from_text, f"the headline line of the page's text (the metadata's {best[0]} is not)"
    return best[1], f"{best[0]} ({support(best[2]):g} sources agree)"


def choose_date(meta: PageMeta) -> tuple[str | None, str]:
    """The first published date that reads as a date; a modified one only without."""
    from sitegen.ingest.dates import parse_given_date

    for where, value in meta.dates:
        if parse_given_date(value) is not None:
            return value, where
    for where, value in meta.modified:
        if parse_given_date(value) is not None:
            return value, where + " (modified)"
    return None, "no date in the page's metadata"


def choose_authors(meta: PageMeta, site: str | None) -> tuple[list[str], str]:
    from sitegen.ingest.byline import clean_author_field

    for where, value in meta.authors:
        names = clean_author_field(value, site)
        if names:
            return names, where
    return [], "no author in the page's metadata"


_SITE_ORDER = ("og:site_name", "json-ld publisher", "application-name", "json-ld organization")


def choose_site_name(meta: PageMeta) -> tuple[str | None, str]:
    """og:site_name, else the JSON-LD publisher, else the app name; never the headline."""
    titles = {sentence_key(text) for _, text in meta.titles}
    ranked = sorted(
        meta.site_names,
        key=lambda item: _SITE_ORDER.index(item[0]) if item[0] in _SITE_ORDER else len(_SITE_ORDER),
    )
    for where, value in ranked:
        if (
            value
            and not value.startswith("@")
            and len(value) <= 60
            and sentence_key(value) not in titles
        ):
            return strip_legal_name(value), where
    return None, "no site name in the page's metadata"


_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dd",
        "dt",
        "td",
        "th",
        "tr",
        "table",
        "tbody",
        "thead",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "figure",
        "figcaption",
        "blockquote",
        "pre",
        "address",
        "form",
        "fieldset",
        "legend",
        "details",
        "summary",
        "br",
        "hr",
        "time",
    ]
)
_SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "template", "head", "svg", "iframe", "object", "select"]
)


def page_lines(tree: Any) -> list[str]:
    """The page as a text dump: each block element's own visible text on a line."""
    import lxml.etree

    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buffer).split())
        if text:
            lines.append(text)
        buffer.clear()

    body = tree.find(".//body")
    walker = lxml.etree.iterwalk(body if body is not None else tree, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if not tag or tag in _SKIP_TAGS:
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                flush()
            if element.text:
                buffer.append(element.text)
        else:
            if tag in _BLOCK_TAGS:
                flush()
            if element.tail:
                buffer.append(element.tail)
    flush()
    return lines


def text_view(tree: Any, body: str, site: str | None) -> Any:
    """The page's text as a dump's PageView, its story placed by the extracted body."""
    from sitegen.ingest.pageview import PageView

    view = PageView.build(page_lines(tree), [p for p in body.split("\n") if p.strip()][:40])
    view.outlet = site
    return view


def _from_page_text(
    view: Any, title: str | None, site: str | None
) -> tuple[list[str], str | None, str]:
    """(authors, date, how) from the byline and dateline under the headline in the page's
    own text, as for a dump: for pages whose metadata names no author or date."""
    from sitegen.ingest.byline import find_byline
    from sitegen.ingest.metadata import find_date, index_of_title

    if not title:
        return [], None, "no headline to look under"
    anchor = index_of_title(view, title)
    if anchor is None:
        return [], None, "the headline is not in the page's text"
    authors, how = find_byline(view, anchor, site)
    date, date_how = find_date(view, anchor, None)
    return authors, (date.isoformat() if date else None), f"{how}; {date_how}"


@dataclass
class HtmlMetadata:
    title: str | None
    date: str | None
    authors: list[str]
    site_name: str | None
    url: str | None
    how: dict[str, str]


def html_metadata(html: str, body: str = "") -> HtmlMetadata | None:
    """The page's own metadata, or None when the HTML cannot be parsed at all; `body`: the
    extracted article text, which a headline shares words with."""
    import lxml.etree
    import lxml.html

    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return None
    meta = read_page_meta(tree)
    how: dict[str, str] = {}
    site, how["source"] = choose_site_name(meta)
    view = text_view(tree, body, site)
    choice = choose_headline(view)
    title, how["title"] = choose_title(meta, site, body, choice.title if choice else None)
    date, how["date"] = choose_date(meta)
    authors, how["authors"] = choose_authors(meta, site)
    if not authors or not date:
        text_authors, text_date, text_how = _from_page_text(view, title, site)
        if not authors and text_authors:
            authors, how["authors"] = text_authors, f"page text: {text_how}"
        if not date and text_date:
            date, how["date"] = text_date, f"page text: {text_how}"
    return HtmlMetadata(title, date, authors, site, meta.url, how)
