"""Fixtures for the import tests: the shared seed dumps, when they are there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import SEEDS

SEED_NAMES = {
    "000": "000_856622afb80da6ed.txt",
    "001": "001_8b126ece0b7ac08c.txt",
    "002": "002_b5c1d9fc43ec7319.txt",
    "003": "003_e60b567adea2d3c2.txt",
    "004": "004_745a6e9f7aab137f.txt",
}


def seeds_dir() -> Path | None:
    """../shared/seeds beside the repository, or $SITEGEN_SEEDS (e.g. in a git worktree)."""
    for candidate in (SEEDS, Path(os.environ.get("SITEGEN_SEEDS", "") or "/nonexistent")):
        if (candidate / SEED_NAMES["000"]).is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def seeds() -> Path:
    folder = seeds_dir()
    if folder is None:
        pytest.skip(
            f"seed dumps not found at {SEEDS} (nor $SITEGEN_SEEDS): they are shared fixtures "
            "kept outside the repository"
        )
    return folder
