"""Search benchmark: Whoosh query latency, static index sizes, browser transfers, Pagefind.

    PYTHONPATH=. python benchmarks/bench_search.py --articles 10000
    PYTHONPATH=. python benchmarks/bench_search.py --site /path/to/built-or-unbuilt-site

Steps (each prints its figures):
1. an archive: --site DIR, else generated into --work with benchmarks/gen_corpus.py when it
   exists (a small stand-in generator otherwise);
2. `sitegen build` (the Whoosh index in the cache, the static index in build/search/),
   then an incremental rebuild after changing one article;
3. `sitegen search` latency once the index is open: median and p95 over a query mix;
4. static index bytes (total, per article, by kind);
5. in headless Chromium: bytes transferred for first one- and two-word queries and for the
   next query, and browser-vs-Whoosh ranking parity on >= 50 queries;
6. Pagefind (pip install pagefind-bin into a venv under --work) over the same built
   article pages: its index size and the bytes its first queries fetch.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import http.server
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sitegen.config import load_config  # noqa: E402
from sitegen.search.index import open_searcher  # noqa: E402
from sitegen.search.query import Filters, search  # noqa: E402
from sitegen.site.pipeline import build_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def say(text: str = "") -> None:
    print(text, flush=True)


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


# 1. The archive


def stand_in_corpus(out: Path, articles: int, seed: int = 8) -> None:
    """A plain Zipf-vocabulary archive, used only when benchmarks/gen_corpus.py is absent."""
    rng = random.Random(seed)
    syllables = [
        "ka",
        "lo",
        "mi",
        "ne",
        "ra",
        "su",
        "te",
        "vo",
        "pa",
        "li",
        "do",
        "ren",
        "tas",
        "mor",
        "hel",
        "vin",
        "gar",
        "bel",
        "tun",
        "sor",
    ]
    vocabulary = [
        "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(60000)
    ]
    vocabulary = list(dict.fromkeys(vocabulary))
    weights = [1 / (rank + 2) for rank in range(len(vocabulary))]
    people = [
        f"{rng.choice(vocabulary).title()} {rng.choice(vocabulary).title()}" for _ in range(3000)
    ]
    topics = [rng.choice(vocabulary).title() for _ in range(400)]
    sources = [f"The {rng.choice(vocabulary).title()} Post" for _ in range(40)]
    (out / "content").mkdir(parents=True, exist_ok=True)
    (out / "sitegen.toml").write_text('[site]\ntitle = "Bench"\n', encoding="utf-8")
    start = dt.date(2015, 1, 1)
    for n in range(articles):
        day = start + dt.timedelta(days=rng.randrange(3650))
        words = rng.choices(vocabulary, weights=weights, k=rng.randint(400, 900))
        paragraphs = [" ".join(words[i : i + 60]) + "." for i in range(0, len(words), 60)]
        front = {
            "title": " ".join(rng.choices(vocabulary, weights=weights, k=6)).capitalize(),
            "date": day.isoformat(),
            "source": rng.choice(sources),
            "people": rng.sample(people, rng.randint(1, 5)),
            "topics": rng.sample(topics, rng.randint(1, 4)),
        }
        folder = out / "content" / f"{day.year}" / f"{day.month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        text = "---\n" + json.dumps(front, ensure_ascii=False, indent=1)[1:-1] + "\n---\n\n"
        (folder / f"a{n:06d}.md").write_text(text + "\n\n".join(paragraphs) + "\n", "utf-8")


def make_corpus(work: Path, articles: int) -> Path:
    out = work / f"corpus-{articles}"
    if (out / "sitegen.toml").exists():
        say(f"archive: reusing {out}")
        return out
    generator = HERE / "gen_corpus.py"
    started = time.perf_counter()
    if generator.exists():
        subprocess.run(
            [
                sys.executable,
                str(generator),
                "--articles",
                str(articles),
                "--out",
                str(out),
                "--quiet",
            ],
            check=True,
        )
        how = "benchmarks/gen_corpus.py"
    else:
        stand_in_corpus(out, articles)
        how = "the stand-in generator"
    say(f"archive: {articles} articles by {how} in {time.perf_counter() - started:.0f} s -> {out}")
    return out


# 2. Build


def build(root: Path) -> None:
    config = load_config(root)
    started = time.perf_counter()
    report = build_site(config, keep_going=True)
    seconds = time.perf_counter() - started
    stats = report.search
    say(
        f"build: {report.articles} articles, {report.pages} pages in {seconds:.1f} s; "
        f"search index: {stats.added} added, {stats.updated} updated, {stats.removed} removed "
        f"in {stats.seconds:.1f} s{' (rebuilt)' if stats.rebuilt else ''}"
    )


def incremental(root: Path, work: Path) -> None:
    """The search part of a rebuild after one article changed: index update, export.

    Done on a copy of the site, so the site's own index still matches its build/.
    """
    import shutil

    from sitegen.markdown import make_markdown
    from sitegen.search.pipeline import start_search
    from sitegen.site.catalog import build_catalog
    from sitegen.site.load import load_articles

    copy = work / "incremental-copy"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir(parents=True)
    shutil.copy2(root / "sitegen.toml", copy / "sitegen.toml")
    shutil.copytree(root / "content", copy / "content")
    shutil.copytree(root / ".sitegen-cache", copy / ".sitegen-cache")
    config = load_config(copy)
    md = make_markdown(config)
    files = sorted(config.content_dir.rglob("*.md"))
    some = files[len(files) // 2]
    some.write_text(some.read_text(encoding="utf-8") + "\nOne more sentence.\n", "utf-8")
    articles = build_catalog(load_articles(config.content_dir, md)[0]).articles
    started = time.perf_counter()
    update = start_search(config, articles, md=md, jobs=2).finish()
    total = time.perf_counter() - started
    stats = update.stats
    started = time.perf_counter()
    again = start_search(config, articles, md=md, jobs=2).finish()
    reuse = time.perf_counter() - started
    assert not again.exported
    say(
        f"after changing one article: index update {stats.seconds:.2f} s "
        f"({stats.updated} re-indexed), with the static export {total:.1f} s "
        f"(a build with nothing changed reuses it: {reuse:.2f} s)"
    )
    shutil.rmtree(copy, ignore_errors=True)


# 3. Latency


def query_mix(root: Path) -> tuple[list[str], list[str], list[str]]:
    """(one-word, two-word, other) queries drawn from the index: common, middling and rare."""
    config = load_config(root)
    with open_searcher(config) as searcher:
        reader = searcher.reader()
        terms = [
            (reader.doc_frequency("body", t), t.decode("utf-8"))
            for t in reader.lexicon("body")
            if t.isalpha() and len(t) > 3
        ]
        people = [t.decode("utf-8") for t in reader.lexicon("people")]
    terms.sort(reverse=True)
    n = len(terms)
    picks = [terms[int(n * f)][1] for f in (0.0005, 0.002, 0.01, 0.03, 0.1, 0.3)]
    one = picks[:5]
    two = [f"{a} {b}" for a, b in zip(picks[:5], picks[1:6], strict=True)]
    surname = people[len(people) // 3].split()[-1]
    other = [
        f'"{picks[0]} {picks[1]}"',
        f"{picks[1][:4]}*",
        f"{picks[0]} OR {picks[2]}",
        f"{picks[0]} NOT {picks[1]}",
        f'person:"{people[len(people) // 2]}"',
        f"{picks[2]} year:2020",
        surname,
    ]
    return one, two, other


def latency(root: Path, queries: list[str], repeats: int = 7) -> None:
    """Per query: the median of `repeats` runs once the index is open (and warmed by one run).

    Wall time and CPU time (process_time) both: on a busy machine the second is steadier.
    """
    config = load_config(root)
    with open_searcher(config) as searcher:
        started = time.perf_counter()
        search(searcher, queries[0], Filters(), limit=10)
        say(
            f"first search after opening the index: {(time.perf_counter() - started) * 1000:.0f} ms"
        )
        for with_facets in (False, True):
            rows = []
            for q in queries:
                wall, cpu = [], []
                for _ in range(repeats):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    result = search(searcher, q, Filters(), limit=10, with_facets=with_facets)
                    wall.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - started_cpu) * 1000)
                rows.append((statistics.median(wall), statistics.median(cpu), q, result.total))
            for at, label in ((0, "wall"), (1, "cpu")):
                values = sorted(row[at] for row in rows)
                p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
                say(
                    f"latency {'with' if with_facets else 'without'} facets ({label}), "
                    f"{len(queries)} queries: median {statistics.median(values):.1f} ms, "
                    f"p95 {p95:.1f} ms, max {values[-1]:.1f} ms"
                )
            if with_facets:
                for wall_ms, cpu_ms, q, total in rows:
                    say(f"  {wall_ms:6.1f} ms wall {cpu_ms:6.1f} ms cpu  {q}  ({total} matches)")


# 4. Sizes


def sizes(root: Path, articles: int) -> None:
    output = load_config(root).output_dir / "search"
    kinds: dict[str, list[int]] = {}
    for path in output.rglob("*.sgz"):
        kind = path.parent.name if path.parent != output else "meta"
        kinds.setdefault(kind, []).append(path.stat().st_size)
    names = {
        "meta": "meta",
        "t": "term shards",
        "p": "position shards",
        "n": "doc directories",
        "d": "records",
    }
    total = sum(sum(v) for v in kinds.values())
    say(f"static index: {total / 1e6:.1f} MB, {total / articles:.0f} bytes per article")
    for kind, values in sorted(kinds.items()):
        say(
            f"  {names.get(kind, kind)}: {len(values)} files, {sum(values) / 1e6:.2f} MB, "
            f"median {kb(statistics.median(values))}, largest {kb(max(values))}"
        )
    index_only = total - sum(kinds.get("d", [])) - sum(kinds.get("n", []))
    say(f"  index without records: {index_only / articles:.0f} bytes per article")


# 5. Browser


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator:
    """The system Chromium; Playwright gives it a fresh temporary profile."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


