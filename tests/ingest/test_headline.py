"""The headline ranker (its model file, its determinism) and the title clean-up."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from sitegen.ingest.clean import clean_lines
from sitegen.ingest.headline import (
    FEATURES,
    choose_headline,
    clean_title,
    explain,
    not_a_headline,
    rank_candidates,
    split_title,
    title_model,
)
from sitegen.ingest.linear import LinearModel, TreeModel, load_model
from sitegen.ingest.metadata import dump_context
from sitegen.ingest.pageview import PageView
from tests.ingest.test_clean import P1, P2, P3

PAGE = [
    "The Daily Example",
    "Home",
    "World",
    "Sport",
    "Subscribe to our newsletter",
    "Ferry timetable changes from Monday",
    "Local",
    "Council approves bridge after four-year row",
    "By Jane Roe",
    "March 12, 2024",
    P1,
    P2,
    P3,
    "Share on Facebook",
    "Related stories",
    "Schools get new grants for science labs",
]


def view_of(lines: list[str]) -> PageView:
    return dump_context(clean_lines(lines), lines=lines).view


def test_the_model_file_is_small_plain_data_matching_the_features():
    text = resources.files("sitegen.ingest.data").joinpath("title_model.json").read_text()
    data = json.loads(text)
    assert len(text) < (200_000 if data.get("kind") == "trees" else 20_000)
    assert set(data["features"]) == set(FEATURES)
    if data.get("kind") == "trees":  # the trainer takes trees when they win clearly
        assert data["trees"] and all(n[0] < len(FEATURES) for t in data["trees"] for n in t)
    else:
        assert len(data["weights"]) == len(data["mean"]) == len(data["scale"]) == len(FEATURES)
    assert data["trained_on"]["sha256"] and "held_top1" in data["scores"]
    model = title_model()
    assert model.features == tuple(data["features"])


def test_a_model_wanting_a_feature_the_code_lacks_is_refused(monkeypatch, tmp_path):
    bad = {"features": ["no_such_feature"], "mean": [0], "scale": [1], "weights": [1], "bias": 0}
    model = LinearModel.from_dict("bad", bad)
    assert model.logit({"no_such_feature": 2.0}) == 2.0
    load_model.cache_clear()
    monkeypatch.setattr(
        "sitegen.ingest.linear.resources.files",
        lambda _: type("P", (), {"joinpath": lambda self, n: tmp_path / n})(),
    )
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    with pytest.raises(ValueError, match="no_such_feature"):
        load_model("bad", tuple(FEATURES))
    load_model.cache_clear()


def test_a_tree_model_scores_and_explains_from_named_features():
    # One split on "b" (<= 0.5: leaf -1, else leaf +3); a second tree: a constant 0.5.
    data = {
        "kind": "trees",
        "features": ["a", "b"],
        "base": 0.25,
        "rate": 0.5,
        "trees": [
            [[1, 0.5, 1, 2, 0.0], [-1, 0, -1, -1, -1.0], [-1, 0, -1, -1, 3.0]],
            [[-1, 0, -1, -1, 0.5]],
        ],
        "threshold": 1.0,
    }
    model = TreeModel.from_dict("t", data)
    assert model.logit({"b": 1.0}) == pytest.approx(0.25 + 0.5 * (3.0 + 0.5))
    assert model.logit({}) == pytest.approx(0.25 + 0.5 * (-1.0 + 0.5))
    assert model.contributions({"b": 1.0}) == [("b", pytest.approx(1.5))]
    assert model.threshold == 1.0
    with pytest.raises(ValueError, match="feature the list lacks"):
        TreeModel.from_dict("t", {**data, "features": ["a"]})


def test_ranking_is_deterministic_and_explained():
    view = view_of(PAGE)
    first = rank_candidates(view)
    again = rank_candidates(view_of(list(PAGE)))
    assert [(c.index, round(c.score, 9)) for c in first] == [
        (c.index, round(c.score, 9)) for c in again
    ]
    choice = choose_headline(view)
    assert choice is not None and choice.title == "Council approves bridge after four-year row"
    reasons = explain(view, choice.index)
    assert len(reasons) == len(FEATURES)
    assert sum(value for _, value in reasons) == pytest.approx(
        choice.score - title_model().bias, rel=1e-6, abs=1e-6
    )


def test_headline_without_a_byline_and_with_a_standfirst():
    lines = [
        "Menu",
        "Why the bridge matters to the whole town",
        "A choice between cost and convenience that the council could not avoid any longer.",
        P1,
        P2,
    ]
    assert choose_headline(view_of(lines)).title == "Why the bridge matters to the whole town"


def test_no_headline_line_gives_none():
    assert choose_headline(view_of(["SUBSCRIBE TO OUR NEWSLETTER", P1, P2, P3])) is None


@pytest.mark.parametrize(
    "text",
    [
        "Facebook Twitter LinkedIn",
        "Click to print (Opens in new window)",
        "SUBSCRIBE TO OUR NEWSLETTER",
        "Home > News > Politics",
        "By Jane Roe",
        "Published 11:56 AM ET Tue November 29, 2016",
        "The mayor at the opening. (Photo: Jane Roe/AFP)",
        "Not a member yet? Sign Up, it unlocks many cool features",
        "Related stories:",
    ],
)
def test_plain_non_headlines_are_never_candidates(text):
    assert not_a_headline(text)


@pytest.mark.parametrize(
    "text",
    [
        "Facebook Is Tracking Me Even Though I'm Not on Facebook",
        "Breaking: Houston hires Major Applewhite as head coach",
        "What's the Hold-Up at SpaceX?",
    ],
)
def test_headlines_that_look_a_little_like_widgets_stay_candidates(text):
    assert not_a_headline(text) is None


@pytest.mark.parametrize(
    ("raw", "outlet", "clean"),
    [
        (
            "Bridge approved after long row | The Example Post",
            None,
            "Bridge approved after long row",
        ),
        (
            "Bridge approved after long row - The Example Post",
            "The Example Post",
            "Bridge approved after long row",
        ),
        (
            "The Example Post: Bridge approved after long row",
            "The Example Post",
            "Bridge approved after long row",
        ),
        ("Bridge approved after long row — example.org", None, "Bridge approved after long row"),
        (
            "Bridge approved after long row | Local | The Example Post",
            "The Example Post",
            "Bridge approved after long row",
        ),
        ("Home > News > Bridge approved after long row", None, "Bridge approved after long row"),
        ("Home » Bridge approved after long row", None, "Bridge approved after long row"),
        # a dash inside a headline is the headline's own when nothing says it is a site
        ("Minecraft 1.8 - The Bountiful Update", None, "Minecraft 1.8 - The Bountiful Update"),
        (
            "Breaking: Houston hires Major Applewhite",
            None,
            "Breaking: Houston hires Major Applewhite",
        ),
    ],
)
def test_title_clean_up(raw, outlet, clean):
    assert clean_title(raw, outlet) == clean


def test_a_kicker_goes_when_the_page_shows_it_as_a_label_beside_the_headline():
    lines = ["Science", "Genetik", "Genetik: Das Geheimnis der parasitischen Riesenblumen", P1, P2]
    view = view_of(lines)
    index = view.lines.index(lines[2])
    assert (
        clean_title(lines[2], None, view, index) == "Das Geheimnis der parasitischen Riesenblumen"
    )
    assert clean_title(lines[2]) == lines[2]  # without the page, nothing says it is a label


def test_the_site_name_removed_is_reported():
    assert split_title("Bridge approved after long row | The Example Post") == (
        "Bridge approved after long row",
        ["The Example Post"],
    )


def test_the_bad_titles_of_before_lose_to_the_headline():
    lines = [
        "Dow Jones Newswires",
        "Special Offer",
        "One Month for Only $1",
        "Facebook Twitter LinkedIn",
        "Click to print (Opens in new window)",
        "Council approves bridge after four-year row",
        "By Jane Roe",
        "Dec 9, 2016",
        "132 with 73 posters participating",
        P1,
        P2,
        P3,
    ]
    assert choose_headline(view_of(lines)).title == "Council approves bridge after four-year row"
