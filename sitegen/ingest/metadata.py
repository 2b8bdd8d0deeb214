"""Title, source (publisher), date, authors and url of a cleaned page.

What a format supplies (HTML metadata, JSON fields) wins. Otherwise the answer comes from
the lines around the story (a PageView: the page's raw lines, and where the cleaner's
paragraphs stand among them; nothing else of the cleaner's), never from the story's own
text: an outlet quoted in the story is not its publisher, and a date in the story is not
its date.

- Title: the headline line a learned ranker picks (headline.py), cleaned of site names,
  breadcrumbs and kickers; else a title derived from the first sentence, cut at a clause
  boundary, and marked derived.
- Authors: the byline under (or just above) that headline (byline.py).
- Date: a dateline or byline near the headline, "published" before "updated" (dates.py);
  a relative one ("3 hours ago") only when a reference time is given. Else unknown.
- Source: a byline that glues an outlet to a date ("Al Jazeeraa day ago"), an
  "originally published by" or "Source:" line, the site name glued to the headline
  ("Headline | The Site"), the outlet naming itself ("support X", "X logo"), a copyright
  line without the legal form ("© 2019 Harbor Ledger Media Ltd" -> "Harbor Ledger"), or a
  bare domain line. Else unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sitegen.ingest.byline import clean_author_field, find_byline
from sitegen.ingest.dates import (
    DateValue,
    choose_date,
    date_mentions,
    parse_absolute_date,
    parse_given_date,
    parse_relative_date,
    without_dates,
)
from sitegen.ingest.headline import Choice, choose_headline, is_photo_caption, split_title
from sitegen.ingest.pageview import PageView
from sitegen.ingest.text import (
    RELATIVE_TIME,
    STOP_WORDS,
    address_ratio,
    any_word,
    sentence_key,
    sentences,
    word_count,
)

__all__ = [
    "DumpContext",
    "Metadata",
    "derive_title",
    "dump_context",
    "find_metadata",
    "find_source",
    "parse_absolute_date",
    "parse_given_date",
    "parse_relative_date",
    "strip_legal_name",
]

_BYLINE_MARK = re.compile(r"^(?:by|written\s+by|posted\s+by|von|par|por)\b", re.I)

#: Longest title taken whole; longer derived titles are cut with an ellipsis.
MAX_TITLE_WORDS = 30
CUT_TITLE_WORDS = 20


@dataclass
class Metadata:
    title: str
    title_derived: bool = False
    source: str | None = None
    date: DateValue | None = None
    url: str | None = None
    how: dict[str, str] = field(default_factory=dict)  # field -> where it came from
    authors: list[str] = field(default_factory=list)


# --- the page --------------------------------------------------------------------------


@dataclass
class DumpContext:
    """One page's view plus what is known before the title is chosen."""

    view: PageView
    url: str | None
    source: str | None
    source_how: str


def dump_context(
    cleaned: Any,
    *,
    lines: list[str] | None = None,
    given_url: str | None = None,
    given_source: str | None = None,
) -> DumpContext:
    """The page as metadata reads it: lines (the raw ones when given), the story's place,
    the url and outlet if known."""
    view = PageView.from_cleaned(cleaned, lines)
    url = given_url or find_url(view)
    if given_source:
        source, how = source_from_given(given_source), "supplied"
    else:
        source, how = find_source(view)
    view.url, view.outlet = url, source
    return DumpContext(view, url, source, how)


# --- title -----------------------------------------------------------------------------


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


def index_of_title(view: PageView, title: str) -> int | None:
    """Where a supplied title stands on the page (the byline is near it), if it does."""
    key = sentence_key(title)
    if not key:
        return None
    exact = next((i for i, k in enumerate(view.keys) if k == key), None)
    if exact is not None:
        return exact
    return next(
        (i for i, k in enumerate(view.keys) if key in k and len(k) < 2 * len(key) + 20), None
    )


# --- source ----------------------------------------------------------------------------

