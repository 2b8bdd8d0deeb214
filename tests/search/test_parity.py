"""search.js in Chromium ranks like `sitegen search` (Whoosh BM25F) on a fixed query set."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen.config import load_config
from sitegen.model import ProblemError
from sitegen.search.index import open_searcher
from sitegen.search.query import prepare, reader_expander, to_whoosh, top_results
from sitegen.site.pipeline import build_site
from tests.browser import static_server
from tests.search.archive import VOCABULARY, write_archive
from tests.search.parity import RUN_QUERIES_JS, ranking_differences, whoosh_results

QUERIES = [
    "meeting",
    "meetings",
    "harbour council",
    "state union",
    '"state of the union"',
    '"peace and trade"',
    '"harbour council"',
    '"union leaders"',
    "storm OR flood",
    "storm OR flood OR drought",
    "(storm OR flood) AND river",
    "union NOT teachers",
    "union -teachers -state",
    "harbour -council",
    "harb*",
    "meet*",
    "tax*",
    "presidents*",
    "title:union",
    "title:report OR title:harbour",
    'person:"Ann Lee" harbour',
    'person:"smith, john"',
    "topic:economy budget",
    "source:reuters market",
    'source:"kurýr dne"',
    "year:2022 harbour",
    "year:2020",
    "erdogan",
    "Erdoğan Łódź",
    "lodz treaty",
    "the harbour of the city",
    "government minister council budget",
    "bank AND (inflation OR interest) NOT rent",
    "(harbour",
    '"unclosed',
    "NOT harbour",
    "h*",
    "year:abc",
    "AND river",
    "the of",
    "",
]
QUERIES += VOCABULARY[:24]  # single words from the most to the less common
QUERIES += [f"{a} {b}" for a, b in zip(VOCABULARY[:20:2], VOCABULARY[1:20:2], strict=True)]

FILTERED = [
    ("harbour", {"people": ["Ann Lee"]}),
    ("council", {"year": ["2021"]}),
    ("river OR lake", {"source": ["Reuters"], "topics": ["Economy"]}),
    ("", {"topics": ["Climate"], "year": ["2020"]}),
    ("state", {"people": ["Nobody Known"]}),
]


def test_browser_ranking_equals_whoosh_ranking(archive, site_url, browser):
    queries = [(q, {}, 10) for q in QUERIES] + [(q, f, 10) for q, f in FILTERED]
    assert len(queries) >= 50
    page = browser.new_page()
    try:
        page.goto(f"{site_url}/search/")
        in_browser = page.evaluate(RUN_QUERIES_JS, queries)
    finally:
        page.close()
    with open_searcher(archive) as searcher:
        in_python = whoosh_results(searcher, queries)
    problems = []
    for (text, filters, _), python, js in zip(queries, in_python, in_browser, strict=True):
        problems += ranking_differences(f"{text} {filters or ''}".strip(), python, js)
    assert not problems, "\n".join(problems)
    answered = [r for r in in_python if "hits" in r]
    assert sum(1 for r in answered if len(r["hits"]) >= 5) >= 40  # the set is not trivial


def test_incremental_export_equals_a_clean_one_and_ranks_like_whoosh(tmp_path, browser):
    """After deletions and edits the export is byte for byte what a clean build exports
    (it never carries Whoosh's deleted documents), and it ranks like a clean index."""
    root = write_archive(tmp_path / "site", count=40, seed=11)
    config = load_config(root)
    assert build_site(config).written
    stories = sorted((root / "content").rglob("story-*.md"))
    for path in stories[:3]:
        path.unlink()
    for path in stories[3:6]:
        path.write_text(path.read_text(encoding="utf-8") + "\nHarbour harbour council.\n", "utf-8")
    report = build_site(config)
    assert report.search.removed == 3 and report.search.updated == 3
    incremental = search_tree(config.output_dir)

    shutil.rmtree(config.cache_dir)
    assert build_site(config, clean=True).search.rebuilt
    assert search_tree(config.output_dir) == incremental
    with open_searcher(config) as searcher:
        queries = [(q, {}, 10) for q in QUERIES[:30]]
        in_python = whoosh_results(searcher, queries)
    with static_server(config.output_dir) as url:
        page = browser.new_page()
        try:
            page.goto(f"{url}/search/")
            in_browser = page.evaluate(RUN_QUERIES_JS, queries)
        finally:
            page.close()
    problems = []
    for (text, _, _), python, js in zip(queries, in_python, in_browser, strict=True):
        problems += ranking_differences(text, python, js)
    assert not problems, "\n".join(problems)


def search_tree(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in (output / "search").rglob("*")
        if p.is_file()
    }


def test_whooshs_fast_top_10_is_its_exhaustive_top_10(archive):
    """Whoosh's optimisations must not drop documents (its union rewrite did, inside AND)."""
    with open_searcher(archive) as searcher:
        expand = reader_expander(searcher.reader())
        for text in QUERIES:
            try:
                node = prepare(text, expand)
            except ProblemError:
                continue
            if node is None:
                continue
            query = to_whoosh(node)
            exhaustive = [round(h.score, 9) for h in searcher.search(query, limit=None)[:10]]
            fast = [round(h.score, 9) for h in top_results(searcher, query, None, 10)]
            assert fast == exhaustive, text
