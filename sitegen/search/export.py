"""The static search index: small files a browser fetches on demand.

Made from the same per-article analysis the Whoosh index is fed (sitegen.search.analysis:
same terms, positions and field lengths), so search.js ranks exactly like Whoosh's BM25F
over a freshly built index. Each bucket of articles is first written as a *partial*
(its records, and its postings with bucket-local document numbers); the export merges
the partials in bucket order, so it never depends on how or in what order it was built.

Files, all gzip-compressed (search.js inflates them itself, so any static host will do)
and named by a hash of their content, so they can be cached forever:

- meta.<hash>.sgz   the small file a query starts from: statistics, analysis settings,
                    the first key of every term shard, the document directory.
- t/<hash>.sgz      term shards: a range of keys (sorted like JavaScript sorts strings),
                    each with its postings per field: doc numbers, term frequency and the
                    field-length byte Whoosh scores with. Keys are stemmed words, and
                    "#p:name", "#t:", "#s:", "#y:" for people, topics, sources and years.
- p/<hash>.sgz      positions for the same keys (fetched only for phrases).
- n/<hash>.sgz      document directories: for 32 document numbers, their record files.
- d/<hash>.sgz      one record per document: title, url, date, names and the excerpt.

A query fetches the meta file, one term shard per word, and records only for the
results it shows: never the whole index.

Every file here is written atomically but not fsynced (sitegen.files, durable=False): a
build writes thousands of them, an fsync each costs about a millisecond on ext4, and all
are remade from the articles (a file a crash lost makes read_manifest() refuse the
export; removing the site's search cache folder remakes every file).
"""

from __future__ import annotations

import base64
import bisect
import gzip
import hashlib
import itertools
import json
import operator
import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.util.numeric import _length_byte_cache, length_to_byte

from sitegen.files import atomic_stream, write_atomic
from sitegen.search.analysis import EXCERPT_CHARS, Analysed, Inverted, invert
from sitegen.search.query import MAX_EXPANSIONS, MIN_PREFIX, utf16_key
from sitegen.search.schema import (
    FIELD_BOOSTS,
    K1,
    MAX_WORD,
    MIN_WORD,
    SCHEMA_VERSION,
    STOP_LIST,
    TEXT_FIELDS,
    B,
)
from sitegen.search.snippets import SNIPPET_CHARS

if TYPE_CHECKING:
    from sitegen.parallel import Workers
from sitegen.search.varints import ENCODED, varint, varints

FORMAT_VERSION = 1
#: Raw (uncompressed) bytes after which a term shard is closed; ~2x smaller once gzipped.
#: Smaller shards make each new word cheaper but the meta file (one key and name per
#: shard) bigger: on 10,000 articles 12 KB gives ~1,300 shards of ~6 KB and a ~17 KB meta.
SHARD_BYTES = 12_000
DIRECTORY_BLOCK = 32
#: Field ids in the binary shards; text fields first (they carry tf and lengths).
FIELD_IDS = {"title": 0, "body": 1, "people": 2, "topics": 3, "source": 4, "year": 5, "authors": 6}
KEY_PREFIXES = {"people": "#p:", "topics": "#t:", "source": "#s:", "year": "#y:", "authors": "#a:"}


FOLDER = "search"  # the export's folder in the site
PARTIAL_BLOCK = 2000  # items per pickled block of a partial file


