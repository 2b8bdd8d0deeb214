"""The build state between runs: each content file's parse and digests, each output's
signature, the page families; saved in the site's cache folder, read by the next build.
The digests here say what of an article a page can show (see signatures.py). Not here:
when the state is saved (memory.py), what changed (load.py, invalidate.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.files import atomic_stream
from sitegen.model import Article, Problem

STATE_VERSION = 9  # 8: Article.links, the draft flag in placing digests; 9: authors


@dataclass
class CachedFile:
    mtime_ns: int
    size: int
    article: Article | None  # without body
    problem: Problem | None
    digest: str = ""  # article_digest(article), computed once when the file is parsed
    listing: str = ""  # listing_digest(article), likewise
    placing: str = ""  # placing_digest(article): what decides the lists it is in


@dataclass
class BuildState:
    """What the last successful build knew; kept in the site's cache folder."""

    version: int = STATE_VERSION
    output_dir: str = ""
    files: dict[str, CachedFile] = field(default_factory=dict)  # content rel path -> cache
    outputs: dict[str, str] = field(default_factory=dict)  # output rel path -> signature
    families: dict[tuple, list[str]] = field(default_factory=dict)  # family -> output rels
    pages: set[str] = field(default_factory=set)  # output rels that are HTML pages
    related: dict[str, list[str]] = field(default_factory=dict)  # article -> related paths
    plan_digest: str = ""  # settings, templates and slugs the plan was made with
    search_meta: str = ""  # the static search export's meta file (site path)
    search_files: list[tuple[str, str]] = field(default_factory=list)  # (site path, cached file)


def state_path(cache_dir: Path) -> Path:
    return cache_dir / "build-state.pickle"


def load_state(cache_dir: Path) -> BuildState:
    """The previous build's state, or an empty one if missing, stale or unreadable."""
    try:
        with state_path(cache_dir).open("rb") as handle:
            state = pickle.load(handle)
    except Exception:  # unpickling a damaged file can raise almost anything: start clean
        return BuildState()
    if not isinstance(state, BuildState) or state.version != STATE_VERSION:
        return BuildState()
    return state


def save_state(cache_dir: Path, state: BuildState) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    # not fsynced: a state lost or cut short by a crash fails to load, and the next build
    # is a clean one (the output it describes is not fsynced either)
    with atomic_stream(state_path(cache_dir), durable=False) as handle:
        pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)


def date_text(value: dt.datetime | None) -> str:
    return value.isoformat() if value else ""


def listing_digest(article: Article) -> str:
    """Everything of an article (as read from its file) that a list of articles can show."""
    parts = (
        article.title,
        date_text(article.date),
        str(article.date_has_time),
        article.source or "",
        article.url or "",
        article.summary or "",
        article.slug,
        "\x1e".join(article.people),
        "\x1e".join(article.topics),
        "\x1e".join(article.authors),
        repr(sorted(article.extra.items(), key=lambda kv: kv[0])),
    )
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def article_digest(article: Article, listing: str | None = None) -> str:
    """Everything of an article that any page can show: its listing fields and body."""
    return hashlib.sha1(
        f"{listing or listing_digest(article)}:{article.body_sha}".encode()
    ).hexdigest()


def placing_digest(article: Article) -> str:
    """The fields that decide which lists an article is in and where: date, URL, terms."""
    parts = (
        date_text(article.date),
        article.slug,
        "\x1e".join(article.people),
        "\x1e".join(article.topics),
        article.source or "",
        "\x1e".join(article.authors),
        str(article.draft),
    )
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def moves_in_lists(old: Article | None, new: Article | None) -> bool:
    """Whether an edit can change which lists an article is in, or where."""
    if old is None or new is None:
        return True
    return (
        old.date != new.date
        or old.slug != new.slug
        or old.people != new.people
        or old.topics != new.topics
        or old.source != new.source
        or old.authors != new.authors
        or old.draft != new.draft  # in or out of every list, unless drafts are built
    )


def strip_body(article: Article) -> Article:
    """A copy for the cache: the body is re-read from its file when a page needs it."""
    clone = Article(**{**article.__dict__})
    clone.body = ""
    clone.body_loaded = False
    return clone
