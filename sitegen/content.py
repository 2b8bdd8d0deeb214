"""Markdown files with YAML front matter <-> Article.

This module owns the content format: which keys mean what, which are required, and how
a bad file is reported. It reads and writes text; walking folders belongs to the caller.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import reprlib
from typing import Any

import yaml

from sitegen.model import Article, Problem, ProblemError

try:  # the C loader is ~6x faster; fall back where libyaml is missing
    _Loader: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper


#: A YAML number longer than this is refused: Python will not print an int of more than
#: 4,300 digits, and a long sexagesimal (1:2:3:...) takes quadratic time to compute.
MAX_NUMBER_CHARS = 1000
#: Deeper front matter is refused: real front matter nests two or three levels, and
#: printing or comparing a deeper value can exhaust Python's recursion limit.
MAX_FRONT_DEPTH = 100


class _FrontMatterLoader(_Loader):  # type: ignore[misc,valid-type]
    """Safe loader that leaves dates as text, so parse_date can judge them with a clear message.

    Mapping keys are the text as written: `1: one`, `yes: x` and `2024: notes` give the
    keys "1", "yes" and "2024", which is what the author typed and what a template can
    look up (YAML would make them an int, a bool and an int, and a mix of key types
    cannot be sorted or compared). A list or a mapping as a key is an error.
    Every value that YAML's constructors cannot build (`!!int x`, `!!bool maybe`,
    `!!timestamp 2024-13-45`, a 5,000-digit number) is a YAMLError with its line, like a
    syntax error, never a bare ValueError.
    """

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, but found {node.id}", node.start_mark
            )
        self.flatten_mapping(node)  # `<<: *defaults` merge keys
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"a key must be text, not a {'list' if key_node.id == 'sequence' else 'mapping'}",
                    key_node.start_mark,
                )
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node: yaml.Node) -> int:
        too_long = yaml.constructor.ConstructorError(
            None,
            None,
            f"a number of more than {MAX_NUMBER_CHARS} digits is too long "
            "(put it in quotes to keep it as text)",
            node.start_mark,
        )
        if len(node.value) > MAX_NUMBER_CHARS:
            raise too_long
        value = super().construct_yaml_int(node)
        if abs(value).bit_length() > MAX_NUMBER_CHARS * 3:  # 0x/0b/1:2:3 forms grow fast
            raise too_long
        return value

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
            # PyYAML's scalar constructors assume text their tags' patterns have matched
            tag = node.tag.rsplit(":", 1)[-1]
            what = repr(_excerpt(node.value)) if isinstance(node, yaml.ScalarNode) else node.id
            raise yaml.constructor.ConstructorError(
                None, None, f"{what} is not a valid {tag}", node.start_mark
            ) from None


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:int", _FrontMatterLoader.construct_yaml_int)


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
    "authors",
    "author",
    "slug",
    "summary",
    "description",
}
#: Keys with a meaning that stay in Article.extra (model.Article.draft, .is_page): known
#: to `sitegen check` like the others, so a typo of one is pointed out too.
EXTRA_KEYS = {"draft", "type"}

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


def _excerpt(value: Any, limit: int = 60) -> str:
    """A value as short text for a message (a 10 MB list must not become one)."""
    text = value if isinstance(value, str) else reprlib.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load_front_matter_yaml(text: str) -> Any:
    """YAML text as front matter is read: safe, with dates left as text, keys as text."""
    return yaml.load(text, Loader=_FrontMatterLoader)


def _is_flat(front: dict[str, Any]) -> bool:
    """Scalars and lists of scalars only: the shape of nearly all front matter."""
    for value in front.values():
        if isinstance(value, list):
            if any(isinstance(item, (list, dict, set, tuple)) for item in value):
                return False
        elif isinstance(value, (dict, set, tuple)):
            return False
    return True


def check_front_shape(path: str, front: Any) -> None:
    """Refuse front matter that would hang or crash whatever later prints or compares it.

    YAML aliases (`*name`) can make a value refer to itself, nest without limit, or,
    repeated, stand for gigabytes of text in a few lines (a "billion laughs"); without
    them, brackets still nest up to libyaml's 1,000 levels. Without aliases a value's
    expanded size is at most the file's, so MAX_ARTICLE_BYTES never refuses ordinary
    front matter. One pass, iterative, each shared value sized once.
    """
    sizes: dict[int, int] = {}
    open_ids: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(front, 1, False)]
    while stack:
        value, depth, done = stack.pop()
        children = _children(value)
        if done:
            open_ids.discard(id(value))
            size = 1 + sum(sizes.get(id(c), _scalar_size(c)) for c in children)
            if size > MAX_ARTICLE_BYTES:
                raise ProblemError(
                    Problem(path, "front matter is too large once its aliases (*name) are expanded")
                )
            sizes[id(value)] = size
            continue
        if id(value) in open_ids:
            raise ProblemError(
                Problem(path, "front matter refers to itself (an alias inside its own anchor)")
            )
        if id(value) in sizes:
            continue
        if depth > MAX_FRONT_DEPTH:
            raise ProblemError(
                Problem(path, f"front matter nests more than {MAX_FRONT_DEPTH} levels deep")
            )
        open_ids.add(id(value))
        stack.append((value, depth, True))
        stack.extend((c, depth + 1, False) for c in children if _children(c) is not _NO_CHILDREN)


_NO_CHILDREN: tuple[()] = ()


def _children(value: Any) -> Any:
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    if isinstance(value, (list, tuple, set, frozenset)):
        return value
    return _NO_CHILDREN


def _scalar_size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes)) else 1


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
    except RecursionError:  # libyaml stops at 1,000 levels; the pure-Python parser may not
        raise ProblemError(Problem(path, "front matter nests too deeply to read", 2)) from None
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
    if "*" in match.group(1) or not _is_flat(front):  # else no alias, depth 2: nothing to fear
        check_front_shape(path, front)
    body_line = text[: match.end()].count("\n") + 1
    return front, text[match.end() :], body_line


def _in_range(value: dt.datetime) -> dt.datetime:
    """The datetime, if it is still one in UTC: pages sort and feeds print in UTC, and
    0001-01-01T00:00+05:00 or 9999-12-31T23:59-05:00 fall outside years 1-9999 there."""
    if value.tzinfo is not None:
        try:
            value.astimezone(dt.UTC)
        except OverflowError:
            raise ValueError(
                f"'date' {value.isoformat()} is outside the years 1-9999 once converted to UTC"
            ) from None
    return value


def parse_date(value: Any) -> tuple[dt.datetime | None, bool]:
    """A front matter date -> (datetime, whether a time of day was given). Raises ValueError."""
    if value is None or value == "":
        return None, False
    if isinstance(value, dt.datetime):
        return _in_range(value), True
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
                stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                pass
            else:
                return _in_range(stamp), True
    shown = repr(_excerpt(value)) if isinstance(value, str) else _excerpt(value)
    raise ValueError(
        f"'date' must be an ISO date like 2024-05-31 or 2024-05-31T14:00:00Z, not {shown}"
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
            raise ProblemError(
                Problem(path, f"'{key}' holds {_excerpt(item)}; each entry must be a name")
            )
        name = " ".join(str(item).split())
        if name and name not in names:
            names.append(name)
    return names


def _authors(path: str, front: dict[str, Any]) -> list[str]:
    """`authors:` and `author:` (Pelican's and Hugo's spelling; text or a list) merged,
    each name trimmed, the same name in another case kept once, as first written."""
    names: list[str] = []
    seen: set[str] = set()
    for key in ("authors", "author"):
        for name in _string_list(path, key, front.get(key)):
            if name.casefold() not in seen:
                seen.add(name.casefold())
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
    if not isinstance(front.get("draft", False), bool):
        shown = _excerpt(front["draft"])
        raise ProblemError(Problem(path, f"'draft' must be true or false, not {shown}"))
    if front.get("type", "article") not in ("article", "page"):
        shown = _excerpt(front["type"])
        raise ProblemError(Problem(path, f"'type' must be 'article' or 'page', not {shown}"))
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
        authors=_authors(path, front),
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
    return body_of_text(path, decode_article_bytes(path, data))


def body_of_text(path: str, text: str) -> str:
    """read_body() of a file's decoded text."""
    match = _FENCE.match(text)
    if match is None or _EMPTY_FENCE.match(text):
        return parse_article(path, text).body  # raises the file's problem
    return text[match.end() :]


class _FrontMatterDumper(_Dumper):  # type: ignore[misc,valid-type]
    """Writes date-like text plain (`date: 2024-03-12`), as the loader reads it back: as
    text. PyYAML would quote it ('2024-03-12'), so rewriting an article's front matter
    changed its untouched date lines (git noise in every near-duplicate import)."""


_FrontMatterDumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Dumper.yaml_implicit_resolvers.items()
}


def _plain_date(dumper: Any, value: dt.date) -> yaml.Node:
    """A date (or datetime) as the plain text PyYAML writes for it: 2024-03-12."""
    text = value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_FrontMatterDumper.add_representer(dt.date, _plain_date)
_FrontMatterDumper.add_representer(dt.datetime, _plain_date)


def dump_front_matter(front: dict[str, Any]) -> str:
    """Front matter as YAML text: keys in the given order, Unicode as is, one key a line."""
    return yaml.dump(
        front,
        Dumper=_FrontMatterDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1000,
    )


def format_article(front: dict[str, Any], body: str) -> str:
    """Front matter and a Markdown body -> the text of a content file, keys in given order."""
    return f"---\n{dump_front_matter(front)}---\n\n{body.strip()}\n"
