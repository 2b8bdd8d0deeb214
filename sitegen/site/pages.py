"""The list of pages a site is made of, as plain specs: a path, a template and a context.

Nothing is rendered or written here. Pages come out as a generator so a large archive
streams through the renderer instead of being held in memory at once. Not here: page
signatures (signatures.py, plan.py), templates (render.py).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sitegen.config import Config
from sitegen.model import TAXONOMIES, Article, Term
from sitegen.site.catalog import Catalog, co_terms, sort_name
from sitegen.site.standalone import page_path
from sitegen.urls import (
    month_path,
    paged,
    term_feed_path,
    term_index_path,
    term_path,
    term_rss_path,
    year_path,
)

TAXONOMY_LABELS = {
    "people": ("Person", "People"),
    "topics": ("Topic", "Topics"),
    "source": ("Source", "Sources"),
    "authors": ("Author", "Authors"),
}


@dataclass
class Page:
    path: str  # site path, "" for the home page
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    article: Article | None = None  # set for article pages: the body is rendered late


@dataclass
class Pagination:
    number: int
    total: int
    base: str
    items: list[Article]

    @property
    def prev_path(self) -> str | None:
        return paged(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next_path(self) -> str | None:
        return paged(self.base, self.number + 1) if self.number < self.total else None

    def path_of(self, number: int) -> str:
        return paged(self.base, number)


def paginate(base: str, articles: list[Article], size: int) -> Iterator[Pagination]:
    total = max(1, -(-len(articles) // size))
    for number in range(1, total + 1):
        yield Pagination(number, total, base, articles[(number - 1) * size : number * size])


def timeline(articles: list[Article]) -> list[dict[str, Any]]:
    """Articles per month from the first to the last month, empty months included."""
    months: dict[tuple[int, int], int] = {}
    for article in articles:
        if article.date is not None:
            key = (article.date.year, article.date.month)
            months[key] = months.get(key, 0) + 1
    if not months:
        return []
    (y, m), last = min(months), max(months)
    out = []
    while (y, m) <= last:
        out.append({"year": y, "month": m, "count": months.get((y, m), 0)})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def term_facts(term: Term) -> dict[str, Any]:
    """What a term's page says about all its articles: counts alongside, the timeline."""
    return {
        "co_people": co_terms(term, "people"),
        "co_topics": co_terms(term, "topics"),
        "co_sources": co_terms(term, "source"),
        "timeline": timeline(term.articles),
    }


def term_context(
    catalog: Catalog, term: Term, facts: dict[str, Any] | None = None
) -> dict[str, Any]:
    # newest first, undated last: the dated ones are a prefix of the list
    last = term.articles[0] if term.articles and term.articles[0].date is not None else None
    first = next((a for a in reversed(term.articles) if a.date is not None), None)
    return {
        "term": term,
        "kind": TAXONOMY_LABELS[term.taxonomy][0],
        "kind_plural": TAXONOMY_LABELS[term.taxonomy][1],
        **(facts if facts is not None else term_facts(term)),
        "first": first,
        "last": last,
        "feed_path": term_feed_path(term) if term.taxonomy != "source" else None,
        "rss_path": term_rss_path(term) if term.taxonomy != "source" else None,
    }


def top_terms(catalog: Catalog, taxonomy: str, limit: int = 12) -> list[tuple[str, int]]:
    """The most named terms of a taxonomy with their article counts."""
    return catalog.top_terms(taxonomy, limit)


#: A family is a group of pages made together from one part of the catalog: the home
#: pages, one article, one term's pages, one month... Keys look like ("article", path).
FamilyKey = tuple


def family_keys(catalog: Catalog) -> list[FamilyKey]:
    """Every page family of the site, in a fixed order."""
    keys: list[FamilyKey] = [("home",)]
    keys += [("article", a.path) for a in catalog.articles]
    for taxonomy in TAXONOMIES:
        keys.append(("terms", taxonomy))
        keys += [("term", taxonomy, name) for name in catalog.terms[taxonomy]]
    keys.append(("archive",))
    for year, months in catalog.years().items():
        keys.append(("year", year))
        keys += [("month", year, month) for month in months]
    if catalog.undated():
        keys.append(("undated",))
    keys += [("page", path) for path in catalog.pages]
    keys.append(("search",))
    keys.append(("404",))
    return keys


