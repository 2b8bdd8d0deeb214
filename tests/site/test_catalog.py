"""update_catalog must give exactly what build_catalog gives for the same articles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from sitegen.model import Article
from sitegen.site.catalog import (
    RELATED_COUNT,
    Catalog,
    build_catalog,
    related_articles,
    related_candidates,
    update_catalog,
    with_slug,
)

PEOPLE = [f"Person {c}" for c in "ABCDEFG"] + ["José López", "Jose Lopez"]
TOPICS = ["Elections", "Harbour", "Strike", "Budget"]
SOURCES = ["Ledger", "Courier", None]


def random_article(rng: random.Random, path: str) -> Article:
    undated = rng.random() < 0.1
    return with_slug(
        Article(
            path=path,
            title=f"Title {rng.random()}",
            body="",
            date=None if undated else dt.datetime(rng.choice([2021, 2022]), rng.randint(1, 3), 1),
            source=rng.choice(SOURCES),
            people=rng.sample(PEOPLE, rng.randint(0, 3)),
            topics=rng.sample(TOPICS, rng.randint(0, 2)),
        )
    )  # as load.py gives it: its slug final


def summary(catalog: Catalog) -> dict:
    """Everything of a catalog a page can depend on, by path rather than object."""
    return {
        "articles": [(a.path, a.slug, catalog.url_of(a)) for a in catalog.articles],
        "terms": {
            taxonomy: [
                (name, term.slug, [a.path for a in term.articles], term.aliases)
                for name, term in terms.items()
            ]
            for taxonomy, terms in catalog.terms.items()
        },
        "problems": [str(p) for p in catalog.problems],
        "years": [
            (y, [(m, [a.path for a in arts]) for m, arts in months.items()])
            for y, months in catalog.years().items()
        ],
        "undated": [a.path for a in catalog.undated()],
        "top": [catalog.top_terms(taxonomy, 3) for taxonomy in catalog.terms],
        "slug_table": catalog.slug_table(),
        "by_path": sorted(catalog.by_path),
        "owners": sorted((p, a.path) for p, a in catalog.owners().items()),
        "related": {
            a.path: [r.path for r in related_articles(catalog, a)] for a in catalog.articles
        },
    }


def test_updates_match_fresh_catalogs_over_random_changes():
    rng = random.Random(11)
    current = {f"a{i}.md": random_article(rng, f"a{i}.md") for i in range(80)}
    catalog = build_catalog(list(current.values()))
    summary(catalog)  # fill the lazy caches that an update carries over
    next_id = 80
    for _ in range(150):
        action = rng.choice(["title", "date", "people", "topics", "source", "add", "delete"])
        path = rng.choice(sorted(current))
        old = current[path]
        removed, added = [old], []
        if action == "title":
            added = [dataclasses.replace(old, title=f"Edited {rng.random()}")]
        elif action == "date":
            added = [dataclasses.replace(old, date=random_article(rng, path).date)]
        elif action == "people":
            added = [dataclasses.replace(old, people=rng.sample(PEOPLE, rng.randint(0, 3)))]
        elif action == "topics":
            topics = rng.sample(TOPICS + [f"New {next_id}"], rng.randint(0, 2))
            added = [dataclasses.replace(old, topics=topics)]
        elif action == "source":
            added = [dataclasses.replace(old, source=rng.choice(SOURCES + ["Only Once"]))]
        elif action == "add":
            path = f"a{next_id}.md"
            removed, added = [], [random_article(rng, path)]
        else:
            added = []
        next_id += 1
        for article in removed:
            del current[article.path]
        for article in added:
            current[article.path] = article
        updated = update_catalog(catalog, removed, added)
        assert updated is not None, action
        fresh = build_catalog(list(current.values()))
        assert summary(updated) == summary(fresh), action
        catalog = updated


def test_the_previous_catalog_is_left_as_it_was():
    rng = random.Random(5)
    articles = [random_article(rng, f"b{i}.md") for i in range(30)]
    catalog = build_catalog(articles)
    before = summary(catalog)
    edited = dataclasses.replace(articles[3], people=["Someone New"], date=None)
    assert update_catalog(catalog, [articles[3]], [edited]) is not None
    assert summary(catalog) == before


def test_url_clashes_fall_back_to_a_full_catalog():
    day = dt.datetime(2022, 1, 1)
    first = Article(path="x/story.md", title="One", body="", date=day)
    second = Article(path="y/story.md", title="Two", body="", date=day)
    catalog = build_catalog([first])
    assert update_catalog(catalog, [], [second]) is None  # same URL: build_catalog reports it
    clashing = build_catalog([first, second])
    assert clashing.problems
    assert update_catalog(clashing, [second], []) is None


def test_related_articles_are_the_best_ranked_of_all_candidates():
    """The shortlist by score must pick what ranking every candidate would: most shared
    weight, then nearest in time, then path (ties at the cut-off score included)."""
    rng = random.Random(5)
    articles = [random_article(rng, f"r{i:03d}.md") for i in range(300)]
    catalog = build_catalog(articles)
    checked = 0
    for article in catalog.articles:
        by_id, candidates = related_candidates(catalog, article)
        scores = {candidates[key].path: score for key, score in by_id.items()}
        by_path = {other.path: other for other in candidates.values()}

        def stamp(a: Article) -> float:
            return float("inf") if a.sort_key[0] else -a.sort_key[1]

        def distance(other: Article, article: Article = article) -> float:
            if other.date is None and article.date is None:
                return 0.0
            return abs(stamp(other) - stamp(article))

        ranked = sorted(scores, key=lambda p: (-round(scores[p], 9), distance(by_path[p]), p))
        expected = ranked[:RELATED_COUNT]
        assert [a.path for a in related_articles(catalog, article)] == expected
        checked += len(scores) > RELATED_COUNT
    assert checked > 100  # most articles have more candidates than places
