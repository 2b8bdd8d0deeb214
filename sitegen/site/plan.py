"""The plan stage: page families turned into Outputs with signatures (Planner), nothing
rendered yet; an Output's make() renders it when the writer asks. Also the lookups the
planner reads the parse cache through (CachedDigests) and the feed families' keys.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt

from sitegen.config import Config
from sitegen.model import Article
from sitegen.site import feeds
from sitegen.site.catalog import (
    Catalog,
    related_articles,
)
from sitegen.site.graph import (
    BuildState,
    CachedFile,
    Fingerprints,
    TemplateDigests,
    placing_digest,
)
from sitegen.site.load import read_body
from sitegen.site.pages import dated_entries, family_pages
from sitegen.site.people_names import PeopleNames
from sitegen.site.render import Renderer, render_markdown, safe_html, static_files
from sitegen.site.report import Output
from sitegen.site.unchanged import file_digest
from sitegen.urls import output_file, term_feed_path, term_path

if TYPE_CHECKING:
    from sitegen.search.pipeline import BodyHtml


def may_show(items: list[Article], keys: list[tuple]) -> bool:
    """Whether a slice of a sort_key-ordered list can hold an article with one of these
    (sorted) sort keys: exact for the full list, at worst a page replanned for a term's."""
    if not items:
        return False
    at = bisect.bisect_left(keys, items[0].sort_key)
    return at < len(keys) and keys[at] <= items[-1].sort_key


class CachedDigests(Mapping[str, str]):
    """Content path -> a digest kept in the parse cache (listing or placing), looked up
    when a page asks rather than copied for every article on every build."""

    def __init__(self, files: dict[str, CachedFile], kind: str, people: PeopleNames | None = None):
        self.files = files
        self.kind = kind
        self.people = people

    def __getitem__(self, path: str) -> str:
        found = self.get(path)
        if found is None:
            raise KeyError(path)
        return found

    def get(self, path: str, default: Any = None) -> Any:  # type: ignore[override]
        if self.people is not None and path in self.people.memo:
            own = self.people.listing(path)
            if own:
                return own
        cached = self.files.get(path)
        return default if cached is None else getattr(cached, self.kind)

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)


def feed_family_keys(catalog: Catalog) -> list[tuple]:
    keys: list[tuple] = [("feed",)]
    for taxonomy in ("people", "topics"):
        keys += [("term-feed", taxonomy, name) for name in catalog.terms[taxonomy]]
    return keys


SEARCH_FAMILY = ("search",)


