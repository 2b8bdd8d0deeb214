"""The load stage: content/ -> Articles. Parses the new and changed files (on the
build's Workers when there are many: a forked pool or a cluster), reuses the last build's
parse of the rest, and says which content paths changed since then.

Which files are articles, and how one is read, is sitegen.files' rule (shared with
`sitegen extract` and the import). A file that cannot be read becomes a Problem; the
rest of the archive still loads.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from markdown_it import MarkdownIt

from sitegen.content import parse_article
from sitegen.files import read_content_file, scan_content
from sitegen.markdown import first_paragraph, shared_markdown
from sitegen.model import Article, Problem, ProblemError, unexpected_problem
from sitegen.site.assets import local_links
from sitegen.site.report import Progress
from sitegen.site.scan import scan_listing
from sitegen.site.state import (
    BuildState,
    CachedFile,
    article_digest,
    listing_digest,
    placing_digest,
    strip_body,
)
from sitegen.urls import article_slug

if TYPE_CHECKING:
    from sitegen.config import Config
    from sitegen.parallel import Workers
    from sitegen.site.memory import BuildMemory

BODIES_IN_MEMORY = 20_000  # articles parsed at once above which bodies are re-read


def load_article(content_dir: Path, path: Path, md: MarkdownIt) -> Article:
    """The article in content file `path`, its slug and summary final (raises ProblemError)."""
    rel = path.relative_to(content_dir).as_posix()
    label = f"content/{rel}"
    article = parse_article(label, read_content_file(content_dir, rel, label).text)
    article.path = rel
    article.slug = article_slug(article)  # final here, so cached copies compare alike
    if not article.summary:
        article.summary = first_paragraph(md, article.body)
    article.links = local_links(article.body)
    return article


def load_articles(content_dir: Path, md: MarkdownIt) -> tuple[list[Article], list[Problem]]:
    """Every article under content_dir, in one process, with the problems of the rest."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for rel, _, _ in scan_content(content_dir):
        try:
            articles.append(load_article(content_dir, content_dir / rel, md))
        except ProblemError as exc:
            problems.append(exc.problem)
    return articles, problems


def read_body(content_dir: Path, article: Article) -> str:
    """An article's Markdown body read again from disk (big archives do not keep bodies
    in memory); parsed anew if the file changed since the build read it."""
    from sitegen.content import body_of_text, parse_article

    text = read_content_file(content_dir, article.path, article.path).text
    body = body_of_text(article.path, text)
    if hashlib.sha1(body.encode("utf-8")).hexdigest() != article.body_sha:
        return parse_article(article.path, text).body  # changed since it was read
    return body


@dataclass
class Loaded:
    """The load stage's result."""

    files: dict[str, CachedFile]  # every content file: its parse (without body) or problem
    problems: list[Problem]
    fresh: dict[str, Article]  # the articles parsed now, by path (with body if kept)
    changed: list[str]  # content paths whose article differs from the previous build's
    problem_rels: set[str]  # the files with problems, for the next build's hints


def load_content(
    config: Config,
    memory: BuildMemory,
    scanned: dict[str, tuple[int, int]],
    previous: BuildState,
    progress: Progress,
) -> Loaded:
    """Parse new and changed files; reuse the cached parse of the rest. When a watcher
    named every path that changed since `previous`, only those are looked at."""
    hints = memory.content_scan.hinted
    hinted = (
        hints is not None and memory.hinted_base is previous and memory.problem_rels is not None
    )
    if hinted:
        files = dict(previous.files)
        for rel in hints:  # type: ignore[union-attr]
            files.pop(rel, None)
        candidates = [(rel, *scanned[rel]) for rel in sorted(hints) if rel in scanned]  # type: ignore[arg-type]
    else:
        files = {}
        candidates = scan_listing(scanned)
    to_parse: list[tuple[str, int, int]] = []
    for rel, mtime_ns, size in candidates:
        cached = previous.files.get(rel)
        if cached and cached.mtime_ns == mtime_ns and cached.size == size:
            files[rel] = cached
        else:
            to_parse.append((rel, mtime_ns, size))
    fresh = _parse_into(files, to_parse, config, memory.workers, progress)
    if hinted:
        known = {rel for rel in memory.problem_rels if rel not in hints}  # type: ignore[union-attr,operator]
        looked_at = [rel for rel, _, _ in candidates]
    else:
        known, looked_at = set(), list(files)
    problem_rels = known | {r for r in looked_at if files[r].problem is not None}
    problems = [files[rel].problem for rel in sorted(problem_rels)]
    old = previous.files
    if hinted:  # only a watched path can be gone
        gone = {rel for rel in hints if rel in old and rel not in files}  # type: ignore[union-attr]
    else:
        gone = old.keys() - files.keys()
    edited = {
        rel for rel, _, _ in to_parse if rel not in old or old[rel].digest != files[rel].digest
    }
    return Loaded(files, problems, fresh, sorted(edited | gone), problem_rels)  # type: ignore[arg-type]


def _parse_into(
    files: dict[str, CachedFile],
    to_parse: list[tuple[str, int, int]],
    config: Config,
    workers: Workers,
    progress: Progress,
) -> dict[str, Article]:
    """Parse `to_parse` into `files`; returns the articles parsed, by path."""
    # A big archive's bodies (~0.6 GB at 100k) are not kept: the parsing workers drop
    # them, and search and the article pages read each body again where needed.
    keep_bodies = len(to_parse) <= BODIES_IN_MEMORY
    job = ParseJob(str(config.content_dir), config.allow_html, keep_bodies)
    parsed = workers.map(
        parse_one,
        job,
        [rel for rel, _, _ in to_parse],
        progress=lambda done: progress("Reading content", done, len(to_parse)),
    )
    fresh: dict[str, Article] = {}
    for (rel, mtime, size), result in zip(to_parse, parsed, strict=True):
        if not isinstance(result, Problem):
            try:
                listing = listing_digest(result)
                digests = (article_digest(result, listing), listing, placing_digest(result))
            except Exception as exc:  # a value no check foresaw: this file only
                result = unexpected_problem(f"content/{rel}", exc)
        if isinstance(result, Problem):
            files[rel] = CachedFile(mtime, size, None, result)
        else:
            stripped = strip_body(result) if result.body_loaded else result
            fresh[result.path] = result if keep_bodies else stripped
            files[rel] = CachedFile(mtime, size, stripped, None, *digests)
    return fresh


# -- work done in worker processes ----------------------------------------------------


class ParseJob(NamedTuple):
    """What every parsing task is told (plain values: it may run on another machine)."""

    content_dir: str
    allow_html: bool
    keep_bodies: bool


def parse_one(job: ParseJob, rel: str) -> Article | Problem:
    content_dir = Path(job.content_dir)
    try:
        article = load_article(content_dir, content_dir / rel, shared_markdown(job.allow_html))
    except ProblemError as exc:
        return exc.problem
    except Exception as exc:  # one file no check foresaw never stops the build's reading
        return unexpected_problem(f"content/{rel}", exc)
    return article if job.keep_bodies else strip_body(article)
