"""The whole site cross-referenced: terms with their articles, related articles, archives.

Pure: takes Articles, returns a Catalog. Costs stay near linear in the archive size; a
term's page is built from its own article list, never by scanning every article.
"""

from __future__ import annotations

import bisect
import heapq
from collections import Counter
from dataclasses import dataclass, field

from sitegen.model import TAXONOMIES, Article, Problem, Term
from sitegen.urls import article_path, article_slug, unique_slugs

#: How much one shared term counts toward "related": people say most about a story.
RELATED_WEIGHTS = {"people": 2.0, "topics": 1.0, "source": 0.25}
RELATED_COUNT = 5
#: Candidates taken per shared term, nearest in date, so popular names stay cheap.
RELATED_WINDOW = 20


@dataclass
class Catalog:
    articles: list[Article]  # newest first, undated last
    terms: dict[str, dict[str, Term]]  # taxonomy -> name -> Term
    urls: dict[int, str] = field(default_factory=dict)  # id(article) -> site path
    problems: list[Problem] = field(default_factory=list)

    @property
    def by_path(self) -> dict[str, Article]:
        cached = self.__dict__.get("_by_path")
        if cached is None:
            cached = self.__dict__["_by_path"] = {a.path: a for a in self.articles}
        return cached

    def url_of(self, article: Article) -> str:
        return self.urls[id(article)]

    def term(self, taxonomy: str, name: str) -> Term:
        return self.terms[taxonomy][name]

    def years(self) -> dict[int, dict[int, list[Article]]]:
        """year -> month -> articles (newest first); years and months descending."""
        cached = self.__dict__.get("_years")
        if cached is not None:
            return cached
        tree: dict[int, dict[int, list[Article]]] = {}
        for article in self.articles:
            if article.date is not None:
                tree.setdefault(article.date.year, {}).setdefault(article.date.month, []).append(
                    article
                )
        result = {
            y: dict(sorted(m.items(), reverse=True)) for y, m in sorted(tree.items(), reverse=True)
        }
        self.__dict__["_years"] = result
        return result

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


def rarity_class(count: int) -> int:
    """0 for terms in at most 10 articles, 1 up to 100, 2 up to 1,000, 3 beyond.

    Coarse on purpose: a term's weight only moves when its count crosses a power of ten,
    so one edit rarely changes the related lists of every article sharing a big name.
    """
    return 0 if count <= 10 else 1 if count <= 100 else 2 if count <= 1000 else 3


def related_articles(
    catalog: Catalog, article: Article, count: int = RELATED_COUNT
) -> list[Article]:
    """Articles sharing the most (rare) people and topics, nearest in time first on ties.

    For each of the article's terms, only its RELATED_WINDOW neighbours in that term's
    article list (ordered by date) are candidates; each shared term adds its taxonomy
    weight, less for common terms. The result depends only on the article's terms' own
    lists, which is what lets an incremental build know whose related list an edit moves.
    """
    scores: dict[int, float] = {}
    candidates: dict[int, Article] = {}
    for taxonomy, weight in RELATED_WEIGHTS.items():
        for name in article.terms(taxonomy):
            term = catalog.terms[taxonomy].get(name)
            if term is None or len(term.articles) < 2:
                continue
            gain = weight / (1 + rarity_class(len(term.articles)))
            for other in term_window(catalog, term, article):
                key = id(other)
                scores[key] = scores.get(key, 0.0) + gain
                candidates[key] = other
    stamps: dict[int, float] = catalog.__dict__.setdefault("_stamps", {})
    me = _timestamp(article, stamps)

    def rank(item: tuple[int, float]) -> tuple:
        other = candidates[item[0]]
        return (-round(item[1], 9), abs(_timestamp(other, stamps) - me), other.path)

    best = heapq.nsmallest(count, scores.items(), key=rank)
    return [candidates[key] for key, _ in best]


def term_window(catalog: Catalog, term: Term, article: Article, margin: int = 0) -> list[Article]:
    """The articles within RELATED_WINDOW/2 (+ margin) places of `article` in the term's
    list, itself excluded."""
    half = RELATED_WINDOW // 2 + margin
    at = term_index(catalog, term, article)
    lo, hi = max(0, at - half), min(len(term.articles), at + half + 1)
    return [a for a in term.articles[lo:hi] if a is not article]


def term_index(catalog: Catalog, term: Term, article: Article) -> int:
    """Where `article` is (or would be, by its sort key) in the term's date-ordered list."""
    cache: dict[tuple[str, str], dict[int, int]] = catalog.__dict__.setdefault("_term_idx", {})
    key = (term.taxonomy, term.name)
    positions = cache.get(key)
    if positions is None:
        positions = {id(a): i for i, a in enumerate(term.articles)}
        cache[key] = positions
    found = positions.get(id(article))
    if found is not None:
        return found
    sort_keys: dict[tuple[str, str], list[tuple]] = catalog.__dict__.setdefault("_term_keys", {})
    keys = sort_keys.get(key)
    if keys is None:
        keys = sort_keys[key] = [a.sort_key for a in term.articles]
    return bisect.bisect_left(keys, article.sort_key)


def _timestamp(article: Article, stamps: dict[int, float]) -> float:
    cached = stamps.get(id(article))
    if cached is None:
        key = article.sort_key
        cached = stamps[id(article)] = float("inf") if key[0] else -key[1]
    return cached
