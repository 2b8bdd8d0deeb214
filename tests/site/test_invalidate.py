"""What an edit touches (sitegen/site/invalidate.py), on hand-made states: the plan digest
moves with what every page depends on, and an edit dirties exactly its families."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import jinja2
import pytest

from sitegen.config import Config
from sitegen.entities.aliases import canonicalize_archive
from sitegen.model import TAXONOMIES, Article
from sitegen.site.catalog import build_catalog
from sitegen.site.invalidate import plan_digest, touched_families
from sitegen.site.people import PeopleNames
from sitegen.site.signatures import TemplateDigests
from sitegen.site.state import BuildState, CachedFile, strip_body

TEMPLATES = {"base.html": "<html>{% block b %}{% endblock %}</html>", "home.html": "home"}


def template_digests(**sources: str) -> TemplateDigests:
    env = jinja2.Environment(loader=jinja2.DictLoader({**TEMPLATES, **sources}))
    return TemplateDigests(env)


def article(path: str, **fields) -> Article:
    defaults = {
        "title": path,
        "body": "",
        "date": dt.datetime(2024, 3, 1),
        "people": ["Ann Lee"],
        "topics": ["Strike"],
        "source": "Ledger",
    }
    return Article(path=path, **{**defaults, **fields})


def test_the_plan_digest_moves_with_settings_templates_people_and_slugs():
    config = Config(root=Path("/site"))
    catalog = build_catalog([article("a.md")])
    digest = plan_digest(config, catalog, template_digests(), "people-1")
    assert plan_digest(config, catalog, template_digests(), "people-1") == digest
    assert plan_digest(
        Config(root=Path("/elsewhere")), catalog, template_digests(), "people-1"
    ) == (digest)  # where the site is is not what its pages show
    assert (
        plan_digest(dataclasses.replace(config, title="T"), catalog, template_digests(), "people-1")
        != digest
    )
    assert (
        plan_digest(config, catalog, template_digests(**{"home.html": "new"}), "people-1") != digest
    )
    assert plan_digest(config, catalog, template_digests(**{"x.html": "x"}), "people-1") != digest
    assert plan_digest(config, catalog, template_digests(), "people-2") != digest
    renamed = build_catalog([article("a.md", topics=["Strikes"])])
    assert plan_digest(config, renamed, template_digests(), "people-1") != digest


def cached(a: Article | None) -> CachedFile | None:
    return None if a is None else CachedFile(1, 1, strip_body(a), None)


def touched(before: list[Article], after: list[Article], changed: list[str], related=None):
    """touched_families for `before` -> `after`; one people mapping over both, as when
    the plan digest holds, and the catalog made of `after` under canonical names."""
    previous = BuildState(
        files={a.path: cached(a) for a in before},  # type: ignore[misc]
        related=related or {},
    )
    files = {a.path: cached(a) for a in after}
    archive = canonicalize_archive([a.people for a in [*before, *after]])
    people = PeopleNames(archive, "mapping")
    catalog = build_catalog([dataclasses.replace(people.canonical(a)) for a in after])
    keys, kept, moved, changed_set = touched_families(previous, files, catalog, changed, people)  # type: ignore[arg-type]
    return set(keys), kept, moved, changed_set


BASE = {("home",), ("feed",), ("search",)}
A_FAMILIES = {
    ("year", 2024),
    ("month", 2024, 3),
    ("term", "people", "Ann Lee"),
    ("term-feed", "people", "Ann Lee"),
    ("term", "topics", "Strike"),
    ("term-feed", "topics", "Strike"),
    ("term", "source", "Ledger"),  # sources have no feed of their own
}
INDEXES = {("archive",), *(("terms", t) for t in TAXONOMIES)}


def test_an_edit_in_place_dirties_its_page_terms_and_month_only():
    a, b = article("a.md"), article("b.md", people=["Bo Chen"], topics=[], source=None)
    keys, kept, moved, changed = touched([a, b], [dataclasses.replace(a, title="New"), b], ["a.md"])
    assert keys == BASE | A_FAMILIES | {("article", "a.md")}
    assert not moved and changed == {"a.md"}
    assert not keys & INDEXES  # counts did not change


def test_nothing_changed_touches_only_the_home_feed_and_search():
    a = article("a.md")
    keys, kept, moved, changed = touched([a], [a], [], related={"a.md": []})
    assert keys == BASE and not moved and changed == set()
    assert kept == {"a.md": []}


def test_a_date_change_moves_the_article_and_dirties_both_months_and_the_indexes():
    a, b = article("a.md"), article("b.md", date=dt.datetime(2023, 7, 9))
    moved_a = dataclasses.replace(a, date=dt.datetime(2022, 11, 5))
    keys, kept, moved, changed = touched([a, b], [moved_a, b], ["a.md"])
    assert moved
    assert {("year", 2024), ("month", 2024, 3), ("year", 2022), ("month", 2022, 11)} <= keys
    assert keys >= INDEXES
    assert ("year", 2023) not in keys  # b's month shows nothing new
    # b shares a.md's terms: its related list can move with a.md's place in them
    assert {("article", "a.md"), ("article", "b.md")} <= keys


def test_an_article_made_undated_dirties_the_undated_list():
    a = article("a.md")
    keys, _, moved, _ = touched([a], [dataclasses.replace(a, date=None)], ["a.md"])
    assert moved and {("undated",), ("month", 2024, 3)} <= keys


def test_a_deleted_article_dirties_what_it_was_on():
    a, b = article("a.md"), article("b.md", people=["Bo Chen"], topics=[], source=None)
    keys, kept, moved, changed = touched([a, b], [b], ["a.md"], related={"b.md": ["a.md"]})
    assert moved and keys >= A_FAMILIES | INDEXES
    assert ("article", "b.md") in keys and "b.md" not in kept  # it listed a.md


def test_related_lists_that_do_not_name_the_edit_are_kept():
    a, c = article("a.md"), article("c.md", people=["Cy"], topics=["Budget"], source="Courier")
    d = article("d.md", people=["Cy"], topics=["Budget"], source="Courier")
    related = {"a.md": [], "c.md": ["d.md"], "d.md": ["c.md"]}
    keys, kept, _, _ = touched(
        [a, c, d], [dataclasses.replace(a, title="New"), c, d], ["a.md"], related
    )
    assert kept == {"c.md": ["d.md"], "d.md": ["c.md"]}
    assert ("article", "c.md") not in keys and ("article", "a.md") in keys


@pytest.mark.parametrize(
    ("was", "now"), [("Yuri Ushakov", "Yury Ushakov"), ("Yury Ushakov", "Yuri Ushakov")]
)
def test_people_are_compared_under_their_canonical_names(was: str, now: str):
    """A respelling the mapping turns into the same name changes no person's page."""
    a = article("a.md", people=[was])
    b = article("b.md", people=["Yuri Ushakov"], date=dt.datetime(2024, 2, 1))
    c = article("c.md", people=["Yuri Ushakov"], date=dt.datetime(2024, 1, 1))
    keys, _, moved, _ = touched([a, b, c], [dataclasses.replace(a, people=[now]), b, c], ["a.md"])
    people_terms = {k for k in keys if k[:2] == ("term", "people")}
    assert people_terms == {("term", "people", "Yuri Ushakov")} and not moved
