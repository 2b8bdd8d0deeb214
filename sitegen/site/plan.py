"""The plan stage: page families turned into Outputs with signatures (Planner, plan_site),
nothing rendered yet; an Output's make() renders it when the writer asks; complete_plan
adds the search page and the site files once search is done. Also the lookups the
planner reads the parse cache through (CachedDigests) and the feed families' keys.

Not here: which families an edit touches (invalidate.py), what a family's pages are
(pages.py), the bookkeeping across builds (outputs.py), writing (writer.py).
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt

from sitegen.config import Config
from sitegen.markdown import render_markdown
from sitegen.model import Article, ProblemError
from sitegen.site import feeds
from sitegen.site.catalog import (
    Catalog,
    related_articles,
)
from sitegen.site.invalidate import plan_digest, touched_families
from sitegen.site.load import read_body
from sitegen.site.outputs import (
    OutputSet,
    clash_problem,
    outputs_to_write,
    replace_families,
    replace_site_files,
)
from sitegen.site.pages import dated_entries, family_keys, family_pages
from sitegen.site.people import PeopleNames
from sitegen.site.render import Renderer, current_renderer, safe_html, static_files
from sitegen.site.report import Output
from sitegen.site.signatures import Fingerprints, TemplateDigests
from sitegen.site.state import BuildState, CachedFile, placing_digest
from sitegen.site.unchanged import file_digest
from sitegen.urls import output_file, term_feed_path, term_path

if TYPE_CHECKING:
    from sitegen.search.pipeline import BodyHtml
    from sitegen.site.load import Loaded
    from sitegen.site.memory import BuildMemory
    from sitegen.site.search_outputs import FoundSearch


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
    for taxonomy in ("people", "topics", "authors"):
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
        #: (content path, body sha) -> body HTML; the build memory's, kept between builds: an
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
            return self.feed("feed.xml", "", "", self.catalog.articles)
        if key[0] == "term-feed":
            term = self.catalog.terms[key[1]].get(key[2])
            if term is None:
                return []
            return self.feed(term_feed_path(term), term.name, term_path(term), term.articles)
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
        return Output(output_file(page.path), signature, make=self.maker(page), is_page=True)

    def makers(
        self, key: tuple, wanted: set[str], pages: list | None = None
    ) -> list[tuple[str, Callable[[], str]]]:
        """(file, make) of the family's outputs in `wanted`, without their signatures:
        how a cluster's worker renders what this process planned (replan.py). `pages`:
        the family's pages (family_pages), when the caller has them already."""
        if key[0] in ("feed", "term-feed"):
            return [(o.rel, o.make) for o in self.family(key) if o.rel in wanted]  # type: ignore[misc]
        if pages is None:
            pages = self.family_pages(key)
        return [(rel, self.maker(p)) for p in pages if (rel := output_file(p.path)) in wanted]

    def family_pages(self, key: tuple) -> list:
        return family_pages(
            self.config, self.catalog, key, self.related, self.term_facts, self.search_meta
        )

    def maker(self, page) -> Callable[[], str]:
        """The function that renders `page` when the writer asks."""
        context = {**page.context, "page_path": page.path}
        article = page.article
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

        return make

    def feed(self, path: str, title: str, page_path: str, articles: list[Article]) -> list[Output]:
        """The Atom feed at `path` and the RSS one beside it (rss.xml), of the same entries."""
        config, renderer, catalog = self.config, self.renderer, self.catalog
        entries = dated_entries(articles, config.feed_size)
        parts: list[str] = [self.prints.base, "feed", path, title, page_path]
        self.prints.value(entries, catalog.urls, parts)
        signature = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()
        channel = feeds.Channel(
            title=f"{title} — {config.title}" if title else config.title,
            subtitle=config.description if not title else "",
            page_url=renderer.abs_url(page_path),
            language=config.language,
            entries=entries,
            entry_url=lambda a: renderer.abs_url(catalog.url_of(a)),
            summary_of=lambda a: a.summary or "",
        )
        rss = path.removesuffix("feed.xml") + "rss.xml"
        return [
            Output(path, signature, make=lambda: feeds.atom_feed(channel, renderer.abs_url(path))),
            Output(rss, signature, make=lambda: feeds.rss_feed(channel, renderer.abs_url(rss))),
        ]

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
class Plan:
    """The plan stage's result: every family planned but the search page, which names
    the search export's meta file and is planned once search is done (complete_plan)."""

    planner: Planner
    keys: list[tuple]  # the families this build plans
    digest: str  # plan_digest()
    full: bool  # every family planned, nothing kept from the previous build
    moved: bool  # an article changed place in some list
    planned: dict[tuple, list[Output]]
    beside: list[Output] = field(default_factory=list)  # files beside pages (assets.py)


