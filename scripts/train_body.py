"""The body model: which lines of a dump are the story (run by scripts/train_import.py).

    .venv/bin/python scripts/train_import.py --only body [--cv]

Writes sitegen/ingest/data/body_model.json. Examples are the lines of dumps as clean.py's
general steps leave them, with features.py's features (the hand rules' verdicts among
them). A line's label is the share of its words that align, in order, with the page's body:
  * readability: the gold body (Mozilla Readability's extraction, a little generous);
  * postlight: no body gold, so trafilatura's extraction of the original HTML (silver);
  * both: the same HTML dumped again in other scrapers' shapes (inline links and list
    items on their own lines; the lines trafilatura's HTML reader hands to clean.py),
    so the model does not learn one dump's shape.
Pages whose id hashes into the held third (score_import.py's --part held) are never
read here except to print the held-out scores at the end.

The model file carries the training data's checksum, the feature names, the parameters
and the scores, so a reader can see what it was fitted on and how well it did.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DATA_DIR = ROOT / "sitegen" / "ingest" / "data"
#: The team's own pages with hand-made gold bodies (benchmarks/score_clean.py's).
OWN_GOLD = ROOT / "benchmarks" / "gold"


def is_held(page_id: str) -> bool:
    """score_import.py's split: a third of the pages, by a hash of the id, held out."""
    return int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 3 == 0


# --- pages and labels ------------------------------------------------------------------

TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Words as the corpus scorer counts them (score_body.py)."""
    return [t.lower() for t in TOKEN.findall(text or "")]


@dataclass
class Example:
    """One dump of one page, with the body its lines are labelled against."""

    page: str  # "readability/aclu"
    style: str  # "raw_rep", "reader", "inline", "wrapped", ...
    lines: list[str]
    title: str | None
    body: str  # gold (readability) or trafilatura's extraction (postlight)
    gold: bool  # body is the corpus gold, not silver
    headline: str = ""  # the page's gold title, for the other-stories tails
    extracted: bool = False  # the lines are the HTML reader's (clean_lines' `extracted`)


def read_lines(path: Path) -> list[str]:
    from sitegen.ingest.readers import decode_bytes, text_lines

    return text_lines(decode_bytes(str(path), path.read_bytes()))


_SKIP_TAGS = {"script", "style", "head", "noscript", "template", "svg", "iframe", "object"}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "li", "ul",
    "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure",
    "figcaption", "table", "tr", "td", "th", "form", "fieldset", "address", "details",
    "summary", "body", "center", "hr", "br", "button", "label", "select", "option",
}  # fmt: skip


def dump_html(html: str, style: str) -> list[str]:
    """The page's visible text as another scraper might save it.

    "inline": a block walk that also puts each link inside a paragraph on its own line
    (scrapers that emit every text node), and each list as one line joined with " | ".
    "wrapped": a block walk whose long lines are hard-wrapped at 80 characters, with a
    blank line between blocks (text-mode browsers, e-mail archives).
    """
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"))
    except Exception:  # lxml refuses some pages outright
        return []
    out: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = " ".join(" ".join(buffer).split())
        buffer.clear()
        if text:
            out.append(text)

    def walk(node) -> None:  # noqa: ANN001 - lxml element
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP_TAGS or not tag:  # scripts, styles, comments: only their tail shows
            if node.tail:
                buffer.append(node.tail)
            return
        if style == "inline" and tag in ("ul", "ol"):
            flush()
            items = [" ".join(li.text_content().split()) for li in node if li.tag == "li"]
            items = [i for i in items if i]
            if items:
                out.append(" | ".join(items))
            if node.tail:
                buffer.append(node.tail)
            return
        block = tag in _BLOCK_TAGS
        inline_link = style == "inline" and tag == "a"
        if block or inline_link:
            flush()
        if node.text:
            buffer.append(node.text)
        for child in node:
            walk(child)
        if block or inline_link:
            flush()
        if node.tail:
            buffer.append(node.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    if style == "wrapped":
        wrapped: list[str] = []
        for line in out:
            wrapped.extend(textwrap.wrap(line, 80) or [""])
            wrapped.append("")
        return wrapped
    return out


def trafilatura_body(html: str) -> str:
    """trafilatura's extraction of the page's main text: the silver body for postlight."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def reader_lines(html: str) -> tuple[list[str], str | None]:
    """The lines (and title) sitegen's HTML reader hands to clean.py for this page."""
    from sitegen.ingest.readers import extract_html
    from sitegen.model import ProblemError

    try:
        lines, meta = extract_html("page.html", html)
    except ProblemError:
        return [], None
    return lines, meta["title"]


