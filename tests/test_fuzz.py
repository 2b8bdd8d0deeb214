"""Property-based fuzzing of the boundaries that take user input: nothing a user types or
saves crashes sitegen. Each boundary either gives its result or a Problem naming the
file (or the query) in one line, never another exception.

One property per boundary (`check_*`), each with its input strategy; the tests below run
each a few hundred to a few thousand times, and `benchmarks/fuzz.py` runs the same
properties with many more examples. Every case these found is kept as an ordinary
regression test beside the module's own tests.

Why derandomize=True (and no example database): the suite must be reproducible, so a CI
run fails only when the code changes, never because Hypothesis happened to draw a new
example on an unrelated pull request; the random exploration is benchmarks/fuzz.py's job,
run by hand with fresh seeds. A fixed seed also needs no `.hypothesis/` folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import pickle
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.config import Config, load_config
from sitegen.content import decode_article_bytes, read_article, read_body
from sitegen.entities.refresh import update_front_matter
from sitegen.ingest.clean import Cleaned, clean_lines
from sitegen.ingest.metadata import Metadata, find_metadata
from sitegen.ingest.readers import RawDocument, read_file
from sitegen.markdown import first_paragraph, make_markdown, render_markdown
from sitegen.model import TAXONOMIES, Article, Problem, ProblemError, Term
from sitegen.site.feeds import rfc3339
from sitegen.site.render import format_date
from sitegen.site.state import article_digest, listing_digest, placing_digest
from sitegen.urls import (
    MAX_SLUG,
    article_path,
    article_slug,
    month_path,
    output_file,
    paged,
    slugify,
    term_feed_path,
    term_index_path,
    term_path,
    unique_slugs,
    year_path,
)

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,  # a first call warms caches (regexes, trafilatura, Whoosh): not a bug
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=False,
)

#: Examples per target in the suite (~20 s in all on two cores); benchmarks/fuzz.py
#: takes --examples for many more.
SUITE_EXAMPLES = {
    "query": 1500,
    "content": 1200,
    "readers": 600,
    "clean_metadata": 600,
    "slugs": 1200,
}

#: Every character, lone UTF-16 surrogates included (files and JSON escapes carry them).
ANY_CHAR = st.characters(exclude_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=60)


def one_line(problem: Problem) -> bool:
    """A message a terminal shows on one line (splitlines knows every line break)."""
    return bool(problem.message.strip()) and len(str(problem).splitlines()) == 1


def soup(pieces: list[str], *, max_size: int = 20, sep: str = "") -> st.SearchStrategy[str]:
    """Text made of meaningful pieces and a little noise: reaches deeper than random text."""
    piece = st.one_of(st.sampled_from(pieces), st.text(max_size=4), st.text(ANY_CHAR, max_size=2))
    return st.lists(piece, max_size=max_size).map(sep.join)


# --- 1. search queries -----------------------------------------------------------------

# fmt: off
QUERY_PIECES = [
    "(", ")", '"', "-", "*", ":", " ", " ", "AND", "OR", "NOT", "and", "or",
    "person:", "people:", "topic:", "topics:", "source:", "sources:", "year:", "title:",
    "author:", "authors:", 'author:"Ann Lee"',
    'person:"', 'topic:"Port strike"', "year:2024", "year:0000", "harbour", "council",
    "meet*", "h*", "**", "-(", "(-", "the", "of", "Łódź", "erdoğan", "2024", "'", "\\",
    "\t", "\u3000", "\u200b", "ﬁ", "Σ", "\U0001f600",
]
# fmt: on

QUERIES = st.one_of(
    soup(QUERY_PIECES, max_size=12),
    soup(QUERY_PIECES, max_size=8, sep=" "),
    ANY_TEXT,
)
FILTER_TEXT = st.one_of(st.sampled_from(["", " ", "Ann Lee", "2024", "x", "Łódź"]), ANY_TEXT)
DATE_TEXT = st.one_of(
    st.none(),
    st.sampled_from(["2024", "2024-05", "2024-05-31", "0000", "9999-12", "2024-02-30", "May"]),
    soup(["2024", "-", "05", "31", "12", "00", "٢٠٢٤", " "], max_size=5),
)

QUERY_SITE_FILES = {
    "content/a.md": "---\ntitle: Harbour council meets\ndate: 2024-05-31\nsource: Harbor Ledger\n"
    "people: [Ann Lee]\ntopics: [Port strike]\n---\nThe harbour council met on Tuesday.\n",
    "content/b.md": "---\ntitle: Erdoğan visits Łódź\ndate: 2021-09-09\npeople: [Recep Erdoğan]\n"
    "---\nMeetings in Łódź, and a meeting of the harbour board.\n",
    "content/c.md": "---\ntitle: Undated note\n---\nNothing about the council here.\n",
}


@contextlib.contextmanager
def tiny_search_site() -> Iterator[Any]:
    """A searcher over a three-article site built in a temporary folder."""
    from sitegen.search.index import open_searcher
    from sitegen.site.pipeline import build_site

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "sitegen.toml").write_text('[site]\ntitle = "Fuzz"\n', encoding="utf-8")
        for rel, text in QUERY_SITE_FILES.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        config = load_config(root)
        report = build_site(config, jobs=1)
        assert not report.problems, report.problems
        with open_searcher(config) as searcher:
            yield searcher


def check_query(
    searcher: Any, text: str, people: list[str], years: list[str], since: str | None
) -> None:
    """A query (and the CLI's filters) -> results, or a one-line query ProblemError."""
    from sitegen.search.query import Filters, SearchResult, date_bound, search

    try:
        date_from = date_bound(since, end=False, option="--from") if since else None
        date_to = date_bound(since, end=True, option="--to") if since else None
        filters = Filters(
            people=tuple(people), years=tuple(years), date_from=date_from, date_to=date_to
        )
        result = search(searcher, text, filters, limit=5)
    except ProblemError as exc:
        assert one_line(exc.problem), exc.problem
        return
    assert isinstance(result, SearchResult)
    assert result.total >= len(result.hits)


@pytest.fixture(scope="module")
def searcher() -> Iterator[Any]:
    with tiny_search_site() as opened:
        yield opened


QUERY_ARGS = {
    "text": QUERIES,
    "people": st.lists(FILTER_TEXT, max_size=2),
    "years": st.lists(FILTER_TEXT, max_size=1),
    "since": DATE_TEXT,
}


@settings(FUZZ, max_examples=SUITE_EXAMPLES["query"])
@given(**QUERY_ARGS)
def test_fuzz_search_query(searcher, text, people, years, since):
    check_query(searcher, text, people, years, since)


# --- 2. front matter and Markdown --------------------------------------------------------

# fmt: off
ODD_DATES = [
    "2024-05-31", "2024-05-31T10:00:00Z", "0001-01-01T00:00:00+05:00", "2024-13-45", "yesterday",
    "9999-12-31T23:59:59-05:00", "0001-01-01", "9999-12-31T23:59:59", "99999-01-01", "",
]
FRONT_KEYS = [
    "title", "date", "source", "url", "people", "topics", "tags", "slug", "summary", "wire",
    "author", "authors",
]
RECORD_KEYS = [
    "text", "body", "content", "articleBody", "title", "headline", "date", "url", "source",
    "publisher", "articles", "items", "x",
]
# fmt: on
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),  # NaN and infinities included
    st.text(max_size=30),
    st.sampled_from(ODD_DATES),
)
YAML_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.text(max_size=8), st.integers(), st.booleans()), inner, max_size=4
        ),
    ),
    max_leaves=12,
)
KEYS = st.one_of(
    st.sampled_from(FRONT_KEYS),
    st.text(max_size=10),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
)
FRONT_MAPPINGS = st.one_of(
    st.fixed_dictionaries({"title": YAML_VALUES}, optional={"date": YAML_VALUES}).flatmap(
        lambda base: st.dictionaries(KEYS, YAML_VALUES, max_size=6).map(lambda d: {**base, **d})
    ),
    st.dictionaries(KEYS, YAML_VALUES, max_size=6),
)
# fmt: off
YAML_PIECES = [
    "title: T\n", "title: ", "date: ", "people: ", "slug: ", "1: one\n", "yes: x\n", "~: n\n",
    "&a ", "*a", "&a [", "*a]", "&b [*a, *a]\n", "&c {k: *c}", "<<: *b\n", "<<: ", "? ", ": ",
    "- ", "[", "]", "{", "}", ",", "\n",
    "\n  ", "'", '"', "\\ud800", "\\x00", "!!int ", "!!float ", "!!bool ", "!!timestamp ",
    "!!binary ", "!!set ", "!!omap ", "!!str ", "!!python/object ", "9" * 5000, "0x" + "f" * 1200,
    "1:2:3", ".nan", ".inf", "2024-13-45", "0001-01-01T00:00:00+05:00", "%YAML 1.1\n", "---",
    "...", "#", "|\n  ", ">\n  ",
]
# fmt: on
# fmt: off
MARKDOWN_PIECES = [
    "\n", "\n\n", "# ", "> ", ">", "- ", "1. ", "*", "_", "`", "```", "[", "](", ")", "<",
    "<b>", "&amp;", "|", "---", "~~", "[^1]", "\\", "    ", "\t", "x", "<!--", "&#0;",
]
# fmt: on
BODIES = st.one_of(
    st.text(max_size=200),
    soup(MARKDOWN_PIECES, max_size=40),
    st.integers(0, 3000).map(lambda n: ">" * n + "[" * n),
)