_NAME_WORD = r"[A-Z][\w&'’-]*(?:\.[\w&'’-]+)*"
_NAME = rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|the|and|&)){{0,4}})"
_NOT_OUTLETS = {"copyright", "all rights reserved", "notice", "notice copyright", "rights reserved"}
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
#: Lines that credit the outlet by name, and how find_source reports each.
_SOURCE_CREDITS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"(?:originally|first)\s+(?:published|appeared)\s+(?:in|on|at|by)\s+(?:the\s+website\s+of\s+)?"
            rf"{_NAME}"
        ),
        "originally-published",
    ),
    (re.compile(rf"^(?:Source|Via|Publisher)\s*:\s*{_NAME}\s*$", re.I), "source"),
)
_OUTLET_WORDS = any_word(
    "news times post journal daily herald tribune guardian press wire radio tv network"
    " media gazette courier telegraph chronicle observer express mail star sun today magazine"
    " review monitor insider report agency broadcasting dispatch standard globe independent"
)
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:/\S*)?$", re.I)
_URL = re.compile(r"^https?://\S+$", re.I)


_LEGAL_FORM = re.compile(
    r"(?:,?\s+(?:ltd|limited|inc|incorporated|llc|l\.l\.c|llp|l\.?p|plc|gmbh|ag|kg|se|s\.?a"
    r"|a\.?s|spol\.\s+s\s+r\.\s*o|s\.?r\.?o"
    r"|s\.?a\.?s|sarl|s\.?l|s\.?p\.?a|s\.?r\.?l|b\.?v|n\.?v|pty|corp|corporation|co|company"
    r"|oy|ab|a/s|as|k\.?k|pvt|sdn\s+bhd)\.?)+\s*$",
    re.I,
)
_CORPORATE_WORDS = re.compile(
    r"(?:\s+(?:&\s+)?(?:media|group|holdings?|publishing|publications?|publishers|enterprises"
    r"|communications|interactive|digital|networks?|ventures|brands|international|news\s+&"
    r"\s+media))+\s*$",
    re.I,
)
_ALSO_TRAILING = re.compile(
    r"\s+(?:or\s+its\s+affiliate[ds]?.*|and\s+its\s+licensors.*|all\s+rights\s+reserved.*)$",
    re.I,
)


def strip_legal_name(name: str) -> str:
    """A publisher's legal name -> the outlet: "Harbor Ledger Media Ltd" -> "Harbor Ledger".

    The legal form (Ltd, Inc., LLC, GmbH, S.A. ...) goes, and with it a company word
    before it (Media, Group, Holdings, Publishing ...); a name that is only those words
    stays as written."""
    text = _ALSO_TRAILING.sub("", " ".join(name.split())).strip(" .,")
    stripped = _LEGAL_FORM.sub("", text).strip(" .,")
    if stripped != text:
        shorter = _CORPORATE_WORDS.sub("", stripped).strip(" .,&")
        only_company_words = not _CORPORATE_WORDS.sub("", f" {shorter}").strip(" .,&")
        if (
            word_count(shorter) >= 1
            and shorter.lower() not in ("the", "a")
            and not only_company_words
        ):
            stripped = shorter
    return stripped if word_count(stripped) >= 1 else text


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
    starts = [m.start for m in date_mentions(text)]
    relative = RELATIVE_TIME.search(text)
    if relative:
        starts.append(relative.start())
    if not starts:
        return None
    before = text[: min(starts)].strip(" |·•,–—-")
    if re.match(r"^(?:by|updated|published|posted|modified|time|last)\b", before, re.I):
        return None
    name = re.fullmatch(_NAME, before)
    return _clean_name(before) if name else None


def _story_lines(view: PageView) -> frozenset[int]:
    return view.story_indexes


def _furniture(view: PageView) -> list[int]:
    story = _story_lines(view)
    return [i for i in range(len(view.lines)) if i not in story]


