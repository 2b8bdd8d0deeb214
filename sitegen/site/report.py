"""What a build reports (BuildReport), the Output record a stage plans, and the progress
callback's type. Plain data: no stage logic lives here, only the report's own tallies.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.model import Problem


@dataclass
class BuildReport:
    articles: int = 0
    people: int = 0
    topics: int = 0
    sources: int = 0
    pages: int = 0  # HTML pages in the site
    files: int = 0  # files written by this build
    removed: int = 0
    bytes: int = 0
    seconds: float = 0.0
    written: bool = False
    incremental: bool = False
    output: Path | None = None
    changed: list[str] = field(default_factory=list)  # output files (re)written
    search: Any = None  # the search index update's IndexStats, when it ran
    removed_paths: list[str] = field(default_factory=list)  # output files removed
    problems: list[Problem] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)  # stage -> seconds (--timings)
    stage_cpu: dict[str, float] = field(default_factory=dict)  # stage -> CPU seconds

    def lap(self, stage: str, since: float) -> float:
        """Record the time since `since` under `stage`; returns now."""
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - since
        cpu = _cpu_seconds()
        self.stage_cpu[stage] = self.stage_cpu.get(stage, 0.0) + cpu - self._cpu_mark
        self._cpu_mark = cpu
        return now

    _cpu_mark: float = field(default_factory=lambda: _cpu_seconds())

    def count(self, catalog: Any, problems: list[Problem]) -> None:
        """What the catalog holds, and the problems found up to it."""
        self.problems = problems
        self.articles = len(catalog.articles)
        self.people = len(catalog.terms["people"])
        self.topics = len(catalog.terms["topics"])
        self.sources = len(catalog.terms["source"])

    def wrote(self, written: list[Output], removed: list[str]) -> None:
        self.files = len(written)
        self.removed = len(removed)
        self.removed_paths = removed
        self.changed = [o.rel for o in written]
        self.written = True

    def finish(self, started: float) -> BuildReport:
        self.seconds = time.perf_counter() - started
        return self


def _cpu_seconds() -> float:
    """CPU time of this process and its finished workers."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@dataclass
class Output:
    """One file of the site: where it goes, what it depends on, how to make it."""

    rel: str
    signature: str
    make: Callable[[], str | bytes] | None = None
    copy_from: str | None = None  # a file to copy as it is (a plain path: there are many)
    linkable: bool = False  # copy_from never changes in place: a hard link will do
    is_page: bool = False


#: progress(stage, done, total); total 0 means unknown.
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    pass
