"""Dates written on a page: what they look like, and which one is the article's.

Shapes understood, in any of the languages whose month names are listed in MONTH_NAMES:
ISO ("2016-11-29T10:39:35Z"), month first ("Tue November 29, 2016", "Nov. 29, 2016",
"Dec 1st 2016"), day first ("29 November 2016", "29. listopadu 2016", "29 de noviembre
de 2016"), numeric ("29/11/2016", "15.05.2020", "2019/04/21", and "12/16/16" only when the
day and month cannot be mistaken), and year-month-day with CJK markers ("2019年4月21日").
A numeric date whose day and month could be swapped (03/04/2024) stays unknown.

Which date: a dateline or byline near the headline, where "Published"/"Posted" beats
"Updated"/"Modified" and the nearest to the headline wins (`choose_date`). Relative dates
("3 hours ago") need a reference time. The story's own dates are never read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from dataclasses import dataclass

from sitegen.ingest.text import RELATIVE_TIME, any_word, word_count

DateValue = dt.date | dt.datetime

_MONTH_LISTS = {
    "en": "january february march april may june july august september october november december",
    "en_short": "jan feb mar apr may jun jul aug sep oct nov dec",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "fr_short": "janv févr mars avr mai juin juil août sept oct nov déc",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "de_short": "jan feb mär apr mai jun jul aug sep okt nov dez",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "es_short": "ene feb mar abr may jun jul ago sep oct nov dic",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "cs": "ledna února března dubna května června července srpna září října listopadu prosince",
    "cs_nominative": "leden únor březen duben květen červen červenec srpen září říjen listopad prosinec",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "da_no": "januar februar marts april maj juni juli august september oktober november desember",
}
#: Month name (lower case, accents as written) -> month number.
MONTH_NAMES: dict[str, int] = {}
for _names in _MONTH_LISTS.values():
    for _number, _name in enumerate(_names.split(), 1):
        MONTH_NAMES.setdefault(_name, _number)
MONTH_NAMES.update({"sept": 9, "jänner": 1, "maerz": 3, "fevrier": 2, "aout": 8, "decembre": 12})

_MONTH = r"(?P<month>" + "|".join(sorted(MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+)?"
# A year may be glued to the time after it by a scraper ("Dec 20 201610:32 AM").
_YEAR = r"(?P<year>(?:19|20)\d{2})(?:(?!\d)|(?=\d{1,2}:\d{2}))"
_ISO = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\.\d+)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
_MONTH_FIRST = re.compile(
    rf"(?<![^\W\d_]){_WEEKDAY}{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?,?\s+{_YEAR}",
    re.I,
)
_DAY_FIRST = re.compile(
    rf"(?<![\w.]){_WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s*(?:of\s+|de\s+)?"
    rf"{_MONTH},?\s+(?:de\s+)?{_YEAR}",
    re.I,
)
_NUMERIC = re.compile(
    r"(?<![\d./])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>(?:19|20)\d{2}|\d{2})"
    r"(?:(?![\d/])|(?=\d{1,2}:\d{2}))"
)
_YEAR_FIRST = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*(?:[/.]|年)\s*(?P<month>\d{1,2})\s*(?:[/.]|月)"
    r"\s*(?P<day>\d{1,2})(?:\s*日)?(?!\d)"
)
_KOREAN = re.compile(r"(?P<year>(?:19|20)\d{2})년\s*(?P<month>\d{1,2})월\s*(?P<day>\d{1,2})일")
_TIME = re.compile(r"(?<!\d)\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?", re.I)

#: Words before a date that say which date it is.
_PUBLISHED = any_word(
    r"published posted original first\s+published publish(?:ed)?\s+date ^date"
    r" publié veröffentlicht publicado publicação pubblicato gepubliceerd publikováno 公開",
    after="",
)
_UPDATED = any_word(
    r"updated last\s+updated modified edited revised mis\s+à\s+jour aktualisiert"
    r" actualizado atualizado aggiornato bijgewerkt aktualizováno 更新",
    after="",
)


@dataclass(frozen=True)
class DateMention:
    start: int  # offset in the text
    end: int
    value: DateValue
    label: str  # "published", "updated" or ""


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _full_year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _iso(match: re.Match[str]) -> DateValue | None:
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    if match["hour"] and _safe(year, month, day):
        stamp = match.group(0).replace(" ", "T").replace("Z", "+00:00")
        with contextlib.suppress(ValueError):
            return dt.datetime.fromisoformat(stamp)
    return _safe(year, month, day)


def _named(match: re.Match[str]) -> DateValue | None:
    month = MONTH_NAMES.get(match["month"].lower().rstrip("."))
    return _safe(int(match["year"]), month, int(match["day"])) if month else None


#: A time zone of the Americas after a date: the date is written month first there.
_MONTH_FIRST_ZONE = re.compile(r"\b(?:E[SD]?T|C[SD]T|M[SD]T|P[SD]T|AK[SD]T|H[SD]T)\b")


def _numeric(match: re.Match[str], text: str) -> DateValue | None:
    a, b, year_text = int(match["a"]), int(match["b"]), match["year"]
    year = _full_year(year_text)
    beside_time = _TIME.match(text[match.end() :].lstrip(" ,|·-"))
    if len(year_text) == 2 and not beside_time and not (a > 12 or b > 12):
        return None  # "12/16/16" is read; "03/04/16" alone could be anything
    if match["sep"] == "." and len(year_text) == 4:
        return _safe(year, b, a)  # 15.05.2020: day first wherever dots are written
    if a > 12 >= b:
        return _safe(year, b, a)
    if b > 12 >= a:
        return _safe(year, a, b)
    if a == b:
        return _safe(year, a, b)
    after = text[match.end() : match.end() + 30]
    if match["sep"] == "/" and beside_time and _MONTH_FIRST_ZONE.search(after):
        return _safe(year, a, b)  # "10/04/2016 05:07 AM EDT": written in the US
    return None  # 03/04/2024: day and month cannot be told apart


def _ymd(match: re.Match[str]) -> DateValue | None:
    return _safe(int(match["year"]), int(match["month"]), int(match["day"]))


@functools.lru_cache(maxsize=8192)
def date_mentions(text: str) -> tuple[DateMention, ...]:
    """Every absolute date in text, in order, each with the label written before it.
    Remembered: the stages ask about the same lines of a page more than once."""
    found: list[tuple[int, int, DateValue]] = []
    for pattern, read in (
        (_ISO, _iso),
        (_MONTH_FIRST, _named),
        (_DAY_FIRST, _named),
        (_YEAR_FIRST, _ymd),
        (_KOREAN, _ymd),
    ):
        for match in pattern.finditer(text):
            value = read(match)
            if value is not None:
                found.append((match.start(), match.end(), value))
    for match in _NUMERIC.finditer(text):
        value = _numeric(match, text)
        if value is not None:
            found.append((match.start(), match.end(), value))
    found.sort(key=lambda item: (item[0], -item[1]))
    mentions: list[DateMention] = []
    last_end = 0
    for start, end, value in found:
        if mentions and start < mentions[-1].end:
            continue  # inside a longer match already taken
        before = text[last_end:start]
        label = ""
        if _UPDATED.search(before):
            label = "updated"
        elif _PUBLISHED.search(before):
            label = "published"
        mentions.append(DateMention(start, end, value, label))
        last_end = end
    return tuple(mentions)


def parse_absolute_date(text: str) -> DateValue | None:
    """The first absolute date in text: ISO (with time), "March 5, 2024", "5 March 2024"..."""
    mentions = date_mentions(text)
    return mentions[0].value if mentions else None


def parse_given_date(value: str) -> DateValue | None:
    """A date a format supplied: ISO first (also "2017-11-03 03:01:00.000000"), then the
    page-text shapes."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    match = re.fullmatch(
        r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*([+-]\d{4})?", text
    )
    if match:
        zone = match[3] or ""
        zone = f"{zone[:3]}:{zone[3:]}" if zone else ""
        with contextlib.suppress(ValueError):
            return dt.datetime.fromisoformat(f"{match[1]}T{match[2]}{zone}")
    return parse_absolute_date(text)


