"""The catalog stage: one name per person across the archive (the same alias rules as
`sitegen extract`, with the site's overrides), applied to each article without touching
the cached parse, then the articles cross-referenced (catalog.py). Keeps the mapping
(PeopleCache) and the catalog in the build's memory, so serve's edits take a short way.
Owns no I/O: the overrides are read by the pipeline.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from sitegen.model import Article
from sitegen.site.catalog import Catalog, build_catalog, update_catalog
from sitegen.site.state import BuildState, CachedFile, listing_digest
from sitegen.site.visibility import PUBLISHED, Visibility

if TYPE_CHECKING:
    from sitegen.site.load import Loaded
    from sitegen.site.memory import BuildMemory


@dataclass(slots=True)
class Rewritten:
    """An article as read, as its people's canonical names make it, and the latter's
    listing digest once a page asks for it."""

    read: Article
    rewritten: Article
    listing: str | None = None


@dataclass
class PeopleCache:
    key: str  # of the overrides and every people list, oldest article first
    archive: Any
    overrides: str  # repr of the overrides it was made with
    memo: dict[str, Rewritten]  # PeopleNames.memo, kept while the mapping is the same
    mapping: str  # digest of what the archive maps each name to: part of the plan digest


def same_people(old: CachedFile | None, new: CachedFile | None) -> bool:
    """Whether a changed file leaves the people mapping's input as it was: the same
    people list, at the same place in the archive's order."""
    if old is None or new is None or old.article is None or new.article is None:
        return False
    return old.article.people == new.article.people and (
        old.article.sort_key == new.article.sort_key
    )


class PeopleNames:
    """The archive's people mapping, applied without touching cached articles."""

    def __init__(self, archive: Any, digest: str, memo: dict[str, Rewritten] | None = None):
        self.archive = archive
        self.digest = digest
        #: content path -> its rewrite; kept between builds, so an unchanged article is
        #: rewritten (copied) only once
        self.memo: dict[str, Rewritten] = memo if memo is not None else {}

    def rewrite(self, article: Article) -> Article:
        known = self.memo.get(article.path)
        if known is not None and known.read is article:
            return known.rewritten
        result = self.canonical(article)
        self.memo[article.path] = Rewritten(article, result)
        return result

    @overload
    def canonical(self, article: Article) -> Article: ...
    @overload
    def canonical(self, article: None) -> None: ...
    def canonical(self, article: Article | None) -> Article | None:
        """The article with its people under their canonical names (a copy if any differ)."""
        if article is None:
            return None
        names = self.archive.apply(article.people)
        return article if names == article.people else dataclasses.replace(article, people=names)

    def listing(self, path: str) -> str | None:
        """The listing digest of an article whose people were rewritten; else None (the
        parse cache's digest stands)."""
        known = self.memo.get(path)
        if known is None or known.rewritten is known.read:
            return None
        if known.listing is None:
            known.listing = listing_digest(known.rewritten)
        return known.listing

    def name_aliases(self, catalog: Catalog) -> None:
        for name, term in catalog.terms["people"].items():
            term.aliases = sorted(set(self.archive.aliases.get(name, [])) - {name})


def catalog_with_people(
    memory: BuildMemory,
    previous: BuildState,
    loaded: Loaded,
    overrides: Any,
    visibility: Visibility = PUBLISHED,
) -> tuple[Catalog, PeopleNames]:
    """The articles, people names made canonical, cross-referenced into a Catalog.

    serve's edits take a short way: when the last build's catalog is at hand and no
    changed article added, dropped or reordered a people list, the people mapping is
    the same and update_catalog patches just the changed articles in.
    """
    files, fresh, changed = loaded.files, loaded.fresh, loaded.changed
    warm, cache = memory.catalog, memory.people_cache

    def seen(cached: CachedFile | None) -> bool:  # a draft or page in or out: a new mapping
        return (
            cached is not None and cached.article is not None and visibility.lists(cached.article)
        )

    held = visibility.held_for_date(f.article for f in files.values() if f.article is not None)
    if (
        warm is not None
        and cache is not None
        and memory.catalog_state is previous
        and warm.held_for_date == held
        and cache.overrides == repr(overrides)
        and all(same_people(previous.files.get(rel), files.get(rel)) for rel in changed)
        and all(seen(previous.files.get(rel)) == seen(files.get(rel)) for rel in changed)
    ):
        people = PeopleNames(cache.archive, cache.mapping, cache.memo)
        if not changed:
            return warm, people
        removed = [warm.by_path[rel] for rel in changed if rel in warm.by_path]
        added = [
            people.rewrite(fresh.get(rel) or files[rel].article)  # type: ignore[arg-type]
            for rel in changed
            if files[rel].article is not None and visibility.lists(files[rel].article)
        ]
        catalog = update_catalog(warm, removed, added)
        if catalog is not None:
            catalog.held_for_date = held
            return catalog, people
    articles = [
        fresh.get(rel) or cached.article
        for rel, cached in sorted(files.items())
        if cached.article is not None and visibility.lists(cached.article)
    ]
    people = people_names(memory, articles, overrides)
    catalog = build_catalog([people.rewrite(a) for a in articles])
    people.name_aliases(catalog)
    catalog.held_for_date = held
    return catalog, people


def people_names(memory: BuildMemory, articles: list[Article], overrides: Any) -> PeopleNames:
    """One name per person across the archive, with the site's overrides applied.

    Uses the same rules as `sitegen extract` (sitegen/entities), so a correction in
    sitegen.toml or people.toml shows on every page at the next build. Cached on the
    people lists themselves, which rarely change.
    """
    from sitegen.entities.aliases import canonicalize_archive

    ordered = sorted(articles, key=lambda a: a.sort_key, reverse=True)  # oldest first
    key = hashlib.sha1(repr((overrides, [a.people for a in ordered])).encode()).hexdigest()
    cache = memory.people_cache
    if cache is None or cache.key != key:
        archive = canonicalize_archive([a.people for a in ordered], overrides)
        # pages depend on the mapping, not on the lists it was made from: a date edit
        # that reorders them but leaves every name as it was changes no other page
        mapping = repr((sorted(archive.canonical.items()), sorted(archive.aliases.items())))
        cache = memory.people_cache = PeopleCache(
            key, archive, repr(overrides), {}, hashlib.sha1(mapping.encode()).hexdigest()
        )
    return PeopleNames(cache.archive, cache.mapping, cache.memo)
