"""What ../shared/seeds/EXPECTED.md says a correct import of each seed keeps and drops."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sitegen.ingest.clean import clean_lines
from sitegen.ingest.metadata import Metadata, find_metadata
from sitegen.ingest.readers import RawDocument, read_file
from sitegen.ingest.text import sentence_key, sentences
from tests.ingest.conftest import SEED_NAMES


def imported(seeds: Path, key: str) -> tuple[list[str], Metadata, list[str]]:
    """(body paragraphs, metadata, raw lines) of one seed."""
    (doc,) = list(read_file(seeds / SEED_NAMES[key]))
    assert isinstance(doc, RawDocument)
    cleaned = clean_lines(doc.lines)
    return cleaned.paragraphs, find_metadata(cleaned, lines=doc.lines), doc.lines


def raw_lines(lines: list[str], numbers: list[int]) -> list[str]:
    return [lines[n - 1] for n in numbers]


def assert_each_once(body: list[str], expected: list[str]) -> None:
    text = "\n".join(body)
    for paragraph in expected:
        assert text.count(paragraph) == 1, f"not exactly once: {paragraph[:60]!r}"


def assert_no_sentence_twice(body: list[str]) -> None:
    counts = Counter(sentence_key(s) for p in body for s in sentences(p) if len(s.split()) >= 5)
    assert [k for k, n in counts.items() if n > 1] == []


def test_000_common_dreams(seeds):
    body, meta, lines = imported(seeds, "000")
    assert_each_once(body, raw_lines(lines, list(range(9, 16))))
    assert len(body) == 7
    assert body[0].startswith("Though it occured before last month's")
    assert body[-1].endswith('We have nothing further to add at this time."')
    assert meta.title_derived
    assert meta.title and "SUBSCRIBE" not in meta.title and "newsletter" not in meta.title.lower()
    assert "Kremlin" in meta.title
    assert meta.source == "Common Dreams"
    text = "\n".join(body)
    for gone in ("NEWSLETTER", "#000000", "#FFFFFF", "donate", "attacks on democracy", "(Photo:"):
        assert gone not in text
    assert "5" not in body
    assert_no_sentence_twice(body)


def test_001_alternet(seeds):
    body, meta, lines = imported(seeds, "001")
    assert meta.title == (
        "Trump Invited Vladimir Putin to the White House, Fueling Speculation About "
        "Relationship with Russia"
    )
    assert not meta.title_derived
    assert_each_once(body, raw_lines(lines, [3, 5, 7, 9, 11, 13]))
    assert len(body) == 6
    text = "\n".join(body)
    for gone in (
        "Enjoy this piece?",
        "small request",
        "alternet logo",
        "Tough Times",
        "Demand honest news",
    ):
        assert gone not in text
    assert meta.source == "AlterNet"


def test_002_fiscal_times_unnamed(seeds):
    body, meta, lines = imported(seeds, "002")
    assert meta.title == "Putin and Trump Plan to Meet Face-to-Face Soon"
    assert meta.source is None  # Sputnik News is quoted, not the publisher
    assert_each_once(body, raw_lines(lines, [7, 9, 13, 15, 17, 19, 23, 25, 27]))
    assert body[0].startswith("Russian state-run media on Monday reported")
    assert body[-1].endswith("channels we will be using for those purposes.”")
    text = "\n".join(body)
    assert "Related:" not in text and "Policy + Politics" not in text
    assert meta.title not in text


def test_003_al_jazeera_related_stories_absent(seeds):
    body, meta, lines = imported(seeds, "003")
    assert meta.title == "Donald Trump and Vladimir Putin to meet in coming days, Kremlin aide says"
    assert meta.source == "Al Jazeera"
    assert meta.date is None  # "a day ago" and no reference time
    assert_each_once(body, raw_lines(lines, list(range(7, 18))))
    assert body[-1].endswith("ongoing purchases of Russian oil.")
    text = "\n".join(body)
    for gone in (
        "logo",
        "Orange background",
        "Try Our AI Features",
        "No comments yet",
        "Related Articles",
    ):
        assert gone not in text
    for other_story in (
        "Letitia James",
        "Sheinbaum",
        "Rubio",
        "Abbe Lowell",
        "cartels",
        "subpoena",
    ):
        assert other_story not in text
    assert_no_sentence_twice(body)


def test_003_relative_date_needs_a_reference(seeds):
    import datetime as dt

    (doc,) = list(read_file(seeds / SEED_NAMES["003"]))
    meta = find_metadata(
        clean_lines(doc.lines), lines=doc.lines, reference=dt.datetime(2025, 8, 8, 12, 0)
    )
    assert meta.date == dt.date(2025, 8, 7)


def test_004_teasers_and_credits(seeds):
    body, meta, lines = imported(seeds, "004")
    assert meta.title == "WH: Trump 'Open To Visiting Moscow' Upon Putin's 'Formal Invitation'"
    text = "\n".join(body)
    for gone in ("Trump soccer ball", "Grigory Dukor Reuters", "Latest News"):
        assert gone not in text
    # EXPECTED.md: the inserted teasers "are not part of the story; dropping them is
    # better, keeping them is tolerated". The body model keeps them (a headline and a
    # paragraph inside the text, nothing saying they are another story's), so only that
    # they stand once is checked here.
    assert text.count("Migrant families") <= 1 and text.count("Dana Sabraw") <= 1
    assert_each_once(body, raw_lines(lines, [7, 9, 11, 13, 17, 22, 24, 26, 28, 30]))


@pytest.mark.parametrize("key", sorted(SEED_NAMES))
def test_no_title_line_in_body(seeds, key):
    body, meta, _ = imported(seeds, key)
    assert meta.title not in body
    assert_no_sentence_twice(body)
