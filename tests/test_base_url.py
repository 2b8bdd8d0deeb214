"""Feeds, sitemap and robots.txt need absolute URLs: a path-only base_url is said once by
build and serve, reported by check, and refused by publish unless --base-url gives one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from sitegen.cli import cli
from tests.conftest import article_text, write_site

RELATIVE = '[site]\ntitle = "T"\n'  # base_url defaults to "/"


def small_site(tmp_path: Path, config: str = RELATIVE) -> Path:
    return write_site(
        tmp_path / "site",
        {"content/a.md": article_text("A story", "Body.", date="2024-05-01")},
        config,
    )


def test_build_warns_once_about_a_relative_base_url(tmp_path):
    root = small_site(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--site", str(root)])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1
    assert "'/' is a path, not an address" in warnings[0] and "--base-url" in warnings[0]
    absolute = CliRunner().invoke(
        cli, ["build", "--site", str(root), "--base-url", "https://example.org/"]
    )
    assert absolute.exit_code == 0 and "warning" not in absolute.stderr
    assert "<id>https://example.org/feed.xml</id>" in (root / "build/feed.xml").read_text()


def test_check_reports_a_relative_base_url_and_strict_fails(tmp_path):
    root = small_site(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--site", str(root)])
    assert result.exit_code == 0
    assert "relative-base-url" in result.stderr and "feed.xml" in result.stderr
    strict = CliRunner().invoke(cli, ["check", "--site", str(root), "--strict"])
    assert strict.exit_code == 1
    ok = CliRunner().invoke(
        cli, ["check", "--site", str(root), "--strict", "--base-url", "https://example.org/"]
    )
    assert ok.exit_code == 0, ok.output


def test_publish_refuses_a_relative_base_url(tmp_path):
    root = small_site(tmp_path)
    target = tmp_path / "www"
    refused = CliRunner().invoke(cli, ["publish", "--site", str(root), "--to", str(target)])
    assert refused.exit_code == 2
    assert "refusing to publish" in refused.stderr and "--base-url" in refused.stderr
    assert not target.exists()
    done = CliRunner().invoke(
        cli,
        ["publish", "--site", str(root), "--to", str(target), "--base-url", "https://e.org/"],
    )
    assert done.exit_code == 0, done.output
    assert "Sitemap: https://e.org/sitemap.xml" in (target / "robots.txt").read_text()


def test_serve_warns_once_about_a_relative_base_url(tmp_path):
    root = small_site(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--site", str(root), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 60
        for line in process.stdout:  # wait until it serves
            if line.startswith("Serving") or time.monotonic() > deadline:
                break
        (root / "content/a.md").write_text(article_text("A story", "Edited.", date="2024-05-01"))
        time.sleep(1.5)  # a rebuild must not say it again
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    warnings = [line for line in stderr.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "is a path, not an address" in warnings[0]
