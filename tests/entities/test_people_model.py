"""The people candidate model: shipped as package data, read with the standard library,
scoring the same way every time, and weighing only features the finder computes."""

from __future__ import annotations

import json
from importlib import resources

from sitegen.entities.people import RULES_ONLY, candidate_features, find_people
from sitegen.entities.people_model import MODEL_FILE, PeopleModel, people_model

BODY = (
    "Laura Carno said the vote was close. Gone Girl opened on Friday at the Sam Rayburn "
    "Tollway cinema, and Mike Minor, Kris Medlen and Julio Teheran were there."
)


def test_model_loads_from_package_data_with_its_provenance():
    raw = json.loads(resources.files("sitegen.entities.data").joinpath(MODEL_FILE).read_text())
    assert set(raw) >= {"weights", "bias", "threshold", "training_data_sha256"}
    model = people_model()
    assert isinstance(model, PeopleModel)
    assert model.features == tuple(raw["weights"])
    assert 0.0 < model.threshold < 1.0


def test_model_weighs_only_features_the_finder_computes():
    computed = {name for _, values in candidate_features("A story", BODY) for name in values}
    assert computed <= set(people_model().features)


def test_scores_are_deterministic_and_explained():
    model = people_model()
    first = [(w, model.score(v)) for w, v in candidate_features("A story", BODY)]
    again = [(w, model.score(v)) for w, v in candidate_features("A story", BODY)]
    assert first == again
    assert all(0.0 <= s <= 1.0 for _, s in first)
    for _, values in candidate_features("A story", BODY):
        parts = model.explain(values)
        total = model.bias + sum(p for _, p in parts)
        expected = model.score(values)
        assert abs(1 / (1 + 2.718281828459045**-total) - expected) < 1e-9


def test_a_hand_made_model_decides_as_its_weights_say():
    keep_everything = PeopleModel(("rules",), (0.0,), 10.0, 0.5)
    drop_everything = PeopleModel(("rules",), (0.0,), -10.0, 0.5)
    text = "Laura Carno said the vote was close. Mike Minor agreed."
    assert find_people("", text, model=drop_everything).names == []
    assert sorted(find_people("", text, model=keep_everything).names) == [
        "Laura Carno",
        "Mike Minor",
    ]
    assert find_people("", text, model=RULES_ONLY).names == ["Laura Carno"]


def test_shipped_model_keeps_people_and_drops_titles_of_things():
    names = find_people("A story", BODY).names
    assert "Laura Carno" in names
    assert "Gone Girl" not in names
