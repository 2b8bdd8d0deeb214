"""`sitegen extract`: re-extract people and topics for articles already in content/.

Hand edits survive. What was extracted is recorded under `people_auto:` and
`topics_auto:`; `people:` (and `topics:`) is replaced only while it still equals the
previous auto list, or is missing, unless `force`. Only those four keys change: every
other line of the front matter and the whole body stay byte for byte, and each file is
written through a temporary file and a rename, so a crash never leaves half a file.

`update_front_matter` is the pure part; `refresh_site` reads and writes the files.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.content import (
    _FENCE,
    dump_front_matter,
    load_front_matter_yaml,
    parse_date,
    split_front_matter,
)
from sitegen.entities.extract import EntitySettings, analyse_article, canonicalize_archive
from sitegen.entities.topics import TopicStats, rank_topics
from sitegen.files import read_content_file, scan_content, write_atomic
from sitegen.model import Problem, ProblemError, unexpected_problem

Progress = Callable[[str, int, int], None]
_TOP_KEY = re.compile(r"^([A-Za-z_][\w\-]*)[ \t]*:(?:[ \t]|$)")


@dataclass
class ExtractReport:
    articles: int = 0
    changed: int = 0
    kept: int = 0  # hand-edited lists left alone
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Doc:
    path: Path
    rel: str
    text: str
    bom: bool
    front: dict[str, Any]
    body: str
    title: str
    date: dt.datetime | None


def _as_list(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [" ".join(str(v).split()) for v in value]
    return None


def _decide(
    front: dict[str, Any], key: str, auto_key: str, new: list[str], force: bool
) -> tuple[bool, bool]:
    """(replace the visible list?, was a hand edit kept?)"""
    current = _as_list(front.get(key))
    previous = _as_list(front.get(auto_key))
    if force or key not in front or current == previous:
        return True, False
    return False, current != new


def in_kept_order(found: list[str], previous: list[str]) -> list[str]:
    """`found` with the names it shares with `previous` first, in their old order.

    Topic ranks move whenever any article is imported (they are weighed against the
    whole archive); re-ordering unchanged names would rewrite articles nobody touched.
    """
    wanted = set(found)
    kept = [name for name in previous if name in wanted]
    return kept + [name for name in found if name not in set(kept)]


def _key_blocks(yaml_text: str) -> list[tuple[str | None, str]]:
    """Top-level `key: ...` blocks of a front matter, each with its continuation lines."""
    blocks: list[tuple[str | None, str]] = []
    for line in yaml_text.splitlines(keepends=True):
        match = _TOP_KEY.match(line)
        if match:
            blocks.append((match.group(1), line))
        elif blocks:
            key, text = blocks[-1]
            blocks[-1] = (key, text + line)
        else:
            blocks.append((None, line))
    return blocks


def _dump(key: str, value: list[str], newline: str) -> str:
    return dump_front_matter({key: value}).replace("\n", newline)


def update_front_matter(
    text: str, people: list[str], topics: list[str], force: bool = False
) -> tuple[str, bool]:
    """A content file's text with fresh people/topics; (new text, whether a hand edit was kept).

    Raises ProblemError (path "") when the text has no readable front matter.
    """
    front, _, _ = split_front_matter("", text)
    match = _FENCE.match(text)
    assert match is not None  # split_front_matter accepted it
    yaml_text = match.group(1)
    newline = "\r\n" if "\r\n" in yaml_text else "\n"
    topics_key = "topics" if "topics" in front or "tags" not in front else "tags"

    updates: dict[str, list[str]] = {}
    kept = False
    for key, auto_key, found in (
        ("people", "people_auto", people),
        (topics_key, "topics_auto", topics),
    ):
        new = in_kept_order(found, _as_list(front.get(auto_key)) or [])
        replace, hand_kept = _decide(front, key, auto_key, new, force)
        kept = kept or hand_kept
        if replace and _as_list(front.get(key)) != new:
            updates[key] = new
        if _as_list(front.get(auto_key)) != new or auto_key not in front:
            updates[auto_key] = new
    if not updates:
        return text, kept

    blocks = _key_blocks(yaml_text)
    if blocks and not blocks[-1][1].endswith(("\n", "\r")):
        key, last = blocks[-1]
        blocks[-1] = (key, last + newline)
    done: set[str] = set()
    out: list[str] = []
    for key, block in blocks:
        if key in updates and key not in done:
            out.append(_dump(key, updates[key], newline))
            done.add(key)
        elif key in updates:
            continue  # a duplicate key: YAML keeps the last, we keep one
        else:
            out.append(block)
    for key, value in updates.items():
        if key not in done:
            out.append(_dump(key, value, newline))
    new_yaml = "".join(out)

    expected = {**front, **updates}
    if load_front_matter_yaml(new_yaml) != expected:
        # unusual YAML (anchors, flow mappings across keys): write the whole mapping anew
        new_yaml = dump_front_matter(expected).replace("\n", newline)
    return text[: match.start(1)] + new_yaml + text[match.end(1) :], kept


def _rel(content_dir: Path, path: Path) -> str:
    """A content path as text that prints (a non-UTF-8 byte in a name shown as U+FFFD)."""
    rel = path.relative_to(content_dir).as_posix()
    return os.fsencode(rel).decode("utf-8", "replace")


def _read(content_dir: Path, path: Path) -> _Doc:
    rel = _rel(content_dir, path)
    content = read_content_file(content_dir, path.relative_to(content_dir).as_posix(), rel)
    text = content.text
    front, body, _ = split_front_matter(rel, text)
    title = front.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ProblemError(Problem(rel, "'title' is missing or empty in the front matter"))
    try:
        date, _ = parse_date(front.get("date"))
    except ValueError:
        date = None
    return _Doc(path, rel, text, content.bom, front, body, title, date)


def _sort_key(doc: _Doc) -> tuple:
    if doc.date is None:
        return (0, 0.0, doc.rel)
    stamp = doc.date if doc.date.tzinfo else doc.date.replace(tzinfo=dt.UTC)
    return (1, stamp.timestamp(), doc.rel)


def is_hand_edited(text: str) -> bool:
    from sitegen.ingest.importer import is_hand_edited as edited

    return edited(text)


def stamp(text: str) -> str:
    from sitegen.ingest.importer import stamp as add_stamp

    return add_stamp(text)


def refresh_site(
    config: Any, force: bool = False, progress: Progress | None = None
) -> ExtractReport:
    """Re-extract every article in content/ and rewrite only the files whose lists change."""
    report = ExtractReport()
    settings, problems = EntitySettings.from_config_checked(config)
    if problems:
        report.problems = problems
        return report
    content_dir: Path = config.content_dir
    docs: list[_Doc] = []
    paths = [content_dir / rel for rel, _, _ in scan_content(content_dir)]  # what the build reads
    for path in paths:
        try:
            docs.append(_read(content_dir, path))
        except ProblemError as exc:
            report.problems.append(exc.problem)
        except Exception as exc:  # one odd file never stops the archive-wide pass
            report.problems.append(unexpected_problem(_rel(content_dir, path), exc))
    docs.sort(key=_sort_key)  # oldest first: newer spellings win ties

    raw: list[list[str]] = []
    candidates = []
    analysed: list[_Doc] = []
    for done, doc in enumerate(docs, 1):
        try:
            found = analyse_article(doc.title, doc.body, settings)
        except Exception as exc:
            report.problems.append(unexpected_problem(doc.rel, exc))
            continue
        analysed.append(doc)
        raw.append(found.people)
        candidates.append(found.candidates)
        if progress:
            progress("extracting", done, len(docs))
    docs = analysed
    report.articles = len(docs)
    archive = canonicalize_archive(raw, settings.overrides)
    stats = TopicStats.from_candidates(candidates)

    for done, (doc, names, counts) in enumerate(zip(docs, raw, candidates, strict=True), 1):
        people = archive.apply(names)
        topics = rank_topics(counts, stats, settings.max_topics, settings.exclude_topics)
        try:
            new_text, kept = update_front_matter(doc.text, people, topics, force)
        except ProblemError as exc:
            report.problems.append(Problem(doc.rel, exc.problem.message, exc.problem.line))
            continue
        except Exception as exc:
            report.problems.append(unexpected_problem(doc.rel, exc))
            continue
        report.kept += kept
        if new_text != doc.text and not is_hand_edited(doc.text):
            new_text = stamp(new_text)  # still as the importer made it, lists aside
        if new_text != doc.text:
            data = new_text.encode("utf-8")
            try:
                write_atomic(doc.path, (b"\xef\xbb\xbf" if doc.bom else b"") + data)
            except OSError as exc:
                report.problems.append(Problem(doc.rel, f"cannot write: {exc.strerror}"))
                continue
            report.changed += 1
        if progress:
            progress("writing", done, len(docs))
    return report
