"""`sitegen serve`: a local preview that rebuilds on change and reloads the open tab.

Three parts, each small: a static file server for the output folder that never serves a
path outside it; a watcher that turns bursts of file events into one rebuild; and a
Server-Sent Events channel that tells open pages to reload (or, for a stylesheet-only
change, to swap the stylesheet). The reload script is added to HTML responses as they
are served, never written into the output folder. A failed rebuild keeps the last good
site served and shows the problems over it until a later build succeeds.
"""

from __future__ import annotations

import gc
import html
import json
import mimetypes
import os
import posixpath
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from sitegen.build.render import template_problem, theme_dirs
from sitegen.build.site import Builder, BuildReport
from sitegen.config import CONFIG_NAME, load_config
from sitegen.model import Problem, ProblemError

EVENTS_PATH = "/_sitegen/events"
#: Quiet time after the last file event before a rebuild starts, and the longest a
#: steady stream of events may delay one.
DEBOUNCE_SECONDS = 0.08
#: The quiet wait after an event that ends a write (a file closed after writing, or renamed
#: into place as editors save): the file is complete, only a burst needs gathering.
SETTLED_DEBOUNCE_SECONDS = 0.015
MAX_DELAY_SECONDS = 1.0
#: How long the files must stay untouched before serve brings the search index up to date.
SEARCH_IDLE_SECONDS = 1.5

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


def start_watching(paths: list[Path], collector: ChangeCollector):
    """A watchdog observer feeding every create/modify/move/delete into the collector."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            if event.is_directory and event.event_type == "modified":
                return
            dest = getattr(event, "dest_path", "")
            collector.add(str(event.src_path), settled=event.event_type == "closed")
            if dest:  # atomic saves: a temp file renamed over the real one, complete
                collector.add(str(dest), settled=True)

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
    ):
        self.site_dir = site_dir
        self.reload = reload
        self.on_build = on_build or (lambda result: None)
        self.status = BuildStatus()
        self.config = load_config(site_dir)
        self.builder = Builder(self.config)
        self.builder.save_in_background = True
        self.builder.keep_warm = True
        self.collector = ChangeCollector()
        self.stop_event = threading.Event()
        self.httpd = self._bind(host, port, port_tries)
        self.observer = None
        self.threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def _bind(self, host: str, port: int, tries: int) -> ThreadingHTTPServer:
        handler = type(
            "Handler",
            (PreviewHandler,),
            {
                "output": self.builder.output,
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
        result = self._build_once(changed, defer_search=True)
        report = result.report
        if report is not None and not result.problems and (report.files or report.removed):
            self._build_once(set(), defer_search=False)
        if changed is None:  # the first build: get ready for the first edit
            self._settle()
        return result

    def _settle(self) -> None:
        """Work done while no edit waits: render the longest lists once (their items are
        remembered, see Renderer.remember), then set aside every object alive now from
        the garbage collector's full scans, which would otherwise walk the whole archive
        in the middle of some later edit's build (a 0.1-0.2 s pause at 10,000 articles)."""
        self.builder.warm_up()
        gc.unfreeze()  # what was set aside last time and is garbage now goes too
        gc.collect()
        gc.freeze()

    def _build_once(self, changed: set[str] | None, *, defer_search: bool) -> Rebuilt:
        started = time.perf_counter()
        try:
            if changed is not None and any(Path(p).name == CONFIG_NAME for p in changed):
                self.config = load_config(self.site_dir)
                self.builder = Builder(self.config)
                self.builder.save_in_background = True
                self.builder.keep_warm = True
            self.builder.defer_search = defer_search
            report = self.builder.build(keep_going=False, changed_files=changed)
            problems = list(report.problems)
        except ProblemError as exc:
            report, problems = None, [exc.problem]
        except Exception as exc:  # a template error, say: show it, keep serving
            report, problems = None, [template_problem(exc)]
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
            [self.config.content_dir, *theme_dirs(self.config)], self.collector
        )
        self._watch_config()
        serve_thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        build_thread = threading.Thread(target=self._rebuild_loop, daemon=True)
        self.threads = [serve_thread, build_thread]
        for thread in self.threads:
            thread.start()

    def _watch_config(self) -> None:
        from watchdog.events import FileSystemEventHandler

        collector = self.collector
        config_name = CONFIG_NAME

        class ConfigHandler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if path and Path(str(path)).name in (config_name, "people.toml"):
                        collector.add(str(path))

        assert self.observer is not None
        self.observer.schedule(ConfigHandler(), str(self.config.root), recursive=False)

    def _rebuild_loop(self) -> None:
        """Pages first on every change; search once the files have been quiet a moment.

        Re-exporting the static search index can take seconds on a big archive, so it
        waits for a pause in editing instead of delaying the next edit's reload.
        """
        search_pending = False
        while not self.stop_event.is_set():
            batch = self.collector.wait_batch(
                self.stop_event, SEARCH_IDLE_SECONDS if search_pending else None
            )
            if batch is None:
                return
            if not batch:
                self._build_once(set(), defer_search=False)
                self._settle()
                search_pending = False
                continue
            result = self._build_once(batch, defer_search=True)
            report = result.report
            if report is not None and (report.files or report.removed):
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
