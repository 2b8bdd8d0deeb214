"""The scan stage: which article files content/ holds, with their mtime and size.

Kept between builds (serve): a watcher's list of changed paths updates the scan instead
of walking the whole folder, and `hinted` records which content paths a watcher named
since the last build, so the load stage looks at just those. Which files are articles is
sitegen.files' rule.
"""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.files import is_content_path, scan_content_and_assets


class ContentScan:
    """content/'s article files: rel path -> (mtime_ns, size)."""

    def __init__(self, content_dir: Path) -> None:
        self.content_dir = content_dir
        self.entries: dict[str, tuple[int, int]] | None = None
        #: the other files (images, PDFs: site/assets.py) as of the last full scan; a
        #: watcher naming one makes the next scan a full one
        self.assets: list[tuple[str, int, int]] = []
        #: content paths a watcher named since the last build (None: unknown, look at all)
        self.hinted: set[str] | None = None

    def scan(self, changed_files: set[str] | None) -> dict[str, tuple[int, int]]:
        """The content scan, updated from a watcher's list of changed paths when possible.

        Anything under content/ that is not an article file (a folder made, moved or
        deleted) falls back to a full scan, so a missed file is never possible.
        """
        entries = self.entries
        if changed_files is None or entries is None:
            return self.full()
        root = str(self.content_dir.resolve()) + os.sep
        for path in changed_files:
            resolved = os.path.abspath(path)
            if not resolved.startswith(root):
                continue  # a theme or config file: the content scan is unaffected
            rel = resolved[len(root) :].replace(os.sep, "/")
            if not is_content_path(rel):
                return self.full()
            if self.hinted is not None:
                self.hinted.add(rel)
            try:
                stat = os.stat(resolved)
            except OSError:
                entries.pop(rel, None)
                continue
            entries[rel] = (stat.st_mtime_ns, stat.st_size)
        return entries

    def full(self) -> dict[str, tuple[int, int]]:
        """Walk the whole folder; what a watcher named before is no longer known."""
        self.hinted = None
        articles, self.assets = scan_content_and_assets(self.content_dir)
        self.entries = {rel: (mtime, size) for rel, mtime, size in articles}
        return self.entries


def scan_listing(scanned: dict[str, tuple[int, int]]) -> list[tuple[str, int, int]]:
    return [(rel, mtime, size) for rel, (mtime, size) in sorted(scanned.items())]
