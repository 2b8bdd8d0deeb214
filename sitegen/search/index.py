"""The Whoosh index in the site's cache folder, kept up to date with content/ incrementally.

The index lives in `.sitegen-cache/search/index` (never inside the output folder, which a
build replaces). A small state file beside it records, per article path, a digest of what
was indexed; a build re-indexes only the articles whose digest changed and deletes the
ones that are gone. If the state file and the index disagree, or the schema changed, the
index is rebuilt from scratch rather than trusted.

One process writes at a time: every update holds the search lock (`index_lock`, a
sitegen.locks.PidLock in `.sitegen-cache/search/index.lock`) from reading the state file
to writing it (and the export), so Whoosh's own write lock, a file it never removes, is
not used. Readers take no lock: Whoosh replaces its table of contents by a rename.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
import pickle
import shutil
import struct
import time
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
from whoosh.index import Index, LockError
from whoosh.searching import Searcher
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from sitegen.config import Config
from sitegen.files import write_atomic
from sitegen.locks import PidLock, held_by, lock_wait
from sitegen.model import Article, Problem, ProblemError
from sitegen.search.analysis import NAME_FIELDS, Analysed, Inverted, analyse, invert
from sitegen.search.schema import (
    SCHEMA_VERSION,
    TEXT_FIELDS,
    make_schema,
    weighting,
)
from sitegen.urls import article_path

STATE_NAME = "state.json"
LOCK_NAME = "index.lock"
#: Whoosh's own lock files, left in the index folder by versions that used them.
WHOOSH_LOCK_FILES = ("MAIN_WRITELOCK", "MAIN_READLOCK")


def _segment_codec() -> W3Codec:
    """Whoosh's codec with zlib level 1 on posting blocks instead of 3: at 5,000 articles
    writing postings took 1.19 ms an article instead of 1.46, for 3 % more bytes
    (36.7 MB, 35.6 MB; no compression: 0.83 ms, 93 MB)."""
    return W3Codec(compression=1)


_KEY_VALUE_LENGTHS = struct.Struct("!ii")  # whoosh.filedb.filetables._lengths

#: A name field's posting value: Whoosh's Frequency format of a frequency of 1.
_FREQUENCY_ONE = pack_uint(1)

#: A cold segment keeps the postings of a title or body word found in at most this many
#: of its articles in the word's term entry (78 % of body words in 5,000 articles have
#: at most 8 postings, 85 % at most 16); longer lists go to posting blocks.
INLINE_POSTINGS = 16

Progress = Callable[[str, int, int], None]


@dataclass
class IndexStats:
    """What one update of the Whoosh index did."""

    documents: int = 0  # in the index after the update
    added: int = 0
    updated: int = 0
    removed: int = 0
    #: made anew: no index yet, an unreadable one, or another schema
    rebuilt: bool = False
    generation: int = -1  # the index generation the update committed
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)


class _Lengths:
    """Field lengths as Whoosh's per-document reader gives them, kept in memory."""

    def __init__(self) -> None:
        self.columns: dict[str, list[int | None]] = {name: [] for name in TEXT_FIELDS}

    def add(self, lengths: dict[str, int]) -> None:
        for name, column in self.columns.items():
            length_byte = length_to_byte(lengths.get(name, 0))
            column.append(byte_to_length(length_byte) if length_byte else None)

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        column = self.columns.get(fieldname)
        return default if column is None else column[docnum]


