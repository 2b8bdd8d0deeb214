"""Files next to an article (images, PDFs, ...): which relative links an article's
Markdown makes (read once, when it is loaded) and the outputs that copy each linked file
beside the page of every article that links it. Pure but for reading file digests.

Why beside each page that links it, not beside every page of the folder: an article's
page is at /YYYY/MM/slug/ by its date, so the articles of one content folder land in
many output folders; a copy beside each linking page keeps `![](photo.jpg)` working
from that page (under any base path, as the link is relative), and a folder of 10,000
articles with one shared logo costs one copy per article that shows it, not 10,000.
Links that climb out of the article's folder (`../x.png`), absolute paths and addresses
are left as written; `sitegen check` reports any that do not resolve.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from sitegen.site import standalone
from sitegen.site.catalog import Catalog
from sitegen.site.report import Output
from sitegen.site.unchanged import file_digest

#: inline links and images `](target`, reference definitions `[x]: target`, and raw
#: HTML `src=`/`href=`: every way a Markdown body can name a file beside it
_LINK_TARGETS = re.compile(
    r"\]\(\s*<?([^)\s>]+)"
    r"|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)"
    r"|\b(?:src|href)\s*=\s*[\"']([^\"']+)[\"']",
    re.M | re.I,
)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def local_links(body: str) -> tuple[str, ...]:
    """The relative file paths a Markdown body links (normalised, sorted, no `..`)."""
    found: set[str] = set()
    for match in _LINK_TARGETS.finditer(body):
        target = next(group for group in match.groups() if group is not None)
        target = target.split("#", 1)[0].split("?", 1)[0]
        if not target or target.startswith(("/", "\\")) or _SCHEME.match(target):
            continue
        path = posixpath.normpath(unquote(target))
        if path == "." or path.startswith("..") or "\x00" in path:
            continue
        found.add(path)
    return tuple(sorted(found))


def asset_outputs(content_dir: Path, assets: set[str], catalog: Catalog) -> list[Output]:
    """One copy of each asset beside each page of the catalog that links it."""
    outputs: list[Output] = []
    placed = [(a, catalog.url_of(a)) for a in catalog.articles]
    for article, page_path in placed + [
        (p, standalone.page_path(p)) for p in catalog.pages.values()
    ]:
        folder = posixpath.dirname(article.path)
        for link in article.links:
            source = posixpath.join(folder, link) if folder else link
            if source not in assets or link == "index.html":  # not over the page itself
                continue
            path = content_dir / source
            try:
                digest = file_digest(path)
            except OSError:  # gone since the scan: the next build sees it gone
                continue
            outputs.append(Output(page_path + link, digest, copy_from=str(path)))
    return outputs
