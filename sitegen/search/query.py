"""The search language and searching: shared by `sitegen search` and the dev server.

A query goes through four small steps, each mirrored by the browser script
(themes/default/static/search.js) so both rank the same way:

1. `tokenize` + `parse`: text -> a tree of words, "phrases", prefix*, field:value, AND, OR,
   NOT/-, (groups). A malformed query raises ProblemError with a sentence, never a traceback.
2. `compile_query`: analyse words like the index does (stems, stop words) and expand
   prefixes against the index's words -> a tree of ("term"/"phrase"/"or"/"and"/"andnot").
3. `normalize`: flatten, drop empty parts and duplicates, turn NOT into and-not.
4. `to_whoosh` + `search`: run it with BM25F, filter, count facets, cut snippets.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
import re
import time
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.lang.porter import stem
from whoosh.matching.binary import AndNotMatcher, UnionMatcher
from whoosh.searching import Searcher

from sitegen.model import Problem, ProblemError
from sitegen.search.index import term_docs
from sitegen.search.schema import (
    FIELD_BOOSTS,
    KEYWORD_FIELDS,
    NAME_SEPARATOR,
    TEXT_FIELDS,
    WORD_PATTERN,
    analyze,
    fold_accents,
    name_key,
)
from sitegen.search.snippets import Snippet, make_snippet

#: What a reader may type before a colon -> the field it searches.
FIELD_ALIASES = {
    "person": "people",
    "people": "people",
    "topic": "topics",
    "topics": "topics",
    "source": "source",
    "sources": "source",
    "year": "year",
    "title": "title",
    "author": "authors",
    "authors": "authors",
}
OPERATORS = ("AND", "OR", "NOT")
MIN_PREFIX = 2
MAX_EXPANSIONS = 100  # words a prefix may stand for; more is an error, not a slow query
FACET_FIELDS = ("people", "topics", "source", "year", "authors")

_WORD = re.compile(WORD_PATTERN)
_SPACE = re.compile(r"\s")

Node = tuple  # ("term", field, text, boost) | ("phrase", field, words, boost)
#               | ("or", children) | ("and", children) | ("andnot", positive, negative)


def query_problem(message: str) -> ProblemError:
    return ProblemError(Problem("query", message))


# 1. Tokens and the parse tree


@dataclass(frozen=True)
class Token:
    kind: str  # "(" ")" AND OR NOT word phrase prefix
    pos: int  # 0-based character offset
    text: str = ""
    field: str | None = None  # index field for word/phrase/prefix with a "field:" in front


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if _SPACE.match(c):
            i += 1
        elif c in "()":
            tokens.append(Token(c, i))
            i += 1
        elif c == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise query_problem(f'the quote (") at character {i + 1} is not closed')
            tokens.append(Token("phrase", i, text[i + 1 : end]))
            i = end + 1
        elif c == "-" and i + 1 < n and not _SPACE.match(text[i + 1]) and text[i + 1] not in "-)":
            tokens.append(Token("NOT", i, "-"))
            i += 1
        else:
            j = i
            while j < n and not _SPACE.match(text[j]) and text[j] not in '()"':
                j += 1
            word = text[i:j]
            colon = word.find(":")
            alias = word[:colon].lower() if colon > 0 else ""
            if word in OPERATORS:
                tokens.append(Token(word, i, word))
            elif alias in FIELD_ALIASES:
                name = FIELD_ALIASES[alias]
                value = word[colon + 1 :]
                if value:
                    kind = "prefix" if value.endswith("*") and value.strip("*") else "word"
                    tokens.append(Token(kind, i, value.rstrip("*") or value, name))
                elif j < n and text[j] == '"':
                    end = text.find('"', j + 1)
                    if end < 0:
                        raise query_problem(f'the quote (") at character {j + 1} is not closed')
                    tokens.append(Token("phrase", i, text[j + 1 : end], name))
                    j = end + 1
                else:
                    raise query_problem(
                        f"'{word}' at character {i + 1} needs something after the colon, "
                        f'like {alias}:"{_EXAMPLES.get(name, "word")}"'
                    )
            elif word.endswith("*") and word.strip("*"):
                tokens.append(Token("prefix", i, word.rstrip("*")))
            else:
                tokens.append(Token("word", i, word))
            i = j
    return tokens


_EXAMPLES = {
    "people": "Ann Lee",
    "topics": "Elections",
    "source": "Reuters",
    "year": "2024",
    "authors": "Jane Doe",
}


class _Parser:
    """Recursive descent: OR binds loosest, then AND (or nothing), then NOT."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.at = 0

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        if self.at >= len(self.tokens):  # the query ended where a term was due
            raise query_problem("the query ends where a search term should follow")
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.parse_or()
        extra = self.peek()
        if extra is not None:  # only a stray ")" can stop the loops early
            raise query_problem(f"the ')' at character {extra.pos + 1} has no matching '('")
        return node

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            self.need_operand(token)
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else ("OR", tuple(items))

    def parse_and(self) -> Node:
        items = [self.parse_unary()]
        while (token := self.peek()) is not None and token.kind not in (")", "OR"):
            if token.kind == "AND":
                self.take()
                self.need_operand(token)
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else ("AND", tuple(items))

    def parse_unary(self) -> Node:
        token = self.peek()
        if token is not None and token.kind == "NOT":
            self.take()
            self.need_operand(token)
            return ("NOT", self.parse_unary())
        return self.parse_primary()

    def parse_primary(self) -> Node:
        token = self.take()
        if token.kind == "(":
            inner = self.peek()
            if inner is None:  # "(" or "bridge (": the query ends inside the group
                raise query_problem(f"the '(' at character {token.pos + 1} is not closed")
            if inner.kind == ")":
                raise query_problem(f"the parentheses at character {token.pos + 1} are empty")
            node = self.parse_or()
            close = self.peek()
            if close is None or close.kind != ")":
                raise query_problem(f"the '(' at character {token.pos + 1} is not closed")
            self.take()
            return node
        if token.kind == ")":
            raise query_problem(f"the ')' at character {token.pos + 1} has no matching '('")
        if token.kind in ("AND", "OR"):
            raise query_problem(
                f"'{token.kind}' at character {token.pos + 1} needs a search term before it"
            )
        return ("LEAF", token)

    def need_operand(self, operator: Token) -> None:
        token = self.peek()
        if token is None or token.kind in (")", "AND", "OR"):
            name = operator.text if operator.text != "-" else "'-'"
            raise query_problem(
                f"{name} at character {operator.pos + 1} needs a search term after it"
            )


