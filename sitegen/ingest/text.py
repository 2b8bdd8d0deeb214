"""Small measures of a line of page text that cleaning and metadata both use.

Words, sentences, stop-word density, quoted speech, and the shapes of dates and times.
English only, and general on purpose: nothing here knows any site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


def word_set(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string."""
    return frozenset(text.split())


def any_word(alternatives: str, *, after: str = r"\b", flags: int = re.I) -> re.Pattern[str]:
    """A keyword pattern written as a list: whitespace-separated regex alternatives."""
    return re.compile(r"\b(?:" + "|".join(alternatives.split()) + ")" + after, flags)


WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

# Frequent English function words: prose is dense with them, menus and labels are not.
STOP_WORDS = word_set(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say says told would could may might must shall since though
    although however also than whether"""
)
ADDRESS_WORDS = word_set(
    """we our ours us ourselves we're we've we'll we’re we’ve we’ll you your yours you're
    you've you'll you’re you’ve you’ll yourself"""
)

_TERMINAL = re.compile(r"""[.!?…][\"'”’)\]]*$""")
_QUOTED = re.compile(r"""“[^”]*”|"[^"]*"|(?<!\w)['‘][^'’\n]*['’](?!\w)""")
_ABBREVIATIONS = word_set(
    """mr mrs ms dr prof sen rep gov gen col lt sgt st jr sr vs no inc ltd co corp jan feb mar
    apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e etc approx"""
)
_BOUNDARY = re.compile(r"""(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])""")
_LAST_TOKEN = re.compile(r"(\S+)$")


def words(text: str) -> list[str]:
    return WORD.findall(text)


@lru_cache(maxsize=8192)
def word_count(text: str) -> int:
    """Cached: the cleaning rules and features ask it of the same lines many times."""
    return len(WORD.findall(text))


def stop_ratio(text: str) -> float:
    found = words(text)
    if not found:
        return 0.0
    return sum(1 for w in found if w.lower() in STOP_WORDS) / len(found)


def ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text))


def without_quotes(text: str) -> str:
    """The text minus quoted speech: what the page says in its own voice."""
    return _QUOTED.sub(" ", text)


def address_ratio(text: str) -> float:
    """Share of 'we/our/you/your' words outside quotes: pages talking to their readers."""
    own = words(without_quotes(text))
    if not own:
        return 0.0
    return sum(1 for w in own if w.lower() in ADDRESS_WORDS) / len(own)


@lru_cache(maxsize=4096)
def _split_cached(text: str) -> tuple[str, ...]:
    parts: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        last = _LAST_TOKEN.search(text, start, match.start())
        token = last.group(1).strip("\"'”’“‘()[]").rstrip(".!?…").lower() if last else ""
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue  # "Mr. Putin", "J. Smith": not the end of a sentence
        parts.append(
            text[start : match.start()].strip() + text[match.start() : match.end()].strip()
        )
        start = match.end()
    parts.append(text[start:].strip())
    return tuple(p for p in parts if p)


def sentences(text: str) -> list[str]:
    """Split prose into sentences (a heuristic; the same text always splits the same way)."""
    return list(_split_cached(text))


def sentence_key(sentence: str) -> str:
    """What two copies of a sentence share: lower-case words, nothing else."""
    return " ".join(w.lower() for w in words(sentence))


def content_words(text: str) -> set[str]:
    """Lower-case non-stop words of four letters or more, crudely singular: a topic sketch."""
    found = set()
    for w in words(text):
        low = w.lower().replace("’", "'")
        if len(low) < 4 or low in STOP_WORDS or low.isdigit():
            continue
        if low.endswith("'s"):
            low = low[:-2]
        if low.endswith("ies") and len(low) > 5:
            low = low[:-3] + "y"
        elif low.endswith("s") and not low.endswith("ss") and len(low) > 4:
            low = low[:-1]
        found.add(low)
    return found


# --- dates and times -------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+)?"
ISO_DATE = re.compile(
    r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\.\d+)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?\b"
)
MONTH_FIRST = re.compile(
    rf"\b{_WEEKDAY}{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{{2}})\b",
    re.I,
)
DAY_FIRST = re.compile(
    rf"\b{_WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>(?:19|20)\d{{2}})\b",
    re.I,
)
NUMERIC_DATE = re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>(?:19|20)\d{2})\b")
RELATIVE_TIME = re.compile(
    r"(?P<count>an?|one|\d+)\s*(?P<unit>second|sec|minute|min|hour|hr|day|week|month|year)s?\s+ago\b"
    r"|\b(?P<word>yesterday|today|just now)\b",
    re.I,
)
TIME_OF_DAY = re.compile(r"\b\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?\b", re.I)
DATE_LABEL = re.compile(
    r"\b(?:published|updated|posted|modified|last updated|first published|date|on|at)\b:?", re.I
)


def replace_spans(text: str, spans: Iterable[tuple[int, int]], separator: str) -> str:
    """Each (start, end) span of `text` becomes `separator`; the last first, so the
    offsets of the earlier ones still hold."""
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + separator + text[end:]
    return text


def date_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for pattern in (ISO_DATE, MONTH_FIRST, DAY_FIRST, NUMERIC_DATE, RELATIVE_TIME, TIME_OF_DAY):
        spans.extend(m.span() for m in pattern.finditer(text))
    return spans


def is_dateline(text: str) -> bool:
    """A short line that is mostly a date or a time ("Published 5 March 2024, 10:32")."""
    if word_count(text) > 16:
        return False
    spans = date_spans(text)
    if not spans:
        return False
    rest = DATE_LABEL.sub(" ", replace_spans(text, spans, " "))
    return word_count(rest) <= (3 if ends_sentence(text) else 5)