def pack(data: bytes) -> bytes:
    """gzip with a fixed timestamp, so the same index always gives the same bytes."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def content_name(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return base64.b32encode(digest).decode("ascii")[:10].lower()  # 50 bits


@dataclass
class Entry:
    key: str
    postings: bytearray = field(default_factory=bytearray)
    positions: bytearray = field(default_factory=bytearray)
    fields: int = 0
    position_fields: int = 0


def _shard_bytes(entries: list[Entry], positions: bool) -> bytes:
    out = bytearray([FORMAT_VERSION])
    varint(len(entries), out)
    previous = b""
    for entry in entries:
        key = entry.key.encode("utf-8")
        shared = 0
        limit = min(len(key), len(previous))
        while shared < limit and key[shared] == previous[shared]:
            shared += 1
        varint(shared, out)
        varint(len(key) - shared, out)
        out += key[shared:]
        previous = key
        if positions:
            varint(entry.position_fields, out)
            out += entry.positions
        else:
            varint(entry.fields, out)
            out += entry.postings
    return bytes(out)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def export_settings() -> str:
    """What besides the articles decides the exported bytes: a change means a new export."""
    return f"{FORMAT_VERSION}/{SHARD_BYTES}/{DIRECTORY_BLOCK}/{EXCERPT_CHARS}/{SCHEMA_VERSION}"


def _put(static_dir: Path, rel: str, packed: bytes) -> None:
    """Write a content-named file unless it is there already (same name, same bytes)."""
    target = static_dir / rel
    if target.exists():
        return
    write_atomic(target, packed, durable=False)  # not fsynced: see the module docstring


def _store(static_dir: Path, kind: str, raw: bytes, name: str | None = None) -> str:
    packed = pack(raw)
    name = name or content_name(packed)
    _put(static_dir, f"{FOLDER}/{kind}/{name}.sgz", packed)
    return name


# -- partials: one bucket of articles, written by a worker --------------------------------


def write_partial(
    path: Path,
    digest: str,
    items: list[Analysed],
    static_dir: Path,
    inverted: Inverted | None = None,
) -> None:
    """A bucket's records (written as export files now) and postings (kept for the merge).

    The file holds a header (digest, per document: path, record name, field lengths),
    then blocks of (key, fields) sorted like search.js sorts keys, where fields are
    (field id, local doc numbers, tf varints, length bytes, position varints) for text
    fields and (field id, local doc numbers) for names. `inverted`: invert(items), if
    the caller has it already.
    """
    if inverted is None:
        inverted = invert(items)
    docs = []
    for item in items:
        name = _store(static_dir, "d", _json_bytes(item.record()))
        docs.append((item.path, name, item.lengths["title"], item.lengths["body"]))
    # key -> its fields' postings; fields are taken in field id order, so each key's
    # list is sorted by field id as it grows
    keyed: dict[str, list[tuple]] = {}
    get = keyed.get
    single = len(ENCODED)
    for field_name in TEXT_FIELDS:
        fid = FIELD_IDS[field_name]
        length_bytes = bytes(length_to_byte(item.lengths[field_name]) for item in items)
        for term, (local_docs, positions, values) in inverted[field_name].items():
            if len(local_docs) == 1 and len(positions[0]) < single:  # most (term, bucket)s
                doc = local_docs[0]
                posting: tuple = (
                    fid,
                    1,
                    doc,
                    doc,
                    b"",
                    ENCODED[len(positions[0])],
                    length_bytes[doc : doc + 1],
                    values[0],
                )
            else:
                posting = (
                    fid,
                    *_doc_run(local_docs),
                    varints(list(map(len, positions))),
                    bytes(map(length_bytes.__getitem__, local_docs)),
                    b"".join(values),
                )
            found = get(term)
            if found is None:
                keyed[term] = [posting]
            else:
                found.append(posting)
    for field_name, prefix in KEY_PREFIXES.items():
        fid = FIELD_IDS[field_name]
        named: dict[str, list[int]] = {}
        for local, item in enumerate(items):
            for key in item.keys(field_name):
                named.setdefault(prefix + key, []).append(local)
        for key, local_docs in named.items():
            keyed.setdefault(key, []).append((fid, *_doc_run(local_docs)))
    ranges: list[list[str]] = [[] for _ in KEY_RANGES]
    for key in keyed:
        ranges[key_range(key)].append(key)
    for number, keys in enumerate(ranges):
        keys.sort(key=utf16_key)
        with atomic_stream(range_file(path, number), durable=False) as stream:
            pickle.dump(digest, stream, 5)
            for start in range(0, len(keys), PARTIAL_BLOCK):
                block = [(key, keyed[key]) for key in keys[start : start + PARTIAL_BLOCK]]
                pickle.dump(block, stream, 5)
            pickle.dump(None, stream, 5)
    # the header goes last: while it names this digest, the range files are this bucket's
    with atomic_stream(path, durable=False) as stream:
        pickle.dump({"format": export_settings(), "digest": digest, "docs": docs}, stream, 5)


def _doc_run(docs: list[int]) -> tuple[int, int, int, bytes]:
    """Local doc numbers as (count, first, last, varint deltas after the first): the merge
    joins runs of several buckets by re-encoding only each run's first delta."""
    return len(docs), docs[0], docs[-1], varints(list(map(operator.sub, docs[1:], docs)))


#: Keys fall into fixed ranges by their first character (in search.js's order); each
#: range is merged on its own, in parallel, and shards never straddle two ranges, so the
#: export is the same whatever the number of processes.
KEY_RANGES = ("", "0", "a", "c", "e", "i", "n", "s")


def key_range(key: str) -> int:
    return bisect.bisect_right(KEY_RANGES, key[:1]) - 1