def parse(text: str) -> Node | None:
    """Query text -> parse tree of ("OR"|"AND", items), ("NOT", item), ("LEAF", Token)."""
    return _Parser(tokenize(text)).parse()


# 2. Compile: analysed terms, prefixes expanded

#: prefix texts -> every indexed title/body word starting with any of them, sorted.
Expander = Callable[[list[str]], list[str]]


def utf16_key(text: str) -> bytes:
    """Sort like JavaScript compares strings, so Python and the browser agree on order."""
    return text.encode("utf-16-be")


def text_fields(field_name: str | None) -> tuple[str, ...]:
    return (field_name,) if field_name in TEXT_FIELDS else TEXT_FIELDS


def words_node(words: list[str], fields: tuple[str, ...]) -> Node | None:
    if not words:
        return None
    if len(words) == 1:
        items = tuple(("term", f, words[0], FIELD_BOOSTS[f]) for f in fields)
    else:
        items = tuple(("phrase", f, tuple(words), FIELD_BOOSTS[f]) for f in fields)
    return items[0] if len(items) == 1 else ("or", items)


def prefix_texts(token: Token) -> list[str]:
    """'Presidents*' -> ['presidents', 'presid']: the prefix as typed and as stemmed."""
    words = _WORD.findall(fold_accents(token.text.lower()))
    if len(words) != 1:
        raise query_problem(
            f"'{token.text}*' at character {token.pos + 1}: '*' works at the end of one word"
        )
    text = words[0]
    if len(text) < MIN_PREFIX:
        raise query_problem(
            f"'{token.text}*' at character {token.pos + 1} is too short: "
            f"give at least {MIN_PREFIX} letters before the '*'"
        )
    stemmed = stem(text)
    return [text] if stemmed == text else [text, stemmed]


def compile_leaf(token: Token, expand: Expander) -> Node | None:
    if token.field in KEYWORD_FIELDS.values():
        if token.kind == "prefix":
            raise query_problem(
                f"'*' at character {token.pos + 1}: names match exactly, without '*'"
            )
        key = name_key(token.text)
        if token.field == "year" and not re.fullmatch(r"\d{4}", key):
            raise query_problem(
                f"year: at character {token.pos + 1} needs a four-digit year like 2024, "
                f"not '{token.text}'"
            )
        if not key:
            raise query_problem(f"the name at character {token.pos + 1} is empty")
        return ("term", token.field, key, 1.0)
    fields = text_fields(token.field)
    if token.kind == "prefix":
        words = expand(prefix_texts(token))
        if len(words) > MAX_EXPANSIONS:
            raise query_problem(
                f"'{token.text}*' matches more than {MAX_EXPANSIONS} different words; "
                "give a few more letters"
            )
        items = tuple(("term", f, w, FIELD_BOOSTS[f]) for w in words for f in fields)
        return ("or", items) if items else None
    return words_node(analyze(token.text), fields)


