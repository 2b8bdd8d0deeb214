"""The only code that writes the build's output: renders planned Outputs into a staging
folder (in a forked pool when it pays off), swaps a cold build's folder in whole, and
removes outputs no longer produced. Planning and rendering decisions are not made here.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import jinja2

from sitegen import parallel
from sitegen.locks import process_exists
from sitegen.model import ProblemError
from sitegen.site.render import template_problem
from sitegen.site.report import Output, Progress

_WRITE_JOB: tuple[list[Output], Path, bool] | None = None


_MADE_DIRS: set[Path] = set()  # folders this build has made in its staging folder


def _write_chunk(indices: list[int]) -> int:
    assert _WRITE_JOB is not None
    to_write, target, flat = _WRITE_JOB
    written = 0
    for index in indices:
        output = to_write[index]
        if flat:
            dest = target / str(index)
        else:
            dest = target / output.rel
            if dest.parent not in _MADE_DIRS:
                dest.parent.mkdir(parents=True, exist_ok=True)
                _MADE_DIRS.add(dest.parent)
        if output.linkable:
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
            try:
                made = output.make()
            except jinja2.TemplateError as exc:
                raise ProblemError(template_problem(exc, output.rel)) from None
            data = made.encode("utf-8") if isinstance(made, str) else made
        dest.write_bytes(data)
        written += len(data)
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
    jobs: int,
    mapper: Callable[..., list],
    progress: Progress,
) -> int:
    """Render `to_write` into `target`: as the output tree, or flat (file i of to_write named
    i: no folders to make and remove when the files are moved into place one by one).
    `mapper` is the build's pool map; returns the bytes written."""
    total = len(to_write)
    global _WRITE_JOB
    _WRITE_JOB = (to_write, target, flat)
    _MADE_DIRS.clear()
    try:
        chunks = [list(range(i, min(i + 64, total))) for i in range(0, total, 64)]
        written = mapper(
            _write_chunk,
            chunks,
            jobs,
            progress=lambda done: progress("Writing pages", min(done * 64, total), total),
        )
    finally:
        _WRITE_JOB = None
    return sum(written)


def make_stage(output: Path) -> Path:
    """A fresh folder beside the output that this build renders into: a template error
    half-way leaves the output exactly as it was."""
    stage = output.parent / f"{output.name}.tmp-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    return stage


def discard_stage(stage: Path) -> None:
    shutil.rmtree(stage, ignore_errors=True)


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
    jobs: int,
    progress: Progress,
) -> int:
    """Render `to_write` into a stage beside the output (in a pool when it pays off), then put
    it in place and remove `to_remove`; returns the bytes written. A template error half-way
    raises ProblemError with the output exactly as it was."""
    if len({o.rel for o in to_write}) != len(to_write):  # the plan refuses these first
        raise ValueError("the writer was given one file to write twice")
    stage = make_stage(output)
    jobs = jobs if len(to_write) >= parallel.PARALLEL_THRESHOLD else 1
    try:
        written = write_outputs(
            to_write, stage, flat=not cold, jobs=jobs, mapper=parallel.pool_map, progress=progress
        )
    except BaseException:
        discard_stage(stage)
        raise
    install_outputs(stage, output, to_write, to_remove, cold=cold)
    return written
