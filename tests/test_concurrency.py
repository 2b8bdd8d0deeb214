"""Processes sharing one site: serve, build, search and check at once, and the locks that
keep their writes apart (sitegen/locks.py): a held lock makes a writer wait and then fail
naming the holder, a lock left by a dead process is cleared, and serve's own reads and
writes never make it rebuild."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, article_text, write_site

#: Every file a lock of any kind may leave in a site (ours, or Whoosh's own).
LOCK_NAMES = ("*.lock", "*WRITELOCK", "*READLOCK")


def small_site(root: Path) -> Path:
    files = {
        f"content/2024/0{n}/story-{n}.md": article_text(
            f"Story number {n}",
            f"The harbour council met for the {n}th time.",
            date=f"2024-0{n}-0{n}",
            people=["Ann Lee"],
            topics=["Harbour"],
        )
        for n in range(1, 7)
    }
    return write_site(
        root, files, '[site]\ntitle = "Test Archive"\nbase_url = "https://example.org/"\n'
    )


def sitegen(*args: str) -> list[str]:
    return [sys.executable, "-m", "sitegen", *args]


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def left_locks(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for name in LOCK_NAMES for p in root.rglob(name))


class ConfigReads:
    """Counts the times any process opens the site's sitegen.toml (inotify, by watchdog)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0

    def __enter__(self) -> ConfigReads:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        reads = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                if event.event_type == "opened" and Path(event.src_path).name == "sitegen.toml":
                    reads.count += 1

        self.observer = Observer()
        self.observer.schedule(Handler(), str(self.root), recursive=False)
        self.observer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)


class Served:
    """`sitegen serve` as its own process; its output lines collected as they come."""

    def __init__(self, root: Path, **env: str) -> None:
        self.process = subprocess.Popen(
            sitegen("serve", "--site", str(root), "--port", "0"),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=child_env(COLUMNS="1000", **env),
        )
        self.lines: list[str] = []
        self.url = ""
        assert self.process.stdout is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not self.url:
            line = self.process.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if match:
                self.url = match.group(1)
        if not self.url:
            self.process.kill()
            pytest.fail("sitegen serve did not start:\n" + "".join(self.lines))
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def rebuilds(self) -> int:
        return sum(1 for line in self.lines if line.startswith("Rebuilt"))

    def search_total(self, query: str) -> int:
        with urllib.request.urlopen(f"{self.url}_search?q={query}", timeout=10) as response:
            return json.loads(response.read())["total"]

    def stop(self) -> int:
        """Stop it (SIGTERM, which serve takes as Ctrl-C); its exit status."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=5)
        return self.process.returncode


def test_serve_rebuilds_once_while_search_and_build_run_beside_it(tmp_path):
    """The reported bug: an edit, then at once `sitegen search` (which reads sitegen.toml),
    `sitegen build` and `sitegen check` from other terminals. Serve used to take every read of
    sitegen.toml for an edit of it, rebuild, read it again itself, and so loop forever;
    its search never caught up."""
    root = small_site(tmp_path / "site")
    served = Served(root)
    try:
        before = served.rebuilds()
        story = root / "content/2024/03/story-3.md"
        story.write_text(story.read_text() + "\nA zanzibarquux surfaced.\n")
        others = [
            subprocess.Popen(
                sitegen(*args, "--site", str(root)),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env=child_env(),
            )
            for args in (["search", "zanzibarquux"], ["build"], ["check"])
        ]
        for other, may_fail in zip(others, (False, False, True), strict=True):
            output, _ = other.communicate(timeout=60)
            # check may find something to report on this tiny site; it never crashes
            assert other.returncode in ((0, 1) if may_fail else (0,)), output
            assert "Traceback" not in output and "busy" not in output, output

        # one rebuild for the edit: its pages at once, its search once editing pauses
        deadline = time.monotonic() + 30
        while served.rebuilds() - before < 2 or served.search_total("zanzibarquux") == 0:
            assert time.monotonic() < deadline, "".join(served.lines)
            time.sleep(0.1)  # polling the server with a deadline
        settled = served.rebuilds()
        # a window to see that nothing more happens on its own; a rebuild that writes
        # nothing prints nothing, but every one reads sitegen.toml
        with ConfigReads(root) as reads:
            time.sleep(2.0)
        assert served.rebuilds() == settled == before + 2, "".join(served.lines)
        assert reads.count == 0, f"serve read sitegen.toml {reads.count} times while idle"
    finally:
        status = served.stop()
    assert status == 0, "".join(served.lines)
    assert left_locks(root) == []


# -- the locks ----------------------------------------------------------------------------

#: A stand-in for another sitegen process: takes a lock, says so, holds it until its
#: stdin closes (or it is killed).
HOLDER = """
import sys
from pathlib import Path
from sitegen.locks import PidLock
path = Path(sys.argv[1])
sys.argv = ["sitegen", "build", "--site", "elsewhere"]
lock = PidLock(path, "a test").acquire()
print("held", flush=True)
sys.stdin.read()
lock.release()
"""


class Holder:
    """A process holding the lock file at `path` while the `with` block runs."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Holder:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(self.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "held"
        self.pid = self.process.pid
        return self

    def kill(self) -> None:
        """Die holding it, as a process killed mid-build does."""
        self.process.kill()
        self.process.wait(timeout=10)

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=10)


