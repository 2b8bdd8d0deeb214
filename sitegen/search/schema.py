"""The search index's fields and text analysis: the one definition both searches share.

The browser script (themes/default/static/search.js) re-implements exactly this analysis
(tokenizer pattern, lowercase, accent folding, stop words, Porter stemmer) and exactly the
BM25F parameters below; the exported meta file carries the stop list and the parameters so
the two cannot drift apart silently. Change anything here and bump SCHEMA_VERSION: the
index in the cache is then rebuilt from scratch.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from whoosh import columns, fields, formats, scoring
from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem

from sitegen.search.varints import positions_value, positions_values, read_varints

SCHEMA_VERSION = 6

#: Words: letters, digits and underscores, with inner dots kept ("u.s", "3.5").
WORD_PATTERN = r"\w+(?:\.?\w+)*"
MIN_WORD = 2  # shorter words are not indexed (like stop words)
MAX_WORD = 40  # longer "words" are junk (hashes, base64), not indexed
STOP_LIST = tuple(sorted(STOP_WORDS))

#: BM25F, as whoosh.scoring.BM25F computes it; search.js uses the same numbers.
K1 = 1.2
B = {"title": 0.5, "body": 0.75}
#: Query-time weight of a match in each text field (whoosh Term boost).
FIELD_BOOSTS = {"title": 2.0, "body": 1.0}
TEXT_FIELDS = ("title", "body")

#: Exact-name fields; the query prefix a reader types -> the field name.
KEYWORD_FIELDS = {
    "person": "people",
    "topic": "topics",
    "source": "source",
    "year": "year",
    "author": "authors",
}
#: Several names go into one keyword field joined by this (it never occurs inside a name).
NAME_SEPARATOR = "\x1f"


#: Lowercase letters NFKD does not take apart but readers type without their stroke.
LETTER_FOLDS = {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t"}
LETTER_FOLDS.update({"æ": "ae", "œ": "oe", "ß": "ss", "þ": "th"})
_LETTER_TABLE = str.maketrans(LETTER_FOLDS)


def fold_accents(text: str) -> str:
    """'erdoğan' -> 'erdogan', 'łódź' -> 'lodz' (after lowercasing): NFKD, drop nonspacing
    marks, then unstroke a few letters. search.js's fold() does the same."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").translate(
        _LETTER_TABLE
    )


class FoldAccentsFilter(Filter):
    """Accent folding per token, so 'Łódź' and 'Lodz' meet only where NFKD says they do."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold_accents(token.text)
            yield token


def text_analyzer():
    """Tokenize, lowercase, fold accents, drop stop words and tiny/huge words, Porter-stem."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | FoldAccentsFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=MIN_WORD, maxsize=MAX_WORD)
        | StemFilter(stemfn=stem, cachesize=100_000)
    )


def name_key(name: str) -> str:
    """A person, topic, source or year as the one exact term it is indexed under."""
    return fold_accents(" ".join(name.split()).lower())


class NamesTokenizer(Tokenizer):
    """Names joined by NAME_SEPARATOR -> one token per distinct name (commas inside names are fine)."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        seen: set[str] = set()
        pos = start_pos
        for name in value.split(NAME_SEPARATOR):
            key = name_key(name)
            if not key or key in seen:
                continue
            seen.add(key)
            token.text = key
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = name
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(name)
            yield token


def names_field() -> fields.KEYWORD:
    """Exact names, not scored by length; the original spellings kept in a column for facets."""
    return fields.KEYWORD(analyzer=NamesTokenizer(), sortable=columns.VarBytesColumn())


class TermPositions(dict):
    """term -> positions of one field's text, as text_analyzer() would index it."""


class VarintPositions(formats.Positions):
    """Whoosh's Positions format with the value written as varints (term frequency, then
    position gaps) instead of a pickled list: the very bytes the static export stores per
    document, so one encoding serves both indexes; 2-4 bytes for a word found once or a
    few times where Whoosh's pickle takes 13-18, and cheap to make."""

    def encode(self, poslist: list[int]) -> bytes:
        return positions_value(poslist) if poslist else b"\x00"

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return list(itertools.accumulate(read_varints(valuestring)[1:]))

    def decode_frequency(self, valuestring: bytes) -> int:
        return read_varints(valuestring)[0]


