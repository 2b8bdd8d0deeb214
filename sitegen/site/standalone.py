"""Standalone pages (About, Contact): `content/pages/*.md`, or `type: page` anywhere.
Each renders at /<slug>/ with page.html and is in no list, feed, archive, term page,
related list or search; the site nav (sitegen.toml's [site] nav) links them. Pure.

A page's address must not be one the site uses for itself (/people/, /2024/, /page/)
nor another page's: that is a problem naming the page's file.
"""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.model import TAXONOMIES, Article, Problem
from sitegen.site.state import CachedFile
from sitegen.site.visibility import Visibility

#: the first segments of the site's own addresses (urls.py, pages.py)
RESERVED = frozenset([*TAXONOMIES.values(), "archive", "search", "page", "static", "undated"])


def page_path(page: Article) -> str:
    return f"{page.slug}/"


def site_pages(
    files: Iterable[tuple[str, CachedFile]], visibility: Visibility
) -> tuple[dict[str, Article], list[Problem]]:
    """content path -> page (in path order) of the pages this build publishes, and the
    problems of those whose address is taken."""
    pages: dict[str, Article] = {}
    owners: dict[str, str] = {}
    problems: list[Problem] = []
    for rel, cached in sorted(files):
        page = cached.article
        if page is None or not page.is_page or not visibility.shows(page):
            continue
        taken = owners.get(page.slug)
        if page.slug in RESERVED or page.slug.isdigit() or taken is not None:
            whose = f"page content/{taken}" if taken else "the site's own pages"
            problems.append(
                Problem(
                    f"content/{rel}",
                    f"this page's address /{page.slug}/ is taken by {whose}: give it "
                    "another 'slug' in its front matter",
                )
            )
            continue
        owners[page.slug] = rel
        pages[rel] = page
    return pages, problems
