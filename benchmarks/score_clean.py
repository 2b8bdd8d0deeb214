"""Token-level precision, recall and F1 of cleaned bodies against hand-made gold bodies.

    python benchmarks/score_clean.py [--seeds DIR] [--baseline] [--verbose]

Gold bodies live in benchmarks/gold/clean/<name>.txt: an optional first line "# Title"
(when the page has a headline), then the paragraphs, separated by blank lines. The raw
page for <name> is looked up as <name>.* in benchmarks/gold/raw/ and in the seeds folder
(default ../shared/seeds beside the repository; gold whose raw page is absent is skipped).

The scored text is the title (unless it had to be derived: the gold then has none) plus
the body, exactly as `sitegen import` would write them. Tokens are lower-cased words;
precision and recall count each token as often as it occurs, so a sentence kept twice
costs precision. Also reported: whether the title matches the gold title, and how many
sentences the output holds more than once. --baseline adds the plain rule "drop repeated
lines and lines under 15 words" for comparison.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from sitegen.ingest.clean import clean_lines  # noqa: E402
from sitegen.ingest.metadata import find_metadata  # noqa: E402
from sitegen.ingest.readers import RawDocument, read_file  # noqa: E402
from sitegen.ingest.text import sentence_key, sentences  # noqa: E402

TOKEN = re.compile(r"[^\W_]+", re.U)


def tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in TOKEN.findall(text))


def prf(candidate: Counter[str], gold: Counter[str]) -> tuple[float, float, float]:
    overlap = sum((candidate & gold).values())
    precision = overlap / sum(candidate.values()) if candidate else 0.0
    recall = overlap / sum(gold.values()) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def read_gold(path: Path) -> tuple[str | None, str]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    title = None
    if lines and lines[0].startswith("# "):
        title, lines = lines[0][2:].strip(), lines[1:]
    return title, "\n".join(lines)


def cleaned_output(doc: RawDocument) -> tuple[str | None, list[str]]:
    cleaned = clean_lines(doc.lines, doc.title)
    meta = find_metadata(
        cleaned,
        given_title=doc.title,
        given_source=doc.source,
        given_date=doc.date,
        given_url=doc.url,
    )
    return (None if meta.title_derived else meta.title), cleaned.paragraphs


def baseline_output(doc: RawDocument) -> tuple[str | None, list[str]]:
    seen: set[str] = set()
    kept = []
    for line in doc.lines:
        if not line or line in seen:
            continue
        seen.add(line)
        if len(line.split()) >= 15:
            kept.append(line)
    return None, kept


def repeated_sentences(paragraphs: list[str]) -> int:
    counts = Counter(
        sentence_key(s) for p in paragraphs for s in sentences(p) if len(s.split()) >= 5
    )
    return sum(n - 1 for n in counts.values() if n > 1)


def find_raw(name: str, folders: list[Path]) -> Path | None:
    for folder in folders:
        for candidate in sorted(folder.glob(f"{name}.*")):
            if candidate.suffix.lower() in (".txt", ".html", ".htm", ".json", ".jsonl"):
                return candidate
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--gold", type=Path, default=HERE / "gold")
    parser.add_argument("--baseline", action="store_true", help="also score the 15-word rule")
    parser.add_argument("--verbose", action="store_true", help="show missing and extra tokens")
    args = parser.parse_args()

    folders = [args.gold / "raw", args.seeds]
    methods = [("sitegen", cleaned_output)]
    if args.baseline:
        methods.append(("baseline", baseline_output))
    totals = {name: [Counter(), Counter()] for name, _ in methods}
    print(f"{'file':34} {'method':9} {'P':>6} {'R':>6} {'F1':>6}  title  repeats")
    for gold_path in sorted((args.gold / "clean").glob("*.txt")):
        raw = find_raw(gold_path.stem, folders)
        if raw is None:
            print(f"{gold_path.stem:34} (raw page not found; skipped)")
            continue
        docs = [d for d in read_file(raw) if isinstance(d, RawDocument)]
        if not docs:
            print(f"{gold_path.stem:34} (raw page unreadable; skipped)")
            continue
        gold_title, gold_body = read_gold(gold_path)
        gold_tokens = tokens((gold_title or "") + "\n" + gold_body)
        for name, method in methods:
            title, paragraphs = method(docs[0])
            candidate = tokens((title or "") + "\n" + "\n".join(paragraphs))
            p, r, f = prf(candidate, gold_tokens)
            totals[name][0] += candidate
            totals[name][1] += gold_tokens
            title_ok = (
                "-"
                if gold_title is None and title is None
                else (
                    "ok" if title and gold_title and title.lower() == gold_title.lower() else "NO"
                )
            )
            repeats = repeated_sentences(paragraphs)
            print(
                f"{gold_path.stem[:34]:34} {name:9} {p:6.3f} {r:6.3f} {f:6.3f}  {title_ok:5}  {repeats}"
            )
            if args.verbose and name == "sitegen":
                missing = gold_tokens - candidate
                extra = candidate - gold_tokens
                print(f"    missing: {sorted(missing.elements())[:40]}")
                print(f"    extra:   {sorted(extra.elements())[:40]}")
    for name, (candidate, gold) in totals.items():
        if gold:
            p, r, f = prf(candidate, gold)
            print(f"{'ALL (micro)':34} {name:9} {p:6.3f} {r:6.3f} {f:6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
