"""The command line: help everywhere, version, init, and build's summary and exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from sitegen import __version__
from sitegen.cli import cli
from tests.conftest import article_text, write_site


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and "--help" in result.output


def test_python_dash_m_works_like_the_command():
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "--help"], capture_output=True, text=True, check=True
    )
    assert "build" in result.stdout and "init" in result.stdout


def test_init_creates_a_site_that_builds_at_once(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["init", str(tmp_path / "new"), "--title", 'My "Archive"'])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new/sitegen.toml").is_file() and (tmp_path / "new/theme").is_dir()
    result = runner.invoke(cli, ["build", "--site", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    home = (tmp_path / "new/build/index.html").read_text()
    assert "My &#34;Archive&#34;" in home or "My &quot;Archive&quot;" in home
    again = runner.invoke(cli, ["init", str(tmp_path / "new")])
    assert again.exit_code != 0 and "already exists" in again.output


def test_build_prints_a_summary_and_fails_on_a_bad_file(tmp_path):
    root = write_site(
        tmp_path / "s",
        {
            "content/a.md": article_text("A", date="2024-01-01", people=["Ann Lee"], topics=["T"]),
        },
    )
    runner = CliRunner()
    ok = runner.invoke(cli, ["build", "--site", str(root)])
    assert ok.exit_code == 0, ok.output
    assert "1 article, 1 person, 1 topic, 0 sources" in ok.output
    (root / "content/b.md").write_text("---\ntitle: B\ndate: yesterday\n---\n")
    bad = runner.invoke(cli, ["build", "--site", str(root)])
    assert bad.exit_code == 1
    assert "content/b.md" in bad.output and "'date'" in bad.output
    assert "left as it was" in bad.output


def test_build_outside_a_site_says_how_to_start(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--site", str(tmp_path)])
    assert result.exit_code == 2 and "sitegen init" in result.output


def test_build_out_and_base_url_options(tmp_path):
    root = write_site(tmp_path / "s", {"content/a.md": article_text("A", date="2024-01-01")})
    out = tmp_path / "elsewhere"
    result = CliRunner().invoke(
        cli,
        ["build", "--site", str(root), "--out", str(out), "--base-url", "https://x.example/sub/"],
    )
    assert result.exit_code == 0, result.output
    assert 'href="/sub/2024/01/a/"' in (out / "index.html").read_text()
