"""Dates as pages write them, and which one is the article's."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen.ingest.dates import choose_date, parse_absolute_date, parse_given_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Published 11:56 AM ET Tue November 29, 2016", D(2016, 11, 29)),
        ("Nov. 29, 2016", D(2016, 11, 29)),
        ("Dec 1st 2016 1:01PM", D(2016, 12, 1)),
        ("29/11/2016", D(2016, 11, 29)),
        ("15.05.2020, 07:11 | Lesedauer: 8 Minuten", D(2020, 5, 15)),
        ("2019/04/21", D(2019, 4, 21)),
        ("le 29 novembre 2016 à 10h32", D(2016, 11, 29)),
        ("29. November 2016", D(2016, 11, 29)),
        ("29 de noviembre de 2016", D(2016, 11, 29)),
        ("3 de março de 2019", D(2019, 3, 3)),
        ("3. března 2021", D(2021, 3, 3)),
        ("12 maggio 2018", D(2018, 5, 12)),
        ("2019年04月21日 12時00分更新", D(2019, 4, 21)),
        ("By Sage Lazzaro • 12/16/16 12:21pm", D(2016, 12, 16)),
        ("10/04/2016 05:07 AM EDT", D(2016, 10, 4)),  # month first beside a US time zone
        ("Published Tue, Dec 20 201610:32 AM EST", D(2016, 12, 20)),  # year glued to the time
    ],
)
def test_datelines(text, day):
    value = parse_absolute_date(text)
    assert value is not None
    assert (value.date() if isinstance(value, dt.datetime) else value) == day


@pytest.mark.parametrize("text", ["03/04/2024", "Updated 3:02 PM", "04/05/16", "in 2016"])
def test_dates_that_cannot_be_told(text):
    assert parse_absolute_date(text) is None


def test_iso_dates_keep_their_time():
    assert parse_absolute_date("2024-06-03T07:15:00Z") == dt.datetime(
        2024, 6, 3, 7, 15, tzinfo=dt.UTC
    )
    assert parse_given_date("2017-11-03 03:01:00.000000") == dt.datetime(2017, 11, 3, 3, 1)
    assert parse_given_date("2015-07-10 09:53:00 -0400").utcoffset() == dt.timedelta(hours=-4)


def test_published_beats_updated_and_the_earlier_of_two():
    lines = [
        "Updated: March 6, 2018",
        "Published: Dec 21, 2016",
    ]
    assert choose_date(lines, [0, 1], None)[0] == D(2016, 12, 21)
    label_above = ["Updated:", "Mar 6, 2018", "Original:", "Dec 21, 2016"]
    assert choose_date(label_above, [1, 3], None)[0] == D(2016, 12, 21)
    glued = ["December 10, 2021April 9, 2019 by Luke Koppa"]
    assert choose_date(glued, [0], None)[0] == D(2019, 4, 9)


def test_relative_dates_need_a_reference():
    lines = ["Jane Roe · 3 hours ago"]
    assert choose_date(lines, [0], None)[0] is None
    reference = dt.datetime(2024, 3, 10, 9, 0)
    assert choose_date(lines, [0], reference)[0] == D(2024, 3, 10)
