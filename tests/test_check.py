"""`sitegen check`: content findings, and the built-site checks on real and handmade output."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from sitegen.check import (
    check_built_site,
    find_broken_links,
    name_key,
    resolve_address,
    run_check,
)
from sitegen.cli import cli
from sitegen.config import load_config
from sitegen.site.pipeline import build_site
from tests.conftest import article_text, write_site

TODAY = dt.date(2025, 1, 1)


def clean_files() -> dict[str, str]:
    return {
        "content/a.md": article_text(
            "Budget passes",
            "The vote was close.[^1] See [the port story](../../03/c/).\n\n[^1]: 51 to 49.",
            date="2024-02-01",
            people=["Ann Lee"],
            topics=["Economy"],
            source="Wire",
            url="https://wire.example/budget",
        ),
        "content/c.md": article_text(
            "Port reopens", date="2024-03-20", people=["Ann Lee", "Bo Chan"], source="Wire"
        ),
        "content/d.md": article_text("An undated note", "Kept for the record."),
    }


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def test_a_clean_site_passes(site):
    config = site(clean_files(), '[site]\ntitle = "T"\nbase_url = "https://example.org/news/"\n')
    report = run_check(config, today=TODAY)
    assert report.findings == []
    assert report.articles == 3 and report.pages > 10 and report.links > 100
    assert "https://wire.example/budget" in report.external


def test_finds_a_broken_link_a_duplicate_slug_and_a_case_variant_person(site):
    files = clean_files()
    files["content/a.md"] = article_text(
        "Budget passes", "See [the vote](/2024/02/no-such-story/).", date="2024-02-01"
    )
    files["content/e.md"] = article_text("Port reopens again", date="2024-03-02", slug="c")
    files["content/f.md"] = article_text("Port strike", date="2024-03-05", people=["ann lee"])
    report = run_check(site(files), today=TODAY)

    broken = [f for f in report.findings if f.code == "broken-link"]
    assert len(broken) == 1 and broken[0].severity == "error"
    assert broken[0].problem.path == "2024/02/a/index.html"
    assert "/2024/02/no-such-story/" in broken[0].problem.message
    assert "[from content/a.md]" in broken[0].problem.message

    clash = [f for f in report.findings if f.code == "duplicate-url"]
    assert len(clash) == 1 and clash[0].severity == "error"
    assert "/2024/03/c/" in clash[0].problem.message

    variant = [f for f in report.findings if f.code == "name-variant"]
    assert len(variant) == 1
    assert "'Ann Lee'" in variant[0].problem.message and "'ann lee'" in variant[0].problem.message
    assert variant[0].problem.path == "content/f.md"
    assert report.errors


def test_content_warnings(site):
    files = clean_files()
    files["content/e.md"] = "---\ntitle: Nothing yet\ndate: 2031-01-01\ntopic: [Economy]\n---\n"
    files["content/f.md"] = article_text(
        "Budget passes (copy)", date="2024-02-02", url="https://wire.example/budget"
    )
    files["content/g.md"] = article_text("Topics", topics=["Économie", "economie"])
    files["content/bad.md"] = "---\ntitle: Bad\ndate: 31/12/2024\n---\nText\n"
    report = run_check(site(files), today=TODAY)
    found = codes(report)
    for code in ("empty-body", "future-date", "unknown-key", "duplicate-source-url"):
        assert code in found
    assert "name-variant" in found
    bad = [f for f in report.findings if f.code == "invalid-article"]
    assert bad and bad[0].problem.path == "content/bad.md" and "date" in bad[0].problem.message


def test_name_key_ignores_case_spacing_and_accents():
    assert name_key("José  López") == name_key("jose lopez") == name_key("Jose-Lopez")
    assert name_key("Ann Lee") != name_key("Anne Lee")


def write_output(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def page(body: str, title: str = "A page") -> str:
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        '<link rel="stylesheet" href="/site/static/s.css?v=1"></head>'
        f'<body id="top">{body}</body></html>'
    )


def test_find_broken_links_resolves_like_a_static_server(tmp_path: Path):
    out = write_output(
        tmp_path / "out",
        {
            "static/s.css": "body { background: url('../img/bg.png') } @import 'gone.css';",
            "img/bg.png": "png",
            "img/a.jpg": "jpg",
            "index.html": page(
                '<a href="/site/">home</a> <a href="/site">home</a> <a href="a/">a</a>'
                ' <a href="a">a, redirected</a> <a href="a/index.html#part">part</a>'
                ' <a href="/site/a/?page=2">query</a> <a href="#top">top</a>'
                ' <a href="mailto:x@example.org">mail</a> <a href="https://x.example/">ext</a>'
                ' <img src="img/a.jpg" srcset="img/a.jpg 1x, img/missing.jpg 2x">'
                ' <a href="a/%20b/">no</a> <a href="/site/nothing/">no</a>'
                ' <a href="/elsewhere/">outside</a> <a href="a/#gone">anchor</a>'
            ),
            "a/index.html": page('<h2 id="part">P</h2><a href="../">up</a>'),
            "feed.xml": (
                '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>'
                '<link href="https://example.org/site/a/"/>'
                '<link href="https://example.org/site/b/"/></feed>'
            ),
        },
    )
    problems = find_broken_links(out, "/site/", site_url="https://example.org/site/")
    messages = sorted(p.message for p in problems)
    assert len(problems) == 6, messages
    for address in (
        "img/missing.jpg",
        "a/%20b/",
        "/site/nothing/",
        "/elsewhere/",
        "https://example.org/site/b/",
        "gone.css",
    ):
        assert any(repr(address) in m for m in messages), address
    assert any("outside the site" in m for m in messages)

    report = check_built_site(out, "/site/", site_url="https://example.org/site/")
    anchors = [f for f in report.findings if f.code == "missing-anchor"]
    assert len(anchors) == 1 and "'gone'" in anchors[0].problem.message
    assert list(report.external) == ["https://x.example/"]


def test_one_problem_per_broken_target(tmp_path: Path):
    out = write_output(
        tmp_path / "out",
        {
            "static/s.css": "",
            **{f"p{i}/index.html": page('<a href="/site/missing/">x</a>') for i in range(5)},
        },
    )
    problems = find_broken_links(out, "/site/")
    assert len(problems) == 1
    assert problems[0].path == "p0/index.html" and "also on 4 other pages" in problems[0].message


def test_titles_and_xml(tmp_path: Path):
    out = write_output(
        tmp_path / "out",
        {
            "index.html": page("hi", title="  "),
            "b/index.html": "<html><body><svg><title>icon</title></svg></body></html>",
            "c/index.html": page("ok"),
            "feed.xml": "<feed><unclosed></feed>",
            "sitemap.xml": '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>',
        },
    )
    report = check_built_site(out, "/")
    titles = sorted(f.problem.path for f in report.findings if f.code == "missing-title")
    assert titles == ["b/index.html", "index.html"]
    xml = {f.problem.path: f.problem.message for f in report.findings if f.code == "bad-xml"}
    assert "does not parse" in xml["feed.xml"] and "not a sitemap" in xml["sitemap.xml"]


def test_resolve_address_kinds():
    assert resolve_address("javascript:alert(1)", "index.html").kind == "skip"
    assert resolve_address("//cdn.example/x.js", "index.html").kind == "external"
    assert resolve_address("../b/", "a/index.html", "/").path == "b/"
    assert resolve_address("../../../x", "a/index.html", "/s/").kind == "outside"
    same = resolve_address("#f", "a/index.html", "/")
    assert (same.kind, same.path, same.fragment) == ("internal", "a/", "f")
    home = resolve_address(
        "https://example.org/", "index.html", "/news/", "https://example.org/news/"
    )
    assert home.kind == "external"  # the host's home page is not this site


def test_the_default_theme_build_has_no_broken_links_under_a_base_path(site):
    config = site(clean_files(), '[site]\nbase_url = "/archive/"\n')
    report = build_site(config)
    assert report.written
    assert find_broken_links(config.output_dir, config.base_path) == []
    # The same output served from / instead would break every link.
    assert find_broken_links(config.output_dir, "/")


def test_cli_check_json_and_exit_status(tmp_path: Path):
    root = write_site(tmp_path / "site", clean_files())
    runner = CliRunner()
    result = runner.invoke(cli, ["check", "--site", str(root), "--json", "--external"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] and data["errors"] == 0 and data["checked"]["articles"] == 3
    assert data["external_links"][0]["url"] == "https://wire.example/budget"

    (root / "content/e.md").write_text(article_text("Links", "[x](/nowhere/)", date="2024-01-01"))
    result = runner.invoke(cli, ["check", "--site", str(root)])
    assert result.exit_code == 1
    assert "broken-link" in result.output and "'/nowhere/'" in result.output

    (root / "content/e.md").write_text(article_text("Fine", people=["bo chan", "Bo Chan"]))
    assert runner.invoke(cli, ["check", "--site", str(root)]).exit_code == 0
    assert runner.invoke(cli, ["check", "--site", str(root), "--strict"]).exit_code == 1


def test_cli_check_a_built_folder(tmp_path: Path):
    root = write_site(tmp_path / "site", clean_files(), '[site]\nbase_url = "/news/"\n')
    build_site(load_config(root))
    runner = CliRunner()
    built = str(root / "build")
    ok = runner.invoke(cli, ["check", "--site", str(root), "--built", built])
    assert ok.exit_code == 0, ok.output
    wrong = runner.invoke(cli, ["check", "--site", str(root), "--built", built, "--base-url", "/"])
    assert wrong.exit_code == 1


def test_a_broken_theme_template_is_a_finding_not_a_crash(site):
    files = {**clean_files(), "theme/templates/404.html": "{% if %}"}
    report = run_check(site(files, '[site]\nbase_url = "https://example.org/"\n'), today=TODAY)
    assert codes(report) == ["build-failed"]
    assert "404.html" in report.findings[0].problem.path


def test_check_leaves_the_next_build_incremental(site):
    config = site(clean_files(), '[site]\ntitle = "T"\nbase_url = "https://example.org/"\n')
    first = build_site(config)
    assert first.written and first.files > 10
    assert run_check(config, today=TODAY).errors == []
    again = build_site(config)  # check built elsewhere: this build still knows build/
    assert again.written and again.files == 0
    (config.content_dir / "a.md").write_text(article_text("Budget passes again", date="2024-02-01"))
    edited = build_site(config)
    assert edited.incremental and 0 < edited.files < first.files
