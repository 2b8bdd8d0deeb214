"""The one hook where an imported article's fields are enriched before it is written.

Entity extraction (people, topics; sitegen/entities) plugs in here: replace the body of
`annotate` with a call into it. It receives the cleaned story only, never the page
furniture or the other stories a page carried, so what it finds belongs to this article.
Until then it changes nothing and people/topics stay empty lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


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


def annotate(fields: ArticleFields) -> ArticleFields:
    """Fill in people and topics. A no-op until entity extraction exists."""
    return fields
