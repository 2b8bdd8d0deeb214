"""People extraction scored on real articles: the `gold/people-corpus` gold (issue 17).

    PYTHONPATH=. python benchmarks/score_people_corpus.py [--backend rules|spacy|hybrid|all]
        [--mode text|e2e|both] [--corpus ../shared/corpus] [-v] [--split train|held|all]

Two ways per backend:
- `text`: the gold article text and title (readability: the gold json's body; postlight:
  `trafilatura.extract(html)`, as the gold's `source_text` says), no cleaning, through
  `extract_people` then the archive-wide canonicalisation, as at import;
- `e2e`: `sitegen import` of the raw dumps into a temporary site (one per corpus set),
  then the `people:` of each written article, matched to the gold by `imported_from`.

Scoring per article, names compared after `spelling_key` (transliteration, case,
punctuation folded): a predicted name is right when it is a gold person's name or alias
(the first such name per person; a second name for the same person counts as wrong, the
index would show that person twice), neither right nor wrong when it is `optional`, and
wrong otherwise (`not_people` or anything else). Recall is gold people found. Micro
sums over articles; macro averages per article (precision over articles with a
prediction, recall over articles with a gold person); the wrong names that are a one-word
gold name written in full by the archive-wide merge ("Barack Obama" for "Obama") are
counted apart at the end of each row. Rows: all, train, train without
postlight-www.politico.com (385 of its 389 people are one closing roster), held.
The held split is for checking only: never tune on it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sitegen.entities.aliases import canonicalize_archive, spelling_key  # noqa: E402
from sitegen.entities.extract import EntitySettings, extract_people  # noqa: E402

GOLD = ROOT / "benchmarks" / "gold" / "people-corpus"
CORPUS = ROOT.parent / "shared" / "corpus"
BIG = "postlight-www.politico.com"
FENCE = re.compile(r"\A---\n(.*?)\n---\n", re.S)


@dataclass
class GoldArticle:
    key: str  # <set>-<id>
    set: str
    id: str
    split: str
    title: str
    people: list[set[str]]  # spelling keys of name + aliases, one set per person
    names: list[str]  # display names, same order
    optional: set[str]
    not_people: set[str]
    text: str = ""
    text_title: str = ""
    extra: dict = field(default_factory=dict)


def load_gold(corpus: Path, need_text: bool = True) -> list[GoldArticle]:
    items = []
    for path in sorted(GOLD.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        people = [
            {spelling_key(p["name"]), *(spelling_key(a) for a in p.get("aliases") or [])}
            for p in data.get("people") or []
        ]
        item = GoldArticle(
            key=path.stem,
            set=data["set"],
            id=str(data["id"]),
            split=data["split"],
            title=data.get("title") or "",
            people=people,
            names=[p["name"] for p in data.get("people") or []],
            optional={spelling_key(str(o)) for o in data.get("optional") or []},
            not_people={spelling_key(n["name"]) for n in data.get("not_people") or []},
        )
        if need_text:
            item.text_title, item.text = gold_text(corpus, item)
        items.append(item)
    return items


def gold_text(corpus: Path, item: GoldArticle) -> tuple[str, str]:
    """Title and text as the labeller read them (trafilatura output is cached in /tmp)."""
    record = json.loads((corpus / item.set / "gold" / f"{item.id}.json").read_text("utf-8"))
    title = record.get("title") or item.title
    if item.set == "readability":
        return title, record.get("body") or ""
    html_path = corpus / item.set / "html" / f"{item.id}.html"
    html = html_path.read_bytes()
    cache = Path(tempfile.gettempdir()) / "sitegen-people-corpus"
    cache.mkdir(exist_ok=True)
    cached = cache / (hashlib.sha1(html).hexdigest() + ".txt")
    if cached.exists():
        return title, cached.read_text("utf-8")
    import trafilatura

    text = trafilatura.extract(html.decode("utf-8", errors="replace")) or ""
    cached.write_text(text, "utf-8")
    return title, text


def predict_text(items: list[GoldArticle], backend: str) -> dict[str, list[str]]:
    settings = EntitySettings(backend=backend)
    raw = [extract_people(i.text_title, i.text, settings) for i in items]
    archive = canonicalize_archive(raw)
    return {i.key: archive.apply(names) for i, names in zip(items, raw, strict=True)}


def predict_e2e(
    items: list[GoldArticle], backend: str, corpus: Path, texts: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """`sitegen import` of each set's raw dumps into a temporary site; people as written.
    `texts`, when given, receives each written article's title and body."""
    sitegen = [sys.executable, "-m", "sitegen"]
    out: dict[str, list[str]] = {}
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for set_name in sorted({i.set for i in items}):
        chosen = [i for i in items if i.set == set_name]
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            subprocess.run([*sitegen, "init", str(site)], check=True, capture_output=True, env=env)
            if backend != "rules":
                with (site / "sitegen.toml").open("a", encoding="utf-8") as f:
                    f.write(f'\n[entities]\nbackend = "{backend}"\n')
            raws = [str(corpus / set_name / "raw" / f"{i.id}.txt") for i in chosen]
            subprocess.run(
                [*sitegen, "import", "--site", str(site), "--reference-time", "file", *raws],
                capture_output=True,
                env=env,
            )
            by_file: dict[str, list[str]] = {}
            written: dict[str, str] = {}
            for path in (site / "content").rglob("*.md"):
                page = path.read_text("utf-8", errors="replace")
                match = FENCE.match(page)
                if not match:
                    continue
                front = yaml.safe_load(match.group(1)) or {}
                source = Path(str(front.get("imported_from", ""))).name
                if source:
                    by_file[source] = [str(p) for p in front.get("people") or []]
                    written[source] = f"{front.get('title', '')}\n{page[match.end() :]}"
            for i in chosen:
                out[i.key] = by_file.get(f"{i.id}.txt", [])
                if texts is not None:
                    texts[i.key] = written.get(f"{i.id}.txt", "")
    return out


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    macro_p: list[float] = field(default_factory=list)
    macro_r: list[float] = field(default_factory=list)
    expanded: int = 0  # wrong names that are a one-word gold name written in full

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn
        if tp + fp:
            self.macro_p.append(tp / (tp + fp))
        if tp + fn:
            self.macro_r.append(tp / (tp + fn))

    def line(self) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        mp = sum(self.macro_p) / len(self.macro_p) if self.macro_p else 1.0
        mr = sum(self.macro_r) / len(self.macro_r) if self.macro_r else 1.0
        return (
            f"{p:6.3f} {r:6.3f} {f1:6.3f}   {mp:6.3f} {mr:6.3f}"
            f"   tp {self.tp:4} fp {self.fp:4} fn {self.fn:4}"
            f"   (of fp, one-word gold names written in full: {self.expanded})"
        )


