"""The shipped subject map: ordinary news gets fitting subjects, ambiguous words need company,
and the map itself stays well-formed (every cue can match, no bare ambiguous stems)."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from sitegen.entities.extract import extract_topics
from sitegen.entities.people import tokenize
from sitegen.entities.topics import _phrase_at, _shipped_index, parse_phrase

NURSES = """Nurses walk out over pay as talks collapse

Hundreds of nurses at the Riverside general hospital went on strike on Tuesday after
talks over pay broke down. By seven in the morning the strikers had gathered at the main
gate with placards, and the picket line grew through the day.

The nurses' union said its members had been offered a pay rise well below inflation.
Hospital managers said emergency care would continue and that planned operations had been
postponed. "Nobody wants a strike," a ward sister said, "but we cannot staff the wards."
"""

MINERS = """Miners trapped after tunnel collapse at copper mine

Rescue teams worked through the night to reach eleven miners trapped underground after
part of a tunnel collapsed at the Karvik copper mine on Sunday. The mining company said
air was being pumped into the shaft and that the miners were in contact with the surface.
Families waited at the pit head as drills cut a second way in."""

DROUGHT = """Farmers count the cost as drought enters its third summer

The reservoirs that feed the valley are at a fifth of their usual level after the driest
spring on record, and the regional water authority has extended its hosepipe ban to the
end of September. Wheat growers say yields will halve. "We have had no real rain since
March," one farmer said, standing in a field of stunted crops."""

TRAMS = """City trams halted for a week as new line is connected

Trams will not run through the city centre from Monday while engineers join the new
eastern line to the existing network, the transport authority said. Replacement buses
will run every six minutes. Commuters have been told to expect longer journeys, and the
authority apologised to passengers for the disruption to public transport."""

FERRY = """Island ferry service cut after second breakdown

The only ferry to Holm Island will sail twice a day instead of five times until its spare
engine is repaired, the operator said. Islanders say the ferry service has broken down
twice this winter, leaving schoolchildren and workers stranded on the mainland. A
replacement vessel has been chartered from a ferry operator in the north."""

MATCH = """Late penalty sends United top of the league

A stoppage-time penalty from striker Leo Varga gave United a 2-1 win over City on
Saturday and sent them top of the Premier League. City's goalkeeper had saved brilliantly
from the same player in the first half, and a midfielder levelled for the visitors just
after the break. "The striker had the nerve," United's manager said after the match."""


def topics(text: str) -> list[str]:
    title, _, body = text.partition("\n\n")
    return extract_topics(title, body)


def test_a_nurses_strike_is_labour_and_health_not_football():
    found = topics(NURSES)
    assert "Football" not in found
    assert found[0] == "Strikes"  # the kicker
    assert "Nursing" in found


@pytest.mark.parametrize(
    ("text", "fitting"),
    [
        (MINERS, {"Mining"}),
        (DROUGHT, {"Drought"}),
        (TRAMS, {"Public transport"}),
        (FERRY, {"Ferries"}),
    ],
    ids=["miners", "drought", "trams", "ferry"],
)
def test_ordinary_news_gets_a_fitting_topic(text, fitting):
    found = topics(text)
    assert found and found[0] in fitting, found


def test_a_football_match_report_is_still_football():
    assert topics(MATCH)[0] == "Football"


def test_an_ambiguous_word_alone_is_no_evidence():
    # "strikers" (workers or forwards?), "coup" never from "couple", "film" as a layer
    assert "Football" not in extract_topics("Pickets", "The strikers met. The strikers left.")
    assert "Coups" not in extract_topics("Home", "A couple of friends and a couple of dogs.")
    body = "A thin film of oil covered the pan. The film of oil smoked."
    assert "Film" not in extract_topics("Kitchen", body)
    assert "Oil and gas" not in extract_topics("Kitchen", body)


def test_one_passing_phrase_in_a_long_article_is_not_its_subject():
    filler = " ".join(["The city council met again on Tuesday to discuss the library."] * 80)
    body = filler + " One speaker mentioned climate change in passing."
    assert extract_topics("Library plans", body) == ["Local government"]
    short = "Ministers met to discuss climate change. They agreed on little."
    assert "Climate change" in extract_topics("Talks", short)


# -- the map itself -------------------------------------------------------------------------