def family_pages(
    config: Config,
    catalog: Catalog,
    key: FamilyKey,
    related: Callable[[Article], list[Article]],
    facts: Callable[[Term, Callable[[Term], dict[str, Any]]], dict[str, Any]] | None = None,
    search_meta: str = "",
) -> list[Page]:
    """The pages of one family; an empty list when the family no longer exists."""
    kind = key[0]
    if kind == "home":
        browse = {
            "top_people": top_terms(catalog, "people"),
            "top_topics": top_terms(catalog, "topics"),
            "top_sources": top_terms(catalog, "source"),
        }
        return [
            Page(
                pager.path_of(pager.number),
                "home.html",
                {"pager": pager, **(browse if pager.number == 1 else {})},
            )
            for pager in paginate("", catalog.articles, config.page_size)
        ]
    if kind == "article":
        article = catalog.by_path.get(key[1])
        if article is None:
            return []
        return [
            Page(
                catalog.url_of(article),
                "article.html",
                {"article": article, "related": related(article)},
                article=article,
            )
        ]
    if kind == "page":
        page = catalog.pages.get(key[1])
        if page is None:
            return []
        return [Page(page_path(page), "page.html", {"article": page}, article=page)]
    if kind == "terms":
        taxonomy = key[1]
        terms = list(catalog.terms[taxonomy].values())
        return [
            Page(
                term_index_path(TAXONOMIES[taxonomy]),
                "terms.html",
                {
                    "taxonomy": taxonomy,
                    "kind": TAXONOMY_LABELS[taxonomy][0],
                    "kind_plural": TAXONOMY_LABELS[taxonomy][1],
                    "groups": letter_groups(terms, people=taxonomy == "people"),
                    "count": len(terms),
                },
            )
        ]
    if kind == "term":
        term = catalog.terms[key[1]].get(key[2])
        if term is None:
            return []
        context = term_context(catalog, term, facts(term, term_facts) if facts else None)
        later = {**context, "timeline": []}  # the chart is drawn on a term's first page only
        return [
            Page(
                pager.path_of(pager.number),
                "term.html",
                {**(context if pager.number == 1 else later), "pager": pager},
            )
            for pager in paginate(term_path(term), term.articles, config.term_page_size)
        ]
    if kind == "archive":
        years = catalog.years()
        return [
            Page(
                "archive/",
                "archive_index.html",
                {
                    "years": [
                        (year, [(month, len(arts)) for month, arts in months.items()])
                        for year, months in years.items()
                    ],
                    "undated_count": len(catalog.undated()),
                },
            )
        ]
    if kind == "year":
        months = catalog.years().get(key[1])
        if not months:
            return []
        return [
            Page(
                year_path(key[1]),
                "archive.html",
                {
                    "year": key[1],
                    "month": None,
                    "months": [(month, len(arts)) for month, arts in months.items()],
                    "articles": [a for arts in months.values() for a in arts],
                },
            )
        ]
    if kind == "month":
        articles = catalog.years().get(key[1], {}).get(key[2])
        if not articles:
            return []
        return [
            Page(
                month_path(key[1], key[2]),
                "archive.html",
                {"year": key[1], "month": key[2], "months": None, "articles": articles},
            )
        ]
    if kind == "undated":
        undated = catalog.undated()
        if not undated:
            return []
        return [
            Page(
                "undated/",
                "archive.html",
                {"year": None, "month": None, "months": None, "articles": undated},
            )
        ]
    if kind == "search":
        # the static search page; its script finds the index through this meta file path
        return [Page("search/", "search.html", {"search_meta": search_meta})]
    if kind == "404":
        return [Page("404.html", "404.html", {})]
    raise ValueError(f"unknown page family {key!r}")


#: Generational suffixes ("Jr.", "III") follow the surname; they do not replace it.
NAME_SUFFIXES = frozenset(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"])


@functools.lru_cache(maxsize=65536)
def surname_key(name: str) -> tuple[str, str]:
    """A person's A-Z key, surname first: "Robert Mueller" sorts as "mueller, robert".

    The surname is the last word (before a "Jr." or "III"); particles before it stay
    with the given names, so "Ludwig van Beethoven" sorts as "beethoven, ludwig van" and
    "Charles de Gaulle" under G. A single name, or one written "Surname, Given", sorts as
    written. Case and accents are ignored, as in sort_name; the exact text breaks ties.
    """
    words = name.split()
    if "," in name or len(words) < 2:
        return sort_name(name)
    end = len(words)
    while end > 1 and words[end - 1].casefold() in NAME_SUFFIXES:
        end -= 1
    if end == 1:  # "Jr. Jr."? nothing but suffixes: as written
        return sort_name(name)
    inverted = f"{words[end - 1]}, {' '.join(words[: end - 1] + words[end:])}"
    return (sort_name(inverted)[0], name)


def letter_groups(terms: list[Term], people: bool = False) -> list[tuple[str, list[Term]]]:
    """Terms under their initial letter (A-Z, then '#' for everything else); people by
    surname (catalog.surname_key), under its initial, the name shown as written."""
    if people:
        terms = sorted(terms, key=lambda term: surname_key(term.name))
    groups: dict[str, list[Term]] = {}
    for term in terms:
        key = surname_key(term.name)[0] if people else term.name
        groups.setdefault(_letter(key), []).append(term)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "#", kv[0]))


@functools.lru_cache(maxsize=65536)
def _letter(name: str) -> str:
    from unidecode import unidecode

    initial = unidecode(name)[:1].upper()
    return initial if "A" <= initial <= "Z" else "#"


def dated_entries(articles: list[Article], size: int) -> list[Article]:
    """A feed's entries: the newest dated articles. Undated ones stay out of feeds."""
    return list(itertools.islice((a for a in articles if a.date is not None), size))