def without_dates(text: str) -> str:
    """The text with its dates and times taken out."""
    for mention in reversed(date_mentions(text)):
        text = text[: mention.start] + " " + text[mention.end :]
    return _TIME.sub(" ", text)


def looks_like_dateline(text: str) -> bool:
    """A short line that holds a date: a dateline or a byline with its date."""
    return word_count(text) <= 24 and bool(date_mentions(text))


# --- relative dates --------------------------------------------------------------------

_UNIT_HOURS = {"second": 0, "sec": 0, "minute": 1 / 60, "min": 1 / 60, "hour": 1, "hr": 1}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def parse_relative_date(text: str, reference: dt.datetime) -> dt.date | None:
    """The day "3 days ago" means, counted back from the reference; None when that leaves
    years 1-9999 ("5000 years ago", or "yesterday" of a reference at datetime.min)."""
    try:
        return _relative_date(text, reference)
    except (OverflowError, ValueError):  # timedelta/date out of range; a 5,000-digit count
        return None


def _relative_date(text: str, reference: dt.datetime) -> dt.date | None:
    match = RELATIVE_TIME.search(text)
    if not match:
        return None
    if match["word"]:
        word = match["word"].lower()
        return (reference - dt.timedelta(days=1 if word == "yesterday" else 0)).date()
    count_text = match["count"].lower()
    count = 1 if count_text in ("a", "an", "one") else int(count_text)
    unit = match["unit"].lower()
    if unit in _UNIT_HOURS:
        return (reference - dt.timedelta(hours=count * _UNIT_HOURS[unit])).date()
    return (reference - dt.timedelta(days=count * _UNIT_DAYS[unit])).date()


