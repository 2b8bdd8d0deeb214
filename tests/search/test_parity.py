"""search.js in Chromium ranks like `sitegen search` (Whoosh BM25F) on a fixed query set."""

from __future__ import annotations

from sitegen.search.index import open_searcher
from tests.search.archive import VOCABULARY
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
