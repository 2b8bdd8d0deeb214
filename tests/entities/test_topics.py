"""Topics: normalised places and organisations, curated subjects, ranking and limits."""

from __future__ import annotations

from collections import Counter

from sitegen.entities.extract import EntitySettings, extract_topics, topic_candidates
from sitegen.entities.topics import TopicStats, rank_topics


def test_places_are_normalised():
    body = (
        "Russian officials met U.S. diplomats in Moscow. Russia and the United States "
        "disagreed, a Nato official said. The US and Russia will meet again."
    )
    topics = extract_topics("Talks", body)
    assert "Russia" in topics and "United States" in topics and "NATO" in topics
    assert "Russian" not in topics and "U.S." not in topics


def test_names_of_people_and_other_things_do_not_make_places():
    body = (
        "Defence Minister Israel Katz spoke. Shares of Union Pacific rose. "
        "Real Madrid won. Katz said Real Madrid played well. Katz left."
    )
    topics = extract_topics("Markets", body)
    assert "Israel" not in topics and "Pacific" not in topics and "Madrid" not in topics


def test_subjects_need_real_evidence():
    one_word = "The band played a concert downtown. Officials met in Paris and Paris again."
    assert "Music" not in extract_topics("Paris", one_word)
    specific = "The US imposed sanctions over election interference. Sanctions followed."
    topics = extract_topics("Sanctions", specific)
    assert "Election interference" in topics and "Sanctions" in topics


def test_site_subjects_extend_the_shipped_map():
    settings = EntitySettings(subjects={"Beekeeping": ["beehive*", "honey bee*"]})
    body = "Honey bees returned to the beehives after the frost, keepers said."
    assert "Beekeeping" in extract_topics("Spring", body, settings)
    assert "Beekeeping" not in extract_topics("Spring", body)


def test_introduced_organisations_become_topics():
    body = (
        "A lawsuit against the National Rifle Association (NRA) went ahead. "
        "The NRA said it would appeal, and the NRA board met."
    )
    assert "National Rifle Association" in extract_topics("Lawsuit", body)


def test_between_one_and_the_limit_and_no_junk():
    body = "Nothing much happened in the small town today, said a shopkeeper."
    weak = "A Mexican chef cooked."
    assert extract_topics("Quiet day", body) == []
    assert extract_topics("Dinner", weak) == ["Mexico"]  # a weak topic beats none
    long = " ".join(
        f"{c} and {c} met."
        for c in [
            "Russia",
            "Ukraine",
            "France",
            "Germany",
            "Spain",
            "Italy",
            "Poland",
            "Japan",
            "China",
            "India",
        ]
    )
    topics = extract_topics("Everyone", long)
    assert 1 <= len(topics) <= 8
    for topic in topics:
        assert topic[0].isupper() and topic.lower() not in {"the", "and", "said", "met"}
    assert len(extract_topics("Everyone", long, EntitySettings(max_topics=3))) == 3


def test_idf_prefers_what_is_rare_in_a_large_archive():
    stats = TopicStats(10_000, {"United States": 9_000, "Syria": 50})
    candidates = Counter({"United States": 3.0, "Syria": 2.0})
    assert rank_topics(candidates, stats)[0] == "Syria"
    assert rank_topics(candidates, None)[0] == "United States"


def test_candidates_feed_stats():
    first = topic_candidates("A", "Russia and Russia again.")
    second = topic_candidates("B", "Ukraine, then Russia.")
    stats = TopicStats.from_candidates([first, second])
    assert (
        stats.documents == 2 and stats.frequency["Russia"] == 2 and stats.frequency["Ukraine"] == 1
    )
