"""Fuzzing by hand: the suite's properties (tests/test_fuzz.py) with many more examples.

    PYTHONPATH=. python benchmarks/fuzz.py                     # 20,000 per target
    PYTHONPATH=. python benchmarks/fuzz.py --examples 100000 --target content --seed 7

The suite runs each property a few hundred to a few thousand times with a fixed seed, so
CI stays reproducible; this script draws fresh random examples on every run (or a given
--seed's) and prints, per target, the examples tried, the distinct failures found, and
the time taken. Hypothesis prints each failure's smallest falsifying example as it goes;
turn every one into an ordinary regression test beside the module's tests, then fix it.
"Examples tried" counts every call of the property, shrinking included; once a target
fails, Hypothesis stops drawing new examples for it and shrinks what failed. The exit
status is 1 if anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as with_seed  # noqa: E402

from tests.test_fuzz import TARGETS, Target  # noqa: E402


def _describe(exc: BaseException) -> str:
    """The exception's first line, then Hypothesis's notes: the falsifying example."""
    lines = str(exc).splitlines()
    head = f"  {type(exc).__name__}: {lines[0][:200] if lines else ''}"
    notes = [f"    {note}" for note in getattr(exc, "__notes__", [])]
    return "\n".join([head, *notes])


def run_target(target: Target, examples: int, seed: int | None) -> tuple[int, int, float]:
    """(examples tried, distinct failures, seconds) for one target's property."""
    calls = 0

    with contextlib.ExitStack() as stack:
        resource = stack.enter_context(target.context()) if target.context else None

        def prop(**kwargs: Any) -> None:
            nonlocal calls
            calls += 1
            if resource is None:
                target.check(**kwargs)
            else:
                target.check(resource, **kwargs)

        test = settings(
            max_examples=examples,
            derandomize=False,
            database=None,
            deadline=None,
            report_multiple_bugs=True,
            suppress_health_check=list(HealthCheck),
            print_blob=True,  # a failure prints how to reproduce it: @reproduce_failure(...)
        )(given(**target.args)(prop))
        if seed is not None:
            test = with_seed(seed)(test)
        started = time.perf_counter()
        try:
            test()
            failures = 0
        except BaseExceptionGroup as group:  # several distinct bugs
            for exc in group.exceptions:
                print(_describe(exc))
            failures = len(group.exceptions)
        except Exception as exc:  # one bug (Hypothesis has printed its example)
            print(_describe(exc))
            failures = 1
        return calls, failures, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=20000, help="examples per target")
    parser.add_argument(
        "--target", action="append", choices=sorted(TARGETS), help="only these (repeatable)"
    )
    parser.add_argument("--seed", type=int, help="draw the same examples as an earlier run")
    args = parser.parse_args()
    names = args.target or list(TARGETS)
    rows = []
    for name in names:
        print(f"{name}: {args.examples:,} examples ...", flush=True)
        tried, failures, seconds = run_target(TARGETS[name], args.examples, args.seed)
        rows.append((name, tried, failures, seconds))
    print()
    print(f"{'target':<16}{'examples tried':>16}{'failures':>10}{'seconds':>10}")
    for name, tried, failures, seconds in rows:
        print(f"{name:<16}{tried:>16,}{failures:>10}{seconds:>10.1f}")
    return 1 if any(row[2] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
