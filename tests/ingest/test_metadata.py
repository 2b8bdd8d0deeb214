"""Title, source and date from the lines around the story."""

from __future__ import annotations

import datetime as dt

from sitegen.ingest.clean import clean_lines
from sitegen.ingest.metadata import derive_title, find_metadata, parse_absolute_date
from tests.ingest.test_clean import P1, P2, P3


def meta_of(lines, **kwargs):
    return find_metadata(clean_lines(lines), **kwargs)


def test_headline_nearest_the_story_wins_over_site_name_and_lists():
    lines = [
        "The Daily Example",
        "Trending",
        "Ferry times change",
        "Schools get new grants",
        "Storm warning for the islands",
        "Council approves bridge after four-year row",
        "By Jane Roe",
        P1,
        P2,
    ]
    meta = meta_of(lines)
    assert meta.title == "Council approves bridge after four-year row"
    assert not meta.title_derived


def test_repeated_headline_is_the_title_once():
    meta = meta_of(
        ["Bridge plan approved at last", "Local", "Bridge plan approved at last", P1, P2]
    )
    assert meta.title == "Bridge plan approved at last"


def test_headline_above_its_standfirst():
    lines = ["Why the bridge matters to us all", "A choice, not a necessity for the town", P1, P2]
    assert meta_of(lines).title == "Why the bridge matters to us all"


def test_no_headline_gives_a_derived_title_from_the_main_clause():
    lines = ["SUBSCRIBE TO OUR NEWSLETTER", P1, P2, P3]
    meta = meta_of(lines)
    assert meta.title_derived
    assert meta.title.startswith("The city council voted on Tuesday to approve a new bridge")
    assert "SUBSCRIBE" not in meta.title


def test_derived_title_skips_a_leading_subordinate_clause():
    title = derive_title(["Though it rained all day, the festival drew a record crowd of 20,000."])
    assert title == "The festival drew a record crowd of 20,000"


def test_source_from_a_byline_glued_to_a_relative_date():
    meta = meta_of(["Bridge plan approved", "Example Newsa day ago", P1, P2])
    assert meta.source == "Example News"
    assert meta.date is None
    dated = meta_of(
        ["Bridge plan approved", "Example Newsa day ago", P1, P2],
        reference=dt.datetime(2024, 3, 10, 9, 0),
    )
    assert dated.date == dt.date(2024, 3, 9)


def test_source_from_copyright_and_from_self_reference():
    assert meta_of([P1, P2, "© 2024 Millbrook Evening Post. All rights reserved."]).source == (
        "Millbrook Evening Post"
    )
    appeal = (
        "Every contribution helps. Support Riverwatch and our mission to keep you informed, "
        "because Riverwatch relies on readers like you."
    )
    assert meta_of([P1, P2, appeal, "riverwatch logo"]).source == "Riverwatch"


def test_outlet_quoted_in_the_story_is_not_the_source():
    quoted = P1 + " The news agency Sputnik News reported the vote first."
    assert meta_of(["Bridge plan approved", quoted, P2]).source is None


def test_absolute_dates_in_datelines():
    assert meta_of(["Bridge plan approved", "Published 12 March 2024, 18:40", P1, P2]).date == (
        dt.date(2024, 3, 12)
    )
    assert parse_absolute_date("Updated: June 3, 2024 7:15 AM") == dt.date(2024, 6, 3)
    assert parse_absolute_date("2024-06-03T07:15:00Z") == dt.datetime(
        2024, 6, 3, 7, 15, tzinfo=dt.UTC
    )
    assert parse_absolute_date("03/04/2024") is None  # day and month cannot be told apart
    assert parse_absolute_date("31/12/2023") == dt.date(2023, 12, 31)


def test_a_date_inside_a_caption_or_the_story_is_not_the_article_date():
    caption = "The mayor at the opening on Nov. 11, 2017. (Photo: Jane Roe/AFP)"
    assert (
        meta_of(["Bridge plan approved", caption, P1, P2 + " It opened on May 2, 2019."]).date
        is None
    )


def test_supplied_fields_win():
    meta = meta_of(
        [P1, P2], given_title="Given", given_source="www.example.org", given_date="2024-01-02"
    )
    assert (meta.title, meta.source, meta.date) == ("Given", "example.org", dt.date(2024, 1, 2))


