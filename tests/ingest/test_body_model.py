"""The packaged body model: read from package data, evaluated with the standard library,
the same scores every run, and a reason for every line it drops."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import pytest

from sitegen.ingest.body_model import MODEL_FILE, BodyModel, ModelError, body_model
from sitegen.ingest.clean import clean_lines, page_lines, prepare
from sitegen.ingest.features import feature_names, feature_rows, page_context
from tests.conftest import REPO

P1 = (
    "The city council voted on Tuesday to approve a new bridge over the river, ending a "
    "debate that had lasted for more than four years in the town."
)
P2 = (
    "Residents who opposed the plan said they would keep campaigning against the cost, "
    "which they put at twice the first estimate given by the engineers."
)
PAGE = ["Home", "News", "Bridge approved after a long row", "By Jane Roe", P1, P2, "Share this"]


def rows_of(lines: list[str]) -> list[list[float]]:
    return feature_rows(page_context(page_lines(prepare(lines))))


def test_the_model_is_package_data_that_fits_the_features():
    raw = resources.files("sitegen.ingest.data").joinpath(MODEL_FILE).read_text("utf-8")
    data = json.loads(raw)
    assert data["features"] == feature_names()
    assert data["kind"] in ("trees", "linear")
    meta = data["meta"]
    assert len(meta["train_data_sha256"]) == 64
    assert meta["scores_train"] and meta["scores_held"]
    assert len(raw.encode()) < 500_000  # small enough to read at every import
    model = body_model()
    assert model is body_model()  # read once per process
    assert model.names == tuple(feature_names())


def test_a_model_fitted_on_other_features_is_refused():
    data = json.loads(resources.files("sitegen.ingest.data").joinpath(MODEL_FILE).read_text())
    data["features"] = data["features"][:-1]
    with pytest.raises(ModelError, match="other features"):
        BodyModel.from_json(data)


def test_scores_are_the_same_in_every_process():
    """Nothing may depend on the order of a set or a dict of strings (hash seeds vary)."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]);"
        "from tests.ingest.test_body_model import PAGE, rows_of;"
        "from sitegen.ingest.body_model import body_model;"
        "print(json.dumps([round(body_model().log_odds(r), 9) for r in rows_of(PAGE)]))"
    )
    outputs = set()
    for seed in ("1", "2"):
        run = subprocess.run(
            [sys.executable, "-c", code, str(REPO)],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == [round(body_model().log_odds(r), 9) for r in rows_of(PAGE)]


def test_the_story_is_kept_and_the_furniture_dropped_with_reasons():
    cleaned = clean_lines(PAGE)
    assert cleaned.paragraphs == [P1, P2]
    dropped = {d.text: d for d in cleaned.drops}
    assert set(dropped) == {
        "Home",
        "News",
        "Bridge approved after a long row",
        "By Jane Roe",
        "Share this",
    }
    assert all(d.reason for d in dropped.values())
    assert "story" in dropped["Home"].reason  # the model's probability is in the reason


def test_explain_credits_the_features_that_moved_the_score():
    model = body_model()
    row = rows_of(PAGE)[0]  # "Home"
    credits = model.explain(row, top=len(model.names))
    if model.kind == "trees":
        roots = sum(tree[0][4] for tree in model.trees)
        total = model.log_odds(row) - model.base - model.rate * roots
    else:
        total = model.log_odds(row) - model.base
    assert sum(c for _, c in credits) == pytest.approx(total, abs=1e-3)
    top = model.explain(row, top=3)
    assert len(top) == 3 and all(name in model.names for name, _ in top)
    assert abs(top[0][1]) >= abs(top[-1][1])


def test_a_linear_model_is_understood_too():
    names = feature_names()
    data = {
        "kind": "linear",
        "features": names,
        "base": -1.0,
        "mean": [0.0] * len(names),
        "scale": [1.0] * len(names),
        "weights": [1.0 if n == "log_words" else 0.0 for n in names],
    }
    model = BodyModel.from_json(data)
    row = [0.0] * len(names)
    row[names.index("log_words")] = 3.0
    assert model.log_odds(row) == pytest.approx(2.0)
    assert model.explain(row, top=1) == [("log_words", 3.0)]


def test_the_training_script_writes_what_the_import_reads():
    """scripts/train_import.py is the one command the model files come from, body first."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "train_import", REPO / "scripts" / "train_import.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_import"] = module  # its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["train_import"]
    assert list(module.TRAINERS) == ["body", "title"]
    assert module.TRAINERS["body"].__module__ == "train_body"
    assert MODEL_FILE in (REPO / "scripts" / "train_body.py").read_text(encoding="utf-8")
