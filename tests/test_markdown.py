"""sitegen/markdown.py: the default summary and the Markdown parser every stage shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import Config
from sitegen.markdown import SUMMARY_CHARS, first_paragraph, make_markdown, shorten


@pytest.fixture(scope="module")
def md():
    return make_markdown(Config(root=Path(".")))


def test_the_summary_skips_headings_and_takes_the_first_paragraph(md):
    body = "# Big news\n\n## Subtitle\n\nThe *first* real `paragraph`.\n\nThe second one."
    assert first_paragraph(md, body) == "The first real paragraph."


def test_the_summary_joins_soft_breaks_and_squeezes_spaces(md):
    assert first_paragraph(md, "One line\nand   the next.") == "One line and the next."


def test_a_body_with_no_paragraph_has_an_empty_summary(md):
    assert first_paragraph(md, "# Only a heading\n\n---\n") == ""
    assert first_paragraph(md, "") == ""


def test_a_long_paragraph_is_shortened_on_a_word_boundary(md):
    words = " ".join(f"word{i:03d}" for i in range(100))  # 8 chars a word: far past the limit
    summary = first_paragraph(md, words)
    assert summary.endswith("…")
    cut = summary[:-1]
    assert len(cut) <= SUMMARY_CHARS
    assert words.startswith(cut + " ")  # whole words only, nothing cut mid-word
    assert len(cut) > SUMMARY_CHARS - len("word000 ")  # as much as fits


def test_shorten_leaves_short_text_and_drops_trailing_punctuation():
    assert shorten("short text") == "short text"
    exact = "x" * SUMMARY_CHARS
    assert shorten(exact) == exact
    assert shorten("alpha beta, gamma", limit=12) == "alpha beta…"


def test_raw_html_is_escaped_unless_the_site_allows_it(md):
    body = 'Hello <b onclick="x()">world</b>\n\n<script>alert(1)</script>\n'
    escaped = md.render(body)
    assert "<script>" not in escaped and "<b " not in escaped
    assert "&lt;script&gt;" in escaped and "&lt;b onclick" in escaped
    allowed = make_markdown(Config(root=Path("."), allow_html=True)).render(body)
    assert "<script>alert(1)</script>" in allowed and '<b onclick="x()">' in allowed


def test_tables_strikethrough_and_footnotes_are_on(md):
    html = md.render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ and a note[^1]\n\n[^1]: here\n")
    assert "<table>" in html and "<s>gone</s>" in html and 'class="footnote-ref"' in html
