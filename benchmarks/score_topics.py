"""Topics on real pages: a hand-checked sample of 50 English corpus pages.

    PYTHONPATH=. .venv/bin/python benchmarks/score_topics.py [-v] [--pages dev|sample]
                                                             [--subjects FILE]

The pages are the English ones of ../shared/corpus: readability's gold `body`/`title`
(`lang` en) and postlight's saved HTML through trafilatura (English by a stop-word test),
titles from its gold. Every page goes through `analyse_article`, the archive's
`TopicStats` are made over all of them (as an import would), and each page gets
`rank_topics(..., limit=8)`, the list its article page shows (the first is the kicker).

The sample is the 50 pages whose sha1("<set>/<id>") sorts first (pages under 100 words
left out); `gold/topics-sample.yaml` records them with a hand judgement made by reading
each page: `topics`, what a reader would browse it under, and `right`/`wrong`, every
other topic sitegen has shown for it. Printed:

- pages with at least one right topic (target >= 90%),
- shown topics that are wrong (target <= 5%),
- pages with no topic, and any shown topic not judged yet (judge it in the file).

`--speed` prints analyse_article's words/s on one core over all the pages instead.
`--pages dev` lists the other English pages with their topics, marked and scored against
`gold/topics-dev.yaml` (every topic shown for them judged right or wrong by reading the
page), to develop on without looking at the sample. `--subjects FILE` scores another
subjects.toml (e.g. the map before a change:
`git show HEAD~1:sitegen/entities/data/subjects.toml > /tmp/old.toml`).
No article text is stored here: only ids, titles and topic names.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.entities import topics as topics_module  # noqa: E402
from sitegen.entities.extract import analyse_article  # noqa: E402
from sitegen.entities.topics import TopicStats, rank_topics  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE = ROOT / "benchmarks" / "gold" / "topics-sample.yaml"
DEV = ROOT / "benchmarks" / "gold" / "topics-dev.yaml"
SAMPLE_SIZE = 50
MIN_WORDS = 100
ENGLISH = set(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "that",
        "for",
        "it",
        "with",
        "was",
        "on",
        "as",
        "are",
        "be",
        "by",
        "this",
        "have",
        "from",
        "at",
    ]
)


def english(text: str) -> bool:
    words = re.findall(r"[a-z]+", text.lower()[:5000])
    return len(words) > 50 and sum(w in ENGLISH for w in words) / len(words) > 0.12


def load_pages() -> list[dict]:
    """Every English page of the corpus: id, title, body."""
    import trafilatura

    pages = []
    for path in sorted((CORPUS / "readability" / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        lang = gold.get("lang") or ""
        if lang.startswith("en") or (not lang and english(gold["body"])):
            pages.append(
                {
                    "id": f"readability/{path.stem}",
                    "title": gold["title"] or "",
                    "body": gold["body"],
                }
            )
    for path in sorted((CORPUS / "postlight" / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        html = (CORPUS / "postlight" / "html" / f"{path.stem}.html").read_text(
            encoding="utf-8", errors="replace"
        )
        body = trafilatura.extract(html) or ""
        if english(body):
            pages.append(
                {"id": f"postlight/{path.stem}", "title": gold["title"] or "", "body": body}
            )
    return pages


def sample_ids(pages: list[dict]) -> list[str]:
    eligible = [p["id"] for p in pages if len(p["body"].split()) >= MIN_WORDS]
    return sorted(eligible, key=lambda i: hashlib.sha1(i.encode()).hexdigest())[:SAMPLE_SIZE]


def shown_topics(pages: list[dict]) -> dict[str, list[str]]:
    candidates = {p["id"]: analyse_article(p["title"], p["body"]).candidates for p in pages}
    stats = TopicStats.from_candidates(candidates.values())
    return {pid: rank_topics(c, stats, 8) for pid, c in candidates.items()}


def words_per_second(pages: list[dict], seconds: float = 3.0) -> float:
    """analyse_article (people and topic candidates: what the importer runs per article)
    over every page, repeated until `seconds` have passed."""
    words = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for page in pages:
            analyse_article(page["title"], page["body"])
            words += len(page["title"].split()) + len(page["body"].split())
    return words / (time.perf_counter() - start)


def use_subjects(path: Path) -> None:
    """Score with another subjects map in place of the shipped one."""
    subjects = {k: list(v) for k, v in tomllib.loads(path.read_text(encoding="utf-8")).items()}
    index = topics_module.build_index(subjects)
    topics_module._shipped_index.cache_clear()
    topics_module._shipped_index = lambda: index  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", choices=["sample", "dev"], default="sample")
    parser.add_argument("--subjects", type=Path, help="score this subjects.toml instead")
    parser.add_argument("-v", "--verbose", action="store_true", help="every page's topics")
    parser.add_argument(
        "--speed", action="store_true", help="words/s of analyse_article on one core, all pages"
    )
    args = parser.parse_args()
    if args.subjects:
        use_subjects(args.subjects)
    pages = load_pages()
    if args.speed:
        print(f"analyse_article: {words_per_second(pages):,.0f} words/s on one core")
        return
    shown = shown_topics(pages)
    chosen = sample_ids(pages)
    titles = {p["id"]: p["title"] for p in pages}
    if args.pages == "dev":
        dev = {g["id"]: g for g in yaml.safe_load(DEV.read_text(encoding="utf-8"))["pages"]}
        score(sorted(set(shown) - set(chosen)), shown, dev, titles, verbose=True)
        return

    gold = {g["id"]: g for g in yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["pages"]}
    if sorted(gold) != sorted(chosen):
        sys.exit(f"{SAMPLE.name} does not hold the sample this rule picks; fix one of them")
    score(chosen, shown, gold, titles, verbose=args.verbose)


def score(
    ids: list[str],
    shown: dict[str, list[str]],
    gold: dict[str, dict],
    titles: dict[str, str],
    verbose: bool,
) -> None:
    """Print each page's marked topics (with `verbose`) and the two figures. A page
    without a judgement (a dev page never judged) has every topic unjudged."""
    with_right = no_topic = right = wrong = 0
    unjudged: list[tuple[str, str]] = []
    wrong_seen: Counter[str] = Counter()
    for pid in ids:
        judged = gold.get(pid, {})
        good = set(judged.get("topics") or []) | set(judged.get("right") or [])
        bad = set(judged.get("wrong") or [])
        topics = shown[pid]
        marks = []
        for topic in topics:
            if topic in good:
                right += 1
                marks.append(topic)
            elif topic in bad:
                wrong += 1
                wrong_seen[topic] += 1
                marks.append(f"-{topic}")
            else:
                unjudged.append((pid, topic))
                marks.append(f"?{topic}")
        with_right += any(t in good for t in topics)
        no_topic += not topics
        if verbose:
            print(f"{pid}: {titles[pid][:60]!r}\n    {marks}")
    shown_count = right + wrong + len(unjudged)
    print(
        f"pages {len(ids)}  with a right topic {with_right / len(ids):.0%} "
        f"({with_right})  with no topic {no_topic}"
    )
    print(
        f"shown topics {shown_count}  wrong {wrong / max(1, shown_count):.1%} ({wrong})  "
        f"unjudged {len(unjudged)}"
    )
    if wrong_seen:
        print("wrong:", ", ".join(f"{t} {n}" for t, n in wrong_seen.most_common()))
    for pid, topic in unjudged:
        print(f"unjudged: {pid}: {topic}")


if __name__ == "__main__":
    main()
