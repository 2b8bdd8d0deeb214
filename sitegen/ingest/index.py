"""What the archive already holds, for idempotent imports and near-duplicate lookups.

A SQLite file in the site's cache folder maps raw-file checksums to the article that
holds them (as its own raw file or as a recorded duplicate) and keeps each imported
article's MinHash signature and LSH band keys. It is only a cache: every fact in it is
read from content/ front matter (raw_sha256, duplicates) and bodies, and on opening it is
brought up to date with content/ by comparing file sizes and modification times, so a
deleted cache, a hand-deleted article or a pulled-in article is noticed. Memory stays
small at 100k articles: buckets live on disk, and only one path->stat map is held.

One import writes at a time: ImportIndex.open takes the import lock (sitegen.locks,
`.sitegen-cache/import.lock`) until close(), so a second import waits for it and then
fails naming the first. SQLite's own locking is given the same wait as a busy timeout,
and a file kept busy longer (by a process that is not sitegen) is a ProblemError that
says so, never sqlite's bare "database is locked".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitegen.content import split_front_matter
from sitegen.files import read_content_file, scan_content
from sitegen.ingest.dedupe import Signature, band_keys, is_near_duplicate, signature
from sitegen.locks import PidLock, lock_wait
from sitegen.model import Problem, ProblemError

SCHEMA_VERSION = "1"
INDEX_NAME = "import-index.sqlite"
LOCK_NAME = "import.lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, raw_sha256 TEXT, signature BLOB
);
CREATE TABLE IF NOT EXISTS raws (raw_sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, role TEXT);
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, path TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS bands_by_key ON bands (key);
CREATE INDEX IF NOT EXISTS bands_by_path ON bands (path);
CREATE INDEX IF NOT EXISTS raws_by_path ON raws (path);
"""


#: hex digits of a raw checksum in raw_prefixes (64 bits: a false match is not expected,
#: and would only cost preparing that document here)
RAW_PREFIX = 16


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _busy_problem(path: str) -> ProblemError:
    return ProblemError(
        Problem(
            path,
            f"the import index is busy: another process kept it locked for {lock_wait():g} s; "
            "try again when it has finished",
        )
    )


class _Connection(sqlite3.Connection):
    """A connection whose 'database is locked' (the busy timeout ran out) is a clear
    ProblemError naming the file."""

    path = ":memory:"

    def _guarded(self, call: Callable[..., Any], *args: Any) -> Any:
        try:
            return call(*args)
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise _busy_problem(self.path) from None
            raise

    def execute(self, *args: Any) -> Any:  # type: ignore[override]
        return self._guarded(super().execute, *args)

    def executemany(self, *args: Any) -> Any:  # type: ignore[override]
        return self._guarded(super().executemany, *args)

    def executescript(self, *args: Any) -> Any:  # type: ignore[override]
        return self._guarded(super().executescript, *args)

    def commit(self) -> None:
        self._guarded(super().commit)


def _connect(path: Path | None) -> _Connection:
    """A connection that waits up to lock_wait() for a busy file (SQLite's busy timeout)."""
    db = sqlite3.connect(
        ":memory:" if path is None else path, timeout=lock_wait(), factory=_Connection
    )
    assert isinstance(db, _Connection)
    if path is not None:
        db.path = str(path)
    return db


