"""The plain data every stage passes along: articles, taxonomy terms and problems.

Nothing here touches the disk or knows about HTML; stages build and read these.
"""

from __future__ import annotations

import datetime as dt
import functools
import traceback
from dataclasses import dataclass, field
from typing import Any

#: Taxonomies every site has: front matter key -> URL section.
TAXONOMIES: dict[str, str] = {
    "people": "people",
    "topics": "topics",
    "source": "sources",
    "authors": "authors",
}


@functools.lru_cache(maxsize=262144)
def _timestamp(value: dt.datetime) -> float:
    """Seconds since the epoch; a date without a zone counts as UTC."""
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).timestamp()


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input file, told the way a user can act on it."""

    path: str
    message: str
    line: int | None = None
    #: The traceback of an unexpected failure (shown with --debug); not part of equality.
    detail: str | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def unexpected_problem(path: str, exc: BaseException) -> Problem:
    """A failure no check foresaw on one input, named so the run can go on without it.

    The message names the exception's type and text (what a bug report needs); the
    traceback is kept for --debug rather than shown to every user.
    """
    text = " ".join(str(exc).split())[:300]
    message = f"could not process: {type(exc).__name__}" + (f": {text}" if text else "")
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return Problem(path, message, detail=detail)


class ProblemError(Exception):
    """Raised by a stage that cannot go on; carries the Problem for the CLI to show."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem

    def __reduce__(self):  # crosses process boundaries intact (a worker's template error)
        return (type(self), (self.problem,))


@dataclass
class Article:
    """One news article as read from `content/`: front matter plus Markdown body."""

    path: str  # relative to content/, with forward slashes
    title: str
    body: str  # Markdown source
    date: dt.datetime | None = None  # naive dates become midnight; tz kept when given
    date_has_time: bool = False
    source: str | None = None
    url: str | None = None  # the original address of the article
    people: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # the byline, as written (not aliased)
    slug: str = ""
    summary: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    body_sha: str = ""  # of the Markdown body, to tell an edited article from an unchanged one
    body_loaded: bool = True  # False for articles restored from the build cache without body
    #: relative file paths the body links (site/assets.py): copied beside the page
    links: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple:
        """Newest first, undated last, then by path so order never depends on the disk."""
        if self.date is None:
            return (1, 0.0, self.path)
        return (0, -_timestamp(self.date), self.path)

    @property
    def draft(self) -> bool:
        """`draft: true` in the front matter: left out of the site unless drafts are built."""
        return self.extra.get("draft") is True

    @property
    def is_page(self) -> bool:
        """A standalone page (content/pages/, or `type: page`), not an archive article."""
        kind = self.extra.get("type")
        return kind == "page" if kind is not None else self.path.startswith("pages/")

    def terms(self, taxonomy: str) -> list[str]:
        if taxonomy == "source":
            return [self.source] if self.source else []
        return list(getattr(self, taxonomy))


@dataclass
class Term:
    """One person, topic, source or author, with the articles that name it (newest first)."""

    taxonomy: str  # "people", "topics", "source" or "authors"
    name: str
    slug: str
    articles: list[Article] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # other spellings merged into this name

    @property
    def section(self) -> str:
        return TAXONOMIES[self.taxonomy]