def compile_query(tree: Node | None, expand: Expander) -> Node | None:
    """Parse tree -> search tree with analysed terms (not yet normalized)."""
    if tree is None:
        return None
    kind = tree[0]
    if kind == "LEAF":
        return compile_leaf(tree[1], expand)
    if kind == "NOT":
        inner = compile_query(tree[1], expand)
        return ("not", inner) if inner is not None else None
    items = tuple(compile_query(item, expand) for item in tree[1])
    return ("and" if kind == "AND" else "or", items)


# 3. Normalize


def _unique(items: Iterable[Node]) -> tuple[Node, ...]:
    seen: list[Node] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return tuple(seen)


def normalize(node: Node | None) -> Node | None:
    """Flatten nested and/or, drop empty parts and repeats, and turn NOT into and-not.

    A group made only of NOTs cannot be searched (NOT only takes away): that is an error.
    """
    if node is None:
        return None
    kind = node[0]
    if kind in ("term", "phrase"):
        return node
    if kind == "not":
        return normalize(("and", (node,)))
    if kind == "or":
        items: list[Node] = []
        for child in node[1]:
            child = normalize(child)
            if child is None:
                continue
            items.extend(child[1] if child[0] == "or" else (child,))
        unique = _unique(items)
        if not unique:
            return None
        return unique[0] if len(unique) == 1 else ("or", unique)
    # "and"
    positive: list[Node] = []
    negative: list[Node] = []
    for child in node[1]:
        if child is not None and child[0] == "not":
            inner = normalize(child[1])
            if inner is not None:
                negative.extend(inner[1] if inner[0] == "or" else (inner,))
            continue
        child = normalize(child)
        if child is None:
            continue
        positive.extend(child[1] if child[0] == "and" else (child,))
    positive_u, negative_u = _unique(positive), _unique(negative)
    if not positive_u:
        if negative_u:
            raise query_problem(
                "NOT only takes results away: add a word to search for, like 'putin NOT trump'"
            )
        return None
    result = positive_u[0] if len(positive_u) == 1 else ("and", positive_u)
    if negative_u:
        exclude = negative_u[0] if len(negative_u) == 1 else ("or", negative_u)
        return ("andnot", result, exclude)
    return result


def prepare(text: str, expand: Expander) -> Node | None:
    """Query text -> normalized search tree, or None when nothing is left to search for."""
    return normalize(compile_query(parse(text), expand))


def highlight_terms(node: Node | None) -> set[str]:
    """Title/body words the results matched on (not the excluded ones): what snippets mark."""
    if node is None:
        return set()
    kind = node[0]
    if kind == "term":
        return {node[2]} if node[1] in TEXT_FIELDS else set()
    if kind == "phrase":
        return set(node[2])
    if kind == "andnot":
        return highlight_terms(node[1])
    terms: set[str] = set()
    for child in node[1]:
        terms |= highlight_terms(child)
    return terms


# 4. Whoosh


def to_whoosh(node: Node) -> wq.Query:
    """The search tree as a Whoosh query. Field weights (node[3]) are not query boosts:
    schema.FieldBoostedBM25F applies them to every term score, phrases included."""
    kind = node[0]
    if kind == "term":
        return wq.Term(node[1], node[2])
    if kind == "phrase":
        return wq.Phrase(node[1], list(node[2]), slop=1)
    if kind == "andnot":
        return ExactAndNot(to_whoosh(node[1]), to_whoosh(node[2]))
    children = [to_whoosh(child) for child in node[1]]
    return ExactOr(children) if kind == "or" else wq.And(children)


class _AndNotMatcher(AndNotMatcher):
    """Whoosh's AND NOT, also right when the excluded term's first document comes before
    the wanted term's first: Whoosh's own looks for that case only when both start on
    the same document, and keeps the excluded document."""

    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class ExactAndNot(wq.AndNot):
    def matcher(self, searcher, context=None):
        wanted = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return _AndNotMatcher(wanted, excluded)


