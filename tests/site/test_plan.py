"""The plan stage's bookkeeping (sitegen/site/plan.py) on tiny data, no disk: which
outputs a build writes, keeps and removes."""

from __future__ import annotations

from sitegen.site.outputs import outputs_to_write, replace_families, replace_site_files
from sitegen.site.plan import clash_problem
from sitegen.site.report import Output
from sitegen.site.state import BuildState


def page(rel: str, sig: str) -> Output:
    return Output(rel, sig, make=lambda: "x", is_page=True)


PREVIOUS = BuildState(
    outputs={"a/index.html": "1", "b/index.html": "1", "style.css": "s", "search/x.json": "q"},
    families={
        ("article", "a"): ["a/index.html"],
        ("article", "b"): ["b/index.html"],
        ("site-files",): ["style.css"],
        ("search-files",): ["search/x.json"],
    },
    pages={"a/index.html", "b/index.html"},
)


def test_an_incremental_plan_replaces_only_its_families():
    planned = {("article", "a"): [page("a/index.html", "2")], ("article", "b"): []}
    outputs = replace_families(PREVIOUS, planned, full=False)
    assert outputs.families[("article", "a")] == ["a/index.html"]
    assert ("article", "b") not in outputs.families  # planned empty: gone
    assert outputs.signatures["a/index.html"] == "2" and "b/index.html" not in outputs.signatures
    assert outputs.pages == {"a/index.html"}
    assert sorted(outputs.dropped) == ["a/index.html", "b/index.html"]
    assert PREVIOUS.outputs["a/index.html"] == "1"  # the previous state is not touched


def test_site_files_are_replaced_each_build_and_the_search_export_unless_kept():
    outputs = replace_families(PREVIOUS, {}, full=False)
    theme = [Output("style.css", "s2", make=lambda: "css")]
    search = [Output("search/y.json", "y", copy_from="/tmp/y.json")]
    kept = replace_site_files(outputs, list(theme), search, kept_search=True)
    assert kept == theme and outputs.families[("search-files",)] == ["search/x.json"]
    outputs = replace_families(PREVIOUS, {}, full=False)
    written = replace_site_files(outputs, list(theme), search, kept_search=False)
    assert [o.rel for o in written] == ["search/y.json", "style.css"]
    assert outputs.families[("search-files",)] == ["search/y.json"]
    assert outputs.families[("site-files",)] == ["style.css"]
    assert "search/x.json" in outputs.dropped


def test_only_changed_signatures_are_written_and_only_dropped_outputs_removed():
    planned = {("article", "a"): [page("a/index.html", "1")], ("article", "b"): []}
    outputs = replace_families(PREVIOUS, planned, full=False)
    extra = replace_site_files(outputs, [Output("style.css", "s", make=lambda: "")], [], True)
    todo, stale = outputs_to_write(outputs, planned, extra, PREVIOUS, cold=False, full=False)
    assert todo == []  # same signatures as before
    assert stale == ["b/index.html"]
    todo, stale = outputs_to_write(outputs, planned, extra, PREVIOUS, cold=True, full=True)
    assert [o.rel for o in todo] == ["a/index.html", "style.css"] and stale == []


def test_two_outputs_for_one_file_are_a_clash_not_an_overwrite():
    planned = {
        ("article", "a"): [page("a/index.html", "2")],
        ("term", "x"): [page("b/index.html", "3")],
    }
    outputs = replace_families(PREVIOUS, planned, full=False)
    assert outputs.clashes == ["b/index.html"]  # ("article", "b") still owns it
    theme = [Output("a/index.html", "s", make=lambda: "css")]
    replace_site_files(outputs, theme, [], kept_search=True)
    assert outputs.clashes == ["b/index.html", "a/index.html"]
    problem = clash_problem(outputs.clashes)
    assert problem.path == "build/a/index.html" and "(and 1 more)" in problem.message


def test_an_output_moving_between_families_in_one_build_is_no_clash():
    planned = {("term", "x"): [page("a/index.html", "2")], ("article", "a"): []}
    outputs = replace_families(PREVIOUS, planned, full=False)
    assert outputs.clashes == [] and outputs.families[("term", "x")] == ["a/index.html"]