class ImportIndex:
    """Lookups by raw checksum and by similarity; paths are relative to content/."""

    def __init__(self, content_dir: Path, db_path: Path | None, *, in_memory: bool = False):
        self.content_dir = content_dir
        self.planned: set[str] = set()  # dry run: paths that would have been written
        self.lock: PidLock | None = None  # held from open() to close() (not in a dry run)
        if in_memory or db_path is None:
            self.db = _connect(None)
            if db_path is not None and db_path.is_file():
                with _connect(db_path) as disk:
                    disk._guarded(disk.backup, self.db)
        else:
            db_path.parent.mkdir(parents=True, exist_ok=True)
            self.db = _connect(db_path)
        self._prepare()

    def _prepare(self) -> None:
        try:
            version = self.db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        except sqlite3.DatabaseError:
            version = None
        if version is None or version[0] != SCHEMA_VERSION:
            for table in ("meta", "files", "raws", "bands"):
                self.db.execute(f"DROP TABLE IF EXISTS {table}")
        self.db.executescript(_SCHEMA)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (SCHEMA_VERSION,))

    @classmethod
    def open(cls, content_dir: Path, cache_dir: Path, *, dry_run: bool = False) -> ImportIndex:
        """Open (or create) the site's index and bring it up to date with content/.

        A real import holds the import lock until close(); a dry run only reads."""
        db_path = cache_dir / INDEX_NAME
        lock = None if dry_run else PidLock(cache_dir / LOCK_NAME, "the archive's import")
        if lock is not None:
            lock.acquire()
        try:
            try:
                index = cls(content_dir, db_path, in_memory=dry_run)
            except sqlite3.DatabaseError as exc:  # a damaged cache is rebuilt, not trusted
                if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                    raise _busy_problem(str(db_path)) from None
                db_path.unlink(missing_ok=True)
                index = cls(content_dir, db_path, in_memory=dry_run)
            index.lock = lock
            index.refresh()
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return index

    def close(self) -> None:
        try:
            self.db.commit()
            self.db.close()
        finally:
            if self.lock is not None:
                self.lock.release()

    # --- keeping up with content/ ------------------------------------------------------

    def refresh(self) -> None:
        known = {
            path: (mtime, size)
            for path, mtime, size in self.db.execute("SELECT path, mtime_ns, size FROM files")
        }
        if self.content_dir.is_dir():
            for rel, mtime_ns, size in scan_content(self.content_dir):
                if known.pop(rel, None) != (mtime_ns, size):
                    self.record_file(rel)
        for rel in known:
            self.forget(rel)
        self.db.commit()

    def forget(self, rel: str) -> None:
        self.db.execute("DELETE FROM files WHERE path=?", (rel,))
        self.db.execute("DELETE FROM raws WHERE path=?", (rel,))
        self.db.execute("DELETE FROM bands WHERE path=?", (rel,))

    def record_file(self, rel: str, known: tuple[str, Signature] | None = None) -> None:
        """(Re)read one content file's provenance and body into the index.

        `known` is (raw checksum, signature) when the caller just wrote the file and has
        them; then only the duplicates list is read back.
        """
        self.forget(rel)
        file = self.content_dir / rel
        try:
            stat = file.stat()
            text = read_content_file(self.content_dir, rel, rel).text
            front, body, _ = split_front_matter(rel, text)
        except (OSError, ProblemError):
            return
        raw = front.get("raw_sha256") if isinstance(front.get("raw_sha256"), str) else None
        if known is not None and known[0] == raw:
            sig = known[1]
        else:
            sig = signature(body) if raw else None
        self.db.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?)",
            (rel, stat.st_mtime_ns, stat.st_size, raw, sig.to_bytes() if sig else None),
        )
        if raw:
            self.db.execute("INSERT OR REPLACE INTO raws VALUES (?, ?, 'article')", (raw, rel))
            self.db.executemany(
                "INSERT INTO bands VALUES (?, ?)", [(key, rel) for key in band_keys(sig)]
            )
        duplicates = front.get("duplicates")
        for copy in duplicates if isinstance(duplicates, list) else []:
            if isinstance(copy, dict) and isinstance(copy.get("raw_sha256"), str):
                self.db.execute(
                    "INSERT OR IGNORE INTO raws VALUES (?, ?, 'duplicate')",
                    (copy["raw_sha256"], rel),
                )

    # --- lookups -------------------------------------------------------------------------

    def holder_of_raw(self, raw_sha256: str) -> tuple[str, str] | None:
        """(article path, 'article' or 'duplicate') for a raw checksum already imported."""
        row = self.db.execute(
            "SELECT path, role FROM raws WHERE raw_sha256=?", (raw_sha256,)
        ).fetchone()
        if row and self._exists(row[0]):
            return row[0], row[1]
        return None

    def raw_prefixes(self) -> frozenset[str]:
        """The first 16 hex digits of every raw checksum imported: what a cluster's
        workers are given to skip preparing documents this index holds already."""
        rows = self.db.execute("SELECT raw_sha256 FROM raws").fetchall()
        return frozenset(row[0][:RAW_PREFIX] for row in rows)

    def find_duplicate(self, sig: Signature) -> tuple[str, float] | None:
        """The most similar indexed article that counts as a near-duplicate, if any."""
        keys = band_keys(sig)
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            f"SELECT DISTINCT f.path, f.signature FROM bands b JOIN files f ON f.path=b.path "
            f"WHERE b.key IN ({marks}) AND f.signature IS NOT NULL",
            keys,
        ).fetchall()
        best: tuple[str, float] | None = None
        for path, blob in rows:
            duplicate, similarity = is_near_duplicate(sig, Signature.from_bytes(blob))
            better = best is None or similarity > best[1]
            if duplicate and better and self._exists(path):
                best = (path, similarity)
        return best

    def _exists(self, rel: str) -> bool:
        return rel in self.planned or (self.content_dir / rel).is_file()

    def path_taken(self, rel: str) -> bool:
        if (self.content_dir / rel).exists():
            return True
        return self.db.execute("SELECT 1 FROM files WHERE path=?", (rel,)).fetchone() is not None

    def note_written(self, rel: str, known: tuple[str, Signature] | None = None) -> None:
        """After the importer wrote a file: index it as it now is."""
        self.record_file(rel, known)

    def note_planned(self, rel: str, raw_sha256: str, sig: Signature) -> None:
        """In a dry run nothing is written; remember what would have been, for later files."""
        self.forget(rel)
        self.planned.add(rel)
        self.db.execute(
            "INSERT INTO files VALUES (?, 0, 0, ?, ?)", (rel, raw_sha256, sig.to_bytes())
        )
        self.db.execute("INSERT OR REPLACE INTO raws VALUES (?, ?, 'article')", (raw_sha256, rel))
        self.db.executemany(
            "INSERT INTO bands VALUES (?, ?)", [(key, rel) for key in band_keys(sig)]
        )

    def note_duplicate(self, rel: str, raw_sha256: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO raws VALUES (?, ?, 'duplicate')", (raw_sha256, rel))
