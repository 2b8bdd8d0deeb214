"""The write stage on a cluster. A page's make() is a closure over this process's plan
and does not pickle, so each worker is sent, once, what the plan was made from (the
catalog, the related lists and term facts this build settled, the search export's meta
file, where search wrote the bodies) and plans again the families it is given, with
the same Planner, rendering only the files asked for. Same inputs, same pages.

A cold build on a cluster (everything is written) does not plan here at all: the
workers plan each family and render it in the same task (plan_on_workers), and send
back only each file's signature. This process then holds no page contexts, and no
family is planned twice.

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
from sitegen.site.plan import SEARCH_FAMILY, Plan, Planner
from sitegen.site.render import Renderer
from sitegen.site.report import Output, Progress, no_progress
from sitegen.site.signatures import TemplateDigests
from sitegen.site.writer import SERIAL, made_bytes, write_made, write_outputs

if TYPE_CHECKING:
    from sitegen.search.pipeline import BodyHtml
    from sitegen.site.search_outputs import FoundSearch

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
    plan_digest: str = ""  # the pages' signatures start from it (Fingerprints)
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

    def family_part(self, key: tuple, part: int, parts: int) -> list[Output]:
        """Part `part` of `parts` of the family's outputs, planned (signatures and
        make()); the pages of a family cut into parts are kept for the next part."""
        planner = self.planner()
        if key[0] in ("feed", "term-feed"):
            return planner.family(key)
        pages = self._families.pop(key, None) if parts > 1 else None
        if pages is None:
            pages = planner.family_pages(key)
        if parts > 1:
            self._families[key] = pages
            while len(self._families) > FAMILIES_KEPT:
                self._families.popitem(last=False)
        share = pages[len(pages) * part // parts : len(pages) * (part + 1) // parts]
        return [planner.page(page) for page in share]

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
                self.plan_digest,
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


#: one task of a cold build: (family key, part, parts) for a few families
PlanTask = list[tuple[tuple, int, int]]
#: what it sends back: (key, part, [(file, signature, is_page)]) for each, the related
#: lists it settled, the bytes it wrote
PlannedPart = tuple[list[tuple[tuple, int, list[tuple[str, str, bool]]]], dict, int]


def plan_and_render(job: ReplanJob, task: PlanTask) -> PlannedPart:
    """On a worker: plan the task's families (or their parts) and write every file."""
    target = Path(job.target)
    planned = []
    written = 0
    for key, part, parts in task:
        outputs = job.family_part(key, part, parts)
        for output in outputs:
            data = made_bytes(output.make, output.rel)  # type: ignore[arg-type]
            written += write_made(target, False, 0, output.rel, data, job._made_dirs)
        planned.append((key, part, [(o.rel, o.signature, o.is_page) for o in outputs]))
    planner = job.planner()
    related, planner.related_paths = planner.related_paths, {}
    return planned, related, written


def family_size(config: Config, catalog: Catalog, key: tuple) -> int:
    """About how many files a family makes (only to cut big ones into parts)."""
    if key == ("home",):
        return -(-len(catalog.articles) // config.page_size)
    if key[0] == "term":
        term = catalog.terms[key[1]].get(key[2])
        return 1 if term is None else -(-len(term.articles) // config.term_page_size)
    return 2 if key[0] in ("feed", "term-feed") else 1


def plan_tasks(config: Config, catalog: Catalog, keys: list[tuple]) -> list[PlanTask]:
    """Families as tasks of about FILES_PER_TASK files; a bigger one cut into parts."""
    tasks: list[PlanTask] = []
    current: PlanTask = []
    size = 0
    for key in keys:
        files = family_size(config, catalog, key)
        parts = -(-files // FILES_PER_TASK)
        for part in range(parts):
            share = files * (part + 1) // parts - files * part // parts
            if size + share > FILES_PER_TASK and current:
                tasks.append(current)
                current, size = [], 0
            current.append((key, part, parts))
            size += share
    if current:
        tasks.append(current)
    return tasks


def plan_on_workers(
    config: Config,
    plan: Plan,
    found: FoundSearch,
    stage: Path,
    workers: Workers,
    progress: Progress = no_progress,
) -> tuple[int, set[str]]:
    """A cold build's families (all but the search page, planned here with the export's
    meta) planned and written into `stage` by `workers`; fills plan.planned with their
    outputs in the plan's order. Returns the bytes written and the files."""
    planner = plan.planner
    keys = [key for key in plan.keys if key != SEARCH_FAMILY]
    job = ReplanJob(
        config,
        planner.catalog,
        {},
        {},
        found.meta,
        dict(found.bodies),
        str(stage),
        False,
        plan.digest,
    )
    tasks = plan_tasks(config, planner.catalog, keys)
    reached = [
        0,
        *accumulate(sum(family_size(config, planner.catalog, k) for k, _, _ in t) for t in tasks),
    ]

    def report(done_tasks: int) -> None:
        progress("Writing pages", reached[done_tasks], reached[-1])

    parts: dict[tuple, dict[int, list[Output]]] = {}
    written, staged = 0, set()
    for planned, related, nbytes in workers.map(
        plan_and_render, job, tasks, chunk_size=1, progress=report
    ):
        for key, part, files in planned:
            parts.setdefault(key, {})[part] = [
                Output(rel, signature, is_page=is_page) for rel, signature, is_page in files
            ]
            staged.update(rel for rel, _, _ in files)
        planner.related_paths.update(related)
        written += nbytes
    plan.planned = {
        key: [o for part in sorted(parts[key]) for o in parts[key][part]]
        for key in keys
        if key in parts
    }
    return written, staged


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
            written = 0
            if tasks:
                job = replan_job(config, plan, stage, flat)
                written = sum(
                    workers.map(render_families, job, tasks, chunk_size=1, progress=report)
                )
            return written + written_here.result()

    return write
