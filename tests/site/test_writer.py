"""The writer (sitegen/site/writer.py) on a tiny output folder: a cold build swaps a new
tree in, an incremental one renames each file in and removes the stale, and a failure
half-way leaves the output exactly as it was, with no staging folder behind."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from sitegen.model import ProblemError
from sitegen.site.report import Output, no_progress
from sitegen.site.writer import SERIAL, remove_output, write_site


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, and every folder (as `name/`: empty bytes)."""
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        found[rel + ("/" if path.is_dir() else "")] = b"" if path.is_dir() else path.read_bytes()
    return found


def beside(output: Path) -> list[str]:
    """What lies beside the output folder: a stage or old folder left behind shows here."""
    return sorted(p.name for p in output.parent.iterdir())


def made(rel: str, text: str) -> Output:
    return Output(rel, "sig", make=lambda: text)


@pytest.fixture
def output(tmp_path) -> Path:
    out = tmp_path / "site" / "build"
    (out / "a").mkdir(parents=True)
    (out / "a/index.html").write_text("old a")
    (out / "b/deep").mkdir(parents=True)
    (out / "b/deep/index.html").write_text("old b")
    (out / "keep.css").write_text("kept")
    return out


def write(todo: list[Output], stale: list[str], output: Path, *, cold: bool) -> int:
    return write_site(todo, stale, output, cold=cold, workers=SERIAL, progress=no_progress)


def test_a_cold_build_swaps_in_exactly_what_it_wrote(output):
    todo = [made("index.html", "home"), made("a/index.html", "new a"), made("x/y/z.xml", "<z/>")]
    written = write(todo, [], output, cold=True)
    assert written == len(b"home") + len(b"new a") + len(b"<z/>")
    assert {k: v for k, v in tree(output).items() if not k.endswith("/")} == {
        "index.html": b"home",
        "a/index.html": b"new a",
        "x/y/z.xml": b"<z/>",
    }
    assert beside(output) == ["build"]  # no stage, no old folder left


def test_a_cold_build_into_no_folder_makes_it(tmp_path):
    output = tmp_path / "fresh" / "build"
    output.parent.mkdir()
    write([made("index.html", "home")], [], output, cold=True)
    assert (output / "index.html").read_text() == "home" and beside(output) == ["build"]


def test_an_incremental_build_renames_new_files_in_and_removes_stale_ones(output):
    kept_inode = (output / "keep.css").stat().st_ino
    todo = [
        made("a/index.html", "new a"),
        made("c/new/index.html", "c"),
        Output("bytes.bin", "sig", make=lambda: b"\x00\x01"),
    ]
    write(todo, ["b/deep/index.html", "never/was.html"], output, cold=False)
    assert tree(output) == {
        "a/": b"",
        "a/index.html": b"new a",
        "bytes.bin": b"\x00\x01",
        "c/": b"",
        "c/new/": b"",
        "c/new/index.html": b"c",
        "keep.css": b"kept",
    }  # b/ and b/deep/ were left empty: removed too
    assert (output / "keep.css").stat().st_ino == kept_inode  # not rewritten
    assert beside(output) == ["build"]


def test_copied_and_linked_outputs(tmp_path, output):
    source = tmp_path / "cache.json"
    source.write_text("{}")
    todo = [
        Output("search/linked.json", "l", copy_from=str(source), linkable=True),
        Output("search/copied.json", "c", copy_from=str(source)),
    ]
    write(todo, [], output, cold=False)
    assert (output / "search/linked.json").stat().st_ino == source.stat().st_ino
    assert (output / "search/copied.json").stat().st_ino != source.stat().st_ino
    assert (output / "search/copied.json").read_text() == "{}"


def template_error() -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return env.from_string("{{ missing.name }}").render()


def boom() -> str:
    raise RuntimeError("disk on fire")


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "incremental"])
def test_a_template_error_half_way_leaves_the_output_as_it_was(output, cold):
    before = tree(output)
    todo = [made("a/index.html", "new a"), made("c/index.html", "c")]
    todo.append(Output("broken/index.html", "sig", make=template_error))
    with pytest.raises(ProblemError) as caught:
        write(todo, ["b/deep/index.html"], output, cold=cold)
    assert "template error" in caught.value.problem.message
    assert "broken/index.html" in caught.value.problem.message  # names what it was writing
    assert tree(output) == before
    assert beside(output) == ["build"]


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "incremental"])
def test_any_failure_half_way_leaves_the_output_as_it_was(output, cold):
    before = tree(output)
    todo = [made("a/index.html", "new a"), Output("x.html", "sig", make=boom)]
    with pytest.raises(RuntimeError, match="disk on fire"):
        write(todo, ["keep.css"], output, cold=cold)
    assert tree(output) == before
    assert beside(output) == ["build"]


def test_removing_an_output_keeps_folders_that_hold_something(output):
    (output / "b/other.html").write_text("x")
    remove_output(output, "b/deep/index.html")
    remove_output(output, "b/deep/index.html")  # already gone: nothing to do
    assert not (output / "b/deep").exists() and (output / "b/other.html").exists()
    assert output.is_dir() and os.listdir(output)


def test_one_file_given_twice_is_refused_before_anything_is_written(output):
    before = tree(output)
    with pytest.raises(ValueError, match="twice"):
        write([made("a/index.html", "one"), made("a/index.html", "two")], [], output, cold=False)
    assert tree(output) == before and beside(output) == ["build"]


@pytest.mark.parametrize("rel", ["index.html", "feed.xml", "2024/01/story/index.html"])
def test_a_late_write_into_a_discarded_stage_never_makes_it_again(tmp_path, rel):
    """A cluster's worker still writing once the build discarded its stage (a scheduler
    gone): its file fails to land, and the stage is not made again, neither for a file
    in a folder nor for one at the top (the home page, the feeds)."""
    from sitegen.site.writer import abandon_stage, make_stage, write_made

    stage = make_stage(tmp_path / "build")
    made: set = set()
    assert write_made(stage, False, 0, "2023/05/earlier/index.html", b"x", made) == 1
    abandon_stage(stage)
    with pytest.raises(FileNotFoundError):
        write_made(stage, False, 1, rel, b"late", made)
    assert not stage.exists() and sorted(p.name for p in tmp_path.iterdir()) == []
