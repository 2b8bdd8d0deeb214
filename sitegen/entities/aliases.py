"""One name per person: within an article, and across the whole archive. Pure functions.

Within an article (`resolve_in_article`): "Trump", "Mr Trump" and "President Donald
Trump" are one person, shown under the longest full name; a bare surname never creates a
person when someone of that surname is named in full.

Across the archive (`canonicalize_archive`): spellings of one name merge ("Yury/Yuri
Ushakov", "Zelensky/Zelenskyy", "Sergey/Sergei"): names are compared after unidecode,
case folding and transliteration folds, then surnames that differ by a letter or two
(rapidfuzz) when the given names agree. People who only share a surname stay apart
("Ivanka Trump", "Donald Trump Jr."). A name that is the tail of longer names ("Trump",
"Huckabee Sanders") joins the longer one only when that one is unambiguous: the only
candidate, or one holding 80% of the candidates' articles.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from unidecode import unidecode

from sitegen.entities.lexicon import words as _words

if TYPE_CHECKING:
    from sitegen.entities.overrides import PeopleOverrides

#: Given names under a royal title are matched by the given name: "Prince Mohammed".
ROYAL = _words("king queen prince princess pope emperor empress sultan emir saint")
DOMINANT_SHARE = 0.8
SURNAME_SIMILARITY = 90  # rapidfuzz ratio, 0-100
SURNAME_MIN_LENGTH = 5

#: Given names spelled many ways in English news, as they look after the folds above
#: (doubled letters already single: "Mohammed" -> "mohamed").
GIVEN_NAME_FAMILIES = {
    spelling: family
    for family, spellings in {
        "muhamad": "mohamed mohamad muhamed mohamet",
        "yusuf": "yousef yusef yousuf",
        "husain": "husein hosein",
        "ahmad": "ahmed",
        "abdulah": "abdalah abdula",
    }.items()
    for spelling in spellings.split()
}
_INITIAL = re.compile(r"^(?:[a-z]\.)+$|^[a-z]$")
_ENDING = re.compile(r"(?:yy|ei|ey|ej|ii|iy|yi|ij|y|i)$")
_DOUBLE = re.compile(r"(.)\1+")


# -- within one article -------------------------------------------------------------------


@dataclass
class Mention:
    """One place a name (or part of one) occurs; `accepted` when a cue made it a person."""

    words: tuple[str, ...]
    span: tuple[int, int]
    accepted: bool


@dataclass
class ArticlePerson:
    name: str
    count: int
    first: int
    forms: Counter = field(default_factory=Counter)


def _key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(unidecode(w).casefold().replace("’", "'") for w in words)


def _without_initials(key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in key if not _INITIAL.match(w))


def resolve_in_article(mentions: Sequence[Mention]) -> list[ArticlePerson]:
    """Accepted mentions -> people, each under its longest full name, most mentioned first."""
    groups: dict[tuple[str, ...], ArticlePerson] = {}
    singles: dict[tuple[str, ...], ArticlePerson] = {}

    for m in mentions:
        if not m.accepted:
            continue
        key = _key(m.words)
        target = groups if len(key) > 1 else singles
        person = target.get(key)
        if person is None:
            person = target[key] = ArticlePerson(" ".join(m.words), 0, m.span[0])
        person.count += 1
        person.forms[m.words] += 1
        person.first = min(person.first, m.span[0])

    # "Donald J. Trump" and "Donald Trump"; then "Huckabee Sanders" into the longer name.
    buckets: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for key in groups:
        buckets.setdefault(_without_initials(key), []).append(key)
    for keys in buckets.values():
        if len(keys) > 1:
            best = max(keys, key=lambda k: (len(k), groups[k].count))
            for key in keys:
                if key != best:
                    _fold_into(groups, key, best)
    _merge_middle_names(groups)
    longer_with_tail: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for key in groups:
        for k in range(1, len(key)):
            longer_with_tail.setdefault(key[k:], []).append(key)
    for key in sorted(groups, key=len):
        targets = [k for k in longer_with_tail.get(key, ()) if k in groups]
        if key in groups and targets:
            _fold_into(groups, key, max(targets, key=lambda k: (len(k), groups[k].count)))
    # "Prince Mohammed" -> "Mohammed bin Salman"
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in groups:
        by_first.setdefault(key[0], []).append(key)
    for key in list(groups):
        if len(key) == 2 and key[0] in ROYAL:
            targets = [k for k in by_first.get(key[1], ()) if k in groups and k != key]
            if targets:
                _fold_into(groups, key, max(targets, key=lambda k: groups[k].count))

    tails: dict[tuple[str, ...], ArticlePerson] = {}
    for gkey, person in groups.items():
        for k in range(1, len(gkey)):
            best = tails.get(gkey[k:])
            if best is None or person.count > best.count:
                tails[gkey[k:]] = person
    first_words = {gkey[0] for gkey in groups}

    for key, person in list(singles.items()):
        best = tails.get(key)
        if best is not None:
            best.count += person.count
            best.first = min(best.first, person.first)
            del singles[key]
        elif key[0] in first_words:
            del singles[key]  # "Ms Kim" beside "Kim Yo Jong": not someone new

    for m in mentions:
        if m.accepted:
            continue
        key = _key(m.words)
        if len(key) == 1 and key in singles:
            singles[key].count += 1
        elif key not in groups and key in tails:
            tails[key].count += 1
            tails[key].first = min(tails[key].first, m.span[0])

    people = list(groups.values()) + list(singles.values())
    for person in people:
        person.name = " ".join(_display_form(person.forms))
    people.sort(key=lambda p: (-p.count, p.first))
    return people


def _merge_middle_names(groups: dict[tuple[str, ...], ArticlePerson]) -> None:
    """ "Arthur Waite" into "Arthur Edward Waite"; "Patrick W. Carlineo" and "Patrick
    Carlineo Jr." as one person, unless the plain "Patrick Carlineo" is also there (then the
    suffix may mark a son: "Donald Trump" and "Donald Trump Jr.")."""
    by_ends: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for key in groups:
        core = _without_suffix(key)
        if len(core) >= 2:
            by_ends.setdefault((core[0], core[-1]), []).append(key)
    for keys in by_ends.values():
        if len(keys) < 2:
            continue
        longest = max(keys, key=lambda k: (len(_without_initials(_without_suffix(k))), len(k)))
        middles = _without_initials(_without_suffix(longest))[1:-1]
        suffixes = {k[-1] for k in keys if k[-1] in _SUFFIX_KEYS}
        plain = any(len(k) == 2 for k in keys)
        if len(suffixes) > 1 or (suffixes and plain):
            continue
        for key in keys:
            middle = _without_initials(_without_suffix(key))[1:-1]
            if key != longest and key in groups and _is_subsequence(middle, middles):
                one_suffixed = (key[-1] in _SUFFIX_KEYS) != (longest[-1] in _SUFFIX_KEYS)
                if one_suffixed and set(_initials(key)) & set(_initials(longest)):
                    continue  # "Donald J. Trump" and "Donald J. Trump Jr.": father and son
                target = longest if longest in groups else None
                if target is not None:
                    _fold_into(groups, key, target)


_SUFFIX_KEYS = frozenset(["jr.", "jr", "sr.", "sr", "ii", "iii", "iv"])


def _without_suffix(key: tuple[str, ...]) -> tuple[str, ...]:
    return key[:-1] if key and key[-1] in _SUFFIX_KEYS else key


def _initials(key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in key if _INITIAL.match(w))


def _is_subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return all(word in it for word in short)


def _fold_into(
    groups: dict[tuple[str, ...], ArticlePerson], key: tuple[str, ...], into_key: tuple[str, ...]
) -> None:
    into, person = groups[into_key], groups.pop(key)
    into.count += person.count
    into.first = min(into.first, person.first)
    into.forms.update(person.forms)


def _display_form(forms: Counter) -> tuple[str, ...]:
    """The longest full form; among equals, the most used, then the first seen."""
    order = {form: i for i, form in enumerate(forms)}
    return max(forms, key=lambda f: (len(_without_initials(_key(f))), len(f), forms[f], -order[f]))


# -- across the archive -------------------------------------------------------------------


@functools.lru_cache(maxsize=65_536)
def spelling_key(name: str) -> str:
    """A name with transliteration noise folded away: "Zelenskyy" ~ "Zelensky" ~ "Zelenskiy".

    Remembered: a build folds every mention of every name, and names recur."""
    words = unidecode(name).casefold().replace("-", " ").split()
    out = []
    for word in words:
        word = re.sub(r"[^\w]", "", word)
        if not word:
            continue
        word = word.replace("kh", "h").replace("ks", "x")
        if word.startswith("ye") and len(word) > 4:
            word = word[1:]  # Yevgeny / Evgeny, Yelena / Elena
        word = re.sub(r"ander$", "andr", word)  # Alexander / Aleksandr
        word = re.sub(r"iya$", "ia", word)  # Yuliya / Yulia
        word = _DOUBLE.sub(r"\1", word)
        if len(word) > 3:
            word = _ENDING.sub("i", word)
        word = GIVEN_NAME_FAMILIES.get(word, word)
        out.append(word)
    return " ".join(out)


@dataclass
class ArchivePeople:
    """Where every spelling seen in the archive goes, and what each canonical name absorbed."""

    canonical: dict[str, str]  # any name seen -> its canonical name ("" when not a person)
    aliases: dict[str, list[str]]  # canonical name -> the other names merged into it

    def apply(self, names: Iterable[str]) -> list[str]:
        """An article's people list rewritten to canonical names, once each, order kept."""
        out: list[str] = []
        for name in names:
            target = self.canonical.get(name, name)
            if target and target not in out:
                out.append(target)
        return out


