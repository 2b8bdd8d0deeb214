"""The whole site cross-referenced: terms with their articles, related articles, archives.

Pure: takes Articles, returns a Catalog. Costs stay near linear in the archive size; a
term's page is built from its own article list, never by scanning every article.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import Counter
from dataclasses import dataclass, field

from sitegen.model import TAXONOMIES, Article, Problem, Term
from sitegen.urls import article_path, article_slug, unique_slugs

#: How much one shared term counts toward "related": people say most about a story.
RELATED_WEIGHTS = {"people": 2.0, "topics": 1.0, "source": 0.25}
RELATED_COUNT = 5
#: Candidates taken per shared term, nearest in date, so popular names stay cheap.
RELATED_WINDOW = 40


@dataclass
class Catalog:
    articles: list[Article]  # newest first, undated last
    terms: dict[str, dict[str, Term]]  # taxonomy -> name -> Term
    urls: dict[int, str] = field(default_factory=dict)  # id(article) -> site path
    problems: list[Problem] = field(default_factory=list)

    def url_of(self, article: Article) -> str:
        return self.urls[id(article)]

    def term(self, taxonomy: str, name: str) -> Term:
        return self.terms[taxonomy][name]

    def years(self) -> dict[int, dict[int, list[Article]]]:
        """year -> month -> articles (newest first); years and months descending."""
        tree: dict[int, dict[int, list[Article]]] = {}
        for article in self.articles:
            if article.date is not None:
                tree.setdefault(article.date.year, {}).setdefault(article.date.month, []).append(
                    article
                )
        return {
            y: dict(sorted(m.items(), reverse=True)) for y, m in sorted(tree.items(), reverse=True)
        }

    def undated(self) -> list[Article]:
        return [a for a in self.articles if a.date is None]


def build_catalog(articles: list[Article]) -> Catalog:
    """Sort articles, assign slugs and URLs, group them by term; report URL clashes."""
    ordered = sorted(articles, key=lambda a: a.sort_key)
    problems: list[Problem] = []
    urls: dict[int, str] = {}
    owner: dict[str, Article] = {}
    kept: list[Article] = []
    for article in ordered:
        article.slug = article_slug(article)
        path = article_path(article)
        first = owner.get(path)
        if first is not None:
            problems.append(
                Problem(
                    article.path,
                    f"would write the same page /{path} as "
                    f"{first.path}; give one of them another "
                    f"'slug' in its front matter",
                )
            )
            continue
        owner[path] = article
        urls[id(article)] = path
        kept.append(article)

    terms: dict[str, dict[str, Term]] = {}
    for taxonomy in TAXONOMIES:
        names: dict[str, list[Article]] = {}
        for article in kept:
            for name in article.terms(taxonomy):
                names.setdefault(name, []).append(article)
        slugs = unique_slugs(list(names))
        terms[taxonomy] = {
            name: Term(taxonomy, name, slugs[name], arts)
            for name, arts in sorted(names.items(), key=lambda kv: sort_name(kv[0]))
        }
    return Catalog(kept, terms, urls, problems)


def sort_name(name: str) -> tuple[str, str]:
    """A-Z order that ignores case and accents, then exact text for ties."""
    from unidecode import unidecode

    return (unidecode(name).casefold(), name)


def co_terms(term: Term, taxonomy: str, limit: int = 10) -> list[tuple[str, int]]:
    """The names of `taxonomy` most often found alongside `term`, with counts."""
    counts: Counter[str] = Counter()
    for article in term.articles:
        for name in article.terms(taxonomy):
            if not (taxonomy == term.taxonomy and name == term.name):
                counts[name] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], sort_name(kv[0])))[:limit]


def related_articles(
    catalog: Catalog, article: Article, count: int = RELATED_COUNT
) -> list[Article]:
    """Articles sharing the most (rare) people and topics, nearest in time first on ties.

    Each shared term adds its weight times a rarity factor; per term only the articles
    nearest in date are looked at, which keeps names like a president's cheap.
    """
    index_of = _position_index(catalog)
    me = index_of[id(article)]
    scores: dict[int, float] = {}
    for taxonomy, weight in RELATED_WEIGHTS.items():
        for name in article.terms(taxonomy):
            term = catalog.terms[taxonomy].get(name)
            if term is None or len(term.articles) < 2:
                continue
            # Rarer shared terms say more. Only the term's own count is used (not the archive
            # size), so an article's related list depends on its terms' postings alone.
            idf = 1.0 / math.log(2 + len(term.articles))
            positions = _term_positions(catalog, term, index_of)
            at = bisect.bisect_left(positions, me)
            lo, hi = max(0, at - RELATED_WINDOW // 2), min(len(positions), at + RELATED_WINDOW // 2)
            for pos in positions[lo:hi]:
                if pos != me:
                    scores[pos] = scores.get(pos, 0.0) + weight * idf
    best = heapq.nsmallest(
        count, scores.items(), key=lambda kv: (-round(kv[1], 9), abs(kv[0] - me), kv[0])
    )
    return [catalog.articles[pos] for pos, _ in best]


def _position_index(catalog: Catalog) -> dict[int, int]:
    cached = getattr(catalog, "_positions", None)
    if cached is None:
        cached = {id(a): i for i, a in enumerate(catalog.articles)}
        catalog._positions = cached  # type: ignore[attr-defined]
    return cached


def _term_positions(catalog: Catalog, term: Term, index_of: dict[int, int]) -> list[int]:
    cache: dict[tuple[str, str], list[int]] = catalog.__dict__.setdefault("_term_pos", {})
    key = (term.taxonomy, term.name)
    if key not in cache:
        cache[key] = sorted(index_of[id(a)] for a in term.articles)
    return cache[key]
