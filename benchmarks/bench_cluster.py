"""What running `sitegen build` (and `import`) on a Dask cluster costs against the process pool.

Run by hand on this machine (issue 20), e.g.

    python benchmarks/bench_cluster.py --site /tmp/s10k --articles 10000 --rounds 3
    python benchmarks/bench_cluster.py --site /tmp/s100k --articles 100000 --rounds 3 \\
        --python .venv/bin/python --json /tmp/cluster-100k.json

Modes, alternated within every round so that drift in the machine's speed falls on all
of them alike:
- `pool`: no --cluster, sitegen's own process pool with --jobs 2;
- `local`: `--cluster local:2`, a LocalCluster started (and timed) inside the run;
- `tcp`: `--cluster tcp://127.0.0.1:P`, against `dask scheduler` and two
  `dask worker --nthreads 1` started by this script as separate processes before the
  run (not timed) and stopped after it, so each run meets a fresh, idle cluster.

Every run is a cold one (DIR/build and DIR/.sitegen-cache removed first) in a child
process, start-up included. Measured: wall seconds, and the peak memory of the sitegen
process alone, not its workers' (the issue asks that it stay flat in archive size:
compare the 10k and 100k figures); for tcp, also each worker's peak.

`--what import` does the same for `sitegen import` of synthetic raw dumps
(import_scale.py's pages, into a fresh site each run); `import` has no pool, so its
`pool` row is the plain in-process import. Linux only (/proc, wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
MODES = ("pool", "local", "tcp")
WORKERS = 2
POLL_SECONDS = 0.02
READY_SECONDS = 60
STOP_SECONDS = 10


@dataclass
class Run:
    what: str
    mode: str
    round: int
    seconds: float
    #: the sitegen process's own high-water mark (VmHWM polled until it exits)
    client_mib: float
    #: ru_maxrss from wait4: the largest of the process and the descendants it reaped
    wait4_mib: float
    #: tcp only: each `dask worker`'s largest process (nanny or worker) at its peak
    workers_mib: list[float] = field(default_factory=list)


@dataclass
class Cluster:
    address: str
    groups: list[subprocess.Popen] = field(default_factory=list)


def free_port() -> int:
    """A port nobody listens on now (the OS picks; a small race we accept)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def high_water_kib(pid: int) -> int | None:
    """VmHWM of `pid` in KiB: its own peak resident set so far (gone once it has exited)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return None


def group_members(pgid: int) -> list[int]:
    """The live processes of one process group (a `dask worker`'s nanny and worker)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        # the fields after "(comm)": state, ppid, pgrp, ...; a zombie holds no memory
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry))
    return members


def kill_group(pgid: int) -> None:
    """SIGTERM the whole group, SIGKILL what is left after STOP_SECONDS: no strays."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline and group_members(pgid):
            time.sleep(0.1)
        if not group_members(pgid):
            return


def timed_child(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run `command`; its wall seconds, its own peak MiB and wait4's ru_maxrss in MiB.

    wait4's ru_maxrss is the child's peak RSS, but Linux folds into it the peaks of the
    descendants the child waited for: the pool's forked workers and local:N's spawned
    Dask workers. So the client's own figure is VmHWM (a per-process high-water mark)
    read from /proc every POLL_SECONDS until the child exits; ru_maxrss is kept beside it.
    The child gets its own session, so anything it leaves behind is killed with it.
    """
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True
        )
        own_kib = 0
        try:
            while True:
                own_kib = max(own_kib, high_water_kib(child.pid) or 0)
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                time.sleep(POLL_SECONDS)
            seconds = time.perf_counter() - started
            child.returncode = os.waitstatus_to_exitcode(status)
        finally:
            kill_group(child.pid)
        if child.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace")[-3000:]
            raise SystemExit(f"{' '.join(command)} exited {child.returncode}:\n{tail}")
    return seconds, own_kib / 1024, usage.ru_maxrss / 1024


