"""One pass over the archive that feeds both search indexes: Whoosh and the static export.

Articles fall into BUCKETS fixed buckets by a hash of their path. Each bucket is analysed
on its own (sitegen.search.analysis) into a *partial*: its records and its postings, kept
in the cache and reused while the bucket's articles are unchanged. The static export is
a merge of the partials in bucket order, so it depends only on the articles, never on
the order of edits, the number of processes or the Whoosh index's history: an
incremental build exports exactly what a clean one does.

A cold build (no usable Whoosh index) analyses every bucket in a forked pool; each worker
also writes its buckets' documents into a Whoosh segment of its own, and the segments are
committed together in bucket order, so Whoosh numbers documents as the export does.
Later builds re-analyse only the buckets with a changed article and update Whoosh for
the changed articles alone.

start_search() returns once the workers run, so the build plans its pages meanwhile;
the workers also render the body HTML of the pages the build will write from the parse
they make anyway, into files in a folder the caller owns, and finish() hands over where
each body is (BodyHtml) with the rest of the update: nothing the size of the archive's
text travels between processes or stays in memory.

The update holds the search lock (index.index_lock) from reading the index's state to
the end of the export, so two processes never write the cache's search folder at once.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
import zlib
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from markdown_it import MarkdownIt
from whoosh import index as whoosh_index

from sitegen.config import Config
from sitegen.markdown import render_parsed, shared_markdown
from sitegen.model import Article
from sitegen.parallel import LocalWorkers, Pending, Workers
from sitegen.search import export as static
from sitegen.search.analysis import Analysed, Inverted, analyse, invert
from sitegen.search.index import (
    AnalysedSegmentWriter,
    IndexStats,
    apply_changes,
    article_digest,
    fresh_index,
    index_lock,
    open_trusted,
    open_writer,
    read_state,
    search_dir,
    with_body,
    write_problem,
    write_state,
)

BUCKETS = 32
PARTIAL_FORMAT = 3
#: A cold build writes one Whoosh segment per ~this many articles. A segment's postings
#: are held in memory until it is written, so this bounds a worker's memory (and more,
#: smaller segments would cost more per distinct word).
SEGMENT_ARTICLES = 5000
WRITER_MB = 128  # Whoosh's posting pool, used only by incremental updates

Progress = Callable[[str, int, int], None]
ReadBody = Callable[[Article], str]


def bucket_of(path: str) -> int:
    return zlib.crc32(path.encode("utf-8")) % BUCKETS


def _digest(items: Iterable[Any]) -> str:
    data = json.dumps(list(items), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(data.encode("utf-8")).hexdigest()


class BodyHtml(NamedTuple):
    """Where a worker wrote an article's body HTML: a file, an offset and a length."""

    file: str
    offset: int
    length: int

    def read(self) -> str:
        with open(self.file, "rb") as stream:
            stream.seek(self.offset)
            return stream.read(self.length).decode("utf-8")


class _HtmlFile:
    """A task's body HTML, appended to one file of the caller's folder."""

    def __init__(self, folder: Path | None, name: str) -> None:
        self.path = str(folder / f"{name}.html") if folder is not None else ""
        self.stream: Any = None
        self.at = 0  # counted, not asked: a tell() is a system call
        self.found: dict[str, BodyHtml] = {}

    def add(self, article_path: str, html: str) -> None:
        if self.stream is None:
            self.stream = open(self.path, "wb")  # noqa: SIM115 (closed by close())
        data = html.encode("utf-8")
        self.found[article_path] = BodyHtml(self.path, self.at, len(data))
        self.stream.write(data)
        self.at += len(data)

    def close(self) -> dict[str, BodyHtml]:
        if self.stream is not None:
            self.stream.close()
        return self.found


