"""The archive's people mapping as the build applies it: each article's people under
their canonical names, without touching the cached parse; and what serve keeps of it
between builds (PeopleCache). Owns no I/O.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, overload

from sitegen.model import Article
from sitegen.site.catalog import Catalog
from sitegen.site.graph import CachedFile, listing_digest


@dataclass
class PeopleCache:
    key: str  # of the overrides and every people list, oldest article first
    archive: Any
    overrides: str  # repr of the overrides it was made with
    memo: dict[str, list]  # PeopleNames.memo, kept while the mapping is the same
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

    def __init__(self, archive: Any, digest: str, memo: dict[str, list] | None = None):
        self.archive = archive
        self.digest = digest
        #: content path -> [article as read, as rewritten, its listing digest once asked];
        #: kept between builds, so an unchanged article is rewritten (copied) only once
        self.memo: dict[str, list] = memo if memo is not None else {}

    def rewrite(self, article: Article) -> Article:
        known = self.memo.get(article.path)
        if known is not None and known[0] is article:
            return known[1]
        result = self.canonical(article)
        self.memo[article.path] = [article, result, None]
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
        parse cache's digest stands). Asked after the catalog has given it its slug."""
        known = self.memo.get(path)
        if known is None or known[1] is known[0]:
            return None
        if known[2] is None:
            known[2] = listing_digest(known[1])
        return known[2]

    def name_aliases(self, catalog: Catalog) -> None:
        for name, term in catalog.terms["people"].items():
            term.aliases = sorted(set(self.archive.aliases.get(name, [])) - {name})
