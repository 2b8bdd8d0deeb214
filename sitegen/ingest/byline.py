"""Bylines: the people who wrote an article, from a dump's byline lines or a format's
author fields.

`parse_byline("By Stephen Collinson, CNN", outlet="CNN")` -> ["Stephen Collinson"]: the
marker ("By", "Par", "Por", "Von", "Di", "Door", "Av" ...), dates and times, handles,
e-mail addresses, roles ("Staff Writer", "Senior Editor") and the outlet are removed, and
the rest is split into people at commas and "and"/"und"/"et"/"y"/"e"/"&". Words glued by
a scraper ("ByTravis Haney", "Howard BlumeStaff Writer") are pulled apart first.

`find_byline(view, anchor)` looks only at the lines around the article's own headline
(`anchor`), so a teaser's byline for another story further down is never read. A line
with a marker wins; a bare line that is only a person's name (its first word a given
name) counts just below the headline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sitegen.ingest.dates import date_mentions
from sitegen.ingest.pageview import PageView
from sitegen.ingest.text import (
    RELATIVE_TIME,
    STOP_WORDS,
    any_word,
    replace_spans,
    sentence_key,
    word_count,
    word_set,
)

_MARKERS = (
    r"by|von|vom|par|por|door|di|da|av|af|de|autor(?:in)?|auteur|author|authors|written\s+by"
    r"|words\s+by|text\s+by|texte|text|story\s+by|posted\s+by|reporting\s+by|reported\s+by"
    r"|edited\s+by|escrito\s+por|publicado\s+por|geschrieben\s+von|écrit\s+par|napsal[a]?"
    r"|autoři|autor\s+textu|z\s+autorem"
)
_MARKER = re.compile(rf"^(?:{_MARKERS})(?:\s*:\s*|\s+)", re.I)
_MARKER_INSIDE = re.compile(r"(?:^|[\s|·•/,])(?:by|par|por|von)\s+(?=\S)", re.I)
_MARKER_ONLY = re.compile(rf"^(?:{_MARKERS})\s*:?$", re.I)
_GLUED_MARKER = re.compile(r"^(?:By)+(?=[A-Z])|^(?:by)+(?=\s)", re.I)

_ROLE_WORDS = word_set(
    """staff writer writers reporter reporters editor editors correspondent correspondents
    contributor contributors contributing columnist columnists freelance freelancer author
    senior chief deputy associate assistant executive managing political politics national
    international foreign science health business tech technology culture sports
    photographer photographers producer producers analyst analysts desk team fellow intern
    news ceo cfo cto founder cofounder co-founder president director head host anchor
    special bureau blogger guest opinion columnista redactor redacción redaktion rédaction
    journaliste journalist journalistin korrespondent korrespondentin twitter facebook
    instagram linkedin follow email mail read more min minute minutes comments comment
    published posted updated view archive archives link copied profile bio stories
    articles posts contact website homepage share"""
)
#: A photo credit is a name and an agency or a company: never a byline.
_CREDIT_WORDS = any_word(
    r"reuters ap afp epa getty images shutterstock alamy istock\w* photo photos pool"
    r" handout courtesy xinhua anadolu bloomberg file dpa ansa efe upi bros studios?"
    r" pictures films records inc ltd llc corp"
)
_PARTICLES = word_set(
    "de da do dos das del della der den di du la le van von ten ter bin ibn al el y e st"
)
_SPLIT_PEOPLE = re.compile(
    r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bog\b|\boch\b|\ba\b|、)\s*"
)
_HARD_SEPARATORS = re.compile(r"\s*(?:[|·•]|\s[/–—-]\s|/|\s-|\(|\)|\[|\]|:\s)\s*")
_HANDLE = re.compile(r"@\w+|\S+@\S+\.\w+|https?://\S+|www\.\S+")
_CAMEL = re.compile(r"(?<=[a-zà-ÿ]{3})([A-Z][a-zà-ÿ'’]+|[A-Z]{2,}(?![a-z]))")
_INNER_CAPITAL_OK = re.compile(r"^(?:Mc|Mac|O['’]|D['’]|De|Di|Da|Du|La|Le|Van|Von|Fitz|St)[A-Z]")
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*|[A-Z]\.(?:[A-Z]\.)*|O['’]\w+)$")
#: What a byline says besides its dates: times of day, read-time notes, "2 hours ago".
_TIME_NOTES: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"\b\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,4}|ET|PT|UTC|GMT))?\b"
        r"|\b\d{1,2}\s*[ap]\.?m\.?\b",
        re.I,
    ),
    re.compile(r"\b\d+\s*(?:min(?:ute)?s?|minuten)\s*(?:read|lesen|lecture)?\b", re.I),
    RELATIVE_TIME,
)
_DATE_WORDS = any_word(
    r"published updated posted modified last\s+updated on at am le el il um publié"
    r" veröffentlicht aktualisiert mis\s+à\s+jour actualizado today yesterday"
    r" mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday"
    r" friday saturday sunday",
    after=r"\b\.?,?",
)


def _lexicon():
    from sitegen.entities.lexicon import lexicon

    return lexicon()


def _strip_dates(text: str) -> str:
    """Dates, times and read-time notes become separators ("|")."""
    spans = [(m.start, m.end) for m in date_mentions(text)]
    spans += [m.span() for pattern in _TIME_NOTES for m in pattern.finditer(text)]
    return replace_spans(text, spans, " | ")


def _unglue(text: str) -> str:
    """Pull apart what a scraper glued: "ByTravis", "BlumeStaff Writer", "WisemanFatima"."""
    text = _GLUED_MARKER.sub("By ", text)
    text = _HANDLE.sub(" | ", text)

    def split(match: re.Match[str]) -> str:
        word = match.group(1)
        if word.lower() in _ROLE_WORDS or word.upper() == word and len(word) >= 2:
            return " | " + word  # a role or a label glued on: the name ends here
        if word in _lexicon().first_names:
            return ", " + word  # the next person's given name
        return word  # "BuzzFeed", "DiChristopher": one word

    return _CAMEL.sub(split, text)


def _outlet_key(outlet: str | None) -> str:
    return sentence_key(outlet or "")


def _is_person(tokens: list[str], marked: bool) -> bool:
    """Two to five name-shaped words; without a byline marker the first must be a given name."""
    if not 2 <= len(tokens) <= 5:
        return False
    capitalised = 0
    lex = _lexicon()
    for position, token in enumerate(tokens):
        low = token.lower().strip(".")
        if low in _PARTICLES and 0 < position < len(tokens) - 1:
            continue
        given = position == 0 and token in lex.first_names  # "Will Leitch", "May Bulman"
        if (
            (low in STOP_WORDS and not given)
            or low in _ROLE_WORDS
            or any(ch.isdigit() for ch in token)
        ):
            return False
        if _NAME_TOKEN.match(token):
            capitalised += 1
        elif not (marked and position > 0 and token.isalpha()):
            return False  # "Cindy mangomini" passes only after a "By"
    if capitalised == 0:
        return False
    first = tokens[0].strip(".")
    if first.isupper() and len(first) > 1:
        first = first.title()
    if first in lex.first_names or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", tokens[0]):
        return True
    everyday = all(t.lower().strip(".") in lex.everyday_words for t in tokens)
    return marked and not everyday


def _title_case(name: str) -> str:
    """ "JOSH HASKELL" -> "Josh Haskell"; mixed case stays as written."""
    if name.isupper():
        return " ".join(w if len(w) <= 2 and w.endswith(".") else w.title() for w in name.split())
    return name


def _people_in(segment: str, outlet_key: str, marked: bool) -> list[str]:
    names: list[str] = []
    for piece in _SPLIT_PEOPLE.split(segment):
        tokens = [t.strip(",;") for t in piece.split() if t.strip(",;")]
        # a role or a place written after the name: "Howard Blume Staff Writer", "Michael
        # Larabel in Valve" -> the name alone
        for cut, token in enumerate(tokens):
            low = token.lower()
            lower_word = token[:1].islower() and low not in _PARTICLES
            ends_on_particle = low in _PARTICLES and cut == len(tokens) - 1
            digits = any(ch.isdigit() for ch in token)
            stop = (
                low in _ROLE_WORDS or low in STOP_WORDS or lower_word or ends_on_particle or digits
            )
            if cut >= 2 and stop and (low not in _PARTICLES or ends_on_particle):
                tokens = tokens[:cut]
                break
        mixed_case = not " ".join(tokens).isupper()
        for cut, token in enumerate(tokens):
            inner = any(ch.isupper() for ch in token[1:]) and not _INNER_CAPITAL_OK.match(token)
            shouting = token.isupper() and len(token) >= 2 and not token.endswith(".")
            if cut >= 2 and mixed_case and (inner or shouting):
                tokens = tokens[:cut]  # "Ikran Dahir BuzzFeed UK": the outlet after the name
                break
        everyday = _lexicon().everyday_words
        while len(tokens) >= 3 and tokens[-1].lower() in everyday:
            tokens = tokens[:-1]  # "Ben Silverman Games": a section name after the name
        if not tokens:
            continue
        if tokens and tokens[0] in tokens[1:]:
            tokens = tokens[: tokens.index(tokens[0], 1)]  # "Ellyn Shook Ellyn Shook"
        name = " ".join(tokens)
        if outlet_key and sentence_key(name) == outlet_key:
            continue
        if _CREDIT_WORDS.search(name):
            continue  # "Image by Getty Images": a credit, not an author
        if _is_person(tokens, marked):
            names.append(_title_case(name))
    return names


def parse_byline(text: str, outlet: str | None = None) -> list[str]:
    """The people a byline line names, in order; [] when it names none."""
    text = " ".join(text.split())
    if not text or word_count(text) > 40:
        return []
    text = _unglue(text)
    marked = bool(_MARKER.match(text))
    if not marked:
        inside = _MARKER_INSIDE.search(text)  # "December 19, 2016 by Maggie Winterfeldt"
        if inside and word_count(_strip_dates(text[: inside.start()])) <= 3:
            text, marked = text[inside.end() :], True
    else:
        text = _MARKER.sub("", text, count=1)
    text = _strip_dates(text)
    text = _DATE_WORDS.sub(" ", text) if marked else text
    outlet_key = _outlet_key(outlet)
    for segment in _HARD_SEPARATORS.split(text):
        segment = segment.strip(" ,;.")
        if not segment:
            continue
        names = _people_in(segment, outlet_key, marked)
        if names:
            return list(dict.fromkeys(names))
    return []


def clean_author_field(value: object, outlet: str | None = None) -> list[str]:
    """Names from a format's author field: a string, a list, or objects with a `name`."""
    items: Iterable[object] = value if isinstance(value, (list, tuple)) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name") or ""
        if not isinstance(item, str):
            continue
        text = " ".join(item.split())
        if not text or re.match(r"^(?:https?://|www\.)", text):
            continue
        found = parse_byline(text if _MARKER.match(text) else f"By {text}", outlet)
        names.extend(n for n in found if n not in names)
    return names


