"""content/ -> Articles: parse each article file, collecting problems.

Which files are articles, and how one is read, is sitegen.files' rule (shared with
`sitegen extract` and the import). A file that cannot be read becomes a Problem; the
rest of the archive still loads.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from markdown_it import MarkdownIt

from sitegen.content import parse_article
from sitegen.files import read_content_file, scan_content
from sitegen.model import Article, Problem, ProblemError
from sitegen.site.render import first_paragraph
from sitegen.urls import article_slug


def load_article(content_dir: Path, path: Path, md: MarkdownIt) -> Article:
    """The article in content file `path`, its slug and summary final (raises ProblemError)."""
    rel = path.relative_to(content_dir).as_posix()
    label = f"content/{rel}"
    article = parse_article(label, read_content_file(content_dir, rel, label).text)
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


def read_body(content_dir: Path, article: Article) -> str:
    """An article's Markdown body read again from disk (big archives do not keep bodies
    in memory); parsed anew if the file changed since the build read it."""
    from sitegen.content import body_of_text, parse_article

    text = read_content_file(content_dir, article.path, article.path).text
    body = body_of_text(article.path, text)
    if hashlib.sha1(body.encode("utf-8")).hexdigest() != article.body_sha:
        return parse_article(article.path, text).body  # changed since it was read
    return body