@dataclass
class SearchUpdate:
    stats: IndexStats
    meta: str  # site path of the export's meta file
    files: list[str] = field(default_factory=list)  # site paths, in the cache's static folder
    static_dir: Path | None = None
    exported: bool = False  # False when the previous export was still right
    bodies: dict[str, BodyHtml] = field(default_factory=dict)  # see html_for


@dataclass
class _Job:
    """What every analysing task is given: the buckets, how to read bodies, where to
    write. Forked workers inherit it; a cluster's get it pickled once, without the
    MarkdownIt (which does not pickle: they make their own from its one setting)."""

    buckets: list[list[tuple[Article, str]]]  # per bucket: (article, digest), by path
    digests: list[str]  # per bucket: what its partial must be made of
    md: MarkdownIt
    read_body: ReadBody | None
    partial_dir: Path
    static_dir: Path
    index_dir: Path | None  # cold builds: workers write Whoosh segments here
    want_analysed: set[str]  # paths whose analysis the parent needs back (Whoosh updates)
    want_html: set[str]  # paths whose body HTML the parent wants (pages it will write)
    html_dir: Path | None  # where the workers write it

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["md"] = bool(self.md.options["html"])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["md"] = shared_markdown(state["md"])
        self.__dict__.update(state)


class PendingSearch:
    """A search update whose workers are running: the caller may work meanwhile (the
    build plans its pages), then finish() waits for them and completes the update."""

    def __init__(self, config: Config, steps: Generator[None, None, SearchUpdate]) -> None:
        self._config = config
        self._steps = steps
        self._done: SearchUpdate | None = self._guarded(self._step)  # None: workers running

    def finish(self) -> SearchUpdate:
        if self._done is None:
            self._done = self._guarded(self._step)
        if self._done is None:
            raise RuntimeError("the search update did not finish")
        return self._done

    def _step(self) -> SearchUpdate | None:
        try:
            next(self._steps)
        except StopIteration as done:
            return done.value
        return None

    def cancel(self) -> None:
        """Stop the workers and leave the index as it was (its lock released)."""
        self._steps.close()

    def _guarded(self, step: Callable[[], Any]) -> Any:
        try:
            return step()
        except OSError as exc:
            self._steps.close()
            raise write_problem(self._config, exc) from None


def start_search(
    config: Config,
    articles: Iterable[Article],
    *,
    md: MarkdownIt,
    jobs: int = 1,
    workers: Workers | None = None,
    read_body: ReadBody | None = None,
    progress: Progress | None = None,
    html_for: set[str] | None = None,
    html_dir: Path | None = None,
) -> PendingSearch:
    """Start bringing the Whoosh index and the static export in line with `articles`;
    the workers run until PendingSearch.finish(), which returns the SearchUpdate.

    Analysing an article parses its body; for the paths in `html_for` the body is also
    rendered from that parse (md.render's output) into files in `html_dir` (made if
    missing; the caller's to remove), and SearchUpdate.bodies says where each is, so the
    page writer need not parse it again. The work runs on `workers` (a cluster, say),
    else on a pool of `jobs` forked processes.
    """
    if html_for and html_dir is None:
        raise ValueError("html_for needs an html_dir to write the bodies into")
    request = UpdateRequest(
        list(articles),
        md,
        workers or LocalWorkers(jobs),
        read_body,
        progress,
        html_for or set(),
        html_dir,
    )
    steps = _update(config, request)
    return PendingSearch(config, steps)


class UpdateRequest(NamedTuple):
    """What start_search was asked: the articles, and how to analyse and render them."""

    articles: list[Article]
    md: MarkdownIt
    workers: Workers
    read_body: ReadBody | None
    progress: Progress | None
    html_for: set[str]
    html_dir: Path | None


def _update(config: Config, request: UpdateRequest) -> Generator[None, None, SearchUpdate]:
    """The update, in two steps: up to starting the workers, then the rest; under the
    search lock from the first step to the last (or to a cancel: closing the generator)."""
    folder = search_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    with index_lock(folder):
        return (yield from _locked_update(config, folder, request))


