"""Title, source (publisher), date and url of a cleaned page.

What a format supplies (HTML metadata, JSON fields) wins. Otherwise the answer comes from
the page furniture that clean.py set aside, never from the story's own text: an outlet
quoted in the story is not its publisher, and a date in the story is not its date.

- Title: the headline line above the story (repeated, early, headline-shaped), else a
  title derived from the first sentence, cut at a clause boundary, and marked derived.
- Source: a byline that glues an outlet to a date ("Al Jazeeraa day ago"), a copyright,
  "originally published by" or "Source:" line, the outlet naming itself in its appeals
  ("support X", "X's journalists", "X logo"), or a bare domain line. Else unknown.
- Date: an absolute date in a byline/dateline; a relative one ("3 hours ago") only when a
  reference time is given. Else unknown.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sitegen.ingest.clean import Cleaned, Line
from sitegen.ingest.text import (
    DAY_FIRST,
    ISO_DATE,
    MONTH_FIRST,
    MONTHS,
    NUMERIC_DATE,
    RELATIVE_TIME,
    STOP_WORDS,
    sentences,
    word_count,
)

#: Longest title taken whole; longer derived titles are cut with an ellipsis.
MAX_TITLE_WORDS = 30
CUT_TITLE_WORDS = 20

DateValue = dt.date | dt.datetime


@dataclass
class Metadata:
    title: str
    title_derived: bool = False
    source: str | None = None
    date: DateValue | None = None
    url: str | None = None
    how: dict[str, str] = field(default_factory=dict)  # field -> where it came from


# --- title -----------------------------------------------------------------------------

_NOT_TITLE_RULES = {
    "non_text",
    "call_to_action",
    "appeal",
    "caption",
    "byline",
    "teaser",
    "related_tail",
    "link_list",
    "navigation",
    "embedded_post",
    "author_bio",
}


def _title_eligible(line: Line, source: str | None) -> bool:
    if line.rule in _NOT_TITLE_RULES or line.rule == "repeated_text":
        return False
    count, text = line.words, line.text
    if count < 3 or count > 25 or len(text) > 250 or text.endswith(":"):
        return False
    if len(sentences(text)) > 1 and text.endswith("."):
        return False  # sentences with a full stop: a standfirst, not a headline
    if source and text.strip().lower() == source.lower():
        return False
    first = text.lstrip("\"'“‘")[:1]
    return first.isupper() or first.isdigit()


def headline_from_page(cleaned: Cleaned, source: str | None = None) -> str | None:
    """The headline: the best headline-shaped line above the story.

    Headlines repeat (page title and article heading), stand near the story, and are
    five to twenty words without a full stop. Three or more such lines in a row are a
    list of other stories. When a standfirst follows the headline directly, the first of
    the two is the headline.
    """
    header = cleaned.header()
    runs: list[list[Line]] = []
    previous_eligible = False
    for line in header:
        eligible = _title_eligible(line, source)
        if eligible:
            if previous_eligible and runs:  # a repeat above every headline starts no run
                runs[-1].append(line)
            else:
                runs.append([line])
        previous_eligible = eligible or line.rule == "repeated_text"
    nearest = runs[-1][-1] if runs else None  # the line right above the story stays free
    in_list = {
        id(line)
        for run in runs
        if len(run) >= 3 and all(item.repeats < 2 and item.words <= 12 for item in run)
        for line in run
        if line is not nearest
    }
    candidates = [line for run in runs for line in run if id(line) not in in_list]
    if not candidates:
        return None
    scores: dict[int, float] = {}
    for distance, line in enumerate(reversed(candidates)):
        score = max(0, 2 - distance)  # nearest to the story +2, next +1
        score += 3 if line.repeats >= 2 else 0
        score += 1 if 5 <= line.words <= 20 else (-1 if line.words <= 4 else 0)
        score -= 2 if line.text.endswith(".") else 0
        scores[id(line)] = score
    best = max(candidates, key=lambda line: (scores[id(line)], -candidates.index(line)))
    for run in runs:
        if best in run and run.index(best) > 0:
            above = run[run.index(best) - 1]
            if best.repeats < 2 and id(above) not in in_list and not above.text.endswith("."):
                return above.text
    return best.text


_SUBORDINATE = re.compile(
    r"^(?:though|although|while|as|after|before|when|whenever|if|because|since|despite|in|on"
    r"|at|with|without|following|amid|according|unless|until|once|during|by|for|from|under"
    r"|over|given|having|speaking|asked|meanwhile|however|but|and|so|yet|also)\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"\s*(?:[,;:](?=\s)|\s[—–]\s|\s--\s|—|--)\s*")


def derive_title(paragraphs: list[str]) -> str:
    """A title from the story's first sentence: its main clause, cut at a word boundary."""
    first = next((s for p in paragraphs for s in sentences(p) if word_count(s) >= 4), "")
    if not first:
        first = paragraphs[0] if paragraphs else "Untitled"
    clauses = [c for c in _CLAUSE_BREAK.split(first) if word_count(c) > 0]
    main = next(
        (c for c in clauses if word_count(c) >= 5 and not _SUBORDINATE.match(c)),
        clauses[0] if clauses else first,
    )
    tokens = main.split()
    if len(tokens) > MAX_TITLE_WORDS:
        tokens = tokens[:CUT_TITLE_WORDS]
        while tokens and tokens[-1].lower().strip(",;") in STOP_WORDS:
            tokens.pop()
        main = " ".join(tokens) + "…"
    main = main.strip().rstrip(".,;:!?").strip()
    return main[:1].upper() + main[1:]