def _front_bytes(front: dict[Any, Any], body: str) -> bytes:
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n{body}".encode("utf-8", "surrogatepass")


def _nested(depth: int) -> str:
    return "x: " + "[" * depth + "]" * depth


def _alias_bomb(levels: int, width: int) -> str:
    """`a0: &a0 [x, x]`, `a1: &a1 [*a0, *a0]`, ...: width ** levels items in a few lines."""
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]" for n in range(1, levels)]
    return "\n".join(lines)


YAML_SHAPES = st.one_of(
    soup(YAML_PIECES, max_size=14),
    st.one_of(st.integers(0, 1200), st.sampled_from([99, 100, 101, 999, 1000])).map(_nested),
    # small ones are read and printed; big ones must be refused before anything expands them
    st.sampled_from([(1, 3), (3, 10), (8, 10), (9, 10), (40, 2)]).map(lambda a: _alias_bomb(*a)),
)
CONTENT_BYTES = st.one_of(
    st.builds(_front_bytes, FRONT_MAPPINGS, BODIES),
    st.builds(
        lambda yaml_text, body: f"---\ntitle: T\n{yaml_text}\n---\n{body}".encode(
            "utf-8", "surrogatepass"
        ),
        YAML_SHAPES,
        BODIES,
    ),
    st.binary(max_size=300),
    st.builds(
        lambda head, tail: b"---\ntitle: x\n" + head + b"\n---\n" + tail,
        st.binary(max_size=40),
        st.binary(max_size=40),
    ),
)