def score_article(item: GoldArticle, names: list[str]) -> tuple[int, int, int, list, list]:
    """(tp, fp, fn, wrong names, missed names) for one article."""
    found = [False] * len(item.people)
    wrong = []
    for name in names:
        key = spelling_key(name)
        hits = [k for k, g in enumerate(item.people) if key in g]
        if hits:
            if found[hits[0]]:
                wrong.append(name + " (twice)")
            found[hits[0]] = True
        elif key not in item.optional:
            wrong.append(name + (" (not_people)" if key in item.not_people else ""))
    missed = [n for n, f in zip(item.names, found, strict=True) if not f]
    return sum(found), len(wrong), len(missed), wrong, missed


def expanded_names(wrong: list[str], missed: list[str]) -> int:
    """Wrong names that are a missed one-word gold name in full ("Barack Obama" where the
    article says only "Obama"): the archive-wide merge gives one person one name, which
    this per-article gold counts wrong. Counted apart so the figure can be read both ways."""
    lone = {spelling_key(n) for n in missed if len(spelling_key(n).split()) == 1}
    return sum(
        1
        for name in wrong
        if len(spelling_key(name).split()) > 1 and spelling_key(name).split()[-1] in lone
    )


ROWS = (
    ("all", lambda i: True),
    ("train", lambda i: i.split == "train"),
    ("train-big", lambda i: i.split == "train" and i.key != BIG),
    ("held", lambda i: i.split == "held"),
)


def report(
    label: str, items: list[GoldArticle], predicted: dict[str, list[str]], verbose: str
) -> None:
    print(f"{label}")
    print(f"  {'rows':10} {'n':>3}  {'P':>6} {'R':>6} {'F1':>6}   {'mP':>6} {'mR':>6}")
    for row, keep in ROWS:
        counts = Counts()
        for item in items:
            if not keep(item):
                continue
            tp, fp, fn, wrong, missed = score_article(item, predicted.get(item.key, []))
            counts.add(tp, fp, fn)
            counts.expanded += expanded_names(wrong, missed)
            if verbose and row == verbose and (wrong or missed):
                print(f"    {item.key}: wrong {wrong} missed {missed}")
        n = sum(1 for i in items if keep(i))
        print(f"  {row:10} {n:3}  {counts.line()}")


def print_reachable(items: list[GoldArticle], texts: dict[str, str]) -> None:
    """How many gold people the cleaned articles still name at all (a name or alias
    written out in the kept text): the recall no extractor can pass end to end."""
    for row, keep in ROWS:
        total = kept = 0
        for item in items:
            if not keep(item):
                continue
            folded = " " + spelling_key(texts.get(item.key, "")) + " "
            total += len(item.people)
            kept += sum(any(f" {k} " in folded for k in g) for g in item.people)
        if total:
            print(
                f"  {row:10} gold people still named in the cleaned text: {kept}/{total}"
                f" ({kept / total:.3f})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", default="rules", choices=["rules", "spacy", "hybrid", "all"])
    parser.add_argument("--mode", default="both", choices=["text", "e2e", "both"])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument(
        "--seconds", type=float, default=0.0, help="also time extraction for this many CPU s"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        default="",
        choices=["", "train", "held", "all", "train-big"],
        help="list each article's errors in this row",
    )
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"no corpus at {args.corpus}")
    items = load_gold(args.corpus, need_text=args.mode != "e2e")
    print(
        f"gold: {len(items)} articles, {sum(len(i.people) for i in items)} people "
        f"(P R F1 micro, mP mR macro per article)"
    )
    backends = ["rules", "spacy", "hybrid"] if args.backend == "all" else [args.backend]
    for backend in backends:
        if backend != "rules":
            try:
                import spacy  # noqa: F401
            except ImportError:
                print("spacy: not installed (pip install 'sitegen[ner]'), skipped")
                continue
        if args.mode in ("text", "both"):
            report(f"[{backend}] from gold text", items, predict_text(items, backend), args.verbose)
            if args.seconds:
                from score_people import words_per_second

                docs = [(i.text_title, i.text) for i in items]
                speed = words_per_second(backend, docs, args.seconds)
                print(f"  speed: {speed:,.0f} words/s (extraction alone, one core, gold texts)")
        if args.mode in ("e2e", "both"):
            texts: dict[str, str] = {}
            predicted = predict_e2e(items, backend, args.corpus, texts)
            report(
                f"[{backend}] end to end (sitegen import of raw dumps)",
                items,
                predicted,
                args.verbose,
            )
            print_reachable(items, texts)


if __name__ == "__main__":
    main()
