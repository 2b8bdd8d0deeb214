"""Real headless Chromium for browser tests (Debian's package, driven by Playwright).

Tests call `chromium(tmp_path)` inside a `with` block. When /usr/bin/chromium is missing
the test skips, except where SITEGEN_REQUIRE_BROWSER is set (CI), where it fails.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> str:
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not path:
        if os.environ.get("SITEGEN_REQUIRE_BROWSER"):
            pytest.fail("chromium is required here (SITEGEN_REQUIRE_BROWSER) but not installed")
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    return path


@contextlib.contextmanager
def chromium(profile_dir: Path, **context_options) -> Iterator:
    """A fresh browser context (its own --user-data-dir) in headless Chromium."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile_dir),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            **context_options,
        )
        try:
            yield context
        finally:
            context.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(root: Path) -> Iterator[str]:
    """A plain static file server on 127.0.0.1 (a free port) for `root`, as any static
    host would serve a built site; yields its origin ("http://127.0.0.1:PORT")."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def built_site(root: Path, files: dict[str, str], config: str) -> Iterator[str]:
    """A tiny site written under `root`, built, and its output served on 127.0.0.1;
    yields the origin. The browser tests' one way to have a site to visit."""
    from sitegen.config import load_config
    from sitegen.site.pipeline import build_site
    from tests.conftest import write_site

    site = write_site(root, files, config)
    report = build_site(load_config(site))
    assert report.written, report.problems
    with static_server(site / "build") as url:
        yield url
