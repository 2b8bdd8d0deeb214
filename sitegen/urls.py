"""The one place that knows where each page lives: URL paths and output file names.

Paths here are site-relative ("2024/05/some-slug/"); the renderer prefixes the base path.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re

from slugify import slugify as _slugify

from sitegen.model import Article, Term

MAX_SLUG = 80


_PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A file name that is not UTF-8 arrives with its bad bytes as lone surrogates
#: ("caf\udce9"), and a UTF-16 half can come from anywhere: they slug as nothing.
_SURROGATES = re.compile("[\ud800-\udfff]")


def name_digest(name: str) -> str:
    """SHA-1 of a name, hex; also of one holding lone surrogates (which UTF-8 refuses)."""
    return hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """Readable ASCII slug ("Łódź" -> "lodz"); never empty, only a-z, 0-9 and '-'."""
    if len(text) <= MAX_SLUG and _PLAIN_SLUG.fullmatch(text):
        return text  # already a slug (file names usually are): skip the costly path
    slug = _slugify(
        _SURROGATES.sub("", text), max_length=MAX_SLUG, word_boundary=True, save_order=True
    )
    if slug:
        return slug
    return "n-" + name_digest(text)[:8]


def unique_slugs(names: list[str]) -> dict[str, str]:
    """Give every distinct name its own slug, deterministically.

    Names that slugify alike ("José López", "Jose Lopez") are sorted; the first keeps the
    plain slug and the others get a short suffix derived from the name itself, so a
    name's URL does not depend on the order files were read.
    """
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(slugify(name), []).append(name)
    result: dict[str, str] = {}
    taken = set(groups)
    for base, group in sorted(groups.items()):
        group.sort()
        result[group[0]] = base
        for name in group[1:]:
            digest = name_digest(name)
            n = 6
            slug = f"{base}-{digest[:n]}"
            while slug in taken:
                n += 1
                slug = f"{base}-{digest[:n]}"
            taken.add(slug)
            result[name] = slug
    return result


def content_file(day: dt.date | None, title: str) -> str:
    """Where a new article's file goes under content/: <yyyy>/<mm>/<slug>.md, or undated/
    (the import and `sitegen new` both file articles this way)."""
    folder = f"{day.year:04d}/{day.month:02d}" if day else "undated"
    return f"{folder}/{slugify(title)}.md"


def article_slug(article: Article) -> str:
    """Front matter slug, else the file name (stable when a title is corrected)."""
    if article.slug:
        return slugify(article.slug)
    stem = article.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if stem in ("index", "_index"):
        parts = article.path.split("/")
        stem = parts[-2] if len(parts) > 1 else article.title
    return slugify(stem)


def article_path(article: Article) -> str:
    if article.date is None:
        return f"undated/{article.slug}/"
    return f"{article.date.year:04d}/{article.date.month:02d}/{article.slug}/"


def paged(path: str, page: int) -> str:
    """Page 1 is the path itself; later pages are path + 'page/N/'."""
    return path if page <= 1 else f"{path}page/{page}/"


def term_index_path(section: str) -> str:
    return f"{section}/"


def term_path(term: Term, page: int = 1) -> str:
    return paged(f"{term.section}/{term.slug}/", page)


def term_feed_path(term: Term) -> str:
    return f"{term.section}/{term.slug}/feed.xml"


def term_rss_path(term: Term) -> str:
    return f"{term.section}/{term.slug}/rss.xml"


def year_path(year: int) -> str:
    return f"{year:04d}/"


def month_path(year: int, month: int) -> str:
    return f"{year:04d}/{month:02d}/"


def output_file(path: str) -> str:
    """A site path -> the file that serves it ("a/b/" -> "a/b/index.html")."""
    return path + "index.html" if path == "" or path.endswith("/") else path
