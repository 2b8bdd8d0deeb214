"""What a build is told (BuildMode) and what one build leaves in memory for the next
(BuildMemory): `sitegen build` makes a fresh memory for its one build; serve and the tests
keep one between builds. Also the end of a build: the new state remembered and saved.

Owns no stage logic: the stages read and update the fields they own (named below).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.config import Config
from sitegen.parallel import LocalWorkers, Workers
from sitegen.site.report import BuildReport, Output
from sitegen.site.scan import ContentScan
from sitegen.site.state import BuildState, load_state, save_state
from sitegen.site.unchanged import write_unchanged_report

if TYPE_CHECKING:
    from sitegen.site.catalog import Catalog
    from sitegen.site.people import PeopleCache
    from sitegen.site.render import Renderer


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass(frozen=True)
class BuildMode:
    """How one build runs. The last three are serve's; the build knows nothing else of it."""

    keep_going: bool = False  # write the site without the files that have problems
    clean: bool = False  # forget the previous build: plan and write everything
    remember: bool = True  # save the state for the next build (not for check's builds)
    #: plan even when nothing changed and never answer from the unchanged-inputs report,
    #: so the first edit is as quick as the ones after it
    live: bool = False
    #: publish the pages first: the search export stays the previous build's and the
    #: state stays in memory, for the build after the pause in editing to bring up to date
    pages_first: bool = False
    save_in_background: bool = False  # do not make the browser wait for the state's pickle
    #: the build's clock, read once at the edge (cli, serve): what --no-future compares to
    now: dt.datetime | None = None


@dataclass
class BuildMemory:
    """What builds of one site into one output folder keep between them."""

    output: Path
    workers: Workers  # where the heavy stages run: this machine's pool or a cluster
    content_scan: ContentScan  # scan.py: the content folder's stats, a watcher's hints
    state: BuildState | None = None  # the last build's (loaded from disk at first)
    # load.py: the state the hints are relative to, its files with problems
    hinted_base: BuildState | None = None
    problem_rels: set[str] | None = None
    # people.py: the last catalog, the state it goes with, the people mapping's cache
    catalog: Catalog | None = None
    catalog_state: BuildState | None = None
    people_cache: PeopleCache | None = None
    # render.py: compiled templates and the theme listing they were compiled from
    renderer: Renderer | None = None
    template_listing: tuple = ()
    # plan.py: (taxonomy, name) -> term facts; (content path, body sha) -> body HTML
    term_memo: dict = field(default_factory=dict)
    bodies: dict[tuple[str, str], str] = field(default_factory=dict)
    # search_outputs.py: the last planned export (state, outputs); serve's kept export
    planned_search: tuple[BuildState, list] | None = None
    kept_search: tuple[list, list[Output]] | None = None
    saving: threading.Thread | None = None  # the last build's state save, when in background

    @classmethod
    def for_site(
        cls,
        config: Config,
        *,
        out: Path | None = None,
        jobs: int | None = None,
        workers: Workers | None = None,
    ) -> BuildMemory:
        """`workers` (a cluster, say) wins over `jobs` (this machine's pool)."""
        if workers is None:
            workers = LocalWorkers(jobs if jobs is not None else default_jobs())
        return cls(
            output=(out or config.output_dir).resolve(),
            workers=workers,
            content_scan=ContentScan(config.content_dir),
        )

    @property
    def jobs(self) -> int:
        return self.workers.jobs

    def previous_state(self, cache_dir: Path, *, clean: bool) -> BuildState:
        """The state this build starts from: none when clean, else the one in memory or
        the one saved by the last build."""
        if clean or self.state is None:
            self.state = BuildState() if clean else load_state(cache_dir)
        return self.state

    def wait_for_save(self) -> None:
        if self.saving is not None:
            self.saving.join()

    def remember(
        self, state: BuildState, catalog: Catalog, problem_rels: set[str], term_facts: dict
    ) -> None:
        """A written build's results, for the next build to start from."""
        self.state = self.catalog_state = self.hinted_base = state
        self.term_memo.update(term_facts)
        self.catalog = catalog
        self.content_scan.hinted = set()
        self.problem_rels = problem_rels


def save_build(
    config: Config, memory: BuildMemory, mode: BuildMode, report: BuildReport, inputs: str
) -> bool:
    """Keep this build's state for the next one (and, when it had no problem, the
    unchanged-inputs report). Not with pages_first (the state stays in memory and the
    build that follows the pause saves it: a state older than build/ only costs
    rewrites), not for check's builds, in the background when asked. Whether it saved."""
    if mode.pages_first:
        return False
    memory.wait_for_save()
    if not mode.remember:
        return False
    cache_dir = config.cache_dir
    if mode.save_in_background:
        memory.saving = threading.Thread(target=save_state, args=(cache_dir, memory.state))
        memory.saving.start()
    else:
        save_state(cache_dir, memory.state)  # type: ignore[arg-type]
    if not report.problems:
        write_unchanged_report(cache_dir, inputs, report)
    return True
