"""`sitegen new`, `sitegen theme copy`, hashed static links, config errors and counts."""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.cli import cli, counted
from sitegen.config import load_config
from sitegen.content import read_article
from sitegen.model import ProblemError
from sitegen.site.pipeline import build_site
from sitegen.site.themes import default_theme_dir
from tests.conftest import article_text, write_site
from tests.site.test_incremental import clean_build_of
from tests.site.test_pipeline import _compare_trees

SITE = '[site]\ntitle = "T"\nbase_url = "https://example.org/"\n'


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_new_writes_an_article_that_builds_and_never_overwrites(tmp_path):
    root = write_site(tmp_path / "s", {}, SITE)
    made = run(
        "new",
        "Port <b>strike</b> ends",
        "--date",
        "2024-03-12",
        "--source",
        "Wire",
        "--site",
        str(root),
    )
    assert made.exit_code == 0, made.output
    path = root / "content/2024/03/port-b-strike-b-ends.md"
    assert made.output.strip() == str(path)
    text = path.read_text()
    assert text == "---\ntitle: Port <b>strike</b> ends\ndate: 2024-03-12\nsource: Wire\n---\n\n\n"
    path.write_text(text + "My own words.\n")
    again = run("new", "Port <b>strike</b> ends", "--date", "2024-03-12", "--site", str(root))
    assert again.exit_code == 2 and "already exists" in again.output
    assert path.read_text().endswith("My own words.\n")
    built = run("build", "--site", str(root))
    assert built.exit_code == 0, built.output
    page = (root / "build/2024/03/port-b-strike-b-ends/index.html").read_text()
    assert "Port &lt;b&gt;strike&lt;/b&gt; ends" in page and "<b>strike" not in page


def test_new_refuses_a_bad_date_and_an_empty_title(tmp_path):
    root = write_site(tmp_path / "s", {}, SITE)
    bad = run("new", "X", "--date", "2024-02-30", "--site", str(root))
    assert bad.exit_code == 2 and "--date" in bad.output and "2024-02-30" in bad.output
    empty = run("new", "  ", "--site", str(root))
    assert empty.exit_code == 2 and "title is empty" in empty.output
    assert not any((root / "content").rglob("*.md"))


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(title=st.text(max_size=40), source=st.text(max_size=20))
def test_new_takes_any_title_and_source(title, source):
    """Every title either is refused in one line or gives a file that reads back as typed."""
    with tempfile.TemporaryDirectory() as folder:
        root = write_site(Path(folder) / "s", {}, SITE)
        result = run(
            "new", "--date", "2024-05-01", "--source", source, "--site", str(root), "--", title
        )
        if not " ".join(title.split()):
            assert result.exit_code == 2 and "title is empty" in result.output
            return
        assert result.exit_code == 0, result.output
        (path,) = (root / "content").rglob("*.md")
        article = read_article("a.md", path.read_bytes())
        assert article.title == " ".join(title.split())
        assert article.source == (" ".join(source.split()) or None)
        assert article.date is not None and article.date.year == 2024


def test_theme_copy_then_edit_changes_the_built_page(tmp_path):
    root = write_site(tmp_path / "s", {"content/a.md": article_text("A", date="2024-01-01")}, SITE)
    assert run("build", "--site", str(root)).exit_code == 0
    copied = run("theme", "copy", "article.html", "--site", str(root))
    assert copied.exit_code == 0, copied.output
    target = root / "theme/templates/article.html"
    assert f"copied {target}" in copied.output and "1 file copied" in copied.output
    assert target.read_text() == (default_theme_dir() / "templates/article.html").read_text()
    target.write_text(target.read_text().replace("</article>", "<p>EDITED-COPY</p></article>", 1))
    assert "EDITED-COPY" in target.read_text()
    assert run("build", "--site", str(root)).exit_code == 0
    assert "EDITED-COPY" in (root / "build/2024/01/a/index.html").read_text()
    refused = run("theme", "copy", "templates/article.html", "--site", str(root))
    assert refused.exit_code == 1 and "--force" in refused.output
    assert "EDITED-COPY" in target.read_text()
    forced = run("theme", "copy", "article.html", "style.css", "--force", "--site", str(root))
    assert forced.exit_code == 0 and "2 files copied" in forced.output
    assert "EDITED-COPY" not in target.read_text()
    assert (root / "theme/static/style.css").is_file()


def test_theme_copy_all_and_bad_names(tmp_path):
    root = write_site(tmp_path / "s", {}, SITE)
    every = run("theme", "copy", "--all", "--site", str(root))
    assert every.exit_code == 0, every.output
    theme = default_theme_dir()
    wanted = {
        p.relative_to(theme).as_posix()
        for d in ("templates", "static")
        for p in (theme / d).rglob("*")
        if p.is_file()
    }
    got = {
        p.relative_to(root / "theme").as_posix() for p in (root / "theme").rglob("*") if p.is_file()
    }
    assert got == wanted
    bad = run("theme", "copy", "nope.html", "base.html", "--force", "--site", str(root))
    assert bad.exit_code == 1 and "nope.html: is not a file of the default theme" in bad.output
    assert "1 file copied" in bad.output  # one bad name does not stop the others
    assert run("theme", "copy", "--site", str(root)).exit_code == 2


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(names=st.lists(st.text(max_size=30), max_size=3))
def test_theme_copy_takes_any_names(names):
    """Any name copies a default-theme file into the theme folder or is one clear problem."""
    from sitegen.scaffold import copy_theme_files

    with tempfile.TemporaryDirectory() as folder:
        config = load_config(write_site(Path(folder) / "s", {}, SITE))
        copied, problems = copy_theme_files(config, [n for n in names if n.strip()], force=True)
        for path in copied:
            assert path.resolve().is_relative_to(config.site_theme_dir.resolve())
        assert all(p.message for p in problems)


