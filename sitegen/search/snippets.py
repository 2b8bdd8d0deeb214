"""Snippets: the part of a result's excerpt that shows its matched words, marked.

search.js's Engine.snippet() picks its window the same way; snippets only need to look
right, not to be identical, so the browser's may differ where offsets count differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitegen.search.schema import analyze_with_chars, fold_accents

SNIPPET_CHARS = 240


@dataclass
class Snippet:
    text: str
    marks: list[tuple[int, int]] = field(default_factory=list)  # [start, end) in text

    def parts(self) -> list[tuple[str, bool]]:
        """The text cut into (piece, is_match) for whoever renders it."""
        out: list[tuple[str, bool]] = []
        at = 0
        for start, end in self.marks:
            if start > at:
                out.append((self.text[at:start], False))
            out.append((self.text[start:end], True))
            at = end
        if at < len(self.text):
            out.append((self.text[at:], False))
        return out


_FOLD_CHAR: dict[int, str] = {}


def _fold_same_length(text: str) -> str:
    """Lowercase and accent-fold letter by letter, keeping every offset where it was."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return ""
    if lowered.isascii():
        return lowered
    for char in set(lowered):
        if ord(char) > 127 and ord(char) not in _FOLD_CHAR:
            folded = fold_accents(char)
            _FOLD_CHAR[ord(char)] = folded if len(folded) == 1 else char
    return lowered.translate(_FOLD_CHAR)


def _matching_words(text: str, terms: set[str]) -> list[tuple[str, int, int]]:
    """analyze_with_chars(text) restricted to `terms`, fast: a regex finds the words that
    begin like a term (Porter keeps a word's first two letters), and only those are stemmed."""
    folded = _fold_same_length(text)
    if not folded:  # lowercasing changed the length: take the plain way
        return [hit for hit in analyze_with_chars(text) if hit[0] in terms]
    starts = sorted({re.escape(term[:2]) for term in terms}, key=len, reverse=True)
    candidates = re.compile(r"(?<![\w.])(?:" + "|".join(starts) + r")\w*(?:\.?\w+)*")
    out = []
    for match in candidates.finditer(folded):
        at = match.start()
        out.extend(
            (term, at + s, at + e)
            for term, s, e in analyze_with_chars(text[at : match.end()])
            if term in terms
        )
    return out


def make_snippet(text: str, terms: set[str], size: int = SNIPPET_CHARS) -> Snippet:
    """The window of `text` holding the most different matched words, matches marked."""
    if not text:
        return Snippet("")
    hits = [(s, e, t) for t, s, e in _matching_words(text, terms)] if terms else []
    if not hits:
        return _cut(text, 0, size, [])
    best, best_count = 0, -1
    for i, (start, _, _) in enumerate(hits):
        inside = {t for s, e, t in hits[i:] if e <= start + size}
        if len(inside) > best_count:
            best, best_count = i, len(inside)
    start = hits[best][0]
    # begin a little before the first match, at a word start, for context
    lead = max(0, start - size // 6)
    if lead > 0:
        space = text.rfind(" ", 0, lead + 1)
        lead = space + 1 if space >= 0 and start - space < size // 3 else start
    return _cut(text, lead, size, [(s, e) for s, e, _ in hits])


def _cut(text: str, start: int, size: int, marks: list[tuple[int, int]]) -> Snippet:
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > start:
            end = space
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    body = text[start:end]
    shift = len(prefix) - start
    inside = [(s + shift, e + shift) for s, e in marks if s >= start and e <= end]
    return Snippet(prefix + body + suffix, inside)
