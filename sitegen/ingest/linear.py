"""Fitted linear models read from package data, with the standard library only.

A model file is JSON written by scripts/train_import.py: the feature names in order, the
mean and scale each feature is standardised with, one weight per feature, the bias, plus
what it was trained on (a checksum of the training data) and its scores. No pickles: the
file is data a reviewer can read, and a changed feature list is caught at load time.

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


@functools.cache
def load_model(
    name: str, expected: tuple[str, ...] | None = None, open_prefix: str | None = None
) -> LinearModel:
    """sitegen/ingest/data/<name>.json; `expected`: the feature names the caller computes
    (names starting with `open_prefix`, such as "word:", are an open family)."""
    text = resources.files(DATA).joinpath(f"{name}.json").read_text(encoding="utf-8")
    model = LinearModel.from_dict(name, json.loads(text))
    unknown = {n for n in model.features if not (open_prefix and n.startswith(open_prefix))} - set(
        expected or ()
    )
    if expected is not None and unknown:
        missing = sorted(unknown)
        raise ValueError(f"model {name} wants features the code does not compute: {missing}")
    return model
