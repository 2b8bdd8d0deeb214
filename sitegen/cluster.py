"""The per-file work of import and build on a Dask cluster (`sitegen[cluster]`).

Owns the connection (`connect`: a running scheduler's address, or `local:N` for a
LocalCluster of N worker processes on 127.0.0.1), the one way work is sent
(`ordered_chunks`: items cut into chunks, one task a chunk, never one a file, results
back in input order, progress fed from task completions) and the check that every worker
sees the site's folder. Workers read and write the site on a filesystem they all see;
what a task takes and returns must pickle (no state inherited by fork, unlike
sitegen.parallel's pool).
Not here: what the tasks do (the stages own their task functions).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.model import Problem, ProblemError
from sitegen.parallel import batch_collection, frozen_heap

LOCAL_PREFIX = "local:"
INSTALL_HINT = "pip install 'sitegen[cluster]'"
CONNECT_SECONDS = 20


@dataclass
class Cluster:
    """A Dask client, and the LocalCluster behind it when this process started one."""

    client: Any
    local: Any = None

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def close(self) -> None:
        self.client.close()
        if self.local is not None:
            self.local.close()


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ProblemError(
            Problem("--cluster", f"running on a cluster needs Dask: {INSTALL_HINT}")
        ) from None
    return distributed


def local_workers(address: str) -> int | None:
    """N of `local:N`; None for a scheduler's address. Raises ProblemError when malformed."""
    if not address.startswith(LOCAL_PREFIX):
        return None
    count = address[len(LOCAL_PREFIX) :]
    if not (count.isascii() and count.isdigit()) or not 1 <= int(count) <= 256:
        raise ProblemError(
            Problem("--cluster", f"'{address}': expected local:N with N from 1 to 256")
        )
    return int(count)


