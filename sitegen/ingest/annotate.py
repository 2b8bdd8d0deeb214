"""The one hook where an imported article's fields are enriched before it is written.

People and topics are found here (sitegen/entities), from the cleaned story only, never
the page furniture or the other stories a page carried, so what is found belongs to this
article. Names are resolved within the article here; merging spellings across the
archive and ranking topics against it happen after the import (`sitegen extract`'s pass).
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
    return fields
