"""The shared corpus's import scores in one table: body, pages written and metadata.

    python benchmarks/score_corpus.py [--corpus ../shared/corpus] [--sitegen .venv/bin/sitegen]
                                      [--only readability/raw_rep]

Runs ../shared/corpus/score_import.py (which imports a set into a fresh site and scores
what was written) for readability raw_rep and html and postlight raw and html, each on
the train and the held part (score_import.py's --part: a third of the pages by a hash of
their id, never trained on), and prints one row per run. postlight has no body gold, so
its body columns are empty; its pages written still count (a page refused scores 0).
A gap between a set's train and held rows is the warning sign of a model fitted to the
pages it was trained on.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = [
    ("readability", "raw_rep"),
    ("readability", "html"),
    ("postlight", "raw"),
    ("postlight", "html"),
]
PARTS = ("train", "held")

_WRITTEN = re.compile(r"(\d+) of (\d+) pages written")
_BODY = re.compile(r"^F1 ([\d.]+) P ([\d.]+) R ([\d.]+) dup ([\d.]+) n=(\d+)", re.M)
_META = re.compile(
    r"^meta title ([\d.]+) title~ ([\d.]+) date ([\d.-]+) source ([\d.-]+) author ([\d.-]+)", re.M
)


def score(corpus: Path, sitegen: str, name: str, inp: str, part: str) -> dict[str, str]:
    command = [
        sys.executable,
        str(corpus / "score_import.py"),
        "--sitegen",
        sitegen,
        "--set",
        name,
        "--input",
        inp,
        "--part",
        part,
    ]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    out = result.stdout + result.stderr
    row = {"run": f"{name}/{inp} {part}", "seconds": f"{time.perf_counter() - started:.0f}"}
    if (m := _WRITTEN.search(out)) is not None:
        row["written"] = f"{m[1]}/{m[2]}"
    if (m := _BODY.search(out)) is not None:
        row.update(F1=m[1], P=m[2], R=m[3], dup=m[4])
    if (m := _META.search(out)) is not None:
        row.update(title=m[1], date=m[3], source=m[4], author=m[5])
    if "crashed" in out:
        row["note"] = "crashed"
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--sitegen", default=str(REPO / ".venv" / "bin" / "sitegen"))
    parser.add_argument("--only", help="one set/input, e.g. readability/raw_rep")
    args = parser.parse_args()
    if not (args.corpus / "score_import.py").is_file():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 1
    columns = ["run", "written", "F1", "P", "R", "dup", "title", "date", "source", "author"]
    widths = [26, 8, 6, 5, 5, 5, 6, 6, 6, 6]
    print(" ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)) + " seconds")
    for name, inp in RUNS:
        if args.only and args.only != f"{name}/{inp}":
            continue
        for part in PARTS:
            row = score(args.corpus, args.sitegen, name, inp, part)
            cells = [row.get(c, "-").ljust(w) for c, w in zip(columns, widths, strict=True)]
            print(" ".join(cells), row["seconds"], row.get("note", ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