@contextmanager
def connect(address: str) -> Iterator[Cluster]:
    """A client for `address` (`tcp://host:8786`, or `local:N`), closed on exit."""
    count = local_workers(address)
    distributed = _distributed()
    import dask

    local = None
    try:
        if count is not None:
            # Dask's own sampling profiler (every 10 ms, in each worker) is for its
            # dashboard, which these workers do not serve
            dask.config.set({"distributed.worker.profile.enabled": False})
            local = distributed.LocalCluster(
                n_workers=count,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            client = distributed.Client(local, timeout=CONNECT_SECONDS)
        else:
            # results and the scattered catalog go between this process and the workers
            # directly, not through the scheduler (which would carry every byte twice)
            client = distributed.Client(address, timeout=CONNECT_SECONDS, direct_to_workers=True)
    except (OSError, TimeoutError, ValueError) as exc:  # ValueError: a malformed address
        if local is not None:
            local.close()
        raise ProblemError(
            Problem("--cluster", f"cannot reach the Dask scheduler at {address}: {exc}")
        ) from None
    cluster = Cluster(client, local)
    try:
        yield cluster
    finally:
        cluster.close()


def _sees(folder: str) -> str | None:
    """On a worker: why it cannot use `folder`, or None when it can."""
    if not os.path.isdir(folder):
        return "no such folder"
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        return "not readable and writable"
    return None


def require_shared_folder(cluster: Cluster, folder: Path) -> None:
    """Every worker must see the site's folder (a shared filesystem): a clear error
    naming the folder and the first worker that does not."""
    answers = cluster.client.run(_sees, str(folder))
    for worker, why in sorted(answers.items()):
        if why is not None:
            raise ProblemError(
                Problem(
                    str(folder),
                    f"the cluster's worker {worker} cannot use this folder ({why}); "
                    "workers read and write the site on a filesystem they all see",
                )
            )


def first_line(exc: BaseException) -> str:
    """Dask's messages run to several lines; the first says what happened."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def ordered_chunks(
    cluster: Cluster,
    task: Callable[[list], list],
    items: list,
    *,
    chunk_size: int,
    shared: tuple = (),
    window: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list]:
    """task(chunk) for chunks of `items` on the cluster, each chunk's results yielded in
    input order as soon as it and the ones before it are done; at most `window` chunks
    (default: four a worker) are out at once, so the client holds a few chunks' results,
    never the whole run's. `shared`: further arguments of every task (scattered data,
    say), after the chunk. A worker lost mid-run has its tasks re-run elsewhere by the
    scheduler; a scheduler gone raises ProblemError."""
    distributed = _distributed()
    parts = chunks(items, max(1, chunk_size))
    window = window or max(2, 4 * max(1, cluster.workers))
    pending = distributed.as_completed()
    numbers: dict[str, int] = {}
    outstanding: dict[str, Any] = {}  # submitted, not yet taken
    finished: dict[int, list] = {}
    submitted = next_out = done_items = 0
    try:
        while next_out < len(parts):
            while submitted < len(parts) and submitted - next_out < window:
                future = cluster.client.submit(task, parts[submitted], *shared, pure=False)
                numbers[future.key] = submitted
                outstanding[future.key] = future
                pending.add(future)
                submitted += 1
            future = next(pending)
            number = numbers.pop(future.key)
            del outstanding[future.key]
            finished[number] = future.result()
            done_items += len(parts[number])
            if progress is not None:
                progress(done_items)
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
    except (OSError, distributed.client.FutureCancelledError) as exc:
        raise went_away(exc) from None
    finally:  # a task failed, or the cluster went: none of this run's tasks goes on
        if outstanding:
            with suppress(Exception):
                cluster.client.cancel(list(outstanding.values()))


def went_away(exc: BaseException, when: str = " mid-run") -> ProblemError:
    """The one problem of a cluster lost (the scheduler gone, the connection cut)."""
    return ProblemError(Problem("--cluster", f"the cluster went away{when}: {first_line(exc)}"))


def _run_chunk(chunk: list, task: Callable[[Any, Any], Any], shared: Any) -> tuple[list, float]:
    """On a worker: the chunk's results, and the seconds they took there. As in the
    forked pool, the collector runs seldom and leaves what the worker held before the
    task alone (the shared catalog): its full passes over that were a third of a task."""
    started = time.perf_counter()
    with batch_collection(), frozen_heap():
        results = [task(shared, item) for item in chunk]
    return results, time.perf_counter() - started


def chunk_size_for(items: int, workers: int) -> int:
    """About eight chunks a worker, each at least one item and at most CHUNK_MOST: fewer
    round trips through the scheduler than one task a file, and a lost worker costs
    little to redo."""
    return max(1, min(CHUNK_MOST, items // (8 * max(1, workers)) or 1))


#: the most items one task of ClusterWorkers takes
CHUNK_MOST = 256


class ClusterWorkers:
    """sitegen.parallel.Workers on a Dask cluster: items in chunks, one task a chunk;
    `shared` sent to every worker once (scattered), never with each task."""

    inherits = False

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.jobs = max(1, cluster.workers)
        self.busy: dict[str, float] = {}  # task function -> seconds its tasks took on workers
        self.tasks = 0  # tasks sent

    def _count(self, task: Callable, seconds: float) -> None:
        name = task.__name__.lstrip("_")
        self.busy[name] = self.busy.get(name, 0.0) + seconds

    def _scatter(self, shared: Any) -> Any:
        try:
            return self.cluster.client.scatter(shared, broadcast=True, hash=False)
        except OSError as exc:
            raise went_away(exc, "") from None

    def map(
        self,
        task: Callable[[Any, Any], Any],
        shared: Any,
        items: list,
        *,
        min_items: int = 0,
        progress: Callable[[int], None] | None = None,
        chunk_size: int | None = None,
    ) -> list:
        if not items:
            return []
        results: list = []
        size = chunk_size or chunk_size_for(len(items), self.jobs)
        self.tasks += -(-len(items) // size)
        with frozen_heap():
            for part, seconds in ordered_chunks(
                self.cluster,
                _run_chunk,
                items,
                chunk_size=size,
                shared=(task, self._scatter(shared)),
                progress=progress,
            ):
                results.extend(part)
                self._count(task, seconds)
        return results

    def start(
        self, task: Callable[[Any, Any], Any], shared: Any, items: list, *, min_items: int = 2
    ) -> ClusterPending:
        """Every item a task of its own (the callers give few, big ones: search's groups)."""
        scattered = self._scatter(shared)
        futures = [
            self.cluster.client.submit(_run_chunk, [item], task, scattered, pure=False)
            for item in items
        ]
        self.tasks += len(futures)
        return ClusterPending(self.cluster, futures, lambda seconds: self._count(task, seconds))


class ClusterPending:
    """Tasks submitted to the cluster; results() gathers them in order."""

    def __init__(self, cluster: Cluster, futures: list, count: Callable[[float], None]) -> None:
        self.cluster, self.futures, self._count = cluster, futures, count

    def results(self) -> list:
        distributed = _distributed()
        try:
            with frozen_heap():
                parts = self.cluster.client.gather(self.futures)
        except (OSError, distributed.client.FutureCancelledError) as exc:
            raise went_away(exc) from None
        finally:
            self.futures = []
        for _, seconds in parts:
            self._count(seconds)
        return [result for part, _ in parts for result in part]

    def cancel(self) -> None:
        if self.futures:
            with suppress(Exception):  # the cluster may be gone already
                self.cluster.client.cancel(self.futures)
            self.futures = []
