"""Where the build's heavy stages run (parsing, search analysis, rendering): this
machine's forked pool (LocalWorkers) or a Dask cluster (sitegen.cluster.ClusterWorkers),
both behind one interface, Workers.

A task is `task(shared, item)`: `shared` is what every item needs (a plan, the articles),
given once, `item` one unit of work. In the forked pool the workers inherit `shared`, so
nothing big is pickled on the way in; on a cluster it is sent to each worker once.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections.abc import Callable, Iterator
from typing import Any, Protocol

#: Below this many items a pool costs more than it saves.
PARALLEL_MIN_ITEMS = 50


#: Allocations between the collector's youngest-generation runs during a build (Python's
#: default is 700). A build makes millions of small, acyclic objects (tokens, postings);
#: at the default the collector's full passes over a growing heap cost ~20 % of indexing.
BATCH_GC_THRESHOLD = 50_000


@contextlib.contextmanager
def batch_collection() -> Iterator[None]:
    """Fewer, larger garbage collections for the duration (workers forked inside inherit it)."""
    saved = gc.get_threshold()
    gc.set_threshold(BATCH_GC_THRESHOLD, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """What this process holds set aside from the collector for the duration (forking a
    pool, waiting on a cluster, a cluster's task): else full collections walk the whole
    catalog again and again. A heap frozen by the caller stays frozen."""
    was_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not was_frozen:
            gc.unfreeze()


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(
    func: Callable[[Any], Any],
    items: list,
    jobs: int,
    *,
    progress: Callable[[int], None] | None = None,
    min_items: int = PARALLEL_MIN_ITEMS,
    chunksize: int = 16,
) -> list:
    """func over items, in a forked pool when it pays off; results in input order."""
    if jobs <= 1 or len(items) < min_items or not can_fork():
        results = []
        for done, item in enumerate(items, 1):
            results.append(func(item))
            if progress and done % 50 == 0:
                progress(done)
        if progress:
            progress(len(items))
        return results
    # about eight tasks a worker at least: each task is a round trip through the pool's
    # pipes and threads (reading 10k articles: 2.3 s with 625 tasks, 1.3-1.8 s with 40)
    chunksize = max(chunksize, len(items) // (jobs * 8))
    with _forked_pool(jobs) as pool:
        results = []
        for done, result in enumerate(pool.imap(func, items, chunksize=chunksize), 1):
            results.append(result)
            if progress and done % 50 == 0:
                progress(done)
        if progress:
            progress(len(items))
        return results


class PendingMap:
    """func over items, started in a forked pool and collected later (see fork_map_async)."""

    def __init__(self, func: Callable[[Any], Any], items: list, pool: Any = None) -> None:
        self._func, self._items, self._pool = func, items, pool
        self._async = pool.map_async(func, items, chunksize=1) if pool is not None else None

    def results(self) -> list:
        """Wait for the results (or compute them here, without a pool), in input order."""
        if self._async is None:
            return [self._func(item) for item in self._items]
        try:
            return self._async.get()
        finally:
            self.cancel()

    def cancel(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def fork_map_async(
    func: Callable[[Any], Any], items: list, jobs: int, *, min_items: int = PARALLEL_MIN_ITEMS
) -> PendingMap:
    """fork_map started now and collected with .results(), so the caller can work in the
    meantime (with min_items=1, even one item goes to a worker for that). Without a pool
    the work is done in .results(). The pool has no more workers than items."""
    if jobs <= 1 or not items or len(items) < min_items or not can_fork():
        return PendingMap(func, items)
    return PendingMap(func, items, _forked_pool(min(jobs, len(items))))


def _forked_pool(jobs: int) -> Any:
    """A pool of `jobs` forked workers (close it, or use it as a context manager).

    What the workers inherit is set aside from the collector while they are forked:
    otherwise each worker's first full collection walks (and so copies) every page of
    the parent's heap. A caller that froze its own heap, like serve, keeps it frozen.
    """
    with frozen_heap():
        return multiprocessing.get_context("fork").Pool(jobs)


#: Below this many files to parse or pages to render, the build's pool costs more than it saves.
PARALLEL_THRESHOLD = 400


class Pending(Protocol):
    """Work started on Workers and collected later."""

    def results(self) -> list: ...

    def cancel(self) -> None: ...


class Workers(Protocol):
    """Where `task(shared, item)` runs for each item; results always in input order."""

    jobs: int  # how many workers: the stages size their partitions by it
    #: the workers inherit this process's memory (forked): a task may close over it;
    #: else (a cluster) what they are given must pickle
    inherits: bool

    def map(
        self,
        task: Callable[[Any, Any], Any],
        shared: Any,
        items: list,
        *,
        min_items: int = PARALLEL_THRESHOLD // 8,
        progress: Callable[[int], None] | None = None,
        chunk_size: int | None = None,
    ) -> list: ...

    def start(
        self, task: Callable[[Any, Any], Any], shared: Any, items: list, *, min_items: int = 2
    ) -> Pending: ...


#: what the forked workers of each LocalWorkers call find: key -> (task, shared)
_TASKS: dict[int, tuple[Callable[[Any, Any], Any], Any]] = {}


def _run_keyed(keyed: tuple[int, Any]) -> Any:
    key, item = keyed
    task, shared = _TASKS[key]
    return task(shared, item)


class _KeyedPending:
    def __init__(self, pending: PendingMap, key: int) -> None:
        self._pending, self._key = pending, key

    def results(self) -> list:
        try:
            return self._pending.results()
        finally:
            _TASKS.pop(self._key, None)

    def cancel(self) -> None:
        self._pending.cancel()
        _TASKS.pop(self._key, None)


class LocalWorkers:
    """This machine: `jobs` forked workers when the items are many enough, else this
    process. The workers inherit `shared` (kept under a key while the work runs, so a
    worker the pool starts again later still finds it)."""

    inherits = True

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)

    def map(
        self,
        task: Callable[[Any, Any], Any],
        shared: Any,
        items: list,
        *,
        min_items: int = PARALLEL_THRESHOLD // 8,
        progress: Callable[[int], None] | None = None,
        chunk_size: int | None = None,
    ) -> list:
        if self.jobs <= 1 or len(items) < min_items or not can_fork():
            return fork_map(lambda item: task(shared, item), items, 1, progress=progress)
        key = _new_key(task, shared)
        try:
            keyed = [(key, item) for item in items]
            return fork_map(
                _run_keyed,
                keyed,
                self.jobs,
                progress=progress,
                min_items=0,
                chunksize=chunk_size or 16,
            )
        finally:
            _TASKS.pop(key, None)

    def start(
        self, task: Callable[[Any, Any], Any], shared: Any, items: list, *, min_items: int = 2
    ) -> Pending:
        key = _new_key(task, shared)
        keyed = [(key, item) for item in items]
        return _KeyedPending(fork_map_async(_run_keyed, keyed, self.jobs, min_items=min_items), key)


def _new_key(task: Callable[[Any, Any], Any], shared: Any) -> int:
    key = max(_TASKS, default=0) + 1
    _TASKS[key] = (task, shared)
    return key
