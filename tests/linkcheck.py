"""A small HTML link resolver for tests: every internal reference must hit a built file."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in ("href", "src"):
                self.refs.append(value)


def internal_refs(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    return parser.refs


def resolve(output: Path, base_path: str, page: Path, ref: str) -> Path | None:
    """The file a reference points to, or None for external and fragment-only links."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        assert path.startswith(base_path), f"{ref} escapes base path {base_path}"
        target = output / path[len(base_path) :]
    else:
        target = page.parent / path
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(output: Path, base_path: str = "/") -> list[str]:
    broken = []
    for page in sorted(output.rglob("*.html")):
        for ref in internal_refs(page.read_text(encoding="utf-8")):
            target = resolve(output, base_path, page, ref)
            if target is not None and not target.is_file():
                broken.append(f"{page.relative_to(output)} -> {ref}")
    return broken
