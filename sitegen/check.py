"""`sitegen check`: what is wrong with a site's content and with its built pages.

Owns the checks and their findings. Reading content belongs to build/load.py, building to
site/pipeline.py, showing findings to the CLI. The built-site checks read only the output
folder, so `find_broken_links(output_dir, base_path)` also serves other tests as a plain
function. No check touches the network: external links are only listed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from unidecode import unidecode

from sitegen.config import Config
from sitegen.content import EXTRA_KEYS, KNOWN_KEYS
from sitegen.markdown import make_markdown
from sitegen.model import Article, Problem
from sitegen.site.catalog import Catalog, build_catalog
from sitegen.site.load import load_articles
from sitegen.site.pipeline import build_site
from sitegen.urls import output_file

ERROR = "error"
WARNING = "warning"

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
#: Elements and attributes that load or link to another address.
LINK_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "embed": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "object": ("data",),
    "input": ("src",),
    "form": ("action",),
}
#: Schemes that are not pages to fetch: never reported, never checked.
NOT_FETCHED = {"mailto", "tel", "sms", "javascript", "data", "about", "blob"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")
TAXONOMY_NAMES = {"people": "person", "topics": "topic", "source": "source", "authors": "author"}


@dataclass(frozen=True)
class Finding:
    """One result of a check: how bad it is, what kind it is, and where."""

    severity: str  # ERROR or WARNING
    code: str  # e.g. "broken-link", "duplicate-url", "name-variant"
    problem: Problem

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "path": self.problem.path,
            "line": self.problem.line,
            "message": self.problem.message,
        }


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    articles: int = 0
    pages: int = 0  # HTML pages read
    links: int = 0  # internal links followed
    external: dict[str, list[str]] = field(default_factory=dict)  # url -> pages linking it

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def to_json(self, *, with_external: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ok": not self.errors,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "checked": {"articles": self.articles, "pages": self.pages, "links": self.links},
            "findings": [f.to_json() for f in self.findings],
        }
        if with_external:
            data["external_links"] = [
                {"url": url, "pages": len(pages), "first_page": pages[0]}
                for url, pages in sorted(self.external.items())
            ]
        return data


# --- content ------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """What is left of a name when case, spacing, punctuation and accents are ignored."""
    return re.sub(r"[\W_]+", "", unidecode(name).casefold())


def name_variants(articles: list[Article]) -> list[Finding]:
    """People, topics and sources written in several ways that differ only in case or spacing."""
    findings: list[Finding] = []
    for taxonomy, label in TAXONOMY_NAMES.items():
        users: dict[str, list[Article]] = {}
        for article in articles:
            for name in article.terms(taxonomy):
                users.setdefault(name, []).append(article)
        groups: dict[str, list[str]] = {}
        for name in users:
            groups.setdefault(name_key(name), []).append(name)
        for key, names in sorted(groups.items()):
            if len(names) < 2 or not key:
                continue
            names.sort(key=lambda n: (-len(users[n]), n))
            rarest = names[-1]
            listed = ", ".join(f"{n!r} ({_count(len(users[n]), 'article')})" for n in names)
            findings.append(
                Finding(
                    WARNING,
                    "name-variant",
                    Problem(
                        f"content/{users[rarest][0].path}",
                        f"{label} names differ only in case, spacing or accents: {listed}; "
                        f"pick one (this file has {rarest!r})",
                    ),
                )
            )
    return findings


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def check_articles(articles: list[Article], today: dt.date) -> list[Finding]:
    """Per-article checks the build lets pass: empty bodies, future dates, key typos."""
    findings: list[Finding] = []
    known = sorted(KNOWN_KEYS | EXTRA_KEYS)
    by_url: dict[str, Article] = {}
    for article in articles:
        where = f"content/{article.path}"
        if not article.body.strip():
            findings.append(
                Finding(WARNING, "empty-body", Problem(where, "the article has no body"))
            )
        if article.date is not None and article.date.date() > today + dt.timedelta(days=1):
            findings.append(
                Finding(
                    WARNING,
                    "future-date",
                    Problem(where, f"the date {article.date.date().isoformat()} is in the future"),
                )
            )
        for key in article.extra:
            close = difflib.get_close_matches(str(key).lower(), known, n=1, cutoff=0.8)
            if close and key not in EXTRA_KEYS:
                findings.append(
                    Finding(
                        WARNING,
                        "unknown-key",
                        Problem(
                            where,
                            f"front matter key {key!r} is not one sitegen knows; "
                            f"did you mean {close[0]!r}?",
                        ),
                    )
                )
        if article.url:
            first = by_url.setdefault(article.url, article)
            if first is not article:
                findings.append(
                    Finding(
                        WARNING,
                        "duplicate-source-url",
                        Problem(
                            where,
                            f"the same original url as content/{first.path}: "
                            "is it the same article imported twice?",
                        ),
                    )
                )
    return findings


def check_content(config: Config, today: dt.date) -> tuple[list[Finding], list[Article], Catalog]:
    """Front matter and dates (as the build reads them), duplicate URLs, then the rest.

    Returns the findings, every article read and the catalog (which knows their URLs).
    """
    md = make_markdown(config)
    articles, problems = load_articles(config.content_dir, md)
    findings = [Finding(ERROR, "invalid-article", p) for p in problems]
    catalog = build_catalog(articles)
    findings += [Finding(ERROR, "duplicate-url", p) for p in catalog.problems]
    findings += check_articles(articles, today)
    findings += name_variants(catalog.articles)
    return findings, articles, catalog


# --- the built site: reading it -----------------------------------------------------------


@dataclass
class PageLinks:
    """What a check needs from one HTML page."""

    title: str | None = None
    links: list[tuple[str, int]] = field(default_factory=list)  # (address, line)
    ids: set[str] = field(default_factory=set)
    base: str | None = None


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageLinks()
        self._title: list[str] | None = None
        self._svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        line = self.getpos()[0]
        if tag == "svg":
            self._svg_depth += 1
        elif tag == "title" and not self._svg_depth and self.page.title is None:
            self._title = []
        elif tag == "base" and "href" in values and self.page.base is None:
            self.page.base = values["href"].strip()
        elif tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url\s*=\s*['\"]?([^'\"]+)", values.get("content", ""), re.I)
            if match:
                self.page.links.append((match.group(1).strip(), line))
        for name in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(name):
                self.page.ids.add(values[name])
        for name in LINK_ATTRS.get(tag, ()):
            value = values.get(name)
            if value is None:
                continue
            if name == "srcset":
                for candidate in value.split(","):
                    address = candidate.strip().split(" ")[0]
                    if address:
                        self.page.links.append((address, line))
            elif tag == "form" and not value.strip():
                continue  # a form without action posts to itself
            else:
                self.page.links.append((value, line))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._svg_depth:
            self._svg_depth -= 1
        elif tag == "title" and self._title is not None:
            self.page.title = " ".join("".join(self._title).split())
            self._title = None

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)


def read_page(data: bytes) -> PageLinks:
    parser = _PageParser()
    parser.feed(data.decode("utf-8", "replace"))
    parser.close()
    if parser._title is not None:  # <title> never closed
        parser.page.title = " ".join("".join(parser._title).split())
    return parser.page


@dataclass
class SiteScan:
    """The output folder as the checks see it: every file, pages parsed, XML read."""

    files: set[str] = field(default_factory=set)  # relative paths with '/'
    pages: dict[str, PageLinks] = field(default_factory=dict)
    xml_links: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    css_links: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)

    @property
    def folders(self) -> set[str]:
        cached = self.__dict__.get("_folders")
        if cached is None:
            cached = {posixpath.dirname(f) for f in self.files}
            for folder in list(cached):
                while folder:
                    folder = posixpath.dirname(folder)
                    cached.add(folder)
            self.__dict__["_folders"] = cached
        return cached


def _xml_addresses(rel: str, root: ET.Element) -> tuple[list[tuple[str, int]], Finding | None]:
    """Links in a feed or sitemap; a finding when the document is not the kind its name says."""
    links: list[tuple[str, int]] = []
    for element in root.iter(f"{ATOM}link"):
        if element.get("href"):
            links.append((element.get("href", ""), 0))
    for element in root.iter("link"):  # RSS: the address is the element's text
        if element.text and element.text.strip():
            links.append((element.text.strip(), 0))
    for element in root.iter(f"{SITEMAP}loc"):
        if element.text and element.text.strip():
            links.append((element.text.strip(), 0))
    name = posixpath.basename(rel)
    wrong = None
    if name in ("feed.xml", "atom.xml") and root.tag != f"{ATOM}feed":
        wrong = f"is not an Atom feed (its root element is <{root.tag}>)"
    elif name == "rss.xml" and root.tag != "rss":
        wrong = f"is not an RSS feed (its root element is <{root.tag}>)"
    elif name == "sitemap.xml" and root.tag not in (f"{SITEMAP}urlset", f"{SITEMAP}sitemapindex"):
        wrong = f"is not a sitemap (its root element is <{root.tag}>)"
    if wrong:
        return links, Finding(ERROR, "bad-xml", Problem(rel, wrong))
    return links, None


def scan_site(output_dir: Path) -> SiteScan:
    """Read every file of a built site once: HTML parsed, XML parsed, CSS searched for url()."""
    scan = SiteScan()
    if not output_dir.is_dir():
        scan.problems.append(
            Finding(ERROR, "no-output", Problem(str(output_dir), "the built site is missing"))
        )
        return scan
    for path in sorted(output_dir.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(output_dir).as_posix()
        scan.files.add(rel)
        suffix = path.suffix.lower()
        if suffix not in (".html", ".htm", ".xml", ".css"):
            continue
        data = path.read_bytes()
        if suffix in (".html", ".htm"):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                scan.problems.append(
                    Finding(ERROR, "bad-html", Problem(rel, f"not valid UTF-8 (byte {exc.start})"))
                )
            scan.pages[rel] = read_page(data)
        elif suffix == ".xml":
            try:
                root = ET.fromstring(data)
            except ET.ParseError as exc:
                scan.problems.append(
                    Finding(
                        ERROR,
                        "bad-xml",
                        Problem(rel, f"does not parse as XML: {exc}", exc.position[0]),
                    )
                )
                continue
            scan.xml_links[rel], wrong = _xml_addresses(rel, root)
            if wrong:
                scan.problems.append(wrong)
        else:
            text = data.decode("utf-8", "replace")
            scan.css_links[rel] = [
                (m.group(2).strip(), text.count("\n", 0, m.start()) + 1)
                for pattern in (_CSS_URL, _CSS_IMPORT)
                for m in pattern.finditer(text)
            ]
    return scan


# --- the built site: following links ------------------------------------------------------


@dataclass(frozen=True)
class Resolved:
    """Where an address found on a page leads."""

    kind: str  # "internal", "external", "outside", "skip"
    path: str = ""  # internal: the URL path below the base path ("" is the home page)
    fragment: str = ""


def _normal_base(base_path: str) -> str:
    base = "/" + base_path.strip("/")
    return base if base == "/" else base + "/"


def resolve_address(
    address: str, page: str, base_path: str = "/", site_url: str | None = None
) -> Resolved:
    """An href/src found on output file `page` -> internal path, external URL or skip.

    Relative addresses resolve against the page's own URL; absolute ones that start with
    the site's own URL (feeds and canonical links) count as internal.
    """
    address = address.strip()
    base = _normal_base(base_path)
    parts = urlsplit(address)
    scheme = parts.scheme.lower()
    if scheme in NOT_FETCHED:
        return Resolved("skip")
    if scheme or parts.netloc:
        site = urlsplit(site_url) if site_url else None
        ours = (
            site is not None
            and site.netloc
            and parts.netloc.lower() == site.netloc.lower()
            and (not scheme or scheme in ("http", "https"))
        )
        if not ours:
            return Resolved("external") if scheme in ("", "http", "https") else Resolved("skip")
        url_path = parts.path or "/"
        if not (url_path + "/").startswith(_normal_base(base_path)):
            return Resolved("external")  # the same host, but not this site (e.g. its home)
    elif not parts.path:
        return Resolved("internal", _page_path(page), unquote(parts.fragment))
    else:
        url_path = urljoin(base + page, parts.path)
    url_path = unquote(url_path)
    trailing = url_path.endswith("/")
    url_path = posixpath.normpath(url_path)
    if url_path in (".", "/"):
        url_path = "/"
    elif trailing:
        url_path += "/"
    if url_path + "/" == base:
        url_path = base
    if not url_path.startswith(base):
        return Resolved("outside", url_path)
    return Resolved("internal", url_path[len(base) :], unquote(parts.fragment))


def _page_path(output_rel: str) -> str:
    """An output file -> the URL path that serves it ('a/index.html' -> 'a/')."""
    if output_rel == "index.html":
        return ""
    if output_rel.endswith("/index.html"):
        return output_rel[: -len("index.html")]
    return output_rel


def target_file(path: str, scan: SiteScan) -> str | None:
    """The output file a URL path is served from: the file itself, or a folder's index.html."""
    if path == "" or path.endswith("/"):
        candidate = output_file(path)
        return candidate if candidate in scan.files else None
    if path in scan.files:
        return path
    if path in scan.folders and f"{path}/index.html" in scan.files:
        return f"{path}/index.html"  # servers redirect /a to /a/
    return None