def _locked_update(
    config: Config, folder: Path, request: UpdateRequest
) -> Generator[None, None, SearchUpdate]:
    articles, md, workers, read_body, progress, html_for, html_dir = request
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    partial_dir = folder / "buckets"
    static_dir = folder / "static"
    partial_dir.mkdir(exist_ok=True)
    static_dir.mkdir(exist_ok=True)

    if html_for and html_dir is not None:
        html_dir.mkdir(parents=True, exist_ok=True)
    digests = {article.path: article_digest(article) for article in articles}
    buckets: list[list[tuple[Article, str]]] = [[] for _ in range(BUCKETS)]
    for article in sorted(articles, key=lambda a: a.path):
        buckets[bucket_of(article.path)].append((article, digests[article.path]))
    bucket_digests = [
        _digest([PARTIAL_FORMAT, static.export_settings(), *[(a.path, d) for a, d in b]])
        for b in buckets
    ]

    state = read_state(folder)
    ix = open_trusted(folder, state)
    stats = IndexStats(documents=len(articles))
    indexed: dict[str, str] = dict(state["docs"]) if state is not None and ix else {}
    index_id = state["index"] if state is not None and ix is not None else uuid.uuid4().hex
    changed = [a for a in articles if indexed.get(a.path) != digests[a.path]]
    removed = [path for path in indexed if path not in digests]

    if ix is None:
        stats.rebuilt = True
        ix = fresh_index(folder)
        stale = list(range(BUCKETS))
    else:
        stale = [b for b in range(BUCKETS) if _partial_digest(partial_dir, b) != bucket_digests[b]]
    changed_paths = {a.path for a in changed}
    job = _Job(
        buckets=buckets,
        digests=bucket_digests,
        md=md,
        read_body=read_body,
        partial_dir=partial_dir,
        static_dir=static_dir,
        index_dir=(folder / "index") if stats.rebuilt else None,
        want_analysed=set() if stats.rebuilt else changed_paths,
        want_html=html_for,
        html_dir=html_dir,
    )
    bodies: dict[str, BodyHtml] = {}
    writer = None
    pending: Pending | None = None
    if stats.rebuilt or changed or removed:
        writer = open_writer(ix, folder, WRITER_MB)
    try:
        total_docs = sum(len(buckets[b]) for b in stale)
        report("Indexing for search", 0, total_docs)
        if stats.rebuilt:
            groups = _groups(stale, buckets, SEGMENT_ARTICLES, workers.jobs)
            pending = workers.start(_cold_group, job, groups, min_items=2)
            yield
            results = pending.results()
            segments = [segment for segment, _ in results if segment is not None]
            for _, found in results:
                bodies.update(found)
            analysed: dict[str, Analysed] = {}
            assert writer is not None
            writer._close_segment()  # the parent's own segment stays empty
            writer._commit_toc(segments)
            writer._finish()
            writer = None
            stats.added = len(articles)
            indexed = dict(digests)
        else:
            work = [b for b in stale if buckets[b]] + [b for b in stale if not buckets[b]]
            # a worker even for one bucket (an edit): it analyses while the build plans
            many = sum(len(buckets[b]) for b in work) >= 200
            pending = (workers if many else SERIAL).start(_analyse_bucket, job, work, min_items=1)
            yield
            results = pending.results()
            analysed = {path: a for found, _ in results for path, a in found.items()}
            for _, found in results:
                bodies.update(found)
            if writer is not None:
                apply_changes(
                    writer,
                    indexed,
                    digests,
                    changed,
                    removed,
                    lambda a: analysed.get(a.path) or analyse(with_body(a, read_body), md),
                    stats,
                )
                writer = None
        report("Indexing for search", total_docs, total_docs)
    except BaseException:  # GeneratorExit too: the caller cancelled
        if pending is not None:
            pending.cancel()
        if writer is not None:
            writer.cancel()
        raise
    stats.generation = ix.latest_generation()
    if stats.changed or state is None:
        write_state(folder, index_id, stats.generation, indexed)
    stats.seconds = time.perf_counter() - started

    version = _digest(bucket_digests)
    manifest = static.read_manifest(static_dir)
    exported = False
    if manifest is None or manifest.get("version") != version:
        report("Exporting search", 0, 0)
        manifest = static.export_partials(
            static_dir, version, [partial_dir / _partial_name(b) for b in range(BUCKETS)], workers
        )
        exported = True
    return SearchUpdate(stats, manifest["meta"], manifest["files"], static_dir, exported, bodies)


