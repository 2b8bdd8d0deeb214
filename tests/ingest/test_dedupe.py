"""MinHash signatures: copies match, edited and truncated copies match, other stories do not."""

from __future__ import annotations

from sitegen.ingest.dedupe import (
    Signature,
    band_keys,
    containment,
    is_near_duplicate,
    jaccard,
    signature,
)
from tests.ingest.test_clean import P1, P2, P3

STORY = " ".join([P1, P2, P3] * 2) + " " + P1.replace("council", "assembly")
OTHER = (
    "Floodwater rose overnight in the valley towns, forcing hundreds of families to leave "
    "their homes as rescue crews in boats searched streets for people trapped upstairs. "
) * 3


def test_identical_bodies_are_duplicates_and_share_every_band():
    a, b = signature(STORY), signature(STORY)
    assert jaccard(a, b) == 1.0 and band_keys(a) == band_keys(b)
    assert is_near_duplicate(a, b)[0]


def test_lightly_edited_copy_is_a_near_duplicate():
    edited = STORY.replace("Tuesday", "Wednesday").replace("engineers", "surveyors")
    a, b = signature(STORY), signature(edited)
    assert is_near_duplicate(a, b)[0]
    assert set(band_keys(a)) & set(band_keys(b))


def test_truncated_copy_counts_by_containment():
    long_story = " ".join(f"{P1} Paragraph {i} adds detail about the plan." for i in range(8))
    short_copy = long_story[: len(long_story) // 2]
    a, b = signature(long_story), signature(short_copy)
    assert containment(a, b) > 0.8
    assert is_near_duplicate(a, b)[0]


def test_different_stories_are_not_duplicates():
    assert not is_near_duplicate(signature(STORY), signature(OTHER))[0]


def test_signature_round_trips_through_bytes():
    sig = signature(STORY)
    assert Signature.from_bytes(sig.to_bytes()) == sig
