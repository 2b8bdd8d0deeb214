"""The forked pools the build runs its heavy stages in."""

from __future__ import annotations

import gc
import os

import pytest

from sitegen.parallel import batch_collection, can_fork, fork_map, fork_map_async


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@pytest.mark.skipif(not can_fork(), reason="needs fork")
def test_async_map_runs_in_workers_and_keeps_the_order():
    pending = fork_map_async(square_and_pid, list(range(20)), 2, min_items=2)
    results = pending.results()
    assert [value for value, _ in results] == [n * n for n in range(20)]
    assert os.getpid() not in {pid for _, pid in results}


@pytest.mark.skipif(not can_fork(), reason="needs fork")
def test_one_item_can_go_to_a_worker_while_the_caller_works():
    pending = fork_map_async(square_and_pid, [7], 2, min_items=1)
    ((value, pid),) = pending.results()
    assert value == 49 and pid != os.getpid()


def test_async_map_without_a_pool_runs_when_asked():
    pending = fork_map_async(square_and_pid, [1, 2, 3], 1)
    assert [(v, pid) for v, pid in pending.results()] == [
        (1, os.getpid()),
        (4, os.getpid()),
        (9, os.getpid()),
    ]


@pytest.mark.skipif(not can_fork(), reason="needs fork")
def test_a_cancelled_async_map_leaves_no_workers():
    import multiprocessing

    pending = fork_map_async(square_and_pid, list(range(10)), 2, min_items=2)
    pending.cancel()
    pending.cancel()  # twice is fine
    assert multiprocessing.active_children() == []


def test_batch_collection_restores_the_thresholds_and_freezing_is_undone():
    before = gc.get_threshold()
    with batch_collection():
        assert gc.get_threshold()[0] > before[0]
        assert fork_map(square_and_pid, list(range(60)), 2)[-1][0] == 59 * 59
        assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before
