"""The `sitegen` command: parses arguments, calls the stages, shows results. No logic here."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sitegen import __version__
from sitegen.config import load_config
from sitegen.model import Problem, ProblemError

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

site_option = click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The site folder (the one holding sitegen.toml).",
)


def show_problems(problems: list[Problem]) -> None:
    for problem in problems:
        err.print(f"[bold red]error[/] {problem}", markup=True, soft_wrap=True)


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
    """sitegen: turn a pile of news articles into a browsable, searchable static archive."""


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


@cli.command()
@site_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: [build] output in sitegen.toml, 'build').",
)
@click.option("--base-url", help="Where the site will be hosted, e.g. https://example.org/archive/")
@click.option("--clean", is_flag=True, help="Ignore caches and build everything from scratch.")
@click.option(
    "--keep-going",
    is_flag=True,
    help="Write the site even if some files have problems (they are left out).",
)
def build(
    site_dir: Path, out_dir: Path | None, base_url: str | None, clean: bool, keep_going: bool
) -> None:
    """Build the site into the output folder.

    Every content file is checked first. If any has a problem, all problems are listed,
    the previous output is left untouched and the exit status is 1 (use --keep-going to
    write the rest of the site anyway, still exiting 1).
    """
    from sitegen.build.site import build_site

    try:
        config = load_config(site_dir, base_url)
    except ProblemError as exc:
        fail(exc.problem)
    with TerminalProgress() as progress:
        report = build_site(config, out=out_dir, keep_going=keep_going, progress=progress)
    show_problems(report.problems)
    summary = (
        f"{report.articles} articles, {report.people} people, {report.topics} topics, "
        f"{report.sources} sources"
    )
    if report.written:
        out.print(
            f"Built {summary}: {report.pages} pages, {report.files} files "
            f"({report.bytes / 1e6:.1f} MB) in {report.seconds:.2f} s -> {report.output}"
        )
    else:
        err.print(
            f"[bold red]Build failed[/]: {len(report.problems)} problem(s); "
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
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@site_option
@click.option("--force", is_flag=True, help="Clean again and overwrite, even files edited by hand.")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report on stdout.")
@click.option(
    "--reference-time",
    metavar="WHEN",
    help="Resolve relative dates ('a day ago') against WHEN: an ISO date/time, or 'file' "
    "for each raw file's modification time. Without it such dates stay unknown.",
)
def import_command(
    paths: tuple[Path, ...],
    site_dir: Path,
    force: bool,
    dry_run: bool,
    as_json: bool,
    reference_time: str | None,
) -> None:
    """Import raw scraped articles from PATH... (files, or folders searched recursively).

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

    Each article becomes content/<yyyy>/<mm>/<slug>.md (content/undated/<slug>.md when
    no date is known) with title, date, source, url, people, topics and provenance
    (imported_from, raw_sha256) in its front matter and the cleaned text as its body.
    Importing the same raw file again changes nothing; a file edited by hand since it
    was imported is never overwritten without --force. A near-duplicate of an article
    already in the archive is recorded in that article's `duplicates` list.

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
    with TerminalProgress() as progress:
        for number, report in enumerate(import_paths(paths, config, options, progress)):
            counts[report.status] += 1
            if report.problem is not None:
                show_problems([report.problem])
            if as_json:
                out.file.write(("," if number else "") + "\n  " + json.dumps(report.to_json()))
            elif report.status != "ignored" and len(rows) <= MAX_IMPORT_ROWS:
                rows.append(report)
    if as_json:
        summary = {status: n for status, n in counts.items() if n}
        out.file.write(f'\n], "summary": {json.dumps(summary)}}}\n')
    else:
        show_import_summary(rows, counts, dry_run)
    if counts["skipped"]:
        sys.exit(1)


MAX_IMPORT_ROWS = 40
DRY_RUN_WORDS = {"written": "would write", "updated": "would update", "duplicate": "would merge"}


def show_import_summary(rows: list, counts: dict[str, int], dry_run: bool) -> None:
    """Per-document lines (for small imports), then a table of how many ended how."""
    from rich.markup import escape
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


def main() -> None:
    cli()
