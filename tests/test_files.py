"""sitegen.files: the one atomic write and the one rule for which files are content."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import cli
from sitegen.config import load_config
from sitegen.files import (
    TEMP_PREFIX,
    SyncLater,
    atomic_stream,
    copy_atomic,
    is_content_path,
    read_content_file,
    scan_content,
    write_atomic,
)
from sitegen.model import ProblemError
from tests.conftest import article_text, write_site


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- the atomic write ------------------------------------------------------------------------


def test_text_and_bytes_are_written_whole(tmp_path):
    write_atomic(tmp_path / "a.txt", "één\nline\n")
    write_atomic(tmp_path / "b.bin", b"\x00\xffdata")
    assert (tmp_path / "a.txt").read_bytes() == "één\nline\n".encode()
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xffdata"
    assert names(tmp_path) == ["a.txt", "b.bin"]  # no temporary file left


def test_a_write_that_fails_midway_leaves_the_old_file(tmp_path):
    target = tmp_path / "state.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_stream(target) as stream:
        stream.write(b"half of the new")
        raise RuntimeError("disk on fire")
    assert target.read_text(encoding="utf-8") == "old"
    assert names(tmp_path) == ["state.json"]


def test_a_failed_rename_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["page.html"]


def test_a_failed_copy_leaves_no_temporary_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        copy_atomic(tmp_path / "out.css", tmp_path / "missing.css")
    assert names(tmp_path) == []


def test_copy_and_missing_folders(tmp_path):
    source = tmp_path / "source.css"
    source.write_bytes(b"body{}" * 50_000)
    copy_atomic(tmp_path / "deep/er/out.css", source)
    assert (tmp_path / "deep/er/out.css").read_bytes() == source.read_bytes()


def test_durable_writes_fsync_the_file_and_its_folder(tmp_path, monkeypatch):
    synced: list[bool] = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomic(tmp_path / "a.md", "text")
    assert synced == [False, True]  # the file, then the folder holding the new name
    synced.clear()
    write_atomic(tmp_path / "cache.json", "{}", durable=False)
    assert synced == []


def test_files_written_to_sync_later_are_whole_at_once_and_fsynced_together(tmp_path, monkeypatch):
    synced: list[tuple[bool, str]] = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append((stat.S_ISDIR(os.fstat(fd).st_mode), os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    later = SyncLater()
    later.write(tmp_path / "a/one.md", "one")
    later.write(tmp_path / "a/two.md", "two")
    later.write(tmp_path / "b/three.md", b"three")
    assert synced == []  # written and renamed into place, not yet fsynced
    assert (tmp_path / "a/two.md").read_text() == "two"
    (tmp_path / "b/three.md").unlink()  # gone before the checkpoint: skipped, no error
    later.sync()
    files = [Path(p).name for is_dir, p in synced if not is_dir]
    folders = [Path(p).name for is_dir, p in synced if is_dir]
    assert files == ["one.md", "two.md"] and folders == ["a", "b"]
    synced.clear()
    later.sync()
    assert synced == []  # nothing written since


def test_the_replaced_files_permissions_are_kept_and_new_files_get_the_usual_ones(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    write_atomic(tmp_path / "new.md", "x")
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o666 & ~umask
    kept = tmp_path / "kept.md"
    kept.write_text("x")
    kept.chmod(0o640)
    write_atomic(kept, "y")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_temporary_files_are_hidden_and_ours(tmp_path, monkeypatch):
    seen: list[str] = []
    real_replace = os.replace

    def replace(src, dst):
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    write_atomic(tmp_path / "a.md", "x")
    assert seen[0].startswith(TEMP_PREFIX) and seen[0].endswith(".tmp")
    assert not is_content_path(seen[0])


# -- which files are content ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("a.md", True),
        ("x.markdown", True),
        ("2024/05/Loud.MD", True),
        ("#notes#/a.md", True),  # only names of files, not folders, are editor droppings
        ("_drafts/d.md", False),
        ("2024/_old/d.md", False),
        (".git/a.md", False),
        (".hidden.md", False),
        ("_index.md", False),
        ("#a.md#", False),
        ("a.md~", False),
        ("notes.txt", False),
        ("a.md.tmp", False),
    ],
)
def test_the_content_rule(rel, expected):
    assert is_content_path(rel) is expected


def test_the_scan_finds_exactly_what_the_rule_allows(tmp_path):
    for rel in ("a.md", "x.markdown", "_drafts/d.md", ".hidden.md", "notes.txt", "n/m/y.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("---\ntitle: T\n---\n")
    assert [rel for rel, _, _ in scan_content(tmp_path)] == ["a.md", "n/m/y.md", "x.markdown"]
    assert scan_content(tmp_path / "missing") == []


# -- reading a content file -------------------------------------------------------------------


def test_reading_strips_a_byte_order_mark_and_says_it_was_there(tmp_path):
    (tmp_path / "a.md").write_bytes(b"\xef\xbb\xbf---\ntitle: T\n---\n")
    read = read_content_file(tmp_path, "a.md")
    assert read.text == "---\ntitle: T\n---\n" and read.bom


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"---\ntitle: \xff\n---\n", "not valid UTF-8 (byte 11)"),
        (b"\x00\x01", "file looks binary (it contains NUL bytes)"),
    ],
)
def test_reading_a_file_that_is_not_an_article_is_a_problem(tmp_path, data, message):
    (tmp_path / "a.md").write_bytes(data)
    with pytest.raises(ProblemError) as info:
        read_content_file(tmp_path, "a.md")
    assert info.value.problem.path == "content/a.md" and info.value.problem.message == message


def test_an_unreadable_file_and_a_name_that_is_not_utf8_are_problems(tmp_path):
    with pytest.raises(ProblemError, match="content/gone.md: cannot read"):
        read_content_file(tmp_path, "gone.md")
    with pytest.raises(ProblemError) as info:
        read_content_file(tmp_path, os.fsdecode(b"caf\xe9.md"), "caf\udce9.md")
    assert info.value.problem.path == "caf\ufffd.md"
    assert "not valid UTF-8: rename the file" in info.value.problem.message


# -- the commands agree -----------------------------------------------------------------------

TREE = {
    "content/a.md": "Plain article",
    "content/x.markdown": "Long suffix article",
    "content/2024/05/deep.md": "Nested article",
    "content/_drafts/d.md": "Drafted article",
    "content/.hidden.md": "Hidden article",
    "content/notes.txt": "Notes article",
}


def test_extract_and_build_agree_on_which_files_are_content(tmp_path):
    body = "Vladimir Putin met Donald Trump in Helsinki. Trump spoke of Russia."
    root = write_site(
        tmp_path / "s", {rel: article_text(title, body) for rel, title in TREE.items()}
    )
    before = {rel: (root / rel).read_bytes() for rel in TREE}
    runner = CliRunner()
    built = runner.invoke(cli, ["build", "--site", str(root)])
    assert built.exit_code == 0, built.output
    output = load_config(root).output_dir
    pages = " ".join(p.read_text(encoding="utf-8") for p in output.rglob("*.html"))
    published = {rel for rel, title in TREE.items() if title in pages}
    extracted = runner.invoke(cli, ["extract", "--site", str(root)])
    assert extracted.exit_code == 0, extracted.output
    rewritten = {rel for rel in TREE if (root / rel).read_bytes() != before[rel]}
    assert (
        published == rewritten == {"content/a.md", "content/x.markdown", "content/2024/05/deep.md"}
    )
    assert "3 articles read" in extracted.output
