"""The `sitegen` command: parses arguments, calls the stages, shows results. No logic here."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sitegen import __version__
from sitegen.config import Config, load_config
from sitegen.model import Problem, ProblemError, unexpected_problem

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

site_option = click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The site folder (the one holding sitegen.toml).",
)


#: Set by --debug (or SITEGEN_DEBUG=1): unexpected failures show their traceback.
DEBUG = os.environ.get("SITEGEN_DEBUG", "") not in ("", "0")


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    global DEBUG
    DEBUG = DEBUG or value


debug_option = click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_set_debug,
    help="Show the traceback of an unexpected failure.",
)

FUTURE_OPTION = click.option(
    "--future/--no-future",
    default=True,
    show_default=True,
    help="Build articles dated after now (--no-future leaves them out until their date).",
)


#: Nouns whose plural is not noun + "s".
IRREGULAR_PLURALS = {"person": "people"}


def counted(number: int, noun: str) -> str:
    """'1 file', '2 files', '1 person', '3 people': every count the CLI prints goes through here."""
    if number == 1:
        return f"{number} {noun}"
    return f"{number} {IRREGULAR_PLURALS.get(noun, noun + 's')}"


def show_problems(problems: list[Problem]) -> None:
    for problem in problems:
        err.print(f"[bold red]error[/] {escape(str(problem))}", markup=True, soft_wrap=True)
        if DEBUG and problem.detail:
            err.print(problem.detail.rstrip(), markup=False, soft_wrap=True)


def show_warning(text: str) -> None:
    err.print(f"[yellow]warning[/] {escape(text)}", markup=True, soft_wrap=True)


def fail(problem: Problem) -> None:
    show_problems([problem])
    sys.exit(2)


class TerminalProgress:
    """A rich progress bar, shown only on a terminal and only once a stage has a size."""

    def __init__(self) -> None:
        self.bar: Progress | None = None
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> TerminalProgress:
        if err.is_terminal:
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            )
            self.bar.start()
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar is None:
            return
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total or None)
        self.bar.update(self.tasks[stage], completed=done, total=total or None)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def cli() -> None:
    """sitegen: turn a pile of news articles into a browsable, searchable static archive.

    \b
    Start with `sitegen init DIR`, add articles with `sitegen new "Title"` or
    `sitegen import FILES`, then `sitegen build` or `sitegen serve`.
    \b
    Themes: the default theme (templates/ and static/) ships inside sitegen;
    `sitegen theme path` prints where. A file of the same relative path in the
    site's theme folder (theme/, [build] theme_dir) replaces it: `sitegen theme
    copy article.html` (or static/style.css, or --all) copies it there to edit.
    """


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="News Archive", show_default=True, help="The site's name.")
def init(directory: Path, title: str) -> None:
    """Create a new, empty site in DIRECTORY that builds at once."""
    from sitegen.scaffold import create_site

    try:
        created = create_site(directory, title)
    except ProblemError as exc:
        fail(exc.problem)
    for path in created:
        out.print(f"created {path}")
    out.print(f"\nNext: cd {directory} && sitegen build")


def parse_day(value: str | None) -> datetime.date:
    """--date YYYY-MM-DD (today without it)."""
    if value is None:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date like 2024-05-31", param_hint="--date"
        ) from None


@cli.group()
def theme() -> None:
    """The default theme and the site's own theme folder, which overrides it file by file."""


@theme.command("path")
def theme_path() -> None:
    """Print the folder of the default theme (templates/ and static/)."""
    from sitegen.site.themes import default_theme_dir

    out.print(str(default_theme_dir()), markup=False, soft_wrap=True)


@theme.command("copy")
@click.argument("names", nargs=-1, metavar="[TEMPLATE|FILE]...")
@click.option("--all", "copy_all", is_flag=True, help="Copy every file of the default theme.")
@click.option("--force", is_flag=True, help="Replace files already in the site's theme folder.")
@site_option
@debug_option
def theme_copy(names: tuple[str, ...], copy_all: bool, force: bool, site_dir: Path) -> None:
    """Copy default theme files into the site's theme folder, to edit them there.

    \b
    NAME is a template (article.html), a static file (style.css) or a path in
    the default theme (templates/base.html, static/search.js). Files already
    in the theme folder are kept unless --force; the exit status is then 1.
    """
    from sitegen.scaffold import copy_theme_files

    if bool(names) == copy_all:
        fail(Problem("sitegen theme copy", "name the files to copy (article.html ...) or --all"))
    try:
        copied, problems = copy_theme_files(load_config(site_dir), list(names), force)
    except ProblemError as exc:
        fail(exc.problem)
    show_problems(problems)
    for path in copied:
        out.print(f"copied {path}", markup=False, soft_wrap=True)
    out.print(f"{counted(len(copied), 'file')} copied", markup=False)
    if problems:
        sys.exit(1)


@cli.command("new")
@click.argument("title")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The article's date (default: today).")
@click.option("--source", help="The outlet the article comes from.")
@site_option
@debug_option
def new_command(title: str, day: str | None, source: str | None, site_dir: Path) -> None:
    """Write a new article, content/<yyyy>/<mm>/<slug-of-TITLE>.md, and print its path.

    Its front matter holds the title, the date and the source; write the body below it.
    An existing file is never overwritten. A title starting with '-' goes after '--':
    sitegen new -- "-30 degrees in Oslo".
    """
    from sitegen.scaffold import new_article

    when = parse_day(day)
    try:
        path = new_article(load_config(site_dir), title, when, source)
    except ProblemError as exc:
        fail(exc.problem)
    out.print(str(path), markup=False, soft_wrap=True)


@cli.command()
@site_option
@debug_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: [build] output in sitegen.toml, 'build').",
)
@click.option("--base-url", help="Where the site will be hosted, e.g. https://example.org/archive/")
@click.option(
    "--clean",
    is_flag=True,
    help="Forget the previous build's state and rebuild every file from scratch.",
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Write the site even if some files have problems (they are left out).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Worker processes for parsing and rendering (default: the number of cores).",
)
@click.option("--timings", is_flag=True, help="Print how long each stage of the build took.")
@click.option("--drafts", is_flag=True, help="Also build articles with 'draft: true' (marked).")
@FUTURE_OPTION
@click.option(
    "--cluster",
    "cluster_address",
    metavar="ADDRESS",
    help="Parse, index and render on a Dask cluster: a scheduler's address "
    "(tcp://host:8786) or local:N for N worker processes here (pip install "
    "'sitegen[cluster]'); default: [cluster] address in sitegen.toml. Workers must see "
    "the site and output folders. The output is the same as without.",
)
def build(
    site_dir: Path,
    out_dir: Path | None,
    base_url: str | None,
    clean: bool,
    keep_going: bool,
    jobs: int | None,
    timings: bool,
    drafts: bool,
    future: bool,
    cluster_address: str | None,
) -> None:
    """Build the site into the output folder.

    Pages for every article, person, topic, source and author (the `authors:`/`author:`
    byline), date archives, Atom feed.xml and RSS rss.xml feeds (site-wide and per person,
    topic and author; undated articles are left out of feeds), the sitemap and search.

    Every content file is checked first. If any has a problem, all problems are listed,
    the previous output is left untouched and the exit status is 1 (use --keep-going to
    write the rest of the site anyway, still exiting 1). Only files whose inputs changed
    since the last build are rewritten. Drafts are left out unless --drafts; articles
    dated in the future are built unless --no-future.
    """
    import dataclasses
    import datetime as dt

    from sitegen.site.pipeline import build_site

    try:
        config = load_config(site_dir, base_url)
    except ProblemError as exc:
        fail(exc.problem)
    config = dataclasses.replace(config, drafts=drafts, future=future)
    now = dt.datetime.now(dt.UTC)  # the build's clock, read once at the edge (--no-future)
    if config.relative_base_url:
        show_warning(config.relative_base_url)
    address = cluster_address or config.cluster_address or None  # --cluster, else [cluster]
    output = (out_dir or config.output_dir).resolve()
    with on_cluster(address, config, output.parent) as cluster:
        workers = None
        if cluster is not None:
            from sitegen.cluster import ClusterWorkers

            workers = ClusterWorkers(cluster)
        with TerminalProgress() as progress:
            options = {"keep_going": keep_going, "clean": clean, "jobs": jobs, "now": now}
            report = build_site(config, out=out_dir, progress=progress, workers=workers, **options)
    show_problems(report.problems)
    if timings:
        for stage, seconds in report.stages.items():
            cpu = report.stage_cpu.get(stage, 0.0)
            out.print(f"  {stage:<12} {seconds:8.2f} s wall {cpu:8.2f} s CPU")
        if workers is not None:
            busy = ", ".join(f"{name} {s:.2f} s" for name, s in workers.busy.items())
            out.print(
                f"  on the cluster ({counted(workers.jobs, 'worker')}, "
                f"{counted(workers.tasks, 'task')}): {busy or 'nothing'}"
            )
    summary = (
        f"{counted(report.articles, 'article')}, {counted(report.people, 'person')}, "
        f"{counted(report.topics, 'topic')}, {counted(report.sources, 'source')}"
    )
    if report.written:
        what = (
            f"{counted(report.files, 'file')} written, {report.removed} removed"
            if report.incremental
            else counted(report.files, "file")
        )
        out.print(
            f"Built {summary}: {counted(report.pages, 'page')}; {what} "
            f"({report.bytes / 1e6:.1f} MB) in {report.seconds:.2f} s -> {report.output}"
        )
    else:
        err.print(
            f"[bold red]Build failed[/]: {counted(len(report.problems), 'problem')}; "
            f"{report.output} was left as it was. ({summary} read)"
        )
    if report.problems:
        sys.exit(1)


IMPORT_STATUS_LABELS = {
    "written": "written",
    "updated": "updated (--force)",
    "unchanged": "unchanged",
    "duplicate": "near-duplicates recorded",
    "kept_edit": "kept (edited by hand)",
    "skipped": "skipped (error)",
    "ignored": "ignored (other file types)",
}


@contextlib.contextmanager
def on_cluster(address: str | None, config: Config, *also: Path) -> Iterator[Any]:
    """A connected sitegen.cluster.Cluster for --cluster, or None without it; a problem
    connecting (or a worker that cannot see the site, or the folders `also`) ends the
    command with its message."""
    if address is None:
        yield None
        return
    from sitegen.cluster import connect, require_shared_folder

    try:
        with connect(address) as cluster:
            for folder in dict.fromkeys([config.root.resolve(), *also]):
                require_shared_folder(cluster, folder)
            yield cluster
    except ProblemError as exc:
        fail(exc.problem)


def parse_reference_time(value: str | None) -> tuple[datetime.datetime | None, bool]:
    """--reference-time: an ISO date/time, or 'file' for each raw file's modification time."""
    if value is None:
        return None, False
    if value.strip().lower() == "file":
        return None, True
    try:
        return datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00")), False
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO date/time (2025-08-08 or 2025-08-08T12:00) nor 'file'",
            param_hint="--reference-time",
        ) from None


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@site_option
@debug_option
@click.option("--force", is_flag=True, help="Clean again and overwrite, even files edited by hand.")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report on stdout.")
@click.option(
    "--reference-time",
    metavar="WHEN",
    help="Resolve relative dates ('a day ago') against WHEN: an ISO date/time, or 'file' "
    "for each raw file's modification time. Without it such dates stay unknown.",
)
@click.option(
    "--cluster",
    "cluster_address",
    metavar="ADDRESS",
    help="Read and clean the files on a Dask cluster: a scheduler's address "
    "(tcp://host:8786) or local:N for N worker processes here (pip install "
    "'sitegen[cluster]'); default: [cluster] address in sitegen.toml. Workers must see "
    "the input and site folders (input URLs they open themselves).",
)
def import_command(
    paths: tuple[str, ...],
    site_dir: Path,
    force: bool,
    dry_run: bool,
    as_json: bool,
    reference_time: str | None,
    cluster_address: str | None,
) -> None:
    """Import raw scraped articles from PATH_OR_URL... (files, or folders searched recursively).

    \b
    Inputs, by suffix:
      .txt         a scraper's text dump, one block of the page per line
      .html .htm   a web page; its main content is extracted first
      .json        one record, a list of records, or {"articles": [...]}
      .jsonl       one record per line
    \b
    JSON record fields (first present wins):
      text:   text, body, content, article, articleBody
      title:  title, headline
      date:   date, published, published_at, publish_date, datePublished, pubDate
      url:    url, link, canonical_url
      source: source, publisher, site_name, sitename, outlet
      authors: authors, author, byline

    Each article becomes content/<yyyy>/<mm>/<slug>.md (content/undated/<slug>.md when
    no date is known) with title, date, source, authors, url, people and topics (found in the
    cleaned text, then merged across the archive as `sitegen extract` does) and provenance
    (imported_from, raw_sha256) in its front matter and the cleaned text as its body.
    Importing the same raw file again changes nothing; a file edited by hand since it
    was imported is never overwritten without --force. A near-duplicate of an article
    already in the archive is recorded in that article's `duplicates` list.

    An argument with a scheme (s3://bucket/dumps/, gs://..., file:///..., memory://...)
    is read through fsspec (pip install fsspec, plus the driver such as s3fs): a folder
    URL by the same rules as a folder, a glob's matches, or one file; with --cluster the
    workers open the URLs themselves. The results are those of the same files on disk.

    Unreadable, empty, binary, huge or article-less inputs are skipped with a reason;
    the exit status is 1 if any input was skipped for an error.
    """
    from sitegen.ingest.importer import ImportOptions, import_paths

    try:
        config = load_config(site_dir)
    except ProblemError as exc:
        fail(exc.problem)
    reference, use_file_time = parse_reference_time(reference_time)
    options = ImportOptions(force, dry_run, reference, use_file_time)
    counts = dict.fromkeys(IMPORT_STATUS_LABELS, 0)
    rows = []
    if as_json:
        out.file.write(f'{{"dry_run": {json.dumps(dry_run)}, "files": [')
    failures: list[Problem] = []  # of the run as a whole (each file's are in its report)
    address = cluster_address or config.cluster_address or None  # --cluster, else [cluster]
    with TerminalProgress() as progress, on_cluster(address, config) as cluster:
        try:
            reports = import_paths(paths, config, options, progress, cluster)
            for number, report in enumerate(reports):
                counts[report.status] += 1
                if report.problem is not None:
                    show_problems([report.problem])
                if as_json:
                    row = json.dumps(report.to_json())
                    out.file.write(("," if number else "") + "\n  " + row)
                elif report.status != "ignored" and len(rows) <= MAX_IMPORT_ROWS:
                    rows.append(report)
        except ProblemError as exc:  # the run itself: its index busy or unreadable, say
            failures.append(exc.problem)
            show_problems(failures[-1:])
        except Exception as exc:  # the run itself (its index, its folder), not one file
            failures.append(unexpected_problem(str(config.content_dir), exc))
            show_problems(failures[-1:])
    merged = None
    if not dry_run and (counts["written"] or counts["updated"] or counts["duplicate"]):
        # Names are found per article during the import; one pass over the archive now
        # merges spellings across articles and ranks topics against the whole archive.
        from sitegen.entities.refresh import refresh_site

        try:
            with TerminalProgress() as progress:
                merged = refresh_site(config, progress=progress)
            show_problems(merged.problems)
        except Exception as exc:
            failures.append(unexpected_problem(str(config.content_dir), exc))
            show_problems(failures[-1:])
    if as_json:
        summary = {status: n for status, n in counts.items() if n}
        updated = merged.changed if merged is not None else 0
        errors = json.dumps([str(problem) for problem in failures])
        out.file.write(
            f'\n], "summary": {json.dumps(summary)}, "people_topics_updated": {updated}, '
            f'"errors": {errors}}}\n'
        )
    else:
        show_import_summary(rows, counts, dry_run)
        if merged is not None:
            out.print(
                f"People and topics: {merged.changed} of {counted(merged.articles, 'article')} "
                "updated across the archive"
            )
    if counts["skipped"] or failures:
        sys.exit(1)


MAX_IMPORT_ROWS = 40
DRY_RUN_WORDS = {"written": "would write", "updated": "would update", "duplicate": "would merge"}


def show_import_summary(rows: list, counts: dict[str, int], dry_run: bool) -> None:
    """Per-document lines (for small imports), then a table of how many ended how."""
    from rich.table import Table

    if len(rows) <= MAX_IMPORT_ROWS:
        for report in rows:
            if report.is_error:
                continue  # already shown as an error line
            status = DRY_RUN_WORDS.get(report.status, report.status) if dry_run else report.status
            target = f" -> {report.output}" if report.output else ""
            line = f"[bold]{status}[/] {escape(Path(report.input).name)}{escape(target)}"
            out.print(line, soft_wrap=True)
            facts = []
            if report.title:
                derived = " (derived)" if report.title_derived else ""
                facts.append(f"title: {report.title}{derived}")
            if report.kept_lines:
                facts.append(f"source: {report.source or 'unknown'}")
                facts.append(f"date: {report.date or 'unknown'}")
                if report.authors:
                    facts.append(f"by: {', '.join(report.authors)}")
                facts.append(f"lines kept {report.kept_lines}, dropped {report.dropped_lines}")
            if report.message:
                facts.append(report.message)
            for fact in facts:
                out.print(f"    {escape(fact)}", soft_wrap=True)
    summary = Table(title="Summary" + (" (dry run: nothing was written)" if dry_run else ""))
    summary.add_column("Result")
    summary.add_column("Files", justify="right")
    for status, label in IMPORT_STATUS_LABELS.items():
        if counts[status]:
            style = "red" if status == "skipped" else None
            summary.add_row(label, str(counts[status]), style=style)
    if not any(counts.values()):
        summary.add_row("nothing to import", "0")
    out.print(summary)


@cli.command()
@site_option
@debug_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (127.0.0.1 keeps the preview on this machine).",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port; when the default is taken the next free one is used.",
)
@click.option("--no-reload", is_flag=True, help="Do not watch files or reload the browser.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a web browser.")
@FUTURE_OPTION
@click.pass_context
def serve(
    ctx: click.Context,
    site_dir: Path,
    host: str,
    port: int,
    no_reload: bool,
    open_browser: bool,
    future: bool,
) -> None:
    """Build the site, serve it locally and rebuild live on every change.

    Drafts ('draft: true') are shown, each marked "Draft" on its page and in lists and
    kept from search engines (noindex).

    Watches content/, the theme folders and sitegen.toml. Open tabs reload by
    themselves after each rebuild; a failed rebuild keeps the last good site served and
    shows the problems in the browser and here until the file is fixed. Ctrl-C stops.
    """
    from sitegen.serve import Preview, Rebuilt

    def report(result: Rebuilt) -> None:
        if result.problems:
            show_problems(result.problems)
            err.print(
                f"[bold red]Rebuild failed[/] in {result.seconds:.2f} s; "
                "still serving the last good site."
            )
        elif result.report is not None and (result.report.files or result.report.removed):
            out.print(
                f"Rebuilt in {result.seconds:.2f} s: {counted(result.report.files, 'file')} written, "
                f"{result.report.removed} removed"
            )

    explicit_port = ctx.get_parameter_source("port") == click.core.ParameterSource.COMMANDLINE
    try:
        preview = Preview(
            site_dir,
            host=host,
            port=port,
            reload=not no_reload,
            port_tries=1 if explicit_port else 20,
            on_build=report,
            future=future,
        )
    except ProblemError as exc:
        fail(exc.problem)
    if preview.config.relative_base_url:
        show_warning(preview.config.relative_base_url)
    first = preview.rebuild()
    if first.report is not None and first.report.written:
        out.print(f"Built {counted(first.report.articles, 'article')} in {first.seconds:.2f} s")
    attach_search(preview)
    if not no_reload:
        preview.start()
    else:
        import threading

        threading.Thread(target=preview.httpd.serve_forever, daemon=True).start()
    url = preview.url.rstrip("/") + preview.config.base_path
    out.print(f"Serving {preview.config.title!r} at [bold]{url}[/] (Ctrl-C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        preview.stop_event.wait()
    except KeyboardInterrupt:
        out.print("\nStopping.")
    finally:
        preview.stop()


def attach_search(preview) -> None:
    """Answer /_search?q=...&limit=&person=&topic=&source=&year=&author= from the Whoosh index."""
    from sitegen.search.index import open_searcher
    from sitegen.search.query import Filters
    from sitegen.search.query import search as run_search

    def answer(params: dict[str, list[str]]) -> tuple[int, dict]:
        try:
            limit = max(1, min(100, int((params.get("limit") or ["10"])[0])))
        except ValueError:
            limit = 10
        filters = Filters(
            people=tuple(params.get("person", ())),
            topics=tuple(params.get("topic", ())),
            sources=tuple(params.get("source", ())),
            years=tuple(params.get("year", ())),
            authors=tuple(params.get("author", ())),
        )
        try:
            with open_searcher(preview.config) as searcher:
                result = run_search(searcher, (params.get("q") or [""])[0], filters, limit=limit)
        except ProblemError as exc:
            return 400, {"error": str(exc.problem)}
        return 200, result.to_json(preview.config.base_path)

    preview.set_search(answer)


@cli.command()
@site_option
@debug_option
@click.option(
    "--to",
    "to",
    metavar="TARGET",
    help="git:BRANCH (a branch of the site's repository; 'git' alone is gh-pages) or a "
    "folder. Default: [publish] to in sitegen.toml.",
)
@click.option("--base-url", help="Where the site will be hosted (default: [site] base_url).")
@click.option("--remote", help="The git remote to push to (default: [publish] remote, 'origin').")
@click.option("--push", is_flag=True, help="git target: push the branch after committing.")
@click.option("--dry-run", is_flag=True, help="Build, then list what would change; change nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="Folder target: mirror into a non-empty folder not made by sitegen.",
)
@click.option("-v", "--verbose", is_flag=True, help="List every file added, updated or removed.")
def publish(
    site_dir: Path,
    to: str | None,
    base_url: str | None,
    remote: str | None,
    push: bool,
    dry_run: bool,
    force: bool,
    verbose: bool,
) -> None:
    """Build the site with its production settings and publish it.

    To a git branch (for GitHub Pages): the build becomes a new commit on BRANCH, made
    without touching your working tree, index or current branch. To a folder: only files
    whose content changed are copied (each atomically), files no longer built are removed.
    If the build has problems, nothing is published and the exit status is 1.
    """
    from sitegen.publish import parse_target, publish_settings, publish_site

    try:
        config = load_config(site_dir, base_url)
        target_text = to or publish_settings(config).to
        if not target_text:
            fail(
                Problem(
                    "--to",
                    "say where to publish: --to git:gh-pages, --to FOLDER, "
                    "or [publish] to = ... in sitegen.toml",
                )
            )
        target = parse_target(target_text)
        with TerminalProgress() as progress:
            report = publish_site(
                config,
                target,
                remote=remote,
                push=push,
                dry_run=dry_run,
                force=force,
                progress=progress,
            )
    except ProblemError as exc:
        fail(exc.problem)
    show_problems(report.problems)
    if report.build is not None and not report.build.written:
        err.print(
            f"[bold red]Build failed[/]: {counted(len(report.problems), 'problem')}; "
            f"nothing was published to {escape(report.target)}.",
            soft_wrap=True,
        )
        sys.exit(1)
    if verbose or dry_run:
        for mark, paths in (("+", report.added), ("~", report.updated), ("-", report.removed)):
            for path in paths:
                out.print(f"  {mark} {path}", markup=False, soft_wrap=True)
    site = f"the site ({counted(report.files, 'file')}, base URL {config.base_url})"
    if dry_run:
        out.print(
            f"Dry run, nothing published: publishing {site} to {report.target} would mean "
            f"{report.summary()}.",
            markup=False,
            soft_wrap=True,
        )
    elif not report.changed:
        out.print(f"{report.target} is up to date with {site}.", markup=False, soft_wrap=True)
    else:
        out.print(
            f"Published {site} to {report.target}: {report.summary()}.",
            markup=False,
            soft_wrap=True,
        )
    if report.commit:
        parent = f" (parent {report.parent[:10]})" if report.parent else " (first commit)"
        out.print(f"  commit {report.commit[:10]}{parent}", markup=False, soft_wrap=True)
    if report.pushed:
        out.print(
            f"  pushed to {remote or publish_settings(config).remote}", markup=False, soft_wrap=True
        )
    if report.problems:
        sys.exit(1)


@cli.command()
@site_option
@debug_option
@click.option(
    "--built",
    "built_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Check this already-built folder instead of building the site afresh.",
)
@click.option("--base-url", help="The base URL the site is (or was) built with.")
@click.option(
    "--external", is_flag=True, help="List the external links a link checker would visit."
)
@click.option("--strict", is_flag=True, help="Warnings count as errors for the exit status.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
def check(
    site_dir: Path,
    built_dir: Path | None,
    base_url: str | None,
    external: bool,
    strict: bool,
    as_json: bool,
) -> None:
    """Check the content and the built site; exit status 1 on errors.

    Content: front matter, dates, pages two articles would share, people, topics and
    sources spelled in ways that differ only in case, spacing or accents, empty bodies.
    Built site (a fresh build in a temporary folder unless --built): every internal
    link and asset resolves, every page has a title, feeds and sitemap parse. External
    links are never visited; --external lists them. Warnings (name variants, empty
    bodies, future dates...) fail the check only with --strict.
    """
    import datetime as dt
    import json

    from sitegen.check import ERROR, run_check

    try:
        config = load_config(site_dir, base_url)
    except ProblemError as exc:
        fail(exc.problem)
    report = run_check(config, today=dt.date.today(), built=built_dir)
    failed = bool(report.errors or (strict and report.warnings))
    if as_json:
        data = report.to_json(with_external=external)
        data["ok"] = not failed
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        sys.exit(1 if failed else 0)
    for finding in report.findings:
        colour = "bold red" if finding.severity == ERROR else "yellow"
        err.print(
            f"[{colour}]{finding.severity}[/] [dim]{finding.code}[/] ",
            end="",
            markup=True,
        )
        err.print(str(finding.problem), markup=False, soft_wrap=True)
    if external:
        for url, pages in sorted(report.external.items()):
            out.print(
                f"external {url}  ({counted(len(pages), 'page')}, e.g. {pages[0]})",
                markup=False,
                soft_wrap=True,
            )
        out.print(
            f"{counted(len(report.external), 'external link')} listed; none visited.",
            soft_wrap=True,
        )
    out.print(
        f"Checked {counted(report.articles, 'article')}, {counted(report.pages, 'page')}, "
        f"{counted(report.links, 'internal link')}: {counted(len(report.errors), 'error')}, "
        f"{counted(len(report.warnings), 'warning')}.",
        soft_wrap=True,
    )
    sys.exit(1 if failed else 0)


@cli.command()
@site_option
@debug_option
@click.option(
    "--force",
    is_flag=True,
    help="Also replace people/topics lists that were edited by hand.",
)
def extract(site_dir: Path, force: bool) -> None:
    """Re-extract people and topics for the articles already in content/.

    What is found goes to `people_auto:` and `topics_auto:`; `people:` and `topics:` are
    replaced only while they still equal the previous automatic lists (or are missing),
    so hand corrections survive. --force replaces them anyway. Bodies are never touched.
    """
    from sitegen.entities.refresh import refresh_site

    try:
        config = load_config(site_dir)
    except ProblemError as exc:
        fail(exc.problem)
    with TerminalProgress() as progress:
        report = refresh_site(config, force=force, progress=progress)
    show_problems(report.problems)
    kept = f", {counted(report.kept, 'hand-edited list')} kept" if report.kept else ""
    out.print(f"{counted(report.articles, 'article')} read, {report.changed} updated{kept}")
    if report.problems:
        sys.exit(1)


# --- search (issue 5) -------------------------------------------------------------------


def show_search_result(result, config, *, as_json: bool) -> None:
    """Print a SearchResult as text for people or JSON for programs (escaped, never markup)."""
    import json

    from rich.text import Text

    def page_url(path: str) -> str:
        return config.absolute_base + path.lstrip("/")

    if as_json:
        data = result.to_json(config.absolute_base)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for note in result.notes:
        err.print(Text("note: ", style="yellow") + Text(note))
    shown = f"{len(result.hits)} shown" if result.total > len(result.hits) else ""
    out.print(
        Text(
            counted(result.total, "result")
            + (f" ({shown})" if shown else "")
            + f" in {result.seconds * 1000:.1f} ms",
            style="bold",
        )
    )
    for number, hit in enumerate(result.hits, 1):
        out.print()
        out.print(Text(f"{number:>2}. ") + Text(hit.title, style="bold"))
        meta = " · ".join(x for x in (hit.date or "undated", hit.source, page_url(hit.url)) if x)
        out.print(Text("    " + meta, style="dim"))
        snippet = Text("    ")
        for piece, is_match in hit.snippet.parts():
            snippet.append(piece, style="bold yellow" if is_match else None)
        out.print(snippet)
    labels = {
        "people": "People",
        "topics": "Topics",
        "source": "Sources",
        "year": "Years",
        "authors": "Authors",
    }
    if result.total and any(result.facets.values()):
        out.print()
    for name, pairs in result.facets.items():
        if pairs:
            line = Text(f"{labels[name]}: ", style="bold")
            line.append(", ".join(f"{n} ({c})" for n, c in pairs))
            out.print(line)


@cli.command("search")
@click.argument("query", required=False, default="")
@site_option
@debug_option
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--person", multiple=True, help="Only articles naming this person (repeatable).")
@click.option("--topic", multiple=True, help="Only articles on this topic (repeatable).")
@click.option("--source", multiple=True, help="Only articles from this source (repeatable).")
@click.option("--year", multiple=True, help="Only articles from this year (repeatable).")
@click.option("--author", multiple=True, help="Only articles by this author (repeatable).")
@click.option(
    "--from", "date_from", metavar="DATE", help="Only from this date: 2024, 2024-05, 2024-05-31."
)
@click.option("--to", "date_to", metavar="DATE", help="Only up to this date (inclusive).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def search_command(
    query: str,
    site_dir: Path,
    limit: int,
    person: tuple[str, ...],
    topic: tuple[str, ...],
    source: tuple[str, ...],
    year: tuple[str, ...],
    author: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    as_json: bool,
) -> None:
    """Search the archive's index (made by 'sitegen build').

    QUERY is words ('meeting' also finds 'meetings'), "exact phrases", AND / OR / NOT
    (or -word), (groups), prefix* and filters: person:"Ann Lee", topic:, source:, year:2024,
    author:"Jane Doe" (the byline). Results come ranked, with a snippet, and with counts
    of people, topics, sources, years and authors among all matches.
    """
    from sitegen.search.index import open_searcher
    from sitegen.search.query import Filters, date_bound
    from sitegen.search.query import search as run_search

    try:
        config = load_config(site_dir)
        dates = {
            "date_from": date_bound(date_from, end=False, option="--from") if date_from else None,
            "date_to": date_bound(date_to, end=True, option="--to") if date_to else None,
        }
        filters = Filters(
            people=person, topics=topic, sources=source, years=year, authors=author, **dates
        )
        with open_searcher(config) as searcher:
            result = run_search(searcher, query, filters, limit=limit)
    except ProblemError as exc:
        fail(exc.problem)
    show_search_result(result, config, as_json=as_json)


# --- end search -------------------------------------------------------------------------


def main() -> None:
    """Run the command line; a failure no check foresaw is one line, not a traceback."""
    try:
        cli()
    except Exception as exc:
        if DEBUG:
            raise
        text = " ".join(str(exc).split())[:300]
        err.print(
            f"[bold red]error[/] unexpected {escape(type(exc).__name__)}"
            + (f": {escape(text)}" if text else "")
            + " (run again with --debug for the traceback, and please report it)",
            markup=True,
            soft_wrap=True,
        )
        sys.exit(1)
