"""Raw files -> RawDocuments: the text lines of a page plus whatever metadata the format gives.

Formats, chosen by file suffix:

- ``.txt``: a scraper's text dump, one block of the page per line (the seeds' shape).
- ``.html``/``.htm``: the main content is extracted with trafilatura; its title, date,
  canonical url and site name become metadata.
- ``.json``: one record (an object), a list of records, or an object holding a list
  under ``articles``, ``items``, ``records`` or ``data``.
- ``.jsonl``: one record per line, read as a stream.

Accepted record fields (the first one present wins; see RECORD_FIELDS):

- text: ``text``, ``body``, ``content``, ``article``, ``articleBody`` (a string, or a list
  of paragraphs; a string that is an HTML fragment is extracted like an HTML page)
- title: ``title``, ``headline``
- date: ``date``, ``published``, ``published_at``, ``publish_date``, ``datePublished``, ``pubDate``
- url: ``url``, ``link``, ``canonical_url``
- source: ``source``, ``publisher``, ``site_name``, ``sitename``, ``outlet`` (a string, or an
  object with a ``name``)
- authors: ``authors``, ``author``, ``byline`` (a string such as "By A and B", a list of
  names, or objects with a ``name``)

An HTML page's title, date, authors, site name and address come from its own metadata
(htmlmeta.py: og:, JSON-LD, meta author, <h1>/<title> by agreement), with what
trafilatura found as the fallback.

This module owns decoding (encoding detection, binary and size checks) and nothing about
what a line means. Problems are yielded as values, one per unreadable file or record.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sitegen.ingest.byline import clean_author_field
from sitegen.ingest.htmlmeta import html_metadata
from sitegen.model import Problem, ProblemError

#: A text dump (or JSON record) larger than this is refused as not one article: news pages
#: as text are tens of kilobytes, and cleaning time grows with size.
MAX_RAW_BYTES = 2 * 1024 * 1024
#: HTML carries markup, scripts and styles, so a page may be larger before extraction.
MAX_HTML_BYTES = 10 * 1024 * 1024
#: A .json file is parsed whole, so it gets its own, larger cap (use .jsonl for more).
MAX_JSON_FILE_BYTES = 200 * 1024 * 1024

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSON_SUFFIXES = (".json", ".jsonl")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES

RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "articleBody"),
    "title": ("title", "headline"),
    "date": ("date", "published", "published_at", "publish_date", "datePublished", "pubDate"),
    "url": ("url", "link", "canonical_url"),
    "source": ("source", "publisher", "site_name", "sitename", "outlet"),
    "authors": ("authors", "author", "byline"),
}
RECORD_LISTS = ("articles", "items", "records", "data")

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
#: Lone UTF-16 surrogates: JSON's \ud800 escapes make them, and no file can hold one.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_HTML_FRAGMENT = re.compile(r"^\s*<(?:p|div|article|section|html|body|h[1-6]|span|br)\b", re.I)


@dataclass
class RawDocument:
    """One page as read from disk: its lines, plus metadata its format carried."""

    path: str  # as shown to the user
    name: str  # what front matter records as imported_from ("x.jsonl#3" for a record)
    sha256: str  # checksum of the raw bytes (of the record, for JSON collections)
    kind: str  # "text", "html" or "json"
    lines: list[str] = field(default_factory=list)
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    authors: list[str] | None = None  # names the format gave (HTML metadata, a JSON field)
    file_time: float | None = None  # modification time, a possible reference for "a day ago"


def normalize_line(line: str) -> str:
    """One line of page text with invisible characters removed and spaces collapsed."""
    line = unicodedata.normalize("NFC", _SURROGATE.sub("\ufffd", _INVISIBLE.sub("", line)))
    return _SPACES.sub(" ", line).strip()


_NOT_TEXT_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\ud800-\udfff]")


def _control_ratio(text: str) -> float:
    """Share of control, private-use and replacement characters: high in binary data."""
    sample = text[:20000]
    return len(_NOT_TEXT_CHARS.findall(sample)) / len(sample) if sample else 0.0


def decode_bytes(path: str, data: bytes, limit: int = MAX_RAW_BYTES) -> str:
    """Bytes of a raw page -> text, or a ProblemError saying in one line why not."""
    if not data.strip():
        raise ProblemError(Problem(path, "file is empty"))
    if len(data) > limit:
        raise ProblemError(
            Problem(path, f"file is too large ({len(data):,} bytes; limit {limit:,})")
        )
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ProblemError(
                    Problem(path, f"starts like {encoding} but does not decode as it")
                ) from None
    if b"\x00" in data[:8192]:
        raise ProblemError(Problem(path, "file looks binary (it contains NUL bytes)"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _detect_and_decode(path, data)
    if _control_ratio(text) > 0.01:
        raise ProblemError(
            Problem(path, "file looks binary (control characters where text should be)")
        )
    return text


def _detect_and_decode(path: str, data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise ProblemError(Problem(path, "cannot tell the text encoding (not UTF-8, none fits)"))
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise ProblemError(
            Problem(path, f"not decodable as UTF-8 or as the likeliest encoding ({best.encoding})")
        ) from None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_lines(text: str) -> list[str]:
    return [normalize_line(line) for line in text.splitlines()]


def read_text_dump(path: str, name: str, data: bytes, file_time: float | None) -> RawDocument:
    text = decode_bytes(path, data)
    return RawDocument(path, name, sha256_hex(data), "text", text_lines(text), file_time=file_time)


def _clean_meta(value: Any) -> str | None:
    if value is None:
        return None
    text = normalize_line(str(value))
    return text or None


def extract_html(path: str, html: str) -> tuple[list[str], dict[str, Any]]:
    """Main content of an HTML page as lines, plus title/date/url/source/authors from its
    metadata (htmlmeta.py first, trafilatura's findings where the page declares nothing)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura/lxml raise many kinds on hostile markup
        raise ProblemError(Problem(path, f"cannot parse the HTML ({type(exc).__name__})")) from None
    if doc is None or not (doc.text or "").strip():
        raise ProblemError(Problem(path, "no article text found in the HTML"))
    own = html_metadata(html, doc.text or "")
    meta: dict[str, Any] = {
        "title": _clean_meta(own and own.title) or _clean_meta(doc.title),
        "date": _clean_meta(own and own.date) or _clean_meta(doc.date),
        "url": _clean_meta(own and own.url) or _clean_meta(doc.url),
        "source": _clean_meta(own and own.site_name) or _clean_meta(doc.sitename),
        "authors": (own and own.authors) or clean_author_field(doc.author or "") or None,
    }
    return text_lines(doc.text), meta


def read_html(path: str, name: str, data: bytes, file_time: float | None) -> RawDocument:
    text = decode_bytes(path, data, MAX_HTML_BYTES)
    lines, meta = extract_html(path, text)
    return RawDocument(path, name, sha256_hex(data), "html", lines, file_time=file_time, **meta)


def _field(record: dict[str, Any], kind: str) -> Any:
    for key in RECORD_FIELDS[kind]:
        value = record.get(key)
        if value not in (None, "", []):
            return value
    return None


def record_to_document(
    path: str, name: str, record: Any, sha: str, file_time: float | None
) -> RawDocument:
    """A parsed JSON record -> RawDocument; ProblemError when it holds no usable text."""
    if not isinstance(record, dict):
        raise ProblemError(Problem(path, f"record is a {type(record).__name__}, not an object"))
    body = _field(record, "text")
    if body is None:
        names = ", ".join(RECORD_FIELDS["text"])
        raise ProblemError(Problem(path, f"record has no text (looked for: {names})"))
    if isinstance(body, list):
        body = "\n".join(str(item) for item in body if isinstance(item, (str, int, float)))
    if not isinstance(body, str):
        raise ProblemError(Problem(path, "record text must be a string or a list of strings"))
    if len(body.encode("utf-8", "replace")) > MAX_RAW_BYTES:
        raise ProblemError(Problem(path, f"record text is too large (limit {MAX_RAW_BYTES:,})"))
    meta: dict[str, Any] = {}
    if _HTML_FRAGMENT.match(body):
        lines, meta = extract_html(path, body)
    else:
        lines = text_lines(body)
    source = _field(record, "source")
    if isinstance(source, dict):
        source = source.get("name")
    given_authors = _field(record, "authors")
    authors = clean_author_field(given_authors, _clean_meta(source)) if given_authors else None
    return RawDocument(
        path,
        name,
        sha,
        "json",
        lines,
        title=_clean_meta(_field(record, "title")) or meta.get("title"),
        date=_clean_meta(_field(record, "date")) or meta.get("date"),
        url=_clean_meta(_field(record, "url")) or meta.get("url"),
        source=_clean_meta(source) or meta.get("source"),
        authors=authors or meta.get("authors"),
        file_time=file_time,
    )


def _canonical_sha(record: Any) -> str:
    blob = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sha256_hex(blob.encode("utf-8", "surrogatepass"))  # "\ud800" is valid JSON


TOO_DEEP = "JSON is nested too deeply to read"


def load_json(path: str, text: str, *, line: int | None = None) -> Any:
    """JSON text -> value, or a ProblemError in one line: malformed, too deep, a bad number.

    Python's parser recurses once per '[' or '{' and stops with RecursionError near
    1,000 levels; it refuses integers of more than 4,300 digits with a ValueError.
    """
    what = "malformed JSON line" if line is not None else "malformed JSON"
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProblemError(
            Problem(path, f"{what}: {exc.msg} (column {exc.colno})", line or exc.lineno)
        ) from None
    except RecursionError:
        raise ProblemError(Problem(path, TOO_DEEP, line)) from None
    except ValueError as exc:  # "Exceeds the limit (4300 digits) for integer string ..."
        reason = " ".join(str(exc).split(";")[0].split())
        where = "JSON line" if line is not None else "JSON"
        raise ProblemError(Problem(path, f"cannot read the {where}: {reason}", line)) from None


def read_json(
    path: str, name: str, data: bytes, file_time: float | None
) -> Iterator[RawDocument | Problem]:
    text = decode_bytes(path, data, MAX_JSON_FILE_BYTES)
    try:
        parsed = load_json(path, text)
    except ProblemError as exc:
        yield exc.problem
        return
    if isinstance(parsed, dict):
        listed = next((parsed[k] for k in RECORD_LISTS if isinstance(parsed.get(k), list)), None)
        records = listed if listed is not None else [parsed]
    elif isinstance(parsed, list):
        records = parsed
    else:
        yield Problem(path, "JSON holds neither an object nor a list of objects")
        return
    if not records:
        yield Problem(path, "JSON holds no records")
        return
    single = len(records) == 1 and isinstance(parsed, dict) and records[0] is parsed
    for number, record in enumerate(records, 1):
        where = path if single else f"{path}#{number}"
        try:
            sha = sha256_hex(data) if single else _canonical_sha(record)
            document = record_to_document(
                where, name if single else f"{name}#{number}", record, sha, file_time
            )
        except ProblemError as exc:
            yield exc.problem
        except RecursionError:  # parsed just under the limit, printed just over it
            yield Problem(where, TOO_DEEP)
        else:
            yield document


def read_jsonl(path: str, name: str, file: RawFile, file_time: float | None):
    """One record per line, streamed: a bad line is a Problem and the rest still import."""
    seen_any = False
    with file.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            seen_any = True
            where = f"{path}#{number}"
            try:
                text = decode_bytes(where, raw)
            except ProblemError as exc:
                yield Problem(path, exc.problem.message, number)
                continue
            try:
                record = load_json(path, text, line=number)
                document = record_to_document(
                    where, f"{name}#{number}", record, sha256_hex(raw.strip()), file_time
                )
            except ProblemError as exc:
                yield Problem(path, exc.problem.message, number)
                continue
            except RecursionError:
                yield Problem(path, TOO_DEEP, number)
                continue
            yield document
    if not seen_any:
        yield Problem(path, "file is empty")


class RawFile(Protocol):
    """What read_file needs of a file: a Path, or an fsspec URL's remote.RemoteFile."""

    @property
    def suffix(self) -> str: ...

    def stat(self) -> Any: ...  # with st_size and st_mtime

    def read_bytes(self) -> bytes: ...

    def open(self, mode: str = ...) -> Any: ...  # a context manager: a binary file


def read_file(file: RawFile, display: str | None = None) -> Iterator[RawDocument | Problem]:
    """Every document in one raw file, or a Problem for each part that cannot be read."""
    path = display or str(file)
    suffix = file.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield Problem(path, f"unsupported file type '{suffix or '(none)'}'")
        return
    try:
        stat = file.stat()
        file_time = stat.st_mtime
        if suffix == ".jsonl":
            yield from read_jsonl(path, Path(path).name, file, file_time)
            return
        limits = {".json": MAX_JSON_FILE_BYTES, ".html": MAX_HTML_BYTES, ".htm": MAX_HTML_BYTES}
        limit = limits.get(suffix, MAX_RAW_BYTES)
        if stat.st_size > limit:
            yield Problem(path, f"file is too large ({stat.st_size:,} bytes; limit {limit:,})")
            return
        data = file.read_bytes()
    except OSError as exc:
        yield Problem(path, f"cannot read: {exc.strerror or exc}")
        return
    except ProblemError as exc:  # a URL whose driver this process lacks (remote.py)
        yield exc.problem
        return
    try:
        if suffix in TEXT_SUFFIXES:
            yield read_text_dump(path, Path(path).name, data, file_time)
        elif suffix in HTML_SUFFIXES:
            yield read_html(path, Path(path).name, data, file_time)
        else:
            yield from read_json(path, Path(path).name, data, file_time)
    except ProblemError as exc:
        yield exc.problem
