"""`sitegen build` as one readable pipeline: scan, load, catalog, search, plan, write, save.

Build policy: every content file is checked; if any has a problem, the problems are
reported and the output is left exactly as it was (exit status 1). With keep_going the
bad files are skipped and the rest of the site is written anyway.

Writing: every build renders what it must write into a fresh folder beside the output
first, so a template error half-way (reported with template and line) leaves the output
as it was. A first (or --clean) build then swaps that folder in; later builds, which
rewrite only outputs whose signature changed (signatures.py), move each new file into
place by one rename and remove outputs no longer produced. A reader never sees half a page.

Each stage is a module of this package (see ARCHITECTURE.md); this one only calls them
in order. What serve keeps between builds is a BuildMemory, what it asks a BuildMode.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jinja2

from sitegen.config import Config
from sitegen.entities.overrides import load_overrides
from sitegen.locks import build_lock
from sitegen.markdown import make_markdown
from sitegen.model import ProblemError
from sitegen.parallel import Workers, batch_collection
from sitegen.site.assets import asset_outputs
from sitegen.site.catalog import Catalog
from sitegen.site.load import Loaded, load_content
from sitegen.site.memory import BuildMemory, BuildMode, save_build
from sitegen.site.outputs import kept_related
from sitegen.site.pages import family_pages
from sitegen.site.people import catalog_with_people
from sitegen.site.plan import Plan, Writes, complete_plan, plan_site
from sitegen.site.render import template_problem
from sitegen.site.replan import plan_on_workers, remote_writer
from sitegen.site.report import BuildReport, Progress, no_progress
from sitegen.site.scan import scan_listing
from sitegen.site.search_outputs import FoundSearch, search_files, start_search_outputs
from sitegen.site.standalone import site_pages
from sitegen.site.state import BuildState
from sitegen.site.unchanged import inputs_digest, read_unchanged_report
from sitegen.site.visibility import Visibility
from sitegen.site.writer import (
    HTML_DIR_PREFIX,
    SERIAL,
    abandon_stage,
    make_stage,
    remove_abandoned_html_dirs,
    write_outputs,
    write_site,
)

#: `sitegen build`'s mode: the defaults
ONE_BUILD = BuildMode()


def build_site(
    config: Config,
    *,
    out: Path | None = None,
    keep_going: bool = False,
    clean: bool = False,
    jobs: int | None = None,
    progress: Progress = no_progress,
    remember: bool = True,
    now: dt.datetime | None = None,
    workers: Workers | None = None,
) -> BuildReport:
    """Build once, with a fresh memory. remember=False (check's build into a folder of
    its own) leaves the site's saved state alone, so the next real build stays incremental.
    `workers` (a cluster's) runs the heavy stages instead of a pool of `jobs` processes.
    """
    memory = BuildMemory.for_site(config, out=out, jobs=jobs, workers=workers)
    mode = BuildMode(keep_going=keep_going, clean=clean, remember=remember, now=now)
    try:
        return build(config, memory, mode, progress=progress)
    except ProblemError as exc:  # the build lock: another process held it, or no cache
        return BuildReport(output=memory.output, problems=[exc.problem])


def build(
    config: Config,
    memory: BuildMemory,
    mode: BuildMode = ONE_BUILD,
    *,
    changed_files: set[str] | None = None,
    progress: Progress = no_progress,
) -> BuildReport:
    """Build the site into memory.output; `changed_files` (absolute paths a watcher saw
    change) lets the content scan stat just those files instead of the whole folder.

    One process builds a site at a time: the build holds the site's build lock
    (sitegen.locks), and raises LockHeld when another process held it too long.
    """
    memory.wait_for_save()  # the last build's state save, which holds the lock
    lock = build_lock(config.cache_dir).acquire()
    saving = memory.saving
    html_dir = config.cache_dir / f"{HTML_DIR_PREFIX}{os.getpid()}"
    remove_abandoned_html_dirs(config.cache_dir)
    try:
        with batch_collection():
            return run_stages(config, memory, mode, changed_files, progress, html_dir)
    finally:
        shutil.rmtree(html_dir, ignore_errors=True)
        if memory.saving is not saving and memory.saving is not None:
            memory.saving = lock.release_after(memory.saving)  # saved in the background
        else:
            lock.release()


def run_stages(
    config: Config,
    memory: BuildMemory,
    mode: BuildMode,
    changed_files: set[str] | None,
    progress: Progress,
    html_dir: Path,
) -> BuildReport:
    """The stages, one call each; a problem stops the build before anything is written."""
    started = time.perf_counter()
    output = memory.output
    report = BuildReport(output=output)
    scanned = memory.content_scan.scan(changed_files)
    assets = memory.content_scan.assets  # images and such, copied beside pages
    inputs, unchanged = unchanged_inputs(config, mode, output, scan_listing(scanned) + assets)
    if unchanged is not None:
        return unchanged.finish(started)
    previous = memory.previous_state(config.cache_dir, clean=mode.clean)
    md = make_markdown(config)
    progress("Reading content", 0, 0)
    lap = report.lap("scan", started)
    loaded = load_content(config, memory, scanned, previous, progress)
    lap = report.lap("read", lap)
    overrides, override_problems = load_overrides(config.root, config.extra)
    visibility = Visibility.of(config, mode.now)
    catalog, people = catalog_with_people(memory, previous, loaded, overrides, visibility)
    catalog.pages, page_problems = site_pages(loaded.files.items(), visibility)
    problems = loaded.problems + override_problems + catalog.problems + page_problems
    report.count(catalog, problems)
    if report.problems and not mode.keep_going:
        return report.finish(started)
    lap = report.lap("catalog", lap)
    cold = mode.clean or not previous.outputs or previous.output_dir != str(output)
    cold = cold or not output.is_dir()
    html_for = set(catalog.by_path) if cold else set(loaded.changed) & catalog.by_path.keys()
    search = start_search_outputs(
        config, memory, mode, catalog, md, previous, report, html_for, html_dir, progress
    )
    workers = memory.workers
    # a cold build on a cluster: the workers plan the families as they write them
    on_workers = cold and not workers.inherits
    try:
        plan = plan_site(
            config, memory, catalog, md, previous, loaded, people, cold, here=not on_workers
        )
    except jinja2.TemplateError as exc:
        search.cancel()
        report.problems.append(template_problem(exc))
        return report.finish(started)
    except BaseException:
        search.cancel()
        raise
    lap = report.lap("plan", lap)
    found = search.finish()
    lap = report.lap("search", lap)
    if report.problems and not mode.keep_going:
        return report.finish(started)
    stage = make_stage(output) if on_workers else None
    try:
        written, staged = 0, set()
        if stage is not None:
            with ThreadPoolExecutor(1) as here:  # the search export's links meanwhile
                export = here.submit(
                    write_outputs,
                    found.outputs,
                    stage,
                    flat=False,
                    workers=SERIAL,
                    progress=no_progress,
                )
                written, staged = plan_on_workers(config, plan, found, stage, workers, progress)
                written += export.result()
            staged.update(o.rel for o in found.outputs)
            lap = report.lap("write", lap)  # the families planned as they were written
        plan.beside = asset_outputs(config.content_dir, {rel for rel, _, _ in assets}, catalog)
        writes = complete_plan(plan, found, previous, memory, cold)
        report.pages, report.incremental = len(writes.outputs.pages), not cold
        lap = report.lap("plan", lap)
        to_write, to_remove = writes.to_write, writes.to_remove
        remote = None if workers.inherits else remote_writer(config, plan, workers)
        report.bytes = written + write_site(
            to_write,
            to_remove,
            output,
            cold=cold,
            workers=workers,
            progress=progress,
            remote=remote,
            stage=stage,
            staged=staged,
        )
    except ProblemError as exc:
        if stage is not None:
            abandon_stage(stage)
        report.problems.append(exc.problem)
        return report.finish(started)
    except BaseException:
        if stage is not None:
            abandon_stage(stage)
        raise
    lap = report.lap("write", lap)
    report.wrote(writes.to_write, writes.to_remove)
    state = next_state(output, previous, loaded, catalog, plan, writes, found, memory)
    memory.remember(state, catalog, loaded.problem_rels, plan.planner.new_facts)
    memory.planned_search = (state, found.outputs)
    if save_build(config, memory, mode, report, inputs):
        report.lap("save", lap)
    return report.finish(started)


def unchanged_inputs(
    config: Config, mode: BuildMode, output: Path, scanned: list
) -> tuple[str, BuildReport | None]:
    """(the digest of what this build reads, the last build's report when it read the
    same). serve's page builds neither read nor write the report; clean and live builds
    never answer from it, nor --no-future ones: an article may have come due since."""
    if mode.live and mode.pages_first:
        return "", None
    inputs = inputs_digest(config, output, scanned)
    if mode.clean or mode.live or not config.future:
        return inputs, None
    return inputs, read_unchanged_report(config, output, inputs)


def next_state(
    output: Path,
    previous: BuildState,
    loaded: Loaded,
    catalog: Catalog,
    plan: Plan,
    writes: Writes,
    found: FoundSearch,
    memory: BuildMemory,
) -> BuildState:
    """What this build knew, for the next one to start from."""
    related = kept_related(previous, plan.planner.related_paths, catalog, loaded.changed, plan.full)
    return BuildState(
        output_dir=str(output),
        files=loaded.files,
        outputs=writes.outputs.signatures,
        families=writes.outputs.families,
        pages=writes.outputs.pages,
        related=related,
        plan_digest=plan.digest,
        search_meta=found.meta,
        search_files=search_files(memory, found),
    )


def warm_up(config: Config, memory: BuildMemory) -> None:
    """Render the longest lists of the last build (each year's archive, the undated
    articles) without writing them, so their items are remembered (see
    Renderer.remember): serve's first edit in a year then renders one item, not a
    thousand. An error here is left for a real build to report."""
    catalog, renderer = memory.catalog, memory.renderer
    if catalog is None or renderer is None:
        return
    keys: list[tuple] = [("year", year) for year in catalog.years()] + [("undated",)]
    for key in keys:
        for page in family_pages(config, catalog, key, lambda a: []):
            try:
                renderer.render(page.template, {**page.context, "page_path": page.path})
            except jinja2.TemplateError:
                return