_APPEAL_VERBS = re.compile(
    r"\b(?:support|donat\w*|contribut\w*|subscri\w*|member\w*|journalis\w*|newsroom|logo)\b", re.I
)


def _speaks_as_site(text: str) -> bool:
    """Appeals and logos: where a site names itself (not a headline, not a menu)."""
    return address_ratio(text) > 0 or bool(_APPEAL_VERBS.search(text))


def _plausible_outlet(name: str) -> bool:
    """Not a common phrase ("Our Newsletter", "Conversation"), not a bare "Copyright"."""
    tokens = [t.lower().strip(".,'’") for t in name.split()]
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    if not tokens or tokens[0] in _GENERIC_NAMES or name.lower() in _NOT_OUTLETS:
        return False
    from sitegen.entities.lexicon import lexicon

    everyday = lexicon().everyday_words
    return not all(t in everyday or t in STOP_WORDS for t in tokens) or any(
        ch.isupper() for ch in name[1:]
    )


def _is_person_name(name: str) -> bool:
    from sitegen.entities.lexicon import lexicon

    tokens = name.split()
    return 2 <= len(tokens) <= 4 and tokens[0] in lexicon().first_names


def find_source(view: PageView) -> tuple[str | None, str]:
    """(publisher, how it was found) from the lines outside the story; (None, reason)."""
    furniture = _furniture(view)
    lines = view.lines
    standalone = Counter(
        lines[i].strip(" •·|-").lower() for i in furniture if word_count(lines[i]) <= 5
    )
    header_end = view.start if view.start is not None else len(lines)
    for i in furniture:
        if i >= header_end + 3 or word_count(lines[i]) > 16:
            continue
        name = _byline_outlet(lines[i])
        if not name:
            continue
        looks_like_outlet = (
            _OUTLET_WORDS.search(name)
            or re.search(r"[a-z][A-Z]|^[A-Z]{2,}$", name)  # AlterNet, BBC
            or standalone[name.lower()] >= 1
        )
        if looks_like_outlet and not _is_person_name(name) and not re.match(r"by", name, re.I):
            return name, f"byline line {view.number(i)}"
    for i in furniture:
        for pattern, what in _SOURCE_CREDITS:
            match = pattern.search(lines[i])
            if match and (name := _clean_name(match.group("name"))):
                return name, f"{what} line {view.number(i)}"
    votes: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for i in furniture:
        if not _speaks_as_site(lines[i]):
            continue
        found: list[str] = []
        logo = _LOGO.match(lines[i])
        if logo:
            found.append(logo.group("name"))
        for pattern in _SELF_REFERENCE:
            found.extend(m.group("name") for m in pattern.finditer(lines[i]))
        for raw in found:
            name = _clean_name(raw)
            if name and _plausible_outlet(name):
                votes[name.lower()] += 1
                spellings.setdefault(name.lower(), Counter())[name] += 1
    if votes:
        key, _count = votes.most_common(1)[0]
        forms = spellings[key]
        best = max(forms, key=lambda form: (form != form.lower(), forms[form]))
        return best, "the outlet naming itself in its appeals"
    copyright_holder: tuple[str, str] | None = None
    for i in furniture:
        match = _COPYRIGHT.search(lines[i])
        if match and (name := _clean_name(match.group("name"))):
            name = strip_legal_name(name)
            if name.lower() not in _GENERIC_NAMES and _plausible_outlet(name):
                copyright_holder = (name, f"copyright line {view.number(i)}")
                break
    if copyright_holder:
        return copyright_holder
    for i in furniture:
        match = _DOMAIN.match(lines[i])
        if match and "." in lines[i] and " " not in lines[i]:
            return match.group(1).lower(), f"domain line {view.number(i)}"
    return None, "not named outside the story"