def test_init_readme_and_help_say_how_to_copy_the_default_theme(tmp_path):
    assert run("init", str(tmp_path / "n")).exit_code == 0
    readme = (tmp_path / "n/theme/README.txt").read_text()
    assert "sitegen theme copy" in readme and "sitegen theme path" in readme
    helped = run("--help")
    text = " ".join(helped.output.split())
    assert "sitegen theme copy article.html" in text and "sitegen theme path" in text
    where = run("theme", "path")
    assert Path(where.output.strip()) == default_theme_dir()


def link_of(html: str, name: str) -> str:
    found = re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]+)"', html)
    assert found, html[:500]
    return found.group(1)


def test_static_links_carry_a_content_hash_that_follows_edits(tmp_path):
    root = write_site(tmp_path / "s", {"content/a.md": article_text("A", date="2024-01-01")}, SITE)
    config = load_config(root)
    assert build_site(config).written
    sheet = default_theme_dir() / "static/style.css"
    digest = hashlib.sha1(sheet.read_bytes()).hexdigest()[:10]
    home = (config.output_dir / "index.html").read_text()
    assert link_of(home, "style.css") == f"/static/style.css?v={digest}"
    page = (config.output_dir / "2024/01/a/index.html").read_text()
    assert link_of(page, "style.css") == f"/static/style.css?v={digest}"
    (root / "theme/static").mkdir(parents=True)
    (root / "theme/static/style.css").write_bytes(sheet.read_bytes() + b"\nbody{margin:0}\n")
    report = build_site(config)
    assert report.incremental and report.written
    changed = link_of((config.output_dir / "2024/01/a/index.html").read_text(), "style.css")
    assert changed != f"/static/style.css?v={digest}"
    assert changed == link_of((config.output_dir / "index.html").read_text(), "style.css")
    _compare_trees(config.output_dir, clean_build_of(root, tmp_path, "clean"))


def test_config_errors_name_the_line_and_suggest_the_option(tmp_path):
    root = write_site(tmp_path / "s", {}, '# settings\n[site]\ntitle = "T"\npagesize = 5\n')
    try:
        load_config(root)
    except ProblemError as exc:
        problem = exc.problem
    else:
        raise AssertionError("pagesize was accepted")
    assert problem.line == 4
    assert str(problem).endswith(
        "sitegen.toml:4: [site] pagesize is not a known option; did you mean page_size?"
    )
    shown = run("build", "--site", str(root))
    assert shown.exit_code == 2
    assert "sitegen.toml:4: [site] pagesize is not a known option; did you mean page_size?" in (
        " ".join(shown.output.split())
    )
    (root / "sitegen.toml").write_text('[build]\nallow_html = true\n\n[site]\nfeed_size = "x"\n')
    typed = run("build", "--site", str(root))
    assert "sitegen.toml:5: [site] feed_size must be int" in " ".join(typed.output.split())
    (root / "sitegen.toml").write_text("[site]\nzzzqqq = 1\n")
    odd = run("build", "--site", str(root))
    assert "zzzqqq is not a known option" in odd.output and "did you mean" not in odd.output


def test_counts_are_singular_or_plural():
    assert counted(1, "file") == "1 file" and counted(0, "file") == "0 files"
    assert counted(1, "person") == "1 person" and counted(2, "person") == "2 people"


def test_build_summary_says_one_file_written(tmp_path):
    root = write_site(tmp_path / "s", {"content/a.md": article_text("A", date="2024-01-01")}, SITE)
    assert run("build", "--site", str(root)).exit_code == 0
    (root / "sitegen.toml").write_text(SITE)  # touch: nothing changes but the inputs digest
    again = run("build", "--site", str(root))
    assert "0 files written" in again.output and "1 article, 0 people" in again.output
    assert "1 articles" not in again.output and "1 sources" not in again.output


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True), min_size=1, max_size=4),
    st.integers(0, 3),
)
def test_any_unknown_key_is_named_on_its_line(keys, blank_lines):
    """Whatever keys a sitegen.toml holds, an error names the line where the key is."""
    from sitegen.config import OPTIONS

    keys = list(dict.fromkeys(keys))
    lines = ["# a comment", *[""] * blank_lines, "[site]", *[f"{k} = 1" for k in keys]]
    with tempfile.TemporaryDirectory() as folder:
        root = write_site(Path(folder) / "s", {}, "\n".join(lines) + "\n")
        try:
            load_config(root)
        except ProblemError as exc:
            problem = exc.problem
            assert problem.line is not None and problem.path.endswith("sitegen.toml")
            key = lines[problem.line - 1].split(" = ")[0]
            assert f"[site] {key} " in problem.message
        else:
            known = {o.key for o in OPTIONS if o.table == "site" and o.kind is int}
            assert set(keys) <= known


def test_new_takes_a_title_that_starts_with_a_dash_after_double_dash(tmp_path):
    root = write_site(tmp_path / "s", {}, SITE)
    made = run("new", "--date", "2024-01-02", "--site", str(root), "--", "-0")
    assert made.exit_code == 0, made.output
    (path,) = (root / "content/2024/01").glob("*.md")
    assert read_article("a.md", path.read_bytes()).title == "-0"
