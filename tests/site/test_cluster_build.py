"""`sitegen build` through a Dask cluster writes byte for byte what the build writes
here: the example archive (cold, with and without bodies kept in memory, and
incrementally) and the shared seeds, on a LocalCluster of two worker processes on
127.0.0.1; a worker killed mid-build changes nothing; a scheduler gone mid-build leaves
build/ as it was, with a clear problem."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import cli
from sitegen.config import load_config
from sitegen.site import load
from sitegen.site.pipeline import build_site
from sitegen.site.state import load_state
from tests.conftest import REPO, write_site

pytest.importorskip("distributed", reason="the cluster extra: pip install 'sitegen[cluster]'")

from sitegen.cluster import ClusterWorkers, connect  # noqa: E402 (after the skip)

QUERIES = ["harbour", "council vote", 'author:"mira castell"', "rovers -harbour"]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def example_site(tmp_path: Path, name: str) -> Path:
    """A copy of the repository's example archive."""
    site = tmp_path / name
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "sitegen.toml", site / "sitegen.toml")
    return site


def searched(site: Path) -> list[str]:
    """What `sitegen search` finds in the site's Whoosh index for QUERIES."""
    runner = CliRunner()
    found = []
    for query in QUERIES:
        result = runner.invoke(cli, ["search", query, "--site", str(site)], catch_exceptions=False)
        found.append(re.sub(r" in [0-9.]+ ms", "", result.output))  # how long it took
    return found


@pytest.fixture(scope="module")
def two_workers():
    with connect("local:2") as running:
        running.client.wait_for_workers(2, timeout=30)
        yield running


def saved_state(site: Path):
    return load_state(load_config(site).cache_dir)


def built_here(site: Path, **options) -> object:
    report = build_site(load_config(site), jobs=2, **options)
    assert not report.problems
    return report


def built_there(site: Path, cluster, **options) -> tuple[object, ClusterWorkers]:
    workers = ClusterWorkers(cluster)
    report = build_site(load_config(site), workers=workers, **options)
    assert not report.problems
    return report, workers


@pytest.mark.parametrize("keep_bodies", [True, False], ids=["bodies kept", "bodies read again"])
def test_the_example_archive_built_on_the_cluster_is_the_local_build(
    tmp_path, two_workers, monkeypatch, keep_bodies
):
    if not keep_bodies:  # as a big archive: the workers drop bodies and read them again
        monkeypatch.setattr(load, "BODIES_IN_MEMORY", 5)
    here, there = example_site(tmp_path, "here"), example_site(tmp_path, "there")
    built_here(here)
    report, workers = built_there(there, two_workers)
    assert report.files > 400 and tree(there / "build") == tree(here / "build")
    # every heavy stage ran there: parsing, the search analysis, planning and rendering
    assert {"parse_one", "cold_group", "plan_and_render"} <= set(workers.busy)
    assert workers.tasks >= 3 * 2
    # the workers' plan is this process's: same signatures, families, related lists
    state_here, state_there = saved_state(here), saved_state(there)
    assert state_there.outputs == state_here.outputs and len(state_here.outputs) > 400
    assert state_there.families == state_here.families
    assert state_there.pages == state_here.pages and state_there.related == state_here.related
    found = searched(here)
    assert searched(there) == found and any(" results" in output for output in found)


def test_incremental_builds_on_the_cluster_match_the_local_ones(tmp_path, two_workers):
    here, there = example_site(tmp_path, "here"), example_site(tmp_path, "there")
    built_here(here)
    built_there(there, two_workers)
    for site in (here, there):
        articles = sorted((site / "content").rglob("*.md"))
        edited = articles[3]
        edited.write_text(edited.read_text() + "\nA correction, appended later.\n")
        articles[5].unlink()
        new = site / "content" / "2024" / "01" / "added-on-the-cluster.md"
        new.parent.mkdir(parents=True, exist_ok=True)
        new.write_text("---\ntitle: Added later\ndate: 2024-01-05\n---\n\nA new harbour story.\n")
    again_here = built_here(here)
    again_there, _ = built_there(there, two_workers)
    assert again_there.incremental and again_here.incremental
    assert sorted(again_there.changed) == sorted(again_here.changed)
    assert again_there.removed_paths == again_here.removed_paths
    assert tree(there / "build") == tree(here / "build")
    assert searched(there) == searched(here)
    # and a clean build on the cluster after them writes the same again
    built_there(there, two_workers, clean=True)
    assert tree(there / "build") == tree(here / "build")


