"""The site's outputs as a whole, across builds: the previous build's families with this
build's planned ones put in their place, what of them to write and what to remove, and
the related-article lists to keep. Pure: works on the state and the plan, writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.model import Problem
from sitegen.site.catalog import Catalog
from sitegen.site.report import Output
from sitegen.site.state import BuildState


@dataclass
class OutputSet:
    """Every output of the site by family, with its signature, and the pages among them;
    `dropped`: the outputs of the families this build replaced (some may be gone);
    `clashes`: files two outputs were planned for (the writer writes none of them twice)."""

    families: dict[tuple, list[str]]
    signatures: dict[str, str]
    pages: set[str]
    dropped: list[str]
    clashes: list[str] = field(default_factory=list)

    def add(self, output: Output) -> None:
        if output.rel in self.signatures:
            self.clashes.append(output.rel)
        self.signatures[output.rel] = output.signature


def replace_families(
    previous: BuildState, planned: dict[tuple, list[Output]], full: bool
) -> OutputSet:
    """The previous build's outputs with the planned families put in place of theirs
    (nothing kept from before when the plan is full)."""
    outputs = OutputSet(
        {} if full else dict(previous.families),
        {} if full else dict(previous.outputs),
        set() if full else set(previous.pages),
        [],
    )
    for key in planned:  # all dropped first: an output may move from family to family
        for rel in outputs.families.pop(key, []):
            outputs.signatures.pop(rel, None)
            outputs.pages.discard(rel)
            outputs.dropped.append(rel)
    for key, family_outputs in planned.items():
        if family_outputs:
            outputs.families[key] = [o.rel for o in family_outputs]
            for output in family_outputs:
                outputs.add(output)
                if output.is_page:
                    outputs.pages.add(output.rel)
    return outputs


def replace_site_files(
    outputs: OutputSet, site_files: list[Output], search_outputs: list[Output], kept_search: bool
) -> list[Output]:
    """Theme files and the sitemap (`site_files`), and the search export unless it is kept as
    it was, replaced in `outputs`; returns them (the search export first) to write."""
    if not kept_search:
        site_files = search_outputs + site_files
    for key in [("site-files",)] if kept_search else [("site-files",), ("search-files",)]:
        for rel in outputs.families.pop(key, []):
            outputs.signatures.pop(rel, None)
            outputs.dropped.append(rel)
    if not kept_search:
        outputs.families[("search-files",)] = [o.rel for o in search_outputs]
    outputs.families[("site-files",)] = [
        o.rel for o in site_files[0 if kept_search else len(search_outputs) :]
    ]
    for output in site_files:
        outputs.add(output)
    return site_files


def outputs_to_write(
    outputs: OutputSet,
    planned: dict[tuple, list[Output]],
    site_files: list[Output],
    previous: BuildState,
    *,
    cold: bool,
    full: bool,
) -> tuple[list[Output], list[str]]:
    """(the outputs whose signature changed, to write; the outputs no longer produced,
    to remove). Only a replaced family's output can be gone, unless the plan is full."""
    candidates = [o for outs in planned.values() for o in outs] + site_files
    to_write = [o for o in candidates if cold or previous.outputs.get(o.rel) != o.signature]
    if cold:
        to_remove: list[str] = []
    elif full:
        to_remove = sorted(set(previous.outputs) - set(outputs.signatures))
    else:
        to_remove = sorted({rel for rel in outputs.dropped if rel not in outputs.signatures})
    return to_write, to_remove


def kept_related(
    previous: BuildState,
    planned: dict[str, list[str]],
    catalog: Catalog,
    changed: list[str],
    full: bool,
) -> dict[str, list[str]]:
    """Each article's related-article paths after this build: the previous build's with
    the newly planned ones over them; only a changed file can be gone, unless a URL
    clash now hides an article."""
    related = dict(previous.related) if not full else {}
    related.update(planned)
    for path in list(related) if catalog.problems else changed:
        if path not in catalog.by_path:
            related.pop(path, None)
    return related


def clash_problem(clashes: list[str]) -> Problem:
    rel = sorted(clashes)[0]
    more = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
    return Problem(
        f"build/{rel}",
        f"two pages of the site would be written to this one file{more}; an article's "
        "'slug' or a name makes the address of another page: give one of them another slug",
    )