#: Words with a common sense outside the subject they would signal. As a firm cue
#: (no "~"), each one alone would tag an article: "striker*" made a nurses' strike Football.
AMBIGUOUS = {
    "striker",
    "strike",
    "strikes",
    "film",
    "director",
    "oil",
    "crude",
    "trial",
    "judge",
    "court",
    "match",
    "goal",
    "goals",
    "season",
    "players",
    "game",
    "games",
    "race",
    "party",
    "bank",
    "banks",
    "shares",
    "stocks",
    "investors",
    "interest",
    "charge",
    "charged",
    "sentence",
    "cabinet",
    "shot",
    "shooting",
    "fire",
    "club",
    "star",
    "cup",
    "pitch",
    "bug",
    "virus",
    "cell",
    "cells",
    "plant",
    "power",
    "energy",
    "market",
    "exports",
    "imports",
    "summit",
    "ambassador",
    "runoff",
    "landslide",
    "depression",
    "stroke",
    "diet",
    "church",
    "faith",
    "union",
    "unions",
    "pilot",
    "plane",
    "station",
    "track",
    "network",
    "apple",
    "windows",
    "python",
    "chrome",
    "safari",
    "steam",
    "gallery",
    "museum",
    "painting",
    "exhibition",
    "theatre",
    "theater",
    "album",
    "band",
    "novel",
    "author",
    "design",
    "model",
    "models",
    "set",
    "serve",
    "will",
    "estate",
    "settlement",
    "damages",
    "suit",
    "recall",
    "deals",
    "price",
    "code",
    "data",
    "research",
    "study",
    "school",
    "students",
    "teachers",
    "drugs",
    "drug",
    "pills",
    "money",
    "cash",
    "love",
    "home",
    "food",
    "words",
    "word",
    "weather",
    "storm",
    "flood",
    "emissions",
    "climate",
    "troops",
    "offensive",
    "rebels",
    "militant",
    "insurgent",
    "police",
    "officers",
    "arrested",
}


#: Words a prefix cue must not reach: "coup*" matched "couple", "hospital*" "hospitality".
OTHER_SENSES = [
    "couple",
    "hospitality",
    "zoom",
    "protestant",
    "concerted",
    "floodlight",
    "orchestrate",
    "heirloom",
    "gigantic",
    "authority",
    "forestall",
    "tomboy",
    "operate",
    "chartered",
    "planet",
    "stationery",
    "pucker",
    "putty",
    "boutique",
    "lapel",
    "molestiae",
    "general",
    "trolley",
    "rabbit",
    "dressing",
    "wardrobe",
    "startup",
]


def _shipped_subjects() -> dict[str, list[str]]:
    text = resources.files("sitegen.entities").joinpath("data/subjects.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_the_map_covers_a_general_newspaper():
    subjects = _shipped_subjects()
    assert len(subjects) >= 250
    for section in [
        "Strikes",
        "Nursing",
        "Public transport",
        "Mining",
        "Drought",
        "Schools",
        "Murder",
        "Courts",
        "Football",
        "Film",
        "Elections",
        "Inflation",
    ]:
        assert section in subjects


def test_every_subject_has_a_firm_cue():
    for topic, cues in _shipped_subjects().items():
        assert any(not c.startswith("~") for c in cues), f"{topic}: only supporting cues"


def test_no_firm_cue_is_a_bare_ambiguous_word():
    for topic, cues in _shipped_subjects().items():
        for cue in cues:
            if cue.startswith("~") or " " in cue:
                continue
            word = cue.rstrip("*").lower()
            assert word not in AMBIGUOUS, f'{topic}: "{cue}" alone means other things; use "~{cue}"'
            if cue.endswith("*"):
                reached = [w for w in OTHER_SENSES if w.startswith(word)]
                assert not reached, f'{topic}: "{cue}" also matches {reached}'


def test_every_cue_can_match_text_written_as_it_is():
    for topic, cues in _shipped_subjects().items():
        for cue in cues:
            phrase = parse_phrase(topic, cue)
            assert phrase is not None, f"{topic}: {cue!r} does not parse"
            text = cue.lstrip("~").replace("...", "and then").replace("*", "")
            tokens = tokenize(f"Here: {text} here.")
            assert any(_phrase_at(tokens, i, phrase) for i in range(len(tokens))), (topic, cue)


def test_the_map_stays_quick_to_index_and_to_match():
    # Matching cost is the candidates tried per word: a three-letter prefix bucket or an
    # exact word shared by too many cues would slow every article (speed: benchmarks/).
    index = _shipped_index()
    cues = sum(len(v) for v in _shipped_subjects().values())
    assert cues < 6000
    assert max(len(v) for v in index.prefix.values()) <= 40
    assert max(len(v) for v in index.exact.values()) <= 40