# --- which date ------------------------------------------------------------------------


def _day(value: DateValue) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


_LABEL_ONLY = re.compile(r"^[\w\s]{0,30}:?$")


def choose_date(
    lines: list[str], order: list[int], reference: dt.datetime | None
) -> tuple[DateValue | None, str]:
    """(date, how) from the lines at `order` (indexes into lines, nearest first).

    A date labelled "published"/"posted" wins over an unlabelled one, which wins over an
    "updated" one; among equals the earliest in `order`, and on one line the earliest day
    (a page is published before it is updated). A label may stand on the line above
    ("Updated:" / "Mar 6, 2018"). Relative dates are read only with a reference.
    """
    best: tuple[int, int, DateValue, int] | None = None
    for rank, index in enumerate(order):
        text = lines[index]
        mentions = date_mentions(text)
        if not mentions:
            continue
        above = lines[index - 1] if index > 0 else ""
        for mention in mentions:
            label = mention.label
            if not label and mention is mentions[0] and _LABEL_ONLY.match(above):
                label = (
                    "updated"
                    if _UPDATED.search(above)
                    else "published"
                    if _PUBLISHED.search(above)
                    else ""
                )
            weight = {"published": 0, "": 1, "updated": 2}[label]
            key = (weight, rank, mention.value, index)
            same_line = best is not None and best[:2] == key[:2]
            if same_line and _day(mention.value) < _day(best[2]):
                best = key  # two unlabelled dates on one line: published comes before updated
            elif best is None or key[:2] < best[:2]:
                best = key
    if best is not None:
        return best[2], f"dateline {best[3] + 1}"
    for index in order:
        if RELATIVE_TIME.search(lines[index]) and word_count(lines[index]) <= 16:
            if reference is None:
                return None, f"relative date on line {index + 1} and no reference time"
            value = parse_relative_date(lines[index], reference)
            if value is not None:
                return value, f"relative date on line {index + 1}"
    return None, "no date near the headline"
