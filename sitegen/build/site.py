"""`sitegen build` as one readable pipeline: load, catalog, render, write, swap.

Build policy: every content file is checked; if any has a problem, the problems are
reported and the previous output is left as it was (exit status 1). With keep_going
the bad files are skipped and the rest of the site is written anyway.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.build import feeds
from sitegen.build.catalog import Catalog, build_catalog
from sitegen.build.load import load_articles
from sitegen.build.pages import feed_specs, site_pages
from sitegen.build.render import (
    Renderer,
    content_hash,
    make_markdown,
    render_markdown,
    safe_html,
    static_files,
)
from sitegen.build.writer import SiteWriter
from sitegen.config import Config
from sitegen.model import Problem, ProblemError
from sitegen.search.export import write_static_index  # search (issue 5)
from sitegen.search.index import IndexStats, update_index  # search (issue 5)
from sitegen.urls import output_file, term_path

#: progress(stage, done, total); total 0 means unknown.
Progress = Callable[[str, int, int], None]


@dataclass
class BuildReport:
    articles: int = 0
    people: int = 0
    topics: int = 0
    sources: int = 0
    pages: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    written: bool = False
    output: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    search: IndexStats | None = None  # search (issue 5)


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def build_site(
    config: Config,
    *,
    out: Path | None = None,
    keep_going: bool = False,
    progress: Progress = _no_progress,
) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport(output=out or config.output_dir)
    md = make_markdown(config)

    progress("Reading content", 0, 0)
    articles, problems = load_articles(config.content_dir, md)
    catalog = build_catalog(articles)
    report.problems = problems + catalog.problems
    report.articles = len(catalog.articles)
    report.people = len(catalog.terms["people"])
    report.topics = len(catalog.terms["topics"])
    report.sources = len(catalog.terms["source"])
    if report.problems and not keep_going:
        report.seconds = time.perf_counter() - started
        return report

    # search (issue 5): the Whoosh index in the cache follows the articles, incrementally
    try:
        report.search = update_index(config, catalog.articles, md=md, progress=progress)
    except ProblemError as exc:
        report.problems.append(exc.problem)
        if not keep_going:
            report.seconds = time.perf_counter() - started
            return report

    writer = SiteWriter(report.output)
    try:
        write_site(config, catalog, writer, md, progress)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    report.pages = writer.pages
    report.files = writer.files
    report.bytes = writer.bytes
    report.written = True
    report.seconds = time.perf_counter() - started
    return report


def write_site(
    config: Config, catalog: Catalog, writer: SiteWriter, md, progress: Progress
) -> None:
    statics = static_files(config)
    hashes = {name: content_hash(path.read_bytes()) for name, path in statics.items()}
    renderer = Renderer(config, hashes)
    renderer.env.globals.update(
        article_url=lambda a: renderer.url(catalog.url_of(a)),
        term_url=lambda taxonomy, name: renderer.url(term_path(catalog.term(taxonomy, name))),
        catalog=catalog,
        top_terms=lambda taxonomy, n=10: [
            (t.name, len(t.articles))
            for t in sorted(
                catalog.terms[taxonomy].values(), key=lambda t: (-len(t.articles), t.name)
            )[:n]
        ],
    )
    for name, path in statics.items():
        writer.copy("static/" + name, path)
    # search (issue 5): build/search/ is exported from the index; search.html needs its meta
    try:
        renderer.env.globals["search_meta"] = write_static_index(config, writer)
    except ProblemError:  # no index to export (update_index reported why): no search
        renderer.env.globals["search_meta"] = ""

    total = len(catalog.articles)
    done = 0
    writer.pages = 0
    sitemap: list[tuple[str, object]] = []
    for page in site_pages(config, catalog):
        context = page.context
        if page.article is not None:
            context = {**context, "body": safe_html(render_markdown(md, page.article.body))}
            done += 1
            if done % 200 == 0 or done == total:
                progress("Writing pages", done, total)
        html = renderer.render(page.template, {**context, "page_path": page.path})
        writer.write(output_file(page.path), html)
        writer.pages += 1
        if page.path != "404.html":
            lastmod = page.article.date if page.article is not None else None
            sitemap.append((renderer.abs_url(page.path), lastmod))

    for path, title, page_path, entries in feed_specs(catalog, config.feed_size):
        heading = f"{title} — {config.title}" if title else config.title
        writer.write(
            path,
            feeds.atom_feed(
                title=heading,
                subtitle=config.description if not title else "",
                feed_url=renderer.abs_url(path),
                page_url=renderer.abs_url(page_path),
                entries=entries,
                entry_url=lambda a: renderer.abs_url(catalog.url_of(a)),
                summary_of=lambda a: a.summary or "",
            ),
        )
    writer.write("sitemap.xml", feeds.sitemap(sitemap))
    writer.write("robots.txt", feeds.robots_txt(renderer.abs_url("sitemap.xml")))
