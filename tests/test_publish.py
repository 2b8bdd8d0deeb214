"""`sitegen publish`: a git branch made by plumbing, and a folder mirrored file by file."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import cli
from sitegen.config import load_config
from sitegen.model import ProblemError
from sitegen.publish import (
    MARKER,
    DirTarget,
    GitTarget,
    parse_target,
    publish_settings,
    publish_site,
)
from tests.conftest import article_text, write_site

CONFIG = '[site]\ntitle = "Test Archive"\nbase_url = "https://example.org/"\n'
OLD = 1_000_000_000  # an mtime long before any test runs


def site_files() -> dict[str, str]:
    return {
        "content/a.md": article_text("Budget passes", date="2024-03-01", people=["Ann Lee"]),
        "content/b.md": article_text("Storm warning", date="2023-05-09", topics=["Weather"]),
        "content/c.md": article_text("Port reopens", date="2024-03-20", people=["Bo Chan"]),
    }


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def snapshot(root: Path) -> dict[str, object]:
    """Everything publishing must leave alone: HEAD, branch, index, status, tracked files."""
    files = {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and not {".git", "build", ".sitegen-cache"} & set(p.parts)
    }
    return {
        "head": git(root, "rev-parse", "HEAD"),
        "branch": git(root, "symbolic-ref", "HEAD"),
        "status": git(root, "status", "--porcelain"),
        "index": hashlib.sha256((root / ".git" / "index").read_bytes()).hexdigest(),
        "files": files,
    }


def built(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def git_site(tmp_path: Path) -> Path:
    """A site in its own repository (content committed) with a bare 'origin' beside it."""
    files = {**site_files(), ".gitignore": "build/\n.sitegen-cache/\n", "notes.txt": "draft\n"}
    root = write_site(
        tmp_path / "site", files, CONFIG + '\n[publish]\ncname = "archive.example.org"\n'
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test Editor")
    git(root, "config", "user.email", "editor@example.org")
    git(root, "config", "commit.gpgsign", "false")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "site")
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    git(root, "remote", "add", "origin", str(tmp_path / "remote.git"))
    return root


def test_publish_to_git_twice_commits_only_changes_and_leaves_the_repo_alone(git_site: Path):
    root = git_site
    # Work in progress that publishing must not disturb: one staged edit, one unstaged.
    (root / "notes.txt").write_text("staged edit\n")
    git(root, "add", "notes.txt")
    (root / "notes.txt").write_text("unstaged edit\n")
    before = snapshot(root)

    first = publish_site(load_config(root), GitTarget("gh-pages"), push=True)
    assert not first.problems and first.commit and first.pushed
    assert first.parent is None
    assert snapshot(root) == before
    tree = git(root, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert ".nojekyll" in tree and "CNAME" in tree and "2024/03/a/index.html" in tree
    assert git(root, "show", "gh-pages:CNAME") == "archive.example.org"
    assert "notes.txt" not in tree and "content/a.md" not in tree
    remote = root.parent / "remote.git"
    assert git(remote, "rev-parse", "gh-pages") == first.commit
    first_build = built(root / "build")
    assert len(first.added) == len(first_build) + 2  # .nojekyll and CNAME

    # The editor changes one article and commits; then publishes again.
    (root / "content/c.md").write_text(
        article_text("Port reopens after repairs", date="2024-03-20", people=["Bo Chan"])
    )
    git(root, "commit", "-q", "-m", "fix title", "content/c.md")
    before = snapshot(root)
    second = publish_site(load_config(root), GitTarget("gh-pages"), push=True)
    assert not second.problems and second.commit and second.pushed
    assert snapshot(root) == before

    second_build = built(root / "build")
    changed = {p for p in second_build if p in first_build and first_build[p] != second_build[p]}
    # the search export's files are named by their content: an edit adds and removes some
    added = set(second_build) - set(first_build)
    removed = set(first_build) - set(second_build)
    assert all(p.startswith("search/") for p in added | removed)
    assert "2024/03/c/index.html" in changed and "2024/03/a/index.html" not in changed
    diff = git(root, "diff-tree", "-r", "--name-status", "gh-pages").splitlines()
    assert diff[0] == second.commit
    statuses = {line.split("\t")[1]: line.split("\t")[0] for line in diff[1:]}
    assert statuses == {
        **dict.fromkeys(changed, "M"),
        **dict.fromkeys(added, "A"),
        **dict.fromkeys(removed, "D"),
    }
    assert git(root, "rev-parse", "gh-pages^") == first.commit
    assert sorted(second.updated) == sorted(changed)
    assert sorted(second.added) == sorted(added) and sorted(second.removed) == sorted(removed)
    message = git(root, "log", "-1", "--format=%B", "gh-pages")
    assert message.startswith(
        f"Publish site: {len(added)} added, {len(changed)} updated, {len(removed)} removed"
    )
    assert git(remote, "rev-parse", "gh-pages") == second.commit

    # Nothing changed: no new commit.
    third = publish_site(load_config(root), GitTarget("gh-pages"))
    assert third.commit is None and not third.changed
    assert git(root, "rev-parse", "gh-pages") == second.commit


def test_git_dry_run_writes_no_commit(git_site: Path):
    report = publish_site(load_config(git_site), GitTarget("gh-pages"), dry_run=True)
    assert report.added and report.commit is None
    probe = subprocess.run(
        ["git", "rev-parse", "--verify", "-q", "gh-pages"], cwd=git_site, capture_output=True
    )
    assert probe.returncode != 0


def test_git_parent_is_the_remote_branch_when_there_is_no_local_one(git_site: Path, tmp_path):
    first = publish_site(load_config(git_site), GitTarget("gh-pages"), push=True)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(tmp_path / "remote.git"), str(clone))
    git(clone, "checkout", "-q", "-b", "main")  # the bare remote has only gh-pages
    git(clone, "config", "user.name", "Other")
    git(clone, "config", "user.email", "other@example.org")
    write_site(clone, site_files(), CONFIG)
    (clone / "content/b.md").unlink()
    report = publish_site(load_config(clone), GitTarget("gh-pages"), push=True)
    assert report.parent == first.commit and report.pushed
    assert "2023/05/b/index.html" in report.removed


def test_refuses_the_checked_out_branch_and_a_missing_remote(git_site: Path):
    config = load_config(git_site)
    with pytest.raises(ProblemError, match="checked out"):
        publish_site(config, GitTarget("main"))
    with pytest.raises(ProblemError, match="no git remote named 'upstream'"):
        publish_site(config, GitTarget("gh-pages"), remote="upstream", push=True)
    with pytest.raises(ProblemError, match="not a valid branch name"):
        publish_site(config, GitTarget("bad..name"))
    assert not (git_site / "build").exists()  # checked before building


def test_git_target_outside_a_repository_is_a_clear_problem(site):
    config = site(site_files(), CONFIG)
    with pytest.raises(ProblemError, match="not in a git repository"):
        publish_site(config, GitTarget())


def test_failed_build_publishes_nothing(git_site: Path, tmp_path: Path):
    (git_site / "content/bad.md").write_text("no front matter here\n")
    config = load_config(git_site)
    report = publish_site(config, GitTarget("gh-pages"))
    assert report.problems and "content/bad.md" in str(report.problems[0])
    assert report.commit is None
    probe = subprocess.run(
        ["git", "rev-parse", "--verify", "-q", "gh-pages"], cwd=git_site, capture_output=True
    )
    assert probe.returncode != 0

    target = tmp_path / "www"
    report = publish_site(config, DirTarget(target))
    assert report.problems and not target.exists()


def test_a_broken_theme_publishes_nothing(site, tmp_path: Path):
    config = site({**site_files(), "theme/templates/404.html": "{% if %}"}, CONFIG)
    report = publish_site(config, DirTarget(tmp_path / "www"))
    assert report.problems and "404.html" in report.problems[0].path
    assert not (tmp_path / "www").exists() and not config.output_dir.exists()


def test_failed_build_leaves_a_published_folder_as_it_was(site, tmp_path: Path):
    config = site(site_files(), CONFIG)
    target = tmp_path / "www"
    publish_site(config, DirTarget(target))
    before = built(target)
    (config.content_dir / "bad.md").write_text("---\ntitle: [unclosed\n---\n")
    report = publish_site(config, DirTarget(target))
    assert report.problems and not report.changed
    assert built(target) == before


def test_publish_to_folder_twice(site, tmp_path: Path):
    config = site(site_files(), CONFIG)
    target = tmp_path / "www"
    first = publish_site(config, DirTarget(target))
    assert not first.problems and first.added and not first.updated
    assert (target / MARKER).is_file()
    assert {k: v for k, v in built(target).items() if k != MARKER} == built(config.output_dir)
    for path in target.rglob("*"):
        if path.is_file():
            os.utime(path, (OLD, OLD))

    (config.content_dir / "b.md").unlink()  # the only article of 2023
    (config.content_dir / "a.md").write_text(
        article_text("Budget passes at last", date="2024-03-01", people=["Ann Lee"])
    )
    second = publish_site(config, DirTarget(target))
    assert not second.problems
    assert "2023/05/b/index.html" in second.removed
    assert "2024/03/a/index.html" in second.updated
    assert not (target / "2023").exists()  # emptied folders go too
    assert not (target / "topics/weather").exists()
    assert {k: v for k, v in built(target).items() if k != MARKER} == built(config.output_dir)
    assert (target / "2024/03/c/index.html").stat().st_mtime == OLD
    assert (target / "static/style.css").stat().st_mtime == OLD
    assert (target / "2024/03/a/index.html").stat().st_mtime != OLD
    assert not any(p.name.startswith(".sitegen-tmp-") for p in target.rglob("*"))
    assert second.bytes == sum(
        (config.output_dir / p).stat().st_size for p in second.added + second.updated
    )


def test_folder_dry_run_lists_changes_and_changes_nothing(site, tmp_path: Path):
    config = site(site_files(), CONFIG)
    target = tmp_path / "www"
    publish_site(config, DirTarget(target))
    (target / "stale.html").write_text("old page")
    (target / "index.html").write_text("edited by hand")
    before = built(target)
    report = publish_site(config, DirTarget(target), dry_run=True)
    assert report.removed == ["stale.html"] and report.updated == ["index.html"]
    assert built(target) == before


def test_folder_target_keeps_hidden_files_and_refuses_foreign_folders(site, tmp_path: Path):
    config = site(site_files(), CONFIG)
    target = tmp_path / "www"
    target.mkdir()
    (target / "family-photos.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(ProblemError, match="not empty and was not published by sitegen"):
        publish_site(config, DirTarget(target))
    assert (target / "family-photos.jpg").exists()

    (target / ".well-known").mkdir()
    (target / ".well-known/security.txt").write_text("Contact: a@example.org\n")
    (target / ".htaccess").write_text("ErrorDocument 404 /404.html\n")
    report = publish_site(config, DirTarget(target), force=True)
    assert report.removed == ["family-photos.jpg"]
    assert (target / ".well-known/security.txt").exists() and (target / ".htaccess").exists()


def test_folder_target_may_not_overlap_the_site(site):
    config = site(site_files(), CONFIG)
    for bad in (config.output_dir, config.root, config.root.parent, config.output_dir / "sub"):
        with pytest.raises(ProblemError):
            publish_site(config, DirTarget(bad))


def test_folder_sync_replaces_a_folder_where_a_file_is_now_built(site, tmp_path: Path):
    config = site(site_files(), CONFIG)
    target = tmp_path / "www"
    publish_site(config, DirTarget(target))
    (target / "robots.txt").unlink()
    (target / "robots.txt").mkdir()
    (target / "robots.txt/old.html").write_text("x")
    (target / "feed.xml").unlink()
    (target / "feed.xml").symlink_to(config.root / "sitegen.toml")
    publish_site(config, DirTarget(target))
    assert (target / "robots.txt").is_file()
    assert not (target / "feed.xml").is_symlink()
    assert (config.root / "sitegen.toml").read_text() == CONFIG  # the link's target untouched


def test_parse_target_and_settings(site):
    assert parse_target("git") == GitTarget("gh-pages")
    assert parse_target("git:") == GitTarget("gh-pages")
    assert parse_target("git:pages") == GitTarget("pages")
    assert parse_target("./public") == DirTarget(Path("./public"))
    config = site({}, CONFIG + '[publish]\nto = "git:site"\ncname = "x.example.org"\n')
    settings = publish_settings(config)
    assert settings.to == "git:site" and settings.cname == "x.example.org"
    bad = site({}, CONFIG + '[publish]\ncname = "https://x.example.org/"\n', name="bad")
    with pytest.raises(ProblemError, match="cname"):
        publish_settings(bad)
    typo = site({}, CONFIG + "[publish]\ncnmae = 'x.org'\n", name="typo")
    with pytest.raises(ProblemError, match="cnmae"):
        publish_settings(typo)


def test_cli_publish_to_folder_prints_what_changed(site, tmp_path: Path):
    config = site(site_files(), CONFIG)
    target = tmp_path / "www"
    runner = CliRunner()
    args = ["publish", "--site", str(config.root), "--to", str(target)]
    result = runner.invoke(cli, [*args, "--base-url", "https://other.example/a/"])
    assert result.exit_code == 0, result.output
    assert "Published" in result.output and "0 updated, 0 removed" in result.output
    assert 'href="/a/static/style.css' in (target / "index.html").read_text()

    result = runner.invoke(cli, [*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output and "~ index.html" in result.output

    (config.content_dir / "bad.md").write_text("")
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "nothing was published" in result.output


def test_cli_publish_needs_a_target(site):
    config = site(site_files(), CONFIG)
    result = CliRunner().invoke(cli, ["publish", "--site", str(config.root)])
    assert result.exit_code == 2 and "--to" in result.output