def corpus_examples(corpus: Path, part: str) -> list[Example]:
    """Every dump of every page in the given part ("train" or "held"), in a fixed order."""
    examples: list[Example] = []
    for name in ("readability", "postlight"):
        folder = corpus / name
        raw = "raw_rep" if name == "readability" else "raw"
        ids = sorted(p.stem for p in (folder / raw).glob("*.txt"))
        for page_id in ids:
            if is_held(page_id) != (part == "held"):
                continue
            key = f"{name}/{page_id}"
            html_path = folder / "html" / f"{page_id}.html"
            html = (
                html_path.read_text(encoding="utf-8", errors="replace")
                if html_path.exists()
                else ""
            )
            gold = json.loads((folder / "gold" / f"{page_id}.json").read_text("utf-8"))
            if name == "readability":
                body, is_gold = gold.get("body", ""), True
            else:
                body, is_gold = trafilatura_body(html), False
            if not tokens(body):
                continue
            lines = read_lines(folder / raw / f"{page_id}.txt")
            examples.append(Example(key, raw, lines, None, body, is_gold))
            headline = str(gold.get("title") or "")
            for style, cut, story in crops(key, lines, body):
                examples.append(Example(key, style, cut, None, story, is_gold, headline))
            if not html:
                continue
            lines, title = reader_lines(html)
            if lines:  # against the silver (trafilatura too): in extracted lines, keep most
                examples.append(Example(key, "reader", lines, title, body, is_gold, "", True))
            for style in ("inline", "wrapped"):
                lines = [line for line in dump_html(html, style)]
                if lines:
                    examples.append(Example(key, style, lines, None, body, is_gold))
    return with_other_stories(examples)


#: Headings that announce other stories after a story (the shapes of related and latest
#: feeds); the stories appended under them are other train pages' openings.
TAIL_HEADINGS = (
    "Related Articles",
    "More from this section",
    "You may also like",
    "Read next",
    "Latest news",
    "More stories",
    "Recommended",
    "Most read",
)
TAIL_VARIANTS = 1
TAIL_OUTLETS = ("Reuters", "The Daily Ledger", "News Wire", "Metro Desk")
TAIL_DATELINES = ("2 hours ago", "March 3, 2019", "Updated 10:15 AM", "5 days ago", "Jan 12, 2018")


def with_other_stories(examples: list[Example]) -> list[Example]:
    """Add, for each cropped page, a dump of the crop followed by a related heading and
    the openings of one or two other pages (headline, dateline, first paragraphs): the
    seeds' related tails, where whole other stories follow the story and are not it."""
    crops = [ex for ex in examples if ex.style == "crop"]
    openings: list[tuple[str, list[str]]] = []
    for ex in crops:
        shares = align_labels(ex.lines, ex.body)
        story = [line for line, share in zip(ex.lines, shares, strict=True) if share >= LABEL_SHARE]
        openings.append(
            (ex.headline or " ".join(story[0].split()[:10]) if story else "", story[:3])
        )
    out = list(examples)
    for k, ex in enumerate(crops):
        for variant in range(TAIL_VARIANTS):
            seed = int(hashlib.sha1(f"tail{variant}{ex.page}".encode()).hexdigest(), 16)
            lines = [*ex.lines, TAIL_HEADINGS[seed % len(TAIL_HEADINGS)]]
            for step in range(1 + (seed >> 30) % 2):
                j = (k + 1 + (seed >> (8 + step * 8)) % max(1, len(crops) - 1)) % len(crops)
                headline, paragraphs = openings[j]
                if j == k or not paragraphs:
                    continue
                lines.append(headline)
                if (seed >> 5) % 2:
                    lines.append(TAIL_OUTLETS[(seed >> 6) % len(TAIL_OUTLETS)])
                lines.append(TAIL_DATELINES[(seed >> (4 + step)) % len(TAIL_DATELINES)])
                lines.extend(paragraphs[: 1 + (seed >> (12 + step)) % len(paragraphs)])
            out.append(Example(ex.page, "tail", lines, None, ex.body, ex.gold))
    return out


#: Lines of furniture a crop keeps around the article: often none (the story opens or
#: ends the dump), sometimes a few (chosen per page by a hash of its id).
CROP_MARGINS = (0, 0, 0, 1, 2, 3, 5, 8)
#: Dumps that hold part of a story only (scored without the import's minimum length).
PART_STYLES = ("head", "foot")
#: Lines of story a head or foot crop keeps.
EDGE_CROP_LINES = 3


