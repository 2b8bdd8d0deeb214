"""Which theme folders a site renders with: its own, then the bundled default. Read by
the unchanged-inputs digest at the start of a build and by the renderer; owns no rendering.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.config import Config


def default_theme_dir() -> Path:
    """The bundled theme: inside the package when installed from a wheel, else the checkout's."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "themes" / "default", here.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("the default theme is missing from this sitegen installation")


def theme_dirs(config: Config) -> list[Path]:
    """Theme folders, most specific first: the site's own, then the default."""
    dirs = []
    if config.site_theme_dir.is_dir():
        dirs.append(config.site_theme_dir)
    dirs.append(default_theme_dir())
    return dirs
