"""The static search index: the Whoosh index cut into small files a browser fetches on demand.

Everything comes from the same Whoosh index `sitegen search` uses (same terms, same
document numbers, same statistics), so search.js can rank exactly like Whoosh's BM25F.

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
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from whoosh.searching import Searcher
from whoosh.util.numeric import _length_byte_cache, length_to_byte

from sitegen.config import Config
from sitegen.search.index import (
    EXCERPT_CHARS,
    field_postings,
    index_version,
    open_searcher,
    search_dir,
)
from sitegen.search.query import (
    FACET_FIELDS,
    MAX_EXPANSIONS,
    MIN_PREFIX,
    names_column,
    utf16_key,
)
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

FORMAT_VERSION = 1
#: Raw (uncompressed) bytes after which a term shard is closed; ~2x smaller once gzipped.
#: Smaller shards make each new word cheaper but the meta file (one key and name per
#: shard) bigger: on 10,000 articles 12 KB gives ~1,300 shards of ~6 KB and a ~17 KB meta.
SHARD_BYTES = 12_000
DIRECTORY_BLOCK = 32
#: Field ids in the binary shards; text fields first (they carry tf and lengths).
FIELD_IDS = {"title": 0, "body": 1, "people": 2, "topics": 3, "source": 4, "year": 5}
KEY_PREFIXES = {"people": "#p:", "topics": "#t:", "source": "#s:", "year": "#y:"}


class FileSink(Protocol):
    """Where exported files go: the build's SiteWriter."""

    def write(self, rel: str, data: str | bytes) -> None: ...

    def copy(self, rel: str, source: Path) -> None: ...


@dataclass
class Export:
    meta: str  # site-relative path of the meta file
    files: dict[str, bytes] = field(default_factory=dict)  # site-relative path -> bytes

    @property
    def bytes(self) -> int:
        return sum(len(data) for data in self.files.values())


def varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _encoded(value: int) -> bytes:
    out = bytearray()
    varint(value, out)
    return bytes(out)


_ENCODED = [_encoded(i) for i in range(1 << 14)]  # every one- and two-byte varint


def varints(values: Sequence[int]) -> bytes:
    """LEB128 unsigned varints, the way search.js reads them (table lookups: this is hot)."""
    try:
        return b"".join(map(_ENCODED.__getitem__, values))
    except IndexError:
        return b"".join(_ENCODED[v] if v < len(_ENCODED) else _encoded(v) for v in values)


def deltas(values: Iterable[int]) -> list[int]:
    out, last = [], 0
    for value in values:
        out.append(value - last)
        last = value
    return out


def pack(data: bytes) -> bytes:
    """gzip with a fixed timestamp, so the same index always gives the same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


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


def _position_deltas(value: bytes) -> list[int]:
    """Whoosh's Positions value: 4-byte count, then the pickled list of position deltas."""
    data = value[4:]
    return pickle.loads(data if data.endswith(b".") else data + b".")


def _lengths(searcher: Searcher, field_name: str) -> bytearray:
    reader = searcher.reader()
    out = bytearray(reader.doc_count_all())
    for docnum in reader.all_doc_ids():
        out[docnum] = length_to_byte(reader.doc_field_length(docnum, field_name) or 0)
    return out


def build_entries(searcher: Searcher) -> list[Entry]:
    """One Entry per key: postings (and positions) of every field that has the key."""
    reader = searcher.reader()
    entries: dict[str, Entry] = {}
    for field_name in TEXT_FIELDS:
        fid = FIELD_IDS[field_name]
        field_lengths = _lengths(searcher, field_name)
        for btext in reader.lexicon(field_name):
            key = btext.decode("utf-8")
            entry = entries.setdefault(key, Entry(key))
            docs: list[int] = []
            tfs: list[int] = []
            positions: list[int] = []  # per posting: count, then position deltas
            for offset, ids, values in field_postings(searcher, field_name, btext):
                for docid, value in zip(ids, values, strict=True):
                    moves = _position_deltas(value)
                    docs.append(offset + docid)
                    tfs.append(len(moves))
                    positions.append(len(moves))
                    positions.extend(moves)
            _write_postings(entry.postings, fid, reader.doc_frequency(field_name, btext), docs)
            entry.postings += varints(tfs)
            entry.postings += bytes(field_lengths[d] for d in docs)
            entry.fields += 1
            entry.positions.append(fid)
            varint(len(docs), entry.positions)
            entry.positions += varints(positions)
            entry.position_fields += 1
    for field_name, prefix in KEY_PREFIXES.items():
        fid = FIELD_IDS[field_name]
        for btext in reader.lexicon(field_name):
            key = prefix + btext.decode("utf-8")
            entry = entries.setdefault(key, Entry(key))
            docs = [
                offset + docid
                for offset, ids, _ in field_postings(searcher, field_name, btext)
                for docid in ids
            ]
            _write_postings(entry.postings, fid, reader.doc_frequency(field_name, btext), docs)
            entry.fields += 1
    return sorted(entries.values(), key=lambda e: utf16_key(e.key))


def _write_postings(out: bytearray, fid: int, df: int, docs: list[int]) -> None:
    out.append(fid)
    varint(df, out)
    varint(len(docs), out)
    out += varints(deltas(docs))


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


