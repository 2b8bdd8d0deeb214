"""The write stage on a cluster. A page's make() is a closure over this process's plan
and does not pickle, so each worker is sent, once, what the plan was made from (the
catalog, the related lists and term facts this build settled, the search export's meta
file, where search wrote the bodies) and plans again the families it is given, with
the same Planner, rendering only the files asked for. Same inputs, same pages.

Files not of a planned family (theme files, the sitemap, the search export, files
beside articles) are copies or short texts: this process writes them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.config import Config
from sitegen.markdown import shared_markdown
from sitegen.parallel import Workers
from sitegen.site.catalog import Catalog
from sitegen.site.plan import Plan, Planner
from sitegen.site.render import Renderer
from sitegen.site.report import Output, Progress, no_progress
from sitegen.site.signatures import TemplateDigests
from sitegen.site.writer import SERIAL, made_bytes, write_made, write_outputs

if TYPE_CHECKING:
    from sitegen.search.pipeline import BodyHtml

#: about this many files a task (a family bigger than that is cut into several tasks):
#: each task costs the scheduler, the worker and this process a few milliseconds
FILES_PER_TASK = 256
#: big families whose pages a worker keeps between tasks
FAMILIES_KEPT = 4


@dataclass
class ReplanJob:
    """What every worker needs to plan and render a family as this process did."""

    config: Config
    catalog: Catalog
    related: dict[str, list[str]]  # article path -> its related articles' paths
    facts: dict[tuple, Any]  # (taxonomy, name) -> the term's facts this build used
    search_meta: str
    rendered: dict[str, BodyHtml]  # content path -> where search wrote its body HTML
    target: str  # the stage folder
    flat: bool
    _planner: Planner | None = field(default=None, repr=False)
    _made_dirs: set[Path] = field(default_factory=set, repr=False)
    #: the last big families' pages: a family cut into several tasks is planned once a worker
    _families: OrderedDict = field(default_factory=OrderedDict, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_planner"], state["_made_dirs"], state["_families"] = None, set(), OrderedDict()
        return state

    def makers(self, key: tuple, wanted: set[str]) -> list[tuple[str, Callable[[], str]]]:
        """The family's (file, make) for `wanted`; a big family's pages are kept for the
        worker's next task, which most likely holds the family's next files."""
        planner = self.planner()
        whole = key[0] in ("feed", "term-feed") or len(wanted) < FILES_PER_TASK
        if whole and key not in self._families:
            return planner.makers(key, wanted)
        pages = self._families.pop(key, None)
        if pages is None:
            pages = planner.family_pages(key)
        self._families[key] = pages
        while len(self._families) > FAMILIES_KEPT:
            self._families.popitem(last=False)
        return planner.makers(key, wanted, pages)

    def planner(self) -> Planner:
        """This worker's planner for the job, made on its first task."""
        if self._planner is None:
            renderer = Renderer(self.config)
            renderer.catalog = self.catalog
            facts = self.facts
            planner = Planner(
                self.config,
                self.catalog,
                renderer,
                TemplateDigests(renderer.env),
                shared_markdown(self.config.allow_html),
                "",
                self.related,
                {},
                {},
                {},
            )
            planner.term_facts = lambda term, compute: (  # type: ignore[method-assign]
                facts[(term.taxonomy, term.name)]
                if (term.taxonomy, term.name) in facts
                else compute(term)
            )
            planner.search_meta = self.search_meta
            planner.rendered = self.rendered
            self._planner = planner
        return self._planner


#: one task's work: (family key, [(index in to_write, file)]) for a few families
Task = list[tuple[tuple, list[tuple[int, str]]]]


def render_families(job: ReplanJob, task: Task) -> int:
    """On a worker: plan the task's families again and write the files asked for."""
    target = Path(job.target)
    written = 0
    for key, files in task:
        index_of = dict((rel, index) for index, rel in files)
        for rel, make in job.makers(key, set(index_of)):
            data = made_bytes(make, rel)
            written += write_made(target, job.flat, index_of[rel], rel, data, job._made_dirs)
    return written


def cluster_tasks(plan: Plan, to_write: list[Output]) -> tuple[list[Task], list[int]]:
    """to_write's outputs of planned families as tasks of about FILES_PER_TASK files
    (families whole where they fit), and the indices of the rest (written here)."""
    family_of: dict[int, tuple] = {}
    for key, outputs in plan.planned.items():
        for output in outputs:
            family_of[id(output)] = key
    by_family: dict[tuple, list[tuple[int, str]]] = {}
    here: list[int] = []
    for index, output in enumerate(to_write):
        key = family_of.get(id(output))
        if key is None or output.make is None:
            here.append(index)
        else:
            by_family.setdefault(key, []).append((index, output.rel))
    tasks: list[Task] = []
    current: Task = []
    size = 0
    for key, files in by_family.items():
        for start in range(0, len(files), FILES_PER_TASK):
            part = files[start : start + FILES_PER_TASK]
            if size + len(part) > FILES_PER_TASK and current:
                tasks.append(current)
                current, size = [], 0
            current.append((key, part))
            size += len(part)
    if current:
        tasks.append(current)
    return tasks, here


def replan_job(config: Config, plan: Plan, stage: Path, flat: bool) -> ReplanJob:
    """What the workers are sent: what this build's plan settled."""
    planner = plan.planner
    facts = {key: value[1] for key, value in planner.term_memo.items()}
    facts.update((key, value[1]) for key, value in planner.new_facts.items())
    return ReplanJob(
        config,
        planner.catalog,
        {**planner.known_related, **planner.related_paths},
        facts,
        planner.search_meta,
        dict(planner.rendered),
        str(stage),
        flat,
    )


def remote_writer(
    config: Config, plan: Plan, workers: Workers
) -> Callable[[list[Output], Path, bool, Progress], int]:
    """The writer's RemoteWriter for this plan: planned families rendered on `workers`,
    the rest written here."""

    def write(to_write: list[Output], stage: Path, flat: bool, progress: Progress) -> int:
        tasks, here = cluster_tasks(plan, to_write)
        job = replan_job(config, plan, stage, flat)
        # files done once the first n tasks are
        reached = [0, *accumulate(sum(len(files) for _, files in task) for task in tasks)]

        def report(done_tasks: int) -> None:
            progress("Writing pages", reached[done_tasks], reached[-1])

        with ThreadPoolExecutor(1) as here_writer:  # links and copies, while the workers render
            written_here = here_writer.submit(
                write_outputs,
                to_write,
                stage,
                flat=flat,
                workers=SERIAL,
                progress=no_progress,
                indices=here,
            )
            written = sum(workers.map(render_families, job, tasks, chunk_size=1, progress=report))
            return written + written_here.result()

    return write
