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


# -- evidence by position and kind (issue 17, second pass) --------------------------------

FILLER = (
    "The shop on the corner opened early and closed late, as it had for years. "
    "Customers came in for bread, milk and the morning paper, and most stayed to talk. "
    "The owner said the winter had been long but the regulars kept coming back. "
    "On the shelves, jars of jam stood next to tins of soup and packets of tea. "
)


def _story(lead: str, middle: str = "", paragraphs: int = 4) -> str:
    """A story of about 60 words a paragraph: the lead, filler, `middle`, more filler."""
    half = paragraphs // 2
    return "\n\n".join([lead] + [FILLER] * half + ([middle] if middle else []) + [FILLER] * half)


def test_a_place_named_once_in_passing_is_not_a_topic():
    lead = "A family shop in Leeds has sold bread for a hundred years, and the village loves it."
    passing = "The owner's cousin once drove a lorry across Texas."
    topics = extract_topics("The corner shop", _story(lead, passing))
    assert "Texas" not in topics
    named_in_lead = "A family shop in Texas has sold bread for a hundred years, its owner said."
    assert "Texas" in extract_topics("The corner shop", _story(named_in_lead))
    twice = passing + " Texas, he said, was bigger than he had thought."
    assert "Texas" in extract_topics("The corner shop", _story(lead, twice))
    # a brief names little, and what it names counts
    assert extract_topics("Visit", "The mayor flew to Texas on Monday for talks.") == ["Texas"]


def test_names_on_list_lines_weigh_little():
    menu = "Editions:\nAsia\nChina\nFrance\nGermany\nUnited Kingdom\n\n"
    body = menu + "The new pocket computer runs Linux and Android, its maker said on Monday."
    topics = extract_topics("A pocket computer", body)
    assert not {"Asia", "China", "France", "Germany", "United Kingdom"} & set(topics)
    form = "Why did you hide this ad?\n- Misleading\n- Misinformation\n- Repetitive\n- Other\n"
    assert "Disinformation" not in extract_topics("Holiday outfits", _story("Coats.", form))


def test_a_cue_inside_a_longer_cue_and_one_sentence_count_once():
    lead = "A bakery in Texas won a prize for its rye bread, the first in Texas to do so."
    aside = "Her uncle once sat on the board of a general election watchdog."
    # longer than a brief (in a brief, what is named counts)
    assert "Texas" in extract_topics("Rye bread", _story(lead, aside, 6))
    assert "Elections" not in extract_topics("Rye bread", _story(lead, aside, 6))
    one_sentence = "A former Supreme Court justice and a former Supreme Court clerk came in."
    assert "Supreme courts" not in extract_topics("Rye bread", _story(lead, one_sentence, 6))
    two = one_sentence + " The Supreme Court will hear the case next year, they said."
    assert "Supreme courts" in extract_topics("Rye bread", _story(lead, two, 6))


def test_an_introduced_name_is_an_organisation_only_with_an_organisation_word():
    body = (
        "The team built the Async Task Framework (ATF) to run jobs later. ATF runs jobs. "
        "Staff at the Free Software Foundation (FSF) disagreed, and the FSF said so."
    )
    topics = extract_topics("Jobs", body)
    assert "Free Software Foundation" in topics
    assert "Async Task Framework" not in topics


def test_names_with_an_apostrophe_and_names_of_a_place():
    body = "The People's Liberation Army held drills. The People’s Liberation Army said so."
    assert "People's Liberation Army" in extract_topics("Drills", body)
    body = "Shares of Bank of America rose, and the Acoustical Society of America met."
    assert "United States" not in extract_topics("Shares", body)


def test_a_demonym_says_less_than_the_name():
    lead = "A bakery in Leeds won a prize for its rye bread, its owner said on Friday."
    tourists = "An American tourist bought a loaf. Another American tourist bought two."
    assert "United States" not in extract_topics("Rye bread", _story(lead, tourists))
    named = "A tourist from the United States bought a loaf. The United States, he said, has none."
    assert "United States" in extract_topics("Rye bread", _story(lead, named))


def test_a_social_network_is_mostly_where_something_was_posted():
    lead = "A bakery in Texas won a prize for its rye bread, the first in Texas to do so."
    posted = "Her daughter shared the news with Facebook friends. Facebook users loved it."
    topics = extract_topics("Rye bread", _story(lead, posted))
    assert "Texas" in topics and "Meta" not in topics
    about = (
        "Facebook will pay a fine, regulators said. Facebook had shared data without consent, "
        "and Facebook must now change how Facebook stores it."
    )
    assert "Meta" in extract_topics("Facebook fined", _story(about))


def test_a_long_article_needs_more_evidence_for_a_subject():
    from sitegen.entities.topics import subject_threshold

    assert subject_threshold(300) == 2
    assert subject_threshold(1200) < subject_threshold(4000) < subject_threshold(8000)


def test_supporting_cues_alone_can_give_an_article_its_only_topic():
    lead = "Fans have waited years to see the original cuts of the first three films again."
    middle = (
        "The films were changed for later releases. Collectors kept old copies of the films. "
        "Restored films may return to the screens where the films first played."
    )
    assert extract_topics("Old cuts", _story(lead, middle)) == ["Film"]
    # beside a real topic they add nothing
    firm = "A bakery in Texas won a prize for its rye bread, the first in Texas to do so."
    assert extract_topics("Old cuts", _story(firm, middle)) == ["Texas"]
