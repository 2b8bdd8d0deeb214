"""The unchanged-inputs shortcut (sitegen/site/unchanged.py): the digest moves with
anything a build reads, and the last report is given back only for the same inputs."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from sitegen.config import Config
from sitegen.site.report import BuildReport
from sitegen.site.scan import scan_listing
from sitegen.site.unchanged import (
    file_digest,
    inputs_digest,
    read_unchanged_report,
    write_unchanged_report,
)

SCANNED = {"2024/a.md": (1_000, 10), "b.md": (2_000, 20)}


@pytest.fixture
def config(tmp_path) -> Config:
    (tmp_path / "theme/static").mkdir(parents=True)
    (tmp_path / "theme/static/site.css").write_text("body {}")
    return Config(root=tmp_path)


def digest(config: Config, scanned=SCANNED, output: Path | None = None) -> str:
    return inputs_digest(config, output or config.output_dir, scan_listing(scanned))


def test_scan_listing_is_sorted_by_path():
    assert scan_listing({"b.md": (2, 3), "a.md": (1, 1)}) == [("a.md", 1, 1), ("b.md", 2, 3)]


def test_the_same_inputs_give_the_same_digest(config):
    assert digest(config) == digest(config)
    assert digest(config, dict(reversed(SCANNED.items()))) == digest(config)


@pytest.mark.parametrize(
    "scanned",
    [
        {**SCANNED, "b.md": (2_001, 20)},  # a newer time
        {**SCANNED, "b.md": (2_000, 21)},  # another size
        {**SCANNED, "c.md": (3_000, 30)},  # a new file
        {"2024/a.md": (1_000, 10)},  # a file gone
    ],
    ids=["mtime", "size", "added", "removed"],
)
def test_a_content_files_stat_changes_the_digest(config, scanned):
    assert digest(config, scanned) != digest(config)


def test_a_theme_file_changes_the_digest(config):
    before = digest(config)
    css = config.root / "theme/static/site.css"
    os.utime(css, ns=(5, 5))
    touched = digest(config)
    assert touched != before
    css.write_text("body { color: red }")
    assert digest(config) not in (before, touched)
    (config.root / "theme/templates").mkdir()
    (config.root / "theme/templates/base.html").write_text("x")
    assert digest(config) != before


def test_people_toml_settings_and_the_output_folder_change_the_digest(config, tmp_path):
    before = digest(config)
    assert digest(dataclasses.replace(config, title="Other")) != before
    assert digest(config, output=tmp_path / "elsewhere") != before
    (config.root / "people.toml").write_text("[aliases]\n")
    assert digest(config) != before


def test_the_report_comes_back_for_the_same_inputs_only(config):
    config.output_dir.mkdir()
    report = BuildReport(articles=3, people=2, topics=1, sources=4, pages=9, files=7)
    write_unchanged_report(config.cache_dir, "inputs-1", report)
    again = read_unchanged_report(config, config.output_dir, "inputs-1")
    assert again is not None
    assert (again.articles, again.people, again.topics, again.sources, again.pages) == (
        3,
        2,
        1,
        4,
        9,
    )
    assert again.written and again.incremental and again.output == config.output_dir
    assert again.files == 0 and again.changed == []  # nothing was written this time
    assert read_unchanged_report(config, config.output_dir, "inputs-2") is None


def test_no_report_without_the_output_or_a_readable_file(config):
    write_unchanged_report(config.cache_dir, "inputs-1", BuildReport())
    assert read_unchanged_report(config, config.output_dir, "inputs-1") is None  # no build/
    config.output_dir.mkdir()
    assert read_unchanged_report(config, config.output_dir, "inputs-1") is not None
    (config.cache_dir / "build-inputs.json").write_text("{not json")
    assert read_unchanged_report(config, config.output_dir, "inputs-1") is None
    (config.cache_dir / "build-inputs.json").unlink()
    assert read_unchanged_report(config, config.output_dir, "inputs-1") is None


def test_a_theme_files_digest_is_read_again_when_it_changes(tmp_path):
    path = tmp_path / "x.css"
    path.write_text("a")
    first = file_digest(path)
    assert file_digest(path) == first
    path.write_text("bb")
    assert file_digest(path) != first
