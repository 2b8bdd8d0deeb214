"""Precision, recall and F1 of each people backend on the hand-made gold set, and speed.

    PYTHONPATH=. python benchmarks/score_people.py [--backend rules|spacy|all] [-v]
                                                   [--archive DIR] [--seconds 3]

Gold: benchmarks/gold/people/*.md, front matter `people:` (what a reader expects in the
index for that article; "A|B" accepts either spelling) and `optional:` (neither right nor
wrong). Rows per split: the five seeds, the articles written with the rules, and
`split: heldout` articles written after the rules were (first measured before any change
made for them; see the issue note for that first figure). Predictions go through the same archive-wide canonicalisation the importer uses,
then are compared with the gold names after transliteration folding.
Real articles (the people-corpus gold, from text and end to end): score_people_corpus.py.
Speed: words per second of extraction alone on one core, over the gold texts (or every
Markdown file under --archive), repeated until --seconds have passed.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.entities.aliases import canonicalize_archive, spelling_key  # noqa: E402
from sitegen.entities.extract import EntitySettings, extract_people  # noqa: E402

GOLD = ROOT / "benchmarks" / "gold" / "people"
FENCE = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def load_gold() -> list[dict]:
    items = []
    for path in sorted(GOLD.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = FENCE.match(text)
        front = yaml.safe_load(match.group(1))
        items.append(
            {
                "name": path.stem,
                "title": front["title"],
                "body": text[match.end() :],
                "people": [str(p).split("|") for p in front.get("people", [])],
                "optional": [str(p) for p in front.get("optional", [])],
                "split": front.get("split", "seed" if front.get("seed") else "written"),
            }
        )
    return items


def load_archive(folder: Path) -> list[tuple[str, str]]:
    docs = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        match = FENCE.match(text)
        if match:
            front = yaml.safe_load(match.group(1)) or {}
            docs.append((str(front.get("title", "")), text[match.end() :]))
    return docs


def score(items: list[dict], predicted: list[list[str]], verbose: bool) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for item, names in zip(items, predicted, strict=True):
        gold = [{spelling_key(a) for a in alts} for alts in item["people"]]
        optional = {spelling_key(o) for o in item["optional"]}
        keys = [spelling_key(n) for n in names]
        hit = [any(k in g for k in keys) for g in gold]
        extra = [
            n
            for n, k in zip(names, keys, strict=True)
            if not any(k in g for g in gold) and k not in optional
        ]
        tp += sum(hit)
        fn += hit.count(False)
        fp += len(extra)
        if verbose and (extra or not all(hit)):
            missed = ["|".join(alts) for alts, h in zip(item["people"], hit, strict=True) if not h]
            print(f"  {item['name']}: missed {missed} extra {extra}")
    return tp, fp, fn


def words_per_second(backend: str, docs: list[tuple[str, str]], seconds: float) -> float:
    """Words per CPU second, going round the documents until `seconds` have passed
    (0: exactly one pass over all of them)."""
    settings = EntitySettings(backend=backend)
    extract_people(*docs[0], settings)  # load word lists or the model first
    done, start = 0, time.process_time()
    for count, (title, body) in enumerate(itertools.cycle(docs), 1):
        extract_people(title, body, settings)
        done += len(title.split()) + len(body.split())
        elapsed = time.process_time() - start
        if (seconds and elapsed >= seconds) or (not seconds and count == len(docs)):
            return done / elapsed
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", default="all", choices=["rules", "spacy", "all"])
    parser.add_argument("--archive", type=Path, help="time on every .md file under this folder")
    parser.add_argument(
        "--seconds", type=float, default=3.0, help="CPU seconds to time for (0: one full pass)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list each article's errors")
    args = parser.parse_args()
    items = load_gold()
    backends = ["rules", "spacy"] if args.backend == "all" else [args.backend]
    docs = load_archive(args.archive) if args.archive else [(i["title"], i["body"]) for i in items]
    print(f"gold: {len(items)} articles, {sum(len(i['people']) for i in items)} people")
    print(f"{'backend':10} {'n':>3} {'precision':>9} {'recall':>7} {'F1':>6} {'words/s':>9}")
    for backend in backends:
        settings = EntitySettings(backend=backend)
        try:
            raw = [extract_people(i["title"], i["body"], settings) for i in items]
        except ImportError as exc:
            print(f"{backend:8} not available: {exc}")
            continue
        archive = canonicalize_archive(raw)
        predicted = [archive.apply(names) for names in raw]
        if args.verbose:
            print(f"[{backend}]")
        speed = words_per_second(backend, docs, args.seconds)
        for split in ("all", "seed", "written", "heldout", "heldout2"):
            chosen = [k for k, i in enumerate(items) if split in ("all", i["split"])]
            if not chosen:
                continue
            tp, fp, fn = score(
                [items[k] for k in chosen],
                [predicted[k] for k in chosen],
                args.verbose and split == "all",
            )
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            label = backend if split == "all" else f"  {split}"
            rate = f"{speed:9,.0f}" if split == "all" else ""
            print(f"{label:10} {len(chosen):3} {precision:9.3f} {recall:7.3f} {f1:6.3f} {rate}")


if __name__ == "__main__":
    main()
