"""Page contexts -> HTML (Jinja2 with theme overrides); Markdown bodies come from sitegen.markdown.

Everything from front matter reaches templates as plain values and is escaped by
autoescaping; only the rendered Markdown body is marked safe, and it has raw HTML
disabled unless the site asks for it. Not here: which pages there are (pages.py), which
need rendering (plan.py), writing them (writer.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from sitegen import __version__
from sitegen.config import Config
from sitegen.model import Problem
from sitegen.site.charts import timeline_chart
from sitegen.site.themes import theme_dirs
from sitegen.site.unchanged import file_digest

if TYPE_CHECKING:
    from sitegen.site.memory import BuildMemory


def is_web_link(value: object) -> bool:
    """Only http(s) addresses from front matter become links (never javascript: and the like)."""
    return isinstance(value, str) and urlsplit(value.strip()).scheme in ("http", "https")


def format_date(value: dt.datetime | None, style: str = "long") -> str:
    if value is None:
        return "Undated"
    if style == "iso":
        return value.date().isoformat()
    if style == "month":
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


class Renderer:
    """Jinja2 environment over the theme folders, with the site's URL helpers."""

    def __init__(self, config: Config):
        self.config = config
        self.catalog = None
        loader = jinja2.FileSystemLoader([str(d / "templates") for d in theme_dirs(config)])
        self.env = jinja2.Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # the builder makes a new Renderer when a template changes
        )
        self.env.filters["date"] = format_date
        self.env.filters["month_name"] = lambda month: dt.date(2000, month, 1).strftime("%B")
        self.env.tests["web_link"] = is_web_link
        self.env.globals.update(
            url=self.url,
            abs_url=self.abs_url,
            static=self.static,
            site=config,
            sitegen_version=__version__,
            # Bound methods reading self.catalog: Jinja caches imported macro modules with
            # the globals they saw first, so the functions must not change between builds.
            article_url=self.article_url,
            term_url=self.term_url,
            timeline_chart=timeline_chart,
            remember=self.remember,
        )
        self._remembered: dict[Any, dict[tuple, tuple[Any, Any]]] = {}
        #: Theme static file -> short content hash, read once per build (current_renderer).
        self.asset_hashes: dict[str, str] = static_hashes(config)

    def article_url(self, article: Any) -> str:
        assert self.catalog is not None
        return self.url(self.catalog.url_of(article))

    @property
    def catalog(self) -> Any:
        """The Catalog being rendered; set by the builder."""
        return self._catalog

    @catalog.setter
    def catalog(self, catalog: Any) -> None:
        self._catalog = catalog
        self._term_urls: dict[tuple[str, str], str] = {}

    def term_url(self, taxonomy: str, name: str) -> str:
        """The link to a person, topic or source page of the catalog being rendered
        (remembered per catalog: an article page links ~20 names, a term page ~100)."""
        known = self._term_urls.get((taxonomy, name))
        if known is None:
            from sitegen.urls import term_path

            assert self.catalog is not None
            known = self.url(term_path(self.catalog.term(taxonomy, name)))
            self._term_urls[taxonomy, name] = known
        return known

    def remember(self, macro: Any, article: Any, *args: Any) -> Any:
        """`macro(article, *args)`, rendered once per article and kept.

        A year's archive page lists a thousand articles and is rewritten whenever one of
        their titles changes; `sitegen serve` then renders only the changed one. Safe
        because an Article is never changed once in a catalog (an edit makes a new one),
        its URL follows from its fields, and the macro sees only its arguments and the
        globals; an edited template makes a new macro object, hence a fresh memo.
        """
        memo = self._remembered.get(macro)
        if memo is None:
            if len(self._remembered) >= 8:  # templates edited again and again: start over
                self._remembered.clear()
            memo = self._remembered[macro] = {}
        key = (id(article), *args)
        known = memo.get(key)
        if known is not None and known[0] is article:
            return known[1]
        made = macro(article, *args)
        memo[key] = (article, made)  # the article is held, so its id is not reused
        return made

    def url(self, path: str) -> str:
        """A site path -> a link that works under the base path."""
        return self.config.base_path + path.lstrip("/")

    def abs_url(self, path: str) -> str:
        return self.config.absolute_base + path.lstrip("/")

    def static(self, name: str) -> str:
        """A theme file's link with its content hash (`static/style.css?v=HASH`), so a
        server may let browsers cache it for long: an edit changes the link. The hashes
        are in the plan digest, so an edited stylesheet replans every page."""
        known = self.asset_hashes.get(name)
        link = self.url("static/" + name)
        return f"{link}?v={known}" if known else link

    def render(self, template: str, context: dict[str, Any]) -> str:
        return self.env.get_template(template).render(context)


def safe_html(html: str) -> Markup:
    """Mark our own rendered Markdown as safe for templates."""
    return Markup(html)


def static_files(config: Config) -> dict[str, Path]:
    """Theme static files by relative name; the site's own override the default's."""
    files: dict[str, Path] = {}
    for theme in reversed(theme_dirs(config)):
        static = theme / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(static).as_posix()] = path
    return files


def static_hashes(config: Config) -> dict[str, str]:
    """Each theme static file's short content hash, from its bytes (digests kept per
    file by size and time, so an unchanged theme is not read again)."""
    return {name: file_digest(path)[:10] for name, path in static_files(config).items()}


def template_problem(exc: Exception, output: str | None = None) -> Problem:
    """A template (or other rendering) error as a Problem naming the template and line."""
    where = f" (while writing {output})" if output else ""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "template"
        return Problem(name, f"template error: {exc.message}{where}", exc.lineno)
    if isinstance(exc, jinja2.TemplateError):
        import traceback

        frames = [
            f
            for f in traceback.extract_tb(exc.__traceback__)
            if f.filename.endswith((".html", ".xml", ".txt"))
        ]
        if frames:
            return Problem(frames[-1].filename, f"template error: {exc}{where}", frames[-1].lineno)
        return Problem("template", f"template error: {exc}{where}")
    return Problem(output or "build", f"{type(exc).__name__}: {exc}")


def current_renderer(config: Config, memory: BuildMemory, catalog: Any) -> Renderer:
    """The memory's renderer for `catalog`; a new one (a new Jinja2 environment) when a
    template file was added, removed or edited. Its templates are never re-checked while
    a build renders: that was a stat() per page and template, 46,000 at 10k articles."""
    listing = tuple(
        sorted(
            template_stamp(p)
            for d in theme_dirs(config)
            for p in (d / "templates").rglob("*")
            if p.is_file()
        )
    )
    if memory.renderer is None or memory.template_listing != listing:
        memory.renderer = Renderer(config)
        memory.template_listing = listing
    else:
        memory.renderer.asset_hashes = static_hashes(config)
    memory.renderer.catalog = catalog
    return memory.renderer


def template_stamp(path: Path) -> tuple[str, int, int]:
    """A template file as the builder notices its edits: name, mtime and size."""
    try:
        stat = path.stat()
    except OSError:  # gone since it was listed: the next build sees it gone
        return (str(path), -1, -1)
    return (str(path), stat.st_mtime_ns, stat.st_size)