class Planner:
    """Turns page families into Outputs with signatures; renders nothing yet."""

    def __init__(
        self,
        config: Config,
        catalog: Catalog,
        renderer: Renderer,
        digests: TemplateDigests,
        md: MarkdownIt,
        plan_digest: str,
        related: dict[str, list[str]],
        listings: dict[str, str],
        placings: dict[str, str],
        term_memo: dict,
    ):
        self.config = config
        self.catalog = catalog
        self.renderer = renderer
        self.digests = digests
        self.md = md
        self.prints = Fingerprints([plan_digest], listings)
        self.term_memo = term_memo  # facts as of the last build that was written
        self.new_facts: dict = {}  # facts computed by this build, kept if it is written
        self.placings = placings
        #: the static search export's meta file, set once search has finished (only the
        #: search page shows it, and it is planned last)
        self.search_meta = ""
        #: (changed article paths, previous signatures) when no article changed place
        self.unmoved: tuple[set[str], dict[str, str]] | None = None
        self._changed_keys: list[tuple] | None = None  # their sort keys, sorted
        self.known_related = related
        self.related_paths: dict[str, list[str]] = {}
        #: (content path, body sha) -> body HTML; the Builder's, kept between builds: an
        #: edit re-renders the pages of the articles listing it, not their bodies
        self.bodies: dict[tuple[str, str], str] = {}
        #: content path -> where this build's search analysis wrote its body HTML
        self.rendered: dict[str, BodyHtml] = {}

    def related(self, article: Article) -> list[Article]:
        by_path = self.catalog.by_path
        listed = self.known_related.get(article.path)
        if listed is not None and all(p in by_path for p in listed):
            found = [by_path[p] for p in listed]
        else:
            found = related_articles(self.catalog, article)
        self.related_paths[article.path] = [a.path for a in found]
        return found

    def family(self, key: tuple) -> list[Output]:
        if key[0] == "feed":
            return [self.feed("feed.xml", "", "", self.catalog.articles)]
        if key[0] == "term-feed":
            term = self.catalog.terms[key[1]].get(key[2])
            if term is None:
                return []
            return [self.feed(term_feed_path(term), term.name, term_path(term), term.articles)]
        pages = family_pages(
            self.config, self.catalog, key, self.related, self.term_facts, self.search_meta
        )
        if self.unmoved is not None and key[0] in ("home", "term"):
            changed, previous = self.unmoved
            if self._changed_keys is None:
                by_path = self.catalog.by_path
                self._changed_keys = sorted(by_path[p].sort_key for p in changed if p in by_path)
            outputs = []
            for page in pages:
                rel = output_file(page.path)
                known = previous.get(rel)
                items = page.context["pager"].items
                if known is not None and not may_show(items, self._changed_keys):
                    outputs.append(Output(rel, known, is_page=True))  # the same as last time
                else:
                    outputs.append(self.page(page))
            return outputs
        return [self.page(p) for p in pages]

    def term_facts(self, term, compute):
        """A term's co-occurrence counts and timeline, reused while its articles are the same.

        The plan digest is part of the key: it covers the people mapping, which renames
        the co-occurring people without changing any file's placing digest.
        """
        key = (term.taxonomy, term.name)
        cached = self.new_facts.get(key) or self.term_memo.get(key)
        if cached is not None and self.unmoved is not None:
            # no article changed place since the build that made it (each such build
            # replans the terms of the articles it moved)
            return cached[1]
        placings = self.placings
        token = hashlib.sha1(
            "".join(
                [
                    self.prints.base,
                    *(placings.get(a.path) or placing_digest(a) for a in term.articles),
                ]
            ).encode()
        ).hexdigest()
        if cached is None or cached[0] != token:
            cached = self.new_facts[key] = (token, compute(term))
        return cached[1]

    def page(self, page) -> Output:
        context = {**page.context, "page_path": page.path}
        article = page.article
        signature = self.prints.page(
            self.digests.digest(page.template),
            context,
            self.catalog.urls,
            article.body_sha if article else "",
        )
        renderer, md, content_dir = self.renderer, self.md, self.config.content_dir
        bodies, rendered = self.bodies, self.rendered

        def make() -> str:
            full = context
            if article is not None:
                key = (article.path, article.body_sha)
                written = rendered.get(article.path)
                html = written.read() if written is not None else None
                if html is None and article.body_sha:
                    html = bodies.get(key)
                if html is None:
                    body = article.body if article.body_loaded else read_body(content_dir, article)
                    html = render_markdown(md, body)
                    if article.body_sha:
                        if len(bodies) >= BODY_CACHE_SIZE:
                            del bodies[next(iter(bodies))]  # the oldest
                        bodies[key] = html
                full = {**context, "body": safe_html(html)}
            return renderer.render(page.template, full)

        return Output(output_file(page.path), signature, make=make, is_page=True)

    def feed(self, path: str, title: str, page_path: str, articles: list[Article]) -> Output:
        config, renderer, catalog = self.config, self.renderer, self.catalog
        entries = dated_entries(articles, config.feed_size)
        parts: list[str] = [self.prints.base, "feed", path, title, page_path]
        self.prints.value(entries, catalog.urls, parts)
        signature = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()

        def make() -> str:
            heading = f"{title} — {config.title}" if title else config.title
            return feeds.atom_feed(
                title=heading,
                subtitle=config.description if not title else "",
                feed_url=renderer.abs_url(path),
                page_url=renderer.abs_url(page_path),
                entries=entries,
                entry_url=lambda a: renderer.abs_url(catalog.url_of(a)),
                summary_of=lambda a: a.summary or "",
            )

        return Output(path, signature, make=make)

    def site_files(self, pages: set[str], previous: BuildState | None) -> list[Output]:
        """Theme static files, the sitemap (from the full set of pages) and robots.txt.

        With `previous` given (an edit that moved no article and left the set of pages
        as it was) the sitemap cannot have changed and keeps its old signature.
        """
        outputs = []
        for name, path in static_files(self.config).items():
            digest = file_digest(path)
            outputs.append(Output("static/" + name, digest, copy_from=str(path)))
        if previous is not None and "sitemap.xml" in previous.outputs:
            return outputs + [
                Output(rel, previous.outputs[rel], make=None)
                for rel in ("sitemap.xml", "robots.txt")
            ]
        dates = {
            output_file(path): a.date
            for a in self.catalog.articles
            for path in (self.catalog.url_of(a),)
        }
        entries = [
            (
                self.renderer.abs_url(
                    rel[: -len("index.html")] if rel.endswith("index.html") else rel
                ),
                dates.get(rel),
            )
            for rel in sorted(pages)
            if rel != "404.html"
        ]
        for rel, text in (
            ("sitemap.xml", feeds.sitemap(entries)),
            ("robots.txt", feeds.robots_txt(self.renderer.abs_url("sitemap.xml"))),
        ):
            outputs.append(
                Output(rel, hashlib.sha1(text.encode()).hexdigest(), make=lambda text=text: text)
            )
        return outputs


