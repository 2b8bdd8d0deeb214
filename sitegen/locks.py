"""Locks that let several sitegen processes share one site: one writer at a time.

`serve`, `build`, `search`, `check` and `import` may run at once on a site. What they
write into the site's cache (and the output folder) is guarded by a few named locks, each
a file beside what it guards:

    .sitegen-cache/build.lock          the output folder and the build's state files
    .sitegen-cache/search/index.lock   the Whoosh index, its state file and the export
    .sitegen-cache/import.lock         the import index (SQLite) and content/ for an import

Readers never lock: every file a reader opens is replaced whole by a rename (Whoosh's own
segments and table of contents, the state files), so a reader sees the old version or the
new one, never half of one.

A lock is an `fcntl.flock` on its file, and the file records who holds it (pid, host,
command line, since when). The kernel lets go of a flock when its process dies, so a lock
file left by a killed process (its pid no longer alive on this host) never blocks anyone:
the next writer takes it over, and `PidLock.cleared` says whose it was. A writer that
finds a lock held waits up to `LOCK_WAIT_SECONDS` (the `SITEGEN_LOCK_WAIT` environment
variable overrides it), then fails with a `LockHeld` naming the holder. Releasing removes
the file, so nothing is left behind once everything stops.

This module owns the locking only; what each lock covers is decided by its user. It
needs POSIX (fcntl), as the forked build workers do.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shlex
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sitegen.model import Problem, ProblemError

#: How long a writer waits for a lock held by another process before it gives up.
LOCK_WAIT_SECONDS = 5.0
#: Overrides LOCK_WAIT_SECONDS (seconds, a float): tests use a short wait.
LOCK_WAIT_ENV = "SITEGEN_LOCK_WAIT"
#: How often a waiting writer tries again.
POLL_SECONDS = 0.05

BUILD_LOCK = "build.lock"


def lock_wait() -> float:
    """The wait for a held lock: SITEGEN_LOCK_WAIT when set to a number, else the default."""
    value = os.environ.get(LOCK_WAIT_ENV, "")
    try:
        return max(0.0, float(value)) if value.strip() else LOCK_WAIT_SECONDS
    except ValueError:
        return LOCK_WAIT_SECONDS


def command_line() -> str:
    """This process's command as a user typed it: 'sitegen build --site x'."""
    args = list(sys.argv)
    if args and os.path.basename(args[0]) in ("__main__.py", "sitegen"):
        args[0] = "sitegen"
    return shlex.join(args) if args else "python"


@dataclass(frozen=True)
class Holder:
    """Who holds (or held) a lock, as its file records it."""

    pid: int
    host: str
    command: str
    since: float  # time.time() when it was taken

    def alive(self) -> bool | None:
        """Whether the process still runs; None when it ran on another host."""
        if self.host != socket.gethostname():
            return None
        return process_exists(self.pid)

    def describe(self) -> str:
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        started = time.strftime("%H:%M:%S", time.localtime(self.since))
        return f"pid {self.pid}{where}, '{self.command}', since {started}"

    def to_json(self) -> str:
        return json.dumps(
            {"pid": self.pid, "host": self.host, "command": self.command, "since": self.since}
        )

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        try:
            data = json.loads(text)
            return cls(
                int(data["pid"]), str(data["host"]), str(data["command"]), float(data["since"])
            )
        except (ValueError, TypeError, KeyError):
            return None


