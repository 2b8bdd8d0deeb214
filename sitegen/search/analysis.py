"""One article's search analysis, made once and shared by the Whoosh index and the static export.

Analysing text (tokenize, fold, stop, stem, positions) is most of what indexing costs;
doing it once per article and handing the finished terms to both indexes is what keeps
a cold build with search fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from sitegen.model import Article
from sitegen.search.schema import (
    NAME_SEPARATOR,
    TEXT_FIELDS,
    TermPositions,
    name_key,
    term_positions,
)
from sitegen.search.varints import positions_values
from sitegen.urls import article_path

EXCERPT_CHARS = 1200  # ~0.7 KB per record a browser loads for a result shown
#: Keyword fields: (Whoosh field, what the article holds).
NAME_FIELDS = ("year", "people", "topics", "source", "authors")


@dataclass
class Analysed:
    """What one article gives the search indexes."""

    path: str
    title: str
    url: str
    excerpt: str
    date: str | None
    names: dict[str, list[str]]  # keyword field -> names as written (cleaned), in order
    text: dict[str, TermPositions]  # "title"/"body" -> term -> positions
    lengths: dict[str, int]  # words indexed per text field: Whoosh's field length

    def keys(self, field: str) -> list[str]:
        """The distinct terms a keyword field is indexed under, in first-seen order."""
        seen: dict[str, None] = {}
        for name in self.names.get(field, []):
            key = name_key(name)
            if key:
                seen.setdefault(key)
        return list(seen)

    def document(self) -> dict[str, Any]:
        """The fields Whoosh indexes and stores (names joined by the separator)."""
        document: dict[str, Any] = {
            "path": self.path,
            "url": self.url,
            "title": self.text["title"],
            "_stored_title": self.title,
            "body": self.text["body"],
            "excerpt": self.excerpt,
        }
        if self.date is not None:
            document["date"] = self.date
        for field, names in self.names.items():
            if names:
                document[field] = NAME_SEPARATOR.join(names)
        return document

    def record(self) -> dict[str, Any]:
        """What a static search result shows: title, url, date, names and the excerpt."""
        record: dict[str, Any] = {"t": self.title, "u": self.url}
        if self.date:
            record["d"] = self.date
        if self.names.get("source"):
            record["s"] = self.names["source"][0]
        if self.names.get("people"):
            record["p"] = self.names["people"]
        if self.names.get("topics"):
            record["o"] = self.names["topics"]
        if self.names.get("authors"):
            record["a"] = self.names["authors"]
        record["x"] = self.excerpt
        return record


def plain_text_of(tokens: list[Token]) -> str:
    """The words a reader sees in a parsed Markdown body (md.parse's tokens), one block
    per line (no link targets)."""
    lines: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
                elif child.type == "image":
                    parts.append(child.content)
            line = "".join(parts).strip()
            if line:
                lines.append(line)
        elif token.type in ("fence", "code_block"):
            lines.append(token.content.strip())
    return "\n".join(line for line in lines if line)


def excerpt_of(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of the plain text on one line, cut at a word: what snippets are made from."""
    head = text[: 2 * limit + 2]
    if len(head) < len(text):  # a long text: collapsing its head is enough, when it is
        flat = " ".join(head.split())  # still longer than the excerpt
        if len(flat) >= limit + 2:
            return flat[:limit].rsplit(" ", 1)[0]
    flat = " ".join(text.split())  # (str.split: 10x a regular expression's speed)
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0]


def clean_names(names: list[str]) -> list[str]:
    """Names on one line each, without the separator, empty ones dropped."""
    clean = (" ".join(name.replace(NAME_SEPARATOR, " ").split()) for name in names)
    return [name for name in clean if name]


def analyse(article: Article, md: MarkdownIt, tokens: list[Token] | None = None) -> Analysed:
    """An Article (body loaded, slug assigned) -> its analysis for both indexes.

    `tokens`: the body already parsed by `md`, if the caller has them."""
    text = plain_text_of(md.parse(article.body) if tokens is None else tokens)
    date = article.date.date().isoformat() if article.date else None
    text_terms = {"title": term_positions(article.title), "body": term_positions(text)}
    return Analysed(
        path=article.path,
        title=article.title,
        url=article_path(article),
        excerpt=excerpt_of(text),
        date=date,
        names={
            "year": [f"{article.date.year:04d}"] if article.date else [],
            "people": clean_names(article.people),
            "topics": clean_names(article.topics),
            "source": clean_names([article.source] if article.source else []),
            "authors": clean_names(article.authors),
        },
        text=text_terms,
        lengths={field: sum(map(len, terms.values())) for field, terms in text_terms.items()},
    )


#: field -> term -> (local document numbers, the term's positions in each, and those as
#: posting values): a bucket of analysed articles inverted once, for both the Whoosh
#: segment and the static export.
Inverted = dict[str, dict[str, tuple[list[int], list[list[int]], list[bytes]]]]


def invert(items: list[Analysed]) -> Inverted:
    """The text fields' postings of `items`, numbered by their place in the list; each
    document's positions of a word encoded once (varints.positions_value), for both."""
    inverted: Inverted = {}
    for name in TEXT_FIELDS:
        into: dict[str, tuple[list[int], list[list[int]], list[bytes]]] = {}
        get = into.get
        for local, item in enumerate(items):
            terms = item.text[name]
            # a whole article's values at once: many short calls cost 1.5x as much
            values = positions_values(list(terms.values()))
            for (term, positions), value in zip(terms.items(), values, strict=True):
                found = get(term)
                if found is None:
                    into[term] = ([local], [positions], [value])
                else:
                    found[0].append(local)
                    found[1].append(positions)
                    found[2].append(value)
        inverted[name] = into
    return inverted
