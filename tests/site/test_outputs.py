"""The site's outputs across builds (sitegen/site/outputs.py), on hand-made states: what
a plan replaces, what it writes, what it removes, which related lists it keeps."""

from __future__ import annotations

import datetime as dt

from sitegen.model import Article, Problem
from sitegen.site.catalog import build_catalog
from sitegen.site.outputs import (
    clash_problem,
    kept_related,
    outputs_to_write,
    replace_families,
    replace_site_files,
)
from sitegen.site.report import Output
from sitegen.site.state import BuildState
from tests.conftest import article_text
from tests.site.builds import Builds


def page(rel: str, sig: str) -> Output:
    return Output(rel, sig, make=lambda: "x", is_page=True)


def data(rel: str, sig: str) -> Output:
    return Output(rel, sig, make=lambda: "{}")


def previous_state() -> BuildState:
    return BuildState(
        outputs={
            "a/index.html": "1",
            "a/feed.xml": "f1",
            "b/index.html": "1",
            "style.css": "s",
            "sitemap.xml": "m",
            "search/x.json": "q",
        },
        families={
            ("article", "a"): ["a/index.html", "a/feed.xml"],
            ("article", "b"): ["b/index.html"],
            ("site-files",): ["style.css", "sitemap.xml"],
            ("search-files",): ["search/x.json"],
        },
        pages={"a/index.html", "b/index.html"},
        related={"a.md": ["b.md"], "b.md": ["a.md"], "c.md": ["a.md"]},
    )


def test_replace_families_puts_the_planned_outputs_in_place_of_the_old():
    previous = previous_state()
    planned = {("article", "a"): [page("a/index.html", "2")], ("article", "new"): []}
    outputs = replace_families(previous, planned, full=False)
    assert outputs.families[("article", "a")] == ["a/index.html"]
    assert outputs.families[("article", "b")] == ["b/index.html"]  # not planned: kept
    assert ("article", "new") not in outputs.families  # planned, with nothing in it
    assert outputs.signatures["a/index.html"] == "2" and "a/feed.xml" not in outputs.signatures
    assert outputs.signatures["b/index.html"] == "1"
    assert outputs.pages == {"a/index.html", "b/index.html"}
    assert sorted(outputs.dropped) == ["a/feed.xml", "a/index.html"]
    assert previous == previous_state()  # the previous state is read, never changed


def test_a_full_plan_keeps_nothing_from_before():
    planned = {("article", "a"): [page("a/index.html", "2"), data("a/feed.xml", "f1")]}
    outputs = replace_families(previous_state(), planned, full=True)
    assert outputs.families == {("article", "a"): ["a/index.html", "a/feed.xml"]}
    assert outputs.signatures == {"a/index.html": "2", "a/feed.xml": "f1"}
    assert outputs.pages == {"a/index.html"} and outputs.dropped == []


def test_site_files_are_replaced_and_the_search_export_too_unless_kept():
    theme = [data("style.css", "s2"), data("robots.txt", "r")]
    search = [Output("search/y.json", "search/y.json", copy_from="/cache/y.json", linkable=True)]

    outputs = replace_families(previous_state(), {}, full=False)
    written = replace_site_files(outputs, list(theme), search, kept_search=True)
    assert written == theme
    assert outputs.families[("site-files",)] == ["style.css", "robots.txt"]
    assert outputs.families[("search-files",)] == ["search/x.json"]  # as it was
    assert outputs.signatures["search/x.json"] == "q" and "search/y.json" not in outputs.signatures
    assert "sitemap.xml" not in outputs.signatures
    assert sorted(outputs.dropped) == ["sitemap.xml", "style.css"]

    outputs = replace_families(previous_state(), {}, full=False)
    written = replace_site_files(outputs, list(theme), search, kept_search=False)
    assert [o.rel for o in written] == ["search/y.json", "style.css", "robots.txt"]
    assert outputs.families[("search-files",)] == ["search/y.json"]
    assert outputs.families[("site-files",)] == ["style.css", "robots.txt"]
    assert outputs.signatures["search/y.json"] == "search/y.json"
    assert "search/x.json" not in outputs.signatures and "search/x.json" in outputs.dropped


def plan_and_write(planned, extra, *, cold: bool, full: bool, kept_search: bool = True):
    previous = previous_state()
    outputs = replace_families(previous, planned, full)
    extra = replace_site_files(outputs, extra, [], kept_search)
    return outputs, *outputs_to_write(outputs, planned, extra, previous, cold=cold, full=full)


def test_an_incremental_build_writes_changed_signatures_and_removes_dropped_outputs():
    planned = {("article", "a"): [page("a/index.html", "1"), data("a/feed.xml", "f2")]}
    extra = [data("style.css", "s"), data("sitemap.xml", "m2")]
    outputs, todo, stale = plan_and_write(planned, extra, cold=False, full=False)
    assert [o.rel for o in todo] == ["a/feed.xml", "sitemap.xml"]
    assert stale == []
    planned = {("article", "a"): [page("a/index.html", "1")], ("article", "b"): []}
    _, todo, stale = plan_and_write(planned, [data("style.css", "s")], cold=False, full=False)
    assert todo == []
    assert stale == ["a/feed.xml", "b/index.html", "sitemap.xml"]


def test_an_incremental_build_never_removes_an_output_it_did_not_replace():
    planned = {("article", "a"): [page("a/index.html", "1"), data("a/feed.xml", "f1")]}
    outputs, todo, stale = plan_and_write(planned, [], cold=False, full=False)
    assert stale == ["sitemap.xml", "style.css"]  # the site files were replaced by nothing
    assert "b/index.html" in outputs.signatures  # not planned, not touched


