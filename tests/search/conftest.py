"""Fixtures for the search tests: one built archive, a static file server, headless Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.build.site import build_site
from sitegen.config import Config, load_config
from tests.browser import chromium
from tests.search.archive import write_archive


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The test archive, built once (index in its cache, static search in build/)."""
    root = write_archive(tmp_path_factory.mktemp("search") / "archive")
    config = load_config(root)
    report = build_site(config)
    assert report.written and not report.problems, report.problems
    return config


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """A plain static file server for folder on 127.0.0.1 and a free port; yields its URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site_url(archive: Config) -> Iterator[str]:
    with static_server(archive.output_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    """A Chromium context (the system browser, never a downloaded one).

    Module-scoped: Playwright's sync API cannot have two sessions open at once, and other
    test modules start their own.
    """
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context
