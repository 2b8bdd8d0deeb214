"""The list of pages a site is made of, as plain specs: a path, a template and a context.

Nothing is rendered or written here. Pages come out as a generator so a large archive
streams through the renderer instead of being held in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sitegen.build.catalog import Catalog, co_terms, related_articles
from sitegen.config import Config
from sitegen.model import TAXONOMIES, Article, Term
from sitegen.urls import (
    month_path,
    paged,
    term_feed_path,
    term_index_path,
    term_path,
    year_path,
)

TAXONOMY_LABELS = {
    "people": ("Person", "People"),
    "topics": ("Topic", "Topics"),
    "source": ("Source", "Sources"),
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


def term_context(catalog: Catalog, term: Term) -> dict[str, Any]:
    dated = [a for a in term.articles if a.date is not None]
    return {
        "term": term,
        "kind": TAXONOMY_LABELS[term.taxonomy][0],
        "kind_plural": TAXONOMY_LABELS[term.taxonomy][1],
        "co_people": co_terms(term, "people"),
        "co_topics": co_terms(term, "topics"),
        "co_sources": co_terms(term, "source"),
        "first": dated[-1] if dated else None,
        "last": dated[0] if dated else None,
        "timeline": timeline(term.articles),
        "feed_path": term_feed_path(term) if term.taxonomy != "source" else None,
    }


def site_pages(config: Config, catalog: Catalog) -> Iterator[Page]:
    """Every HTML page of the site, in a fixed order."""
    for pager in paginate("", catalog.articles, config.page_size):
        yield Page(pager.path_of(pager.number), "home.html", {"pager": pager})

    for article in catalog.articles:
        yield Page(
            catalog.url_of(article),
            "article.html",
            {"article": article, "related": related_articles(catalog, article)},
            article=article,
        )

    for taxonomy, section in TAXONOMIES.items():
        terms = list(catalog.terms[taxonomy].values())
        yield Page(
            term_index_path(section),
            "terms.html",
            {
                "taxonomy": taxonomy,
                "kind": TAXONOMY_LABELS[taxonomy][0],
                "kind_plural": TAXONOMY_LABELS[taxonomy][1],
                "groups": letter_groups(terms),
                "count": len(terms),
            },
        )
        for term in terms:
            context = term_context(catalog, term)
            for pager in paginate(term_path(term), term.articles, config.term_page_size):
                yield Page(pager.path_of(pager.number), "term.html", {**context, "pager": pager})

    years = catalog.years()
    undated = catalog.undated()
    yield Page("archive/", "archive_index.html", {"years": years, "undated": undated})
    for year, months in years.items():
        yield Page(
            year_path(year),
            "archive.html",
            {
                "year": year,
                "month": None,
                "months": months,
                "articles": [a for arts in months.values() for a in arts],
            },
        )
        for month, articles in months.items():
            yield Page(
                month_path(year, month),
                "archive.html",
                {
                    "year": year,
                    "month": month,
                    "months": None,
                    "articles": articles,
                },
            )
    if undated:
        yield Page(
            "undated/",
            "archive.html",
            {
                "year": None,
                "month": None,
                "months": None,
                "articles": undated,
            },
        )
    yield Page("search/", "search.html", {})  # search (issue 5): the static search page
    yield Page("404.html", "404.html", {})


def letter_groups(terms: list[Term]) -> list[tuple[str, list[Term]]]:
    """Terms under their initial letter (A-Z, then '#' for everything else)."""
    from unidecode import unidecode

    groups: dict[str, list[Term]] = {}
    for term in terms:
        initial = unidecode(term.name)[:1].upper()
        groups.setdefault(initial if "A" <= initial <= "Z" else "#", []).append(term)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "#", kv[0]))


def feed_specs(catalog: Catalog, size: int) -> Iterator[tuple[str, str, str, list[Article]]]:
    """(path, title, page path, entries) for the site feed and each person and topic feed."""
    yield "feed.xml", "", "", catalog.articles[:size]
    for taxonomy in ("people", "topics"):
        for term in catalog.terms[taxonomy].values():
            yield term_feed_path(term), term.name, term_path(term), term.articles[:size]