class AnalysedText(fields.TEXT):
    """A TEXT field (positions as VarintPositions) that also takes TermPositions made by
    term_positions().

    Whoosh's token pipeline costs ~10x our own pass over the same words; handing it the
    finished terms keeps the index identical (a test checks) and the build fast.
    Query parsing still uses the field's analyzer.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.format.supports("positions"):
            self.format = VarintPositions(field_boost=self.format.field_boost)

    def index(self, value, **kwargs):
        if isinstance(value, TermPositions):
            values = positions_values(list(value.values()))
            return [
                (term.encode("utf-8"), len(where), float(len(where)), data)
                for (term, where), data in zip(value.items(), values, strict=True)
            ]
        return super().index(value, **kwargs)


def make_schema() -> fields.Schema:
    """A lean schema: stored only what a result shows; positions only where phrases need them."""
    analyzer = text_analyzer()
    return fields.Schema(
        path=fields.ID(unique=True, stored=True),  # content/-relative file: the update key
        url=fields.STORED(),  # site-relative page path
        title=AnalysedText(analyzer=analyzer, phrase=True, stored=True),
        body=AnalysedText(analyzer=analyzer, phrase=True),
        excerpt=fields.STORED(),  # the start of the plain text, for snippets
        date=fields.ID(stored=True),  # YYYY-MM-DD: a term range is a date range
        year=names_field(),
        people=names_field(),
        topics=names_field(),
        source=names_field(),
        authors=names_field(),
    )


class FieldBoostedScorer(scoring.BM25FScorer):
    """Whoosh's BM25F score of one term in one field, times the field's weight."""

    def __init__(self, searcher, fieldname, text, B, K1, boost, qf=1):  # noqa: N803 (Whoosh's names)
        self.boost = boost  # before super(): it computes the maximum quality with _score()
        super().__init__(searcher, fieldname, text, B, K1, qf=qf)

    def _score(self, weight, length):
        return scoring.bm25(self.idf, weight, length, self.avgfl, self.B, self.K1) * self.boost


class FieldBoostedBM25F(scoring.BM25F):
    """BM25F with the field weights inside the scorer, not as query boosts.

    Same numbers as Term(field, text, boost=w), but Whoosh's top-N optimisations stay
    exact: its WrappingMatcher.replace() forgets the boost and drops good documents.
    """

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        b = self._field_B.get(fieldname, self.B)
        boost = FIELD_BOOSTS.get(fieldname, 1.0)
        return FieldBoostedScorer(searcher, fieldname, text, b, self.K1, boost, qf=qf)


def weighting() -> scoring.BM25F:
    return FieldBoostedBM25F(
        B=B["body"], K1=K1, **{f"{name}_B": value for name, value in B.items()}
    )


_WORD = re.compile(WORD_PATTERN)
_STOPS = frozenset(STOP_WORDS)
_stem = functools.lru_cache(maxsize=200_000)(stem)


def analyze_with_chars(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) for every indexed word of a text, as text_analyzer() makes them.

    The same steps without Whoosh's token pipeline, which is ~10x slower per word; a test
    checks both agree. Used for queries and snippets.
    """
    out = []
    for match in _WORD.finditer(text):
        term = _indexed_term(match.group())
        if term:
            out.append((term, match.start(), match.end()))
    return out


_TERM_OF: dict[str, str] = {}  # a word as written -> its term ("" when not indexed)


def _term_of(word: str) -> str:
    folded = fold_accents(word.lower())
    if MIN_WORD <= len(folded) <= MAX_WORD and folded not in _STOPS:
        return _stem(folded)
    return ""


def _indexed_term(word: str) -> str:
    term = _TERM_OF.get(word)
    if term is None:
        term = _TERM_OF[word] = _term_of(word)
    return term


def term_positions(text: str) -> TermPositions:
    """term -> positions in `text` as Whoosh's StopFilter numbers them (so phrase queries
    line up): the first indexed word keeps its place among all words, the rest follow
    it one by one, skipping stop words."""
    cache = _TERM_OF
    if len(cache) > 500_000:
        cache.clear()
    words = _WORD.findall(text)
    terms = list(map(cache.get, words))
    if None in terms:
        for i, term in enumerate(terms):
            if term is None:
                terms[i] = _indexed_term(words[i])
    out = TermPositions()
    first = next((i for i, term in enumerate(terms) if term), None)
    if first is None:
        return out
    get = out.get
    for position, term in enumerate(filter(None, terms), first):
        found = get(term)
        if found is None:
            out[term] = [position]
        else:
            found.append(position)
    return out


def analyze(text: str) -> list[str]:
    """The terms a text contributes to title/body, in order (stop words removed)."""
    return [term for term, _, _ in analyze_with_chars(text)]
