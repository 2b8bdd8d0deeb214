"""`sitegen serve`: a local preview that rebuilds on change and reloads the open tab.

Three parts, each small: a static file server for the output folder that never serves a
path outside it; a watcher that turns bursts of file events into one rebuild; and a
Server-Sent Events channel that tells open pages to reload (or, for a stylesheet-only
change, to swap the stylesheet). The reload script is added to HTML responses as they
are served, never written into the output folder. A failed rebuild keeps the last good
site served and shows the problems over it until a later build succeeds.

Other sitegen processes may work on the same site meanwhile (a `sitegen build`, a
`search`): only writes to the watched files start a rebuild (another process reading
sitegen.toml does not), serve's own writes (the output and cache folders) never do, and a
rebuild that finds the site's build lock held (sitegen.locks) is reported once and tried
again after a growing pause, or at the next change, whichever comes first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import html
import json
import mimetypes
import os
import posixpath
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from sitegen.config import CONFIG_NAME, Config, load_config
from sitegen.locks import LockHeld
from sitegen.model import Problem, ProblemError
from sitegen.site.memory import BuildMemory, BuildMode
from sitegen.site.pipeline import build, warm_up
from sitegen.site.render import template_problem
from sitegen.site.report import BuildReport
from sitegen.site.themes import theme_dirs

EVENTS_PATH = "/_sitegen/events"
#: serve's builds: the pages of an edit first (search as it was), then everything
SERVE_PAGES = BuildMode(live=True, pages_first=True, save_in_background=True)
SERVE_ALL = BuildMode(live=True, save_in_background=True)
#: Quiet time after the last file event before a rebuild starts, and the longest a
#: steady stream of events may delay one.
DEBOUNCE_SECONDS = 0.08
#: The quiet wait after an event that ends a write (a file closed after writing, or renamed
#: into place as editors save): the file is complete, only a burst needs gathering.
SETTLED_DEBOUNCE_SECONDS = 0.015
MAX_DELAY_SECONDS = 1.0
#: How long the files must stay untouched before serve brings the search index up to date.
SEARCH_IDLE_SECONDS = 1.5
#: After a rebuild that could not take the build lock (another process builds the site),
#: the first pause before trying again; it doubles on each failure up to the maximum.
LOCK_RETRY_SECONDS = 1.0
LOCK_RETRY_MAX_SECONDS = 30.0
#: How long stopping waits for a rebuild in progress (so it leaves no lock or staging
#: folder behind).
STOP_WAIT_SECONDS = 30.0
#: File events that are no change: another process (or serve itself) reading a file.
READ_EVENTS = ("opened", "closed_no_write")
REBUILD_THREAD = "sitegen-rebuild"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".ico": "image/x-icon",
}
FEED_NAMES = ("feed.xml",)

RELOAD_SCRIPT = """<script>
(() => {
  const events = new EventSource(%(events)s);
  const base = %(base)s;
  let seen = null;
  const here = () => {
    let rel = decodeURIComponent(location.pathname).slice(base.length);
    return rel === "" || rel.endsWith("/") ? rel + "index.html" : rel;
  };
  events.addEventListener("build", (message) => {
    const data = JSON.parse(message.data);
    if (seen === null) { seen = data.id; return; }
    if (data.id === seen) return;
    seen = data.id;
    // a rebuild that rewrote other pages only (and no stylesheet) leaves this one be
    if (data.pages && !data.failed && !data.pages.includes(here())) return;
    if (data.css_only) {
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
        const url = new URL(link.href);
        url.searchParams.set("sitegen-reload", String(data.id));
        link.href = url.toString();
      }
    } else {
      location.reload();
    }
  });
})();
</script>"""

ERROR_PANEL = """<div id="sitegen-build-error" role="alert" style="position:fixed;inset:0;z-index:2147483647;
overflow:auto;background:rgba(20,0,0,.94);color:#fff;font:15px/1.5 ui-monospace,monospace;padding:2rem">
<h1 style="font:bold 1.4rem system-ui,sans-serif;color:#ff8a80;margin:0 0 1rem">sitegen: the last
rebuild failed</h1>
<p style="margin:0 0 1rem;font-family:system-ui,sans-serif">The page below is from the last good
build. Fix the file and save: this page reloads by itself.</p>
<ul style="padding-left:1.2rem">%(items)s</ul></div>"""


@dataclass
class BuildStatus:
    """What the server knows about the latest build, shared between threads."""

    build_id: int = 0
    problems: list[Problem] = field(default_factory=list)
    css_only: bool = False
    pages: list[str] | None = None  # the HTML files a rebuild rewrote, when few; None: all
    condition: threading.Condition = field(default_factory=threading.Condition)

    def publish(
        self, problems: list[Problem], css_only: bool = False, pages: list[str] | None = None
    ) -> None:
        with self.condition:
            self.build_id += 1
            self.problems = problems
            self.css_only = css_only
            self.pages = pages
            self.condition.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.condition:
            self.condition.wait_for(lambda: self.build_id != seen, timeout=timeout)
            return self.build_id


def safe_path(root: Path, url_path: str) -> Path | None:
    """The file under root that a URL path names, or None if it would leave root.

    The path is decoded once, normalised, and resolved with symlinks followed; anything
    that ends up outside root (../, encoded dots, a symlink pointing out) is refused.
    """
    decoded = unquote(url_path)
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = [p for p in decoded.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    candidate = root.joinpath(*parts) if parts else root
    try:
        resolved = candidate.resolve()
        real_root = root.resolve()
    except (OSError, RuntimeError):
        return None
    if resolved != real_root and real_root not in resolved.parents:
        return None
    if resolved.is_dir():
        if not url_path.endswith("/"):
            return resolved  # the handler redirects to the slash form
        resolved = resolved / "index.html"
    return resolved


def inject(page: bytes, snippet: str) -> bytes:
    """Put `snippet` before </body> (or at the end when there is none)."""
    marker = page.rfind(b"</body>")
    data = snippet.encode("utf-8")
    if marker == -1:
        return page + data
    return page[:marker] + data + page[marker:]


def error_panel(problems: list[Problem]) -> str:
    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
    return ERROR_PANEL % {"items": items}


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves the output folder, the reload channel and (when available) live search."""

    server_version = "sitegen"
    output: Path
    base_path: str = "/"  # the site lives under this path, as it will when published
    status: BuildStatus
    reload: bool = True
    search: Callable[[dict[str, list[str]]], tuple[int, dict]] | None = None

    def log_message(self, format: str, *args: object) -> None:  # quiet: the CLI reports builds
        pass

    def do_HEAD(self) -> None:
        self.do_GET(head_only=True)

    def do_GET(self, head_only: bool = False) -> None:
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH and self.reload:
            self.stream_events()
            return
        if url.path == "/_search" and self.search is not None:
            code, payload = self.search(parse_qs(url.query))
            self.send_bytes(
                code, json.dumps(payload).encode("utf-8"), "application/json", head_only
            )
            return
        if not url.path.startswith(self.base_path):
            if url.path.rstrip("/") == "":
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", self.base_path)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.send_not_found(head_only)
            return
        target = safe_path(self.output, url.path[len(self.base_path) - 1 :])
        if target is None:
            self.send_not_found(head_only, HTTPStatus.FORBIDDEN)
            return
        if target.is_dir():
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", url.path + "/" + (f"?{url.query}" if url.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            data = target.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            self.send_not_found(head_only)
            return
        except OSError:
            self.send_not_found(head_only, HTTPStatus.FORBIDDEN)
            return
        self.send_bytes(HTTPStatus.OK, data, content_type(target), head_only)

    def send_not_found(self, head_only: bool, code: HTTPStatus = HTTPStatus.NOT_FOUND) -> None:
        page = self.output / "404.html"
        data = page.read_bytes() if page.is_file() else b"<!doctype html><title>Not found</title>"
        self.send_bytes(code, data, CONTENT_TYPES[".html"], head_only)

    def send_bytes(self, code: int, data: bytes, ctype: str, head_only: bool) -> None:
        if ctype.startswith("text/html"):
            snippet = ""
            problems = self.status.problems
            if problems:
                snippet += error_panel(problems)
            if self.reload:
                snippet += RELOAD_SCRIPT % {
                    "events": json.dumps(EVENTS_PATH),
                    "base": json.dumps(self.base_path),
                }
            if snippet:
                data = inject(data, snippet)
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head_only:
            self.wfile.write(data)

    def stream_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while not getattr(self.server, "closing", False):
                current = self.status.wait_for_change(seen, timeout=15.0)
                if current == seen:
                    self.wfile.write(b": keep-alive\n\n")  # also notices closed tabs
                else:
                    seen = current
                    payload = json.dumps(
                        {
                            "id": current,
                            "css_only": self.status.css_only,
                            "failed": bool(self.status.problems),
                            "pages": self.status.pages,
                        }
                    )
                    self.wfile.write(f"event: build\ndata: {payload}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if path.name in FEED_NAMES:
        return "application/atom+xml; charset=utf-8"
    if path.name == "rss.xml":
        return "application/rss+xml; charset=utf-8"
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


# -- watching ---------------------------------------------------------------------------

IGNORED_SUFFIXES = (
    ".swp",
    ".swo",
    ".swx",
    ".swpx",
    ".tmp",
    ".temp",
    ".bak",
    ".part",
    ".crdownload",
    ".kate-swp",
    ".pyc",
)


def is_ignored_change(path: str) -> bool:
    """Editor droppings and our own temporary files never trigger a rebuild."""
    name = posixpath.basename(path.replace(os.sep, "/"))
    if not name or name.startswith((".", "#", "~")) or name.endswith("~"):
        return True
    if name.endswith(IGNORED_SUFFIXES) or ".tmp-" in name:
        return True
    return name.isdigit()  # vim's write test file "4913"


class ChangeCollector:
    """Coalesces file events: a rebuild starts once events have been quiet a moment."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._first: float | None = None
        self._last = 0.0
        self._quiet = DEBOUNCE_SECONDS  # how long after the last event a batch is complete
        self.paths: set[str] = set()

    def add(self, path: str, *, settled: bool = False) -> None:
        """Note a changed path; `settled` when the event ends a write (closed, renamed)."""
        if is_ignored_change(path):
            return
        with self._lock:
            now = time.monotonic()
            if self._first is None:
                self._first = now
            self._last = now
            self._quiet = SETTLED_DEBOUNCE_SECONDS if settled else DEBOUNCE_SECONDS
            self.paths.add(path)
            self._lock.notify_all()

    def wait_batch(self, stop: threading.Event, idle: float | None = None) -> set[str] | None:
        """Block until a burst of changes has settled; None once stop is set.

        With `idle`, an empty set comes back when nothing at all happened for that long.
        """
        idle_until = time.monotonic() + idle if idle is not None else None
        with self._lock:
            while not stop.is_set():
                if self._first is None:
                    if idle_until is not None and time.monotonic() >= idle_until:
                        return set()
                    wait = 0.5 if idle_until is None else max(0.0, idle_until - time.monotonic())
                    self._lock.wait(timeout=min(0.5, wait))
                    continue
                now = time.monotonic()
                quiet_until = self._last + self._quiet
                latest = self._first + MAX_DELAY_SECONDS
                if now >= quiet_until or now >= latest:
                    batch, self.paths = self.paths, set()
                    self._first = None
                    return batch
                self._lock.wait(timeout=min(quiet_until, latest) - now)
            return None

    def stop(self) -> None:
        with self._lock:
            self._lock.notify_all()


def is_write_event(event) -> bool:
    """Whether a watchdog event may have changed something (not a mere read)."""
    if event.event_type in READ_EVENTS:
        return False
    return not (event.is_directory and event.event_type == "modified")


def start_watching(
    paths: list[Path], collector: ChangeCollector, ignore: list[Path] | tuple[Path, ...] = ()
):
    """A watchdog observer feeding every create/modify/move/delete into the collector;
    events under `ignore` (serve's own output and cache folders) are dropped."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    ignored = tuple(str(p).rstrip(os.sep) + os.sep for p in ignore)

    def ours(path: str) -> bool:
        return path.startswith(ignored) if ignored else False

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if not is_write_event(event):
                return
            src = str(event.src_path)
            dest = str(getattr(event, "dest_path", "") or "")
            if not ours(src):
                collector.add(src, settled=event.event_type == "closed")
            if dest and not ours(dest):  # atomic saves: a temp file renamed over the real one
                collector.add(dest, settled=True)

    observer = Observer()
    handler = Handler()
    for path in paths:
        if path.is_dir():
            observer.schedule(handler, str(path), recursive=True)
    observer.start()
    return observer


# -- the preview session ----------------------------------------------------------------


@dataclass
class Rebuilt:
    report: BuildReport | None
    problems: list[Problem]
    seconds: float
    locked: bool = False  # another process held the site's build lock: nothing was built


class Preview:
    """Builds, serves, watches and rebuilds one site until stopped."""

    def __init__(
        self,
        site_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        reload: bool = True,
        port_tries: int = 1,
        on_build: Callable[[Rebuilt], None] | None = None,
        future: bool = True,
    ):
        self.site_dir = site_dir
        self.future = future
        self.reload = reload
        self.on_build = on_build or (lambda result: None)
        self.status = BuildStatus()
        self.config = self._load_config()
        self._config_digest = self._read_config_digest()
        self.memory = BuildMemory.for_site(self.config)  # kept between rebuilds
        self._lock_reported = False  # the build lock's holder was shown: not again
        self._first_build_pending = False  # the first build could not take the lock
        self.collector = ChangeCollector()
        self.stop_event = threading.Event()
        self.httpd = self._bind(host, port, port_tries)
        self.observer = None
        self.threads: list[threading.Thread] = []
        self._previous_sigterm: object = None  # the SIGTERM handler before start()

    def _load_config(self) -> Config:
        """The site's settings as serve builds them: drafts shown (and marked)."""
        config = load_config(self.site_dir)
        return dataclasses.replace(config, drafts=True, future=self.future)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def _bind(self, host: str, port: int, tries: int) -> ThreadingHTTPServer:
        handler = type(
            "Handler",
            (PreviewHandler,),
            {
                "output": self.memory.output,
                "status": self.status,
                "reload": self.reload,
                "base_path": self.config.base_path,
            },
        )
        last_error: OSError | None = None
        for candidate in range(port, port + max(1, tries)):
            try:
                server = ThreadingHTTPServer((host, candidate), handler)
            except OSError as exc:
                last_error = exc
                continue
            server.daemon_threads = True
            return server
        hint = "pick another with --port" if tries <= 1 else f"tried {port}-{port + tries - 1}"
        raise ProblemError(
            Problem(
                f"{host}:{port}",
                f"cannot listen there ({last_error.strerror if last_error else 'in use'}); {hint}",
            )
        )

    def set_search(self, search: Callable[[dict[str, list[str]]], tuple[int, dict]]) -> None:
        self.httpd.RequestHandlerClass.search = staticmethod(search)  # type: ignore[attr-defined]

    def rebuild(self, changed: set[str] | None = None) -> Rebuilt:
        """Rebuild the pages and publish them; then bring search up to date and publish that.

        Search comes second because re-exporting the static index can take seconds on a
        big archive, and an edited page should not wait for it.
        """
        result = self._build_once(changed, pages_first=True)
        if changed is None:
            self._first_build_pending = result.locked  # the rebuild loop tries again
        report = result.report
        if report is not None and not result.problems and (report.files or report.removed):
            self._build_once(set(), pages_first=False)
        if changed is None and not result.locked:  # the first build: ready the first edit
            self._settle()
        return result

    def _read_config_digest(self) -> str | None:
        try:
            return hashlib.sha1((self.site_dir / CONFIG_NAME).read_bytes()).hexdigest()
        except OSError:
            return None

    def _config_changed(self, changed: set[str] | None) -> bool:
        """Whether sitegen.toml is among the changed files and its bytes are new (a
        touch, or an editor's save of the same text, is no change)."""
        if changed is None or not any(Path(p).name == CONFIG_NAME for p in changed):
            return False
        digest = self._read_config_digest()
        if digest == self._config_digest:
            return False
        self._config_digest = digest
        return True

    def _settle(self) -> None:
        """Work done while no edit waits: render the longest lists once (their items are
        remembered, see Renderer.remember), then set aside every object alive now from
        the garbage collector's full scans, which would otherwise walk the whole archive
        in the middle of some later edit's build (a 0.1-0.2 s pause at 10,000 articles)."""
        warm_up(self.config, self.memory)
        gc.unfreeze()  # what was set aside last time and is garbage now goes too
        gc.collect()
        gc.freeze()

    def _build_once(self, changed: set[str] | None, *, pages_first: bool) -> Rebuilt:
        started = time.perf_counter()
        try:
            if self._config_changed(changed):
                self.config = self._load_config()
                self.memory = BuildMemory.for_site(self.config)
            # the clock, read once per build (what --no-future compares dates to)
            now = dt.datetime.now(dt.UTC)
            mode = dataclasses.replace(SERVE_PAGES if pages_first else SERVE_ALL, now=now)
            report = build(self.config, self.memory, mode, changed_files=changed)
            problems = list(report.problems)
        except LockHeld as exc:  # another process builds the site: try again later
            problem = Problem(exc.problem.path, f"{exc.busy}; serve builds again once it is free")
            result = Rebuilt(None, [problem], time.perf_counter() - started, locked=True)
            if not self._lock_reported:  # once per wait, not at every try
                self._lock_reported = True
                self.status.publish([problem])
                self.on_build(result)
            return result
        except ProblemError as exc:
            report, problems = None, [exc.problem]
        except Exception as exc:  # a template error, say: show it, keep serving
            report, problems = None, [template_problem(exc)]
        self._lock_reported = False
        result = Rebuilt(report, problems, time.perf_counter() - started)
        wrote = report is not None and report.written and (report.files or report.removed)
        if problems or wrote or self.status.problems:
            touched = (report.changed + report.removed_paths) if report is not None else []
            css_only = (
                bool(touched) and not problems and all(rel.endswith(".css") for rel in touched)
            )
            pages = [rel for rel in touched if rel.endswith(".html")]
            self.status.publish(problems, css_only, pages if len(pages) <= 500 else None)
        self.on_build(result)
        return result

    def start(self) -> None:
        """Serve and watch in background threads (the first build must have run)."""
        from watchdog.events import FileSystemEventHandler  # noqa: F401  (fail early if missing)

        self.observer = start_watching(
            [self.config.content_dir, *theme_dirs(self.config)],
            self.collector,
            ignore=(self.memory.output, self.config.cache_dir),
        )
        self._watch_config()
        serve_thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        build_thread = threading.Thread(target=self._rebuild_loop, name=REBUILD_THREAD, daemon=True)
        self.threads = [serve_thread, build_thread]
        for thread in self.threads:
            thread.start()
        self._stop_on_sigterm()

    def _stop_on_sigterm(self) -> None:
        """A `kill` (a service manager's, a test's) stops serve as Ctrl-C does, so the
        rebuild in progress ends and releases its lock. Only the main thread may."""
        if threading.current_thread() is not threading.main_thread():
            return
        self._previous_sigterm = signal.signal(
            signal.SIGTERM, lambda signum, frame: self.stop_event.set()
        )

    def _watch_config(self) -> None:
        from watchdog.events import FileSystemEventHandler

        collector = self.collector
        config_name = CONFIG_NAME

        class ConfigHandler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                # every sitegen command reads sitegen.toml, serve too: reads are no edit
                if not is_write_event(event):
                    return
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if path and Path(str(path)).name in (config_name, "people.toml"):
                        collector.add(str(path))

        assert self.observer is not None
        self.observer.schedule(ConfigHandler(), str(self.config.root), recursive=False)

    def _rebuild_loop(self) -> None:
        """Pages first on every change; search once the files have been quiet a moment.

        Re-exporting the static search index can take seconds on a big archive, so it
        waits for a pause in editing instead of delaying the next edit's reload.

        A build that could not take the build lock is tried again after a pause that
        doubles each time (LOCK_RETRY_SECONDS up to LOCK_RETRY_MAX_SECONDS), or as soon
        as another change comes, with that change's files added.
        """
        search_pending = False
        retry_files: set[str] = set()  # the files of a build the lock kept from running
        retry_in: float | None = LOCK_RETRY_SECONDS if self._first_build_pending else None
        while not self.stop_event.is_set():
            if retry_in is not None:
                idle: float | None = retry_in
            else:
                idle = SEARCH_IDLE_SECONDS if search_pending else None
            batch = self.collector.wait_batch(self.stop_event, idle)
            if batch is None:
                return
            batch |= retry_files
            first = self._first_build_pending  # the whole first build, search and all
            if first:
                result = self.rebuild()
            elif batch:
                result = self._build_once(batch, pages_first=True)
            else:
                result = self._build_once(set(), pages_first=False)
            if result.locked:
                retry_files = batch
                retry_in = (
                    min(2 * retry_in, LOCK_RETRY_MAX_SECONDS) if retry_in else LOCK_RETRY_SECONDS
                )
                continue
            retry_files, retry_in = set(), None
            report = result.report
            if first:
                search_pending = False
            elif not batch:
                self._settle()
                search_pending = False
            elif report is not None and (report.files or report.removed):
                search_pending = True

    def stop(self) -> None:
        self.stop_event.set()
        self.collector.stop()
        self.httpd.closing = True  # type: ignore[attr-defined]
        with self.status.condition:
            self.status.condition.notify_all()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self.threads:  # a rebuild in progress ends and releases its lock
            if thread.name == REBUILD_THREAD:
                thread.join(timeout=STOP_WAIT_SECONDS)
        previous, self._previous_sigterm = self._previous_sigterm, None
        if previous is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)  # type: ignore[arg-type]