def test_a_full_build_removes_whatever_it_no_longer_produces():
    planned = {("article", "a"): [page("a/index.html", "1")]}
    outputs, todo, stale = plan_and_write(
        planned, [data("style.css", "s")], cold=False, full=True, kept_search=False
    )
    assert todo == []  # same signatures as the files on disk
    assert stale == ["a/feed.xml", "b/index.html", "search/x.json", "sitemap.xml"]


def test_a_cold_build_writes_everything_and_removes_nothing():
    planned = {("article", "a"): [page("a/index.html", "1")]}
    _, todo, stale = plan_and_write(
        planned, [data("style.css", "s")], cold=True, full=True, kept_search=False
    )
    assert [o.rel for o in todo] == ["a/index.html", "style.css"] and stale == []


def article(path: str, slug: str) -> Article:
    return Article(path=path, title=path, body="", date=dt.datetime(2024, 1, 1), slug=slug)


def test_kept_related_lays_the_planned_lists_over_the_previous():
    catalog = build_catalog([article("a.md", "a"), article("b.md", "b"), article("c.md", "c")])
    related = kept_related(previous_state(), {"a.md": ["c.md"]}, catalog, ["a.md"], False)
    assert related == {"a.md": ["c.md"], "b.md": ["a.md"], "c.md": ["a.md"]}
    assert kept_related(previous_state(), {"a.md": []}, catalog, ["a.md"], True) == {"a.md": []}


def test_kept_related_drops_a_changed_article_that_is_gone():
    catalog = build_catalog([article("a.md", "a"), article("c.md", "c")])
    related = kept_related(previous_state(), {}, catalog, ["b.md"], False)
    assert related == {"a.md": ["b.md"], "c.md": ["a.md"]}


def test_with_a_url_clash_any_article_the_catalog_hides_is_dropped():
    catalog = build_catalog([article("a.md", "same"), article("b.md", "same")])
    assert catalog.problems and "b.md" not in catalog.by_path
    related = kept_related(previous_state(), {}, catalog, [], False)
    assert related == {"a.md": ["b.md"]}  # c.md is not in the catalog either
    assert isinstance(catalog.problems[0], Problem)


# Two articles trading URLs (a.md takes b.md's old slug): every replaced family's old
# outputs are dropped before any planned one is put in, or the later drop would remove
# the output just planned, which is then written and removed as stale.


def test_an_output_that_moves_to_a_family_planned_earlier_is_kept():
    previous = BuildState(
        outputs={"2024/01/alpha/index.html": "a1", "2024/01/shared/index.html": "b1"},
        families={
            ("article", "a.md"): ["2024/01/alpha/index.html"],
            ("article", "b.md"): ["2024/01/shared/index.html"],
        },
        pages={"2024/01/alpha/index.html", "2024/01/shared/index.html"},
    )
    planned = {  # in the order touched_families gives them: sorted by path
        ("article", "a.md"): [page("2024/01/shared/index.html", "a2")],
        ("article", "b.md"): [page("2024/01/beta/index.html", "b2")],
    }
    outputs = replace_families(previous, planned, full=False)
    todo, stale = outputs_to_write(outputs, planned, [], previous, cold=False, full=False)
    assert "2024/01/shared/index.html" in [o.rel for o in todo]
    assert outputs.signatures.get("2024/01/shared/index.html") == "a2"
    assert "2024/01/shared/index.html" in outputs.pages
    assert stale == ["2024/01/alpha/index.html"]


def test_two_articles_trading_urls_both_keep_their_pages(site):
    """The same bug seen from a build: the page written at the traded URL is removed."""
    files = {
        "content/a.md": article_text("A", date="2024-01-02", slug="alpha"),
        "content/b.md": article_text("B", date="2024-01-03", slug="shared"),
    }
    config = site(files)
    builds = Builds(config)
    assert builds.build().written
    (config.content_dir / "a.md").write_text(article_text("A", date="2024-01-02", slug="shared"))
    (config.content_dir / "b.md").write_text(article_text("B", date="2024-01-03", slug="beta"))
    report = builds.build()
    assert report.written and report.incremental and not report.problems
    pages = sorted(p.parent.name for p in config.output_dir.glob("2024/01/*/index.html"))
    assert pages == ["beta", "shared"]


def test_two_outputs_for_one_file_are_a_clash_not_an_overwrite():
    planned = {
        ("article", "a"): [page("a/index.html", "2")],
        ("term", "x"): [page("b/index.html", "3")],
    }
    outputs = replace_families(previous_state(), planned, full=False)
    assert outputs.clashes == ["b/index.html"]  # ("article", "b") still owns it
    theme = [Output("a/index.html", "s", make=lambda: "css")]
    replace_site_files(outputs, theme, [], kept_search=True)
    assert outputs.clashes == ["b/index.html", "a/index.html"]
    problem = clash_problem(outputs.clashes)
    assert problem.path == "build/a/index.html" and "(and 1 more)" in problem.message


def test_an_output_moving_between_families_in_one_build_is_no_clash():
    planned = {("term", "x"): [page("a/index.html", "2")], ("article", "a"): []}
    outputs = replace_families(previous_state(), planned, full=False)
    assert outputs.clashes == [] and outputs.families[("term", "x")] == ["a/index.html"]
