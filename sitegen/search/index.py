"""The Whoosh index in the site's cache folder, kept up to date with content/ incrementally.

The index lives in `.sitegen-cache/search/index` (never inside the output folder, which a
build replaces). A small state file beside it records, per article path, a digest of what
was indexed; a build re-indexes only the articles whose digest changed and deletes the
ones that are gone. If the state file and the index disagree, or the schema changed, the
index is rebuilt from scratch rather than trusted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from whoosh import index as whoosh_index
from whoosh.index import Index, LockError
from whoosh.searching import Searcher

from sitegen.config import Config
from sitegen.model import Article, Problem, ProblemError
from sitegen.search.schema import NAME_SEPARATOR, SCHEMA_VERSION, make_schema, weighting
from sitegen.urls import article_path

EXCERPT_CHARS = 1200  # ~0.7 KB per record a browser loads for a result shown
STATE_NAME = "state.json"

Progress = Callable[[str, int, int], None]


@dataclass
class IndexStats:
    documents: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    rebuilt: bool = False
    generation: int = -1
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)


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
    ]
    data = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha1(data).hexdigest()


def plain_text(md: MarkdownIt, body: str) -> str:
    """The words a reader sees in a Markdown body, one block per line (no link targets)."""
    lines: list[str] = []
    for token in md.parse(body):
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
                elif child.type == "image":
                    parts.append(child.content)
            line = "".join(parts).strip()
            if line:
                lines.append(line)
        elif token.type in ("fence", "code_block"):
            lines.append(token.content.strip())
    return "\n".join(line for line in lines if line)


def excerpt_of(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of the plain text on one line, cut at a word: what snippets are made from."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0]


def article_document(article: Article, md: MarkdownIt) -> dict[str, Any]:
    """An Article -> the fields Whoosh indexes (names joined by the separator)."""
    text = plain_text(md, article.body)
    document: dict[str, Any] = {
        "path": article.path,
        "url": article_path(article),
        "title": article.title,
        "body": text,
        "excerpt": excerpt_of(text),
    }
    if article.date is not None:
        document["date"] = article.date.date().isoformat()
        document["year"] = f"{article.date.year:04d}"
    for field, names in (
        ("people", article.people),
        ("topics", article.topics),
        ("source", [article.source] if article.source else []),
    ):
        clean = [" ".join(name.replace(NAME_SEPARATOR, " ").split()) for name in names]
        if any(clean):
            document[field] = NAME_SEPARATOR.join(name for name in clean if name)
    return document


def _read_state(folder: Path) -> dict[str, Any] | None:
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


def index_version(config: Config) -> str | None:
    """Names the index's current contents: changes whenever the index does (or is rebuilt)."""
    state = _read_state(search_dir(config))
    return f"{state['index']}-{state['generation']}" if state else None


def _write_state(folder: Path, index_id: str, generation: int, docs: dict[str, str]) -> None:
    tmp = folder / f"{STATE_NAME}.tmp-{os.getpid()}"
    state = {"schema": SCHEMA_VERSION, "index": index_id, "generation": generation, "docs": docs}
    tmp.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
    os.replace(tmp, folder / STATE_NAME)


def _open_trusted(folder: Path, state: dict[str, Any] | None) -> Index | None:
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
    Raises ProblemError when the index is locked by another process or cannot be written.
    """
    try:
        return _update_index(config, articles, md, progress, read_body)
    except OSError as exc:
        where = exc.filename or search_dir(config)
        raise ProblemError(
            Problem(str(where), f"cannot write the search index: {exc.strerror or exc}")
        ) from None


def _update_index(
    config: Config,
    articles: Iterable[Article],
    md: MarkdownIt | None,
    progress: Progress,
    read_body: Callable[[Article], str] | None = None,
) -> IndexStats:
    started = time.perf_counter()
    folder = search_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    if md is None:
        from sitegen.build.render import make_markdown

        md = make_markdown(config)
    wanted = {article.path: (article_digest(article), article) for article in articles}
    state = _read_state(folder)
    ix = _open_trusted(folder, state)
    stats = IndexStats(documents=len(wanted))
    indexed: dict[str, str] = {}
    index_id = state["index"] if state is not None and ix is not None else uuid.uuid4().hex
    if ix is None:
        stats.rebuilt = True
        shutil.rmtree(folder / "index", ignore_errors=True)
        (folder / "index").mkdir(parents=True)
        ix = whoosh_index.create_in(str(folder / "index"), make_schema())
    else:
        assert state is not None
        indexed = dict(state["docs"])

    changed = [a for path, (digest, a) in wanted.items() if indexed.get(path) != digest]
    removed = [path for path in indexed if path not in wanted]
    if changed or removed or stats.rebuilt:
        try:
            writer = ix.writer(limitmb=256)
        except LockError:
            raise ProblemError(
                Problem(
                    str(folder / "index"),
                    "the search index is being written by another sitegen process; "
                    "try again when it has finished",
                )
            ) from None
        try:
            for path in removed:
                writer.delete_by_term("path", path)
                del indexed[path]
            for done, article in enumerate(changed, 1):
                if not article.body_loaded and read_body is not None:
                    article = dataclasses.replace(
                        article, body=read_body(article), body_loaded=True
                    )
                document = article_document(article, md)
                if article.path in indexed:
                    writer.update_document(**document)
                    stats.updated += 1
                else:
                    writer.add_document(**document)
                    stats.added += 1
                indexed[article.path] = wanted[article.path][0]
                if done % 500 == 0 or done == len(changed):
                    progress("Indexing for search", done, len(changed))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        stats.removed = len(removed)
    stats.generation = ix.latest_generation()
    if changed or removed or stats.rebuilt or state is None:
        _write_state(folder, index_id, stats.generation, indexed)
    stats.seconds = time.perf_counter() - started
    return stats


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
    """The site's search index for reading; a clear Problem if there is none yet."""
    folder = index_dir(config)
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
