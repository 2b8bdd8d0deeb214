"""The search stage as the build sees it (sitegen/site/search_outputs.py): with pages_first
the previous export is handed on as it was and search is not started; otherwise a search
update's export becomes the writer's Outputs, or none after a problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

import sitegen.search.pipeline
from sitegen.config import Config
from sitegen.markdown import make_markdown
from sitegen.model import Article, Problem, ProblemError
from sitegen.site.catalog import Catalog, build_catalog
from sitegen.site.memory import BuildMemory, BuildMode
from sitegen.site.report import BuildReport, no_progress
from sitegen.site.search_outputs import (
    FoundSearch,
    SearchOutputs,
    search_files,
    start_search_outputs,
)
from sitegen.site.state import BuildState
from tests.conftest import article_text

PAGES_FIRST = BuildMode(live=True, pages_first=True)


@pytest.fixture
def config(tmp_path) -> Config:
    return Config(root=tmp_path)


def start(
    config: Config,
    memory: BuildMemory,
    mode: BuildMode,
    previous: BuildState,
    report: BuildReport,
    catalog: Catalog | None = None,
) -> SearchOutputs:
    return start_search_outputs(
        config,
        memory,
        mode,
        catalog or build_catalog([]),
        make_markdown(config),
        previous,
        report,
        set(),
        config.cache_dir / "html",
        no_progress,
    )


def previous_with_export() -> BuildState:
    return BuildState(
        search_meta="search/meta-1.json",
        search_files=[
            ("search/meta-1.json", "/cache/static/search/meta-1.json"),
            ("search/part-ab.json", "/cache/static/search/part-ab.json"),
        ],
    )


@pytest.fixture
def no_search(monkeypatch):
    """Search must not start: starting it is an error here."""

    def started(*args, **kwargs):
        raise AssertionError("search was started")

    monkeypatch.setattr(sitegen.search.pipeline, "start_search", started)


def test_pages_first_keeps_the_previous_export_without_starting_search(config, no_search):
    memory, report, previous = (
        BuildMemory.for_site(config, jobs=1),
        BuildReport(),
        previous_with_export(),
    )
    found = start(config, memory, PAGES_FIRST, previous, report).finish()
    assert found.meta == "search/meta-1.json" and found.bodies == {}
    assert [(o.rel, o.signature, o.copy_from, o.linkable) for o in found.outputs] == [
        ("search/meta-1.json", "search/meta-1.json", "/cache/static/search/meta-1.json", True),
        ("search/part-ab.json", "search/part-ab.json", "/cache/static/search/part-ab.json", True),
    ]
    assert report.problems == [] and report.search is None
    assert not (config.cache_dir / "search").exists()


def test_the_kept_export_is_made_once_per_state(config, no_search):
    memory, previous = BuildMemory.for_site(config, jobs=1), previous_with_export()
    first = start(config, memory, PAGES_FIRST, previous, BuildReport()).finish()
    again = start(config, memory, PAGES_FIRST, previous, BuildReport()).finish()
    assert again.outputs is first.outputs  # serve's every edit: not thousands of Outputs anew
    assert search_files(memory, again) is previous.search_files
    newer = previous_with_export()
    third = start(config, memory, PAGES_FIRST, newer, BuildReport()).finish()
    assert third.outputs is not first.outputs and third.outputs == first.outputs


def test_search_files_lists_a_new_export_as_the_state_keeps_it(config):
    memory = BuildMemory.for_site(config, jobs=1)
    found = FoundSearch(
        "search/meta-2.json",
        [
            SimpleNamespace(rel="search/meta-2.json", copy_from="/c/meta-2.json"),
            SimpleNamespace(rel="search/x.json", copy_from=None),
        ],  # type: ignore[list-item]
        {},
    )
    assert search_files(memory, found) == [
        ("search/meta-2.json", "/c/meta-2.json"),
        ("search/x.json", ""),
    ]


def update(static_dir: str) -> SimpleNamespace:
    return SimpleNamespace(
        stats="stats",
        static_dir=Path(static_dir),
        files=["search/meta-3.json", "search/p.json"],
        meta="search/meta-3.json",
        bodies={"a.md": "body"},
    )


class Pending:
    """What sitegen.search hands back while its workers run."""

    def __init__(self, result=None, error: Exception | None = None):
        self.result, self.error, self.cancelled = result, error, 0

    def finish(self):
        if self.error is not None:
            raise self.error
        return self.result

    def cancel(self) -> None:
        self.cancelled += 1


def test_a_finished_update_becomes_linkable_outputs_named_by_content():
    report = BuildReport()
    found = SearchOutputs(report, Pending(update("/cache/static")), None).finish()
    assert found.meta == "search/meta-3.json" and found.bodies == {"a.md": "body"}
    assert [(o.rel, o.signature, o.copy_from, o.linkable) for o in found.outputs] == [
        ("search/meta-3.json", "search/meta-3.json", "/cache/static/search/meta-3.json", True),
        ("search/p.json", "search/p.json", "/cache/static/search/p.json", True),
    ]
    assert report.search == "stats"


def test_a_problem_in_search_is_reported_and_gives_no_export():
    report, problem = BuildReport(), Problem("search", "index is locked")
    searching = SearchOutputs(report, Pending(error=ProblemError(problem)), None)
    assert searching.finish() == FoundSearch("", [], {})
    assert report.problems == [problem] and searching.pending is None


def test_cancel_stops_a_running_search_once():
    pending = Pending(update("/x"))
    searching = SearchOutputs(BuildReport(), pending, None)
    searching.cancel()
    searching.cancel()
    assert pending.cancelled == 1


def test_without_pages_first_search_runs_on_the_catalog(tmp_path):
    """A real update of a one-article site: its export is what finish() hands on."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "content/a.md").write_text(article_text("Harbour strike", "Dockers walk out."))
    config = Config(root=root)
    article = Article("a.md", "Harbour strike", "\nDockers walk out.\n", dt.datetime(2024, 1, 1))
    memory, report = BuildMemory.for_site(config, jobs=1), BuildReport()
    previous = BuildState()  # pages_first, but no export to keep: search must run
    found = start(config, memory, PAGES_FIRST, previous, report, build_catalog([article])).finish()
    assert report.problems == [] and report.search is not None
    assert found.meta and found.meta in [o.rel for o in found.outputs]
    assert all(Path(o.copy_from).is_file() for o in found.outputs)  # type: ignore[arg-type]
