"""The only code that writes the build's output: renders planned Outputs into a staging
folder (on the build's Workers when it pays off: a forked pool, or a cluster through
replan.py), swaps a cold build's folder in whole, and
removes outputs no longer produced. Planning and rendering decisions are not made here.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import jinja2

from sitegen import parallel
from sitegen.locks import process_exists
from sitegen.model import ProblemError
from sitegen.parallel import Workers
from sitegen.site.render import template_problem
from sitegen.site.report import Output, Progress

_MADE_DIRS: set[Path] = set()  # folders this build has made in its staging folder


def _staged(
    target: Path, flat: bool, index: int, rel: str, made_dirs: set[Path] = _MADE_DIRS
) -> Path:
    """Where a file goes in the stage: named by its index in the build's to_write list
    (flat) or at its place in the tree (its folder made)."""
    if flat:
        return target / str(index)
    dest = target / rel
    if dest.parent not in made_dirs:
        if dest.parent != target:  # the stage itself is never made here (_make_folder)
            _make_folder(target, dest.parent)
        made_dirs.add(dest.parent)
    return dest


def _make_folder(target: Path, folder: Path) -> None:
    """`folder` inside `target` made, never `target` itself: a stage the build discarded
    (a cluster gone mid-write) is not made again by a worker still writing into it."""
    try:
        folder.mkdir()  # one system call when the parent is there, as it mostly is
    except FileExistsError:
        return
    except FileNotFoundError:
        if folder.parent == target:
            raise  # the stage itself is gone
        _make_folder(target, folder.parent)
        folder.mkdir(exist_ok=True)


def write_made(
    target: Path, flat: bool, index: int, rel: str, data: bytes, made_dirs: set[Path]
) -> int:
    """One rendered file into the stage; returns the bytes written. `made_dirs`: the
    stage's folders made so far."""
    _staged(target, flat, index, rel, made_dirs).write_bytes(data)
    return len(data)


def made_bytes(make: Callable[[], str | bytes], rel: str) -> bytes:
    """What an Output's make() returns, as bytes; a template error names the file."""
    try:
        made = make()
    except jinja2.TemplateError as exc:
        raise ProblemError(template_problem(exc, rel)) from None
    return made.encode("utf-8") if isinstance(made, str) else made


def _write_chunk(job: tuple[list[Output], Path, bool], indices: list[int]) -> int:
    to_write, target, flat = job
    written = 0
    for index in indices:
        output = to_write[index]
        if output.linkable:
            dest = _staged(target, flat, index, output.rel)
            try:  # an immutable, content-named cache file: one link, not a copy
                os.link(output.copy_from, dest)  # type: ignore[arg-type]
                written += os.stat(dest).st_size
                continue
            except OSError:
                pass
        if output.copy_from is not None:
            with open(output.copy_from, "rb") as source:
                data = source.read()
        else:
            assert output.make is not None
            data = made_bytes(output.make, output.rel)
        written += write_made(target, flat, index, output.rel, data, _MADE_DIRS)
    return written


def swap_in(tmp: Path, final: Path) -> None:
    """Replace `final` with `tmp`; the old folder is removed only once the new one is in place."""
    old = final.parent / f"{final.name}.old-{os.getpid()}"
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def remove_output(root: Path, rel: str) -> None:
    path = root / rel
    try:
        path.unlink()
    except FileNotFoundError:
        return
    parent = path.parent
    while parent != root:
        try:
            parent.rmdir()  # only succeeds on folders left empty
        except OSError:
            break
        parent = parent.parent