def crops(key: str, lines: list[str], body: str) -> list[tuple[str, list[str], str]]:
    """Smaller dumps cut from a page, as (style, lines, body), the body being the story
    lines the crop holds:

    - "crop": the article and a few lines either side, the shape of scrapers that save
      the article's part of the page (the seeds' shape), where what is left to drop sits
      next to the story, not in a menu far above it;
    - "head" and "foot": the story's first or last few lines with what stands above or
      below, so the model learns the story's edges from little context (short dumps);
    - "furniture": the lines above the story alone, a page with no story at all.
    """
    shares = align_labels(lines, body)
    inside = [i for i, share in enumerate(shares) if share >= LABEL_SHARE and lines[i].strip()]
    if len(inside) < 2:
        return []
    seed = int(hashlib.sha1(key.encode()).hexdigest(), 16)
    above = CROP_MARGINS[seed % len(CROP_MARGINS)]
    below = CROP_MARGINS[(seed >> 4) % len(CROP_MARGINS)]
    first, last = inside[0], inside[-1]

    def part(start: int, end: int) -> tuple[list[str], str]:
        start, end = max(0, start), min(len(lines), end)
        story = [lines[i] for i in range(start, end) if shares[i] >= LABEL_SHARE]
        return lines[start:end], "\n".join(story)

    out = []
    start, end = first - above, last + 1 + below
    if start > 0 or end < len(lines):
        out.append(("crop", *part(start, end)))
    margin = CROP_MARGINS[(seed >> 8) % len(CROP_MARGINS)] + 2
    out.append(("head", *part(first - margin, first + EDGE_CROP_LINES)))
    out.append(("foot", *part(last + 1 - EDGE_CROP_LINES, last + 1 + margin)))
    furniture = [line for line in lines[:first] if line.strip()][-30:]
    if len(furniture) >= 5:
        out.append(("furniture", furniture, ""))
    return out


def own_examples(benchmarks: Path) -> list[Example]:
    """The team's own pages with hand-made gold (benchmarks/gold: raw/ and clean/), which
    say what this project counts as the story; the shared seeds are left out, so their
    tests stay a check."""
    examples = []
    for gold_path in sorted((benchmarks / "clean").glob("*.txt")):
        raw = next(iter(sorted((benchmarks / "raw").glob(f"{gold_path.stem}.*"))), None)
        if raw is None:
            continue  # a seed: its raw page lives in ../shared/seeds
        text = gold_path.read_text(encoding="utf-8")
        title = None
        if text.startswith("# "):
            title, _, text = text.partition("\n")
            title = title[2:].strip()
        if raw.suffix == ".txt":
            examples.append(Example(f"own/{raw.stem}", "own", read_lines(raw), None, text, True))
        else:
            lines, given = reader_lines(raw.read_text(encoding="utf-8"))
            if lines:
                own = Example(f"own/{raw.stem}", "own", lines, given, text, True, "", True)
                examples.append(own)
    return examples


def align_labels(texts: list[str], body: str) -> list[float]:
    """Per line, the share of its words that align, in order, with the body's words."""
    owner: list[int] = []
    flat: list[str] = []
    for i, text in enumerate(texts):
        for token in tokens(text):
            flat.append(token)
            owner.append(i)
    matched = [0] * len(texts)
    matcher = difflib.SequenceMatcher(None, flat, tokens(body), autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.a, block.a + block.size):
            matched[owner[k]] += 1
    counts = [len(tokens(t)) for t in texts]
    return [m / c if c else 0.0 for m, c in zip(matched, counts, strict=True)]


@dataclass
class LabelledDump:
    """An example as the model sees it: candidate lines, their features and labels."""

    example: Example
    texts: list[str]
    rows: list[list[float]]
    labels: list[float]
    words: list[int]
    marks: Any  # clean.Marks: what the hand rules tell choose_story


def prepare_example(example: Example) -> LabelledDump:
    from sitegen.ingest.clean import page_lines, prepare, rule_marks
    from sitegen.ingest.features import feature_rows, page_context

    prepared = prepare(example.lines, example.title, example.extracted)
    lines = page_lines(prepared)
    texts = [line.text for line in lines]
    ctx = page_context(lines)
    rows = feature_rows(ctx)
    labels = align_labels(texts, example.body)
    words = [len(tokens(t)) for t in texts]
    return LabelledDump(example, texts, rows, labels, words, rule_marks(lines, ctx))


# --- the body model --------------------------------------------------------------------