class _Groups:
    """Union-find over names that refuses unions the overrides keep apart."""

    def __init__(self, names: Iterable[str], apart: Sequence[frozenset[str]]) -> None:
        self.parent = {n: n for n in names}
        self.members = {n: {n} for n in self.parent}
        self.apart = apart

    def find(self, name: str) -> str:
        while self.parent[name] != name:
            self.parent[name] = self.parent[self.parent[name]]
            name = self.parent[name]
        return name

    def union(self, a: str, b: str, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force:
            left = {spelling_key(n) for n in self.members[ra]}
            right = {spelling_key(n) for n in self.members[rb]}
            for pair in self.apart:
                if left & pair and right & pair and not (left & right & pair):
                    return False
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        return True


def canonicalize_archive(
    people_lists: Sequence[Sequence[str]], overrides: PeopleOverrides | None = None
) -> ArchivePeople:
    """Per-article people lists (oldest article first) -> one canonical name per person.

    The canonical spelling is the one most articles use; on a tie the newest wins, since
    spellings settle over time ("Zelenskyy"). Overrides come first (aliases, not-people),
    forced merges last; names kept apart are never merged automatically.
    """
    from rapidfuzz import fuzz

    articles: Counter[str] = Counter()
    newest: dict[str, int] = {}
    for index, names in enumerate(people_lists):
        for name in dict.fromkeys(names):
            articles[name] += 1
            newest[name] = index

    canonical: dict[str, str] = {}
    alias_of: dict[str, str] = {}
    never: frozenset[str] = frozenset()
    apart: list[frozenset[str]] = []
    merges: list[list[str]] = []
    if overrides is not None:
        alias_of = {spelling_key(k): v for k, v in overrides.aliases.items()}
        never = frozenset(spelling_key(n) for n in overrides.not_people)
        apart = [frozenset(spelling_key(n) for n in group) for group in overrides.keep_apart]
        merges = [list(group) for group in overrides.merges]

    live: list[str] = []
    for name in list(articles):  # an alias may add its target, a name no article has
        key = spelling_key(name)
        if key in never or not key:
            canonical[name] = ""
            continue
        target = alias_of.get(key)
        if target is not None and target != name:
            canonical[name] = target
            articles[target] += articles[name]
            newest[target] = max(newest.get(target, -1), newest[name])
            continue
        live.append(name)
    for target in set(canonical.values()) - {""}:
        if target not in live:
            live.append(target)

    groups = _Groups(live, apart)
    by_key: dict[str, str] = {}
    for name in live:
        key = spelling_key(name)
        if key in by_key:
            groups.union(by_key[key], name)
        else:
            by_key[key] = name

    # close surnames when every other word agrees: "Ghebreyesus" / "Ghebreyesous"
    by_given: dict[tuple[str, ...], list[str]] = {}
    for key, name in by_key.items():
        words = key.split()
        if len(words) >= 2 and len(words[-1]) >= SURNAME_MIN_LENGTH:
            by_given.setdefault(tuple(words[:-1]), []).append(name)
    for names in by_given.values():
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                sa, sb = spelling_key(a).split()[-1], spelling_key(b).split()[-1]
                if sa[0] == sb[0] and fuzz.ratio(sa, sb) >= SURNAME_SIMILARITY:
                    groups.union(a, b)

    # tails join a longer name when it is unambiguous: "Trump", "Huckabee Sanders"
    def group_articles(root: str) -> int:
        return sum(articles[n] for n in groups.members[root])

    full_roots = {groups.find(n) for n in live if len(spelling_key(n).split()) > 1}
    tails: dict[str, set[str]] = {}
    for root in full_roots:
        for member in groups.members[root]:
            words = spelling_key(member).split()
            for k in range(1, len(words)):
                tails.setdefault(" ".join(words[k:]), set()).add(root)
    for name in sorted(live, key=lambda n: len(spelling_key(n).split())):
        key = spelling_key(name)
        candidates = {groups.find(r) for r in tails.get(key, ())} - {groups.find(name)}
        if not candidates:
            continue
        ranked = sorted(candidates, key=group_articles, reverse=True)
        total = sum(group_articles(r) for r in ranked)
        if len(ranked) == 1 or group_articles(ranked[0]) >= DOMINANT_SHARE * total:
            groups.union(ranked[0], name)

    for group in merges:
        present = [n for n in group if n in groups.parent]
        for name in present[1:]:
            groups.union(present[0], name, force=True)

    forced_display = {groups.find(g[0]): g[0] for g in merges if g and g[0] in groups.parent}
    aliases: dict[str, list[str]] = {}
    for root, members in groups.members.items():
        display = forced_display.get(root) or max(
            members,
            key=lambda n: (len(spelling_key(n).split()), articles[n], newest.get(n, -1), n),
        )
        for member in members:
            canonical[member] = display
        others = sorted(m for m in members if m != display)
        aliases[display] = others
    for name, target in list(canonical.items()):
        if target and target in groups.parent:
            canonical[name] = canonical.get(target, target) or target
    for name, target in canonical.items():
        if target and name != target and name not in aliases.get(target, []):
            aliases.setdefault(target, []).append(name)
    return ArchivePeople(canonical, {k: sorted(set(v)) for k, v in aliases.items()})
