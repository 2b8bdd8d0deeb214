"""Markdown files with YAML front matter <-> Article.

This module owns the content format: which keys mean what, which are required, and how
a bad file is reported. It reads and writes text; walking folders belongs to the caller.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import yaml

from sitegen.model import Article, Problem, ProblemError

try:  # the C loader is ~6x faster; fall back where libyaml is missing
    _Loader: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper


class _FrontMatterLoader(_Loader):  # type: ignore[misc,valid-type]
    """Safe loader that leaves dates as text, so parse_date can judge them with a clear message."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}

#: Front matter keys with a meaning of their own; anything else lands in Article.extra.
KNOWN_KEYS = {
    "title",
    "date",
    "source",
    "url",
    "people",
    "topics",
    "tags",
    "slug",
    "summary",
    "description",
}

_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_EMPTY_FENCE = re.compile(r"\A---[ \t]*\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
MAX_ARTICLE_BYTES = 10 * 1024 * 1024


def decode_article_bytes(path: str, data: bytes) -> str:
    """Bytes of a content file -> text, or a Problem saying why it is not an article."""
    if not data.strip():
        raise ProblemError(Problem(path, "file is empty"))
    if len(data) > MAX_ARTICLE_BYTES:
        raise ProblemError(
            Problem(path, f"file is too large ({len(data):,} bytes; limit {MAX_ARTICLE_BYTES:,})")
        )
    if b"\x00" in data[:8192]:
        raise ProblemError(Problem(path, "file looks binary (it contains NUL bytes)"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProblemError(Problem(path, f"not valid UTF-8 (byte {exc.start})", line)) from None
    return text


def load_front_matter_yaml(text: str) -> Any:
    """YAML text as front matter is read: safe, with dates left as text."""
    return yaml.load(text, Loader=_FrontMatterLoader)


def split_front_matter(path: str, text: str) -> tuple[dict[str, Any], str, int]:
    """Return (front matter, body, line number where the body starts)."""
    if _EMPTY_FENCE.match(text):
        raise ProblemError(Problem(path, "front matter is empty: 'title' is required", 1))
    match = _FENCE.match(text)
    if not match:
        if text.startswith("---"):
            raise ProblemError(Problem(path, "front matter is not closed by a '---' line", 1))
        raise ProblemError(
            Problem(
                path,
                "no front matter: the file must start with a '---' "
                "line, YAML, and another '---' line",
                1,
            )
        )
    try:
        front = load_front_matter_yaml(match.group(1))
    except yaml.YAMLError as exc:
        # The context mark points at what was left open (a bracket, a quote), which is
        # where a person has to look; the problem mark is where the parser gave up.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for '---'
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ProblemError(
            Problem(path, f"front matter is not valid YAML: {reason}", line)
        ) from None
    if front is None:
        front = {}
    if not isinstance(front, dict):
        raise ProblemError(Problem(path, "front matter must be a mapping of keys to values", 2))
    body_line = text[: match.end()].count("\n") + 1
    return front, text[match.end() :], body_line


def parse_date(value: Any) -> tuple[dt.datetime | None, bool]:
    """A front matter date -> (datetime, whether a time of day was given). Raises ValueError."""
    if value is None or value == "":
        return None, False
    if isinstance(value, dt.datetime):
        return value, True
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day), False
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError as exc:
                raise ValueError(f"'date' {text!r} is not a real day ({exc})") from None
            return dt.datetime(day.year, day.month, day.day), False
        if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", text):
            try:
                return dt.datetime.fromisoformat(text.replace("Z", "+00:00")), True
            except ValueError:
                pass
    raise ValueError(
        f"'date' must be an ISO date like 2024-05-31 or 2024-05-31T14:00:00Z, not {value!r}"
    )


def _string_list(path: str, key: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ProblemError(Problem(path, f"'{key}' must be a list of names"))
    names: list[str] = []
    for item in value:
        if isinstance(item, (dict, list)) or item is None:
            raise ProblemError(Problem(path, f"'{key}' holds {item!r}; each entry must be a name"))
        name = " ".join(str(item).split())
        if name and name not in names:
            names.append(name)
    return names


def _optional_text(path: str, key: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise ProblemError(Problem(path, f"'{key}' must be text, not a {type(value).__name__}"))
    text = " ".join(str(value).split())
    return text or None


def parse_article(path: str, text: str) -> Article:
    """Front matter + Markdown text -> Article; raises ProblemError naming what is wrong."""
    front, body, _ = split_front_matter(path, text)
    title = front.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        raise ProblemError(Problem(path, "'title' is missing or empty in the front matter"))
    title = _optional_text(path, "title", title) or ""
    try:
        date, has_time = parse_date(front.get("date"))
    except ValueError as exc:
        raise ProblemError(Problem(path, str(exc))) from None
    topics = _string_list(path, "topics", front.get("topics", front.get("tags")))
    summary = front.get("summary", front.get("description"))
    slug = _optional_text(path, "slug", front.get("slug"))
    return Article(
        path=path,
        title=title,
        body=body,
        body_sha=hashlib.sha1(body.encode("utf-8")).hexdigest(),
        date=date,
        date_has_time=has_time,
        source=_optional_text(path, "source", front.get("source")),
        url=_optional_text(path, "url", front.get("url")),
        people=_string_list(path, "people", front.get("people")),
        topics=topics,
        slug=slug or "",
        summary=_optional_text(path, "summary", summary),
        extra={k: v for k, v in front.items() if k not in KNOWN_KEYS},
    )


def read_article(path: str, data: bytes) -> Article:
    """Bytes of a content file -> Article (raises ProblemError)."""
    return parse_article(path, decode_article_bytes(path, data))


def read_body(path: str, data: bytes) -> str:
    """The Markdown body of a content file read_article() has accepted before, without
    parsing its front matter again (big archives re-read bodies where they need them)."""
    text = decode_article_bytes(path, data)
    match = _FENCE.match(text)
    if match is None or _EMPTY_FENCE.match(text):
        return parse_article(path, text).body  # raises the file's problem
    return text[match.end() :]


def dump_front_matter(front: dict[str, Any]) -> str:
    """Front matter as YAML text: keys in the given order, Unicode as is, one key a line."""
    return yaml.dump(
        front,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1000,
    )


def format_article(front: dict[str, Any], body: str) -> str:
    """Front matter and a Markdown body -> the text of a content file, keys in given order."""
    return f"---\n{dump_front_matter(front)}---\n\n{body.strip()}\n"