_MD = make_markdown(Config(root=Path(".")))


def check_content(data: bytes) -> None:
    """Bytes of a content file -> an Article the build can use, or a Problem naming it."""
    path = "content/fuzz.md"
    try:
        article = read_article(path, data)
    except ProblemError as exc:
        assert exc.problem.path == path and one_line(exc.problem), exc.problem
        return
    assert read_body(path, data) == article.body  # how big builds re-read bodies
    # what load_article and the build do next with every article
    article.path = "fuzz.md"
    article.slug = article_slug(article)
    article.summary = article.summary or first_paragraph(_MD, article.body)
    assert isinstance(article.title, str) and article.title
    assert all(isinstance(name, str) for name in article.people + article.topics)
    folded = [name.casefold() for name in article.authors]  # trimmed, once each
    assert len(set(folded)) == len(folded)
    assert all(name == " ".join(name.split()) and name for name in article.authors)
    assert all(isinstance(key, str) for key in article.extra)
    listing = listing_digest(article)
    article_digest(article, listing)
    placing_digest(article)
    _ = article.sort_key
    article_path(article)
    pickle.loads(pickle.dumps(article))  # articles cross to and from worker processes
    render_markdown(_MD, article.body)
    if article.date is not None:  # feeds and sitemap give dates in UTC; pages print them
        rfc3339(article.date)
        format_date(article.date)
    # `sitegen extract` rewrites people/topics in the front matter and reads it back
    update_front_matter(decode_article_bytes(path, data), ["Ann Lee"], ["Port strike"])


CONTENT_ARGS = {"data": CONTENT_BYTES}


@settings(FUZZ, max_examples=SUITE_EXAMPLES["content"])
@given(**CONTENT_ARGS)
def test_fuzz_front_matter_and_markdown(data):
    check_content(data)


# --- 3. raw dumps, HTML and JSON ---------------------------------------------------------

JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(ANY_CHAR, max_size=20)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
RECORDS = st.dictionaries(
    st.sampled_from(RECORD_KEYS),
    st.one_of(JSON_VALUES, st.just("<p>Some words of a story.</p>"), st.just("Line one\nTwo")),
    max_size=5,
)
# fmt: off
JSON_PIECES = [
    "[", "]", "{", "}", ",", ":", '"text"', '"title"', '"articles"', '"a b c"', '"\\ud800"',
    '"\\udfff x"', '"\\u0000"', "NaN", "Infinity", "-0", "1e999", "9" * 5000, "null", "true",
    "\n", " ", '"<p>x</p>"',
]
HTML_PIECES = [
    "<html>", "<head>", "<title>", "</title>", "<body>", "<article>", "<p>", "</p>", "<div>",
    "</div>", "<h1>", "</h1>", "<script>", "</script>", "<!--", "-->", "<![CDATA[", "&amp;",
    "&#0;", "&#xd800;", "<meta property='og:title' content='T'>", "<time datetime='2024'>",
    "A sentence of the story with enough words to count as text. ", "\x00", "<", ">",
]
# fmt: on


