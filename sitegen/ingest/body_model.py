"""The fitted body model: reads data/body_model.json and scores a line's features.

The file is plain JSON written by scripts/train_import.py: the feature names (features.py
must produce the same, in the same order), the model's parameters, the checksum of the
data it was fitted on and its scores. Two kinds are understood:

- "trees": gradient-boosted decision trees, each a list of nodes [feature, threshold,
  left, right, value] (a leaf has feature -1); the log-odds is the base value plus the
  learning rate times each tree's leaf value;
- "linear": logistic regression over standardised features.

Evaluating either is a few hundred comparisons or multiplications per line, with the
standard library only: nothing is downloaded and no numerical package is needed.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from sitegen.ingest.features import feature_names
from sitegen.ingest.linear import credit_trees, read_trees, sum_trees

DATA = "sitegen.ingest.data"
MODEL_FILE = "body_model.json"


class ModelError(RuntimeError):
    """The model file does not fit the features this code computes."""


@dataclass(frozen=True)
class BodyModel:
    kind: str
    names: tuple[str, ...]
    base: float
    rate: float
    trees: tuple[tuple[tuple[int, float, int, int, float], ...], ...] = ()
    # The same trees as nested nodes (linear.nest_tree): walked faster.
    nested: tuple[tuple, ...] = field(default=(), repr=False, compare=False)
    mean: tuple[float, ...] = ()
    scale: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()
    meta: dict[str, Any] | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BodyModel:
        names = tuple(data["features"])
        if list(names) != feature_names():
            raise ModelError(
                "the body model was fitted on other features than features.py computes; "
                "run scripts/train_import.py again"
            )
        kind = data["kind"]
        if kind == "trees":
            trees, nested = read_trees(data)
            return cls(
                kind, names, data["base"], data["rate"], trees, nested=nested, meta=data.get("meta")
            )
        if kind == "linear":
            return cls(
                kind,
                names,
                data["base"],
                1.0,
                mean=tuple(data["mean"]),
                scale=tuple(data["scale"]),
                weights=tuple(data["weights"]),
                meta=data.get("meta"),
            )
        raise ModelError(f"unknown body model kind {kind!r}")

    def log_odds(self, row: list[float]) -> float:
        """log(p / (1 - p)) that the line is part of the story."""
        if self.kind == "linear":
            return self.base + sum(
                w * (x - m) / s
                for w, x, m, s in zip(self.weights, row, self.mean, self.scale, strict=True)
            )
        return self.base + self.rate * sum_trees(self.nested, row)

    def explain(self, row: list[float], top: int | None = 4) -> list[tuple[str, float]]:
        """The features that moved this line's score most, with how much (log-odds).

        Linear: each weight times its standardised value. Trees: along each tree's path,
        the change in the mean value of the node entered, credited to the split feature.
        """
        credit = [0.0] * len(self.names)
        if self.kind == "linear":
            for k, (w, x, m, s) in enumerate(
                zip(self.weights, row, self.mean, self.scale, strict=True)
            ):
                credit[k] = w * (x - m) / s
        else:
            credit = credit_trees(self.trees, self.rate, row, len(self.names))
        order = sorted(range(len(credit)), key=lambda k: -abs(credit[k]))
        return [(self.names[k], credit[k]) for k in order[:top] if credit[k]]


def probability(log_odds: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, log_odds))))


@cache
def body_model() -> BodyModel:
    """The packaged model, read once per process."""
    text = resources.files(DATA).joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return BodyModel.from_json(json.loads(text))
