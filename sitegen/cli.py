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
def build(
    site_dir: Path,
    out_dir: Path | None,
    base_url: str | None,
    clean: bool,
    keep_going: bool,
    jobs: int | None,
) -> None:
    """Build the site into the output folder.

    Every content file is checked first. If any has a problem, all problems are listed,
    the previous output is left untouched and the exit status is 1 (use --keep-going to
    write the rest of the site anyway, still exiting 1). Only files whose inputs changed
    since the last build are rewritten.
    """
    from sitegen.build.site import build_site

    try:
        config = load_config(site_dir, base_url)
    except ProblemError as exc:
        fail(exc.problem)
    with TerminalProgress() as progress:
        report = build_site(
            config, out=out_dir, keep_going=keep_going, clean=clean, jobs=jobs, progress=progress
        )
    show_problems(report.problems)
    summary = (
        f"{report.articles} articles, {report.people} people, {report.topics} topics, "
        f"{report.sources} sources"
    )
    if report.written:
        what = (
            f"{report.files} files written, {report.removed} removed"
            if report.incremental
            else f"{report.files} files"
        )
        out.print(
            f"Built {summary}: {report.pages} pages; {what} "
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
@click.pass_context
def serve(
    ctx: click.Context, site_dir: Path, host: str, port: int, no_reload: bool, open_browser: bool
) -> None:
    """Build the site, serve it locally and rebuild live on every change.

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
                f"Rebuilt in {result.seconds:.2f} s: {result.report.files} files written, "
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
        )
    except ProblemError as exc:
        fail(exc.problem)
    first = preview.rebuild()
    if first.report is not None and first.report.written:
        out.print(f"Built {first.report.articles} articles in {first.seconds:.2f} s")
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
    """Live search from the Whoosh index at /_search, once the search stage exists."""


def main() -> None:
    cli()