class Traffic:
    """Bytes a page fetched (bodies as sent, headers excluded), by kind of file."""

    def __init__(self, page) -> None:
        self.requests: list = []
        page.on("requestfinished", lambda request: self.requests.append(request))

    def take(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for request in self.requests:
            path = urlsplit(request.url).path
            size = max(0, request.sizes()["responseBodySize"])  # -1: served from a cache
            kind = classify(path)
            out[kind] = out.get(kind, 0) + size
        self.requests.clear()
        return out


def classify(path: str) -> str:
    if "/pagefind/" in path:
        for part, kind in (("wasm", "runtime"), (".js", "runtime"), ("fragment", "records")):
            if part in path:
                return kind
        return "index"
    if path.endswith(("search.js", "search.css", "style.css")):
        return "runtime" if path.endswith(".js") else "page"
    if "/search/" in path and path.endswith(".sgz"):
        return "records" if ("/d/" in path or "/n/" in path) else "index"
    return "page"


def describe(traffic: dict[str, int]) -> str:
    search_bytes = sum(v for k, v in traffic.items() if k != "page")
    parts = ", ".join(f"{k} {kb(v)}" for k, v in sorted(traffic.items()) if k != "page")
    return f"{kb(search_bytes)} ({parts}; page itself {kb(traffic.get('page', 0))})"


def fresh_page(browser):
    """A page in a new browser context: nothing cached from earlier queries."""
    return browser.new_context().new_page()


def our_transfers(browser, url: str, one: list[str], two: list[str]) -> dict[str, list[int]]:
    totals: dict[str, list[int]] = {"first one-word": [], "first two-word": [], "next": []}
    for label, queries in (("first one-word", one), ("first two-word", two)):
        for q in queries:
            page = fresh_page(browser)
            traffic = Traffic(page)
            page.goto(f"{url}/search/?q={quote(q)}")
            page.wait_for_function(
                "document.querySelector('.search-status').textContent.includes('result')",
                timeout=120_000,
            )
            page.wait_for_load_state("networkidle")
            got = traffic.take()
            totals[label].append(sum(v for k, v in got.items() if k != "page"))
            say(f"  ours, {label} '{q}': {describe(got)}")
            if label == "first one-word":
                for follow in [w for w in one if w != q][:2]:
                    page.fill("#search-q", follow)
                    page.press("#search-q", "Enter")
                    page.wait_for_function(
                        "(q) => document.querySelector('.search-status').textContent.includes(q)",
                        arg=follow,
                        timeout=120_000,
                    )
                    page.wait_for_load_state("networkidle")
                    got = traffic.take()
                    totals["next"].append(sum(v for k, v in got.items() if k != "page"))
                    say(f"  ours, next query '{follow}': {describe(got)}")
            page.context.close()
    return totals


def parity(browser, url: str, root: Path, queries: list[str]) -> None:
    from tests.search.parity import RUN_QUERIES_JS, ranking_differences, whoosh_results

    batch = [(q, {}, 10) for q in queries]
    page = fresh_page(browser)
    page.goto(f"{url}/search/")
    started = time.perf_counter()
    in_browser = page.evaluate(RUN_QUERIES_JS, batch)
    wall = time.perf_counter() - started
    page.context.close()
    with open_searcher(load_config(root)) as searcher:
        in_python = whoosh_results(searcher, batch)
    problems = []
    for q, py, js in zip(queries, in_python, in_browser, strict=True):
        problems += ranking_differences(q, py, js)
    ms = sorted(r["ms"] for r in in_browser if "ms" in r)
    same = len(queries) - len({p.split(":")[0] for p in problems})
    say(
        f"parity: {same} of {len(queries)} queries give the same top 10 in the browser as in "
        f"Whoosh (ties aside); browser query time median {statistics.median(ms):.0f} ms, "
        f"p95 {ms[int(len(ms) * 0.95) - 1]:.0f} ms ({wall:.0f} s for all, cold shards included)"
    )
    for problem in problems[:10]:
        say(f"  {problem}")


# 6. Pagefind

PAGEFIND_PAGE = """<!doctype html><meta charset="utf-8"><title>pagefind bench</title>
<script type="module">
window.runPagefind = async (q) => {
  const pagefind = window.pf || (window.pf = await import("/pagefind/pagefind.js"));
  const search = await pagefind.search(q);
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  return {total: search.results.length, titles: data.map((d) => d.meta.title)};
};
</script>
"""


def pagefind(work: Path, root: Path, browser, url: str, one: list[str], two: list[str]) -> None:
    venv = work / "pagefind-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "pagefind-bin>=1.5,<1.6"], check=True
    )
    output = load_config(root).output_dir
    started = time.perf_counter()
    subprocess.run(
        [
            str(python), "-m", "pagefind_bin", "--site", str(output), "--silent",
            "--glob", "[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html",
        ],
        check=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    bundle = output / "pagefind"
    files = [p for p in bundle.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    index = sum(p.stat().st_size for p in files if "fragment" not in p.parts)
    pages = len(list((bundle / "fragment").glob("*")))
    say(
        f"pagefind: indexed {pages} article pages in {seconds:.0f} s; bundle {total / 1e6:.1f} MB, "
        f"{total / max(pages, 1):.0f} bytes per article ({index / max(pages, 1):.0f} without fragments)"
    )
    (output / "pagefind-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    for label, queries in (("first one-word", one), ("first two-word", two)):
        for q in queries:
            page = fresh_page(browser)
            traffic = Traffic(page)
            page.goto(f"{url}/pagefind-bench.html")
            page.wait_for_function("typeof window.runPagefind === 'function'")
            result = page.evaluate("(q) => window.runPagefind(q)", q)
            page.wait_for_load_state("networkidle")
            got = traffic.take()
            say(f"  pagefind, {label} '{q}' ({result['total']} results): {describe(got)}")
            if label == "first one-word":
                follow = [w for w in one if w != q][0]
                page.evaluate("(q) => window.runPagefind(q)", follow)
                page.wait_for_load_state("networkidle")
                say(f"  pagefind, next query '{follow}': {describe(traffic.take())}")
            page.context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--site", type=Path, help="use this site folder instead of generating one")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-bench-search"))
    parser.add_argument("--skip-build", action="store_true", help="the site is already built")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-pagefind", action="store_true")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    root = args.site.resolve() if args.site else make_corpus(args.work, args.articles)
    if not args.skip_build:
        build(root)
        incremental(root, args.work)
    articles = load_config(root)
    with open_searcher(articles) as searcher:
        count = searcher.doc_count()
    one, two, other = query_mix(root)
    say(f"queries: one-word {one}; two-word {two}; other {other}")
    latency(root, one + two + other)
    sizes(root, count)
    if args.no_browser:
        return 0
    with serve(load_config(root).output_dir) as url, chromium() as browser:
        say("browser transfers (fresh cache for each first query):")
        totals = our_transfers(browser, url, one, two)
        for label, values in totals.items():
            say(f"ours, {label}: median {kb(statistics.median(values))}, max {kb(max(values))}")
        parity_queries = one + two + other
        with open_searcher(articles) as searcher:
            reader = searcher.reader()
            extra = [t.decode("utf-8") for t in reader.lexicon("body") if t.isalpha()]
        rng = random.Random(3)
        parity_queries += rng.sample(extra, 30) + [
            f"{a} {b}" for a, b in zip(rng.sample(extra, 12), rng.sample(extra, 12), strict=True)
        ]
        parity(browser, url, root, parity_queries)
        if not args.no_pagefind:
            pagefind(args.work, root, browser, url, one, two)
    return 0


if __name__ == "__main__":
    sys.exit(main())
