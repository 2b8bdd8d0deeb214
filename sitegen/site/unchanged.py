"""The unchanged-inputs shortcut: a digest of everything a build reads (settings, theme
files, the content scan) and the report of the last build made from it, so a build
with nothing new returns at once. Not here: the build state (state.py), which is
what an incremental build starts from when something did change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.config import Config
from sitegen.files import write_atomic
from sitegen.site.report import BuildReport
from sitegen.site.themes import theme_dirs

_FILE_DIGESTS: dict[str, tuple[int, int, str]] = {}  # path -> (mtime_ns, size, sha1)


def file_digest(path: Path) -> str:
    """A theme file's content digest, read again only when its size or time changes."""
    stat = path.stat()
    known = _FILE_DIGESTS.get(str(path))
    if known is not None and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    digest = hashlib.sha1(path.read_bytes()).hexdigest()
    _FILE_DIGESTS[str(path)] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def inputs_digest(config: Config, output: Path, scanned: list[tuple[str, int, int]]) -> str:
    """A digest of everything a build reads: content file stats, theme files, settings."""
    digest = hashlib.sha1()
    digest.update(
        repr(
            (__version__, str(output), sorted((k, repr(v)) for k, v in config_fields(config)))
        ).encode()
    )
    for rel, mtime_ns, size in scanned:
        digest.update(f"{rel}\x1f{mtime_ns}\x1f{size}\n".encode("utf-8", "surrogateescape"))
    theme_files = [p for theme in theme_dirs(config) for p in sorted(theme.rglob("*"))]
    for path in [*theme_files, config.root / "people.toml"]:
        if path.is_file():
            stat = path.stat()
            digest.update(os.fsencode(f"{path}\x1f{stat.st_mtime_ns}\x1f{stat.st_size}\n"))
    return digest.hexdigest()


def read_unchanged_report(config: Config, output: Path, inputs: str) -> BuildReport | None:
    """The last build's report if nothing it read has changed since (and its output is
    there); else None."""
    if not output.is_dir():
        return None
    try:
        path = config.cache_dir / "build-inputs.json"
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("inputs") != inputs:
        return None
    report = BuildReport(written=True, incremental=True, output=output)
    for key in ("articles", "people", "topics", "sources", "pages"):
        setattr(report, key, int(data.get(key, 0)))
    return report


def write_unchanged_report(cache_dir: Path, inputs: str, report: BuildReport) -> None:
    data = {
        "inputs": inputs,
        "articles": report.articles,
        "people": report.people,
        "topics": report.topics,
        "sources": report.sources,
        "pages": report.pages,
    }
    # a cache: lost in a crash, the next build is an ordinary one, so no fsync
    write_atomic(cache_dir / "build-inputs.json", json.dumps(data), durable=False)


def config_fields(config: Config) -> list[tuple[str, Any]]:
    """The settings a build depends on (the dataclass fields; not remembered properties)."""
    return [(f.name, getattr(config, f.name)) for f in dataclasses.fields(config)]
