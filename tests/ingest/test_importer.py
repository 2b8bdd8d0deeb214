"""`sitegen import` end to end on tiny raw files: paths, idempotence, hand edits,
near-duplicates, dry runs, bad inputs, Markdown safety, and the build that follows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import cli
from sitegen.content import read_article
from sitegen.ingest.importer import (
    ImportOptions,
    escape_markdown,
    import_paths,
    is_hand_edited,
    markdown_body,
)
from sitegen.site.pipeline import build_site
from tests.ingest.test_clean import P1, P2, P3

P4 = (
    "Engineers will close the old crossing to all traffic in June, and a temporary "
    "footbridge will keep the two halves of the town connected during the work."
)


def dump(folder: Path, name: str, lines: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(config, paths, **options):
    return list(import_paths([Path(p) for p in paths], config, ImportOptions(**options)))


def content_files(config) -> dict[str, str]:
    root = config.content_dir
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.md"))}


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    dump(
        folder,
        "dated.txt",
        [
            "Menu",
            "Council approves bridge after four-year row",
            "Example Post | March 12, 2024",
            P1,
            P2,
            P3,
            "Share this article",
        ],
    )
    dump(
        folder, "undated.txt", ["SUBSCRIBE TO OUR NEWSLETTER", P4, P2.replace("cost", "noise"), P3]
    )
    return folder


def test_import_writes_dated_and_undated_articles(site, raw):
    config = site({})
    reports = run(config, [raw])
    assert [r.status for r in reports] == ["written", "written"]
    files = content_files(config)
    assert set(files) == {
        "2024/03/council-approves-bridge-after-four-year-row.md",
        f"undated/{Path(reports[1].output).name}",
    }
    article = read_article(
        "x.md", files["2024/03/council-approves-bridge-after-four-year-row.md"].encode()
    )
    assert article.title == "Council approves bridge after four-year row"
    assert article.source == "Example Post"
    assert article.date == dt.datetime(2024, 3, 12)
    assert article.people == []  # nobody is named in it
    assert article.topics == ["Local government"]  # a council story
    assert article.extra["people_auto"] == [] and article.extra["topics_auto"] == article.topics
    assert article.extra["imported_from"] == "dated.txt"
    assert len(article.extra["raw_sha256"]) == 64
    assert "title_derived" not in article.extra
    assert article.body.strip().split("\n\n") == [P1, P2, P3]
    undated = read_article("y.md", files[f"undated/{Path(reports[1].output).name}"].encode())
    assert undated.extra["title_derived"] is True
    assert reports[0].kept_lines == 3 and reports[0].dropped_lines == 4


def test_second_import_changes_nothing(site, raw):
    config = site({})
    run(config, [raw])
    before = {p: (config.content_dir / p).stat().st_mtime_ns for p in content_files(config)}
    reports = run(config, [raw])
    assert [r.status for r in reports] == ["unchanged", "unchanged"]
    after = {p: (config.content_dir / p).stat().st_mtime_ns for p in content_files(config)}
    assert before == after


def test_idempotence_survives_a_lost_cache(site, raw):
    config = site({})
    run(config, [raw])
    for file in config.cache_dir.iterdir():
        file.unlink()
    assert [r.status for r in run(config, [raw])] == ["unchanged", "unchanged"]


def test_hand_edited_article_is_kept_unless_forced(site, raw):
    config = site({})
    first = run(config, [raw / "dated.txt"])[0]
    path = config.root / first.output
    text = path.read_text()
    assert not is_hand_edited(text)
    path.write_text(text.replace(P3, "A correction written by an editor."))
    assert is_hand_edited(path.read_text())
    report = run(config, [raw / "dated.txt"])[0]
    assert report.status == "kept_edit" and "by hand" in report.message
    assert "A correction written by an editor." in path.read_text()
    forced = run(config, [raw / "dated.txt"], force=True)[0]
    assert forced.status == "updated" and "hand edits overwritten" in forced.message
    assert P3 in path.read_text() and not is_hand_edited(path.read_text())


def test_near_duplicate_is_recorded_in_the_kept_article(site, raw, tmp_path):
    config = site({})
    run(config, [raw / "dated.txt"])
    copy = dump(
        tmp_path / "other",
        "copy.json",
        [
            json.dumps(
                {
                    "title": "Bridge approved",
                    "source": "Wire Service",
                    "url": "https://wire.example/b",
                    "text": "\n".join([P1, P2, P3.replace("statement", "release")]),
                }
            )
        ],
    )
    report = run(config, [copy])[0]
    assert report.status == "duplicate" and "recorded there" in report.message
    files = content_files(config)
    assert len(files) == 1
    kept = read_article("k.md", next(iter(files.values())).encode())
    (entry,) = kept.extra["duplicates"]
    assert entry["source"] == "Wire Service" and entry["url"] == "https://wire.example/b"
    assert entry["imported_from"] == "copy.json"
    assert not is_hand_edited(next(iter(files.values())))
    assert run(config, [copy])[0].status == "unchanged"


def test_dry_run_writes_nothing_but_reports_everything(site, raw):
    config = site({})
    reports = run(config, [raw, raw / "dated.txt"], dry_run=True)
    assert [r.status for r in reports] == ["written", "written", "unchanged"]
    assert content_files(config) == {}


def test_bad_inputs_are_skipped_and_the_run_goes_on(site, raw, tmp_path):
    config = site({})
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (bad / "menu.txt").write_text("Home\nNews\nSport\nSubscribe\n© 2024 Example\n")
    (bad / "broken.json").write_text("{")
    (bad / "notes.md").write_text("not an input type")
    reports = run(config, [bad, raw / "dated.txt", tmp_path / "missing.txt"])
    by_name = {Path(r.input).name: r for r in reports}
    assert by_name["empty.txt"].message == "file is empty"
    assert "binary" in by_name["binary.txt"].message
    assert "no article text found" in by_name["menu.txt"].message
    assert "malformed JSON" in by_name["broken.json"].message
    assert by_name["notes.md"].status == "ignored"
    assert by_name["missing.txt"].message == "no such file or folder"
    assert by_name["dated.txt"].status == "written"
    assert sum(r.is_error for r in reports) == 5


def test_markdown_special_characters_never_become_markup():
    hostile = [
        "# Not a heading",
        "1996. That was the year",
        "- not a list",
        "<script>alert(1)</script> and <b>bold</b>",
        "*stars* and _under_ and `code` and [link](http://x) and ![img](y) &amp;",
        "> not a quote",
    ]
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).render(markdown_body(hostile))
    assert html.count("<p>") == len(hostile)
    for tag in (
        "<h1",
        "<ol",
        "<ul",
        "<script",
        "<b>",
        "<em>",
        "<code>",
        "<a ",
        "<img",
        "<blockquote",
    ):
        assert tag not in html
    assert "&amp;amp;" in html
    assert escape_markdown("snake_case stays") == "snake_case stays"


def test_cli_import_then_build(site, raw, tmp_path):
    config = site({})
    (raw / "broken.json").write_text("{")
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(raw), "--site", str(config.root), "--json"])
    assert result.exit_code == 1  # broken.json was skipped for an error
    report = json.loads(result.stdout)
    statuses = sorted(f["status"] for f in report["files"])
    assert statuses == ["skipped", "written", "written"]
    assert report["summary"] == {"written": 2, "skipped": 1}
    (raw / "broken.json").unlink()
    again = runner.invoke(cli, ["import", str(raw), "--site", str(config.root)])
    assert again.exit_code == 0 and "unchanged" in again.stdout and "Summary" in again.stdout
    build = build_site(config)
    assert build.written and not build.problems
    page = (
        config.output_dir / "2024/03/council-approves-bridge-after-four-year-row/index.html"
    ).read_text()
    assert (
        "Council approves bridge after four-year row" in page and "Share this article" not in page
    )


def test_cli_reference_time_option(site, tmp_path):
    config = site({})
    dump(
        tmp_path / "r",
        "rel.txt",
        ["Bridge plan approved at last", "Example Newsa day ago", P1, P2, P3],
    )
    args = ["import", str(tmp_path / "r"), "--site", str(config.root), "--json"]
    result = CliRunner().invoke(cli, [*args, "--reference-time", "2024-03-10T09:00"])
    assert json.loads(result.stdout)["files"][0]["date"] == "2024-03-09"
    bad = CliRunner().invoke(cli, [*args, "--reference-time", "yesterday-ish"])
    assert bad.exit_code == 2 and "ISO" in bad.output


def test_cli_import_finds_people_and_merges_spellings_across_articles(site, tmp_path):
    """People are found in each cleaned story, then one spelling wins across the archive."""
    config = site({})
    folder = tmp_path / "raw2"
    story = (
        "Kremlin aide {name} said on Thursday that a summit with the United States could take "
        "place next week in a city that has already been chosen by both sides."
    )
    more = (
        "The talks would be the first meeting of the two presidents in more than four "
        "years, and officials on both sides said the agenda was still being drafted."
    )
    dump(folder, "a.txt", ["Kremlin confirms summit plan", story.format(name="Yury Ushakov"), more])
    dump(
        folder,
        "b.txt",
        [
            "Summit venue chosen, aide says",
            "Moscow and Washington have settled on a venue for the meeting, Yuri Ushakov told "
            "state television on Friday, adding that the date would be announced within days.",
            "Diplomats in Geneva and Vienna had been preparing for months, and European capitals "
            "were told about the arrangements only after the decision was taken.",
        ],
    )
    result = CliRunner().invoke(cli, ["import", str(folder), "--site", str(config.root)])
    assert result.exit_code == 0, result.output
    people = [read_article("x.md", text.encode()).people for text in content_files(config).values()]
    assert len(people) == 2, result.output
    assert people[0] == people[1] and len(people[0]) == 1 and "Ushakov" in people[0][0]
    assert "People and topics" in result.output
    again = CliRunner().invoke(cli, ["import", str(folder), "--site", str(config.root)])
    assert again.exit_code == 0 and "unchanged" in again.output


def test_authors_are_written_from_dumps_html_and_json(site, tmp_path):
    config = site({})
    folder = tmp_path / "bylines"
    named = (
        "Jane Roe, who covered the council for a decade, said the vote was the closest "
        "she had seen since the harbour was rebuilt."
    )
    dump(
        folder,
        "dump.txt",
        [
            "Council approves bridge after four-year row",
            "By Jane Roe and John Smith",
            P1,
            P2,
            named,
        ],
    )
    (folder / "page.html").write_text(
        "<html><head><title>Ferry service returns after storm | The Example Post</title>"
        '<meta property="og:site_name" content="The Example Post">'
        '<meta name="author" content="Maria Lopez">'
        '<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head><body>'
        f"<article><h1>Ferry service returns after storm</h1><p>{P4}</p><p>{P2}</p>"
        f"<p>{P3}</p></article></body></html>",
        encoding="utf-8",
    )
    (folder / "record.json").write_text(
        json.dumps(
            {
                "title": "Harbour dredging to begin in May",
                "author": [{"name": "Ana Silva"}, "Tom Baker"],
                "text": [P1.replace("bridge", "channel"), P3.replace("Work", "Dredging")],
            }
        ),
        encoding="utf-8",
    )
    reports = run(config, [folder])
    assert sorted(r.status for r in reports) == ["written"] * 3, [r.message for r in reports]
    by_input = {Path(r.input).name: r for r in reports}
    assert by_input["dump.txt"].authors == ["Jane Roe", "John Smith"]
    articles = {
        a.extra["imported_from"]: a
        for a in (read_article(p, t.encode()) for p, t in content_files(config).items())
    }
    assert articles["dump.txt"].authors == ["Jane Roe", "John Smith"]
    assert "Jane Roe" in articles["dump.txt"].people  # the same spelling as people:
    assert articles["page.html"].authors == ["Maria Lopez"]
    assert articles["page.html"].source == "The Example Post"
    assert articles["page.html"].title == "Ferry service returns after storm"
    assert articles["record.json"].authors == ["Ana Silva", "Tom Baker"]


def test_an_author_is_written_as_people_spells_them():
    from sitegen.ingest.annotate import canonical_authors

    people = ["Yuri Ushakov", "William K. Rashbaum"]
    assert canonical_authors(["Yury Ushakov", "William Rashbaum", "Jane Roe"], people) == [
        "Yuri Ushakov",
        "William K. Rashbaum",
        "Jane Roe",
    ]


def test_every_written_article_is_fsynced_before_the_import_ends(site, raw, monkeypatch):
    import os

    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    config = site({})
    reports = run(config, [raw])
    written = {str((config.root / r.output).resolve()) for r in reports if r.output}
    assert written and written <= set(synced)