def plan_site(
    config: Config,
    memory: BuildMemory,
    catalog: Catalog,
    md: MarkdownIt,
    previous: BuildState,
    loaded: Loaded,
    people: PeopleNames,
    cold: bool,
    here: bool = True,
) -> Plan:
    """Plan every family when the plan is full (cold, or the plan digest changed), else
    the ones the changed articles touch (invalidate.py). Raises jinja2.TemplateError.
    here=False: only settle which families there are; a cluster's workers plan them
    (replan.plan_on_workers)."""
    renderer = current_renderer(config, memory, catalog)
    digests = TemplateDigests(renderer.env)
    digest = plan_digest(config, catalog, digests, people.digest, renderer.asset_hashes)
    full = cold or previous.plan_digest != digest
    files = loaded.files
    if full:
        keys = [*family_keys(catalog), *feed_family_keys(catalog)]
        related: dict[str, list[str]] = {}
        moved, changed_paths = True, set()
    else:
        keys, related, moved, changed_paths = touched_families(
            previous, files, catalog, loaded.changed, people
        )
    planner = Planner(
        config,
        catalog,
        renderer,
        digests,
        md,
        digest,
        related,
        CachedDigests(files, "listing", people),
        CachedDigests(files, "placing"),
        memory.term_memo,
    )
    planner.bodies = memory.bodies
    if not full and not moved:
        # no article changed place: long paginated lists keep the signatures of the
        # pages that do not show a changed article
        planner.unmoved = (changed_paths, previous.outputs)
    planned = {key: planner.family(key) for key in keys if key != SEARCH_FAMILY} if here else {}
    return Plan(planner, keys, digest, full, moved, planned)


@dataclass
class Writes:
    """What the writer is to do, and the site's outputs after it."""

    outputs: OutputSet
    to_write: list[Output]  # to (re)write
    to_remove: list[str]  # to remove


def complete_plan(
    plan: Plan, search: FoundSearch, previous: BuildState, memory: BuildMemory, cold: bool
) -> Writes:
    """The search page planned with the export's meta file, the site files (theme files,
    sitemap, the search export) added, and the outputs whose signature changed."""
    planner, planned, full = plan.planner, plan.planned, plan.full
    planner.search_meta = search.meta
    planner.rendered.update(search.bodies)  # pages planned already hold this dict
    if SEARCH_FAMILY in plan.keys:
        planned[SEARCH_FAMILY] = planner.family(SEARCH_FAMILY)
    outputs = replace_families(previous, planned, full)
    unmoved = not (full or plan.moved or outputs.pages != previous.pages)
    site_files = planner.site_files(outputs.pages, previous if unmoved else None) + plan.beside
    # The search export is a family of its own (thousands of files), left as it is
    # while it is the very list of outputs the previous build planned.
    kept_search = (
        not full
        and memory.planned_search is not None
        and memory.planned_search[0] is previous
        and memory.planned_search[1] is search.outputs
        and ("search-files",) in outputs.families
    )
    site_files = replace_site_files(outputs, site_files, search.outputs, kept_search)
    if outputs.clashes:
        raise ProblemError(clash_problem(outputs.clashes))
    to_write, to_remove = outputs_to_write(
        outputs, planned, site_files, previous, cold=cold, full=full
    )
    return Writes(outputs, to_write, to_remove)
