"""Files that several commands touch: how one is written safely, and which are articles.

This module owns two rules, so that no command keeps a copy of its own:

- the one atomic write (`write_atomic`, `copy_atomic`, `atomic_stream`): import, extract,
  the build's state and caches, the search index and export, and publish all write
  through it, so a reader never sees half a file (nor, for an author's files, a crash);
- the one content-file rule (`is_content_name`, `is_content_path`, `scan_content`) and the
  one reader of content files (`read_content_file`): the build, `sitegen extract` and the
  import's index agree on which files under content/ are articles and how they read.

What a content file means (front matter, required keys) belongs to `sitegen.content`;
where the build's pages go and how its staged output is swapped in belongs to the build.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sitegen.content import decode_article_bytes
from sitegen.model import Problem, ProblemError

#: Every temporary file this module makes starts so: hidden (no content scan, watcher or
#: publish mirror takes it for a real file) and recognisable as ours when left by a kill.
TEMP_PREFIX = ".sitegen-tmp-"

#: The suffixes of article files, compared in lower case (`A.MD` is an article too).
MARKDOWN_SUFFIXES = (".md", ".markdown")

_BOM = b"\xef\xbb\xbf"


# -- the atomic write ---------------------------------------------------------------------


def write_atomic(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Put `data` (text is written as UTF-8, newlines as given) at `path`, all or nothing.

    A reader sees the old file or the new one, never a mix; if anything fails, the old
    file is left as it was and no temporary file remains. `durable=False` skips the
    fsync calls: only for files that are rebuilt from their inputs if a crash loses them
    (see `atomic_stream`).
    """
    with atomic_stream(path, durable=durable) as stream:
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)


def copy_atomic(path: Path, source: Path, *, durable: bool = True) -> None:
    """Copy the file `source` to `path` as `write_atomic` writes, without reading it whole."""
    with atomic_stream(path, durable=durable) as stream, source.open("rb") as src:
        shutil.copyfileobj(src, stream)


