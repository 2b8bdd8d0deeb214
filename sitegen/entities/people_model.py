"""The scored decision for a candidate name: a logistic regression over named features.

Owns reading `data/people_model.json` (written by `scripts/train_people.py`) and scoring
one candidate with the standard library; knows nothing about how the features are
computed (people.Finder.features does, one small named signal each). A reader can ask
why a candidate was kept or dropped: `explain` lists each feature's share of the score.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources

DATA = "sitegen.entities.data"
MODEL_FILE = "people_model.json"
#: The hybrid backend's model: the same features plus `spacy_person`.
HYBRID_MODEL_FILE = "people_model_hybrid.json"


@dataclass(frozen=True)
class PeopleModel:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    single: PeopleModel | None = None  # the part that weighs one-word names, if trained

    def __post_init__(self) -> None:
        object.__setattr__(self, "_weight", dict(zip(self.features, self.weights, strict=True)))

    def score(self, values: dict[str, float]) -> float:
        """Probability that the candidate is a person (unknown feature names weigh 0)."""
        weight = self._weight  # type: ignore[attr-defined]
        z = self.bias + sum(weight.get(f, 0.0) * v for f, v in values.items())
        if z < -60:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def accepts(self, values: dict[str, float]) -> bool:
        return self.score(values) >= self.threshold

    def explain(self, values: dict[str, float]) -> list[tuple[str, float]]:
        """(feature, weight x value) for the features that are on, largest effect first."""
        parts = [
            (f, w * values[f])
            for f, w in zip(self.features, self.weights, strict=True)
            if values.get(f, 0.0)
        ]
        return sorted(parts, key=lambda p: -abs(p[1]))

    @classmethod
    def from_json(cls, data: dict) -> PeopleModel:
        weights = data["weights"]
        single = data.get("single")
        return cls(
            features=tuple(weights),
            weights=tuple(float(v) for v in weights.values()),
            bias=float(data["bias"]),
            threshold=float(data.get("threshold", 0.5)),
            single=cls.from_json(single) if single else None,
        )


@functools.cache
def people_model(name: str = MODEL_FILE) -> PeopleModel:
    """A shipped model (default: the rules backend's), read once from package data."""
    text = resources.files(DATA).joinpath(name).read_text(encoding="utf-8")
    return PeopleModel.from_json(json.loads(text))
