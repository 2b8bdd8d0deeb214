"""`sitegen build` as one readable pipeline: scan, load, catalog, plan, render, write.

Build policy: every content file is checked; if any has a problem, the problems are
reported and the output is left exactly as it was (exit status 1). With keep_going the
bad files are skipped and the rest of the site is written anyway.

Writing: every build renders what it must write into a fresh folder beside the output
first, so a template error half-way (reported with template and line) leaves the output
as it was. A first (or --clean) build then swaps that folder in; later builds, which
rewrite only outputs whose signature changed (graph.py), move each new file into place
by one rename and remove outputs no longer produced. A reader never sees half a page.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markdown_it import MarkdownIt

from sitegen import __version__
from sitegen.config import Config
from sitegen.locks import build_lock
from sitegen.model import TAXONOMIES, Article, Problem, ProblemError, unexpected_problem
from sitegen.parallel import batch_collection, fork_map
from sitegen.site.catalog import (
    RELATED_WEIGHTS,
    Catalog,
    build_catalog,
    rarity_class,
    term_window,
    update_catalog,
)
from sitegen.site.graph import (
    BuildState,
    CachedFile,
    TemplateDigests,
    article_digest,
    listing_digest,
    load_state,
    moves_in_lists,
    placing_digest,
    save_state,
    strip_body,
)
from sitegen.site.load import load_article, read_body
from sitegen.site.pages import family_keys, family_pages
from sitegen.site.people_names import PeopleCache, PeopleNames, same_people
from sitegen.site.plan import (
    SEARCH_FAMILY,
    CachedDigests,
    Planner,
    feed_family_keys,
    kept_related,
    outputs_to_write,
    replace_families,
    replace_site_files,
)
from sitegen.site.render import (
    Renderer,
    make_markdown,
    template_problem,
    theme_dirs,
)
from sitegen.site.report import BuildReport, Output, Progress, no_progress
from sitegen.site.scan import ContentScan
from sitegen.site.search_outputs import SearchOutputs
from sitegen.site.unchanged import (
    config_fields,
    inputs_digest,
    read_unchanged_report,
    scan_listing,
    template_stamp,
    write_unchanged_report,
)
from sitegen.site.writer import (
    HTML_DIR_PREFIX,
    discard_stage,
    install_outputs,
    make_stage,
    remove_abandoned_html_dirs,
    write_outputs,
)

if TYPE_CHECKING:
    pass


#: Below this many files to parse or pages to render, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 400
BODIES_IN_MEMORY = 20_000  # articles parsed at once above which bodies are re-read


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def build_site(
    config: Config,
    *,
    out: Path | None = None,
    keep_going: bool = False,
    clean: bool = False,
    jobs: int | None = None,
    progress: Progress = no_progress,
    remember: bool = True,
) -> BuildReport:
    """Build once; see Builder for repeated builds that keep their state in memory.

    remember=False (check's build into a folder of its own) leaves the site's saved
    state alone, so the next real build stays incremental.
    """
    builder = Builder(config, out=out, jobs=jobs)
    builder.remember = remember
    try:
        return builder.build(keep_going=keep_going, clean=clean, progress=progress)
    except ProblemError as exc:  # the build lock: another process held it, or no cache
        return BuildReport(output=builder.output, problems=[exc.problem])


class Builder:
    """Builds a site, keeping what it learnt (parsed files, output signatures) between runs."""

    def __init__(self, config: Config, *, out: Path | None = None, jobs: int | None = None):
        self.config = config
        self.output = (out or config.output_dir).resolve()
        self.jobs = jobs if jobs is not None else default_jobs()
        self.state: BuildState | None = None
        self.catalog: Catalog | None = None
        self.renderer: Renderer | None = None  # kept between builds: compiled templates
        self.term_memo: dict = {}  # (taxonomy, name) -> (articles token, co-terms, timeline)
        self.bodies: dict[tuple[str, str], str] = {}  # see Planner.bodies
        self.content_scan = ContentScan(config.content_dir)
        self._hinted_base: BuildState | None = None
        self._problem_rels: set[str] | None = None  # files of self._hinted_base with problems
        self._new_problem_rels: set[str] = set()
        self._people_cache: PeopleCache | None = None
        self._catalog_state: BuildState | None = None  # the state self.catalog goes with
        self._planned_search: tuple[BuildState, list] | None = None  # state, search outputs
        self._kept_search: tuple[list, list[Output]] | None = None  # serve, between exports
        self._listing: tuple[str, ...] = ()
        self.save_in_background = False  # serve: do not make the browser wait for the pickle
        # serve: load the state and plan even when nothing changed, so the first edit is as
        # quick as the ones after it
        self.keep_warm = False
        self.defer_search = False  # serve: publish pages first, bring search up to date after
        self._saving: threading.Thread | None = None
        self.remember = True  # save the state for the next build (not for check's builds)

    # -- stages -------------------------------------------------------------------------

    def build(
        self,
        *,
        keep_going: bool = False,
        clean: bool = False,
        progress: Progress = no_progress,
        changed_files: set[str] | None = None,
    ) -> BuildReport:
        """Build; `changed_files` (absolute paths a watcher saw change) lets the content
        scan stat just those files instead of the whole content folder.

        One process builds a site at a time: the build holds the site's build lock
        (sitegen.locks), and raises LockHeld when another process held it too long.
        """
        if self._saving is not None:  # the last build's state save, which holds the lock
            self._saving.join()
        lock = build_lock(self.config.cache_dir).acquire()
        saving = self._saving
        html_dir = self.config.cache_dir / f"{HTML_DIR_PREFIX}{os.getpid()}"
        remove_abandoned_html_dirs(self.config.cache_dir)
        try:
            with batch_collection():
                return self._build(keep_going, clean, progress, changed_files, html_dir)
        finally:
            shutil.rmtree(html_dir, ignore_errors=True)
            if self._saving is not saving and self._saving is not None:
                self._saving = lock.release_after(self._saving)  # saved in the background
            else:
                lock.release()

    def _build(
        self,
        keep_going: bool,
        clean: bool,
        progress: Progress,
        changed_files: set[str] | None,
        html_dir: Path,
    ) -> BuildReport:
        started = time.perf_counter()
        config = self.config
        report = BuildReport(output=self.output)
        scanned = self.content_scan.scan(changed_files)
        # serve's page builds neither read nor write the unchanged-inputs report
        quick = self.keep_warm and self.defer_search
        inputs = "" if quick else inputs_digest(config, self.output, scan_listing(scanned))
        if not clean and not self.keep_warm and self.output.is_dir():
            unchanged = read_unchanged_report(config.cache_dir, inputs)
            if unchanged is not None:
                unchanged.output = self.output
                unchanged.seconds = time.perf_counter() - started
                return unchanged
        if clean or self.state is None:
            self.state = BuildState() if clean else load_state(config.cache_dir)
        previous = self.state
        md = make_markdown(config)

        progress("Reading content", 0, 0)
        lap = report.lap("scan", started)
        files, problems, fresh, changed = self._load(scanned, previous, progress)
        lap = report.lap("read", lap)
        catalog, people, people_problems = self._catalog(previous, files, fresh, changed)
        problems += people_problems
        report.problems = problems + catalog.problems
        report.articles = len(catalog.articles)
        report.people = len(catalog.terms["people"])
        report.topics = len(catalog.terms["topics"])
        report.sources = len(catalog.terms["source"])
        if report.problems and not keep_going:
            report.seconds = time.perf_counter() - started
            return report

        lap = report.lap("catalog", lap)
        cold = (
            clean
            or not previous.outputs
            or previous.output_dir != str(self.output)
            or not self.output.is_dir()
        )
        # Search parses every body it analyses; the pages about to be written (all of
        # them when cold, else the edited ones) get their body HTML from that parse,
        # written by search's workers into html_dir (removed when the build ends).
        html_for = set(catalog.by_path) if cold else set(changed) & catalog.by_path.keys()
        # Search's workers index while this process plans the pages (all but the search
        # page, which names the export's meta file: planned once search is done).
        pending = self._start_search(catalog, md, progress, report, previous, html_for, html_dir)
        try:
            renderer = self._renderer(catalog)
            digests = TemplateDigests(renderer.env)
            try:
                plan_digest = self._plan_digest(catalog, digests, people.digest)
            except jinja2.TemplateError as exc:
                pending.cancel()
                report.problems.append(template_problem(exc))
                report.seconds = time.perf_counter() - started
                return report
            full = cold or previous.plan_digest != plan_digest
            planner, keys, moved = self._planner(
                catalog, renderer, digests, md, plan_digest, previous, files, changed, people, full
            )
            planned = {key: planner.family(key) for key in keys if key != SEARCH_FAMILY}
        except BaseException:
            pending.cancel()
            raise
        lap = report.lap("plan", lap)
        search_meta, search_outputs, rendered = pending.finish()
        lap = report.lap("search", lap)
        if report.problems and not keep_going:
            report.seconds = time.perf_counter() - started
            return report
        planner.search_meta = search_meta
        planner.rendered.update(rendered)  # pages planned already hold this dict
        if SEARCH_FAMILY in keys:
            planned[SEARCH_FAMILY] = planner.family(SEARCH_FAMILY)

        outputs = replace_families(previous, planned, full)
        extra = planner.site_files(
            outputs.pages, None if full or moved or outputs.pages != previous.pages else previous
        )
        # The search export is a family of its own (thousands of files), left as it is
        # while it is the very list of outputs the previous build planned.
        kept_search = (
            not full
            and self._planned_search is not None
            and self._planned_search[0] is previous
            and self._planned_search[1] is search_outputs
            and ("search-files",) in outputs.families
        )
        extra = replace_site_files(outputs, extra, search_outputs, kept_search)
        todo, stale = outputs_to_write(outputs, planned, extra, previous, cold=cold, full=full)
        families, outputs_sig, pages = outputs.families, outputs.signatures, outputs.pages
        report.pages = len(pages)
        report.incremental = not cold

        # Everything is rendered into a folder beside the output first: a template error
        # half-way leaves the output exactly as it was.
        stage = make_stage(self.output)
        lap = report.lap("plan", lap)
        try:
            report.bytes = self._write(todo, stage, progress=progress, flat=not cold)
        except ProblemError as exc:
            discard_stage(stage)
            report.problems.append(exc.problem)
            report.seconds = time.perf_counter() - started
            return report
        except BaseException:
            discard_stage(stage)
            raise
        install_outputs(stage, self.output, todo, stale, cold=cold)
        lap = report.lap("write", lap)
        report.files = len(todo)
        report.removed = len(stale)
        report.removed_paths = stale
        report.changed = [o.rel for o in todo]
        report.written = True

        related_paths = kept_related(previous, planner.related_paths, catalog, changed, full)
        self.state = BuildState(
            output_dir=str(self.output),
            files=files,
            outputs=outputs_sig,
            families=families,
            pages=pages,
            related=related_paths,
            plan_digest=plan_digest,
            search_meta=search_meta,
            search_files=(
                self._kept_search[0]
                if self._kept_search is not None and search_outputs is self._kept_search[1]
                else [(o.rel, o.copy_from or "") for o in search_outputs]
            ),
        )
        self.catalog = catalog
        self.term_memo.update(planner.new_facts)
        self._planned_search = (self.state, search_outputs)
        self._catalog_state = self._hinted_base = self.state
        self.content_scan.hinted = set()
        self._problem_rels = self._new_problem_rels
        self._save(report, inputs, lap)
        report.seconds = time.perf_counter() - started
        return report

    def _planner(
        self,
        catalog: Catalog,
        renderer: Renderer,
        digests: TemplateDigests,
        md: MarkdownIt,
        plan_digest: str,
        previous: BuildState,
        files: dict[str, CachedFile],
        changed: list[str],
        people: PeopleNames,
        full: bool,
    ) -> tuple[Planner, list[tuple], bool]:
        """(the planner, the page families to plan, whether any article changed place):
        every family when the plan is full, else the ones the changed articles touch."""
        if full:
            keys = [*family_keys(catalog), *feed_family_keys(catalog)]
            related: dict[str, list[str]] = {}
            moved = True
            changed_paths: set[str] = set()
        else:
            keys, related, moved, changed_paths = self._dirty_families(
                previous, files, catalog, changed, people
            )
        planner = Planner(
            self.config,
            catalog,
            renderer,
            digests,
            md,
            plan_digest,
            related,
            CachedDigests(files, "listing", people),
            CachedDigests(files, "placing"),
            self.term_memo,
        )
        planner.bodies = self.bodies
        if not full and not moved:
            # no article changed place: long paginated lists keep the signatures of the
            # pages that do not show a changed article
            planner.unmoved = (changed_paths, previous.outputs)
        return planner, keys, moved

    def _save(self, report: BuildReport, inputs: str, lap: float) -> None:
        """Keep this build's state for the next one (and, when it had no problem, the
        unchanged-inputs report). Not mid-edit in serve (the state stays in memory and
        the build that follows a pause saves it: a state older than build/ only costs
        rewrites), not for check's builds, in the background when serve asks."""
        if self.defer_search:
            return
        if self._saving is not None:
            self._saving.join()
        if not self.remember:
            return
        cache_dir = self.config.cache_dir
        if self.save_in_background:
            self._saving = threading.Thread(target=save_state, args=(cache_dir, self.state))
            self._saving.start()
        else:
            save_state(cache_dir, self.state)
        if not report.problems:
            write_unchanged_report(cache_dir, inputs, report)
        report.lap("save", lap)

    def warm_up(self) -> None:
        """Render the longest lists of the last build (each year's archive, the undated
        articles) without writing them, so their items are remembered (see
        Renderer.remember): serve's first edit in a year then renders one item, not a
        thousand. An error here is left for a real build to report."""
        catalog, renderer = self.catalog, self.renderer
        if catalog is None or renderer is None:
            return
        keys: list[tuple] = [("year", year) for year in catalog.years()] + [("undated",)]
        for key in keys:
            for page in family_pages(self.config, catalog, key, lambda a: []):
                try:
                    renderer.render(page.template, {**page.context, "page_path": page.path})
                except jinja2.TemplateError:
                    return

    def _load(self, scanned: dict[str, tuple[int, int]], previous: BuildState, progress: Progress):
        """Parse new and changed files; reuse the cached parse of the rest.

        Returns the files, their problems, the articles parsed now (with body) by path,
        and the content paths whose article differs from the previous build's, sorted.
        When a watcher named every path that changed since `previous`, only those are
        looked at.
        """
        content_dir = self.config.content_dir
        problems: list[Problem] = []
        to_parse: list[tuple[str, int, int]] = []
        hinted = (
            self.content_scan.hinted is not None
            and self._hinted_base is previous
            and self._problem_rels is not None
        )
        if hinted:
            files = dict(previous.files)
            for rel in self.content_scan.hinted:
                files.pop(rel, None)
            candidates = [
                (rel, *scanned[rel]) for rel in sorted(self.content_scan.hinted) if rel in scanned
            ]
        else:
            files = {}
            candidates = scan_listing(scanned)
        for rel, mtime_ns, size in candidates:
            cached = previous.files.get(rel)
            if cached and cached.mtime_ns == mtime_ns and cached.size == size:
                files[rel] = cached
            else:
                to_parse.append((rel, mtime_ns, size))
        # A big archive's bodies (~0.6 GB at 100k) are not kept: the parsing workers drop
        # them, and search and the article pages read each body again where needed.
        keep_bodies = len(to_parse) <= BODIES_IN_MEMORY
        parsed = _map(
            _parse_one,
            [rel for rel, _, _ in to_parse],
            self.jobs,
            init=(_init_parse, (str(content_dir), self.config.allow_html, keep_bodies)),
            progress=lambda done: progress("Reading content", done, len(to_parse)),
        )
        fresh: list[Article] = []
        for (rel, mtime, size), result in zip(to_parse, parsed, strict=True):
            if not isinstance(result, Problem):
                try:
                    listing = listing_digest(result)
                    digests = (article_digest(result, listing), listing, placing_digest(result))
                except Exception as exc:  # a value no check foresaw: this file only
                    result = unexpected_problem(f"content/{rel}", exc)
            if isinstance(result, Problem):
                files[rel] = CachedFile(mtime, size, None, result)
            else:
                stripped = strip_body(result) if result.body_loaded else result
                fresh.append(result if keep_bodies else stripped)
                files[rel] = CachedFile(mtime, size, stripped, None, *digests)
        fresh_by_path = {a.path: a for a in fresh}
        if hinted:
            known = {rel for rel in self._problem_rels if rel not in self.content_scan.hinted}  # type: ignore[union-attr]
            looked_at = [rel for rel, _, _ in candidates]
        else:
            known, looked_at = set(), list(files)
        self._new_problem_rels = known | {r for r in looked_at if files[r].problem is not None}
        for rel in sorted(self._new_problem_rels):
            problems.append(files[rel].problem)  # type: ignore[arg-type]
        old = previous.files
        if hinted:  # only a watched path can be gone
            gone = {rel for rel in self.content_scan.hinted if rel in old and rel not in files}  # type: ignore[union-attr]
        else:
            gone = old.keys() - files.keys()
        edited = {
            rel for rel, _, _ in to_parse if rel not in old or old[rel].digest != files[rel].digest
        }
        changed = sorted(edited | gone)
        return files, problems, fresh_by_path, changed

    def _catalog(
        self,
        previous: BuildState,
        files: dict[str, CachedFile],
        fresh: dict[str, Article],
        changed: list[str],
    ) -> tuple[Catalog, PeopleNames, list[Problem]]:
        """The articles, people names made canonical, cross-referenced into a Catalog.

        serve's edits take a short way: when the last build's catalog is at hand and no
        changed article added, dropped or reordered a people list, the people mapping is
        the same and update_catalog patches just the changed articles in.
        """
        from sitegen.entities.overrides import load_overrides

        overrides, problems = load_overrides(self.config.root, self.config.extra)
        warm, cache = self.catalog, self._people_cache
        if (
            warm is not None
            and cache is not None
            and self._catalog_state is previous
            and cache.overrides == repr(overrides)
            and all(same_people(previous.files.get(rel), files.get(rel)) for rel in changed)
        ):
            people = PeopleNames(cache.archive, cache.mapping, cache.memo)
            if not changed:
                return warm, people, problems
            removed = [warm.by_path[rel] for rel in changed if rel in warm.by_path]
            added = [
                people.rewrite(fresh.get(rel) or files[rel].article)  # type: ignore[arg-type]
                for rel in changed
                if files[rel].article is not None
            ]
            catalog = update_catalog(warm, removed, added)
            if catalog is not None:
                return catalog, people, problems
        articles = [
            fresh.get(rel) or cached.article
            for rel, cached in sorted(files.items())
            if cached.article is not None
        ]
        people = self._people(articles, overrides)
        catalog = build_catalog([people.rewrite(a) for a in articles])
        people.name_aliases(catalog)
        return catalog, people, problems

    def _renderer(self, catalog: Catalog) -> Renderer:
        # A new, removed or edited template file means a new environment (its templates
        # are never re-checked while a build renders: that was a stat() per page and
        # template, 46,000 at 10k articles).
        listing = tuple(
            sorted(
                template_stamp(p)
                for d in theme_dirs(self.config)
                for p in (d / "templates").rglob("*")
                if p.is_file()
            )
        )
        if self.renderer is None or self._listing != listing:
            self.renderer = Renderer(self.config)
            self._listing = listing
        self.renderer.catalog = catalog
        return self.renderer

    def _people(self, articles: list[Article], overrides: Any) -> PeopleNames:
        """One name per person across the archive, with the site's overrides applied.

        Uses the same rules as `sitegen extract` (sitegen/entities), so a correction in
        sitegen.toml or people.toml shows on every page at the next build. Cached on the
        people lists themselves, which rarely change.
        """
        from sitegen.entities.aliases import canonicalize_archive

        ordered = sorted(articles, key=lambda a: a.sort_key, reverse=True)  # oldest first
        key = hashlib.sha1(repr((overrides, [a.people for a in ordered])).encode()).hexdigest()
        cache = self._people_cache
        if cache is None or cache.key != key:
            archive = canonicalize_archive([a.people for a in ordered], overrides)
            # pages depend on the mapping, not on the lists it was made from: a date edit
            # that reorders them but leaves every name as it was changes no other page
            mapping = repr((sorted(archive.canonical.items()), sorted(archive.aliases.items())))
            cache = self._people_cache = PeopleCache(
                key, archive, repr(overrides), {}, hashlib.sha1(mapping.encode()).hexdigest()
            )
        return PeopleNames(cache.archive, cache.mapping, cache.memo)

    def _start_search(
        self,
        catalog: Catalog,
        md: MarkdownIt,
        progress: Progress,
        report: BuildReport,
        previous: BuildState,
        html_for: set[str],
        html_dir: Path,
    ) -> SearchOutputs:
        """Start updating the Whoosh index and the static export for what changed.

        With defer_search (serve), the previous export is kept for this build; the server
        runs a full build right after publishing the pages, which brings search up to date.
        """
        from sitegen.search.pipeline import start_search

        if self.defer_search and previous.search_meta:
            cached = self._kept_search
            if cached is None or cached[0] is not previous.search_files:
                kept = [
                    Output(rel, rel, copy_from=src, linkable=True)
                    for rel, src in previous.search_files
                ]
                cached = self._kept_search = (previous.search_files, kept)
            return SearchOutputs(report, None, (previous.search_meta, cached[1], {}))
        content_dir = self.config.content_dir
        try:
            started = start_search(
                self.config,
                catalog.articles,
                md=md,
                jobs=self.jobs,
                progress=progress,
                read_body=partial(read_body, content_dir),
                html_for=html_for,
                html_dir=html_dir,
            )
        except ProblemError as exc:
            report.problems.append(exc.problem)
            return SearchOutputs(report, None, ("", [], {}))
        return SearchOutputs(report, started, None)

    def _plan_digest(self, catalog: Catalog, digests: TemplateDigests, people: str) -> str:
        """What every page depends on: settings, all templates, slugs, the people mapping."""
        config = self.config
        parts = [__version__, people]
        parts.append(
            repr(
                sorted(
                    (k, repr(v)) for k, v in config_fields(config) if k not in ("root", "output")
                )
            )
        )
        for name in sorted(digests.env.list_templates()):
            parts.append(f"{name}:{digests.digest(name)}")
        if any(catalog.terms.values()):
            parts.append(catalog.slug_table())
        return hashlib.sha1("\x1e".join(parts).encode("utf-8")).hexdigest()

    def _dirty_families(
        self,
        previous: BuildState,
        files: dict[str, CachedFile],
        catalog: Catalog,
        changed_files: list[str],
        people: PeopleNames,
    ) -> tuple[list[tuple], dict[str, list[str]], bool, set[str]]:
        """The families an incremental build must look at, and related lists still valid.

        Changed articles dirty their own page, their terms' pages and feeds, their months,
        and the article pages whose related lists can move: those that listed them, and
        their neighbours in each term's list (see catalog.related_articles). Both versions
        are taken with canonical people names, as the pages show them (the mapping is the
        previous build's too, or the plan digest would have changed).
        """
        old = {
            rel: people.canonical(previous.files[rel].article)
            for rel in changed_files
            if rel in previous.files
        }
        new = {rel: people.canonical(files[rel].article) for rel in changed_files if rel in files}
        changed = [rel for rel in changed_files if old.get(rel) or new.get(rel)]
        # the archive index and the term indexes show counts: only a move changes them
        keys: dict[tuple, None] = dict.fromkeys([("home",), ("feed",), ("search",)])
        if not changed:
            return list(keys), dict(previous.related), False, set()
        changed_set = set(changed)
        recheck: set[str] = set(changed)
        df_delta: dict[tuple[str, str], int] = {}
        moved = False
        for rel in changed:
            versions = [v for v in (old.get(rel), new.get(rel)) if v is not None]
            for version in versions:
                if version.date is None:
                    keys[("undated",)] = None
                else:
                    keys[("year", version.date.year)] = None
                    keys[("month", version.date.year, version.date.month)] = None
                for taxonomy in TAXONOMIES:
                    for name in version.terms(taxonomy):
                        keys[("term", taxonomy, name)] = None
                        if taxonomy != "source":
                            keys[("term-feed", taxonomy, name)] = None
            if not moves_in_lists(old.get(rel), new.get(rel)):
                continue
            moved = True
            for version, sign in ((old.get(rel), -1), (new.get(rel), 1)):
                if version is None:
                    continue
                for taxonomy in RELATED_WEIGHTS:
                    for name in version.terms(taxonomy):
                        df_delta[(taxonomy, name)] = df_delta.get((taxonomy, name), 0) + sign
                        term = catalog.terms[taxonomy].get(name)
                        if term is not None:
                            window = term_window(catalog, term, version, margin=2)
                            recheck.update(a.path for a in window)
        if moved:
            keys.update(dict.fromkeys([("archive",), *(("terms", t) for t in TAXONOMIES)]))
        for (taxonomy, name), delta in df_delta.items():
            term = catalog.terms[taxonomy].get(name)
            now = len(term.articles) if term else 0
            if delta and rarity_class(now) != rarity_class(now - delta) and term is not None:
                recheck.update(a.path for a in term.articles)
        related = {}
        for path, listed in previous.related.items():
            if path in recheck or changed_set.intersection(listed):
                recheck.add(path)
            else:
                related[path] = listed
        for path in sorted(recheck):
            keys[("article", path)] = None
        return list(keys), related, moved, changed_set

    def _write(self, todo: list[Output], target: Path, *, progress: Progress, flat: bool) -> int:
        """Render `todo` into `target` (writer.write_outputs), in a pool when it pays off."""
        jobs = self.jobs if len(todo) >= PARALLEL_THRESHOLD else 1
        return write_outputs(todo, target, flat=flat, jobs=jobs, mapper=_map, progress=progress)


# -- work done in worker processes (fork: the plan is inherited, not pickled) -----------

_PARSE_JOB: tuple[Path, MarkdownIt, bool] | None = None


def _init_parse(content_dir: str, allow_html: bool, keep_bodies: bool = True) -> None:
    global _PARSE_JOB
    from sitegen.config import Config

    md = make_markdown(Config(root=Path("."), allow_html=allow_html))
    _PARSE_JOB = (Path(content_dir), md, keep_bodies)


def _parse_one(rel: str) -> Article | Problem:
    assert _PARSE_JOB is not None
    content_dir, md, keep_bodies = _PARSE_JOB
    try:
        article = load_article(content_dir, content_dir / rel, md)
    except ProblemError as exc:
        return exc.problem
    except Exception as exc:  # one file no check foresaw never stops the build's reading
        return unexpected_problem(f"content/{rel}", exc)
    return article if keep_bodies else strip_body(article)


def _map(func, items: list, jobs: int, *, init=None, progress=None) -> list:
    """func over items, in a forked pool when it pays off; results in input order."""
    return fork_map(
        func, items, jobs, init=init, progress=progress, min_items=PARALLEL_THRESHOLD // 8
    )