class AnalysedSegmentWriter(SegmentWriter):
    """A Whoosh segment of analysed articles, written without a lock by a build worker.

    Whoosh's own writer puts every posting through a sorting pool and then through
    per-posting calls into its codec; that is most of its time. Here postings are
    gathered per term as documents arrive and handed to the codec's block writer a
    block at a time. The files are the same bytes Whoosh writes (a test compares them).
    """

    def __init__(self, ix: Index, limitmb: int = 128) -> None:
        super().__init__(ix, _lk=False, limitmb=limitmb, compound=False, codec=_segment_codec())
        self._lengths = _Lengths()
        # field -> term bytes -> (doc numbers, weights, encoded values)
        self._postings: dict[str, dict[bytes, tuple[list, list, list]]] = {}

    def add_bucket(self, items: list[Analysed], inverted: Inverted | None = None) -> None:
        """SegmentWriter.add_document's work for each item, with the text fields'
        postings taken from the bucket's inversion (invert(items)) a term at a time."""
        self._check_state()
        if inverted is None:
            inverted = invert(items)
        schema = self.schema
        perdoc = self.perdocwriter
        base = self.docnum
        for item in items:
            document = item.document()
            docnum = self.docnum
            perdoc.start_doc(docnum)
            for name in sorted(n for n in document if not n.startswith("_")):
                value = document[name]
                field = schema[name]
                length = 0
                if name in inverted:
                    length = item.lengths[name]
                elif name in NAME_FIELDS:
                    # what names_field() indexes, without Whoosh's analysis: each distinct
                    # name once, frequency 1 (KEYWORD, not scorable)
                    terms = self._postings.setdefault(name, {})
                    for key in item.keys(name):
                        btext = key.encode("utf-8")
                        found = terms.get(btext)
                        if found is None:
                            terms[btext] = ([docnum], [1.0], [_FREQUENCY_ONE])
                        else:
                            found[0].append(docnum)
                            found[1].append(1.0)
                            found[2].append(_FREQUENCY_ONE)
                elif field.indexed:
                    terms = self._postings.setdefault(name, {})
                    for btext, freq, weight, vbytes in field.index(value):
                        if field.scorable:
                            length += freq
                        found = terms.get(btext)
                        if found is None:
                            terms[btext] = ([docnum], [weight], [vbytes])
                            continue
                        docs, weights, values = found
                        docs.append(docnum)
                        weights.append(weight)
                        values.append(vbytes)
                stored = document.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))
            perdoc.finish_doc()
            self._lengths.add(item.lengths)
            self.docnum += 1
        for name, terms_of in inverted.items():
            terms = self._postings.setdefault(name, {})
            for term, (local_docs, positions, values) in terms_of.items():
                btext = term.encode("utf-8")
                ids = [base + local for local in local_docs] if base else list(local_docs)
                weights = list(map(float, map(len, positions)))
                found = terms.get(btext)
                if found is None:
                    terms[btext] = (ids, weights, values)
                else:
                    found[0].extend(ids)
                    found[1].extend(weights)
                    found[2].extend(values)
        self._added = bool(items) or self._added

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer = self.fieldwriter
        postfile = writer._postfile
        at = postfile.tell()  # kept here: a tell() is a system call, and there are ~10^5
        for name in sorted(self._postings):
            writer.start_field(name, self.schema[name])
            postings = writer._postwriter
            fixed_size = self.schema[name].format.fixed_value_size()
            lengths = self._lengths.columns.get(name)
            terms = self._postings[name]
            inline = name in TEXT_FIELDS  # every posting carries positions
            prefix = pack_ushort(writer._fieldid)
            table = _TermTable(writer._tindex)
            for btext in sorted(terms):
                ids, weights, values = terms[btext]
                if inline and len(ids) <= INLINE_POSTINGS:
                    info = _inlined_terminfo(ids, weights, values, lengths)
                else:
                    data, info = _posting_blocks(
                        postings, fixed_size, ids, weights, values, lengths, at
                    )
                    postfile.write(data)
                    at += len(data)
                table.add(prefix + btext, info)
            table.close()
            writer.finish_field()
        if postfile.tell() != at:
            raise RuntimeError("the postings file is not where the segment writer counted")
        writer.close()
        self._postings = {}


