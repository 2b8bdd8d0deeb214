"""The file-level driver of `sitegen import`: walk inputs, clean each document, write it.

For each document a raw file holds (readers.py), in order:

1. Its raw checksum already imported? Then nothing changes ("unchanged"), unless --force
   asks to clean it again into the same file.
2. Clean (clean.py), find title/source/date/authors (metadata.py), annotate (annotate.py).
3. A near-duplicate of an article already in the archive (dedupe.py, index.py)? Then the
   archive keeps that article and records this copy's source, url and raw checksum in
   its `duplicates` list ("duplicate"); nothing is silently dropped.
4. Otherwise write content/<yyyy>/<mm>/<slug>.md (content/undated/<slug>.md without a
   date), atomically, through sitegen.content.format_article ("written").

Every file the importer writes carries `generated_sha256`, a checksum of the file as
written. A file that no longer matches it was edited by hand and is never overwritten
without --force ("kept_edit"). Inputs stream one at a time, so memory does not grow with
the number of files; errors come back as reports with a Problem, never as exceptions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.config import Config
from sitegen.content import format_article, split_front_matter
from sitegen.files import SyncLater, read_content_file
from sitegen.ingest.annotate import ArticleFields, annotate
from sitegen.ingest.clean import MIN_ARTICLE_WORDS, Cleaned, clean_lines
from sitegen.ingest.dedupe import Signature, signature
from sitegen.ingest.index import RAW_PREFIX, ImportIndex
from sitegen.ingest.metadata import Metadata, find_metadata
from sitegen.ingest.readers import SUPPORTED_SUFFIXES, RawDocument, read_file
from sitegen.ingest.remote import RemoteFile, expand_url, is_url, join_url, walk_url
from sitegen.model import Problem, ProblemError, unexpected_problem
from sitegen.urls import content_file

STAMP_KEY = "generated_sha256"
_STAMP_LINE = re.compile(rf"^{STAMP_KEY}:[^\n]*\n", re.M)
_STAMP_VALUE = re.compile(rf"^{STAMP_KEY}: *['\"]?([0-9a-f]{{64}})['\"]?[ \t]*$", re.M)

#: Statuses a FileReport can have; only "skipped" is an error.
STATUSES = ("written", "updated", "unchanged", "duplicate", "kept_edit", "skipped", "ignored")

Progress = Callable[[str, int, int], None]


@dataclass
class ImportOptions:
    force: bool = False
    dry_run: bool = False
    reference_time: dt.datetime | None = None  # for relative dates ("a day ago")
    use_file_time: bool = False  # use each raw file's modification time as the reference


@dataclass
class FileReport:
    """What happened to one input document (one file, or one record of a JSON file)."""

    input: str
    status: str
    output: str | None = None  # "content/2025/08/slug.md"
    title: str | None = None
    title_derived: bool = False
    source: str | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    found: dict[str, str] = field(default_factory=dict)  # metadata field -> where it came from
    kept_lines: int = 0
    dropped_lines: int = 0
    words: int = 0
    message: str = ""
    problem: Problem | None = None

    @property
    def is_error(self) -> bool:
        return self.status == "skipped"

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "problem"}
        if self.problem is not None:
            data["line"] = self.problem.line
        return data


# --- hand-edit detection ---------------------------------------------------------------


def _digest(text: str) -> str:
    return hashlib.sha256(_STAMP_LINE.sub("", text, count=1).encode("utf-8")).hexdigest()


def stamp(text: str) -> str:
    """Add the generated_sha256 line as the last front matter key: a checksum of the text
    without that line, so any later edit, to front matter or body, shows."""
    text = _STAMP_LINE.sub("", text, count=1)
    end = text.index("\n---\n", 3) + 1
    return f"{text[:end]}{STAMP_KEY}: {_digest(text)}\n{text[end:]}"


def is_hand_edited(text: str) -> bool:
    """True when a content file differs from what the importer wrote (or has no stamp)."""
    match = _STAMP_VALUE.search(text)
    return match is None or _digest(text) != match.group(1)


# --- Markdown body ---------------------------------------------------------------------

_INLINE_MARKUP = re.compile(r"([\\`*\[\]<>])")
_LOOSE_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^([#>+\-=|~]|\d{1,9}(?=[.)]))")


def escape_markdown(text: str) -> str:
    """Plain text -> Markdown that renders as exactly that text: no markup, no raw HTML."""
    text = _INLINE_MARKUP.sub(r"\\\1", text)
    text = _LOOSE_UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub(r"\\&", text)
    match = _BLOCK_START.match(text)
    if match:
        if match.group(1)[0].isdigit():  # "1996. That year" is not an ordered list
            end = match.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = "\\" + text
    return text


def markdown_body(paragraphs: Iterable[str]) -> str:
    return "\n\n".join(escape_markdown(" ".join(p.split())) for p in paragraphs if p.strip())


# --- files -----------------------------------------------------------------------------


#: one input file: a local path, or a file behind an fsspec URL (remote.py)
InputFile = Path | RemoteFile


def find_inputs(paths: Iterable[Path | str]) -> Iterator[InputFile | FileReport]:
    """Files to import, in a stable order; folders are searched recursively.

    Hidden files and folders are passed over; files of other types inside a folder are
    reported as "ignored", a missing path or an unsupported file named outright as an error.
    A str that is_url is listed through fsspec by the same rules; other strs are paths.
    """
    for path in paths:
        if isinstance(path, str):
            if is_url(path):
                yield from _url_inputs(path)
                continue
            path = Path(path)
        if path.is_dir():
            yield from _folder_files(os.walk(path), lambda root, name: Path(root) / name)
        elif path.is_file():
            yield path
        else:
            problem = Problem(display_path(path), "no such file or folder")
            yield FileReport(
                display_path(path), "skipped", message=problem.message, problem=problem
            )


def _folder_files(
    walk: Iterable[tuple[str, list[str], list[str]]], join: Callable[[str, str], InputFile]
) -> Iterator[InputFile | FileReport]:
    """The files of a walk (os.walk's shape) to import, and the others as "ignored"."""
    for root, dirs, files in walk:
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            file = join(root, name)
            if file.suffix.lower() in SUPPORTED_SUFFIXES:
                yield file
            else:
                yield FileReport(input_name(file), "ignored", message="not a supported type")


def _url_inputs(url: str) -> Iterator[InputFile | FileReport]:
    """find_inputs for one URL: a problem naming it when it cannot be listed."""
    try:
        for found, is_folder in expand_url(url):
            if is_folder:
                files = _folder_files(
                    walk_url(found), lambda root, n: RemoteFile(join_url(root, n))
                )
                yield from files
            else:
                yield RemoteFile(found)
    except ProblemError as exc:
        yield FileReport(url, "skipped", message=exc.problem.message, problem=exc.problem)
    except Exception as exc:  # a store's own errors (network, permissions) name the URL
        problem = Problem(url, f"cannot list: {exc or type(exc).__name__}")
        yield FileReport(url, "skipped", message=problem.message, problem=problem)


def input_name(file: InputFile) -> str:
    """How reports name an input file: its path, or its URL."""
    return file.url if isinstance(file, RemoteFile) else display_path(file)


# --- one document ----------------------------------------------------------------------


@dataclass
class ImportRun:
    config: Config
    options: ImportOptions
    index: ImportIndex
    entity_settings: Any = None  # sitegen.entities EntitySettings, read once per run
    #: content files written since the last checkpoint, fsynced together (files.SyncLater)
    written: SyncLater = field(default_factory=SyncLater)

    def content_rel(self, rel: str) -> str:
        return f"content/{rel}"

    def read_text(self, rel: str) -> str:
        """A content file's text, read as the build reads it (raises ProblemError)."""
        return read_content_file(self.config.content_dir, rel, rel).text

    def write(self, rel: str, text: str, known: tuple[str, Signature] | None = None) -> None:
        """Write a content file (not in a dry run) and index it; `known` saves re-hashing."""
        if self.options.dry_run:
            return
        self.written.write(self.config.content_dir / rel, text)  # fsynced at checkpoint()
        self.index.note_written(rel, known)

    def checkpoint(self) -> None:
        """Make the files written so far durable, then record them in the index."""
        self.written.sync()
        self.index.db.commit()


def _date_text(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _skipped(doc_path: str, message: str, line: int | None = None) -> FileReport:
    problem = Problem(doc_path, message, line)
    return FileReport(doc_path, "skipped", message=message, problem=problem)


def article_front(
    fields: ArticleFields, doc: RawDocument, duplicates: list[dict[str, Any]] | None
) -> dict[str, Any]:
    front: dict[str, Any] = {"title": fields.title}
    if fields.title_derived:
        front["title_derived"] = True
    if fields.date is not None:
        front["date"] = fields.date
    if fields.source:
        front["source"] = fields.source
    if fields.authors:
        front["authors"] = list(fields.authors)
    if fields.url:
        front["url"] = fields.url
    front["people"] = list(fields.people)
    front["topics"] = list(fields.topics)
    # What extraction found, kept apart so `sitegen extract` can tell a hand correction
    # of people/topics from its own earlier output.
    front["people_auto"] = list(fields.people)
    front["topics_auto"] = list(fields.topics)
    front["imported_from"] = doc.name
    front["raw_sha256"] = doc.sha256
    if duplicates:
        front["duplicates"] = duplicates
    return front


def article_text(front: dict[str, Any], body: str) -> str:
    """The content file: front matter (stamp last) and the Markdown body."""
    return stamp(format_article({k: v for k, v in front.items() if k != STAMP_KEY}, body))


def choose_path(fields: ArticleFields, run: ImportRun) -> str:
    """content-relative path for a new article: <yyyy>/<mm>/<slug>.md, or undated/."""
    rel = first = content_file(fields.date, fields.title)
    number = 2
    while run.index.path_taken(rel):
        rel, number = f"{first.removesuffix('.md')}-{number}.md", number + 1
    return rel


def _copy_entry(doc: RawDocument, meta: Metadata) -> dict[str, Any]:
    entry = {
        "title": meta.title,
        "source": meta.source,
        "url": meta.url,
        "date": _date_text(meta.date),
        "imported_from": doc.name,
        "raw_sha256": doc.sha256,
    }
    return {k: v for k, v in entry.items() if v is not None}


def record_duplicate(
    doc: RawDocument, meta: Metadata, rel: str, similarity: float, run: ImportRun, base: FileReport
) -> FileReport:
    """Keep the archived article; add this copy's source, url and checksum to it."""
    base.status, base.output = "duplicate", run.content_rel(rel)
    where = f"{similarity:.0%} similar to {run.content_rel(rel)}"
    if rel in run.index.planned:  # dry run: the kept article exists only on paper
        run.index.note_duplicate(rel, doc.sha256)
        base.message = f"near-duplicate ({where}); would be recorded there"
        return base
    try:
        text = run.read_text(rel)
        front, body, _ = split_front_matter(rel, text)
    except ProblemError as exc:
        base.message = f"near-duplicate ({where}), which cannot be read: {exc}"
        return base
    if is_hand_edited(text) and not run.options.force:
        base.status = "kept_edit"
        base.message = (
            f"near-duplicate ({where}); that article was edited by hand, so this copy was "
            "not recorded in it (use --force)"
        )
        return base
    copies = front.get("duplicates") if isinstance(front.get("duplicates"), list) else []
    copies = [c for c in copies if not (isinstance(c, dict) and c.get("raw_sha256") == doc.sha256)]
    front["duplicates"] = [*copies, _copy_entry(doc, meta)]
    run.write(rel, article_text(front, body))
    run.index.note_duplicate(rel, doc.sha256)
    base.message = f"near-duplicate ({where}); recorded there"
    return base


def _report(
    doc: RawDocument, cleaned: Cleaned, fields: ArticleFields, meta: Metadata
) -> FileReport:
    return FileReport(
        doc.path,
        "written",
        title=fields.title,
        title_derived=fields.title_derived,
        source=fields.source,
        date=_date_text(fields.date),
        authors=list(fields.authors),
        found=dict(meta.how),
        kept_lines=cleaned.kept_lines,
        dropped_lines=cleaned.dropped_lines,
        words=cleaned.words,
    )


@dataclass
class Prepared:
    """A document cleaned, its metadata found and its people and topics named: the work
    that needs nothing of the archive, so a cluster's worker can do it (sitegen.cluster)."""

    cleaned: Cleaned
    meta: Metadata
    fields: ArticleFields


def prepare_document(
    doc: RawDocument, options: ImportOptions, entity_settings: Any
) -> Prepared | FileReport:
    """Clean, find the metadata, annotate; a "skipped" report when no article is found."""
    cleaned = clean_lines(doc.lines, doc.title, extracted=doc.kind != "text")
    if cleaned.words < MIN_ARTICLE_WORDS or not cleaned.paragraphs:
        lines = sum(1 for line in doc.lines if line)
        return _skipped(
            doc.path,
            f"no article text found ({lines} lines; {cleaned.words} words read as article prose)",
        )
    reference = options.reference_time
    if options.use_file_time and doc.file_time is not None:
        reference = dt.datetime.fromtimestamp(doc.file_time)
    meta = find_metadata(
        cleaned,
        lines=doc.lines,
        given_title=doc.title,
        given_source=doc.source,
        given_date=doc.date,
        given_url=doc.url,
        given_authors=doc.authors,
        reference=reference,
    )
    fields = annotate(
        ArticleFields(
            title=meta.title,
            paragraphs=list(cleaned.paragraphs),
            title_derived=meta.title_derived,
            date=meta.date,
            source=meta.source,
            url=meta.url,
            authors=list(meta.authors),
        ),
        entity_settings,
    )
    return Prepared(cleaned, meta, fields)


def import_document(
    doc: RawDocument, run: ImportRun, prepared: Prepared | FileReport | None = None
) -> FileReport:
    """Place one document in the archive: unchanged, a copy of one already there, or a
    new or rewritten content file. `prepared` when a worker prepared it already."""
    holder = run.index.holder_of_raw(doc.sha256)
    if holder and (holder[1] == "duplicate" or not run.options.force):
        return already_imported(doc, holder[0], holder[1], run)
    if prepared is None:
        prepared = prepare_document(doc, run.options, run.entity_settings)
    if isinstance(prepared, FileReport):
        return prepared
    cleaned, meta, fields = prepared.cleaned, prepared.meta, prepared.fields
    report = _report(doc, cleaned, fields, meta)
    body = markdown_body(fields.paragraphs)
    sig = signature("\n".join(fields.paragraphs))
    if holder:  # --force: clean again into the same file, keeping its recorded copies
        return rewrite_forced(doc, fields, body, holder[0], run, report)
    duplicate = run.index.find_duplicate(sig)
    if duplicate:
        return record_duplicate(doc, meta, duplicate[0], duplicate[1], run, report)
    rel = choose_path(fields, run)
    run.write(rel, article_text(article_front(fields, doc, None), body), (doc.sha256, sig))
    if run.options.dry_run:
        run.index.note_planned(rel, doc.sha256, sig)
    report.output = run.content_rel(rel)
    return report


def already_imported(doc: RawDocument, rel: str, role: str, run: ImportRun) -> FileReport:
    output = run.content_rel(rel)
    if role == "duplicate":
        message = f"imported before as a copy recorded in {output} (same raw checksum)"
        return FileReport(doc.path, "unchanged", output=output, message=message)
    try:
        edited = rel not in run.index.planned and is_hand_edited(run.read_text(rel))
    except ProblemError:
        edited = False
    if edited:
        message = (
            f"imported before as {output}, since edited by hand: left as it is (--force overwrites)"
        )
        return FileReport(doc.path, "kept_edit", output=output, message=message)
    message = f"imported before as {output} (same raw checksum)"
    return FileReport(doc.path, "unchanged", output=output, message=message)


def rewrite_forced(
    doc: RawDocument, fields: ArticleFields, body: str, rel: str, run: ImportRun, report: FileReport
) -> FileReport:
    copies = None
    try:
        old_text = run.read_text(rel)
        old_front, _, _ = split_front_matter(rel, old_text)
        if isinstance(old_front.get("duplicates"), list):
            copies = old_front["duplicates"]
    except ProblemError:
        old_text = ""
    text = article_text(article_front(fields, doc, copies), body)
    report.output = run.content_rel(rel)
    if text == old_text:
        report.status, report.message = "unchanged", "cleaned again: same result"
        return report
    run.write(rel, text)
    report.status = "updated"
    edited = old_text and is_hand_edited(old_text)
    report.message = "cleaned again (--force)" + ("; hand edits overwritten" if edited else "")
    return report


def import_file(file: InputFile, run: ImportRun) -> Iterator[FileReport]:
    """Reports for every document in one raw file; nothing raised here stops the run.

    One bad input must never cost the others (nor the archive-wide pass after them), so
    a failure no check foresaw becomes that file's "skipped" report, naming the exception.
    """
    name = input_name(file)
    try:
        for doc in read_file(file, name):
            if isinstance(doc, Problem):
                yield FileReport(doc.path, "skipped", message=doc.message, problem=doc)
            else:
                yield guarded_import(doc, run)
    except Exception as exc:  # the reader itself failed: the file's remaining records are lost
        yield _failed(name, exc)


def guarded_import(
    doc: RawDocument, run: ImportRun, prepared: Prepared | FileReport | None = None
) -> FileReport:
    try:
        return import_document(doc, run, prepared)
    except OSError as exc:
        return _skipped(doc.path, f"cannot write: {exc.strerror or exc}")
    except Exception as exc:
        return _failed(doc.path, exc)


def _failed(where: str, exc: Exception) -> FileReport:
    problem = unexpected_problem(where, exc)
    return FileReport(where, "skipped", message=problem.message, problem=problem)


#: what a worker returns for one input: its documents, each prepared, or why not
PreparedFile = list["Problem | FileReport | tuple[RawDocument, Prepared | FileReport | None]"]


def prepare_files(
    inputs: list[InputFile | FileReport],
    known: frozenset[str],
    cwd: str,
    options: ImportOptions,
    entity_settings: Any,
) -> list[PreparedFile]:
    """On a cluster's worker: read and prepare each input file (relative paths are the
    client's, from `cwd`; a URL the worker opens itself through fsspec); the documents
    come back without their raw lines. A document whose raw checksum starts as one in
    `known` (ImportIndex.raw_prefixes) is imported already: it comes back unprepared,
    for the client's index to say so."""
    prepared: list[PreparedFile] = []
    for item in inputs:
        if isinstance(item, FileReport):
            prepared.append([item])
            continue
        name, found = input_name(item), []
        file = item if isinstance(item, RemoteFile) else Path(cwd) / item
        try:
            for doc in read_file(file, name):
                if isinstance(doc, Problem):
                    found.append(doc)
                    continue
                if doc.sha256[:RAW_PREFIX] in known:
                    found.append((doc, None))
                    continue
                try:
                    done: Prepared | FileReport = prepare_document(doc, options, entity_settings)
                except Exception as exc:
                    done = _failed(doc.path, exc)
                found.append((dataclasses.replace(doc, lines=[]), done))
        except Exception as exc:
            found.append(_failed(name, exc))
        prepared.append(found)
    return prepared


def place_prepared(items: PreparedFile, run: ImportRun) -> Iterator[FileReport]:
    """The client's half of a prepared file: each document placed in the archive in
    input order, exactly as import_file would place it."""
    for item in items:
        if isinstance(item, Problem):
            yield FileReport(item.path, "skipped", message=item.message, problem=item)
        elif isinstance(item, FileReport):
            yield item
        else:
            yield guarded_import(item[0], run, item[1])


def display_path(path: Path) -> str:
    """A path as text that can always be printed and stored: bytes that are not UTF-8 in a
    file name (os.fsdecode's surrogates) are shown as U+FFFD instead of breaking output."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = os.fsencode(path).decode("utf-8", "replace")
    return text


def import_paths(
    paths: Iterable[Path | str],
    config: Config,
    options: ImportOptions,
    progress: Progress | None = None,
    cluster: Any = None,
) -> Iterator[FileReport]:
    """Import every document under paths (a str may be an fsspec URL, see find_inputs)
    into config's content/, one report each. With a `cluster` (sitegen.cluster), workers
    read and prepare the files, chunk by chunk, and this process places them in input
    order: the same content files either way."""
    inputs = list(find_inputs(paths))
    total = len(inputs)
    index = ImportIndex.open(config.content_dir, config.cache_dir, dry_run=options.dry_run)
    from sitegen.entities.extract import EntitySettings

    run = ImportRun(config, options, index, EntitySettings.from_config(config))
    try:
        if cluster is not None:
            files: Iterator[Iterator[FileReport]] = _on_cluster(cluster, inputs, run, progress)
        else:
            files = _here(inputs, run, progress)
        for done, reports in enumerate(files):
            yield from reports
            if not options.dry_run and done % 200 == 199:
                run.checkpoint()
        if progress:
            progress("Importing", total, total)
    finally:
        run.written.sync()
        index.close()


def _here(
    inputs: list[InputFile | FileReport], run: ImportRun, progress: Progress | None
) -> Iterator[Iterator[FileReport]]:
    for done, item in enumerate(inputs):
        if progress:
            progress("Importing", done, len(inputs))
        yield iter([item]) if isinstance(item, FileReport) else import_file(item, run)


#: raw files a cluster task reads and prepares: enough to outweigh a task's overhead
CLUSTER_CHUNK_FILES = 25


def _on_cluster(
    cluster: Any, inputs: list[InputFile | FileReport], run: ImportRun, progress: Progress | None
) -> Iterator[Iterator[FileReport]]:
    from sitegen.cluster import ordered_chunks

    task = functools.partial(
        prepare_files, cwd=os.getcwd(), options=run.options, entity_settings=run.entity_settings
    )
    known = frozenset() if run.options.force else run.index.raw_prefixes()
    done = ordered_chunks(
        cluster,
        task,
        inputs,
        shared=(cluster.client.scatter([known], broadcast=True)[0],),  # one future: the set
        chunk_size=CLUSTER_CHUNK_FILES,
        progress=(lambda n: progress("Importing", n, len(inputs))) if progress else None,
    )
    for chunk in done:
        for prepared in chunk:
            yield place_prepared(prepared, run)