class _ExactUnionMatcher(UnionMatcher):
    """A union that never rewrites itself from a minimum score.

    Whoosh's UnionMatcher.replace(minquality) turns itself into an intersection or an
    and-maybe when neither side alone can reach the minimum; inside an AND that drops
    documents which belong in the top N. The other optimisations stay on.
    """

    def replace(self, minquality=0):
        return super().replace(0)


class ExactOr(wq.Or):
    """Or, matched by a tree of _ExactUnionMatchers (scores summed, as Or does)."""

    def _matcher(self, subs, searcher, context):
        reader = searcher.reader()
        return self._tree_matcher(
            subs, _ExactUnionMatcher, searcher, context, lambda q: q.estimate_size(reader)
        )


def reader_expander(reader: Any) -> Expander:
    def expand(prefixes: list[str]) -> list[str]:
        words: set[str] = set()
        for prefix in prefixes:
            for field_name in TEXT_FIELDS:
                for word in reader.expand_prefix(field_name, prefix):
                    words.add(word.decode("utf-8"))
                    if len(words) > MAX_EXPANSIONS:
                        return sorted(words, key=utf16_key)
        return sorted(words, key=utf16_key)

    return expand


@dataclass(frozen=True)
class Filters:
    """Restrictions that narrow results without changing their scores."""

    people: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None

    def terms(self) -> list[tuple[str, str]]:
        return [
            (field_name, name_key(value))
            for field_name, values in (
                ("people", self.people),
                ("topics", self.topics),
                ("source", self.sources),
                ("year", self.years),
                ("authors", self.authors),
            )
            for value in values
        ]