def split_shards(entries: list[Entry], limit: int = SHARD_BYTES) -> list[list[Entry]]:
    """Consecutive keys into shards of about `limit` raw bytes; a huge key gets its own."""
    shards: list[list[Entry]] = []
    current: list[Entry] = []
    size = 0
    for entry in entries:
        cost = len(entry.postings) + len(entry.key) + 4
        if current and size + cost > limit:
            shards.append(current)
            current, size = [], 0
        current.append(entry)
        size += cost
    if current:
        shards.append(current)
    return shards


def document_records(searcher: Searcher) -> dict[int, dict[str, Any]]:
    """docnum -> what a result shows, for every live document."""
    reader = searcher.reader()
    columns = {name: names_column(reader, name) for name in FACET_FIELDS}
    records: dict[int, dict[str, Any]] = {}
    for docnum, stored in reader.iter_docs():
        source = columns["source"](docnum)
        record: dict[str, Any] = {"t": stored.get("title", ""), "u": stored.get("url", "")}
        if stored.get("date"):
            record["d"] = stored["date"]
        if source:
            record["s"] = source[0]
        people = columns["people"](docnum)
        topics = columns["topics"](docnum)
        if people:
            record["p"] = people
        if topics:
            record["o"] = topics
        record["x"] = stored.get("excerpt", "")
        records[docnum] = record
    return records


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def export_index(searcher: Searcher, folder: str = "search") -> Export:
    """The whole static index as {site path: bytes}, plus the meta file's path."""
    export = Export(meta="")
    files = export.files

    def add(kind: str, raw: bytes, name: str | None = None) -> str:
        packed = pack(raw)
        path = f"{folder}/{kind}/{name or content_name(packed)}.sgz"
        files[path] = packed
        return path.rsplit("/", 1)[1][: -len(".sgz")]

    entries = build_entries(searcher)
    shard_keys: list[str] = []
    shard_names: list[str] = []
    for shard in split_shards(entries):
        terms = _shard_bytes(shard, positions=False)
        has_positions = any(entry.position_fields for entry in shard)
        positions = _shard_bytes(shard, positions=True) if has_positions else b""
        name = content_name(terms + positions)  # one name covers both files
        add("t", terms, name)
        if has_positions:
            add("p", positions, name)
        shard_keys.append(shard[0].key)
        shard_names.append(name)  # keyword-only shards (keys "#...") have no positions file

    reader = searcher.reader()
    records = document_records(searcher)
    directory: list[str] = []
    doc_count = reader.doc_count_all()
    for block in range(0, doc_count, DIRECTORY_BLOCK):
        names = []
        for docnum in range(block, min(block + DIRECTORY_BLOCK, doc_count)):
            record = records.get(docnum)
            names.append(add("d", _json_bytes(record)) if record is not None else "")
        directory.append(add("n", _json_bytes(names)))

    years = sorted(
        (
            (
                btext.decode("utf-8"),
                sum(len(ids) for _, ids, _ in field_postings(searcher, "year", btext)),
            )
            for btext in reader.lexicon("year")
        ),
        reverse=True,
    )
    meta = {
        "format": FORMAT_VERSION,
        "schema": SCHEMA_VERSION,
        "docCountAll": doc_count,  # Whoosh's N in idf (deleted documents included)
        "docCount": reader.doc_count(),
        "k1": K1,
        "fields": [
            {
                "name": name,
                "id": FIELD_IDS[name],
                "b": B[name],
                "boost": FIELD_BOOSTS[name],
                "avgLength": searcher.avg_field_length(name) or 1,
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
        "years": [[year, count] for year, count in years if count],
    }
    raw_meta = _json_bytes(meta)
    packed = pack(raw_meta)
    export.meta = f"{folder}/meta.{content_name(packed)}.sgz"
    files[export.meta] = packed
    return export


def write_static_index(config: Config, sink: FileSink) -> str:
    """Export the site's index into the build under search/; returns the meta file's path.

    The export is kept in the cache next to the index and reused while the index is
    unchanged, so a build with no content changes does not recompute it.
    """
    cache = search_dir(config) / "static"
    version = index_version(config)
    manifest = _read_manifest(cache)
    if version is None or manifest is None or manifest.get("version") != version:
        with open_searcher(config) as searcher:
            export = export_index(searcher)
        manifest = _store(cache, version, export)
    for rel in manifest["files"]:
        sink.copy(rel, cache / rel)
    return manifest["meta"]


def _export_settings() -> str:
    """What besides the index decides the exported bytes: a change means a new export."""
    return f"{FORMAT_VERSION}/{SHARD_BYTES}/{DIRECTORY_BLOCK}/{EXCERPT_CHARS}"


def _read_manifest(cache: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((cache / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != _export_settings():
        return None
    files = manifest.get("files")
    if not isinstance(files, list) or not all((cache / rel).is_file() for rel in files):
        return None
    return manifest


def _store(cache: Path, version: str | None, export: Export) -> dict[str, Any]:
    """Write an export into the cache folder (replacing the old one) with its manifest."""
    tmp = cache.with_name(f"{cache.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    for rel, data in export.files.items():
        target = tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    manifest = {
        "format": _export_settings(),
        "version": version,
        "meta": export.meta,
        "files": sorted(export.files),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    old = cache.with_name(f"{cache.name}.old-{os.getpid()}")
    if cache.exists():
        os.replace(cache, old)
    os.replace(tmp, cache)
    shutil.rmtree(old, ignore_errors=True)
    return manifest
