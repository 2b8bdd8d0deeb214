"""The `sitegen` command: parses arguments, calls the stages, shows results. No logic here."""

from __future__ import annotations

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


# --- search (issue 5) -------------------------------------------------------------------


def show_search_result(result, config, *, as_json: bool) -> None:
    """Print a SearchResult as text for people or JSON for programs (escaped, never markup)."""
    import json

    from rich.text import Text

    def page_url(path: str) -> str:
        return config.absolute_base + path.lstrip("/")

    if as_json:
        data = {
            "query": result.query,
            "total": result.total,
            "seconds": round(result.seconds, 4),
            "results": [
                {
                    "title": hit.title,
                    "url": page_url(hit.url),
                    "path": hit.path,
                    "date": hit.date,
                    "source": hit.source,
                    "people": hit.people,
                    "topics": hit.topics,
                    "score": round(hit.score, 6),
                    "snippet": hit.snippet.text,
                    "snippet_marks": [list(mark) for mark in hit.snippet.marks],
                }
                for hit in result.hits
            ],
            "facets": {
                name: [{"name": n, "count": c} for n, c in pairs]
                for name, pairs in result.facets.items()
            },
            "notes": result.notes,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for note in result.notes:
        err.print(Text("note: ", style="yellow") + Text(note))
    shown = f"{len(result.hits)} shown" if result.total > len(result.hits) else ""
    out.print(
        Text(
            f"{result.total} result{'s' if result.total != 1 else ''}"
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
    labels = {"people": "People", "topics": "Topics", "source": "Sources", "year": "Years"}
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
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--person", multiple=True, help="Only articles naming this person (repeatable).")
@click.option("--topic", multiple=True, help="Only articles on this topic (repeatable).")
@click.option("--source", multiple=True, help="Only articles from this source (repeatable).")
@click.option("--year", multiple=True, help="Only articles from this year (repeatable).")
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
    date_from: str | None,
    date_to: str | None,
    as_json: bool,
) -> None:
    """Search the archive's index (made by 'sitegen build').

    QUERY is words ('meeting' also finds 'meetings'), "exact phrases", AND / OR / NOT
    (or -word), (groups), prefix* and filters: person:"Ann Lee", topic:, source:, year:2024.
    Results come ranked, with a snippet, and with counts of people, topics, sources and
    years among all matches.
    """
    from sitegen.search.index import open_searcher
    from sitegen.search.query import Filters, date_bound
    from sitegen.search.query import search as run_search

    try:
        config = load_config(site_dir)
        filters = Filters(
            people=person,
            topics=topic,
            sources=source,
            years=year,
            date_from=date_bound(date_from, end=False, option="--from") if date_from else None,
            date_to=date_bound(date_to, end=True, option="--to") if date_to else None,
        )
        with open_searcher(config) as searcher:
            result = run_search(searcher, query, filters, limit=limit)
    except ProblemError as exc:
        fail(exc.problem)
    show_search_result(result, config, as_json=as_json)


# --- end search -------------------------------------------------------------------------


def main() -> None:
    cli()
