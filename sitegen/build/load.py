"""content/ -> Articles: find the Markdown files and parse each, collecting problems.

A file that cannot be read becomes a Problem; the rest of the archive still loads.
"""

from __future__ import annotations

import os
from pathlib import Path

from markdown_it import MarkdownIt

from sitegen.build.render import first_paragraph
from sitegen.content import read_article
from sitegen.model import Article, Problem, ProblemError
from sitegen.urls import article_slug

MARKDOWN_SUFFIXES = (".md", ".markdown")


def is_content_file(name: str) -> bool:
    """Markdown files, minus editor droppings and hidden or underscore-prefixed files."""
    if name.startswith((".", "_", "#")) or name.endswith("~"):
        return False
    return name.lower().endswith(MARKDOWN_SUFFIXES)


def scan_content(content_dir: Path) -> list[tuple[str, int, int]]:
    """(path relative to content_dir, mtime_ns, size) of every article file, sorted.

    Uses os.scandir on plain strings: on a large archive this runs on every build, even
    one where nothing changed, so it has to cost little more than the stat calls.
    """
    found: list[tuple[str, int, int]] = []
    root = str(content_dir)
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            entries = list(os.scandir(os.path.join(root, rel_dir) if rel_dir else root))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if entry.is_dir(follow_symlinks=False):
                if not name.startswith((".", "_")):
                    stack.append(f"{rel_dir}/{name}" if rel_dir else name)
            elif is_content_file(name):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                found.append(
                    (f"{rel_dir}/{name}" if rel_dir else name, stat.st_mtime_ns, stat.st_size)
                )
    found.sort()
    return found


def load_article(content_dir: Path, path: Path, md: MarkdownIt) -> Article:
    rel = path.relative_to(content_dir).as_posix()
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:  # a byte os.fsdecode kept as a surrogate: no URL or page has it
        shown = os.fsencode(rel).decode("utf-8", "replace")
        raise ProblemError(
            Problem(f"content/{shown}", "the file name is not valid UTF-8: rename the file")
        ) from None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProblemError(Problem(f"content/{rel}", f"cannot read: {exc.strerror}")) from None
    article = read_article(f"content/{rel}", data)
    article.path = rel
    article.slug = article_slug(article)  # final here, so cached copies compare alike
    if not article.summary:
        article.summary = first_paragraph(md, article.body)
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