@dataclass
class LinkResults:
    broken: list[Problem] = field(default_factory=list)
    anchors: list[Problem] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)
    followed: int = 0


def _all_links(scan: SiteScan) -> Iterable[tuple[str, str, int, str | None]]:
    """(file, address, line, base href) for every link in pages, feeds and stylesheets."""
    for rel, page in scan.pages.items():
        for address, line in page.links:
            yield rel, address, line, page.base
    for links in (scan.xml_links, scan.css_links):
        for rel, found in links.items():
            for address, line in found:
                yield rel, address, line, None


def follow_links(scan: SiteScan, base_path: str = "/", site_url: str | None = None) -> LinkResults:
    """Resolve every link once per distinct target; report each broken target once."""
    results = LinkResults()
    broken: dict[str, list[tuple[str, int, str]]] = {}
    missing_anchor: dict[tuple[str, str], list[tuple[str, int, str]]] = {}
    for rel, address, line, base_href in _all_links(scan):
        where = rel
        if base_href:
            resolved_base = resolve_address(base_href, rel, base_path, site_url)
            if resolved_base.kind == "internal":
                where = resolved_base.path + "index.html"
        resolved = resolve_address(address, where, base_path, site_url)
        if resolved.kind == "skip":
            continue
        if resolved.kind == "external":
            results.external.setdefault(address.strip(), []).append(rel)
            continue
        if resolved.kind == "outside":
            key = f"outside:{resolved.path}"
            broken.setdefault(key, []).append((rel, line, address))
            continue
        results.followed += 1
        target = target_file(resolved.path, scan)
        if target is None:
            broken.setdefault(resolved.path, []).append((rel, line, address))
        elif (
            resolved.fragment
            and target in scan.pages
            and resolved.fragment not in scan.pages[target].ids
        ):
            missing_anchor.setdefault((target, resolved.fragment), []).append((rel, line, address))
    base = _normal_base(base_path)
    for key, uses in sorted(broken.items()):
        rel, line, address = uses[0]
        if key.startswith("outside:"):
            why = f"points outside the site (base path {base})"
        else:
            why = "leads to no file in the built site" + (
                f" (looked for {output_file(key)})" if key == "" or key.endswith("/") else ""
            )
        results.broken.append(Problem(rel, f"link {address!r} {why}{_also(uses)}", line or None))
    for (target, fragment), uses in sorted(missing_anchor.items()):
        rel, line, address = uses[0]
        results.anchors.append(
            Problem(
                rel, f"link {address!r}: {target} has no id {fragment!r}{_also(uses)}", line or None
            )
        )
    return results


