"""Raw inputs named by an fsspec URL (`s3://bucket/dumps/`, `memory://raw/`, `file:///x`).

Owns the one decision of which import argument is a URL (`is_url`), the listing of a
URL (a folder walked like os.walk, a glob, one file) and `RemoteFile`, a raw file that
readers.read_file reads as it reads a Path. Only the URL string travels with a
RemoteFile, so a cluster's worker opens it itself and no bytes pass the scheduler.
fsspec (the `cluster` extra) is imported only when a URL is used.
Not here: which files of a folder are imported (importer.find_inputs owns that rule for
local folders and URLs alike).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, NamedTuple

from sitegen.model import Problem, ProblemError

#: A scheme of two or more characters then "://": one letter and ":" is a Windows drive.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+://")
_GLOB = re.compile(r"[*?\[]")

#: Drivers to suggest when fsspec itself is missing (fsspec's own registry names them
#: once it is installed).
_DRIVERS = {"s3": "s3fs", "s3a": "s3fs", "gs": "gcsfs", "gcs": "gcsfs", "az": "adlfs"}
_DRIVERS |= {"abfs": "adlfs", "abfss": "adlfs", "hf": "huggingface_hub"}


def is_url(text: str) -> bool:
    """True for an argument fsspec should open; plain paths (and C:\\ drives) are paths.
    A local name that looks like a URL is read as a path when written ./name."""
    return _URL.match(text) is not None


def protocol(url: str) -> str:
    return url.split("://", 1)[0].lower()


def _filesystem(url: str) -> tuple[Any, str]:
    """fsspec's filesystem for `url` and the path in it; ProblemError saying what to install."""
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        driver = _DRIVERS.get(protocol(url))
        install = f"pip install fsspec{' ' + driver if driver else ''}"
        raise ProblemError(Problem(url, f"reading URLs needs fsspec: {install}")) from None
    try:
        return url_to_fs(url)
    except ImportError as exc:  # a known protocol whose driver is not installed
        driver = _DRIVERS.get(protocol(url))
        hint = f" (pip install {driver})" if driver else ""
        raise ProblemError(
            Problem(url, f"cannot open {protocol(url)}:// URLs, a driver is missing: {exc}{hint}")
        ) from None
    except ValueError as exc:  # "Protocol not known: x"
        raise ProblemError(
            Problem(
                url,
                f"fsspec knows no {protocol(url)}:// filesystem ({exc}): is the scheme right? "
                "A third-party driver registers its scheme once installed",
            )
        ) from None


class RemoteStat(NamedTuple):
    """The two fields of os.stat_result that readers.read_file uses."""

    st_size: int
    st_mtime: float | None


@dataclass(frozen=True)
class RemoteFile:
    """A raw file behind an fsspec URL, with the Path methods read_file calls."""

    url: str

    @property
    def name(self) -> str:
        return PurePosixPath(self.url.split("://", 1)[1]).name

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix

    def stat(self) -> RemoteStat:
        fs, path = _filesystem(self.url)
        info = fs.info(path)
        mtime = info.get("mtime")  # the local filesystem's, exactly os.stat's
        if not isinstance(mtime, (int, float)):
            try:
                mtime = fs.modified(path).timestamp()
            except (NotImplementedError, OSError, AttributeError, KeyError):
                mtime = None  # some stores keep no time; "--reference-time file" has none
        return RemoteStat(int(info.get("size") or 0), mtime)

    def read_bytes(self) -> bytes:
        fs, path = _filesystem(self.url)
        return fs.cat_file(path)

    def open(self, mode: str = "rb") -> Any:
        """A context manager giving a binary file object (for .jsonl, read as a stream)."""
        fs, path = _filesystem(self.url)
        return fs.open(path, mode)


def join_url(base: str, name: str) -> str:
    """`name` inside the folder URL `base` (which may end in "/")."""
    return base + name if base.endswith("/") or not name else f"{base}/{name}"


def _under(base_url: str, base_path: str, path: str, fs: Any) -> str:
    """The URL of `path` written as the user wrote `base_url`, so reports show their URL."""
    base_path = base_path.rstrip("/")
    if path == base_path:
        return base_url
    if path.startswith(base_path + "/") or not base_path:
        return join_url(base_url, path[len(base_path) :].lstrip("/"))
    return fs.unstrip_protocol(path)


def walk_url(url: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk for a folder URL: (folder URL, sub-folder names, file names), top down;
    prune or order the sub-folder names in place. Unreadable sub-folders are passed over,
    as os.walk does."""
    fs, root = _filesystem(url)
    for path, dirs, files in fs.walk(root):
        yield _under(url, root, path, fs), dirs, files


def expand_url(url: str) -> list[tuple[str, bool]]:
    """What one URL argument names, as (URL, is a folder): itself, or a glob's matches
    (sorted; hidden names left out, as a shell's glob does). ProblemError when nothing."""
    fs, path = _filesystem(url)
    if not _GLOB.search(url.split("://", 1)[1]):
        try:
            info = fs.info(path)
        except FileNotFoundError:
            raise ProblemError(Problem(url, "no such file or folder")) from None
        return [(url, info.get("type") == "directory")]
    magic = _GLOB.search(url).start()
    base_url = url[: url.rfind("/", 0, magic) + 1]
    base_path = _filesystem(base_url)[1]  # how fs names the folder the glob starts in
    matches = fs.glob(path, detail=True)
    found = [
        (_under(base_url, base_path, name, fs), info.get("type") == "directory")
        for name, info in sorted(matches.items())
        if not name.rstrip("/").rsplit("/", 1)[-1].startswith(".")
    ]
    if not found:
        raise ProblemError(Problem(url, "the pattern matches no file or folder"))
    return found
