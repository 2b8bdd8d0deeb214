"""Drafts and future-dated articles: which builds publish them, and how they are marked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import gzip
import re
import shutil

import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sitegen.cli import cli
from sitegen.config import load_config
from sitegen.content import parse_article
from sitegen.model import ProblemError
from sitegen.site.memory import BuildMode
from sitegen.site.pipeline import build_site
from sitegen.site.visibility import Visibility
from tests.conftest import article_text, write_site
from tests.site.builds import LIVE, Builds
from tests.site.test_pipeline import _compare_trees
from tests.test_fuzz import FUZZ

CONFIG = '[site]\ntitle = "T"\nbase_url = "https://example.org/"\n'
NOW = dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC)


def files() -> dict[str, str]:
    return {
        "content/2024/kept.md": article_text(
            "Kept story", date="2024-05-01", people=["Ann Lee"], topics=["Town"]
        ),
        "content/2024/secret.md": article_text(
            "Secret draft",
            "Draftword here.",
            date="2024-05-02",
            draft=True,
            people=["Bo Q"],
            topics=["Town"],
        ),
        "content/2024/later.md": article_text(
            "Later story", "Futureword here.", date="2024-07-01", topics=["Town"]
        ),
    }


def everything(root, under: str = "") -> str:
    """All text the build wrote, pages, feeds, sitemap and the search export (its gzipped
    records and term shards opened) alike."""
    out = root / "build" / under
    files = [p for p in sorted(out.rglob("*")) if p.is_file()]
    data = [
        gzip.decompress(p.read_bytes()) if p.suffix == ".sgz" else p.read_bytes() for p in files
    ]
    return "\n".join(d.decode("utf-8", "replace") for d in data)


def test_a_draft_is_left_out_of_every_page_feed_sitemap_and_search(tmp_path):
    root = write_site(tmp_path / "s", files(), CONFIG)
    result = CliRunner().invoke(cli, ["build", "--site", str(root)])
    assert result.exit_code == 0, result.output
    assert not (root / "build/2024/05/secret").exists()
    text = everything(root)
    assert "Kept story" in text and "Secret draft" not in text and "Draftword" not in text
    assert "Kept story" in everything(root, "search")
    assert "Bo Q" not in text and not (root / "build/people/bo-q").exists()
    search = CliRunner().invoke(cli, ["search", "--site", str(root), "Draftword"])
    assert "Secret draft" not in search.output


def test_build_drafts_publishes_them_marked_and_noindex(tmp_path):
    root = write_site(tmp_path / "s", files(), CONFIG)
    result = CliRunner().invoke(cli, ["build", "--site", str(root), "--drafts"])
    assert result.exit_code == 0, result.output
    page = (root / "build/2024/05/secret/index.html").read_text()
    assert '<meta name="robots" content="noindex">' in page
    assert re.search(r'<h1[^>]*><span class="draft-label">Draft</span> Secret draft', page)
    home = (root / "build/index.html").read_text()
    assert '<span class="draft-label">Draft</span> <a href="/2024/05/secret/">' in home
    kept = (root / "build/2024/05/kept/index.html").read_text()
    assert "noindex" not in kept and '<h1 id="article-title" class="article-title">Kept' in kept
    assert '<span class="draft-label">Draft</span> <a href="/2024/05/secret/">' in kept  # related
    search = CliRunner().invoke(cli, ["search", "--site", str(root), "Draftword"])
    assert "Secret draft" in search.output
    assert "Secret draft" in everything(root, "search")  # the export's records


def test_serve_builds_show_drafts(tmp_path):
    from sitegen.serve import Preview

    root = write_site(tmp_path / "s", files(), CONFIG)
    far = root / "content/far.md"
    far.write_text(article_text("Far story", date="2999-01-01"))
    preview = Preview(root, port=0, reload=False, future=False)
    try:
        result = preview.rebuild()
        assert result.report is not None and result.report.written
        page = (root / "build/2024/05/secret/index.html").read_text()
        assert 'content="noindex"' in page and "draft-label" in page
        assert not (root / "build/2999").exists()  # serve --no-future, on serve's clock
    finally:
        preview.httpd.server_close()
        gc.unfreeze()  # a serve build sets the objects alive at its end aside (_settle)


def test_draft_must_be_a_boolean(tmp_path):
    root = write_site(
        tmp_path / "s", {**files(), "content/bad.md": article_text("Bad", draft="yes")}, CONFIG
    )
    report = build_site(load_config(root), keep_going=True)
    assert [(p.path, "'draft' must be true or false" in p.message) for p in report.problems] == [
        ("content/bad.md", True)
    ]
    assert (root / "build/2024/05/kept/index.html").exists()


def test_no_future_leaves_out_articles_dated_after_the_clock(tmp_path):
    root = write_site(tmp_path / "s", files(), CONFIG)
    config = dataclasses.replace(load_config(root), future=False)
    assert build_site(config, now=NOW).written
    text = everything(root)
    assert "Later story" not in text and "Futureword" not in text and "Kept story" in text
    sitemap = (root / "build/sitemap.xml").read_text()
    assert "/later/" not in sitemap
    # the default publishes it, as Hugo's --future would
    assert build_site(load_config(root), now=NOW).written
    assert (root / "build/2024/07/later/index.html").exists()


def test_cli_no_future_uses_the_real_clock(tmp_path):
    far = {"content/far.md": article_text("Far story", date="2999-01-01")}
    root = write_site(tmp_path / "s", {**files(), **far}, CONFIG)
    result = CliRunner().invoke(cli, ["build", "--site", str(root), "--no-future"])
    assert result.exit_code == 0, result.output
    assert not (root / "build/2999").exists() and (root / "build/2024/07/later").exists()


def clean_build(root, tmp_path, name, now=None, **settings):
    """A clean build of a copy of the site's current content with these settings."""
    copy = tmp_path / name
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", ".sitegen-cache"))
    config = dataclasses.replace(load_config(copy), **settings)
    assert build_site(config, clean=True, jobs=1, now=now).written
    return config.output_dir