# --- source ----------------------------------------------------------------------------

_NAME_WORD = r"[A-Z][\w&'’-]*(?:\.[\w&'’-]+)*"
_NAME = rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|the|and|&)){{0,4}})"
_GENERIC_NAMES = {
    "we",
    "our",
    "you",
    "your",
    "the",
    "this",
    "it",
    "app",
    "apps",
    "the app",
    "newsletter",
    "page",
    "site",
    "website",
    "now",
    "today",
    "here",
    "help",
    "support",
    "donate",
    "subscribe",
    "us",
    "more",
    "news",
}
_SELF_REFERENCE = [
    re.compile(
        rf"{_NAME}['’]s\s+(?:journalists|reporters|newsroom|journalism|mission|team|staff|editors|coverage|reporting)\b"
    ),
    re.compile(
        rf"\b(?:[Ss]upport(?:ing|ed)?|[Dd]onat(?:e|ion)s?\s+to|[Cc]ontributions?\s+to|[Ss]ubscribe\s+to|[Ss]ubscriber\s+to|[Dd]ownload|[Jj]oin)\s+(?:the\s+)?{_NAME}"
    ),
    re.compile(
        rf"\b[Hh]elp\s+(?:ensure\s+|keep\s+)?{_NAME}\s+(?:remains?|stays?|keeps?|continues?)\b"
    ),
    re.compile(
        rf"(?:^|[.!?]\s+){_NAME}\s+(?:is|remains|stands|relies|counts|depends|answers|has\s+been)\b[^.!?]*[.!?]\s+(?:We|Our)\b"
    ),
    re.compile(rf"{_NAME}\s+(?:counts|relies|depends)\s+on\s+(?:readers|supporters|you)\b"),
    re.compile(rf"^More\s+from\s+{_NAME}\s*:?$"),
]
_LOGO = re.compile(r"^(?P<name>[\w&'’.-]+(?:\s+[\w&'’.-]+){0,3})\s+logo$", re.I)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?\s*,?\s*)?"
    rf"{_NAME}",
    re.I,
)
_ORIGINALLY = re.compile(
    r"(?:originally|first)\s+(?:published|appeared)\s+(?:in|on|at|by)\s+(?:the\s+website\s+of\s+)?"
    rf"{_NAME}"
)
_SOURCE_LABEL = re.compile(rf"^(?:Source|Via|Publisher)\s*:\s*{_NAME}\s*$", re.I)
_OUTLET_WORDS = re.compile(
    r"\b(?:news|times|post|journal|daily|herald|tribune|guardian|press|wire|radio|tv|network"
    r"|media|gazette|courier|telegraph|chronicle|observer|express|mail|star|sun|today|magazine"
    r"|review|monitor|insider|report|agency|broadcasting|dispatch|standard|globe|independent)\b",
    re.I,
)
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:/\S*)?$", re.I)
_URL = re.compile(r"^https?://\S+$", re.I)


