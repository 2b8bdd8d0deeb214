"""The build state (sitegen/site/state.py): saved and loaded intact, anything unreadable
is a clean start, and each digest covers exactly what its pages can show."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

import pytest

from sitegen.model import Article, Problem
from sitegen.site.state import (
    STATE_VERSION,
    BuildState,
    CachedFile,
    article_digest,
    listing_digest,
    load_state,
    moves_in_lists,
    placing_digest,
    save_state,
    state_path,
    strip_body,
)

ARTICLE = Article(
    path="2024/a.md",
    title="Harbour strike",
    body="The body.",
    body_sha="b1",
    date=dt.datetime(2024, 3, 1),
    source="Ledger",
    url="https://example.org/a",
    people=["Ann Lee"],
    topics=["Strike"],
    slug="harbour-strike",
    summary="The body.",
    extra={"kicker": "Port"},
)


def a_state() -> BuildState:
    return BuildState(
        output_dir="/site/build",
        files={
            "2024/a.md": CachedFile(1, 2, strip_body(ARTICLE), None, "d", "l", "p"),
            "bad.md": CachedFile(3, 4, None, Problem("content/bad.md", "no title", 2)),
        },
        outputs={"2024/03/harbour-strike/index.html": "sig"},
        families={("article", "2024/a.md"): ["2024/03/harbour-strike/index.html"]},
        pages={"2024/03/harbour-strike/index.html"},
        related={"2024/a.md": []},
        plan_digest="pd",
        search_meta="search/meta.json",
        search_files=[("search/meta.json", "/cache/meta.json")],
    )


def test_a_saved_state_loads_back_equal(tmp_path):
    state = a_state()
    save_state(tmp_path / "cache", state)  # makes the folder
    assert load_state(tmp_path / "cache") == state


def test_no_saved_state_is_an_empty_one(tmp_path):
    assert load_state(tmp_path) == BuildState()


@pytest.mark.parametrize(
    "data",
    [
        b"not a pickle at all",
        pickle.dumps(BuildState(plan_digest="x"))[:20],  # cut short by a crash
        pickle.dumps({"files": {}}),  # a pickle, but not a state
        b"",
    ],
    ids=["garbage", "truncated", "not-a-state", "empty"],
)
def test_an_unreadable_state_is_an_empty_one(tmp_path, data):
    state_path(tmp_path).write_bytes(data)
    assert load_state(tmp_path) == BuildState()


def test_a_state_of_another_version_is_an_empty_one(tmp_path):
    old = a_state()
    old.version = STATE_VERSION - 1
    state_path(tmp_path).write_bytes(pickle.dumps(old))
    assert load_state(tmp_path) == BuildState()
    save_state(tmp_path, a_state())  # the next save replaces it
    assert load_state(tmp_path).plan_digest == "pd"


def corrupted_pickles() -> list[bytes]:
    good = pickle.dumps(BuildState(output_dir="/site/build"), protocol=pickle.HIGHEST_PROTOCOL)
    assert good.count(b"/site/build") == 1
    return [
        good.replace(b"/site/build", b"/site/buil\xff"),  # a flipped byte in a string
        b"\x80\x09" + good[2:],  # a protocol this Python cannot read
    ]


@pytest.mark.parametrize("data", corrupted_pickles(), ids=["bad-utf8", "unknown-protocol"])
def test_a_damaged_state_is_an_empty_one(tmp_path, data):
    state_path(tmp_path).write_bytes(data)
    assert load_state(tmp_path) == BuildState()


LISTED = {
    "title": "Other",
    "date": dt.datetime(2024, 3, 2),
    "date_has_time": True,
    "source": "Courier",
    "url": "https://example.org/b",
    "summary": "Other summary.",
    "slug": "other",
    "people": ["Bo Chen"],
    "topics": ["Budget"],
    "extra": {"kicker": "City"},
}
PLACING = {"date", "slug", "people", "topics", "source"}
BODY_ONLY = {"body": "Another body.", "body_loaded": False}


@pytest.mark.parametrize("name", sorted(LISTED))
def test_the_listing_digest_covers_every_listed_field(name):
    edited = dataclasses.replace(ARTICLE, **{name: LISTED[name]})
    assert listing_digest(edited) != listing_digest(ARTICLE)
    assert article_digest(edited) != article_digest(ARTICLE)


@pytest.mark.parametrize("name", sorted(LISTED))
def test_the_placing_digest_covers_only_what_decides_the_lists(name):
    edited = dataclasses.replace(ARTICLE, **{name: LISTED[name]})
    moved = placing_digest(edited) != placing_digest(ARTICLE)
    assert moved == (name in PLACING)
    assert moves_in_lists(ARTICLE, edited) == (name in PLACING)


@pytest.mark.parametrize("name", sorted(BODY_ONLY))
def test_digests_ignore_the_body_text_itself(name):
    """The body is dropped from cached articles: only body_sha may stand for it."""
    edited = dataclasses.replace(ARTICLE, **{name: BODY_ONLY[name]})
    assert listing_digest(edited) == listing_digest(ARTICLE)
    assert article_digest(edited) == article_digest(ARTICLE)
    assert placing_digest(edited) == placing_digest(ARTICLE)


def test_a_body_edit_changes_the_article_digest_only():
    edited = dataclasses.replace(ARTICLE, body="New.", body_sha="b2")
    assert article_digest(edited) != article_digest(ARTICLE)
    assert listing_digest(edited) == listing_digest(ARTICLE)
    assert placing_digest(edited) == placing_digest(ARTICLE)
    listing = listing_digest(edited)
    assert article_digest(edited, listing) == article_digest(edited)


def test_extra_fields_digest_the_same_in_any_order():
    one = dataclasses.replace(ARTICLE, extra={"a": 1, "b": 2})
    other = dataclasses.replace(ARTICLE, extra={"b": 2, "a": 1})
    assert listing_digest(one) == listing_digest(other)


def test_an_article_that_comes_or_goes_always_moves():
    assert moves_in_lists(None, ARTICLE) and moves_in_lists(ARTICLE, None)
    assert not moves_in_lists(ARTICLE, dataclasses.replace(ARTICLE, title="T"))


def test_strip_body_copies_without_the_body():
    stripped = strip_body(ARTICLE)
    assert stripped.body == "" and not stripped.body_loaded
    assert ARTICLE.body == "The body." and ARTICLE.body_loaded  # the original is untouched
    assert stripped.body_sha == ARTICLE.body_sha
    assert listing_digest(stripped) == listing_digest(ARTICLE)