#: Gradient boosting: many shallow trees, each correcting the last (scikit-learn's
#: GradientBoostingClassifier; its trees are public attributes, so exporting them needs no
#: private API). Depth 3 keeps each tree to eight leaves, readable one at a time.
BODY_PARAMS = {
    "n_estimators": 200,
    "max_depth": 3,
    "learning_rate": 0.1,
    "subsample": 0.8,
    "min_samples_leaf": 20,
    "random_state": 0,
}
#: A line is labelled story when at least this share of its words align with the body.
LABEL_SHARE = 0.5
#: Each page weighs the same in training (as in the scorer's macro average); within a page
#: a line weighs its words plus this much, so short lines still count.
LINE_WEIGHT_FLOOR = 3


def training_matrix(prepared: list[LabelledDump]):  # noqa: ANN201 - numpy arrays
    import numpy as np

    rows, labels, weights = [], [], []
    for item in prepared:
        total = sum(item.words) + LINE_WEIGHT_FLOOR * len(item.words)
        for row, label, words in zip(item.rows, item.labels, item.words, strict=True):
            rows.append(row)
            labels.append(1 if label >= LABEL_SHARE else 0)
            weights.append((words + LINE_WEIGHT_FLOOR) / total)
    return np.array(rows, dtype=np.float64), np.array(labels), np.array(weights)


def _round(value: float, digits: int = 7) -> float:
    return float(f"{value:.{digits}g}")


def export_trees(model, rows) -> dict:  # noqa: ANN001 - a fitted GradientBoostingClassifier
    """The fitted trees as plain lists: [feature, threshold, left, right, value] per node."""
    trees = []
    for (estimator,) in model.estimators_:
        tree = estimator.tree_
        # A leaf's value is what the tree adds; an inner node's is the mean of the leaves
        # under it (by training weight), so body_model.explain can credit each split.
        value = [float(tree.value[k][0][0]) for k in range(tree.node_count)]
        weight = [float(w) for w in tree.weighted_n_node_samples]
        for k in reversed(range(tree.node_count)):  # children come after their parent
            left, right = tree.children_left[k], tree.children_right[k]
            if left != -1:
                value[k] = (value[left] * weight[left] + value[right] * weight[right]) / (
                    weight[left] + weight[right]
                )
        nodes = []
        for k in range(tree.node_count):
            leaf = tree.children_left[k] == -1
            nodes.append(
                [
                    -1 if leaf else int(tree.feature[k]),
                    0.0 if leaf else _round(float(tree.threshold[k]), 9),
                    -1 if leaf else int(tree.children_left[k]),
                    -1 if leaf else int(tree.children_right[k]),
                    _round(value[k]),
                ]
            )
        trees.append(nodes)
    rate = float(model.learning_rate)
    first = rows[:1]
    tree_sum = sum(float(est.predict(first)[0]) for (est,) in model.estimators_)
    base = float(model.decision_function(first)[0]) - rate * tree_sum
    return {"kind": "trees", "base": _round(base, 12), "rate": rate, "trees": trees}


def story_f1(texts: list[str], keep: list[bool], body: str) -> float:
    """Token F1 of the kept lines against the body, as score_body.py counts (no title)."""
    from collections import Counter

    got = Counter(tokens(" ".join(t for t, k in zip(texts, keep, strict=True) if k)))
    want = Counter(tokens(body))
    hit = sum((got & want).values())
    if not hit:
        return 0.0
    precision, recall = hit / sum(got.values()), hit / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def evaluate_lists(model_data: dict, prepared: list[LabelledDump]) -> dict[str, list[float]]:
    """Per (set, style), each dump's token F1 under the packaged decision: the model as the
    import runs it (body_model.py) and clean.py's choice of lines. A dump the import would
    refuse scores 0; a page with no story scores 1 when refused."""
    from sitegen.ingest.body_model import BodyModel
    from sitegen.ingest.clean import MIN_ARTICLE_WORDS, choose_story
    from sitegen.ingest.language import word_units

    model = BodyModel.from_json(model_data)
    scores: dict[str, list[float]] = {}
    for item in prepared:
        log_odds = [model.log_odds(row) for row in item.rows]
        keep = [why is None for why in choose_story(log_odds, item.texts, item.marks)]
        words = sum(word_units(t) for t, k in zip(item.texts, keep, strict=True) if k)
        if not tokens(item.example.body):
            f1 = 1.0 if words < MIN_ARTICLE_WORDS else 0.0
        elif words < MIN_ARTICLE_WORDS and item.example.style not in PART_STYLES:
            f1 = 0.0
        else:
            f1 = story_f1(item.texts, keep, item.example.body)
        key = f"{item.example.page.split('/')[0]}/{item.example.style}"
        scores.setdefault(key, []).append(f1)
    return scores