def _clean_name(name: str) -> str | None:
    name = name.strip(" .,:;'’\"-")
    tokens = name.split()
    while tokens and tokens[-1].lower() in ("of", "the", "and", "&"):
        tokens.pop()
    name = " ".join(tokens)
    if not name or name.lower() in _GENERIC_NAMES or not any(ch.isalpha() for ch in name):
        return None
    return name


def _byline_outlet(text: str) -> str | None:
    """The outlet in a byline glued to a date: "Al Jazeeraa day ago", "Reuters | 5 May 2024"."""
    for pattern in (RELATIVE_TIME, ISO_DATE, MONTH_FIRST, DAY_FIRST):
        match = pattern.search(text)
        if match is None:
            continue
        before = text[: match.start()].strip(" |·•,–—-")
        if re.match(r"^(?:by|updated|published|posted|modified|time|last)\b", before, re.I):
            return None
        name = re.fullmatch(_NAME, before)
        return _clean_name(before) if name else None
    return None


def _standalone_names(lines: list[Line]) -> Counter[str]:
    return Counter(line.text.strip(" •·|-").lower() for line in lines if line.words <= 5)


def find_source(cleaned: Cleaned) -> tuple[str | None, str]:
    """(publisher, how it was found) from the furniture lines; (None, reason) if unknown."""
    furniture = cleaned.furniture()
    standalone = _standalone_names(furniture)
    for line in cleaned.page_furniture():
        if line.rule != "byline":
            continue
        name = _byline_outlet(line.text)
        if not name:
            continue
        looks_like_outlet = (
            _OUTLET_WORDS.search(name)
            or re.search(r"[a-z][A-Z]|^[A-Z]{2,}$", name)  # AlterNet, BBC
            or standalone[name.lower()] >= 1
        )
        if looks_like_outlet:
            return name, f"byline line {line.number}"
    for line in furniture:
        for pattern, what in ((_ORIGINALLY, "originally-published"), (_SOURCE_LABEL, "source")):
            match = pattern.search(line.text)
            if match and (name := _clean_name(match.group("name"))):
                return name, f"{what} line {line.number}"
    for line in furniture:
        match = _COPYRIGHT.search(line.text)
        if match and (name := _clean_name(match.group("name"))):
            return name, f"copyright line {line.number}"
    votes: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for line in furniture:
        if line.rule not in ("appeal", "call_to_action", "label", "related_tail"):
            continue
        found: list[str] = []
        logo = _LOGO.match(line.text)
        if logo:
            found.append(logo.group("name"))
        for pattern in _SELF_REFERENCE:
            found.extend(m.group("name") for m in pattern.finditer(line.text))
        for raw in found:
            name = _clean_name(raw)
            if name:
                votes[name.lower()] += 1
                spellings.setdefault(name.lower(), Counter())[name] += 1
    if votes:
        key, _count = votes.most_common(1)[0]
        forms = spellings[key]
        best = max(forms, key=lambda form: (form != form.lower(), forms[form]))
        return best, "the outlet naming itself in its appeals"
    for line in furniture:
        match = _DOMAIN.match(line.text)
        if match and "." in line.text and " " not in line.text:
            return match.group(1).lower(), f"domain line {line.number}"
    return None, "not named outside the story"


def source_from_given(value: str) -> str:
    """A supplied source; a bare domain loses its 'www.'."""
    match = _DOMAIN.match(value)
    if match and " " not in value:
        return match.group(1).lower()
    return value


def find_url(cleaned: Cleaned) -> str | None:
    for line in cleaned.furniture():
        if _URL.match(line.text) and urlsplit(line.text).netloc:
            return line.text
    return None


# --- dates -----------------------------------------------------------------------------