def source_from_title(view: PageView, choice: Choice) -> str | None:
    """The site name glued to the headline, on its line or on another line of the page
    that repeats it ("Headline | The Site"): the outlet naming itself."""
    _, removed = split_title(choice.text, None, view)
    key = sentence_key(choice.title)
    if not removed and key:
        for text, line_key in zip(view.lines, view.keys, strict=True):
            if line_key != key and line_key.startswith(key) and len(line_key) < len(key) + 40:
                _, removed = split_title(text, None, view)
                if removed:
                    break
    for part in removed:
        name = part.strip(" |-–—:·•")
        if 1 <= word_count(name) <= 5 and not re.search(r"[>»›/]", name):
            return strip_legal_name(name)
    return None


def source_from_given(value: str) -> str:
    """A supplied source; a bare domain loses its 'www.', a legal name its legal form."""
    match = _DOMAIN.match(value)
    if match and " " not in value:
        return match.group(1).lower()
    return strip_legal_name(value)


def find_url(view: PageView) -> str | None:
    story = _story_lines(view)
    for i, text in enumerate(view.lines):
        if i not in story and _URL.match(text) and urlsplit(text).netloc:
            return text
    return None


# --- dates -----------------------------------------------------------------------------


#: A line holding a date and at most this many other words is a dateline wherever it is.
ONLY_DATELINE_WORDS = 12


def _date_order(view: PageView, anchor: int | None) -> list[int]:
    """Lines to read for the date, nearest the headline first: its block below and above,
    then the rest of the page above the story, then a few lines under the story."""
    story = _story_lines(view)
    n = len(view.lines)
    start = view.start if view.start is not None else n
    order: list[int] = []
    if anchor is not None:
        order += list(range(anchor + 1, min(n, anchor + 13)))
        order += list(range(anchor - 1, max(-1, anchor - 5), -1))
    order += list(range(min(start, n) - 1, -1, -1))
    if view.end is not None:
        order += list(range(view.end + 1, min(n, view.end + 9)))
    seen: set[int] = set()
    out = []
    for i in order:
        # the story's own lines hold its dates, except a short dateline the cleaner kept
        # at its top ("Updated: April 07, 2020 03:49 pm IST")
        text = view.lines[i]
        story_top = view.start is not None and view.start <= i < view.start + 3
        dateline = story_top and word_count(without_dates(text)) <= 12
        if i in seen or (i in story and not dateline) or not _dateline_shaped(text):
            continue
        seen.add(i)
        out.append(i)
    return out


def _only_dateline(view: PageView) -> tuple[DateValue, str] | None:
    """The one date the page's short date lines show, wherever they stand, when no date
    stands near the headline: a page that prints a single date ("2019/3/5", twice, under
    the story) is dated by it; a page showing several is not guessed at."""
    days: dict[dt.date, tuple[DateValue, int]] = {}
    for i, text in enumerate(view.lines):
        mentions = date_mentions(text)
        if not mentions or word_count(without_dates(text)) > ONLY_DATELINE_WORDS:
            continue
        if not _dateline_shaped(text):  # a caption's or a sentence's date
            continue
        for mention in mentions:
            days.setdefault(_calendar_day(mention.value), (mention.value, i))
    if len(days) != 1:
        return None
    ((value, index),) = days.values()
    return value, f"the page's only date, line {view.number(index)}"


def _calendar_day(value: DateValue) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _dateline_shaped(text: str) -> bool:
    """A dateline or a byline with its date, not a caption or a sentence that holds a date."""
    if word_count(text) > 30 or is_photo_caption(text):
        return False
    if word_count(without_dates(text)) <= 12 or bool(_BYLINE_MARK.match(text)):
        return True
    return any(m.label for m in date_mentions(text))  # "... Published February 24, 2020"


def find_date(
    view: PageView, anchor: int | None, reference: dt.datetime | None
) -> tuple[DateValue | None, str]:
    """(date, how) from datelines and bylines outside the story; relative needs a reference."""
    order = _date_order(view, anchor)
    value, how = choose_date(view.lines, order, reference)
    match = re.search(r"\d+", how)
    if match:  # report the raw line number, not the index
        how = how.replace(match.group(0), str(view.number(int(match.group(0)) - 1)), 1)
    return value, how