def evaluate(model_data: dict, prepared: list[LabelledDump]) -> dict[str, float]:
    """Macro F1 per (set, style), see evaluate_lists."""
    lists = evaluate_lists(model_data, prepared)
    return {key: round(sum(v) / len(v), 3) for key, v in sorted(lists.items())}


def data_checksum(examples: list[Example]) -> str:
    digest = hashlib.sha256()
    for ex in examples:
        digest.update(f"{ex.page}\0{ex.style}\0{ex.title or ''}\0".encode())
        digest.update("\n".join(ex.lines).encode())
        digest.update(b"\0" + ex.body.encode() + b"\1")
    return digest.hexdigest()


def fit_body(prepared: list[LabelledDump]) -> dict[str, Any]:
    """Fit the trees on labelled dumps; the model file's content, without its meta."""
    from sklearn.ensemble import GradientBoostingClassifier

    from sitegen.ingest.features import feature_names

    rows, labels, weights = training_matrix(prepared)
    model = GradientBoostingClassifier(**BODY_PARAMS)
    model.fit(rows, labels, sample_weight=weights)
    data = {"features": feature_names(), **export_trees(model, rows)}
    check_export(model, data, rows)
    return data


def check_export(model, data: dict[str, Any], rows) -> None:  # noqa: ANN001
    """The exported trees, evaluated as the import evaluates them, give sklearn's scores."""
    from sitegen.ingest.body_model import BodyModel

    exported = BodyModel.from_json(data)
    sample = rows[:: max(1, len(rows) // 2000)]
    expected = model.decision_function(sample)
    worst = max(abs(exported.log_odds(list(r)) - e) for r, e in zip(sample, expected, strict=True))
    if worst > 1e-3:
        raise RuntimeError(f"exported trees disagree with scikit-learn by {worst:.2g}")


def cross_validated(prepared: list[LabelledDump], folds: int = 3) -> dict[str, float]:
    """Scores of models fitted without each page's fold (all dumps of a page in one fold):
    the train part's honest estimate, to set beside the held part's."""
    scored: list[LabelledDump] = []
    results: dict[str, list[float]] = {}
    fold_of = {
        p: int(hashlib.sha1(f"fold{p}".encode()).hexdigest(), 16) % folds
        for p in sorted({item.example.page for item in prepared})
    }
    for k in range(folds):
        data = fit_body([item for item in prepared if fold_of[item.example.page] != k])
        part = [item for item in prepared if fold_of[item.example.page] == k]
        scored.extend(part)
        for key, values in evaluate_lists(data, part).items():
            results.setdefault(key, []).extend(values)
    return {key: round(sum(v) / len(v), 3) for key, v in sorted(results.items())}


def train_body(corpus: Path = DEFAULT_CORPUS, write: bool = True, cv: bool = False) -> dict:
    """Fit the body model on the train part, print train and held scores, write the file."""
    examples = corpus_examples(corpus, "train") + own_examples(OWN_GOLD)
    prepared = [prepare_example(ex) for ex in examples]
    lines = sum(len(item.rows) for item in prepared)
    story = sum(1 for item in prepared for label in item.labels if label >= LABEL_SHARE)
    pages = len({e.page for e in examples})
    print(f"body: {len(examples)} dumps of {pages} train pages, {lines} lines ({story} story)")
    data = fit_body(prepared)
    held = [prepare_example(ex) for ex in corpus_examples(corpus, "held")]
    data["meta"] = {
        "model": "scikit-learn GradientBoostingClassifier, exported tree by tree",
        "params": BODY_PARAMS,
        "label": f"story when >= {LABEL_SHARE} of a line's words align with the body",
        "train_data_sha256": data_checksum(examples),
        "train_pages": pages,
        "train_lines": lines,
        "scores": "token F1 macro by set/dump style; postlight against trafilatura (silver)",
        "scores_train": evaluate(data, prepared),
        "scores_held": evaluate(data, held),
    }
    if cv:
        data["meta"]["scores_train_cv"] = cross_validated(prepared)
    for key in ("scores_train", "scores_train_cv", "scores_held"):
        if key in data["meta"]:
            print(f"body: {key}: " + ", ".join(f"{k} {v}" for k, v in data["meta"][key].items()))
    path = DATA_DIR / "body_model.json"
    if write:
        path.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
        print(f"body: wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return data
