"""Which outputs depend on which inputs: page signatures and the build state between runs.

Every output file gets a signature: a hash of what it shows (the articles' listed fields,
terms, counts), the templates it is rendered with (with everything they extend, include or
import), the site settings and the slug table. A later build re-renders only the outputs
whose signature changed and removes the ones no longer produced, so an incremental build
writes exactly what a clean build would. `build` and `serve` both use this one graph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from sitegen.files import atomic_stream
from sitegen.model import Article, Problem, Term
from sitegen.site.pages import Pagination

STATE_VERSION = 7


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
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
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


def listing_digest(article: Article) -> str:
    """Everything of an article (as read from its file) that a list of articles can show."""
    parts = (
        article.title,
        _date_text(article.date),
        str(article.date_has_time),
        article.source or "",
        article.url or "",
        article.summary or "",
        article.slug,
        "\x1e".join(article.people),
        "\x1e".join(article.topics),
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
        _date_text(article.date),
        article.slug,
        "\x1e".join(article.people),
        "\x1e".join(article.topics),
        article.source or "",
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
    )


def strip_body(article: Article) -> Article:
    """A copy for the cache: the body is re-read from its file when a page needs it."""
    clone = Article(**{**article.__dict__})
    clone.body = ""
    clone.body_loaded = False
    return clone


class Fingerprints:
    """Stable digests of the values a page shows, computed once per article per build."""

    def __init__(self, global_parts: list[str], listings: dict[str, str] | None = None):
        self.base = hashlib.sha1("\x1f".join(global_parts).encode("utf-8")).hexdigest()
        self.listings = listings or {}  # content path -> listing digest from the parse
        # id(article) -> (article, urls, its part of a fingerprint): an article is listed
        # on many pages (its people's, topics', month's...); the article is held, so its
        # id cannot be reused while the entry lives
        self._listed: dict[int, tuple[Article, dict[int, str], str]] = {}

    def article(self, article: Article, path: str) -> str:
        """An article as a list shows it: its listing fields and where it links to."""
        listing = self.listings.get(article.path) or listing_digest(article)
        return f"{listing}@{path}"

    def _listed_article(self, article: Article, urls: dict[int, str]) -> str:
        known = self._listed.get(id(article))
        if known is not None and known[0] is article and known[1] is urls:
            return known[2]
        made = "A" + self.article(article, urls.get(id(article), ""))
        self._listed[id(article)] = (article, urls, made)
        return made

    def value(self, value: Any, urls: dict[int, str], out: list[str]) -> None:
        """Flatten a page context into `out` in a fixed order; articles become digests."""
        kind = type(value)
        if kind is list and value and type(value[0]) is Article:
            out.append(f"L{len(value)}")
            listed = self._listed
            for item in value:
                known = listed.get(id(item))
                if known is not None and known[0] is item and known[1] is urls:
                    out.append(known[2])
                elif type(item) is Article:
                    out.append(self._listed_article(item, urls))
                else:
                    self.value(item, urls, out)
            return
        if kind is str or kind is int or value is None:
            out.append(repr(value))
            return
        if kind is dict:
            for key in sorted(value, key=str):
                out.append(f"K{key}")
                item = value[key]
                if type(item) is str or type(item) is int or item is None:
                    out.append(repr(item))
                else:
                    self.value(item, urls, out)
            return
        if isinstance(value, Article):
            out.append(self._listed_article(value, urls))
        elif kind is Pagination:
            out.append(f"P{value.number}/{value.total}/{value.base}")
            self.value(value.items, urls, out)
        elif isinstance(value, Term):
            out.append(
                f"T{value.taxonomy}\x1f{value.name}\x1f{value.slug}\x1f{len(value.articles)}"
            )
            aliases = getattr(value, "aliases", None)
            if aliases:
                out.append("\x1e".join(aliases))
        elif isinstance(value, dict):
            for key in sorted(value, key=str):
                out.append(f"K{key}")
                self.value(value[key], urls, out)
        elif isinstance(value, (list, tuple)):
            out.append(f"L{len(value)}")
            for item in value:
                self.value(item, urls, out)
        elif isinstance(value, (str, int, float, bool)) or value is None:
            out.append(repr(value))
        elif isinstance(value, dt.datetime):
            out.append(value.isoformat())
        elif hasattr(value, "__dataclass_fields__"):
            out.append(type(value).__name__)
            for name in value.__dataclass_fields__:
                out.append(f"F{name}")
                self.value(getattr(value, name), urls, out)
        else:
            raise TypeError(f"cannot fingerprint a {type(value).__name__} in a page context")

    def page(
        self,
        template_digest: str,
        context: dict[str, Any],
        urls: dict[int, str],
        body_sha: str = "",
    ) -> str:
        parts = [self.base, template_digest, body_sha]
        self.value(context, urls, parts)
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def _date_text(value: dt.datetime | None) -> str:
    return value.isoformat() if value else ""


_REFERENCES: dict[str, set[str]] = {}


class TemplateDigests:
    """A digest per template covering its own source and every template it pulls in."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self._own: dict[str, tuple[str, set[str]]] = {}
        self._closure: dict[str, str] = {}

    def _read(self, name: str) -> tuple[str, set[str]]:
        if name not in self._own:
            source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            digest = hashlib.sha1(f"{filename}\x1f{source}".encode()).hexdigest()
            refs = _REFERENCES.get(digest)
            if refs is None:  # parsing costs more than reading: remember it per source
                tree = self.env.parse(source, name, filename)
                refs = _REFERENCES[digest] = {
                    ref for ref in meta.find_referenced_templates(tree) if ref
                }
            self._own[name] = (digest, refs)
        return self._own[name]

    def digest(self, name: str) -> str:
        if name not in self._closure:
            seen: set[str] = set()
            todo = [name]
            parts = []
            while todo:
                current = todo.pop()
                if current in seen:
                    continue
                seen.add(current)
                own, refs = self._read(current)
                parts.append(f"{current}:{own}")
                todo.extend(sorted(refs))
            self._closure[name] = hashlib.sha1("\x1f".join(sorted(parts)).encode()).hexdigest()
        return self._closure[name]
