"""Fit the people candidate model on the TRAIN part of benchmarks/gold/people-corpus.

    .venv/bin/python scripts/train_people.py [--corpus ../shared/corpus] [--dry-run]
    .venv/bin/python scripts/train_people.py --backend hybrid   # needs sitegen[ner] too
    .venv/bin/python scripts/train_people.py --cv 5             # estimate on unseen train pages

Needs the `train` extra (scikit-learn) and the corpus texts (see the gold's README).
Every block of two or more words the rules find (people.candidate_features) is one
example; it is a person when its name, after spelling folds, is a gold name or alias of
the article (or the tail of one: "Huckabee Sanders"), skipped when `optional`, and not a
person otherwise. Articles weigh alike whatever their length (a 385-name roster must not
drown the rest). Held articles are never read. Writes
sitegen/entities/data/people_model.json (hybrid: people_model_hybrid.json, the same
features plus spaCy's vote, `spacy_person`): the weights by feature name, the bias, the
threshold, the checksum of the training data and the training scores. Deterministic:
same data, same file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from score_people_corpus import BIG, CORPUS, load_gold  # noqa: E402

from sitegen.entities.aliases import spelling_key  # noqa: E402
from sitegen.entities.people import (  # noqa: E402
    candidate_features,
    single_candidate_features,
)
from sitegen.entities.people_model import PeopleModel  # noqa: E402

DATA = ROOT / "sitegen" / "entities" / "data"
#: Examples per article at full weight; longer articles weigh each example less.
ARTICLE_BUDGET = 40
C = 1.0
#: One-word names are riskier (brands, places, words): taken only when the model is sure.
SINGLE_THRESHOLD = 0.6


def examples(items, hybrid: bool = False):
    rows, labels, weights, digest = [], [], [], hashlib.sha256()
    for item in items:
        digest.update(item.key.encode() + item.text_title.encode() + item.text.encode())
        digest.update(repr(sorted(map(sorted, item.people))).encode())
        tails = {
            " ".join(k.split()[i:])
            for g in item.people
            for k in g
            for i in range(1, len(k.split()))
        }
        tails = {t for t in tails if " " in t}
        found = []
        keys = None
        if hybrid:
            from sitegen.entities.extract import DEFAULT_SPACY_MODEL
            from sitegen.entities.spacy_backend import spacy_person_keys

            keys = spacy_person_keys(item.text_title, item.text, DEFAULT_SPACY_MODEL)
        for words, values in candidate_features(item.text_title, item.text, keys):
            key = spelling_key(" ".join(words))
            if key in item.optional:
                continue
            positive = any(key in g for g in item.people) or key in tails
            found.append((values, int(positive)))
        scale = min(1.0, ARTICLE_BUDGET / len(found)) if found else 1.0
        for values, label in found:
            rows.append(values)
            labels.append(label)
            weights.append(scale)
    return rows, labels, weights, digest.hexdigest()


def single_examples(items):
    """Lone words: a person when the gold lists that one-word name; words of longer gold
    names are left out (they join the full name either way)."""
    rows, labels, weights = [], [], []
    for item in items:
        singles = {k for g in item.people for k in g if " " not in k}
        parts = {w for g in item.people for k in g if " " in k for w in k.split()}
        found = []
        for words, values in single_candidate_features(item.text_title, item.text):
            key = spelling_key(words[0])
            if key in item.optional or (key in parts and key not in singles):
                continue
            found.append((values, int(key in singles)))
        scale = min(1.0, ARTICLE_BUDGET / len(found)) if found else 1.0
        for values, label in found:
            rows.append(values)
            labels.append(label)
            weights.append(scale)
    return rows, labels, weights


def fit(rows, labels, weights, threshold):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    names = sorted({f for r in rows for f in r})
    x = np.array([[r.get(f, 0.0) for f in names] for r in rows])
    y = np.array(labels)
    model = LogisticRegression(C=C, solver="lbfgs", max_iter=5000)
    model.fit(x, y, sample_weight=np.array(weights))
    predicted = model.predict_proba(x)[:, 1] >= threshold
    tp = int(((predicted == 1) & (y == 1)).sum())
    fp = int(((predicted == 1) & (y == 0)).sum())
    fn = int(((predicted == 0) & (y == 1)).sum())
    return {
        "examples": len(rows),
        "positives": int(y.sum()),
        "train_candidate_scores": {
            "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
            "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
        },
        "C": C,
        "threshold": threshold,
        "bias": round(float(model.intercept_[0]), 6),
        "weights": {f: round(float(w), 6) for f, w in zip(names, model.coef_[0], strict=True)},
    }


def as_model(part: dict, single: dict | None = None) -> PeopleModel:
    return PeopleModel.from_json({**part, "single": single})


def cross_validate(train, folds: int) -> None:
    """Article-grouped K-fold over the TRAIN split: each fold's pages are extracted with a
    model fitted on the other folds (rules backend), then scored like the benchmark.
    An estimate for pages the model has not seen, without touching the held split."""
    from score_people_corpus import Counts, score_article

    from sitegen.entities.aliases import canonicalize_archive
    from sitegen.entities.people import find_people

    per_item = {i.key: (examples([i]), single_examples([i])) for i in train}
    predicted = {}
    for fold in range(folds):
        rest = [i for k, i in enumerate(train) if k % folds != fold]
        rows, labels, weights = [], [], []
        srows, slabels, sweights = [], [], []
        for i in rest:
            (r, lab, w, _), (sr, sl, sw) = per_item[i.key]
            rows += r
            labels += lab
            weights += w
            srows += sr
            slabels += sl
            sweights += sw
        model = as_model(
            fit(rows, labels, weights, 0.5), fit(srows, slabels, sweights, SINGLE_THRESHOLD)
        )
        for k, i in enumerate(train):
            if k % folds == fold:
                predicted[i.key] = find_people(i.text_title, i.text, model=model).names
    archive = canonicalize_archive([predicted[i.key] for i in train])
    for label, keep in (("train", lambda i: True), ("train-big", lambda i: i.key != BIG)):
        counts = Counts()
        for i in train:
            if keep(i):
                tp, fp, fn, _, _ = score_article(i, archive.apply(predicted[i.key]))
                counts.add(tp, fp, fn)
        print(f"  cv{folds} {label:10} {counts.line()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--backend", default="rules", choices=["rules", "hybrid"])
    parser.add_argument("--cv", type=int, default=0, help="K-fold estimate only, write nothing")
    parser.add_argument("--dry-run", action="store_true", help="print the model, write nothing")
    args = parser.parse_args()
    train = [i for i in load_gold(args.corpus) if i.split == "train"]
    if args.cv:
        print(f"  {'rows':15} P      R      F1       mP     mR")
        cross_validate(train, args.cv)
        return
    rows, labels, weights, checksum = examples(train, hybrid=args.backend == "hybrid")
    out = DATA / ("people_model_hybrid.json" if args.backend == "hybrid" else "people_model.json")
    full = fit(rows, labels, weights, 0.5)
    single = fit(*single_examples(train), SINGLE_THRESHOLD)
    result = {
        "about": f"people candidate model, {args.backend} backend (logistic regression); "
        "scripts/train_people.py",
        "trained_on": f"benchmarks/gold/people-corpus, split train: {len(train)} articles",
        "training_data_sha256": checksum,
        **full,
        "single": single,
    }
    text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
    if args.dry_run:
        print(text)
        return
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}: {full['examples']} examples, {full['positives']} people")
    print(f"training candidates: {full['train_candidate_scores']}")
    print(
        f"one-word names: {single['examples']} examples, {single['positives']} people, "
        f"{single['train_candidate_scores']}"
    )


if __name__ == "__main__":
    main()
