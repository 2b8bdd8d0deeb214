"""What an edit touches: the plan digest (what every page depends on: when it changes,
every page is planned again) and, when it holds, the page families a set of changed
articles can show on, with the related-article lists still valid. Pure.
"""

from __future__ import annotations

import hashlib

from sitegen import __version__
from sitegen.config import Config
from sitegen.model import TAXONOMIES
from sitegen.site.catalog import RELATED_WEIGHTS, Catalog, rarity_class, term_window
from sitegen.site.people import PeopleNames
from sitegen.site.signatures import TemplateDigests
from sitegen.site.state import BuildState, CachedFile, moves_in_lists
from sitegen.site.unchanged import config_fields

#: settings no page shows: changing one replans nothing
NOT_ON_PAGES = ("root", "output", "cluster_address")


def plan_digest(
    config: Config,
    catalog: Catalog,
    digests: TemplateDigests,
    people: str,
    assets: dict[str, str] | None = None,
) -> str:
    """What every page depends on: settings, all templates, slugs, the people mapping,
    the content hashes of the theme's static files (every page links them with one)."""
    parts = [__version__, people, repr(sorted((assets or {}).items()))]
    parts.append(
        repr(sorted((k, repr(v)) for k, v in config_fields(config) if k not in NOT_ON_PAGES))
    )
    for name in sorted(digests.env.list_templates()):
        parts.append(f"{name}:{digests.digest(name)}")
    if any(catalog.terms.values()):
        parts.append(catalog.slug_table())
    parts.append("\x1f".join(catalog.held_for_date))  # --no-future: one came due
    return hashlib.sha1("\x1e".join(parts).encode("utf-8")).hexdigest()


def touched_families(
    previous: BuildState,
    files: dict[str, CachedFile],
    catalog: Catalog,
    changed_files: list[str],
    people: PeopleNames,
) -> tuple[list[tuple], dict[str, list[str]], bool, set[str]]:
    """The families an incremental build must look at, and related lists still valid.

    Changed articles dirty their own page, their terms' pages and feeds, their months,
    and the article pages whose related lists can move: those that listed them, and
    their neighbours in each term's list (see catalog.related_articles). Both versions
    are taken with canonical people names, as the pages show them (the mapping is the
    previous build's too, or the plan digest would have changed).
    """
    old = {
        rel: people.canonical(previous.files[rel].article)
        for rel in changed_files
        if rel in previous.files
    }
    new = {rel: people.canonical(files[rel].article) for rel in changed_files if rel in files}
    # the archive index and the term indexes show counts: only a move changes them
    keys: dict[tuple, None] = dict.fromkeys([("home",), ("feed",), ("search",)])
    for versions in (old, new):  # a standalone page is in no list: its own page only
        for rel in [rel for rel, a in versions.items() if a is not None and a.is_page]:
            keys[("page", rel)] = versions[rel] = None  # type: ignore[assignment]
    changed = [rel for rel in changed_files if old.get(rel) or new.get(rel)]
    if not changed:
        return list(keys), dict(previous.related), False, set()
    changed_set = set(changed)
    recheck: set[str] = set(changed)
    df_delta: dict[tuple[str, str], int] = {}
    moved = False
    for rel in changed:
        versions = [v for v in (old.get(rel), new.get(rel)) if v is not None]
        for version in versions:
            if version.date is None:
                keys[("undated",)] = None
            else:
                keys[("year", version.date.year)] = None
                keys[("month", version.date.year, version.date.month)] = None
            for taxonomy in TAXONOMIES:
                for name in version.terms(taxonomy):
                    keys[("term", taxonomy, name)] = None
                    if taxonomy != "source":
                        keys[("term-feed", taxonomy, name)] = None
        if not moves_in_lists(old.get(rel), new.get(rel)):
            continue
        moved = True
        for version, sign in ((old.get(rel), -1), (new.get(rel), 1)):
            if version is None:
                continue
            for taxonomy in RELATED_WEIGHTS:
                for name in version.terms(taxonomy):
                    df_delta[(taxonomy, name)] = df_delta.get((taxonomy, name), 0) + sign
                    term = catalog.terms[taxonomy].get(name)
                    if term is not None:
                        window = term_window(catalog, term, version, margin=2)
                        recheck.update(a.path for a in window)
    if moved:
        keys.update(dict.fromkeys([("archive",), *(("terms", t) for t in TAXONOMIES)]))
    for (taxonomy, name), delta in df_delta.items():
        term = catalog.terms[taxonomy].get(name)
        now = len(term.articles) if term else 0
        if delta and rarity_class(now) != rarity_class(now - delta) and term is not None:
            recheck.update(a.path for a in term.articles)
    related = {}
    for path, listed in previous.related.items():
        if path in recheck or changed_set.intersection(listed):
            recheck.add(path)
        else:
            related[path] = listed
    for path in sorted(recheck):
        keys[("article", path)] = None
    return list(keys), related, moved, changed_set