def process_exists(pid: int) -> bool:
    """Whether a process with this pid runs on this host (ours to signal or not)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but not ours to signal
        return True
    return True


def read_holder(path: Path) -> Holder | None:
    """Who the lock file at `path` names, if it exists and names anyone."""
    try:
        return Holder.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def held_by(path: Path) -> Holder | None:
    """The holder the lock file at `path` names while that process still runs, else None.

    For readers that want to explain what they found (an index being rebuilt): it reads
    the record and takes no lock at all.
    """
    holder = read_holder(path)
    return holder if holder is not None and holder.alive() is not False else None


class LockHeld(ProblemError):
    """Another process held the lock for the whole wait; the Problem names it."""

    def __init__(self, problem: Problem, holder: Holder | None = None, busy: str = ""):
        super().__init__(problem)
        self.holder = holder
        self.busy = busy or problem.message  # "<what> is busy: held by <whom>", no advice

    def __reduce__(self):
        return (type(self), (self.problem, self.holder, self.busy))


class PidLock:
    """An exclusive lock between processes on one file, recording its holder.

    `purpose` completes "... is busy": "the site's build", "the search index".
    Use as a context manager, or acquire() and release(). Not reentrant: one PidLock is
    taken once at a time, and a second PidLock on the same file waits like any process.
    """

    def __init__(self, path: Path, purpose: str, *, wait: float | None = None) -> None:
        self.path = path
        self.purpose = purpose
        self.wait = wait
        self.cleared: Holder | None = None  # the dead process whose lock this took over
        self._fd: int | None = None
        self._owner = 0  # the pid that took it: a forked worker never releases it

    def acquire(self, wait: float | None = None) -> PidLock:
        """Take the lock, waiting up to `wait` seconds (default: the lock's, else
        lock_wait()) while another process holds it; LockHeld when it never let go.
        A cache folder that cannot be written is a ProblemError too."""
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already held by this PidLock")
        limit = next(w for w in (wait, self.wait, lock_wait()) if w is not None)
        deadline = time.monotonic() + limit
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            while not self._try_take():
                if time.monotonic() >= deadline:
                    raise self._held_problem(limit)
                time.sleep(POLL_SECONDS)
        except OSError as exc:
            raise ProblemError(
                Problem(
                    str(exc.filename or self.path),
                    f"cannot lock {self.purpose}: {exc.strerror or exc}",
                )
            ) from None
        return self

    def _try_take(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise
        # A holder removes the file before letting go: the flock just taken may be on a
        # file no longer at `path`, and then it guards nothing.
        try:
            current = os.stat(self.path)
            mine = os.fstat(fd)
            same = (current.st_dev, current.st_ino) == (mine.st_dev, mine.st_ino)
        except FileNotFoundError:
            same = False
        if not same:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
            return False
        try:
            previous = Holder.parse(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
            # the file names someone, yet nobody held it: a process that died holding it
            self.cleared = (
                previous if previous is not None and previous.pid != os.getpid() else None
            )
            record = Holder(os.getpid(), socket.gethostname(), command_line(), time.time())
            os.ftruncate(fd, 0)
            os.pwrite(fd, (record.to_json() + "\n").encode("utf-8"), 0)
        except BaseException:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
            raise
        self._fd = fd
        self._owner = os.getpid()
        return True

    def _held_problem(self, waited: float) -> LockHeld:
        holder = read_holder(self.path)
        if holder is None:
            who = "another sitegen process"
        elif holder.alive() is False:  # dead, yet its flock is held: by its forked workers
            who = f"the worker processes of {holder.describe()} (which has exited)"
        else:
            who = holder.describe()
        busy = f"{self.purpose} is busy: held by {who}"
        message = f"{busy}; waited {waited:g} s. Try again when it has finished."
        return LockHeld(Problem(str(self.path), message), holder, busy)

    def release(self) -> None:
        """Let go and remove the lock file. In a forked child of the holder: nothing (the
        lock is the parent's to release)."""
        fd = self._fd
        if fd is None:
            return
        self._fd = None
        if self._owner != os.getpid():
            return
        with contextlib.suppress(OSError):
            self.path.unlink()  # before letting go: see _try_take
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def release_after(self, thread: threading.Thread) -> threading.Thread:
        """Release once `thread` (still writing what the lock guards) ends; the releasing
        thread, started, for the caller to join. The interpreter waits for it at exit."""

        def release() -> None:
            try:
                thread.join()
            finally:
                self.release()

        releaser = threading.Thread(target=release, name=f"release {self.path.name}", daemon=False)
        releaser.start()
        return releaser

    def __enter__(self) -> PidLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def build_lock(cache_dir: Path, *, wait: float | None = None) -> PidLock:
    """The lock of a site's output folder and build state (in its cache folder)."""
    return PidLock(cache_dir / BUILD_LOCK, "the site's build", wait=wait)