def test_a_lock_left_by_a_dead_process_is_cleared(tmp_path):
    from sitegen.locks import PidLock, read_holder

    path = tmp_path / "cache/build.lock"
    with Holder(path) as holder:
        holder.kill()
    left = read_holder(path)
    assert left is not None and left.pid == holder.pid and left.alive() is False

    lock = PidLock(path, "the site's build").acquire(wait=0)  # no waiting for the dead
    assert lock.cleared is not None and lock.cleared.pid == holder.pid
    mine = read_holder(path)
    assert mine is not None and mine.pid == os.getpid()
    lock.release()
    assert not path.exists()


def test_a_build_takes_over_a_stale_build_lock_and_leaves_none(tmp_path, site, monkeypatch):
    from sitegen.locks import Holder as Record
    from sitegen.site.pipeline import build_site

    monkeypatch.setenv("SITEGEN_LOCK_WAIT", "0")
    config = site({"content/a.md": article_text("Alpha", "The harbour froze.")})
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    record = Record(dead.pid, socket.gethostname(), "sitegen build", time.time()).to_json()
    for rel in ("build.lock", "search/index.lock"):  # left by a build killed mid-way
        (config.cache_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (config.cache_dir / rel).write_text(record)
    report = build_site(config)
    assert report.written, report.problems
    assert left_locks(config.root) == []


def test_a_held_lock_makes_a_writer_wait_then_fail_naming_the_holder(tmp_path):
    from sitegen.locks import LockHeld, PidLock

    path = tmp_path / "index.lock"
    with Holder(path) as holder:
        started = time.monotonic()
        with pytest.raises(LockHeld) as caught:
            PidLock(path, "the search index").acquire(wait=0.3)
        waited = time.monotonic() - started
    assert 0.3 <= waited < 30  # it waited, and gave up
    message = str(caught.value.problem)
    assert "\n" not in message
    assert f"pid {holder.pid}" in message and "'sitegen build --site elsewhere'" in message
    assert message.startswith(f"{path}: the search index is busy")
    assert caught.value.holder is not None and caught.value.holder.pid == holder.pid
    # once the holder is gone, the lock is free and its file too
    assert not path.exists()
    PidLock(path, "the search index").acquire(wait=0).release()


def test_every_writer_waits_for_a_held_lock_and_names_its_holder(site, monkeypatch):
    from sitegen.ingest.index import ImportIndex
    from sitegen.model import ProblemError
    from sitegen.search.index import update_index
    from sitegen.site.pipeline import build_site
    from tests.search.test_index import articles_of

    monkeypatch.setenv("SITEGEN_LOCK_WAIT", "0.2")
    config = site({"content/a.md": article_text("Alpha", "The harbour froze.")})
    assert build_site(config).written
    with Holder(config.cache_dir / "build.lock") as holder:
        report = build_site(config, clean=True)
    assert not report.written and len(report.problems) == 1
    assert f"pid {holder.pid}" in report.problems[0].message
    assert "the site's build is busy" in report.problems[0].message

    (config.content_dir / "a.md").write_text(article_text("Alpha", "It thawed."))
    with (
        Holder(config.cache_dir / "search/index.lock") as holder,
        pytest.raises(ProblemError) as caught,
    ):
        update_index(config, articles_of(config))
    assert f"pid {holder.pid}" in caught.value.problem.message

    with (
        Holder(config.cache_dir / "import.lock") as holder,
        pytest.raises(ProblemError) as caught,
    ):
        ImportIndex.open(config.content_dir, config.cache_dir)
    assert f"pid {holder.pid}" in caught.value.problem.message
    ImportIndex.open(config.content_dir, config.cache_dir).close()  # free again
    assert left_locks(config.root) == []


def test_the_cli_reports_a_held_build_lock_in_one_line(site):
    config = site({"content/a.md": article_text("Alpha", "The harbour froze.")})
    with Holder(config.cache_dir / "build.lock") as holder:
        done = subprocess.run(
            sitegen("build", "--site", str(config.root)),
            capture_output=True,
            text=True,
            env=child_env(SITEGEN_LOCK_WAIT="0.2", COLUMNS="1000"),
            timeout=60,
        )
    assert done.returncode == 1
    lines = [line for line in (done.stdout + done.stderr).splitlines() if "busy" in line]
    assert len(lines) == 1 and f"pid {holder.pid}" in lines[0], done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_readers_take_no_lock(site, monkeypatch):
    """Searching while a writer holds every lock answers at once."""
    from sitegen.search.index import open_searcher
    from sitegen.search.query import Filters, search
    from sitegen.site.pipeline import build_site

    config = site({"content/a.md": article_text("Alpha", "The harbour froze.")})
    assert build_site(config).written
    monkeypatch.setenv("SITEGEN_LOCK_WAIT", "0")
    with (
        Holder(config.cache_dir / "build.lock"),
        Holder(config.cache_dir / "search/index.lock"),
        open_searcher(config) as searcher,
    ):
        assert search(searcher, "harbour", Filters()).total == 1


def test_a_busy_import_index_is_a_clear_problem(site, monkeypatch):
    """SQLite kept busy by some other program: a ProblemError, not 'database is locked'."""
    import sqlite3

    from sitegen.ingest.index import INDEX_NAME, ImportIndex
    from sitegen.model import ProblemError

    config = site({"content/a.md": article_text("Alpha", "The harbour froze.")})
    ImportIndex.open(config.content_dir, config.cache_dir).close()
    monkeypatch.setenv("SITEGEN_LOCK_WAIT", "0.1")
    other = sqlite3.connect(config.cache_dir / INDEX_NAME)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(ProblemError) as caught:
            ImportIndex.open(config.content_dir, config.cache_dir)
    finally:
        other.rollback()
        other.close()
    assert "import index is busy" in caught.value.problem.message
    assert left_locks(config.root) == []
    ImportIndex.open(config.content_dir, config.cache_dir).close()


def test_two_builds_at_once_both_finish(tmp_path):
    root = small_site(tmp_path / "site")
    builds = [
        subprocess.Popen(
            sitegen("build", "--site", str(root), *extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=child_env(),
        )
        for extra in ([], ["--clean"])
    ]
    for build in builds:
        output, _ = build.communicate(timeout=60)
        assert build.returncode == 0, output
    assert (root / "build/2024/03/story-3/index.html").is_file()
    assert left_locks(root) == []


def test_serve_waits_out_a_held_build_lock_and_reports_it_once(tmp_path):
    root = small_site(tmp_path / "site")
    served = Served(root, SITEGEN_LOCK_WAIT="0.2")
    page = root / "build/2024/03/story-3/index.html"
    try:
        with Holder(root / ".sitegen-cache/build.lock") as holder:
            story = root / "content/2024/03/story-3.md"
            story.write_text(story.read_text().replace("Story number 3", "Story number three"))
            deadline = time.monotonic() + 20
            while not any("busy" in line for line in served.lines):
                assert time.monotonic() < deadline, "".join(served.lines)
                time.sleep(0.05)
            # serve tries again after 1 s, then 2 s: held this long, it has tried twice
            time.sleep(1.3)
            assert "Story number three" not in page.read_text()
        reports = [line for line in served.lines if f"pid {holder.pid}" in line]
        assert len(reports) == 1, "".join(served.lines)
        deadline = time.monotonic() + 20
        while "Story number three" not in page.read_text():  # no new change: a retry
            assert time.monotonic() < deadline, "".join(served.lines)
            time.sleep(0.05)
    finally:
        assert served.stop() == 0, "".join(served.lines)
    assert left_locks(root) == []