def test_the_seeds_imported_and_built_on_the_cluster_match(tmp_path, two_workers):
    from tests.ingest.conftest import seeds_dir

    seeds = seeds_dir()
    if seeds is None:
        pytest.skip("the shared seeds are not beside the repository")
    here, there = tmp_path / "here", tmp_path / "there"
    runner = CliRunner()
    for site, extra in ((here, []), (there, ["--cluster", "local:2"])):
        write_site(site, {})
        result = runner.invoke(
            cli, ["import", str(seeds), "--site", str(site), *extra], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
    assert tree(there / "content") == tree(here / "content")
    built_here(here)
    built_there(there, two_workers)
    assert len(tree(here / "build")) > 20 and tree(there / "build") == tree(here / "build")


def test_a_worker_killed_mid_build_changes_nothing_in_the_site(tmp_path, two_workers):
    here, there = example_site(tmp_path, "here"), example_site(tmp_path, "there")
    built_here(here)
    victim = sorted(two_workers.client.run(os.getpid).values())[0]
    killed: list[int] = []

    def kill_once(stage: str, done: int, total: int) -> None:
        if stage == "Writing pages" and done > 0 and not killed:
            killed.append(done)
            os.kill(victim, signal.SIGKILL)

    built_there(there, two_workers, progress=kill_once)
    assert killed and tree(there / "build") == tree(here / "build")
    two_workers.client.wait_for_workers(2, timeout=30)  # the nanny starts a new one
    assert victim not in two_workers.client.run(os.getpid).values()


def test_a_template_error_on_a_worker_names_the_template_and_leaves_the_site_alone(
    tmp_path, two_workers
):
    """A clean build on the cluster plans and renders on the workers (plan_on_workers):
    a template failing there is one problem naming it, as here, and build/ stays."""
    site = example_site(tmp_path, "site")
    built_there(site, two_workers)
    before = tree(site / "build")
    templates = site / "theme" / "templates"
    templates.mkdir(parents=True)
    (templates / "article.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n{{ no_such_value.title }}\n{% endblock %}\n'
    )
    report = build_site(load_config(site), workers=ClusterWorkers(two_workers), clean=True)
    assert not report.written and len(report.problems) == 1
    problem = report.problems[0]
    assert problem.path.endswith("article.html") and problem.line == 3
    assert "no_such_value" in problem.message
    assert tree(site / "build") == before
    assert not list(site.glob("build.tmp-*"))
    (templates / "article.html").unlink()
    built_there(site, two_workers, clean=True)
    assert tree(site / "build") == before


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_scheduler_gone_mid_build_leaves_the_site_as_it_was(tmp_path):
    """A real scheduler and two workers, each a process of its own; the scheduler is
    killed while the pages are being written."""
    site = example_site(tmp_path, "site")
    built_here(site)
    before, content = tree(site / "build"), tree(site / "content")
    port = free_port()
    python = sys.executable
    scheduler = subprocess.Popen(
        [python, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1"]
        + ["--port", str(port), "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    workers = [
        subprocess.Popen(
            [python, "-m", "distributed.cli.dask_worker", f"tcp://127.0.0.1:{port}"]
            + ["--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(2)
    ]
    killed: list[int] = []

    def kill_the_scheduler(stage: str, done: int, total: int) -> None:
        if stage == "Writing pages" and not killed:
            killed.append(done)
            os.killpg(scheduler.pid, signal.SIGKILL)

    try:
        deadline = time.monotonic() + 30
        while True:  # the scheduler takes a moment to listen
            try:
                cluster_context = connect(f"tcp://127.0.0.1:{port}")
                cluster = cluster_context.__enter__()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        try:
            cluster.client.wait_for_workers(2, timeout=30)
            report = build_site(
                load_config(site),
                workers=ClusterWorkers(cluster),
                clean=True,
                progress=kill_the_scheduler,
            )
        finally:
            with contextlib.suppress(Exception):  # a client whose scheduler is gone
                cluster_context.__exit__(None, None, None)
    finally:
        for process in (scheduler, *workers):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert killed
    assert [p.path for p in report.problems] == ["--cluster"]
    assert "the cluster went away" in report.problems[0].message
    assert "\n" not in report.problems[0].message
    assert tree(site / "build") == before and tree(site / "content") == content
    assert sorted(p.name for p in site.iterdir()) == [".sitegen-cache", "build", "content"] + [
        "sitegen.toml"
    ]


def test_build_cluster_option_and_its_problems(tmp_path):
    site = example_site(tmp_path, "site")
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--site", str(site), "--cluster", "local:0"])
    assert result.exit_code != 0 and "expected local:N" in result.output
    assert not (site / "build").exists()
    (site / "sitegen.toml").write_text(
        (site / "sitegen.toml").read_text() + '\n[cluster]\naddress = "local:x"\n'
    )
    result = runner.invoke(cli, ["build", "--site", str(site)])
    assert result.exit_code != 0 and "expected local:N" in result.output
    assert "--cluster" in runner.invoke(cli, ["build", "--help"]).output


def test_build_cluster_on_the_command_line_with_timings(tmp_path):
    site = example_site(tmp_path, "site")
    result = CliRunner().invoke(
        cli,
        ["build", "--site", str(site), "--cluster", "local:2", "--timings"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "on the cluster (2 workers" in result.output and "plan_and_render" in result.output
    assert (site / "build" / "index.html").is_file()