# Found by tests/test_fuzz.py: each crashed find_metadata.


def test_a_repeated_line_above_every_headline_starts_no_run():
    meta = meta_of(["Menu", "Menu", "Council approves new bridge after four-year row", P1, P2])
    assert meta.title == "Council approves new bridge after four-year row"


def test_a_relative_date_beyond_the_calendar_is_unknown():
    story = [P1, P2, P3]
    for line, reference in [
        ("Published 5000 years ago", dt.datetime(2024, 5, 31)),
        ("Published " + "9" * 5000 + " days ago", dt.datetime(2024, 5, 31)),
        ("Published yesterday", dt.datetime.min),
        ("Published 3 days ago", dt.datetime(1, 1, 2, tzinfo=dt.UTC)),
    ]:
        meta = meta_of([line, *story], reference=reference)
        assert meta.date is None, line
    assert meta_of(["Published 3 days ago", *story], reference=dt.datetime(2024, 5, 31)).date == (
        dt.date(2024, 5, 28)
    )


def test_legal_names_lose_their_legal_form():
    from sitegen.ingest.metadata import strip_legal_name

    assert strip_legal_name("Harbor Ledger Media Ltd") == "Harbor Ledger"
    assert strip_legal_name("Harbor Ledger Ltd.") == "Harbor Ledger"
    assert strip_legal_name("Example Verlag GmbH") == "Example Verlag"
    assert strip_legal_name("Vox Media, Inc.") == "Vox"
    assert strip_legal_name("The New York Times Company") == "The New York Times"
    assert strip_legal_name("Guardian News & Media Limited or its affiliated companies") == (
        "Guardian"
    )
    assert strip_legal_name("Harbor Ledger") == "Harbor Ledger"
    assert strip_legal_name("Media Group Ltd") == "Media Group"  # nothing but company words


def test_copyright_source_without_the_legal_form():
    lines = [P1, P2, "© 2019 Harbor Ledger Media Ltd. All rights reserved."]
    assert meta_of(lines).source == "Harbor Ledger"


def test_authors_from_the_byline_and_the_site_name_beside_the_headline():
    lines = [
        "Council approves bridge after four-year row | Harbor Ledger",
        "By Jane Roe and John Smith, Harbor Ledger",
        "Published 12 March 2024",
        P1,
        P2,
    ]
    meta = find_metadata(clean_lines(lines), lines=lines)
    assert meta.title == "Council approves bridge after four-year row"
    assert meta.source == "Harbor Ledger"
    assert meta.authors == ["Jane Roe", "John Smith"]
    assert meta.date == dt.date(2024, 3, 12)
    assert meta.how["authors"] == "byline line 2"


def test_supplied_authors_win():
    meta = meta_of(["By Jane Roe", P1, P2], given_authors=["John Smith"])
    assert meta.authors == ["John Smith"]


def test_a_page_showing_one_date_far_from_the_headline_is_dated_by_it():
    """No date near the headline, and one date the page prints (twice, below the story):
    it is the page's date; a page printing two different dates is not guessed at."""
    furniture = [f"Shop section number {n} with offers" for n in range(1, 30)]
    head = ["Menu", "Council approves bridge after four-year row", P1, P2, P3]
    one = head + furniture + ["2019/3/5", "Share this", "2019/3/5", "Contact us"]
    lines = one
    meta = find_metadata(clean_lines(lines), lines=lines)
    assert meta.date == dt.date(2019, 3, 5)
    assert "only date" in meta.how["date"]
    two = head + furniture + ["2019/3/5", "Share this", "2020/1/9", "Contact us"]
    assert find_metadata(clean_lines(two), lines=two).date is None


def test_a_marked_byline_just_above_the_story_is_read_when_none_is_under_the_headline():
    """The headline found may be a wrong line (a section label far above): the "By"
    line that stands right above the story is still its byline."""
    teasers = [f"Shop section number {n} with offers" for n in range(1, 30)]
    lines = ["Africa Edition", *teasers, "By Yomi Kazeem", P1, P2, P3]
    meta = find_metadata(clean_lines(lines), lines=lines, given_title="Africa Edition")
    assert meta.authors == ["Yomi Kazeem"]
    assert "above the story" in meta.how["authors"]
