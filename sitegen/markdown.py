"""Markdown -> HTML (markdown-it-py), and the default summary: shared by the build, search
and check, so none of them reaches into another for it. Raw HTML stays disabled unless the
site asks for it.
"""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from sitegen.config import Config

SUMMARY_CHARS = 280


def make_markdown(config: Config) -> MarkdownIt:
    return markdown_for(config.allow_html)


def markdown_for(allow_html: bool) -> MarkdownIt:
    """The site's Markdown, from the one setting it depends on (what a worker elsewhere
    is told: a MarkdownIt does not pickle)."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    return md


@functools.lru_cache(maxsize=2)
def shared_markdown(allow_html: bool) -> MarkdownIt:
    """One MarkdownIt a process for the tasks that arrive from elsewhere (a cluster's
    parse and search tasks), made on the first."""
    return markdown_for(allow_html)


def render_markdown(md: MarkdownIt, body: str) -> str:
    return md.render(body)


def render_parsed(md: MarkdownIt, tokens: list, env: dict) -> str:
    """md.render()'s output from a parse already made (md.parse(body, env))."""
    return md.renderer.render(tokens, md.options, env)


def first_paragraph(md: MarkdownIt, body: str) -> str:
    """Plain text of the body's first paragraph, shortened: the default summary.

    Only the leading blocks are parsed, so this stays cheap on long articles.
    """
    for block in body.split("\n\n")[:12]:
        tokens = md.parse(block)
        for i, token in enumerate(tokens):
            if token.type == "paragraph_open" and i + 1 < len(tokens):
                parts = []
                for child in tokens[i + 1].children or []:
                    if child.type in ("text", "code_inline"):
                        parts.append(child.content)
                    elif child.type in ("softbreak", "hardbreak"):
                        parts.append(" ")
                text = " ".join("".join(parts).split())
                if text:
                    return shorten(text)
    return ""


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:-–—")
    return cut + "…"
