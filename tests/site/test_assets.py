"""Files next to an article: copied beside the page of each article that links them, so
a relative `![](photo.jpg)` works from that page under any base path."""

from __future__ import annotations

import datetime as dt
import posixpath
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.check import run_check
from sitegen.config import load_config
from sitegen.site.assets import local_links
from sitegen.site.pipeline import build_site
from tests.browser import static_server
from tests.conftest import article_text, write_site
from tests.site.builds import LIVE, Builds
from tests.site.test_pipeline import _compare_trees
from tests.test_fuzz import FUZZ

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def asset_site(tmp_path: Path, base_url: str = "https://example.org/") -> Path:
    root = write_site(
        tmp_path / "s",
        {
            "content/2024/story.md": article_text(
                "Story", "![A photo](photo.jpg)\n\n[The report](docs/report.pdf)", date="2024-05-01"
            ),
            "content/2024/other.md": article_text(
                "Other", "Also ![x](photo.jpg).", date="2024-06-09"
            ),
            "content/2024/plain.md": article_text("Plain", "No files.", date="2024-06-10"),
            "content/2024/_notes/x.png": "private",
            "content/2024/.hidden.jpg": "hidden",
        },
        f'[site]\ntitle = "T"\nbase_url = "{base_url}"\n',
    )
    (root / "content/2024/photo.jpg").write_bytes(PNG)
    (root / "content/2024/docs").mkdir()
    (root / "content/2024/docs/report.pdf").write_bytes(b"%PDF-1.4 report")
    return root


def fetched_links(root: Path, mount: str, page: str) -> dict[str, bytes]:
    """Serve build/ at `mount` on a static server; fetch each img src and a href of the
    page's article body as a browser resolves them."""
    www = root.parent / "www"
    shutil.rmtree(www, ignore_errors=True)
    target = www / mount.strip("/") if mount.strip("/") else www
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(root / "build", target)
    with static_server(www) as origin:
        page_url = f"{origin}{mount}{page}"
        html = urllib.request.urlopen(page_url).read()
        body = lxml.html.fromstring(html).find_class("article-body")[0]
        found = {}
        for element, attribute in [
            *((i, "src") for i in body.iter("img")),
            *((a, "href") for a in body.iter("a")),
        ]:
            link = element.get(attribute)
            found[link] = urllib.request.urlopen(urljoin(page_url, link)).read()
        return found


@pytest.mark.parametrize(
    "base_url,mount", [("https://example.org/", "/"), ("https://example.org/archive/", "/archive/")]
)
def test_a_linked_image_is_served_beside_the_article_page(tmp_path, base_url, mount):
    root = asset_site(tmp_path, base_url)
    assert build_site(load_config(root)).written
    found = fetched_links(root, mount, "2024/05/story/")
    assert found == {"photo.jpg": PNG, "docs/report.pdf": b"%PDF-1.4 report"}
    assert fetched_links(root, mount, "2024/06/other/") == {"photo.jpg": PNG}
    # only beside the pages that link it; private and hidden files never
    built = sorted(p.relative_to(root / "build").as_posix() for p in (root / "build").rglob("*.*"))
    assert [
        b
        for b in built
        if not b.endswith((".html", ".xml", ".txt", ".css", ".js", ".json"))
        and not b.startswith(("search/", "static/"))
    ] == [
        "2024/05/story/docs/report.pdf",
        "2024/05/story/photo.jpg",
        "2024/06/other/photo.jpg",
    ]


def test_check_still_reports_a_missing_file(tmp_path):
    root = asset_site(tmp_path)
    story = root / "content/2024/plain.md"
    story.write_text(article_text("Plain", "![gone](missing.png)", date="2024-06-10"))
    report = run_check(load_config(root), today=dt.date(2024, 7, 1))
    broken = [f for f in report.findings if f.code == "broken-link"]
    assert len(broken) == 1 and "missing.png" in broken[0].problem.message
    assert broken[0].problem.path == "2024/06/plain/index.html"


@pytest.mark.parametrize("mode", [None, LIVE])
def test_adding_changing_and_removing_files_match_clean_builds(tmp_path, mode):
    root = asset_site(tmp_path)
    config = load_config(root)
    builder = Builds(config, jobs=1) if mode is None else Builds(config, jobs=1, mode=mode)
    builder.build()
    photo = root / "content/2024/photo.jpg"
    plain = root / "content/2024/plain.md"
    edits = [
        ("changed", lambda: photo.write_bytes(PNG + b"more")),
        ("added", lambda: (root / "content/2024/new.png").write_bytes(b"new")),
        (
            "linked",
            lambda: plain.write_text(article_text("Plain", "![n](new.png)", date="2024-06-10")),
        ),
        ("removed", lambda: photo.unlink()),
    ]
    for number, (name, edit) in enumerate(edits):
        edit()
        changed = {str(photo), str(root / "content/2024/new.png"), str(plain)}
        report = builder.build(changed if mode is not None else None)
        assert report.written and report.incremental, name
        copy = tmp_path / f"clean{number}"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", ".sitegen-cache"))
        clean = load_config(copy)
        assert build_site(clean, clean=True, jobs=1).written
        assert _compare_trees(config.output_dir, clean.output_dir, True) == [], name
    assert not (root / "build/2024/05/story/photo.jpg").exists()
    assert (root / "build/2024/06/plain/new.png").read_bytes() == b"new"


@FUZZ
@given(st.text(max_size=200))
def test_fuzz_local_links(body):
    """Any body gives relative paths inside the article's folder, never an escape."""
    for link in local_links(body):
        assert link and not link.startswith(("/", "..")) and "\x00" not in link
        assert posixpath.normpath(link) == link