@contextmanager
def atomic_stream(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary stream whose bytes replace `path` only once the `with` block ends well.

    The bytes go to a temporary file in the same folder (a rename across file systems
    would not be atomic), which is flushed, fsynced, renamed over `path` by os.replace,
    and then the folder is fsynced so the rename itself survives a power cut. A missing
    folder is made. The new file keeps the permission bits of the regular file it
    replaces, or gets the usual ones (0666 minus the umask), never a temporary file's
    private 0600.

    `durable=False` keeps the rename (readers still never see half a file) but skips both
    fsync calls, which cost one to a few milliseconds per file on ext4: for derived files
    a later run remakes or repairs if a crash spoils them (the build's state and caches,
    the search index's state and its thousands of export files, a published copy of the
    site), never for an author's content (import, extract).

    The build's pages do not come through here at all: they are written into a fresh
    staging folder that nothing reads until it is swapped in whole (or, incrementally,
    each file renamed into place), so they need no temporary name of their own; and an
    fsync per page would add tens of seconds to a 10k archive's 31,000 files for output
    that a clean build remakes from content/.
    """
    temp, stream = _open_temp(path)
    try:
        with stream:
            yield stream
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        _keep_mode(temp, path)
        os.replace(temp, path)
    except BaseException:
        _remove_quietly(temp)
        raise
    if durable:
        sync_folder(path.parent)


def _open_temp(path: Path) -> tuple[Path, BinaryIO]:
    """A new temporary file beside `path` (made with O_EXCL, so never someone else's)."""
    folder = path.parent
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = folder / f"{TEMP_PREFIX}{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
        except FileNotFoundError:  # the folder's first file: no mkdir call for every file
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(temp, flags, 0o666)
        return temp, os.fdopen(fd, "wb")
    raise FileExistsError(f"cannot create a temporary file in {folder}")  # pragma: no cover


def _keep_mode(temp: Path, path: Path) -> None:
    """Give `temp` the permission bits of the regular file at `path`, if there is one."""
    try:
        old = os.stat(path, follow_symlinks=False)
    except OSError:
        return
    if stat.S_ISREG(old.st_mode):
        os.chmod(temp, stat.S_IMODE(old.st_mode))


def _remove_quietly(path: Path) -> None:
    with suppress(OSError):
        os.unlink(path)


def sync_folder(folder: Path) -> None:
    """fsync a folder, so renames into it survive a crash, where the OS allows it.

    Windows cannot open a folder this way, and some file systems refuse to fsync one;
    there the rename is as durable as the OS makes it.
    """
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


class SyncLater:
    """Files written atomically now and made durable together at a checkpoint.

    An import writes hundreds of content files; an fsync each (a journal commit each on
    ext4) cost a fifth of its time. Written through here, each file is still renamed
    into place whole (a reader never sees half of one), and `sync()` then fsyncs the
    files and their folders in one go: the first fsync commits the journal for all of
    them, the rest find little left to do. The caller syncs before it records the files
    as written (the import index's commit) and when it stops.
    """

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def write(self, path: Path, data: bytes | str) -> None:
        write_atomic(path, data, durable=False)
        self.paths.append(path)

    def sync(self) -> None:
        """fsync every file written since the last sync, then each of their folders."""
        paths, self.paths = self.paths, []
        for path in paths:
            with suppress(OSError):  # replaced or removed since: its own writer synced it
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        for folder in dict.fromkeys(path.parent for path in paths):
            sync_folder(folder)


# -- which files are content ---------------------------------------------------------------


def is_content_name(name: str) -> bool:
    """An article file's name: Markdown, not hidden, not `_`-prefixed, not an editor's
    backup (`x.md~`) or autosave (`#x.md#`)."""
    if name.startswith((".", "_", "#")) or name.endswith("~"):
        return False
    return name.lower().endswith(MARKDOWN_SUFFIXES)


def is_content_folder(name: str) -> bool:
    """A folder the content scan enters: hidden and `_`-prefixed ones (`_drafts`) are
    the author's own, never published."""
    return not name.startswith((".", "_"))


def is_content_path(rel: str) -> bool:
    """Whether `rel` (relative to content/, with `/`) is an article the build publishes."""
    *folders, name = rel.split("/")
    return is_content_name(name) and all(map(is_content_folder, folders))


def is_asset_name(name: str) -> bool:
    """A file published beside the articles that link it (an image, a PDF): any file the
    content scan would see that is not an article, not hidden and not a backup."""
    if name.startswith((".", "_", "#")) or name.endswith("~"):
        return False
    return not name.lower().endswith(MARKDOWN_SUFFIXES)


def scan_content(content_dir: Path) -> list[tuple[str, int, int]]:
    """(path relative to content_dir, mtime_ns, size) of every article file, sorted.

    Uses os.scandir on plain strings: on a large archive this runs on every build, even
    one where nothing changed, so it has to cost little more than the stat calls.
    Symbolic links to folders are not followed.
    """
    return scan_content_and_assets(content_dir)[0]


def scan_content_and_assets(
    content_dir: Path,
) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """scan_content's article files, and in the same walk the other files beside them
    (is_asset_name), each (path, mtime_ns, size), sorted."""
    found: list[tuple[str, int, int]] = []
    assets: list[tuple[str, int, int]] = []
    root = str(content_dir)
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            entries = list(os.scandir(os.path.join(root, rel_dir) if rel_dir else root))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if entry.is_dir(follow_symlinks=False):
                if is_content_folder(name):
                    stack.append(rel)
            else:
                into = found if is_content_name(name) else assets if is_asset_name(name) else None
                if into is None:
                    continue
                try:
                    info = entry.stat()
                except OSError:
                    continue
                into.append((rel, info.st_mtime_ns, info.st_size))
    found.sort()
    assets.sort()
    return found, assets


# -- reading a content file -----------------------------------------------------------------


@dataclass(frozen=True)
class ContentText:
    """A content file's text (byte order mark removed), and whether it had one, so a
    rewrite can put it back."""

    text: str
    bom: bool


def read_content_file(content_dir: Path, rel: str, label: str | None = None) -> ContentText:
    """The text of content file `rel`, or a ProblemError saying why it is not an article.

    `label` names the file in problems (default `content/<rel>`). A name that is not
    valid UTF-8 is refused before reading: no URL or page could carry it.
    """
    label = label or f"content/{rel}"
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:  # a byte os.fsdecode kept as a surrogate
        shown = os.fsencode(label).decode("utf-8", "replace")
        problem = Problem(shown, "the file name is not valid UTF-8: rename the file")
        raise ProblemError(problem) from None
    try:
        data = (content_dir / rel).read_bytes()
    except OSError as exc:
        raise ProblemError(Problem(label, f"cannot read: {exc.strerror}")) from None
    return ContentText(decode_article_bytes(label, data), data.startswith(_BOM))
