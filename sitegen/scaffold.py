"""`sitegen init` and `sitegen new`: the files of a new, empty site, and of a new article."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sitegen.config import CONFIG_NAME, Config
from sitegen.content import format_article
from sitegen.model import Problem, ProblemError
from sitegen.urls import content_file

CONFIG_TEMPLATE = """# sitegen settings. Every option is listed with its default.
[site]
title = {title}
description = ""
# Where the site will be hosted; a sub-path works too: "https://example.org/archive/"
base_url = "/"
language = "en"
page_size = 20        # articles per page on the home page
term_page_size = 30   # articles per page on person, topic and source pages
feed_size = 20        # entries per Atom and RSS feed
# Links in every page header, e.g. [{{ title = "About", url = "/about/" }}] (content/pages/)
nav = []

[build]
output = "build"
theme_dir = "theme"   # files here override the default theme, file by file
allow_html = false    # pass raw HTML in Markdown through to pages
"""

THEME_README = """Files here override sitegen's default theme, one file at a time.

  theme/templates/article.html   replaces the article page template
  theme/static/style.css         replaces the stylesheet

The default theme ships inside sitegen, in its themes/default/ folder
(`sitegen theme path` prints where). Copy the file you want to change here with

  sitegen theme copy article.html          (or static/style.css, or --all)

and edit the copy; everything you do not override comes from the default theme.
`sitegen --help` and `sitegen theme copy --help` say the same.
"""


def toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def create_site(directory: Path, title: str) -> list[Path]:
    """Write sitegen.toml, content/ and theme/ into directory; refuse to overwrite a site."""
    config = directory / CONFIG_NAME
    if config.exists():
        raise ProblemError(Problem(str(config), "a site already exists here; nothing was changed"))
    files = {
        config: CONFIG_TEMPLATE.format(title=toml_string(title)),
        directory / "content" / ".gitkeep": "",
        directory / "theme" / "templates" / ".gitkeep": "",
        directory / "theme" / "static" / ".gitkeep": "",
        directory / "theme" / "README.txt": THEME_README,
        directory / ".gitignore": "/build/\n/build.*/\n/.sitegen-cache/\n",
    }
    created = []
    for path, text in files.items():
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    return created


def new_article(config: Config, title: str, day: dt.date, source: str | None = None) -> Path:
    """Write content/<yyyy>/<mm>/<slug>.md with a title, date (and source) and an empty
    body; never overwrite: the path is the file of an article someone may have written."""
    title = " ".join(title.split())
    if not title:
        raise ProblemError(Problem("TITLE", "the title is empty"))
    front: dict[str, Any] = {"title": title, "date": day}
    source = " ".join((source or "").split())
    if source:
        front["source"] = source
    path = config.content_dir / content_file(day, title)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(format_article(front, ""))
    except FileExistsError:
        raise ProblemError(
            Problem(str(path), "an article already exists here; nothing was changed")
        ) from None
    return path


def theme_file_names(names: list[str]) -> tuple[list[str], list[Problem]]:
    """Names given to `sitegen theme copy` -> default-theme paths (templates/x.html,
    static/style.css); a bare file name is looked up in templates/, then static/."""
    from sitegen.site.themes import default_theme_dir

    theme = default_theme_dir()
    available = sorted(
        p.relative_to(theme).as_posix()
        for folder in ("templates", "static")
        for p in (theme / folder).rglob("*")
        if p.is_file()
    )
    if not names:
        return available, []
    found: list[str] = []
    problems: list[Problem] = []
    for name in names:
        wanted = name.strip().lstrip("./")
        choices = [wanted] if "/" in wanted else [f"templates/{wanted}", f"static/{wanted}"]
        match = next((c for c in choices if c in available), None)
        if match is None:
            problems.append(
                Problem(name, "is not a file of the default theme: " + ", ".join(available))
            )
        elif match not in found:
            found.append(match)
    return found, problems


def copy_theme_files(
    config: Config, names: list[str], force: bool = False
) -> tuple[list[Path], list[Problem]]:
    """Copy default-theme files (all of them when names is empty) into the site's theme
    folder; one a Problem when it would overwrite a file and force is not given."""
    from sitegen.files import copy_atomic
    from sitegen.site.themes import default_theme_dir

    wanted, problems = theme_file_names(names)
    copied: list[Path] = []
    for rel in wanted:
        target = config.site_theme_dir / rel
        if target.exists() and not force:
            problems.append(Problem(str(target), "exists; pass --force to replace it"))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_atomic(target, default_theme_dir() / rel)
        copied.append(target)
    return copied, problems