def test_incremental_draft_flips_and_coming_due_match_clean_builds(tmp_path):
    root = write_site(tmp_path / "s", files(), CONFIG)
    config = dataclasses.replace(load_config(root), future=False)
    builder = Builds(config, jobs=1, mode=BuildMode(now=NOW))
    builder.build()
    secret = root / "content/2024/secret.md"
    for name, old, new in [("undrafted", "true", "false"), ("redrafted", "false", "true")]:
        secret.write_text(secret.read_text().replace(f"draft: {old}", f"draft: {new}"))
        assert builder.build().incremental
        clean = clean_build(root, tmp_path, name, NOW, future=False)
        assert _compare_trees(config.output_dir, clean, True) == [], name
    later = NOW + dt.timedelta(days=60)  # the future article comes due without any edit
    builder.mode = BuildMode(now=later)
    report = builder.build()
    assert report.incremental and (root / "build/2024/07/later/index.html").exists()
    clean = clean_build(root, tmp_path, "due", later, future=False)
    assert _compare_trees(config.output_dir, clean, True) == []


def test_serve_edits_of_drafts_match_clean_drafts_builds(tmp_path):
    root = write_site(tmp_path / "s", files(), CONFIG)
    config = dataclasses.replace(load_config(root), drafts=True)
    builder = Builds(config, jobs=1, mode=LIVE)
    builder.build()
    secret = root / "content/2024/secret.md"
    secret.write_text(secret.read_text().replace("draft: true", "draft: false"))
    builder.build({str(secret)})
    clean = clean_build(root, tmp_path, "c", drafts=True)
    assert _compare_trees(config.output_dir, clean, True) == []
    assert "draft-label" not in (root / "build/index.html").read_text()


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
DATES = (
    st.none()
    | st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30))
    | st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-11))]),
    )
)


@FUZZ
@given(
    draft=YAML_VALUES,
    kind=YAML_VALUES | st.sampled_from(["page", "article"]),
    date=DATES,
    drafts=st.booleans(),
    future=st.booleans(),
)
def test_fuzz_draft_and_type_keys_and_visibility(draft, kind, date, drafts, future):
    """Any `draft` or `type` value reads as a bool / page-or-article or is a Problem
    naming the file and key; deciding what a build shows never raises, for any date."""
    front = {"title": "T", "draft": draft, "type": kind}
    text = "---\n" + yaml.safe_dump(front) + "---\nBody\n"
    try:
        article = parse_article("content/x.md", text)
    except ProblemError as exc:
        message = exc.problem.message
        assert exc.problem.path == "content/x.md" and ("'draft'" in message or "'type'" in message)
        return
    assert article.draft is (draft is True) and article.is_page is (kind == "page")
    article.date = date
    visibility = Visibility(drafts=drafts, future=future, now=NOW)
    shown = visibility.shows(article)
    assert isinstance(shown, bool)
    assert visibility.held_for_date([article]) in ((), ("content/x.md",))