_UNIT_DAYS = {"second": 0, "sec": 0, "minute": 0, "min": 0, "hour": 0, "hr": 0}
_UNIT_DELTA = {"day": 1, "week": 7, "month": 30, "year": 365}


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_absolute_date(text: str) -> DateValue | None:
    """The first absolute date in text: ISO (with time), "March 5, 2024", "5 March 2024"."""
    found: list[tuple[int, DateValue]] = []
    match = ISO_DATE.search(text)
    if match:
        year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
        if match["hour"] and _safe_date(year, month, day):
            stamp = match.group(0).replace(" ", "T").replace("Z", "+00:00")
            with contextlib.suppress(ValueError):
                found.append((match.start(), dt.datetime.fromisoformat(stamp)))
        elif (value := _safe_date(year, month, day)) is not None:
            found.append((match.start(), value))
    for pattern in (MONTH_FIRST, DAY_FIRST):
        match = pattern.search(text)
        if match:
            month = MONTHS[match["month"].lower().rstrip(".")]
            value = _safe_date(int(match["year"]), month, int(match["day"]))
            if value is not None:
                found.append((match.start(), value))
    match = NUMERIC_DATE.search(text)
    if match:
        a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
        value = None
        if a > 12 >= b:
            value = _safe_date(year, b, a)
        elif b > 12 >= a:
            value = _safe_date(year, a, b)
        if value is not None:  # 03/04/2024 stays unknown: day and month cannot be told
            found.append((match.start(), value))
    return min(found, key=lambda item: item[0])[1] if found else None


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
    if unit in _UNIT_DAYS:
        hours = count / 60 if unit in ("minute", "min") else count
        hours = 0 if unit in ("second", "sec") else hours
        return (reference - dt.timedelta(hours=hours)).date()
    return (reference - dt.timedelta(days=count * _UNIT_DELTA[unit])).date()


def parse_given_date(value: str) -> DateValue | None:
    """A date a format supplied: ISO first, then the page-text shapes."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return parse_absolute_date(text)


def find_date(cleaned: Cleaned, reference: dt.datetime | None) -> tuple[DateValue | None, str]:
    """(date, how) from datelines and bylines outside the story; relative needs a reference."""
    header = {id(line) for line in cleaned.header()}
    datelines = [line for line in cleaned.page_furniture() if line.rule in ("byline", "label")]
    ordered = sorted(datelines, key=lambda line: (id(line) not in header, line.number))
    for line in ordered:
        value = parse_absolute_date(line.text)
        if value is not None:
            return value, f"dateline {line.number}"
    for line in ordered:
        if RELATIVE_TIME.search(line.text):
            if reference is None:
                return None, f"relative date on line {line.number} and no reference time"
            value = parse_relative_date(line.text, reference)
            if value is not None:
                return value, f"relative date on line {line.number}"
    return None, "no date outside the story"


# --- all together ----------------------------------------------------------------------


def find_metadata(
    cleaned: Cleaned,
    *,
    given_title: str | None = None,
    given_source: str | None = None,
    given_date: str | None = None,
    given_url: str | None = None,
    reference: dt.datetime | None = None,
) -> Metadata:
    """Everything the front matter needs besides the body, with where each value came from."""
    how: dict[str, str] = {}
    if given_source:
        source, how["source"] = source_from_given(given_source), "supplied"
    else:
        source, how["source"] = find_source(cleaned)
    title, derived = given_title, False
    if title:
        how["title"] = "supplied"
    else:
        title = headline_from_page(cleaned, source)
        how["title"] = "headline line" if title else "derived from the first sentence"
        if not title:
            title, derived = derive_title(cleaned.paragraphs), True
    date: DateValue | None = None
    if given_date:
        date = parse_given_date(given_date)
        how["date"] = "supplied" if date else f"supplied date {given_date!r} not understood"
    if date is None:
        date, found_how = find_date(cleaned, reference)
        how["date"] = found_how if "date" not in how else how["date"] + "; " + found_how
    url = given_url or find_url(cleaned)
    return Metadata(title, derived, source, date, url, how)
