"""Cold build and one-edit rebuild times of `sitegen build`, alternating interpreters.

Run by hand on a generated archive, e.g.

    python benchmarks/gen_corpus.py --articles 10000 --out /tmp/s10k
    python benchmarks/bench_build.py --site /tmp/s10k --rounds 3 \\
        --python /path/to/old/.venv/bin/python --python .venv/bin/python

Each round runs every interpreter in turn (so drift in the machine's speed falls on all
of them alike): a cold build (build/ and .sitegen-cache/ removed first), then one
article's title edited and `sitegen build` run again, then the edit undone and built.
Every build is a separate process, start-up included. Prints each run and the medians.

With `--edits N`, each interpreter gets a copy of the site (built cold once), then the
interpreters take turns at one-edit rebuilds, N each: many short runs, alternated, for
a difference the cold rounds' spread would hide.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed_build(python: str, site: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [python, "-m", "sitegen", "build", "--site", str(site)], check=True, capture_output=True
    )
    return time.perf_counter() - started


def edited(text: str, mark: str) -> str:
    """The article with its title changed (what a one-edit rebuild is about)."""
    return re.sub(r"^title: .*$", f'title: "An edited headline, {mark}"', text, count=1, flags=re.M)


def one_round(python: str, site: Path, article: Path, mark: str) -> tuple[float, float]:
    shutil.rmtree(site / "build", ignore_errors=True)
    shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
    cold = timed_build(python, site)
    original = article.read_text(encoding="utf-8")
    try:
        article.write_text(edited(original, mark), encoding="utf-8")
        edit = timed_build(python, site)
    finally:
        article.write_text(original, encoding="utf-8")
    timed_build(python, site)  # back as it was, for the next interpreter
    return cold, edit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--python", action="append", help="an interpreter (repeatable)")
    parser.add_argument("--edits", type=int, default=0, help="alternated one-edit rebuilds")
    args = parser.parse_args()
    pythons = args.python or [sys.executable]
    if args.edits:
        alternated_edits(pythons, args.site, args.edits)
        return
    articles = sorted((args.site / "content").rglob("*.md"))
    article = articles[len(articles) // 2]
    runs: dict[str, list[tuple[float, float]]] = {p: [] for p in pythons}
    for number in range(args.rounds):
        for python in pythons:
            cold, edit = one_round(python, args.site, article, f"edit {number}")
            runs[python].append((cold, edit))
            print(
                f"round {number + 1} {python}: cold {cold:.2f} s, one edit {edit:.2f} s", flush=True
            )
    for python, results in runs.items():
        cold = statistics.median(c for c, _ in results)
        edit = statistics.median(e for _, e in results)
        print(f"median {python}: cold {cold:.2f} s, one edit {edit:.2f} s ({len(results)} rounds)")


def alternated_edits(pythons: list[str], site: Path, edits: int) -> None:
    copies = []
    for number, python in enumerate(pythons):
        copy = site.with_name(f"{site.name}-edits-{number}")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(site / "content", copy / "content")
        shutil.copy(site / "sitegen.toml", copy / "sitegen.toml")
        timed_build(python, copy)
        copies.append(copy)
    times: dict[str, list[float]] = {p: [] for p in pythons}
    for number in range(edits):
        for python, copy in zip(pythons, copies, strict=True):
            articles = sorted((copy / "content").rglob("*.md"))
            article = articles[(number * 7919) % len(articles)]
            original = article.read_text(encoding="utf-8")
            article.write_text(edited(original, f"edit {number}"), encoding="utf-8")
            times[python].append(timed_build(python, copy))
    for python, runs in times.items():
        print(
            f"one edit {python}: median {statistics.median(runs):.2f} s, "
            f"min {min(runs):.2f} s, max {max(runs):.2f} s ({len(runs)} edits)",
            flush=True,
        )


if __name__ == "__main__":
    main()
