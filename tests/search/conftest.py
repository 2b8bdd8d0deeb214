"""Fixtures for the search tests: one built archive, a static file server, headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sitegen.config import Config, load_config
from sitegen.site.pipeline import build_site
from tests.browser import chromium, static_server
from tests.search.archive import write_archive


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The test archive, built once (index in its cache, static search in build/)."""
    root = write_archive(tmp_path_factory.mktemp("search") / "archive")
    config = load_config(root)
    report = build_site(config)
    assert report.written and not report.problems, report.problems
    return config


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
