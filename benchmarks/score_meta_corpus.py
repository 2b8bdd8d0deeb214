"""The import's metadata (title, date, source, authors) on the shared corpus, every way.

    python benchmarks/score_meta_corpus.py [--part train|held|both] [--only SET/INPUT]
                                           [--show N] [--corpus DIR]

Runs ../shared/corpus/score_import.py for readability/raw_rep, readability/html,
postlight/raw and postlight/html, on the train and the held part (the scorer's split),
and prints for each its meta line (pages not written count as wrong), then the same
measures over the pages that were written (what the metadata stages did with the pages
the body cleaner let through), with the title score also counting a title that equals the
gold once the gold's own site suffix is cut (Readability's gold is often the page's
<title>, " | eHow" and all, which the import removes on purpose), the author score also
over the pages whose gold byline
names people (not "AOL Staff", "BWW News Desk", a user name or a URL: `authors:` holds
person names), and, for dumps, the share of pages whose gold title is a line of the dump
at all (what a line-picker can reach). --show N lists N wrong titles,
dates and authors per run, gold against written.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = (
    ("readability", "raw_rep"),
    ("readability", "html"),
    ("postlight", "raw"),
    ("postlight", "html"),
)


def fold(text: object) -> str:
    """As score_meta.py folds: ASCII letters and digits, lower case."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


_NOT_A_PERSON = re.compile(
    r"\b(?:staff|team|desk|editors?|submissions|news|contributors|wikimedia|university"
    r"|organization|updated|nation|confreaks)\b|https?://|@|\\x",
    re.I,
)


def person_byline(gold: object) -> bool:
    """The gold byline names people (two words or more, Latin script, no team or role):
    what `authors:` is for. "AOL Staff", "BWW News Desk", "EvilSpark" are not."""
    text = re.sub(r"^\s*by\s+", "", str(gold or ""), flags=re.I)
    return len(fold(text).split()) >= 2 and not _NOT_A_PERSON.search(text) and fold(text) != ""


_SUFFIX = re.compile(r"\s*(?:\s[|\-–—·:]+\s|\s_|\[)[^|\-–—·:_\[]{1,60}\]?\s*$")


def title_without_gold_suffix(gold: object, written: object) -> bool:
    """The written title equals the gold one once the gold's own site suffix is cut
    (" | eHow", " - Medium", " [LWN.net]": the Readability gold keeps the page's title)."""
    gold_text = str(gold or "")
    for _ in range(2):
        if fold(written) == fold(gold_text):
            return True
        gold_text = _SUFFIX.sub("", gold_text)
    return bool(fold(written)) and fold(written) == fold(gold_text)


def title_on_page(corpus: Path, set_name: str, folder: str, page_id: str, title: str) -> bool:
    path = corpus / set_name / folder / f"{page_id}.txt"
    if not path.is_file() or not fold(title):
        return False
    want = fold(title)
    return any(fold(line) == want for line in path.read_text("utf-8", "replace").splitlines())


def run(corpus: Path, sitegen: str, set_name: str, folder: str, part: str, show: int) -> None:
    with tempfile.TemporaryDirectory(prefix="score-meta-") as tmp:
        keep = Path(tmp) / "site"
        command = [
            sys.executable,
            str(corpus / "score_import.py"),
            "--sitegen",
            sitegen,
            "--set",
            set_name,
            "--input",
            folder,
            "--part",
            part,
            "--keep",
            str(keep),
        ]
        out = subprocess.run(command, capture_output=True, text=True).stdout.splitlines()
        written = next((line for line in out if "pages written" in line), "")
        meta = next((line for line in out if line.startswith("meta ")), "(no meta line)")
        rows_path = Path(tmp) / "rows.json"
        subprocess.run(
            [
                sys.executable,
                str(corpus / "score_meta.py"),
                str(keep / "site" / "content"),
                str(keep / "gold"),
                "--json",
                str(rows_path),
            ],
            capture_output=True,
        )
        rows = json.loads(rows_path.read_text()) if rows_path.is_file() else []
    label = f"{set_name}/{folder} {part}"
    count = re.search(r"(\d+) of (\d+) pages written", written)
    done = f"{count.group(1)} of {count.group(2)} written" if count else written
    print(f"{label:28} {done:18} {meta}")
    imported = [r for r in rows if r["imported"]]

    def rate(key: str) -> str:
        had = [r for r in imported if key in r]
        return f"{sum(r[key] for r in had) / len(had):.2f}" if had else "-"

    titles = sum(r["title_ok"] for r in imported) / max(1, len(imported))
    unsuffixed = sum(title_without_gold_suffix(r["gold_title"], r["title"]) for r in imported)
    people = [r for r in imported if "author_ok" in r and person_byline(r.get("gold_author"))]
    person_rate = f"{sum(r['author_ok'] for r in people) / len(people):.2f}" if people else "-"
    line = (
        f"{'':28} {'on written pages:':18} title {titles:.3f} "
        f"(gold suffix cut {unsuffixed / max(1, len(imported)):.2f}) title~ {rate('title_loose')} "
        f"date {rate('date_ok')} source {rate('source_ok')} author {rate('author_ok')} "
        f"(person bylines {person_rate} n={len(people)}) n={len(imported)}"
    )
    if folder != "html":
        reachable = sum(
            title_on_page(corpus, set_name, "raw", r["id"], r["gold_title"] or "") for r in rows
        )
        line += f" | gold title is a dump line on {reachable / max(1, len(rows)):.2f} of pages"
    print(line)
    if show:
        for key, what, got in (
            ("title_ok", "gold_title", "title"),
            ("date_ok", "date", "date"),
            ("author_ok", "gold_author", "authors"),
        ):
            wrong = [r for r in imported if key in r and not r[key]][:show]
            for r in wrong:
                gold = r.get(what) if key != "date_ok" else "(see gold)"
                print(
                    f"    {key[:-3]:6} {r['id'][:26]:26} gold {str(gold)[:60]!r}  wrote {str(r.get(got))[:60]!r}"
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["train", "held", "both"], default="both")
    parser.add_argument("--only", help="SET/INPUT, e.g. postlight/raw")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--sitegen", default=str(ROOT / ".venv" / "bin" / "sitegen"))
    args = parser.parse_args(argv)
    if not (args.corpus / "score_import.py").is_file():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 1
    parts = ["train", "held"] if args.part == "both" else [args.part]
    for set_name, folder in RUNS:
        if args.only and args.only != f"{set_name}/{folder}":
            continue
        for part in parts:
            run(args.corpus, args.sitegen, set_name, folder, part, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