#: Article bodies kept rendered between builds (see Planner.bodies)
BODY_CACHE_SIZE = 2048


@dataclass
class OutputSet:
    """Every output of the site by family, with its signature, and the pages among them;
    `dropped`: the outputs of the families this build replaced (some may be gone)."""

    families: dict[tuple, list[str]]
    signatures: dict[str, str]
    pages: set[str]
    dropped: list[str]


def replace_families(
    previous: BuildState, planned: dict[tuple, list[Output]], full: bool
) -> OutputSet:
    """The previous build's outputs with the planned families put in place of theirs
    (nothing kept from before when the plan is full)."""
    outputs = OutputSet(
        {} if full else dict(previous.families),
        {} if full else dict(previous.outputs),
        set() if full else set(previous.pages),
        [],
    )
    for key, family_outputs in planned.items():
        for rel in outputs.families.pop(key, []):
            outputs.signatures.pop(rel, None)
            outputs.pages.discard(rel)
            outputs.dropped.append(rel)
        if family_outputs:
            outputs.families[key] = [o.rel for o in family_outputs]
            for output in family_outputs:
                outputs.signatures[output.rel] = output.signature
                if output.is_page:
                    outputs.pages.add(output.rel)
    return outputs


def replace_site_files(
    outputs: OutputSet, extra: list[Output], search_outputs: list[Output], kept_search: bool
) -> list[Output]:
    """Theme files and the sitemap (`extra`), and the search export unless it is kept as
    it was, replaced in `outputs`; returns them (the search export first) to write."""
    if not kept_search:
        extra = search_outputs + extra
    for key in [("site-files",)] if kept_search else [("site-files",), ("search-files",)]:
        for rel in outputs.families.pop(key, []):
            outputs.signatures.pop(rel, None)
            outputs.dropped.append(rel)
    if not kept_search:
        outputs.families[("search-files",)] = [o.rel for o in search_outputs]
    outputs.families[("site-files",)] = [
        o.rel for o in extra[0 if kept_search else len(search_outputs) :]
    ]
    for output in extra:
        outputs.signatures[output.rel] = output.signature
    return extra


def outputs_to_write(
    outputs: OutputSet,
    planned: dict[tuple, list[Output]],
    extra: list[Output],
    previous: BuildState,
    *,
    cold: bool,
    full: bool,
) -> tuple[list[Output], list[str]]:
    """(the outputs whose signature changed, to write; the outputs no longer produced,
    to remove). Only a replaced family's output can be gone, unless the plan is full."""
    candidates = [o for outs in planned.values() for o in outs] + extra
    todo = [o for o in candidates if cold or previous.outputs.get(o.rel) != o.signature]
    if cold:
        stale: list[str] = []
    elif full:
        stale = sorted(set(previous.outputs) - set(outputs.signatures))
    else:
        stale = sorted({rel for rel in outputs.dropped if rel not in outputs.signatures})
    return todo, stale


def kept_related(
    previous: BuildState,
    planned: dict[str, list[str]],
    catalog: Catalog,
    changed: list[str],
    full: bool,
) -> dict[str, list[str]]:
    """Each article's related-article paths after this build: the previous build's with
    the newly planned ones over them; only a changed file can be gone, unless a URL
    clash now hides an article."""
    related = dict(previous.related) if not full else {}
    related.update(planned)
    for path in list(related) if catalog.problems else changed:
        if path not in catalog.by_path:
            related.pop(path, None)
    return related
