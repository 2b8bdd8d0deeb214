"""Screenshots of built pages in headless Chromium at phone and desktop width, to look at.

    .venv/bin/python scripts/screenshots.py --site . --out /tmp/shots / /people/ /about/

Builds nothing: serves the site's build/ folder as it is (run `sitegen build` first) on
127.0.0.1 and writes one PNG per path and width (375 and 1280 px, light colour scheme;
`--dark` for dark) into --out. Uses Debian's chromium through Playwright, as the
browser tests do.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import chromium, static_server  # noqa: E402

WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("."))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("paths", nargs="+", help="site paths, e.g. /authors/jane-doe/")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    scheme = "dark" if args.dark else "light"
    with (
        tempfile.TemporaryDirectory() as profile,
        static_server(args.site / "build") as base,
        chromium(Path(profile), color_scheme=scheme) as context,
    ):
        for name, (width, height) in WIDTHS.items():
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": height})
            for path in args.paths:
                page.goto(base.rstrip("/") + path)
                slug = path.strip("/").replace("/", "_") or "home"
                target = args.out / f"{slug}-{name}-{scheme}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            page.close()


if __name__ == "__main__":
    main()
