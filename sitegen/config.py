"""sitegen.toml -> a typed, validated Config. Every error names the file and the key.

Only reading and validating lives here; what the options do lives with the stages.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen.model import Problem, ProblemError

CONFIG_NAME = "sitegen.toml"


@dataclass(frozen=True)
class Option:
    table: str
    key: str
    kind: type
    default: Any
    help: str
    minimum: int | None = None
    field: str = ""  # the Config field, when it is not named like the key

    @property
    def name(self) -> str:
        return self.field or self.key


OPTIONS: tuple[Option, ...] = (
    Option("site", "title", str, "News Archive", "the site's name, shown in every page header"),
    Option(
        "site", "description", str, "", "one line about the archive, for feeds and the home page"
    ),
    Option(
        "site", "base_url", str, "/", "where the site is hosted, e.g. https://example.org/archive/"
    ),
    Option("site", "language", str, "en", "the language code of the pages"),
    Option("site", "page_size", int, 20, "articles per page on the home page", minimum=1),
    Option(
        "site",
        "term_page_size",
        int,
        30,
        "articles per page on person/topic/source pages",
        minimum=1,
    ),
    Option("site", "feed_size", int, 20, "entries per Atom and RSS feed", minimum=1),
    Option(
        "site",
        "nav",
        list,
        [],
        'links added to every page header: [{ title = "About", url = "/about/" }, ...]',
    ),
    Option("build", "output", str, "build", "the output folder, relative to the site"),
    Option(
        "build", "theme_dir", str, "theme", "the site's own theme folder (overrides the default)"
    ),
    Option("build", "allow_html", bool, False, "pass raw HTML in Markdown through to pages"),
    Option(
        "cluster",
        "address",
        str,
        "",
        "the Dask cluster `sitegen import` uses: tcp://host:8786, or local:N (--cluster wins)",
        field="cluster_address",
    ),
)
#: the tables OPTIONS covers: a key in one of them that no option names is an error
TABLES = tuple(dict.fromkeys(option.table for option in OPTIONS))


@dataclass(frozen=True)
class Config:
    """A site's settings. `root` is the folder holding sitegen.toml."""

    root: Path
    title: str = "News Archive"
    description: str = ""
    base_url: str = "/"
    language: str = "en"
    page_size: int = 20
    term_page_size: int = 30
    feed_size: int = 20
    nav: tuple[tuple[str, str], ...] = ()  # (title, site path or http(s) address)
    output: str = "build"
    theme_dir: str = "theme"
    allow_html: bool = False
    cluster_address: str = ""  # [cluster] address: where `sitegen import` runs its workers
    #: set by the command, not sitegen.toml: build drafts (--drafts, serve), and articles
    #: dated after the build's clock (--future, the default; see site/visibility.py)
    drafts: bool = False
    future: bool = True
    extra: dict[str, Any] = field(default_factory=dict)  # other tables, for later stages

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def output_dir(self) -> Path:
        return self.root / self.output

    @property
    def site_theme_dir(self) -> Path:
        return self.root / self.theme_dir

    @property
    def cache_dir(self) -> Path:
        return self.root / ".sitegen-cache"

    @functools.cached_property
    def base_path(self) -> str:
        """The URL path the site lives under, always starting and ending with '/'
        (remembered: every link of every page starts with it)."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def relative_base_url(self) -> str | None:
        """Why a path-only base_url is not enough, or None when it is an address.

        Pages link by path and work anywhere, but feed entry ids, sitemap locations and
        robots.txt's Sitemap line must be absolute URLs for feed readers and crawlers.
        """
        if urlsplit(self.base_url).scheme:
            return None
        return (
            f"base_url {self.base_url!r} is a path, not an address: feed.xml, sitemap.xml and "
            'robots.txt need absolute URLs; set [site] base_url = "https://..." in '
            "sitegen.toml or pass --base-url"
        )

    @property
    def absolute_base(self) -> str:
        """The base URL for feeds and sitemap; a bare path stays a path."""
        return self.base_url if self.base_url.endswith("/") else self.base_url + "/"


def _check_base_url(value: str, where: str) -> str:
    parts = urlsplit(value)
    if parts.scheme and parts.scheme not in ("http", "https"):
        raise ProblemError(
            Problem(where, f"[site] base_url must be http(s) or a path, not {value!r}")
        )
    if not parts.scheme and not value.startswith("/"):
        raise ProblemError(
            Problem(
                where, f"[site] base_url must be an absolute URL or start with '/', not {value!r}"
            )
        )
    return value if value.endswith("/") else value + "/"


def _is_web_address(url: str) -> bool:
    try:
        return urlsplit(url).scheme in ("http", "https")
    except ValueError:  # e.g. an unclosed "[" in the host
        return False


def _check_nav(items: list[Any], where: str) -> tuple[tuple[str, str], ...]:
    """[site] nav: each link a table with a title and a url (a site path starting with
    '/', resolved under the base path, or an http(s) address)."""
    links = []
    for number, item in enumerate(items, 1):
        key = f"[site] nav item {number}"
        if not isinstance(item, dict) or set(item) != {"title", "url"}:
            raise ProblemError(
                Problem(where, f'{key} must be {{ title = "...", url = "/..." }}, not {item!r}')
            )
        title, url = item["title"], item["url"]
        if not isinstance(title, str) or not title.strip():
            raise ProblemError(Problem(where, f"{key}: title must be a non-empty string"))
        if not isinstance(url, str) or not (url.startswith("/") or _is_web_address(url)):
            raise ProblemError(
                Problem(where, f"{key}: url must start with '/' or be http(s), not {url!r}")
            )
        links.append((title.strip(), url))
    return tuple(links)


_TABLE_LINE = re.compile(r"^\s*\[\s*([A-Za-z0-9_\-]+)\s*\]")
_KEY_LINE = re.compile(r"^\s*(?:([A-Za-z0-9_\-]+)\s*\.\s*)?[\"']?([A-Za-z0-9_\-]+)[\"']?\s*=")


def key_line(text: str, table: str, key: str) -> int | None:
    """The 1-based line where `key` of `[table]` is set in TOML text (a header or a dotted
    `table.key = ...`), or None; tomllib keeps no positions, so errors find it here."""
    current = ""
    for number, line in enumerate(text.splitlines(), 1):
        header = _TABLE_LINE.match(line)
        if header:
            current = header.group(1)
            continue
        match = _KEY_LINE.match(line)
        if match and match.group(2) == key and (match.group(1) or current) == table:
            return number
    return None


def parse_config(
    root: Path, data: dict[str, Any], where: str = CONFIG_NAME, text: str = ""
) -> Config:
    """A parsed TOML document -> Config, checking every known option's type.

    `text` is the TOML source, when there is one, so an error can name its line.
    """

    def problem(table: str, key: str, message: str) -> ProblemError:
        return ProblemError(Problem(where, message, key_line(text, table, key)))

    values: dict[str, Any] = {}
    for option in OPTIONS:
        table = data.get(option.table, {})
        if not isinstance(table, dict):
            raise ProblemError(Problem(where, f"[{option.table}] must be a table"))
        if option.key not in table:
            continue
        value = table[option.key]
        ok = isinstance(value, option.kind) and not (option.kind is int and isinstance(value, bool))
        if not ok:
            raise problem(
                option.table,
                option.key,
                f"[{option.table}] {option.key} must be {option.kind.__name__}, not {value!r}",
            )
        if option.minimum is not None and value < option.minimum:
            raise problem(
                option.table,
                option.key,
                f"[{option.table}] {option.key} must be at least {option.minimum}",
            )
        values[option.name] = value
    for table_name in TABLES:
        names = [o.key for o in OPTIONS if o.table == table_name]
        for key in data.get(table_name, {}):
            if key not in names:
                close = difflib.get_close_matches(key, names, n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                message = f"[{table_name}] {key} is not a known option{hint}"
                raise problem(table_name, key, message)
    if "base_url" in values:
        values["base_url"] = _check_base_url(values["base_url"], where)
    if "nav" in values:
        values["nav"] = _check_nav(values["nav"], where)
    extra = {k: v for k, v in data.items() if k not in TABLES}
    return Config(root=root, extra=extra, **values)


def load_config(site_dir: Path, base_url: str | None = None) -> Config:
    """Read DIR/sitegen.toml; a missing file is an error that says how to make one."""
    path = site_dir / CONFIG_NAME
    if not path.is_file():
        raise ProblemError(
            Problem(str(path), "no sitegen.toml here: run 'sitegen init DIR' or pass --site DIR")
        )
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProblemError(Problem(str(path), f"not valid TOML: {exc}")) from None
    if base_url is not None:
        data.setdefault("site", {})["base_url"] = base_url
    return parse_config(site_dir.resolve(), data, str(path), text)
