"""Which outputs depend on which inputs: the signature of a page.

Every output file gets a signature: a hash of what it shows (the articles' listed fields,
terms, counts), the templates it is rendered with (with everything they extend, include or
import), the site settings and the slug table. A later build re-renders only the outputs
whose signature changed and removes the ones no longer produced (state.py keeps them), so
an incremental build writes exactly what a clean build would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import jinja2
from jinja2 import meta

from sitegen.model import Article, Term
from sitegen.site.pages import Pagination
from sitegen.site.state import listing_digest


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


_REFERENCES: dict[str, set[str]] = {}


class TemplateDigests:
    """A digest per template covering its own source and every template it pulls in."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self._own: dict[str, tuple[str, set[str]]] = {}
        self._closure: dict[str, str] = {}

    def _read(self, name: str) -> tuple[str, set[str]]:
        if name not in self._own:
            try:
                source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            except jinja2.TemplateNotFound:  # an optional include, or one of a fallback list:
                self._own[name] = (f"missing:{name}", set())  # adding it later is a change
                return self._own[name]
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
            names_left = [name]
            parts = []
            while names_left:
                current = names_left.pop()
                if current in seen:
                    continue
                seen.add(current)
                own, refs = self._read(current)
                parts.append(f"{current}:{own}")
                names_left.extend(sorted(refs))
            self._closure[name] = hashlib.sha1("\x1f".join(sorted(parts)).encode()).hexdigest()
        return self._closure[name]