#: the workers run as sitegen's local:N runs its own: without Dask's sampling profiler,
#: which feeds a dashboard nobody looks at here (README: "Running a cluster for sitegen")
WORKER_ENV = {**os.environ, "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}


@contextmanager
def tcp_cluster(python: str) -> Iterator[Cluster]:
    """`dask scheduler` and WORKERS `dask worker --nthreads 1` on 127.0.0.1, each its own
    process group, ready (all workers registered) on entry, all killed on exit."""
    address = f"tcp://127.0.0.1:{free_port()}"
    cluster = Cluster(address)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    port = address.rsplit(":", 1)[1]
    try:
        scheduler = [python, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", port]
        cluster.groups.append(
            subprocess.Popen([*scheduler, "--no-dashboard"], start_new_session=True, **quiet)
        )
        for _ in range(WORKERS):
            worker = [python, "-m", "dask", "worker", address, "--nthreads", "1"]
            worker += ["--no-dashboard", "--host", "127.0.0.1"]
            cluster.groups.append(
                subprocess.Popen(worker, start_new_session=True, env=WORKER_ENV, **quiet)
            )
        wait = (
            "import distributed, sys\n"
            f"client = distributed.Client(sys.argv[1], timeout={READY_SECONDS})\n"
            f"client.wait_for_workers({WORKERS}, timeout={READY_SECONDS})\n"
            "client.close()\n"
        )
        subprocess.run([python, "-c", wait, address], check=True, **quiet)
        yield cluster
    finally:
        for group in reversed(cluster.groups):  # workers first, then the scheduler
            kill_group(group.pid)
            group.wait()


def workers_peak_mib(cluster: Cluster) -> list[float]:
    """Each worker group's largest VmHWM (the nanny's child does the work), before the kill."""
    peaks = []
    for group in cluster.groups[1:]:
        kib = [high_water_kib(pid) or 0 for pid in group_members(group.pid)]
        peaks.append(round(max(kib, default=0) / 1024, 1))
    return peaks


def write_raw(folder: Path, count: int) -> None:
    """`count` text dumps in import_scale.py's shape (one in twenty a near-copy), once."""
    marker = folder / ".complete"
    if marker.is_file() and marker.read_text() == str(count):
        return
    sys.path.insert(0, str(BENCHMARKS))
    from import_scale import page, sentence  # needs sitegen importable, so only here

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(7)
    bodies: list[list[str]] = []
    for number in range(count):
        if bodies and number % 20 == 19:
            body = list(rng.choice(bodies))
            body[0] = body[0].replace("said", "stated", 1)
        else:
            body = [" ".join(sentence(rng) for _ in range(3)) + f" Ref {number}." for _ in range(6)]
            bodies.append(body)
        (folder / f"{number:06d}.txt").write_text(page(rng, number, body), encoding="utf-8")
    marker.write_text(str(count))


def one_run(python: str, what: str, mode: str, site: Path, raw: Path, number: int) -> Run:
    """One cold build or import in `mode`, the cluster (tcp) started before it and stopped after."""
    if what == "build":
        shutil.rmtree(site / "build", ignore_errors=True)
        shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
        command = [python, "-m", "sitegen", "build", "--site", str(site)]
        cwd = site
    else:
        target = site.with_name(f"{site.name}-import")
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run(
            [python, "-m", "sitegen", "init", str(target)], check=True, capture_output=True
        )
        command = [python, "-m", "sitegen", "import", "--site", str(target), str(raw)]
        cwd = target
    if mode == "pool":
        if what == "build":
            command += ["--jobs", str(WORKERS)]
        seconds, own, wait4 = timed_child(command, cwd)
        return Run(what, mode, number, seconds, own, wait4)
    if mode == "local":
        seconds, own, wait4 = timed_child([*command, "--cluster", f"local:{WORKERS}"], cwd)
        return Run(what, mode, number, seconds, own, wait4)
    with tcp_cluster(python) as cluster:
        seconds, own, wait4 = timed_child([*command, "--cluster", cluster.address], cwd)
        return Run(what, mode, number, seconds, own, wait4, workers_peak_mib(cluster))


def summary(runs: list[Run]) -> list[dict]:
    """Per (what, mode): seconds per round, median, overhead against pool's median, peaks."""
    rows = []
    for what in dict.fromkeys(r.what for r in runs):
        mine = [r for r in runs if r.what == what]
        pool = [r.seconds for r in mine if r.mode == "pool"]
        base = statistics.median(pool) if pool else None
        for mode in dict.fromkeys(r.mode for r in mine):
            these = [r for r in mine if r.mode == mode]
            median = statistics.median(r.seconds for r in these)
            workers = [peak for r in these for peak in r.workers_mib]
            rows.append(
                {
                    "what": what,
                    "mode": mode,
                    "seconds": [round(r.seconds, 2) for r in these],
                    "median": round(median, 2),
                    "overhead_pct": None if base is None else round(100 * (median / base - 1), 1),
                    "client_peak_mib": round(max(r.client_mib for r in these), 1),
                    "wait4_peak_mib": round(max(r.wait4_mib for r in these), 1),
                    "worker_peak_mib": max(workers) if workers else None,
                }
            )
    return rows


def print_table(rows: list[dict]) -> None:
    print(
        f"{'what':<7}{'mode':<7}{'seconds per round':<28}{'median':>8}{'vs pool':>9}"
        f"{'client MiB':>12}{'wait4 MiB':>11}{'worker MiB':>12}"
    )
    for row in rows:
        rounds = " ".join(f"{s:.2f}" for s in row["seconds"])
        overhead = "" if row["overhead_pct"] is None else f"{row['overhead_pct']:+.1f}%"
        worker = "" if row["worker_peak_mib"] is None else f"{row['worker_peak_mib']:.0f}"
        print(
            f"{row['what']:<7}{row['mode']:<7}{rounds:<28}{row['median']:>8.2f}{overhead:>9}"
            f"{row['client_peak_mib']:>12.0f}{row['wait4_peak_mib']:>11.0f}{worker:>12}"
        )


def prepare_site(python: str, site: Path, articles: int | None) -> None:
    """Generate the archive with gen_corpus.py when DIR has no content/ yet."""
    if (site / "content").is_dir():
        return
    if articles is None:
        raise SystemExit(f"{site} has no content/: pass --articles N to generate it")
    generator = str(BENCHMARKS / "gen_corpus.py")
    subprocess.run(
        [python, generator, "--articles", str(articles), "--out", str(site), "--quiet"], check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="the archive to build")
    parser.add_argument("--articles", type=int, help="generate DIR when it has no content/")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mode", action="append", choices=MODES, help="repeatable; default all")
    parser.add_argument("--what", choices=("build", "import", "both"), default="build")
    parser.add_argument("--files", type=int, default=2000, help="raw dumps for --what import")
    parser.add_argument("--python", default=sys.executable, help="the interpreter running sitegen")
    parser.add_argument("--json", type=Path, help="also write the runs and the table here")
    args = parser.parse_args()
    site = args.site.resolve()
    python = args.python
    modes = list(dict.fromkeys(args.mode or MODES))
    whats = ["build", "import"] if args.what == "both" else [args.what]
    raw = site.with_name(f"{site.name}-raw")
    if "build" in whats:
        prepare_site(python, site, args.articles)
    else:
        site.mkdir(parents=True, exist_ok=True)
    if "import" in whats:
        write_raw(raw, args.files)
    runs: list[Run] = []
    for number in range(1, args.rounds + 1):
        for what in whats:
            for mode in modes:
                run = one_run(python, what, mode, site, raw, number)
                runs.append(run)
                workers = f", workers {run.workers_mib} MiB" if run.workers_mib else ""
                print(
                    f"round {number} {what} {mode}: {run.seconds:.2f} s, client "
                    f"{run.client_mib:.0f} MiB (wait4 {run.wait4_mib:.0f}){workers}",
                    flush=True,
                )
    rows = summary(runs)
    print_table(rows)
    if args.json:
        report = {"site": str(site), "runs": [asdict(r) for r in runs], "table": rows}
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