def _also(uses: list[tuple[str, int, str]]) -> str:
    pages = {rel for rel, _, _ in uses}
    return f" (also on {_count(len(pages) - 1, 'other page')})" if len(pages) > 1 else ""


def find_broken_links(
    output_dir: Path, base_path: str = "/", *, site_url: str | None = None
) -> list[Problem]:
    """Every internal link, asset and stylesheet reference in a built site that leads nowhere.

    `base_path` is the URL path the site is served under ('/' or '/archive/'); give
    `site_url` (e.g. 'https://example.org/archive/') to check absolute links to the site
    too. Pretty URLs ('a/b/') resolve to 'a/b/index.html'; query strings are ignored. One
    Problem per broken target, at the first page that links to it.
    """
    return follow_links(scan_site(output_dir), base_path, site_url).broken


def check_built_site(
    output_dir: Path, base_path: str = "/", *, site_url: str | None = None
) -> CheckReport:
    """Links and assets resolve, every page has a title, feeds and sitemap parse."""
    scan = scan_site(output_dir)
    report = CheckReport(pages=len(scan.pages))
    report.findings += scan.problems
    for rel, page in sorted(scan.pages.items()):
        if not page.title:
            report.findings.append(
                Finding(ERROR, "missing-title", Problem(rel, "the page has no <title> text"))
            )
    results = follow_links(scan, base_path, site_url)
    report.findings += [Finding(ERROR, "broken-link", p) for p in results.broken]
    report.findings += [Finding(WARNING, "missing-anchor", p) for p in results.anchors]
    report.links = results.followed
    report.external = results.external
    return report


