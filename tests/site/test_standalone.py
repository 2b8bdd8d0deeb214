"""Standalone pages: content/pages/*.md or `type: page`, at /<slug>/, outside every list,
linked from the site nav ([site] nav in sitegen.toml)."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.config import Config, load_config, parse_config
from sitegen.model import ProblemError
from sitegen.site.pipeline import build_site
from tests.conftest import article_text, write_site
from tests.site.builds import LIVE, Builds
from tests.site.test_pipeline import _compare_trees
from tests.site.test_visibility import everything
from tests.test_fuzz import FUZZ

NAV = (
    '[site]\ntitle = "T"\nbase_url = "https://example.org/news/"\n'
    'nav = [{ title = "About us", url = "/about/" }, '
    '{ title = "Mother paper", url = "https://paper.example/" }]\n'
)


def files() -> dict[str, str]:
    return {
        "content/2024/story.md": article_text(
            "A story", date="2024-05-01", topics=["Town"], people=["Ann Lee"]
        ),
        "content/pages/about.md": article_text(
            "About this archive", "We keep <b>old</b> news. Pageword.", topics=["Town"]
        ),
        "content/2024/colophon.md": article_text(
            "Colophon", "Set in type.", type="page", date="2024-05-02", people=["Bo Q"]
        ),
    }


def nav_links(html_path: Path) -> list[tuple[str, str]]:
    tree = lxml.html.parse(str(html_path))
    return [
        (a.text_content(), a.get("href"))
        for a in tree.iterfind(".//nav[@class='site-nav']//li[@class='nav-page']/a")
    ]


def test_a_page_renders_at_its_slug_with_the_nav_in_every_header(tmp_path):
    root = write_site(tmp_path / "s", files(), NAV)
    report = build_site(load_config(root))
    assert report.written and not report.problems
    out = root / "build"
    about = out / "about/index.html"
    text = about.read_text()
    assert "About this archive" in text and "Pageword" in text and "<b>" not in text
    assert (out / "colophon/index.html").exists() and not (out / "2024/05/colophon").exists()
    expected = [("About us", "/news/about/"), ("Mother paper", "https://paper.example/")]
    for page in ["index.html", "2024/05/story/index.html", "about/index.html", "404.html"]:
        assert nav_links(out / page) == expected, page
    current = lxml.html.parse(str(about)).find(".//li[@class='nav-page']/a")
    assert current.get("aria-current") == "page"
    # in no list, feed, archive, term page or search; in the sitemap
    for listing in [
        "index.html",
        "feed.xml",
        "2024/index.html",
        "2024/05/index.html",
        "topics/town/index.html",
        "2024/05/story/index.html",
        "archive/index.html",
    ]:
        shown = (out / listing).read_text()
        assert "About this archive" not in shown and "Colophon" not in shown, listing
    assert not (out / "people/bo-q").exists()
    export = everything(root, "search")
    assert "A story" in export and "About this archive" not in export and "Colophon" not in export
    sitemap = (out / "sitemap.xml").read_text()
    assert "https://example.org/news/about/" in sitemap
    assert report.articles == 1


def test_a_page_whose_address_is_taken_is_a_problem_naming_it(tmp_path):
    clash = {
        "content/pages/people.md": article_text("People"),
        "content/pages/x.md": article_text("X", slug="about"),
    }
    root = write_site(tmp_path / "s", {**files(), **clash}, NAV)
    report = build_site(load_config(root))
    assert not report.written
    messages = {p.path: p.message for p in report.problems}
    assert set(messages) == {"content/pages/people.md", "content/pages/x.md"}
    assert "/people/ is taken by the site's own pages" in messages["content/pages/people.md"]
    assert "taken by page content/pages/about.md" in messages["content/pages/x.md"]
    kept = build_site(load_config(root), keep_going=True)
    assert kept.written and (root / "build/about/index.html").exists()
    assert "<h1" in (root / "build/people/index.html").read_text()  # the site's own


def test_bad_type_is_a_problem(tmp_path):
    root = write_site(tmp_path / "s", {"content/a.md": article_text("A", type="post")}, NAV)
    report = build_site(load_config(root))
    assert [p.path for p in report.problems] == ["content/a.md"]
    assert "'type' must be 'article' or 'page'" in report.problems[0].message


@pytest.mark.parametrize("mode", [None, LIVE])
def test_page_edits_match_clean_builds(tmp_path, mode):
    root = write_site(tmp_path / "s", files(), NAV)
    config = load_config(root)
    builder = Builds(config, jobs=1) if mode is None else Builds(config, jobs=1, mode=mode)
    builder.build()
    about = root / "content/pages/about.md"
    colophon = root / "content/2024/colophon.md"
    contact = root / "content/pages/contact.md"
    edits = [
        ("edited", lambda: about.write_text(article_text("About, again", "New words."))),
        ("added", lambda: contact.write_text(article_text("Contact", "Write to us."))),
        (
            "made an article",
            lambda: colophon.write_text(
                article_text("Colophon", "Set.", date="2024-05-02", people=["Bo Q"])
            ),
        ),
        (
            "made a page",
            lambda: colophon.write_text(
                article_text("Colophon", "Set.", type="page", date="2024-05-02")
            ),
        ),
        ("removed", lambda: contact.unlink()),
    ]
    for number, (name, edit) in enumerate(edits):
        edit()
        report = builder.build({str(about), str(colophon), str(contact)} if mode else None)
        assert report.written and report.incremental and not report.problems, name
        copy = tmp_path / f"clean{number}"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", ".sitegen-cache"))
        clean = load_config(copy)
        assert build_site(clean, clean=True, jobs=1).written
        assert _compare_trees(config.output_dir, clean.output_dir, True) == [], name
    assert (root / "build/people/bo-q/index.html").exists() is False


@pytest.mark.parametrize(
    "nav,message",
    [
        ("nav = 3", "[site] nav must be list"),
        ('nav = ["/about/"]', "[site] nav item 1 must be"),
        ('nav = [{ title = "", url = "/a/" }]', "title must be a non-empty string"),
        ('nav = [{ title = "A", url = "about" }]', "url must start with '/' or be http(s)"),
        ('nav = [{ title = "A", url = "/a/", x = 1 }]', "[site] nav item 1 must be"),
    ],
)
def test_nav_errors_name_the_key(tmp_path, nav, message):
    root = write_site(tmp_path / "s", {}, f"[site]\n{nav}\n")
    with pytest.raises(ProblemError) as caught:
        load_config(root)
    assert message in caught.value.problem.message
    assert caught.value.problem.path.endswith("sitegen.toml")


NAV_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["title", "url", "x"]), inner, max_size=3)
    ),
    max_leaves=8,
)


@FUZZ
@given(NAV_VALUES)
def test_fuzz_nav_config(value):
    """Any [site] nav value gives nav links or a Problem naming sitegen.toml."""
    try:
        config = parse_config(Path("."), {"site": {"nav": value}})
    except ProblemError as exc:
        assert exc.problem.path == "sitegen.toml" and "[site] nav" in exc.problem.message
        return
    assert isinstance(config, Config)
    for title, url in config.nav:
        assert title.strip() and (
            url.startswith("/") or url.lower().startswith(("http:", "https:"))
        )