def _raw_text(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


RAW_FILES = st.one_of(
    st.tuples(st.sampled_from([".txt", ".json", ".jsonl", ".html"]), st.binary(max_size=300)),
    st.tuples(st.just(".txt"), st.text(ANY_CHAR, max_size=300).map(_raw_text)),
    st.tuples(
        st.sampled_from([".json", ".jsonl"]),
        st.one_of(
            st.lists(RECORDS, max_size=3).map(lambda rs: json.dumps(rs).encode()),
            RECORDS.map(
                lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogatepass")
            ),
            st.lists(RECORDS, max_size=3).map(lambda rs: "\n".join(map(json.dumps, rs)).encode()),
            soup(JSON_PIECES, max_size=16).map(_raw_text),
            st.tuples(st.integers(0, 100_000), st.sampled_from(["[", '{"a":', '[{"text":'])).map(
                lambda t: (t[1] * t[0]).encode()
            ),
        ),
    ),
    st.tuples(st.just(".html"), soup(HTML_PIECES, max_size=12).map(_raw_text)),
    st.tuples(
        st.sampled_from([".txt", ".json", ".jsonl", ".html"]),
        st.sampled_from(
            [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b""]
        ).flatmap(lambda bom: st.binary(max_size=60).map(lambda rest: bom + rest)),
    ),
)


def _encodable(value: str | None) -> bool:
    if value is None:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_reader(folder: Path, raw: tuple[str, bytes]) -> None:
    """Any bytes as a raw file -> RawDocuments whose text can be written, or Problems."""
    suffix, data = raw
    file = folder / f"fuzz{suffix}"
    file.write_bytes(data)
    for item in read_file(file, f"raw/fuzz{suffix}"):
        if isinstance(item, Problem):
            assert item.path.startswith(f"raw/fuzz{suffix}") and one_line(item), item
            continue
        assert isinstance(item, RawDocument)
        for value in (item.title, item.date, item.url, item.source, *item.lines):
            assert _encodable(value), value  # the importer writes every one to a file


@contextlib.contextmanager
def raw_folder_for_fuzz() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def raw_folder() -> Iterator[Path]:
    with raw_folder_for_fuzz() as folder:
        yield folder


READER_ARGS = {"raw": RAW_FILES}


@settings(FUZZ, max_examples=SUITE_EXAMPLES["readers"])
@given(**READER_ARGS)
def test_fuzz_readers(raw_folder, raw):
    check_reader(raw_folder, raw)


# --- 4. cleaning and metadata ------------------------------------------------------------

# fmt: off
PAGE_LINES = [
    "Menu", "Home", "Share", "Subscribe to the Harbor Ledger", "Sign up for our newsletter",
    "By Ann Lee", "By Ann Lee, Reuters", "Al Jazeeraa day ago", "5000 years ago",
    "99999999999999999999 days ago", "3 hours ago", "yesterday", "today", "just now",
    "Published 5 March 2024, 10:32", "2024-05-31T10:00:00+25:00", "31/12/2024", "03/04/2024",
    "© 2024 Harbor Ledger", "Copyright (c) The Times", "Originally published by Vessen Post",
    "Source: Reuters", "harborledger.example", "https://harborledger.example/a",
    "Related", "Comments", "Read more", "Photo: Ann Lee/Reuters", "Advertisement",
    "A headline of several words here", "Dockworkers Vote to End Harbour Strike",
    "The council voted on Tuesday to close the old bridge to traffic, after engineers said its"
    " supports had worn away faster than anyone expected.",
    "Residents will be able to cross on foot until the repairs begin next spring, the council"
    " said in a statement.",
    "“We have no choice,” said Mr. Okonkwo. “The bridge is not safe.”", "Ann Lee is a reporter.",
    "About the author", "Tags: port, strike", "Home > News > Port", "1,234", "#ff0000", "",
]
# fmt: on
LINES = st.lists(
    st.one_of(st.sampled_from(PAGE_LINES), st.text(max_size=40), st.text(ANY_CHAR, max_size=10)),
    max_size=25,
)
GIVEN = st.one_of(st.none(), st.sampled_from(["", "T", "www.example.org", "2024-05-31"]), ANY_TEXT)
GIVEN_DATE = st.one_of(GIVEN, st.sampled_from([*ODD_DATES, "5 March 2024", "3 hours ago"]))
REFERENCES = st.one_of(
    st.none(),
    st.datetimes(),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.sampled_from([dt.datetime.min, dt.datetime.max, dt.datetime(1, 1, 1, tzinfo=dt.UTC)]),
)


def check_clean_and_metadata(
    lines: list[str],
    title: str | None,
    source: str | None,
    date: str | None,
    url: str | None,
    reference: dt.datetime | None,
) -> None:
    """Any page lines and supplied fields -> a cleaned page and its metadata."""
    cleaned = clean_lines(lines, title)
    assert isinstance(cleaned, Cleaned)
    meta = find_metadata(
        cleaned,
        given_title=title,
        given_source=source,
        given_date=date,
        given_url=url,
        reference=reference,
    )
    assert isinstance(meta, Metadata) and isinstance(meta.title, str)


CLEAN_ARGS = {
    "lines": LINES.flatmap(lambda ls: st.permutations(ls + ls[: len(ls) // 3])),  # repeats
    "title": GIVEN,
    "source": GIVEN,
    "date": GIVEN_DATE,
    "url": GIVEN,
    "reference": REFERENCES,
}


@settings(FUZZ, max_examples=SUITE_EXAMPLES["clean_metadata"])
@given(**CLEAN_ARGS)
def test_fuzz_clean_and_metadata(lines, title, source, date, url, reference):
    check_clean_and_metadata(lines, title, source, date, url, reference)


# --- 5. slugs and URLs -------------------------------------------------------------------

SAFE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# fmt: off
NAME_PIECES = [
    "..", "/", "\\", "<", ">", '"', "'", "&", "%2e", "-", " ", "index", "_index", ".md", "Łódź",
    "İ", "ß", "ǅ", "\udce9", "\x00", "a" * 90, "ab " * 40,
]
# fmt: on
NAMES = st.one_of(ANY_TEXT, soup(NAME_PIECES, max_size=8))


def check_slugs(names: list[str], path: str, title: str, slug: str, date: Any, page: int) -> None:
    """Any name -> a non-empty, URL-safe slug; the path helpers never raise."""
    for name in names:
        made = slugify(name)
        assert SAFE_SLUG.fullmatch(made) and len(made) <= MAX_SLUG, (name, made)
    slugs = unique_slugs(names)
    assert set(slugs) == set(names)
    assert len(set(slugs.values())) == len(slugs), slugs  # distinct names, distinct URLs
    assert all(SAFE_SLUG.fullmatch(value) for value in slugs.values()), slugs
    article = Article(path=path, title=title, body="", date=date, slug=slug)
    article.slug = article_slug(article)
    assert SAFE_SLUG.fullmatch(article.slug), (path, title, slug, article.slug)
    where = article_path(article)
    assert where.endswith("/") and ".." not in where and "//" not in where, where
    output_file(where)
    for taxonomy, section in TAXONOMIES.items():
        term = Term(taxonomy, title, slugify(title))
        for made in (term_path(term, page), term_feed_path(term), term_index_path(section)):
            assert ".." not in made and "//" not in made and not made.startswith("/"), made
            output_file(made)
    if date is not None:
        year_path(date.year)
        month_path(date.year, date.month)
    paged(where, page)


SLUG_ARGS = {
    "names": st.lists(NAMES, max_size=5),
    "path": st.one_of(NAMES, st.lists(NAMES, min_size=1, max_size=3).map("/".join)),
    "title": NAMES,
    "slug": st.one_of(st.just(""), NAMES),
    "date": st.one_of(st.none(), st.datetimes(), st.datetimes(timezones=st.just(dt.UTC))),
    "page": st.integers(),
}


@settings(FUZZ, max_examples=SUITE_EXAMPLES["slugs"])
@given(**SLUG_ARGS)
def test_fuzz_slugs_and_urls(names, path, title, slug, date, page):
    check_slugs(names, path, title, slug, date, page)


@dataclass(frozen=True)
class Target:
    """One boundary for benchmarks/fuzz.py: its inputs, its property, what it runs in."""

    args: dict[str, st.SearchStrategy[Any]]
    check: Callable[..., None]
    context: Callable[[], contextlib.AbstractContextManager[Any]] | None = None


TARGETS = {
    "query": Target(QUERY_ARGS, check_query, tiny_search_site),
    "content": Target(CONTENT_ARGS, check_content),
    "readers": Target(READER_ARGS, check_reader, raw_folder_for_fuzz),
    "clean_metadata": Target(CLEAN_ARGS, check_clean_and_metadata),
    "slugs": Target(SLUG_ARGS, check_slugs),
}
