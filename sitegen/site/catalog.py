"""The whole site cross-referenced: terms with their articles, related articles, archives.

Pure: takes Articles, returns a Catalog. Costs stay near linear in the archive size; a
term's page is built from its own article list, never by scanning every article.
update_catalog makes the next catalog from the last one when a few articles changed, in
time proportional to the lists they are in (what `sitegen serve` needs on every save).
Not here: people's canonical names (people.py), pages (pages.py).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
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
    #: articles left out only for their date (--no-future): see site/visibility.py
    held_for_date: tuple[str, ...] = ()
    #: content path -> standalone page (standalone.py), in no list
    pages: dict[str, Article] = field(default_factory=dict)

    @property
    def by_path(self) -> dict[str, Article]:
        cached = self.__dict__.get("_by_path")
        if cached is None:
            cached = self.__dict__["_by_path"] = {a.path: a for a in self.articles}
        return cached

    def url_of(self, article: Article) -> str:
        return self.urls[id(article)]

    def __getstate__(self) -> dict:
        """For a cluster's workers: `urls` is keyed by the articles' ids, which a copy
        does not keep, so it travels as (article, path) pairs; the caches stay behind."""
        state = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        objects = {id(a): a for a in self.articles}
        objects.update((id(a), a) for a in self.pages.values())
        state["urls"] = [(objects[key], path) for key, path in self.urls.items() if key in objects]
        return state

    def __setstate__(self, state: dict) -> None:
        state["urls"] = {id(article): path for article, path in state["urls"]}
        self.__dict__.update(state)

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
        cached = self.__dict__.get("_undated")
        if cached is None:
            cached = self.__dict__["_undated"] = [a for a in self.articles if a.date is None]
        return cached

    def top_terms(self, taxonomy: str, limit: int = 12) -> list[tuple[str, int]]:
        """The most named terms of a taxonomy with their article counts."""
        cache = self.__dict__.setdefault("_top_terms", {})
        found = cache.get((taxonomy, limit))
        if found is None:
            ranked = heapq.nsmallest(
                limit, self.terms[taxonomy].values(), key=lambda t: (-len(t.articles), t.name)
            )
            found = cache[(taxonomy, limit)] = [(t.name, len(t.articles)) for t in ranked]
        return found

    def slug_table(self) -> str:
        """Every term with its slug, as one string: part of the plan digest."""
        cached = self.__dict__.get("_slug_table")
        if cached is None:
            cached = self.__dict__["_slug_table"] = "\x1e".join(
                f"{taxonomy}\x1f{name}\x1f{term.slug}"
                for taxonomy, terms in self.terms.items()
                for name, term in terms.items()
            )
        return cached

    def owners(self) -> dict[str, Article]:
        """site path -> the article written there."""
        cached = self.__dict__.get("_owners")
        if cached is None:
            cached = self.__dict__["_owners"] = {self.urls[id(a)]: a for a in self.articles}
        return cached


def build_catalog(articles: list[Article]) -> Catalog:
    """Sort articles, assign slugs and URLs, group them by term; report URL clashes."""
    ordered = sorted(map(with_slug, articles), key=lambda a: a.sort_key)
    problems: list[Problem] = []
    urls: dict[int, str] = {}
    owner: dict[str, Article] = {}
    kept: list[Article] = []
    for article in ordered:
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


def with_slug(article: Article) -> Article:
    """The article, or a copy with its slug when it has none (load.py gives every
    article read from content/ its slug: the catalog never changes an article)."""
    return article if article.slug else dataclasses.replace(article, slug=article_slug(article))


@functools.lru_cache(maxsize=65536)
def sort_name(name: str) -> tuple[str, str]:
    """A-Z order that ignores case and accents, then exact text for ties."""
    from unidecode import unidecode

    return (unidecode(name).casefold(), name)


def update_catalog(
    previous: Catalog, removed: list[Article], added: list[Article]
) -> Catalog | None:
    """What build_catalog would return for previous's articles less `removed` plus `added`.

    Touches only the lists the changed articles are in (the article list, their terms'
    lists, their months), so an edit costs the same in a small archive as in a big one.
    `removed` must be articles of `previous`; the previous catalog is left as it was.
    None when a full build_catalog is the simpler answer: URL clashes, before or after.
    """
    if previous.problems:
        return None
    added = [with_slug(a) for a in added]
    urls = dict(previous.urls)
    owners = dict(previous.owners())
    by_path = dict(previous.by_path)
    for article in removed:
        if by_path.get(article.path) is not article:
            return None
        del by_path[article.path]
        del owners[urls.pop(id(article))]
    for article in added:
        if article.path in by_path:
            return None
        path = article_path(article)
        if path in owners:
            return None  # a clash: build_catalog reports it
        owners[path] = article
        urls[id(article)] = path
        by_path[article.path] = article

    articles = _replaced(previous.articles, removed, added)
    terms = dict(previous.terms)
    touched: set[tuple[str, str]] = set()
    recounted: set[str] = set()  # taxonomies where a term's count changed
    renamed = False  # whether a name came or went (so slugs may have moved)
    for taxonomy in TAXONOMIES:
        gone, came = _by_name(removed, taxonomy), _by_name(added, taxonomy)
        if not gone and not came:
            continue
        table = dict(previous.terms[taxonomy])
        for name in sorted(gone.keys() | came.keys()):
            touched.add((taxonomy, name))
            old = table.get(name)
            listed = _replaced(old.articles if old else [], gone.get(name, []), came.get(name, []))
            if old is None or len(listed) != len(old.articles):
                recounted.add(taxonomy)
            if not listed:
                del table[name]
            elif old is None:
                table[name] = Term(taxonomy, name, "", listed)
            else:
                table[name] = Term(taxonomy, name, old.slug, listed, old.aliases)
        if table.keys() != previous.terms[taxonomy].keys():  # a name came or went: slugs, order
            renamed = True
            slugs = unique_slugs(list(table))
            table = {
                name: term
                if term.slug == slugs[name]
                else Term(taxonomy, name, slugs[name], term.articles, term.aliases)
                for name, term in sorted(table.items(), key=lambda kv: sort_name(kv[0]))
            }
        terms[taxonomy] = table

    catalog = Catalog(articles, terms, urls, [])
    catalog.__dict__["_by_path"] = by_path
    catalog.__dict__["_owners"] = owners
    catalog.__dict__["_years"] = _updated_years(previous.years(), removed, added)
    catalog.__dict__["_undated"] = _replaced(
        previous.undated(),
        [a for a in removed if a.date is None],
        [a for a in added if a.date is None],
    )
    for cache in ("_term_idx", "_term_keys"):
        kept = previous.__dict__.get(cache)
        if kept:
            catalog.__dict__[cache] = kept = dict(kept)
            for key in touched:
                kept.pop(key, None)
    tops = previous.__dict__.get("_top_terms")
    if tops:
        catalog.__dict__["_top_terms"] = {k: v for k, v in tops.items() if k[0] not in recounted}
    if not renamed and "_slug_table" in previous.__dict__:
        catalog.__dict__["_slug_table"] = previous.__dict__["_slug_table"]
    return catalog


def _by_sort_key(article: Article) -> tuple:
    return article.sort_key


def _by_name(articles: list[Article], taxonomy: str) -> dict[str, list[Article]]:
    named: dict[str, list[Article]] = {}
    for article in articles:
        for name in article.terms(taxonomy):
            named.setdefault(name, []).append(article)
    return named


def _replaced(
    ordered: list[Article], removed: list[Article], added: list[Article]
) -> list[Article]:
    """A copy of a sort_key-ordered list with some articles taken out and others put in."""
    result = list(ordered)
    for article in removed:
        at = bisect.bisect_left(result, article.sort_key, key=_by_sort_key)
        if at < len(result) and result[at] is article:
            del result[at]
        else:  # not where its key says (cannot happen for a well-formed list): search
            result.remove(article)
    for article in added:
        bisect.insort(result, article, key=_by_sort_key)
    return result


def _updated_years(
    years: dict[int, dict[int, list[Article]]], removed: list[Article], added: list[Article]
) -> dict[int, dict[int, list[Article]]]:
    """Catalog.years() after a change, copying only the months the changed articles are in."""
    tree = {year: dict(months) for year, months in years.items()}
    for article in removed:
        if article.date is not None:
            y, m = article.date.year, article.date.month
            tree[y][m] = _replaced(tree[y][m], [article], [])
    for article in added:
        if article.date is not None:
            y, m = article.date.year, article.date.month
            tree.setdefault(y, {})[m] = _replaced(tree.get(y, {}).get(m, []), [], [article])
    return {
        y: dict(sorted(((m, arts) for m, arts in months.items() if arts), reverse=True))
        for y, months in sorted(tree.items(), reverse=True)
        if any(months.values())
    }


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
    scores, candidates = related_candidates(catalog, article)
    stamps: dict[int, float] = catalog.__dict__.setdefault("_stamps", {})
    me = _timestamp(article, stamps)

    def rank(item: tuple[int, float]) -> tuple:
        other = candidates[item[0]]
        when = _timestamp(other, stamps)
        # (two undated articles are no distance apart: inf - inf would be NaN)
        return (-round(item[1], 9), abs(when - me) if when != me else 0.0, other.path)

    items = scores.items()
    if len(scores) > count:  # only those scoring about the count-th best or more can be
        cutoff = heapq.nlargest(count, scores.values())[-1] - 1e-6  # chosen (rank rounds)
        items = [item for item in items if item[1] >= cutoff]
    best = heapq.nsmallest(count, items, key=rank)
    return [candidates[key] for key, _ in best]


def related_candidates(
    catalog: Catalog, article: Article
) -> tuple[dict[int, float], dict[int, Article]]:
    """The articles in the windows of `article`'s terms, by id: their shared weight (each
    shared term adds its taxonomy weight, less for common terms), and the articles."""
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
    return scores, candidates


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