class _TermTable:
    """Adds entries to Whoosh's term table (an OrderedHashWriter) as its add() does,
    counting the file position instead of asking the file (two tell()s, two system
    calls, per term)."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self.file = table.dbfile
        self.at = self.file.tell()

    def add(self, key: bytes, value: bytes) -> None:
        table = self.table
        if key <= table.lastkey:
            raise ValueError(f"keys must increase: {table.lastkey!r}..{key!r}")
        at = self.at
        table.index.append(at)
        data = _KEY_VALUE_LENGTHS.pack(len(key), len(value)) + key + value
        self.file.write(data)
        self.at = at + len(data)
        h = table.hashfn(key)
        table.buckets[h & 255].append((h, at))
        table.lastkey = key

    def close(self) -> None:
        if self.file.tell() != self.at:
            raise RuntimeError("the term table is not where the segment writer counted")


#: The pickle protocol of posting blocks and inlined postings. Whoosh's writer uses 2,
#: which pickles each bytes value as a call to codecs.encode: for a block of 128 one-
#: position postings protocol 5 is ~7x faster to make and 40 % of the size compressed
#: (712 B against 1,816). Whoosh reads either (2 for byte-for-byte comparisons with its
#: own writer).
PICKLE_PROTOCOL = 5


def _inlined_terminfo(ids: list, weights: list, values: list, lengths) -> bytes:
    """A term's postings kept in its term-table entry instead of a posting block: what
    W3TermInfo(...).set_inlined(...).to_bytes() holds, made without the codec's
    per-block pickles and zlib streams (Whoosh's reader opens such entries with a
    ListMatcher; its own writer cannot make them: finish_postings calls a misspelt
    set_inline)."""
    known = _known_lengths(lengths, ids)
    head = _terminfo_head(True, ids, weights, min(known, default=None), max(known, default=0))
    return head + pickle.dumps((tuple(ids), tuple(weights), tuple(values)), PICKLE_PROTOCOL)


def _known_lengths(lengths: list[int | None] | None, ids: list[int]) -> list[int]:
    """The field lengths of these documents that are known (not zero)."""
    return list(filter(None, map(lengths.__getitem__, ids))) if lengths is not None else []


def _terminfo_head(
    inlined: bool, ids: list, weights: list, min_length: int | None, max_length: int
) -> bytes:
    """W3TermInfo's fixed part: flags, total weight, document frequency, shortest and
    longest field length (as bytes), highest weight, first and last document."""
    return W3TermInfo._struct.pack(
        inlined,
        sum(weights),
        len(ids),
        length_to_byte(min_length) if min_length is not None else 0,
        length_to_byte(max_length),
        max(0, max(weights)),
        ids[0],
        ids[-1],
    )


def _posting_blocks(
    postwriter: Any,
    fixed_size: int | None,
    ids: list,
    weights: list,
    values: list,
    lengths,
    start_offset: int,
) -> tuple[bytes, bytes]:
    """A term's postings as the codec's blocks (what start_postings, add_posting per
    posting and finish_postings write, a block at a time), to be written at
    `start_offset` of the postings file; and its term-table entry.
    `fixed_size`: the field format's fixed_value_size()."""
    limit = postwriter._blocklimit
    compression = postwriter._compression
    protocol = PICKLE_PROTOCOL
    out = [WHOOSH3_HEADER_MAGIC]
    count = len(ids)
    min_length = None
    max_length = 0
    for start in range(0, count, limit):
        block_ids = ids[start : start + limit]
        block_weights = weights[start : start + limit]
        known = _known_lengths(lengths, block_ids)
        block_min = min(known, default=None)
        block_max = max(known, default=0)
        if block_min is not None and (min_length is None or block_min < min_length):
            min_length = block_min
        max_length = max(max_length, block_max)
        first = block_weights[0]
        if first == 1.0 and block_weights.count(1.0) == len(block_weights):
            mini_weights = None
        elif block_weights.count(first) == len(block_weights):
            mini_weights = first
        else:
            mini_weights = tuple(block_weights)
        mini_ids = (block_ids[0], *map(operator.sub, block_ids[1:], block_ids))
        block_values = [v for v in values[start : start + limit] if v]
        if fixed_size is None or fixed_size < 0:
            mini_values: Any = tuple(block_values)
        elif fixed_size == 0:
            mini_values = None
        else:
            mini_values = b"".join(block_values)
        data = (mini_ids, mini_weights, mini_values)
        data_bytes = pickle.dumps(data, protocol)
        if compression:
            data_bytes = zlib.compress(data_bytes, compression)
        info_bytes = pickle.dumps(
            (
                len(block_ids),
                block_ids[-1],
                max(0, max(block_weights)),
                compression,
                length_to_byte(block_min),
                length_to_byte(block_max),
            ),
            protocol,
        )
        size = len(info_bytes) + len(data_bytes)
        out += (pack_int(-size if start + limit >= count else size), info_bytes, data_bytes)
    data = b"".join(out)
    head = _terminfo_head(False, ids, weights, min_length, max_length)
    return data, head + pack_long(start_offset) + pack_int(len(data))


def search_dir(config: Config) -> Path:
    return config.cache_dir / "search"


def index_dir(config: Config) -> Path:
    return search_dir(config) / "index"


def article_digest(article: Article) -> str:
    """What the index holds of an article, hashed: equal digests need no re-indexing."""
    record = [
        SCHEMA_VERSION,
        article.path,
        article_path(article),
        article.title,
        article.body_sha,
        article.date.date().isoformat() if article.date else None,
        article.source,
        article.people,
        article.topics,
        article.authors,
    ]
    data = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha1(data).hexdigest()


