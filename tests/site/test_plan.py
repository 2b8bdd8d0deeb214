"""The plan stage (sitegen/site/plan.py) on a tiny catalog, nothing written: which
families a cold and an incremental plan hold, and what complete_plan adds."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import Config, load_config
from sitegen.entities.overrides import PeopleOverrides
from sitegen.markdown import make_markdown
from sitegen.model import ProblemError
from sitegen.site.load import Loaded, load_content
from sitegen.site.memory import BuildMemory
from sitegen.site.people import catalog_with_people
from sitegen.site.plan import SEARCH_FAMILY, complete_plan, plan_site
from sitegen.site.report import Output, no_progress
from sitegen.site.search_outputs import FoundSearch
from sitegen.site.state import BuildState
from tests.conftest import article_text, write_site

FILES = {
    "content/a.md": article_text("Alpha", date="2024-01-02", people=["Ann Lee"]),
    "content/b.md": article_text("Beta", date="2024-02-03", topics=["Budget"]),
}


def planned_site(tmp_path: Path, previous: BuildState, cold: bool):
    """The plan of the test site under tmp_path (written at the first call), from
    `previous`; its memory's state holds the files as loaded, for the next plan."""
    site = tmp_path / "site"
    config: Config = load_config(site if site.exists() else write_site(site, FILES))
    memory = BuildMemory.for_site(config, jobs=1)
    loaded: Loaded = load_content(
        config, memory, memory.content_scan.scan(None), previous, no_progress
    )
    catalog, people = catalog_with_people(memory, previous, loaded, PeopleOverrides())
    md = make_markdown(config)
    memory.state = BuildState(files=loaded.files)
    return plan_site(config, memory, catalog, md, previous, loaded, people, cold), memory


def test_a_cold_plan_holds_every_family_but_the_search_page(tmp_path):
    plan, _ = planned_site(tmp_path, BuildState(), cold=True)
    assert plan.full and plan.moved
    assert {("article", "a.md"), ("article", "b.md"), ("home",), ("feed",)} <= set(plan.keys)
    assert ("term", "people", "Ann Lee") in plan.keys and SEARCH_FAMILY in plan.keys
    assert SEARCH_FAMILY not in plan.planned  # it names the export: planned once search is done
    rels = {o.rel for outs in plan.planned.values() for o in outs}
    assert {"2024/01/a/index.html", "2024/02/b/index.html", "feed.xml"} <= rels


def test_complete_plan_adds_the_search_page_and_site_files_and_writes_all_when_cold(tmp_path):
    plan, memory = planned_site(tmp_path, BuildState(), cold=True)
    export = [Output("search/meta.json", "m", make=lambda: "{}")]
    writes = complete_plan(
        plan, FoundSearch("search/meta.json", export, {}), BuildState(), memory, True
    )
    rels = {o.rel for o in writes.to_write}
    assert {"search/index.html", "search/meta.json", "sitemap.xml", "robots.txt"} <= rels
    assert any(rel.startswith("static/") for rel in rels)
    assert writes.to_remove == [] and "search/index.html" in writes.outputs.pages


def test_a_search_export_file_on_a_page_is_a_problem_naming_it(tmp_path):
    plan, memory = planned_site(tmp_path, BuildState(), cold=True)
    clash = [Output("2024/01/a/index.html", "x", make=lambda: "{}")]
    with pytest.raises(ProblemError) as caught:
        complete_plan(plan, FoundSearch("", clash, {}), BuildState(), memory, True)
    assert caught.value.problem.path == "build/2024/01/a/index.html"


def test_an_unchanged_plan_digest_plans_only_what_the_edit_touches(tmp_path):
    first, memory = planned_site(tmp_path, BuildState(), cold=True)
    writes = complete_plan(first, FoundSearch("", [], {}), BuildState(), memory, True)
    previous = BuildState(
        output_dir=str(memory.output),
        files=dict(memory.state.files) if memory.state else {},
        outputs=writes.outputs.signatures,
        families=writes.outputs.families,
        pages=writes.outputs.pages,
        plan_digest=first.digest,
    )
    (tmp_path / "site/content/b.md").write_text(
        article_text("Beta, corrected", date="2024-02-03", topics=["Budget"]), encoding="utf-8"
    )
    again, _ = planned_site(tmp_path, previous, cold=False)
    assert not again.full
    assert ("article", "b.md") in again.keys and ("article", "a.md") not in again.keys
    assert ("term", "people", "Ann Lee") not in again.keys
