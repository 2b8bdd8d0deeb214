"""Run the same queries through Whoosh (`search()`) and through search.js in Chromium.

Shared by the parity test and benchmarks/bench_search.py.
"""

from __future__ import annotations

import math
from typing import Any

from sitegen.model import ProblemError
from sitegen.search.query import Filters, search

#: Runs inside the search page: every query through the page's own search.js engine.
RUN_QUERIES_JS = """
async (queries) => {
  const root = document.querySelector('[data-search-page]');
  const engine = await window.SitegenSearch.Engine.open(root.dataset.meta);
  const out = [];
  for (const [text, filters, limit] of queries) {
    const started = performance.now();
    try {
      const r = await engine.search(text, filters, limit);
      out.push({total: r.total, ranked: r.ranked.slice(0, limit + 40),
                ms: performance.now() - started});
    } catch (error) {
      out.push({error: error.message});
    }
  }
  return out;
}
"""

FILTER_PARAMS = {"people": "people", "topics": "topics", "source": "sources", "year": "years"}


def whoosh_results(searcher: Any, queries: list[tuple[str, dict, int]]) -> list[dict]:
    out = []
    for text, filters, limit in queries:
        options = {FILTER_PARAMS[k]: tuple(v) for k, v in filters.items()}
        try:
            result = search(searcher, text, Filters(**options), limit=limit, with_facets=False)
        except ProblemError as exc:
            out.append({"error": exc.problem.message})
            continue
        out.append({"total": result.total, "hits": [(h.docnum, h.score) for h in result.hits]})
    return out


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def ranking_differences(query: str, python: dict, browser: dict) -> list[str]:
    """Empty when both give the same top results in the same order, ties aside."""
    if "error" in python or "error" in browser:
        if python.get("error") != browser.get("error"):
            return [
                f"{query!r}: errors differ: {python.get('error')!r} vs {browser.get('error')!r}"
            ]
        return []
    problems = []
    if python["total"] != browser["total"]:
        problems.append(f"{query!r}: {python['total']} matches in Whoosh, {browser['total']} in JS")
    js_ranked = [(int(doc), score) for doc, score in browser["ranked"]]
    js_scores = dict(js_ranked)
    for rank, (doc, score) in enumerate(python["hits"]):
        if rank >= len(js_ranked):
            problems.append(f"{query!r}: JS has only {len(js_ranked)} results")
            break
        if doc not in js_scores or not close(js_scores[doc], score):
            problems.append(
                f"{query!r}: doc {doc} scores {score} in Whoosh, {js_scores.get(doc)} in JS"
            )
        js_doc, js_score = js_ranked[rank]
        if js_doc != doc and not close(js_score, score):
            problems.append(f"{query!r}: rank {rank + 1} is doc {doc} in Whoosh, {js_doc} in JS")
    return problems
