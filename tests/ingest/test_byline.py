"""Bylines: people from byline lines and author fields, and which line is the byline."""

from __future__ import annotations

import pytest

from sitegen.ingest.byline import clean_author_field, find_byline, parse_byline
from sitegen.ingest.clean import clean_lines
from sitegen.ingest.metadata import dump_context
from tests.ingest.test_clean import P1, P2, P3


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By José Álvarez", ["José Álvarez"]),
        ("By Stephen Collinson, CNN", ["Stephen Collinson"]),
        ("Stephen Collinson and Jane Doe", ["Stephen Collinson", "Jane Doe"]),
        (
            "By Marc Santora, William K. Rashbaum, Al Baker and Adam Goldman",
            ["Marc Santora", "William K. Rashbaum", "Al Baker", "Adam Goldman"],
        ),
        ("Por María Fernández y Pablo Ruiz", ["María Fernández", "Pablo Ruiz"]),
        ("Von Anna Müller und Jan Novák", ["Anna Müller", "Jan Novák"]),
        ("Par Cécile Ducourtieux (Bruxelles, bureau européen)", ["Cécile Ducourtieux"]),
        (
            "By JOSH HASKELL, DAVID CAPLAN and PATRICK REEVELL",
            ["Josh Haskell", "David Caplan", "Patrick Reevell"],
        ),
        ("By Howard BlumeStaff Writer", ["Howard Blume"]),
        ("ByTravis Haney Dec 9, 2016", ["Travis Haney"]),
        ("Paul WisemanFatima Hussein, The Associated Press", ["Paul Wiseman", "Fatima Hussein"]),
        ("Sam Stein Senior Politics Editor, The Huffington Post", ["Sam Stein"]),
        ("by April Glaser@aprilaser Dec 15, 2016, 1:55pm EST", ["April Glaser"]),
        ("December 19, 2016 by Maggie Winterfeldt", ["Maggie Winterfeldt"]),
        ("Pete Evans · CBC News · Posted: Oct 14, 2022 9:27 AM ET", ["Pete Evans"]),
        (
            "Written by Michael Larabel in Valve on 1 June 2019 at 08:34 PM EDT.",
            ["Michael Larabel"],
        ),
        ("Will Leitch/November 18, 2016", ["Will Leitch"]),
    ],
)
def test_byline_lines(line, names):
    assert parse_byline(line) == names


def test_the_outlet_is_not_an_author():
    assert parse_byline("By Jane Roe and Harbor Ledger", outlet="Harbor Ledger") == ["Jane Roe"]


@pytest.mark.parametrize(
    "line",
    [
        "Image by Getty Images",
        "Breaking News",
        "See full bio",
        "Shares of the company fell by 5 percent",
        "Published 11:56 AM ET Tue November 29, 2016",
    ],
)
def test_lines_that_name_nobody(line):
    assert parse_byline(line) == [] or clean_author_field(line) == []


def test_author_fields_of_formats():
    assert clean_author_field("Jane Roe") == ["Jane Roe"]
    assert clean_author_field(["Jane Roe", {"name": "John Smith"}]) == ["Jane Roe", "John Smith"]
    assert clean_author_field("By Jane Roe and John Smith") == ["Jane Roe", "John Smith"]
    assert clean_author_field("https://www.facebook.com/janeroe") == []


def view_of(lines):
    return dump_context(clean_lines(lines), lines=lines).view


def test_the_byline_under_the_headline_not_another_storys():
    story = [P1, P2, P3, "Related stories", "Schools get new grants for labs", "By John Smith"]
    headline = "Council approves bridge after four-year row"
    with_byline = view_of([headline, "By Jane Roe", "March 12, 2024", *story])
    names, how = find_byline(with_byline, 0)
    assert names == ["Jane Roe"] and how == "byline line 2"
    without = view_of([headline, "March 12, 2024", *story])
    assert find_byline(without, 0)[0] == []  # the teaser's byline is not this story's
    assert find_byline(without, None) == ([], "no headline to look under")


def test_a_bare_name_right_under_the_headline_is_the_byline():
    lines = ["Council approves bridge after four-year row", "Stephen Collinson", P1, P2, P3]
    assert find_byline(view_of(lines), 0)[0] == ["Stephen Collinson"]


def test_a_photo_credit_is_not_a_byline():
    lines = ["Council approves bridge after four-year row", "Grigory Dukor Reuters", P1, P2, P3]
    assert find_byline(view_of(lines), 0)[0] == []


def test_the_byline_under_the_copy_of_the_headline_that_heads_the_story():
    """A "latest" list shows the headline first; the byline and date are under its copy
    above the story (engadget, pitchfork in the corpus)."""
    from sitegen.ingest.metadata import find_metadata

    headline = "Council approves bridge after four-year row"
    teasers = [f"Teaser story number {n} about the weather" for n in range(1, 25)]
    lines = [
        "Menu",
        headline,
        *teasers[:12],
        headline,
        *teasers[12:],
        "Image credit: Jo Bloggs",
        headline,
        "By Jane Roe",
        "March 12, 2024",
        P1,
        P2,
        P3,
    ]
    cleaned = clean_lines(lines)
    meta = find_metadata(cleaned, lines=lines, given_title=None)
    assert meta.authors == ["Jane Roe"]
    assert str(meta.date)[:10] == "2024-03-12"
    from sitegen.ingest.metadata import headline_copies

    view = dump_context(cleaned, lines=lines).view
    first = view.lines.index(headline)
    copies = headline_copies(view, first)
    assert copies[0] == first and len(copies) == 3 and copies[1] > copies[2]
    assert [view.lines[i] for i in copies] == [headline] * 3