def remove_abandoned_html_dirs(cache_dir: Path) -> None:
    """Body HTML folders left by builds that were killed (their process is gone)."""
    try:
        folders = [p for p in cache_dir.iterdir() if p.name.startswith(HTML_DIR_PREFIX)]
    except OSError:
        return
    for folder in folders:
        pid = folder.name[len(HTML_DIR_PREFIX) :]
        if pid.isdigit() and int(pid) != os.getpid() and not process_exists(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


#: search's workers write the body HTML of the pages to write into <cache>/html.tmp-PID
HTML_DIR_PREFIX = "html.tmp-"


def write_outputs(
    to_write: list[Output],
    target: Path,
    *,
    flat: bool,
    workers: Workers,
    progress: Progress,
    indices: list[int] | None = None,
) -> int:
    """Render `to_write` (or the ones at `indices`) into `target`: as the output tree,
    or flat (file i of to_write named i: no folders to make and remove when the files
    are moved into place one by one). Returns the bytes written."""
    chosen = list(range(len(to_write))) if indices is None else indices
    total = len(chosen)
    _MADE_DIRS.clear()
    chunks = [chosen[i : i + 64] for i in range(0, total, 64)]
    written = workers.map(
        _write_chunk,
        (to_write, target, flat),
        chunks,
        progress=lambda done: progress("Writing pages", min(done * 64, total), total),
    )
    return sum(written)


#: renders to_write into a stage (flat or not) elsewhere: a cluster's (replan.py)
RemoteWriter = Callable[[list[Output], Path, bool, Progress], int]


def make_stage(output: Path) -> Path:
    """A fresh folder beside the output that this build renders into: a template error
    half-way leaves the output exactly as it was."""
    stage = output.parent / f"{output.name}.tmp-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    return stage


def discard_stage(stage: Path) -> None:
    shutil.rmtree(stage, ignore_errors=True)


def abandon_stage(stage: Path) -> None:
    """Discard a stage others may still be writing into (a cluster's workers, when it
    went away mid-write): renamed first, so a write by its old name fails rather than
    making it again; removed with a few tries while late writes land."""
    gone = stage.with_name(f"{stage.name}.discarded")
    try:
        os.replace(stage, gone)
    except OSError:
        gone = stage
    for attempt in range(ABANDON_TRIES):
        shutil.rmtree(gone, ignore_errors=True)
        if not gone.exists():
            return
        time.sleep(0.2 * (attempt + 1))


ABANDON_TRIES = 5


def install_outputs(
    stage: Path, output: Path, to_write: list[Output], to_remove: list[str], *, cold: bool
) -> None:
    """Put what the stage holds in place: a cold build's whole tree by one swap; else each
    new file (staged flat, file i of to_write named i) by one atomic rename, then the outputs
    no longer produced are removed. A reader never sees half a page."""
    if cold:
        swap_in(stage, output)
        return
    for index, planned in enumerate(to_write):
        dest = output / planned.rel
        try:
            os.replace(stage / str(index), dest)
        except FileNotFoundError:  # a new folder
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / str(index), dest)
    discard_stage(stage)
    for rel in to_remove:
        remove_output(output, rel)


def write_site(
    to_write: list[Output],
    to_remove: list[str],
    output: Path,
    *,
    cold: bool,
    workers: Workers,
    progress: Progress,
    remote: RemoteWriter | None = None,
    stage: Path | None = None,
    staged: set[str] | None = None,
) -> int:
    """Render `to_write` into a stage beside the output (on `workers` when it pays off,
    by `remote` when given: a cluster), then put it in place and remove `to_remove`;
    returns the bytes written. A template error half-way, or a cluster gone, raises
    ProblemError with the output exactly as it was. `stage`: a cold build's, made
    already (make_stage), holding the files `staged` (a cluster's workers wrote them)."""
    if len({o.rel for o in to_write}) != len(to_write):  # the plan refuses these first
        raise ValueError("the writer was given one file to write twice")
    if stage is None:
        stage = make_stage(output)
    installed = to_write
    if staged:
        if not cold:
            raise ValueError("only a cold build's stage is written ahead (a tree, not flat)")
        to_write = [o for o in to_write if o.rel not in staged]
    if len(to_write) < parallel.PARALLEL_THRESHOLD:
        workers, remote = SERIAL, None
    try:
        if remote is not None:
            written = remote(to_write, stage, not cold, progress)
        else:
            written = write_outputs(
                to_write, stage, flat=not cold, workers=workers, progress=progress
            )
    except BaseException:
        (discard_stage if remote is None else abandon_stage)(stage)
        raise
    install_outputs(stage, output, installed, to_remove, cold=cold)
    return written


#: few pages are written here, in this process
SERIAL = parallel.LocalWorkers(1)
