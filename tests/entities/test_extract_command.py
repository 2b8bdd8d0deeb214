"""`sitegen extract` rewrites people/topics without undoing hand edits or touching bodies."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from sitegen.cli import cli
from sitegen.entities.refresh import update_front_matter
from tests.conftest import write_site

BODY = (
    "Russian President Vladimir Putin met Donald Trump in Helsinki.\n\n"
    "Trump said the talks with Russia were good.  Trailing spaces stay.  \n"
)


def front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["extract", "--site", str(root), *args])


def test_first_run_fills_people_and_keeps_everything_else(tmp_path):
    original = (
        "---\ntitle: Summit\ndate: 2018-07-16T10:00:00Z  # kept as written\nsource: Wire\n---\n\n"
        + BODY
    )
    root = write_site(tmp_path / "s", {"content/a.md": original})
    result = run(root)
    assert result.exit_code == 0, result.output
    text = (root / "content/a.md").read_text(encoding="utf-8")
    assert text.endswith(BODY)  # body byte for byte
    assert "date: 2018-07-16T10:00:00Z  # kept as written\n" in text
    data = front(root / "content/a.md")
    assert data["people"] == data["people_auto"] == ["Donald Trump", "Vladimir Putin"]
    assert "Russia" in data["topics"] and data["topics"] == data["topics_auto"]
    assert list(root.joinpath("content").iterdir()) == [root / "content/a.md"]  # no temp files


def test_hand_edits_survive_and_force_replaces_them(tmp_path):
    root = write_site(tmp_path / "s", {"content/a.md": "---\ntitle: Summit\n---\n" + BODY})
    assert run(root).exit_code == 0
    path = root / "content/a.md"
    text = path.read_text(encoding="utf-8").replace(
        "people:\n- Donald Trump\n- Vladimir Putin\n", "people:\n- Donald J. Trump\n"
    )
    path.write_text(text, encoding="utf-8")
    result = run(root)
    assert result.exit_code == 0 and "1 hand-edited" in result.output
    assert front(path)["people"] == ["Donald J. Trump"]
    assert front(path)["people_auto"] == ["Donald Trump", "Vladimir Putin"]
    unchanged = path.read_bytes()
    assert run(root).exit_code == 0 and path.read_bytes() == unchanged  # nothing to do
    assert run(root, "--force").exit_code == 0
    assert front(path)["people"] == ["Donald Trump", "Vladimir Putin"]


def test_bad_files_are_reported_and_the_rest_is_written(tmp_path):
    root = write_site(
        tmp_path / "s",
        {
            "content/good.md": "---\ntitle: Summit\n---\n" + BODY,
            "content/bad.md": "no front matter here",
            "content/empty.md": "",
        },
    )
    result = run(root)
    assert result.exit_code == 1
    assert "bad.md" in result.output and "empty.md" in result.output
    assert front(root / "content/good.md")["people_auto"]
    assert (root / "content/bad.md").read_text() == "no front matter here"


def test_update_front_matter_keeps_crlf_and_tags():
    text = "---\r\ntitle: T\r\ntags:\r\n- Mine\r\n---\r\nBody\r\n"
    new, kept = update_front_matter(text, ["Ann Lee"], ["Russia"])
    assert kept is True  # hand-written tags are kept
    assert new.endswith("---\r\nBody\r\n") and "people:\r\n- Ann Lee\r\n" in new
    assert "tags:\r\n- Mine\r\n" in new and "topics_auto:\r\n- Russia\r\n" in new