# --- all together ----------------------------------------------------------------------


def headline_copies(view: PageView, anchor: int | None) -> list[int | None]:
    """The chosen headline, then its other copies above the story, nearest the story
    first: pages show a headline again in menus, teasers and "latest" lists above the
    article, and the byline and the date stand under one of its copies."""
    if anchor is None or view.start is None or anchor >= view.start:
        return [anchor]

    def key(i: int) -> str:  # the view's key, made here only for lines too long for one
        return view.keys[i] or sentence_key(view.lines[i])

    wanted = key(anchor)
    if not wanted:
        return [anchor]
    others = [i for i in range(view.start - 1, -1, -1) if i != anchor and key(i) == wanted]
    return [anchor, *others]


def byline_under_a_copy(
    view: PageView, anchors: list[int | None], source: str | None
) -> tuple[list[str], str]:
    """The first marked byline ("By ...", a name with the date) under any copy of the
    headline; else the first bare name under one."""
    first: tuple[list[str], str] | None = None  # the first result, or the first bare name
    for at in anchors:
        names, how = find_byline(view, at, source)
        if names and how.startswith("byline"):
            return names, how
        if first is None or (names and not first[0]):
            first = (names, how)
    assert first is not None  # anchors is never empty
    return first


def find_metadata(
    cleaned: Any,
    *,
    lines: list[str] | None = None,
    given_title: str | None = None,
    given_source: str | None = None,
    given_date: str | None = None,
    given_url: str | None = None,
    given_authors: list[str] | None = None,
    reference: dt.datetime | None = None,
) -> Metadata:
    """Everything the front matter needs besides the body, with where each value came from.

    `cleaned`: a Cleaned, or anything with `.paragraphs` and `.lines` (each with `.text`
    and `.number`); `lines`: the page's raw lines, which the lines around the story are
    read from when given (the importer gives them)."""
    how: dict[str, str] = {}
    page = dump_context(cleaned, lines=lines, given_url=given_url, given_source=given_source)
    view, source = page.view, page.source
    how["source"] = page.source_how
    title, derived = given_title, False
    anchor: int | None = None
    if title:
        how["title"] = "supplied"
        anchor = index_of_title(view, title)
    else:
        choice = choose_headline(view)
        if choice is not None:
            title, anchor = choice.title, choice.index
            how["title"] = f"headline line {view.number(choice.index)} (score {choice.score:.1f})"
            if source is None and (suffix := source_from_title(view, choice)):
                source, how["source"] = (
                    suffix,
                    f"site name beside the headline, line {view.number(choice.index)}",
                )
                view.outlet = source
        else:
            title, derived = derive_title(view.paragraphs), True
            how["title"] = "derived from the first sentence"
    if anchor is None and view.start is not None:
        anchor = view.start - 1 if view.start > 0 else None
    anchors = headline_copies(view, anchor)
    if given_authors:
        authors, how["authors"] = clean_author_field(given_authors, source), "supplied"
    else:
        authors, how["authors"] = byline_under_a_copy(view, anchors, source)
        if not authors and view.start and view.start not in anchors:
            # the headline may be a wrong line: a marked byline just above the story
            names, found_how = find_byline(view, view.start, source)
            if names and found_how.startswith("byline"):
                authors, how["authors"] = names, found_how + " (above the story)"
    date: DateValue | None = None
    if given_date:
        date = parse_given_date(given_date)
        how["date"] = "supplied" if date else f"supplied date {given_date!r} not understood"
    if date is None:
        for at in anchors:  # the chosen headline first, then its copies nearer the story
            date, found_how = find_date(view, at, reference)
            if date is not None:
                break
        else:
            if (only := _only_dateline(view)) is not None:
                date, found_how = only
        how["date"] = found_how if "date" not in how else how["date"] + "; " + found_how
    url = given_url or page.url
    return Metadata(title, derived, source, date, url, how, authors)