#: small updates (an edit's bucket) are analysed here, while the build plans
SERIAL = LocalWorkers(1)


def _groups(stale: list[int], buckets: list[list], per_group: int, jobs: int) -> list[list[int]]:
    """Consecutive buckets into groups of at most about `per_group` articles (one Whoosh
    segment each), as many as a multiple of `jobs` so the workers finish together."""
    total = sum(len(buckets[b]) for b in stale)
    count = -(-total // per_group)  # ceiling
    count = max(1, min(len(stale), -(-count // jobs) * jobs))
    groups: list[list[int]] = [[]]
    size = 0
    for b in stale:
        if size >= total * len(groups) / count and len(groups) < count:
            groups.append([])
        groups[-1].append(b)
        size += len(buckets[b])
    return [g for g in groups if g]


def _partial_name(bucket: int) -> str:
    return f"{bucket:02d}.partial"


def _partial_digest(partial_dir: Path, bucket: int) -> str | None:
    header = static.partial_header(partial_dir / _partial_name(bucket))
    return header["digest"] if header else None


# -- worker side ------------------------------------------------------------------------


def _analyse_bucket(job: _Job, bucket: int) -> tuple[dict[str, Analysed], dict[str, BodyHtml]]:
    """Analyse one bucket into its partial file; the analyses the parent asked for, and
    where the bodies it asked for are."""
    wanted: dict[str, Analysed] = {}
    html = _HtmlFile(job.html_dir, f"bucket-{bucket:02d}")
    try:
        for item in _analyse_and_store(job, bucket, html)[0]:
            if item.path in job.want_analysed:
                wanted[item.path] = item
    finally:
        bodies = html.close()
    return wanted, bodies


def _cold_group(job: _Job, group: list[int]) -> tuple[Any, dict[str, BodyHtml]]:
    """Analyse a run of buckets, writing their partials and one Whoosh segment."""
    assert job.index_dir is not None
    ix = whoosh_index.open_dir(str(job.index_dir))
    writer = AnalysedSegmentWriter(ix, limitmb=WRITER_MB)
    html = _HtmlFile(job.html_dir, f"group-{group[0]:02d}")
    count = 0
    try:
        for bucket in group:
            items, inverted = _analyse_and_store(job, bucket, html)
            writer.add_bucket(items, inverted)
            count += len(items)
        if count == 0:
            writer._close_segment()
            return None, html.close()
        return writer._finalize_segment(), html.close()
    except BaseException:
        html.close()
        writer.cancel()
        raise


def _analyse_and_store(job: _Job, bucket: int, html: _HtmlFile) -> tuple[list[Analysed], Inverted]:
    """Analyse a bucket (bodies HTML made on the way for the paths wanted) and write
    its partial."""
    md = job.md
    items = []
    for article, _ in job.buckets[bucket]:
        article = with_body(article, job.read_body)
        env: dict[str, Any] = {}
        tokens = md.parse(article.body, env)
        items.append(analyse(article, md, tokens))
        if article.path in job.want_html:
            html.add(article.path, render_parsed(md, tokens, env))
    inverted = invert(items)
    static.write_partial(
        job.partial_dir / _partial_name(bucket),
        job.digests[bucket],
        items,
        job.static_dir,
        inverted,
    )
    return items, inverted
