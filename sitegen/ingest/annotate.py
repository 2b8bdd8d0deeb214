"""The one hook where an imported article's fields are enriched before it is written.

People and topics are found here (sitegen/entities), from the cleaned story only, never
the page furniture or the other stories a page carried, so what is found belongs to this
article. Names are resolved within the article here; merging spellings across the
archive and ranking topics against it happen after the import (`sitegen extract`'s pass).

Authors (from the byline) are written as the article's `people` spell them when the
person is also named in the story ("Steve Benen" in the byline, "Stephen Benen" nowhere:
kept; "Yury Ushakov" in the byline, "Yuri Ushakov" in the story: "Yuri Ushakov"), and
through the site's people overrides (aliases) like people are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ArticleFields:
    """What the importer is about to write, as plain values."""

    title: str
    paragraphs: list[str]  # the cleaned story, plain text, one string a paragraph
    title_derived: bool = False
    date: dt.date | dt.datetime | None = None
    source: str | None = None
    url: str | None = None
    people: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # the byline's people, in its order


def annotate(fields: ArticleFields, settings: Any = None) -> ArticleFields:
    """Fill in people and topics (settings: an EntitySettings, or None for defaults)."""
    from sitegen.entities.extract import analyse_article
    from sitegen.entities.overrides import apply_overrides
    from sitegen.entities.topics import TopicStats, rank_topics

    found = analyse_article(fields.title, "\n\n".join(fields.paragraphs), settings)
    if settings is not None:
        fields.people = apply_overrides(found.people, settings.overrides)
        limit, exclude = settings.max_topics, settings.exclude_topics
    else:
        fields.people = list(found.people)
        limit, exclude = 8, frozenset()
    stats = TopicStats.from_candidates([found.candidates])
    fields.topics = rank_topics(found.candidates, stats, limit, exclude)
    authors = fields.authors
    if settings is not None and authors:
        authors = apply_overrides(authors, settings.overrides)
    fields.authors = canonical_authors(authors, fields.people)
    return fields


def canonical_authors(authors: list[str], people: list[str]) -> list[str]:
    """Each author under the spelling `people` uses for the same person, once each.

    The same person: the same name after transliteration folds (aliases.spelling_key), or
    the same first and last name around a middle name or initial ("William K. Rashbaum")."""
    from sitegen.entities.aliases import spelling_key

    by_key: dict[str, str] = {}
    by_ends: dict[tuple[str, str], str] = {}
    for person in people:
        key = spelling_key(person)
        by_key.setdefault(key, person)
        words = key.split()
        if len(words) >= 2:
            by_ends.setdefault((words[0], words[-1]), person)
    out: list[str] = []
    for author in authors:
        key = spelling_key(author)
        words = key.split()
        name = by_key.get(key)
        if name is None and len(words) >= 2:
            name = by_ends.get((words[0], words[-1]))
        name = name or author
        if name not in out:
            out.append(name)
    return out
