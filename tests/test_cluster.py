"""sitegen.cluster on a real LocalCluster of two worker processes on 127.0.0.1: chunks
in order, progress from completions, a worker killed mid-run, a folder a worker cannot
see, and the messages for a malformed address or a missing install."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen import cluster as cluster_module
from sitegen.cluster import chunks, connect, local_workers, ordered_chunks, require_shared_folder
from sitegen.model import ProblemError

pytest.importorskip("distributed", reason="the cluster extra: pip install 'sitegen[cluster]'")


def squares(chunk: list[int]) -> list[int]:
    return [n * n for n in chunk]


def slow_pids(chunk: list[int]) -> list[tuple[int, int]]:
    time.sleep(0.3)
    return [(n, os.getpid()) for n in chunk]


def map_chunks(cluster, task, items, **options) -> list:
    """Every chunk's results, in input order, as one list."""
    return [result for part in ordered_chunks(cluster, task, items, **options) for result in part]


@pytest.fixture(scope="module")
def two_workers():
    with connect("local:2") as running:
        running.client.wait_for_workers(2, timeout=30)
        yield running


def test_chunks_come_back_in_input_order_with_progress(two_workers):
    seen: list[int] = []
    result = map_chunks(two_workers, squares, list(range(103)), chunk_size=10, progress=seen.append)
    assert result == [n * n for n in range(103)]
    assert sorted(seen)[-1] == 103 and len(seen) == 11  # one report per chunk, 11 chunks


def test_a_worker_killed_mid_run_changes_nothing_in_the_result(two_workers):
    pids = two_workers.client.run(os.getpid)
    victim = sorted(pids.values())[0]
    items = list(range(40))
    started = []

    def kill_once(done: int) -> None:
        if not started:
            started.append(done)
            os.kill(victim, signal.SIGKILL)

    result = map_chunks(two_workers, slow_pids, items, chunk_size=2, progress=kill_once)
    assert [n for n, _ in result] == items
    two_workers.client.wait_for_workers(2, timeout=30)  # the nanny starts a new one
    assert victim not in two_workers.client.run(os.getpid).values()  # it did die mid-run


def test_a_folder_a_worker_cannot_see_is_named_with_the_worker(two_workers, tmp_path):
    require_shared_folder(two_workers, tmp_path)  # a folder this machine's workers share
    missing = tmp_path / "not-mounted-here"
    with pytest.raises(ProblemError) as caught:
        require_shared_folder(two_workers, missing)
    assert caught.value.problem.path == str(missing)
    assert "worker tcp://127.0.0.1:" in caught.value.problem.message


def test_addresses_and_chunks():
    assert local_workers("local:3") == 3 and local_workers("tcp://10.0.0.1:8786") is None
    for bad in ("local:", "local:0", "local:x", "local:999", "local:\u00b2"):  # superscript 2
        with pytest.raises(ProblemError, match="expected local:N"):
            local_workers(bad)
    assert chunks(list(range(5)), 2) == [[0, 1], [2, 3], [4]] and chunks([], 3) == []


def test_an_unreachable_scheduler_is_a_clear_problem(monkeypatch):
    monkeypatch.setattr(cluster_module, "CONNECT_SECONDS", 1)
    unreachable = "cannot reach the Dask scheduler at tcp://127.0.0.1:9"
    with pytest.raises(ProblemError, match=unreachable), connect("tcp://127.0.0.1:9"):
        pass


def test_without_dask_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    hint = r"pip install 'sitegen\[cluster\]'"
    with pytest.raises(ProblemError, match=hint), connect("local:1"):
        pass


@given(st.text(max_size=20).map(lambda tail: "local:" + tail) | st.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_any_address_text_is_a_count_a_scheduler_or_a_clear_problem(address):
    try:
        count = local_workers(address)
    except ProblemError as exc:
        assert exc.problem.path == "--cluster" and "expected local:N" in exc.problem.message
        return
    assert count is None or 1 <= count <= 256