def read_state(folder: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("schema") != SCHEMA_VERSION:
        return None
    if not isinstance(state.get("docs"), dict) or not isinstance(state.get("generation"), int):
        return None
    if not isinstance(state.get("index"), str):
        return None
    return state


def index_lock(folder: Path) -> PidLock:
    """The lock every writer of the search folder (index, state, export) holds."""
    return PidLock(folder / LOCK_NAME, "the search index")


def index_version(config: Config) -> str | None:
    """Names the index's current contents: changes whenever the index does (or is rebuilt)."""
    state = read_state(search_dir(config))
    return f"{state['index']}-{state['generation']}" if state else None


def write_state(folder: Path, index_id: str, generation: int, docs: dict[str, str]) -> None:
    state = {"schema": SCHEMA_VERSION, "index": index_id, "generation": generation, "docs": docs}
    # not fsynced, like the Whoosh segments it describes: a state lost in a crash means
    # the index is made again
    write_atomic(folder / STATE_NAME, json.dumps(state, sort_keys=True), durable=False)


def fresh_index(folder: Path) -> Index:
    """An empty index in place of whatever was in folder/index."""
    shutil.rmtree(folder / "index", ignore_errors=True)
    (folder / "index").mkdir(parents=True)
    return whoosh_index.create_in(str(folder / "index"), make_schema())


def open_trusted(folder: Path, state: dict[str, Any] | None) -> Index | None:
    """The existing index if the state file describes exactly it, else None."""
    if state is None or not whoosh_index.exists_in(str(folder / "index")):
        return None
    try:
        ix = whoosh_index.open_dir(str(folder / "index"))
        if ix.latest_generation() != state["generation"]:
            return None
        return ix
    except Exception:  # a damaged index is rebuilt, whatever Whoosh raised
        return None


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def update_index(
    config: Config,
    articles: Iterable[Article],
    *,
    md: MarkdownIt | None = None,
    progress: Progress = _no_progress,
    read_body: Callable[[Article], str] | None = None,
) -> IndexStats:
    """Bring the index in line with `articles` (slugs assigned): index changes, drop removals.

    Articles may come without their body (a build's cache keeps only its checksum);
    `read_body` fetches it for the few that must be (re)indexed.
    Raises ProblemError when another process holds the index's lock for longer than
    sitegen.locks.lock_wait() (naming it), or when the index cannot be written.
    """
    try:
        folder = search_dir(config)
        folder.mkdir(parents=True, exist_ok=True)
        with index_lock(folder):
            return _update_index(config, articles, md, progress, read_body)
    except OSError as exc:
        raise write_problem(config, exc) from None


def write_problem(config: Config, exc: OSError) -> ProblemError:
    """An OSError met while writing the index, as the Problem a build reports."""
    where = exc.filename or search_dir(config)
    return ProblemError(
        Problem(str(where), f"cannot write the search index: {exc.strerror or exc}")
    )


def _update_index(
    config: Config,
    articles: Iterable[Article],
    md: MarkdownIt | None,
    progress: Progress,
    read_body: Callable[[Article], str] | None = None,
) -> IndexStats:
    started = time.perf_counter()
    folder = search_dir(config)
    if md is None:
        from sitegen.markdown import make_markdown

        md = make_markdown(config)
    wanted = {article.path: (article_digest(article), article) for article in articles}
    state = read_state(folder)
    ix = open_trusted(folder, state)
    stats = IndexStats(documents=len(wanted))
    indexed: dict[str, str] = {}
    index_id = state["index"] if state is not None and ix is not None else uuid.uuid4().hex
    if ix is None:
        stats.rebuilt = True
        ix = fresh_index(folder)
    else:
        assert state is not None
        indexed = dict(state["docs"])

    changed = [a for path, (digest, a) in wanted.items() if indexed.get(path) != digest]
    removed = [path for path in indexed if path not in wanted]
    if changed or removed or stats.rebuilt:
        writer = open_writer(ix, folder, limitmb=256)
        try:
            apply_changes(
                writer,
                indexed,
                {path: digest for path, (digest, _) in wanted.items()},
                changed,
                removed,
                lambda article: analyse(with_body(article, read_body), md),
                stats,
                progress,
            )
        except BaseException:
            writer.cancel()
            raise
    stats.generation = ix.latest_generation()
    if changed or removed or stats.rebuilt or state is None:
        write_state(folder, index_id, stats.generation, indexed)
    stats.seconds = time.perf_counter() - started
    return stats


def with_body(article: Article, read_body: Callable[[Article], str] | None) -> Article:
    """The article with its body (read again when the build's cache left it out)."""
    if article.body_loaded or read_body is None:
        return article
    return dataclasses.replace(article, body=read_body(article), body_loaded=True)


def open_writer(ix: Index, folder: Path, limitmb: int) -> Any:
    """Whoosh's writer for the index, for a caller holding index_lock (so without
    Whoosh's own lock file); a clear Problem should Whoosh still find the index locked."""
    for name in WHOOSH_LOCK_FILES:
        (folder / "index" / name).unlink(missing_ok=True)
    try:
        return ix.writer(limitmb=limitmb, _lk=False)
    except LockError:
        raise ProblemError(
            Problem(
                str(folder / "index"),
                "the search index is being written by another sitegen process; "
                "try again when it has finished",
            )
        ) from None


def apply_changes(
    writer: Any,
    indexed: dict[str, str],
    digests: dict[str, str],
    changed: list[Article],
    removed: list[str],
    analysis: Callable[[Article], Analysed],
    stats: IndexStats,
    progress: Progress = _no_progress,
) -> None:
    """Delete `removed`, add or replace `changed` (analysed by `analysis`) and commit,
    keeping `indexed` (path -> digest of what the index holds) and `stats` in step."""
    for path in removed:
        writer.delete_by_term("path", path)
        del indexed[path]
    for done, article in enumerate(changed, 1):
        document = analysis(article).document()
        if article.path in indexed:
            writer.update_document(**document)
            stats.updated += 1
        else:
            writer.add_document(**document)
            stats.added += 1
        indexed[article.path] = digests[article.path]
        if done % 500 == 0 or done == len(changed):
            progress("Indexing for search", done, len(changed))
    writer.commit()
    stats.removed = len(removed)


def posting_blocks(matcher: Any) -> Iterator[tuple[Sequence[int], Sequence[Any]]]:
    """(ids, encoded values) per stored block of a Whoosh leaf matcher.

    Reading whole blocks is several times faster than Matcher.all_items(); matchers
    without the block attributes (another codec) fall back to the public API.
    """
    if all(hasattr(matcher, name) for name in ("_read_ids", "_read_values", "_next_block")):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_values()
            yield matcher._ids, matcher._values
            matcher._next_block()
    else:
        items = list(matcher.all_items())
        yield [docid for docid, _ in items], [value for _, value in items]


def field_postings(
    searcher: Searcher, field_name: str, text: bytes
) -> Iterator[tuple[int, Sequence[int], Sequence[Any]]]:
    """(docnum offset, live ids, their encoded values) per segment holding the term."""
    for segment, offset in searcher.reader().leaf_readers():
        if (field_name, text) not in segment:
            continue
        matcher = segment.postings(field_name, text)
        deleted = segment.deleted_docs_set if segment.has_deletions() else None
        matcher = getattr(matcher, "child", matcher) if deleted else matcher
        for ids, values in posting_blocks(matcher):
            if deleted:
                keep = [i for i, docid in enumerate(ids) if docid not in deleted]
                ids = [ids[i] for i in keep]
                values = [values[i] for i in keep]
            yield offset, ids, values


def term_docs(searcher: Searcher, field_name: str, text: str) -> set[int]:
    """The live documents holding a term (read a block at a time: fast)."""
    btext = text.encode("utf-8")
    return {
        offset + docid
        for offset, ids, _ in field_postings(searcher, field_name, btext)
        for docid in ids
    }


def open_searcher(config: Config) -> Searcher:
    """A searcher over the site's index with sitegen's BM25F weights; close it when done."""
    return open_index(config).searcher(weighting=weighting())


def open_index(config: Config) -> Index:
    """The site's search index for reading; a clear Problem if there is none yet.

    Takes no lock. An index missing or unreadable while another process holds the
    search lock is being (re)built: this waits for that (up to lock_wait()) and looks
    again, and names the writer if it is still at it.
    """
    folder = index_dir(config)
    lock_file = search_dir(config) / LOCK_NAME
    deadline = time.monotonic() + lock_wait()
    while True:
        try:
            return _open_for_reading(folder)
        except ProblemError as exc:
            writer = held_by(lock_file)
            if writer is None:
                raise
            if time.monotonic() >= deadline:
                raise ProblemError(
                    Problem(
                        str(folder),
                        f"{exc.problem.message} (it is being written by {writer.describe()}; "
                        "try again when it has finished)",
                    )
                ) from None
            time.sleep(0.05)


def _open_for_reading(folder: Path) -> Index:
    if not whoosh_index.exists_in(str(folder)):
        raise ProblemError(
            Problem(
                str(folder),
                "there is no search index yet: run 'sitegen build' first (it builds the index)",
            )
        )
    try:
        return whoosh_index.open_dir(str(folder))
    except Exception as exc:
        raise ProblemError(
            Problem(
                str(folder),
                f"the search index cannot be read ({exc.__class__.__name__}); "
                "run 'sitegen build' to rebuild it",
            )
        ) from None
