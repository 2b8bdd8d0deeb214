"""The word lists the rules backend and the topic finder share, loaded once from package data.

Owns reading `sitegen/entities/data/`; knows nothing about articles. Every list is plain
text so a reviewer can see (and a site can argue with) each entry.
"""

from __future__ import annotations

import functools
import gzip
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from unidecode import unidecode

DATA = "sitegen.entities.data"


@dataclass(frozen=True)
class Place:
    canonical: str
    kind: str  # country, nation, region, state, city
    demonym: bool = False  # matched through "Russian", not "Russia"


@dataclass(frozen=True)
class Organisation:
    canonical: str
    kind: str  # intl, us, company, media...
    yields_to: str = ""  # a more specific organisation that takes its mentions when present


@dataclass(frozen=True)
class Lexicon:
    first_names: frozenset[str]  # given names, exactly as capitalised
    wordlike_first_names: frozenset[str]  # also everyday words ("Will", "Hope")
    everyday_words: frozenset[str]  # lower-case English words that are not given names
    titles: frozenset[str]  # lower case, no final "."; may hold spaces ("prime minister")
    honorifics: frozenset[str]  # Mr, Ms, Dr...: a bare surname after one is a person
    royal_titles: frozenset[str]  # kept in the name before a lone given name
    speech_verbs: frozenset[str]
    org_words: frozenset[str]  # capitalised words that make a run an institution
    not_people: frozenset[str]  # folded names that are never people
    places: dict[str, Place]  # surface form -> place
    organisations: dict[str, Organisation]  # surface form -> organisation
    subjects: dict[str, list[str]]  # topic -> phrases
    max_place_words: int
    max_org_words: int


def words(text: str) -> frozenset[str]:
    """A word list written as one string, for lists too long to quote word by word."""
    return frozenset(text.split())


def fold(text: str) -> str:
    """Case- and accent-free form for comparing names: "Zelenskyy’s" ~ "zelenskyy's"."""
    text = unidecode(text).casefold().replace("`", "'")
    return " ".join(re.sub(r"[^\w'&\- ]", " ", text).split())


def _lines(name: str) -> list[str]:
    raw = resources.files(DATA).joinpath(name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    out = []
    for line in raw.decode("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _table(name: str) -> list[list[str]]:
    return [line.split("\t") for line in _lines(name)]


@functools.cache
def lexicon() -> Lexicon:
    first: set[str] = set()
    wordlike: set[str] = set()
    for line in _lines("first_names.txt.gz"):
        name = line.rstrip("*")
        first.add(name)
        if line.endswith("*"):
            wordlike.add(name)

    titles: set[str] = set()
    honorifics: set[str] = set()
    royal: set[str] = set()
    for line in _lines("titles.txt"):
        word = line.lower()
        if word.startswith("!"):
            word = word[1:]
            honorifics.add(word)
        elif word.startswith("royal:"):
            word = word[6:]
            royal.add(word)
        titles.add(word.rstrip("."))

    places: dict[str, Place] = {}
    for row in _table("places.tsv"):
        row += [""] * (4 - len(row))
        kind, canonical, others, demonyms = row[:4]
        for surface in [canonical, *filter(None, others.split("|"))]:
            places.setdefault(surface, Place(canonical, kind))
        for surface in filter(None, demonyms.split("|")):
            places.setdefault(surface, Place(canonical, kind, demonym=True))

    organisations: dict[str, Organisation] = {}
    for row in _table("organisations.tsv"):
        row += [""] * (4 - len(row))
        kind, canonical, others, yields_to = row[:4]
        for surface in [canonical, *filter(None, others.split("|"))]:
            organisations.setdefault(surface, Organisation(canonical, kind, yields_to))

    subjects_text = resources.files(DATA).joinpath("subjects.toml").read_text(encoding="utf-8")
    subjects = {k: list(v) for k, v in tomllib.loads(subjects_text).items()}

    not_people = {fold(n) for n in _lines("not_people.txt")}
    not_people |= {fold(p) for p in places if " " in p}
    not_people |= {fold(o) for o in organisations if " " in o}
    return Lexicon(
        first_names=frozenset(first),
        wordlike_first_names=frozenset(wordlike),
        everyday_words=frozenset(_lines("common_words.txt.gz")),
        titles=frozenset(titles),
        honorifics=frozenset(honorifics),
        royal_titles=frozenset(royal),
        speech_verbs=frozenset(w.lower() for w in _lines("speech_verbs.txt")),
        org_words=frozenset(w for line in _lines("org_words.txt") for w in line.split()),
        not_people=frozenset(not_people),
        places=places,
        organisations=organisations,
        subjects=subjects,
        max_place_words=max(len(p.split()) for p in places),
        max_org_words=max(len(o.split()) for o in organisations),
    )