def date_bound(text: str, *, end: bool, option: str) -> str:
    """'2024', '2024-05' or '2024-05-31' -> the first (or last) day it covers, as YYYY-MM-DD."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}", value):
            day = dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
        elif re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = int(value[:4]), int(value[5:])
            first = dt.date(year, month, 1)
            following = dt.date(year + (month == 12), month % 12 + 1, 1)
            day = following - dt.timedelta(days=1) if end else first
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
        else:
            raise ValueError
    except ValueError:
        raise ProblemError(
            Problem(option, f"{text!r} is not a date: use 2024, 2024-05 or 2024-05-31")
        ) from None
    return day.isoformat()


@dataclass
class Hit:
    docnum: int
    score: float
    path: str
    url: str  # site-relative page path
    title: str
    date: str | None
    source: str | None
    people: list[str]
    topics: list[str]
    snippet: Snippet
    authors: list[str] = field(default_factory=list)

    def to_json(self, base: str) -> dict[str, Any]:
        """One hit as SearchResult.to_json lists it."""
        return {
            "title": self.title,
            "url": base + self.url.lstrip("/"),
            "path": self.path,
            "date": self.date,
            "source": self.source,
            "people": self.people,
            "topics": self.topics,
            "authors": self.authors,
            "score": round(self.score, 6),
            "snippet": self.snippet.text,
            "snippet_marks": [list(mark) for mark in self.snippet.marks],
        }


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self, base: str) -> dict[str, Any]:
        """The result as `sitegen search --json` prints it and serve's /_search answers,
        page URLs under `base` (the site's absolute address, or its path for serve)."""
        return {
            "query": self.query,
            "total": self.total,
            "seconds": round(self.seconds, 4),
            "results": [hit.to_json(base) for hit in self.hits],
            "facets": {
                name: [{"name": n, "count": c} for n, c in pairs]
                for name, pairs in self.facets.items()
            },
            "notes": self.notes,
        }


def _names(value: Any) -> list[str]:
    if not value:
        return []
    text = value.decode("utf-8") if isinstance(value, bytes) else str(value)
    return [name for name in text.split(NAME_SEPARATOR) if name]


def names_column(reader: Any, field_name: str) -> Callable[[int], list[str]]:
    """docnum -> the names stored in a keyword field's column, as written.

    Built per segment: Whoosh's MultiReader.column_reader() misnumbers documents when
    a segment has no value in the column at all.
    """
    leaves = [(s, o) for s, o in reader.leaf_readers() if s.doc_count_all()]
    offsets = [offset for _, offset in leaves]
    columns = [segment.column_reader(field_name) for segment, _ in leaves]

    def names(docnum: int) -> list[str]:
        at = bisect.bisect_right(offsets, docnum) - 1
        return _names(columns[at][docnum - offsets[at]])

    return names


class Tables:
    """Lookups for one open searcher, built on first use and kept while it is open:
    the names columns, and the documents under every person, topic, source, year, date.

    They make facet counts and totals set operations instead of Python loops over
    every match (what keeps a query on 10,000 articles well under 50 ms).
    """

    def __init__(self, searcher: Searcher):
        self.searcher = searcher
        reader = searcher.reader()
        self.columns = {name: names_column(reader, name) for name in FACET_FIELDS}
        self._docs: dict[str, dict[str, set[int]]] = {}
        self._labels: dict[str, dict[str, str]] = {}
        self._per_doc: dict[str, list[tuple[str, ...]]] = {}
        self._live: set[int] | None = None

    def docs(self, field_name: str) -> dict[str, set[int]]:
        """key -> live documents, for a keyword field or 'date'."""
        if field_name not in self._docs:
            if field_name in self.columns:
                self._load(field_name)
            else:
                reader = self.searcher.reader()
                self._docs[field_name] = {
                    key.decode("utf-8"): docs
                    for key in reader.lexicon(field_name)
                    if (docs := term_docs(self.searcher, field_name, key.decode("utf-8")))
                }
        return self._docs[field_name]

    def label(self, field_name: str, key: str) -> str:
        """A keyword as the articles write it ('Kurýr Dne', not 'kuryr dne')."""
        self.docs(field_name)
        return self._labels[field_name].get(key, key)

    def per_doc(self, field_name: str) -> list[tuple[str, ...]]:
        """docnum -> the field's keys, for counting facets over many matches at C speed."""
        self.docs(field_name)
        return self._per_doc[field_name]

    def _load(self, field_name: str) -> None:
        """One pass over a keyword field's column: the keys per document (as the index's
        NamesTokenizer makes them), the documents per key, and each key's first spelling."""
        column = self.columns[field_name]
        per_doc: list[tuple[str, ...]] = [()] * self.searcher.reader().doc_count_all()
        docs: dict[str, set[int]] = {}
        labels: dict[str, str] = {}
        for doc in sorted(self.live()):
            keys: dict[str, None] = {}
            for name in column(doc):
                key = name_key(name)
                if key and key not in keys:
                    keys[key] = None
                    labels.setdefault(key, name)
                    docs.setdefault(key, set()).add(doc)
            per_doc[doc] = tuple(keys)
        self._per_doc[field_name] = per_doc
        self._docs[field_name] = docs
        self._labels[field_name] = labels

    def live(self) -> set[int]:
        if self._live is None:
            self._live = set(self.searcher.reader().all_doc_ids())
        return self._live

    def matched(self, node: Node | None) -> set[int]:
        """The documents a search tree matches (the same set Whoosh's matchers give)."""
        if node is None:
            return set(self.live())
        kind = node[0]
        if kind == "term":
            if node[1] in KEYWORD_FIELDS.values():
                return set(self.docs(node[1]).get(node[2], ()))
            return term_docs(self.searcher, node[1], node[2])
        if kind == "phrase":
            return set(self.searcher.docs_for_query(to_whoosh(node)))
        if kind == "andnot":
            return self.matched(node[1]) - self.matched(node[2])
        parts = [self.matched(child) for child in node[1]]
        if kind == "or":
            return set().union(*parts)
        parts.sort(key=len)
        return parts[0].intersection(*parts[1:])

    def allowed(self, filters: Filters) -> set[int] | None:
        """The documents the filters let through; None when there are no filters."""
        allowed: set[int] | None = None
        for field_name, key in filters.terms():
            docs = self.docs(field_name).get(key, set())
            allowed = set(docs) if allowed is None else allowed & docs
        if filters.date_from or filters.date_to:
            low, high = filters.date_from or "0000-00-00", filters.date_to or "9999-99-99"
            dated: set[int] = set()
            for day, docs in self.docs("date").items():
                if low <= day <= high:
                    dated |= docs
            allowed = dated if allowed is None else allowed & dated
        return allowed

    def facets(self, matched: set[int], size: int) -> dict[str, list[tuple[str, int]]]:
        out = {}
        for name in FACET_FIELDS:
            table = self.per_doc(name)
            counted = Counter(itertools.chain.from_iterable(map(table.__getitem__, matched)))
            labels = self._labels[name]
            if name == "year":  # every year, newest first
                out[name] = sorted(((labels[k], n) for k, n in counted.items()), reverse=True)
            else:  # the most frequent names
                ranked = heapq.nsmallest(
                    size, counted.items(), key=lambda kv: (-kv[1], labels[kv[0]])
                )
                out[name] = [(labels[key], n) for key, n in ranked]
        return out


_TABLES: weakref.WeakKeyDictionary[Searcher, Tables] = weakref.WeakKeyDictionary()


def tables_of(searcher: Searcher) -> Tables:
    if searcher not in _TABLES:
        _TABLES[searcher] = Tables(searcher)
    return _TABLES[searcher]


def _unknown_names(tables: Tables, filters: Filters, node: Node | None) -> list[str]:
    """Notes for names that are not in the index, with near spellings that are."""
    wanted = list(filters.terms())
    stack = [node] if node is not None else []
    while stack:
        item = stack.pop()
        if item[0] == "term" and item[1] in KEYWORD_FIELDS.values():
            wanted.append((item[1], item[2]))
        elif item[0] in ("or", "and"):
            stack.extend(item[1])
        elif item[0] == "andnot":
            stack.extend(item[1:])
    labels = {v: k for k, v in KEYWORD_FIELDS.items()}
    notes = []
    for field_name, key in dict.fromkeys(wanted):
        known = tables.docs(field_name)
        if key in known:
            continue
        words = key.split()
        near = [name for name in known if all(w in name.split() for w in words)][:3]
        note = f"no {labels[field_name]} named '{key}' in the archive"
        if near:
            note += "; did you mean " + " or ".join(f"'{n}'" for n in near) + "?"
        notes.append(note)
    return notes


def top_results(
    searcher: Searcher, whoosh_query: wq.Query, allowed: set[int] | None, limit: int
) -> Any:
    """Whoosh's exact top `limit`, best first (ties: lower document number first)."""
    if allowed is not None and not allowed:
        return []  # Whoosh takes an empty filter set for no filter at all
    collector: Any = TopCollector(limit=limit)
    if allowed is not None:
        collector = FilterCollector(collector, allow=allowed)
    searcher.search_with_collector(whoosh_query, collector)
    return collector.results()


def _has_phrase(node: Node | None) -> bool:
    if node is None or node[0] == "term":
        return False
    if node[0] == "phrase":
        return True
    children = node[1:] if node[0] == "andnot" else node[1]
    return any(_has_phrase(child) for child in children)


def search(
    searcher: Searcher,
    text: str,
    filters: Filters = Filters(),
    *,
    limit: int = 10,
    with_facets: bool = True,
    facet_size: int = 10,
) -> SearchResult:
    """Ranked hits, total, facet counts and snippets for a query; ProblemError if malformed.

    Whoosh ranks; the total and the facets count every match (set operations on the
    searcher's Tables, which are built on first use and reused while it stays open).
    """
    started = time.perf_counter()
    tables = tables_of(searcher)
    node = prepare(text, reader_expander(searcher.reader()))
    allowed = tables.allowed(filters)
    if node is None and allowed is None:
        if text.strip():
            raise query_problem(
                "nothing to search for: the query has only very common or very short words "
                "(like 'the' or 'a'), which are not indexed"
            )
        raise query_problem("the query is empty: give a word to search for")
    whoosh_query = to_whoosh(node) if node is not None else wq.Every()
    if _has_phrase(node):  # Whoosh visits every match anyway: one pass gives both
        every = (
            searcher.search(whoosh_query, limit=None, filter=allowed) if allowed != set() else []
        )
        results = every[:limit] if every else []
        matched = {hit.docnum for hit in every} if every else set()
    else:
        results = top_results(searcher, whoosh_query, allowed, limit)
        matched = tables.matched(node)
        if allowed is not None:
            matched &= allowed
    terms = highlight_terms(node)
    columns = tables.columns
    hits = []
    for hit in results:
        stored = hit.fields()
        docnum = hit.docnum
        source = columns["source"](docnum)
        hits.append(
            Hit(
                docnum=docnum,
                score=hit.score,
                path=stored["path"],
                url=stored["url"],
                title=stored["title"],
                date=stored.get("date"),
                source=source[0] if source else None,
                people=columns["people"](docnum),
                topics=columns["topics"](docnum),
                authors=columns["authors"](docnum),
                snippet=make_snippet(stored.get("excerpt", ""), terms),
            )
        )
    result = SearchResult(
        query=text,
        total=len(matched),
        hits=hits,
        facets=tables.facets(matched, facet_size) if with_facets else {},
        notes=_unknown_names(tables, filters, node),
    )
    result.seconds = time.perf_counter() - started
    return result