def range_file(path: Path, number: int) -> Path:
    return path.with_name(f"{path.name}.{number}")


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def partial_header(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as stream:
            header = pickle.load(stream)
    except Exception:  # missing, cut short or from another version: analyse again
        return None
    if not isinstance(header, dict) or header.get("format") != export_settings():
        return None
    return header


def _partial_items(path: Path, digest: str, offset: int) -> list[tuple[bytes, str, list, int]]:
    """(sort key, key, fields, doc offset) for every key of a partial range, in order."""
    items: list[tuple[bytes, str, list, int]] = []
    with open(path, "rb") as stream:
        if pickle.load(stream) != digest:
            raise OSError(f"search partial does not match its bucket: {path}")
        while True:
            block = pickle.load(stream)
            if block is None:
                return items
            items += [(utf16_key(key), key, fields, offset) for key, fields in block]


# -- the merge: partials -> the export files ------------------------------------------------


_sort_key = operator.itemgetter(0)


def _merged_entries(
    sources: list[tuple[Path, str, int]],
) -> Iterator[tuple[Entry, int]]:
    """One Entry per key over (range file, digest, doc offset) sources, in key order,
    with the number of documents of a year key (0 for other keys)."""
    merged: list[tuple[bytes, str, list, int]] = []
    for path, digest, offset in sources:
        merged += _partial_items(path, digest, offset)
    # one stable sort of the sorted runs (in C) instead of a k-way merge in Python:
    # a key's parts stay in bucket order
    merged.sort(key=_sort_key)
    encoded = ENCODED
    for _, group in itertools.groupby(merged, key=_sort_key):
        parts = list(group)
        key = parts[0][1]
        by_field: dict[int, list] = {}
        for _, _, fields, offset in parts:
            for posting in fields:
                fid, count, first, last, rest = posting[:5]
                into = by_field.get(fid)
                if into is None:
                    into = by_field[fid] = [
                        0,
                        0,
                        bytearray(),
                        bytearray(),
                        bytearray(),
                        bytearray(),
                    ]
                gap = offset + first - into[1]
                into[2] += encoded[gap] if gap < 16384 else varints((gap,))
                into[2] += rest
                into[0] += count
                into[1] = offset + last
                if len(posting) > 5:
                    into[3] += posting[5]
                    into[4] += posting[6]
                    into[5] += posting[7]
        entry = Entry(key)
        for fid in sorted(by_field):
            count, _, docs, tfs, lengths, positions = by_field[fid]
            entry.postings.append(fid)
            varint(count, entry.postings)  # document frequency
            varint(count, entry.postings)  # postings that follow
            entry.postings += docs
            entry.fields += 1
            if fid < len(TEXT_FIELDS):
                entry.postings += tfs
                entry.postings += lengths
                entry.positions.append(fid)
                varint(count, entry.positions)
                entry.positions += positions
                entry.position_fields += 1
        year = by_field.get(FIELD_IDS["year"])
        yield entry, (year[0] if year is not None else 0)


def _merge_range(
    merge: tuple[Path, list[list[tuple[Path, str, int]]]], number: int
) -> tuple[list[str], list[str], list[tuple[str, int]], set[str]]:
    """Merge one key range of every bucket into term shards (written into the cache):
    `merge` is (the export folder, per range: each bucket's range file, digest, offset)."""
    static_dir, sources = merge
    files: set[str] = set()
    shard_keys: list[str] = []
    shard_names: list[str] = []

    def flush(shard: list[Entry]) -> None:
        terms = _shard_bytes(shard, positions=False)
        has_positions = any(entry.position_fields for entry in shard)
        positions = _shard_bytes(shard, positions=True) if has_positions else b""
        name = content_name(terms + positions)  # one name covers both files
        files.add(f"{FOLDER}/t/{_store(static_dir, 't', terms, name)}.sgz")
        if has_positions:
            files.add(f"{FOLDER}/p/{_store(static_dir, 'p', positions, name)}.sgz")
        shard_keys.append(shard[0].key)
        shard_names.append(name)  # keyword-only shards (keys "#...") have no positions file

    years: list[tuple[str, int]] = []
    current: list[Entry] = []
    size = 0
    for entry, year_count in _merged_entries(sources[number]):
        if year_count:
            years.append((entry.key[len(KEY_PREFIXES["year"]) :], year_count))
        cost = len(entry.postings) + len(entry.key) + 4
        if current and size + cost > SHARD_BYTES:
            flush(current)
            current, size = [], 0
        current.append(entry)
        size += cost
    if current:
        flush(current)
    return shard_keys, shard_names, years, files


def export_partials(
    static_dir: Path, version: str, partials: list[Path], workers: Workers | None = None
) -> dict[str, Any]:
    """Merge the buckets' partials into the export files; returns the new manifest.

    Files are content-named and written only when new; once the manifest names the new
    set, files no longer named are removed. The key ranges are merged on `workers` (a
    cluster's, say), each range a task of its own; without, in this process.
    """
    from sitegen.parallel import LocalWorkers

    headers = []
    for path in partials:
        header = partial_header(path)
        if header is None:
            raise OSError(f"search partial missing or unreadable: {path}")
        headers.append(header)
    offsets: list[int] = []
    docs: list[tuple] = []
    for header in headers:
        offsets.append(len(docs))
        docs.extend(header["docs"])
    files: set[str] = set()

    def store(kind: str, raw: bytes, name: str | None = None) -> str:
        name = _store(static_dir, kind, raw, name)
        files.add(f"{FOLDER}/{kind}/{name}.sgz")
        return name

    sources = [
        [
            (range_file(path, number), header["digest"], offset)
            for path, header, offset in zip(partials, headers, offsets, strict=True)
        ]
        for number in range(len(KEY_RANGES))
    ]
    # the biggest ranges first, so that no big one is left to run alone at the end
    # (keys from "s" on are a third of the postings)
    order = sorted(
        range(len(KEY_RANGES)),
        key=lambda number: -sum(_file_size(path) for path, _, _ in sources[number]),
    )
    if workers is None or len(docs) < 500:
        workers = LocalWorkers(1)
    results = workers.map(_merge_range, (static_dir, sources), order, min_items=2, chunk_size=1)
    by_range = dict(zip(order, results, strict=True))
    merged = [by_range[number] for number in range(len(KEY_RANGES))]
    shard_keys: list[str] = []
    shard_names: list[str] = []
    years: list[tuple[str, int]] = []
    for keys, names, found_years, range_files in merged:
        shard_keys += keys
        shard_names += names
        years += found_years
        files |= range_files

    directory: list[str] = []
    for block in range(0, len(docs), DIRECTORY_BLOCK):
        names = [doc[1] for doc in docs[block : block + DIRECTORY_BLOCK]]
        files.update(f"{FOLDER}/d/{name}.sgz" for name in names)
        directory.append(store("n", _json_bytes(names)))

    count = len(docs)
    totals = {"title": sum(doc[2] for doc in docs), "body": sum(doc[3] for doc in docs)}
    meta = {
        "format": FORMAT_VERSION,
        "schema": SCHEMA_VERSION,
        "docCountAll": count,  # Whoosh's N in idf (a fresh index has no deleted documents)
        "docCount": count,
        "k1": K1,
        "fields": [
            {
                "name": name,
                "id": FIELD_IDS[name],
                "b": B[name],
                "boost": FIELD_BOOSTS[name],
                "avgLength": (totals[name] / (count or 1)) or 1,
            }
            for name in TEXT_FIELDS
        ],
        "keyFields": {
            name: {"id": FIELD_IDS[name], "prefix": p} for name, p in KEY_PREFIXES.items()
        },
        "analysis": {"stopWords": list(STOP_LIST), "minWord": MIN_WORD, "maxWord": MAX_WORD},
        "query": {
            "minPrefix": MIN_PREFIX,
            "maxExpansions": MAX_EXPANSIONS,
            "snippetChars": SNIPPET_CHARS,
        },
        "lengthTable": list(_length_byte_cache),
        "shardKeys": shard_keys,
        "shards": shard_names,
        "directoryBlock": DIRECTORY_BLOCK,
        "directories": directory,
        "years": [[year, n] for year, n in sorted(years, reverse=True) if n],
    }
    packed = pack(_json_bytes(meta))
    meta_rel = f"{FOLDER}/meta.{content_name(packed)}.sgz"
    _put(static_dir, meta_rel, packed)
    files.add(meta_rel)
    manifest = {
        "format": export_settings(),
        "version": version,
        "meta": meta_rel,
        "files": sorted(files),
    }
    write_atomic(static_dir / "manifest.json", json.dumps(manifest), durable=False)
    _remove_unlisted(static_dir, files)
    return manifest


def _remove_unlisted(static_dir: Path, keep: set[str]) -> None:
    root = static_dir / FOLDER
    if not root.is_dir():
        return
    for folder, _, names in os.walk(root):
        for name in names:
            full = os.path.join(folder, name)
            rel = os.path.relpath(full, static_dir).replace(os.sep, "/")
            if rel not in keep:
                os.unlink(full)


def read_manifest(static_dir: Path) -> dict[str, Any] | None:
    """The current export's manifest, if it and every file it names are there."""
    try:
        manifest = json.loads((static_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != export_settings():
        return None
    files = manifest.get("files")
    if not isinstance(files, list) or not all(os.path.isfile(static_dir / rel) for rel in files):
        return None
    return manifest