# --- where the byline is ---------------------------------------------------------------

#: Lines below the headline searched for its byline, and above it; a bare name (no "By")
#: counts only this close below the headline.
BELOW, ABOVE, BARE_NAME_BELOW = 20, 3, 8


def byline_window(view: PageView, anchor: int) -> list[int]:
    """Line indexes to read, nearest first: below the headline, then above it."""
    below = list(range(anchor + 1, min(len(view.lines), anchor + 1 + BELOW)))
    above = list(range(anchor - 1, max(-1, anchor - 1 - ABOVE), -1))
    return below + above


def _mostly_names(text: str, names: list[str]) -> bool:
    """Besides the names, at most two words that are not a role, a date or a handle:
    "Sam Stein Senior Politics Editor" is a byline, "Jane Roe said on Monday" is not."""
    if _CREDIT_WORDS.search(text):
        return False
    rest = sentence_key(_strip_dates(_unglue(text)))
    for name in names:
        rest = rest.replace(sentence_key(name), " ")
    left = [w for w in rest.split() if w not in _ROLE_WORDS and w not in ("the", "and", "of")]
    return len(left) <= 2


def find_byline(
    view: PageView, anchor: int | None, outlet: str | None = None
) -> tuple[list[str], str]:
    """(names, how) from the byline nearest the headline at `anchor` (an index into
    view.lines); ([], reason) when there is none.

    Below the headline first, until the story's running text has begun (a standfirst or
    two may come before it), then the lines just above it. A line with a marker ("By",
    "Par", a name with the date) wins; else a bare name right under the headline."""
    if anchor is None:
        return [], "no headline to look under"
    bare: tuple[int, list[str]] | None = None
    below = [i for i in byline_window(view, anchor) if i > anchor]
    above = [i for i in byline_window(view, anchor) if i < anchor]
    prose_seen = 0
    for index in below:
        if view.prose[index] and not _MARKER.match(view.lines[index]):
            prose_seen += 1
            if prose_seen >= 3:
                break  # the story has begun
            continue
        names, marked = _byline_at(view, index, outlet)
        if not names:
            continue
        if marked:
            if bare is not None:
                break  # a bare name right under the headline came first
            return names, f"byline line {view.number(index)}"
        if (
            bare is None
            and index - anchor <= BARE_NAME_BELOW
            and _mostly_names(view.lines[index], names)
        ):
            bare = (index, names)
    if bare is not None:
        return bare[1], f"name line {view.number(bare[0])}"
    for index in above:
        names, marked = _byline_at(view, index, outlet)
        if names and marked:
            return names, f"byline line {view.number(index)}"
    return [], "no byline near the headline"


def _byline_at(view: PageView, index: int, outlet: str | None) -> tuple[list[str], bool]:
    """(names, whether the line is marked as a byline) for one line of the page."""
    lines = view.lines
    text = lines[index]
    if view.prose[index] and not _MARKER.match(text):
        return [], False
    if _MARKER_ONLY.match(text) and index + 1 < len(lines):
        text = f"{text.rstrip(':')} {lines[index + 1]}"  # "By" / "Jane Roe"
    marked = bool(_MARKER.match(_unglue(text))) or bool(_MARKER_INSIDE.search(text))
    names = parse_byline(text, outlet)
    if not marked and date_mentions(text) and word_count(text) <= 20:
        # "Saibal Dasgupta / TNN / Updated: Oct 9, 2019": a name first, then the date
        dated_names = parse_byline(f"By {text}", outlet)
        if dated_names and sentence_key(text).startswith(sentence_key(dated_names[0])):
            return dated_names, True
    return names, marked