# --- the whole check ----------------------------------------------------------------------


def run_check(config: Config, *, today: dt.date, built: Path | None = None) -> CheckReport:
    """Check the content, then the built site: a fresh build in a temporary folder (so
    the pages match the content and base URL being checked), or `built`, a folder
    already built with this config's base URL."""
    findings, articles, catalog = check_content(config, today)
    if config.relative_base_url:
        findings.append(
            Finding(WARNING, "relative-base-url", Problem("sitegen.toml", config.relative_base_url))
        )
    site_url = config.base_url if urlsplit(config.base_url).scheme else None
    if built is not None:
        site = check_built_site(built, config.base_path, site_url=site_url)
    else:
        with tempfile.TemporaryDirectory(prefix="sitegen-check-") as tmp:
            out = Path(tmp) / "site"
            built_report = build_site(config, out=out, keep_going=True, remember=False)
            if not built_report.written:  # a theme template that does not render, say
                findings += [Finding(ERROR, "build-failed", p) for p in built_report.problems]
                return CheckReport(findings=findings, articles=len(articles))
            site = check_built_site(out, config.base_path, site_url=site_url)
    sources = {output_file(catalog.url_of(a)): f"content/{a.path}" for a in catalog.articles}
    site.findings = findings + [_with_source(f, sources) for f in site.findings]
    site.articles = len(articles)
    return site


def _with_source(finding: Finding, sources: dict[str, str]) -> Finding:
    """Name the content file behind an article page, since that is where the fix goes."""
    source = sources.get(finding.problem.path)
    if source is None:
        return finding
    problem = finding.problem
    return Finding(
        finding.severity,
        finding.code,
        Problem(problem.path, f"{problem.message} [from {source}]", problem.line),
    )
