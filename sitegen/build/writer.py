"""Writing the output folder so that nothing half-written is ever served.

A build writes into a fresh folder beside the output and swaps it in at the end; a failed
build removes its folder and leaves the previous output untouched.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


class SiteWriter:
    """Collects a build's files in a temporary folder next to `final`."""

    def __init__(self, final: Path):
        self.final = final
        self.tmp = final.parent / f"{final.name}.tmp-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True)
        self.files = 0
        self.pages = 0
        self.bytes = 0

    def write(self, rel: str, data: str | bytes) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        target = self.tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)
        self.files += 1
        self.bytes += len(payload)

    def copy(self, rel: str, source: Path) -> None:
        target = self.tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self.files += 1
        self.bytes += target.stat().st_size

    def commit(self) -> None:
        """Swap the new output in; the old one is removed only once the new one is in place."""
        old = self.final.parent / f"{self.final.name}.old-{os.getpid()}"
        if self.final.exists():
            os.replace(self.final, old)
        os.replace(self.tmp, self.final)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
