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


@cli.command()
@site_option
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
    kept = f", {report.kept} hand-edited list(s) kept" if report.kept else ""
    out.print(f"{report.articles} articles read, {report.changed} updated{kept}")
    if report.problems:
        sys.exit(1)


def main() -> None:
    cli()
