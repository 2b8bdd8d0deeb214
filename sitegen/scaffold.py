"""`sitegen init`: the files of a new, empty site."""

from __future__ import annotations

from pathlib import Path

from sitegen.config import CONFIG_NAME
from sitegen.model import Problem, ProblemError

CONFIG_TEMPLATE = """# sitegen settings. Every option is listed with its default.
[site]
title = {title}
description = ""
# Where the site will be hosted; a sub-path works too: "https://example.org/archive/"
base_url = "/"
language = "en"
page_size = 20        # articles per page on the home page
term_page_size = 30   # articles per page on person, topic and source pages
feed_size = 20        # entries per Atom feed
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

Copy the file you want to change from the default theme (see `sitegen --help`
or the project README) and edit it; everything you do not override comes from
the default theme.
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
