"""What a build on a cluster sends, in bytes: run by hand for the estimate in RESULTS.md.

Builds the site in this process through Workers that do what a cluster's do to data
(everything a task takes or returns is pickled, nothing inherited) and count it:
per task function, the shared data scattered to every worker once, the items that
travel inside the tasks (through the scheduler) and the results coming back.

    python benchmarks/cluster_bytes.py --site /dev/shm/s10k [--no-bodies]

--no-bodies builds as an archive above BODIES_IN_MEMORY does (bodies read again on
the workers, not sent): what 100k and more articles do.
"""

from __future__ import annotations

import argparse
import pickle
import shutil
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any


class CountingWorkers:
    """sitegen.parallel.Workers that pickle what a cluster would, and count it."""

    inherits = False
    jobs = 2

    def __init__(self) -> None:
        self.bytes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.tasks: dict[str, int] = defaultdict(int)

    def _run(self, task: Callable, shared: Any, items: list, chunk: int) -> list:
        name = task.__name__.lstrip("_")
        blob = pickle.dumps(shared, protocol=5)
        self.bytes[name]["shared, once a worker"] += len(blob)
        copy = pickle.loads(blob)
        results = []
        for start in range(0, len(items), chunk):
            part = items[start : start + chunk]
            self.bytes[name]["in tasks"] += len(pickle.dumps(part, protocol=5))
            self.tasks[name] += 1
            made = [task(copy, item) for item in part]
            self.bytes[name]["results"] += len(pickle.dumps(made, protocol=5))
            results.extend(made)
        return results

    def map(self, task, shared, items, *, min_items=0, progress=None, chunk_size=None):
        from sitegen.cluster import chunk_size_for

        return self._run(task, shared, items, chunk_size or chunk_size_for(len(items), self.jobs))

    def start(self, task, shared, items, *, min_items=2):
        results = self._run(task, shared, items, 1)

        class Done:
            def results(self) -> list:
                return results

            def cancel(self) -> None:
                pass

        return Done()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--no-bodies", action="store_true")
    args = parser.parse_args()
    from sitegen.config import load_config
    from sitegen.site import load
    from sitegen.site.pipeline import build_site

    if args.no_bodies:
        load.BODIES_IN_MEMORY = 0
    for folder in ("build", ".sitegen-cache"):
        shutil.rmtree(args.site / folder, ignore_errors=True)
    workers = CountingWorkers()
    started = time.perf_counter()
    report = build_site(load_config(args.site), workers=workers)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    print(f"{report.articles} articles, {report.files} files, {seconds:.1f} s, {report.problems}")
    total = 0
    for name, kinds in workers.bytes.items():
        parts = ", ".join(f"{kind} {size / 1e6:.1f} MB" for kind, size in kinds.items())
        print(f"  {name:<16} {workers.tasks[name]:>5} tasks: {parts}")
        total += sum(kinds.values())
    per = total / max(1, report.articles)
    print(f"  all: {total / 1e6:.1f} MB, {per / 1e3:.1f} KB an article")


if __name__ == "__main__":
    main()
