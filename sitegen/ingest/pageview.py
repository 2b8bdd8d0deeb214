"""The page as the metadata stages see it: its lines, where the story stands among them,
and what repeats. Built from any cleaner's output that gives the page's lines in order and
the story's paragraphs, so the metadata does not depend on how the cleaner decided.

What is not here: deciding anything (headline.py, byline.py, metadata.py do).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sitegen.ingest.text import content_words, sentence_key, stop_ratio, word_count

#: Separators that glue a site name, a section or a breadcrumb to a headline.
SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|›|>|/|~)\s+|\s*[|｜]\s*|\s+[_]\s*|_(?=\S)")
#: Lines longer than this get no key (sentence_key) and no split into parts.
MAX_KEYED_CHARS = 1000
MAX_SEGMENTED_CHARS = 300
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")


@functools.lru_cache(maxsize=8192)
def text_units(text: str) -> float:
    """Words, counting CJK characters as half a word each (they are written unspaced)."""
    cjk = len(CJK.findall(text))
    if not cjk:
        return float(word_count(text))
    return word_count(CJK.sub(" ", text)) + cjk / 2


def is_prose_line(text: str) -> bool:
    """A line of running text: long and dense with function words (or long CJK prose).
    Judged on its first 400 characters, which say as much."""
    text = text[:400]
    count = word_count(text)
    if count >= 18 and stop_ratio(text) >= 0.2:
        return True
    return len(CJK.findall(text)) >= 50


@dataclass
class PageView:
    lines: list[str]  # the page's non-blank lines, in order
    numbers: list[int]  # raw line number of each (1-based)
    paragraphs: list[str]  # the story, as the cleaner kept it
    url: str | None = None
    outlet: str | None = None
    start: int | None = None  # index of the line where the story starts
    end: int | None = None  # index of the line where it ends
    keys: list[str] = field(default_factory=list)  # sentence_key of each line
    counts: Counter[str] = field(default_factory=Counter)  # key -> lines with that key
    segment_counts: Counter[str] = field(default_factory=Counter)  # key of a part of a line
    assumed: bool = False  # the story's place was guessed from prose, not given

    @classmethod
    def from_cleaned(
        cls,
        cleaned: Any,
        raw_lines: list[str] | None = None,
        url: str | None = None,
        outlet: str | None = None,
    ) -> PageView:
        """From the page's raw lines (as the reader gave them) and a Cleaned's paragraphs;
        without raw lines, from the Cleaned's own `.lines` (each with `.text`, `.number`).

        The raw lines are better: a cleaner may have joined lines ("Headline" + "by Jane
        Roe" read as one wrapped line) or cut some, and the headline is a line as shown."""
        if raw_lines is not None:
            return cls.build(list(raw_lines), list(cleaned.paragraphs), None, url, outlet)
        lines = [line.text for line in cleaned.lines]
        numbers = [getattr(line, "number", i + 1) for i, line in enumerate(cleaned.lines)]
        return cls.build(lines, list(cleaned.paragraphs), numbers, url, outlet)

    @classmethod
    def build(
        cls,
        lines: list[str],
        paragraphs: list[str],
        numbers: list[int] | None = None,
        url: str | None = None,
        outlet: str | None = None,
    ) -> PageView:
        kept = [(n, t) for n, t in zip(numbers or range(1, len(lines) + 1), lines, strict=True)]
        kept = [(n, t) for n, t in kept if t.strip()]
        view = cls([t for _, t in kept], [n for n, _ in kept], paragraphs, url, outlet)
        # Long lines are story or other prose: no headline, no part of one, and keying
        # them is most of the cost of a page, so they get none.
        view.keys = [sentence_key(t) if len(t) <= MAX_KEYED_CHARS else "" for t in view.lines]
        view.counts = Counter(k for k in view.keys if k)
        for text, key in zip(view.lines, view.keys, strict=True):
            if not key or len(text) > MAX_SEGMENTED_CHARS:
                continue
            parts = [p for p in SEPARATOR.split(text) if p.strip()]
            if len(parts) > 1:
                for part in {sentence_key(p) for p in parts}:
                    if part and part != key:
                        view.segment_counts[part] += 1
        view.start, view.end = view._locate_story()
        if view.start is None:
            view._assume_story()
        return view

    def _assume_story(self) -> None:
        """No story located (the cleaner kept nothing, or its text is not on the page): take
        the first two prose lines in a row and what follows as the story, for position."""
        prose = self.prose
        for i in range(len(prose) - 1):
            if prose[i] and (prose[i + 1] or (i + 2 < len(prose) and prose[i + 2])):
                self.start = i
                run = [j for j in range(i, min(len(prose), i + 40)) if prose[j]]
                self.end = run[-1]
                if not self.paragraphs:
                    self.paragraphs = [self.lines[j] for j in run]
                self.assumed = True
                return

    def _locate_story(self) -> tuple[int | None, int | None]:
        """First and last line holding the story's first and last paragraph."""
        if not self.paragraphs:
            return None, None
        start = self._find(self.paragraphs[0], 0)
        if start is None:
            return None, None
        end = self._find(self.paragraphs[-1], start)
        return start, max(end if end is not None else start, start)

    def _find(self, paragraph: str, begin: int) -> int | None:
        """The first line from `begin` that holds the paragraph's opening words."""
        head = paragraph[:60]
        for i in range(begin, len(self.lines)):
            if head in self.lines[i]:
                return i
        probe = " ".join(sentence_key(paragraph[:400]).split()[:8])
        if not probe:
            return None
        for i in range(begin, len(self.lines)):
            key = self.keys[i] or sentence_key(self.lines[i][:2000])
            if probe in key:
                return i
        return None

    # --- derived, computed once ----------------------------------------------------

    @cached_property
    def story_words(self) -> set[str]:
        """Content words of the story's opening (its first 2,500 characters): what a
        headline announces is there, and reading further costs more than it tells."""
        text, size = [], 0
        for paragraph in self.paragraphs:
            text.append(paragraph)
            size += len(paragraph)
            if size >= 2500:
                break
        return content_words(" ".join(text)[:2500])

    @cached_property
    def story_indexes(self) -> frozenset[int]:
        """Indexes of the lines that hold the story's text."""
        texts = set(self.paragraphs)
        out = {i for i, text in enumerate(self.lines) if text in texts}
        if self.start is not None and self.end is not None:
            out |= {i for i in range(self.start, self.end + 1) if self.prose[i]}
        return frozenset(out)

    @cached_property
    def lead_words(self) -> set[str]:
        """Content words of the first two paragraphs: a headline announces these."""
        return content_words(" ".join(self.paragraphs[:2]))

    @cached_property
    def slug_words(self) -> set[str]:
        """Words of the url's last path parts ("/2016/11/29/why-trump-wont-change/")."""
        if not self.url:
            return set()
        path = re.sub(r"^[a-z]+://[^/]+", "", self.url.lower()).split("?")[0]
        parts = [p for p in path.split("/") if p and not p.isdigit()]
        found: set[str] = set()
        for part in parts[-2:]:
            found |= {w for w in re.split(r"[-_.+]+", part) if len(w) >= 3 and not w.isdigit()}
        return found - {"html", "htm", "php", "aspx", "index", "article", "story", "news"}

    @cached_property
    def prose(self) -> list[bool]:
        return [is_prose_line(t) for t in self.lines]

    @cached_property
    def next_prose(self) -> list[int]:
        """For each line, how many lines down the next prose line is (large when none)."""
        out = [10_000] * len(self.lines)
        following = None
        for i in range(len(self.lines) - 1, -1, -1):
            out[i] = (following - i) if following is not None else 10_000
            if self.prose[i]:
                following = i
        return out

    def number(self, index: int) -> int:
        return self.numbers[index]
