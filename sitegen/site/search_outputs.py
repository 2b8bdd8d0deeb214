"""The search stage, as the build sees it: starts sitegen.search's update of the Whoosh
index and the static export for the catalog it is given (its workers index while this
process plans), and hands the export's files to the writer as outputs: from that update,
kept from the previous build (pages_first), or none after a problem. The build's only
link to sitegen.search; search never calls back into the build.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from markdown_it import MarkdownIt

from sitegen.config import Config
from sitegen.model import ProblemError
from sitegen.site.load import read_body
from sitegen.site.report import BuildReport, Output, Progress
from sitegen.site.state import BuildState

if TYPE_CHECKING:
    from sitegen.search.pipeline import BodyHtml
    from sitegen.site.catalog import Catalog
    from sitegen.site.memory import BuildMemory, BuildMode


class FoundSearch(NamedTuple):
    meta: str  # the export's meta file (site path)
    outputs: list[Output]  # the export's files
    bodies: dict[str, BodyHtml]  # content path -> where search wrote its body HTML


class SearchOutputs:
    """The search export's outputs for this build, as finish() hands them to the writer:
    made by a running search update (sitegen.search.pipeline.PendingSearch), kept from
    the previous build (serve's deferred search), or none after a problem."""

    def __init__(self, report: BuildReport, pending: Any, ready: FoundSearch | None) -> None:
        self.report, self.pending, self.ready = report, pending, ready

    def cancel(self) -> None:
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None

    def finish(self) -> FoundSearch:
        """(export meta file, export files as outputs, where each body HTML is)."""
        if self.ready is not None:
            return self.ready
        try:
            update = self.pending.finish()
        except ProblemError as exc:
            self.report.problems.append(exc.problem)
            return FoundSearch("", [], {})
        finally:
            self.pending = None
        self.report.search = update.stats
        static_dir = str(update.static_dir)
        # export file names carry their content hash: the name is the signature
        outputs = [
            Output(rel, rel, copy_from=f"{static_dir}/{rel}", linkable=True) for rel in update.files
        ]
        return FoundSearch(update.meta, outputs, update.bodies)


def start_search_outputs(
    config: Config,
    memory: BuildMemory,
    mode: BuildMode,
    catalog: Catalog,
    md: MarkdownIt,
    previous: BuildState,
    report: BuildReport,
    html_for: set[str],
    html_dir: Path,
    progress: Progress,
) -> SearchOutputs:
    """Start updating the Whoosh index and the static export for what changed; search's
    workers also write the body HTML of the articles in `html_for` (the pages about to be
    written) into html_dir, from the parse they make anyway.

    With pages_first, the previous export is kept for this build; serve runs a full build
    right after publishing the pages, which brings search up to date.
    """
    from sitegen.search.pipeline import start_search

    if mode.pages_first and previous.search_meta:
        cached = memory.kept_search
        if cached is None or cached[0] is not previous.search_files:
            kept = [
                Output(rel, rel, copy_from=src, linkable=True) for rel, src in previous.search_files
            ]
            cached = memory.kept_search = (previous.search_files, kept)
        return SearchOutputs(report, None, FoundSearch(previous.search_meta, cached[1], {}))
    try:
        started = start_search(
            config,
            catalog.articles,
            md=md,
            workers=memory.workers,
            progress=progress,
            read_body=partial(read_body, config.content_dir),
            html_for=html_for,
            html_dir=html_dir,
        )
    except ProblemError as exc:
        report.problems.append(exc.problem)
        return SearchOutputs(report, None, FoundSearch("", [], {}))
    return SearchOutputs(report, started, None)


def search_files(memory: BuildMemory, search: FoundSearch) -> list[tuple[str, str]]:
    """The export's files as the state keeps them: (site path, cached file)."""
    kept = memory.kept_search
    if kept is not None and search.outputs is kept[1]:
        return kept[0]
    return [(o.rel, o.copy_from or "") for o in search.outputs]
