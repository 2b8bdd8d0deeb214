"""Hand corrections to people: aliases, names that are never people, merges and splits.

They live in sitegen.toml under [people], or in a people.toml beside it (same keys at
its top level, or under [people]); both are read and people.toml wins on conflicts:

    [people]
    aliases = { "Qaddafi" = "Muammar Gaddafi", "Moammar Gadhafi" = "Muammar Gaddafi" }
    not_people = ["Boko Haram", "Grand Jury"]
    merge = [["Mohammed bin Salman", "MBS", "Mohammad bin Salman"]]   # first is the name shown
    keep_apart = [["George Bush", "George W. Bush"]]                  # never merged automatically

The build applies them too (`apply_overrides` on each article's list, and
`aliases.canonicalize_archive(lists, overrides)` across the archive), so fixing a name
here fixes every page without re-importing. Loading is the only I/O here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.entities.aliases import spelling_key
from sitegen.model import Problem

PEOPLE_FILE = "people.toml"


@dataclass(frozen=True)
class PeopleOverrides:
    aliases: dict[str, str] = field(default_factory=dict)  # name as written -> canonical
    not_people: tuple[str, ...] = ()
    merges: tuple[tuple[str, ...], ...] = ()  # first name of each group is the one shown
    keep_apart: tuple[tuple[str, ...], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.aliases or self.not_people or self.merges or self.keep_apart)


def apply_overrides(names: Iterable[str], overrides: PeopleOverrides) -> list[str]:
    """One article's people with aliases and merges applied and non-people dropped."""
    never = {spelling_key(n) for n in overrides.not_people}
    target = {spelling_key(k): v for k, v in overrides.aliases.items()}
    for group in overrides.merges:
        for name in group[1:]:
            target[spelling_key(name)] = group[0]
    out: list[str] = []
    for name in names:
        key = spelling_key(name)
        if key in never:
            continue
        name = target.get(key, name)
        if name not in out:
            out.append(name)
    return out


def parse_overrides(data: Any, where: str) -> tuple[PeopleOverrides, list[Problem]]:
    """A [people] table -> overrides; each bad entry is a Problem naming the key."""
    problems: list[Problem] = []
    if data is None:
        return PeopleOverrides(), problems
    if not isinstance(data, dict):
        return PeopleOverrides(), [Problem(where, "[people] must be a table")]

    def names(value: Any, key: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(Problem(where, f"[people] {key} must be a list of names"))
            return []
        return [" ".join(v.split()) for v in value]

    def groups(value: Any, key: str) -> list[tuple[str, ...]]:
        if not isinstance(value, list):
            problems.append(Problem(where, f"[people] {key} must be a list of lists of names"))
            return []
        out = []
        for item in value:
            group = names(item, key)
            if len(group) >= 2:
                out.append(tuple(group))
            elif group:
                problems.append(Problem(where, f"[people] {key}: {group} needs two names or more"))
        return out

    aliases: dict[str, str] = {}
    raw_aliases = data.get("aliases", {})
    if not isinstance(raw_aliases, dict):
        problems.append(Problem(where, '[people] aliases must be a table: "Alias" = "Name"'))
    else:
        for alias, name in raw_aliases.items():
            if not isinstance(name, str) or not name.strip():
                problems.append(Problem(where, f"[people] aliases: {alias!r} must map to a name"))
                continue
            aliases[" ".join(alias.split())] = " ".join(name.split())
    not_people = names(data.get("not_people", []), "not_people")
    merges = groups(data.get("merge", []), "merge")
    keep_apart = groups(data.get("keep_apart", data.get("split", [])), "keep_apart")
    known = {"aliases", "not_people", "merge", "keep_apart", "split"}
    for key in data:
        if key not in known:
            problems.append(
                Problem(where, f"[people] {key} is not a known option ({', '.join(sorted(known))})")
            )
    overrides = PeopleOverrides(aliases, tuple(not_people), tuple(merges), tuple(keep_apart))
    return overrides, problems


def load_overrides(root: Path, extra: dict[str, Any]) -> tuple[PeopleOverrides, list[Problem]]:
    """Overrides from sitegen.toml's [people] (already parsed) plus root/people.toml if any."""
    base, problems = parse_overrides(extra.get("people"), "sitegen.toml")
    path = root / PEOPLE_FILE
    if not path.is_file():
        return base, problems
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return base, [*problems, Problem(str(path), f"not valid TOML: {exc}")]
    table = data.get("people", data)
    extra_overrides, more = parse_overrides(table, str(path))
    merged = PeopleOverrides(
        aliases={**base.aliases, **extra_overrides.aliases},
        not_people=base.not_people + extra_overrides.not_people,
        merges=base.merges + extra_overrides.merges,
        keep_apart=base.keep_apart + extra_overrides.keep_apart,
    )
    return merged, problems + more
