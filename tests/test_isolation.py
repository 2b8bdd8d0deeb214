"""One bad input never stops the others: import, extract and build each go on past a file
whose processing raises something no check foresaw, name it, and exit 1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import cli
from tests.conftest import article_text, write_site
from tests.ingest.test_clean import P1, P2, P3

BODIES = {
    "bridge": [P1, P2, P3],
    "harbour": [
        "Dockworkers in the harbour voted on Wednesday to end a strike that had kept "
        "container ships waiting offshore for six weeks, after a late offer on shift pay.",
        "The union's leaders said the agreement raises night rates by a tenth and adds "
        "two rest days a month, and that members backed it by a wide margin at the hall.",
        "Shipping agents expect the backlog of vessels at anchor to clear within a fortnight "
        "once cranes return to full crews on the morning shift next Monday.",
    ],
    "library": [
        "The central library reopened its doors on Saturday with a children's wing built "
        "where the old reading room stood, after two years of work and a public appeal.",
        "Families queued along the square before opening time, and librarians handed out "
        "new cards to more than four hundred young readers during the first morning alone.",
        "The wing holds picture books, a small theatre for story hours and a garden court, "
        "paid for in part by local firms and by a bequest from a retired schoolteacher.",
    ],
}


def story(title: str) -> list[str]:
    key = next((k for k in BODIES if k in title.lower()), "bridge")
    return ["Menu", title, "Example Post | March 12, 2024", *BODIES[key], "Share this article"]


def raw_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    for name, title in (
        ("a.txt", "Council approves bridge after four-year row"),
        ("bad.txt", "Harbour strike ends after six weeks of talks"),
        ("c.txt", "Library reopens with a new wing for children"),
    ):
        (folder / name).write_text("\n".join(story(title)) + "\n", encoding="utf-8")
    return folder


def explode_on(marker: str, real):
    """`real`, except that it raises a TypeError when its first argument mentions marker."""

    def wrapped(*args, **kwargs):
        if marker in repr(args[:2]):
            raise TypeError(f"planted failure for {marker}")
        return real(*args, **kwargs)

    return wrapped


def test_import_goes_on_past_a_file_that_raises(tmp_path, monkeypatch):
    import sitegen.ingest.importer as importer

    root = write_site(tmp_path / "site", {})
    real = importer.clean_lines
    monkeypatch.setattr(
        importer, "clean_lines", explode_on("Harbour strike", real)
    )  # the cleaner of bad.txt only
    result = CliRunner().invoke(
        cli, ["import", str(raw_folder(tmp_path)), "--site", str(root), "--json"]
    )
    assert result.exit_code == 1, result.output
    assert "bad.txt" in result.stderr and "TypeError: planted failure" in result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)  # still one valid document
    statuses = {Path(row["input"]).name: row["status"] for row in report["files"]}
    assert statuses == {"a.txt": "written", "bad.txt": "skipped", "c.txt": "written"}
    written = sorted(p.name for p in (root / "content").rglob("*.md"))
    assert written == [
        "council-approves-bridge-after-four-year-row.md",
        "library-reopens-with-a-new-wing-for-children.md",
    ]


def test_debug_shows_the_traceback(tmp_path, monkeypatch):
    import sitegen.cli
    import sitegen.ingest.importer as importer

    monkeypatch.setattr(sitegen.cli, "DEBUG", False)
    root = write_site(tmp_path / "site", {})
    monkeypatch.setattr(importer, "clean_lines", explode_on("Harbour", importer.clean_lines))
    result = CliRunner().invoke(
        cli, ["import", str(raw_folder(tmp_path)), "--site", str(root), "--debug"]
    )
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "planted failure" in result.stderr


def test_a_failing_reader_costs_only_its_file(tmp_path, monkeypatch):
    import sitegen.ingest.importer as importer

    root = write_site(tmp_path / "site", {})
    real = importer.read_file

    def reader(file, display=None):
        if file.name == "bad.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real(file, display)

    monkeypatch.setattr(importer, "read_file", reader)
    result = CliRunner().invoke(cli, ["import", str(raw_folder(tmp_path)), "--site", str(root)])
    assert result.exit_code == 1
    assert "bad.txt: could not process: RecursionError" in result.stderr
    assert len(list((root / "content").rglob("*.md"))) == 2
    assert "People and topics:" in result.stdout  # the archive-wide pass still ran


def three_articles(tmp_path: Path) -> Path:
    return write_site(
        tmp_path / "site",
        {
            f"content/{name}.md": article_text(
                title, P1 + "\n\n" + P2, date="2024-03-12", people=["Ann Lee"]
            )
            for name, title in (("a", "First story"), ("bad", "Second story"), ("c", "Third"))
        },
    )


def test_extract_goes_on_past_a_file_that_raises(tmp_path, monkeypatch):
    import sitegen.entities.refresh as refresh

    root = three_articles(tmp_path)
    monkeypatch.setattr(
        refresh, "analyse_article", explode_on("Second story", refresh.analyse_article)
    )
    result = CliRunner().invoke(cli, ["extract", "--site", str(root)])
    assert result.exit_code == 1
    assert "bad.md: could not process: TypeError: planted failure" in result.stderr
    assert "2 articles read" in result.stdout
    for name in ("a", "c"):  # the others were extracted and rewritten
        assert "people_auto:" in (root / f"content/{name}.md").read_text()
    assert "people_auto:" not in (root / "content/bad.md").read_text()


def test_build_goes_on_past_a_file_that_raises(tmp_path, monkeypatch):
    import sitegen.site.load as load

    root = three_articles(tmp_path)
    monkeypatch.setattr(load, "load_article", explode_on("bad.md", load.load_article))
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--site", str(root)])
    assert result.exit_code == 1
    assert "content/bad.md: could not process: TypeError: planted failure" in result.stderr
    assert not (root / "build").exists()  # the usual policy: nothing written on a problem
    kept = runner.invoke(cli, ["build", "--site", str(root), "--keep-going"])
    assert kept.exit_code == 1
    pages = {p.parent.name for p in (root / "build").rglob("index.html")}
    assert {"a", "c"} <= pages and "bad" not in pages


def test_an_unexpected_failure_outside_any_file_is_one_line(tmp_path, monkeypatch):
    import subprocess
    import sys

    root = write_site(tmp_path / "site", {})
    # A content folder that is a file: no stage foresees it, the command must not trace.
    (root / "content").rmdir()
    (root / "content").write_text("not a folder")
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "import", str(raw_folder(tmp_path)), "--site", str(root)],
        capture_output=True,
        text=True,
        env={**os.environ, "SITEGEN_DEBUG": ""},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error" in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="file names are bytes only on POSIX")
def test_a_file_name_that_is_not_utf8_is_imported(tmp_path):
    import subprocess
    import sys

    root = write_site(tmp_path / "site", {})
    folder = tmp_path / "raw"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9-story.txt")  # Latin-1 bytes: not UTF-8
    (folder / name).write_text("\n".join(story("Library reopens with a new wing")) + "\n")
    (folder / "ok.txt").write_text("\n".join(story("Council approves a bridge")) + "\n")
    for extra in ([], ["--json"]):
        result = subprocess.run(
            [sys.executable, "-m", "sitegen", "import", str(folder), "--site", str(root), *extra],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    articles = sorted((root / "content").rglob("*.md"))
    assert len(articles) == 2
    text = next(p for p in articles if "library" in p.name).read_text(encoding="utf-8")
    assert "imported_from: caf\ufffd-story.txt" in text


@pytest.mark.skipif(os.name != "posix", reason="file names are bytes only on POSIX")
def test_a_content_file_name_that_is_not_utf8_is_a_problem_naming_it(tmp_path):
    root = three_articles(tmp_path)
    odd = root / "content" / os.fsdecode(b"caf\xe9.md")
    odd.write_text(article_text("Cafe", "Body.", date="2024-03-12"), encoding="utf-8")
    runner = CliRunner()
    for args in (["build"], ["build", "--keep-going"], ["check"]):
        result = runner.invoke(cli, [*args, "--site", str(root)])
        assert result.exit_code == 1, (args, result.output)
        assert "content/caf\ufffd.md: the file name is not valid UTF-8" in result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
    pages = {p.parent.name for p in (root / "build").rglob("index.html")}
    assert {"a", "bad", "c"} <= pages
