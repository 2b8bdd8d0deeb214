"""Fitted models read from package data, with the standard library only.

A model file is JSON written by scripts/train_import.py: the feature names in order and
either (kind "linear", the default) the mean and scale each feature is standardised with,
one weight per feature and the bias, or (kind "trees") gradient-boosted decision trees,
each a list of nodes [feature, threshold, left, right, value] (a leaf has feature -1),
plus what it was trained on (a checksum of the training data) and its scores. No
pickles: the file is data a reviewer can read, and a changed feature list is caught at
load time. The tree walk here is also the body model's (body_model.py).

What is not here: the features themselves (headline.py, byline.py own theirs).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

DATA = "sitegen.ingest.data"


@dataclass(frozen=True)
class LinearModel:
    name: str
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.0  # a score below this: the best candidate is not taken
    info: dict[str, Any] = field(default_factory=dict, compare=False)

    @functools.cached_property
    def _coefficients(self) -> tuple[dict[str, float], float]:
        """(weight / scale per feature, the score of all-zero features): the score is then
        a sum over the features a candidate has, however many the model knows."""
        coef = {n: w / s for n, w, s in zip(self.features, self.weights, self.scale, strict=True)}
        offset = self.bias - sum(coef[n] * m for n, m in zip(self.features, self.mean, strict=True))
        return coef, offset

    def logit(self, values: dict[str, float]) -> float:
        coef, total = self._coefficients
        for name, value in values.items():
            weight = coef.get(name)
            if weight is not None and value:
                total += weight * value
        return total

    def probability(self, values: dict[str, float]) -> float:
        z = self.logit(values)
        if z < -40:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def contributions(self, values: dict[str, float]) -> list[tuple[str, float]]:
        """Each feature's share of the logit, largest first: why a candidate won or lost."""
        parts = [
            (name, weight * (values.get(name, 0.0) - mean) / scale)
            for name, mean, scale, weight in zip(
                self.features, self.mean, self.scale, self.weights, strict=True
            )
        ]
        return sorted(parts, key=lambda item: -abs(item[1]))

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> LinearModel:
        features = tuple(data["features"])
        model = cls(
            name,
            features,
            tuple(float(x) for x in data["mean"]),
            tuple(float(x) or 1.0 for x in data["scale"]),
            tuple(float(x) for x in data["weights"]),
            float(data["bias"]),
            float(data.get("threshold", 0.0)),
            {k: v for k, v in data.items() if k not in ("mean", "scale", "weights")},
        )
        if not (len(model.mean) == len(model.scale) == len(model.weights) == len(features)):
            raise ValueError(f"model {name}: feature list and weights differ in length")
        return model


Node = tuple[int, float, int, int, float]  # feature, threshold, left, right, value


def nest_tree(tree: tuple[Node, ...], k: int = 0) -> tuple:
    """A tree as nested nodes (feature, threshold, left, right, value): a walk follows
    references instead of indexing, a third faster."""
    feature, threshold, left, right, value = tree[k]
    if feature < 0:
        return (-1, 0.0, None, None, value)
    return (feature, threshold, nest_tree(tree, left), nest_tree(tree, right), value)


def sum_trees(nested: tuple[tuple, ...], row: list[float]) -> float:
    """The sum of each tree's leaf value for row."""
    total = 0.0
    for node in nested:
        while node[0] >= 0:
            node = node[2] if row[node[0]] <= node[1] else node[3]
        total += node[4]
    return total


def credit_trees(
    trees: tuple[tuple[Node, ...], ...], rate: float, row: list[float], width: int
) -> list[float]:
    """Per feature (`width` of them), how much it moved row's score: along each tree's
    path, the change in the mean value of the node entered, credited to the split feature."""
    credit = [0.0] * width
    for tree in trees:
        node = tree[0]
        while node[0] >= 0:
            child = tree[node[2] if row[node[0]] <= node[1] else node[3]]
            credit[node[0]] += rate * (child[4] - node[4])
            node = child
    return credit


def read_trees(data: dict[str, Any]) -> tuple[tuple[tuple[Node, ...], ...], tuple[tuple, ...]]:
    """(trees as tuples, the same nested) from a model file's "trees"."""
    trees = tuple(
        tuple((int(n[0]), float(n[1]), int(n[2]), int(n[3]), float(n[4])) for n in tree)
        for tree in data["trees"]
    )
    return trees, tuple(nest_tree(tree) for tree in trees)


@dataclass(frozen=True)
class TreeModel:
    """Gradient-boosted trees over named features, scored like LinearModel (a logit from
    a dict of feature values) so a caller need not know which kind was fitted."""

    name: str
    features: tuple[str, ...]
    base: float
    rate: float
    trees: tuple[tuple[Node, ...], ...]
    nested: tuple[tuple, ...] = field(repr=False, compare=False)
    threshold: float = 0.0
    info: dict[str, Any] = field(default_factory=dict, compare=False)

    def _row(self, values: dict[str, float]) -> list[float]:
        return [values.get(name, 0.0) for name in self.features]

    def logit(self, values: dict[str, float]) -> float:
        return self.base + self.rate * sum_trees(self.nested, self._row(values))

    def contributions(self, values: dict[str, float]) -> list[tuple[str, float]]:
        credit = credit_trees(self.trees, self.rate, self._row(values), len(self.features))
        parts = [(self.features[k], c) for k, c in enumerate(credit) if c]
        return sorted(parts, key=lambda item: -abs(item[1]))

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> TreeModel:
        trees, nested = read_trees(data)
        features = tuple(data["features"])
        if any(n[0] >= len(features) for tree in trees for n in tree):
            raise ValueError(f"model {name}: a tree splits on a feature the list lacks")
        info = {k: v for k, v in data.items() if k != "trees"}
        return cls(
            name,
            features,
            float(data["base"]),
            float(data["rate"]),
            trees,
            nested,
            float(data.get("threshold", 0.0)),
            info,
        )


Model = LinearModel | TreeModel


@functools.cache
def load_model(
    name: str, expected: tuple[str, ...] | None = None, open_prefix: str | None = None
) -> Model:
    """sitegen/ingest/data/<name>.json; `expected`: the feature names the caller computes
    (names starting with `open_prefix`, such as "word:", are an open family)."""
    text = resources.files(DATA).joinpath(f"{name}.json").read_text(encoding="utf-8")
    data = json.loads(text)
    kind = data.get("kind", "linear")
    if kind not in ("linear", "trees"):
        raise ValueError(f"model {name}: unknown kind {kind!r}")
    model: Model = (TreeModel if kind == "trees" else LinearModel).from_dict(name, data)
    unknown = {n for n in model.features if not (open_prefix and n.startswith(open_prefix))} - set(
        expected or ()
    )
    if expected is not None and unknown:
        missing = sorted(unknown)
        raise ValueError(f"model {name} wants features the code does not compute: {missing}")
    return model
