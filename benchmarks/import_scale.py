"""Throughput and memory of `sitegen import` on many synthetic raw dumps.

    python benchmarks/import_scale.py [N] [--cluster ADDRESS]   (default 2000)

Writes N text dumps in the seeds' shape (menu, headline, byline, six paragraphs drawn from
a pool of generated sentences, an appeal, a related tail) into a temporary folder; one in
twenty is a near-copy of an earlier dump (a word changed, different furniture). Imports
them into a temporary site and prints files per second, peak memory, and how many
near-duplicates were found against how many were planted. A second run measures the
idempotent path (everything unchanged). With --cluster (local:N, or a scheduler's
address), the files are read and cleaned on that Dask cluster (sitegen.cluster).
"""

from __future__ import annotations

import contextlib
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.config import load_config  # noqa: E402
from sitegen.ingest.importer import ImportOptions, import_paths  # noqa: E402
from sitegen.scaffold import create_site  # noqa: E402

SUBJECTS = [
    "The council",
    "The minister",
    "Local residents",
    "The company",
    "Union leaders",
    "Police",
    "The court",
    "Scientists",
    "Farmers",
    "The mayor",
]
VERBS = [
    "said on Monday that",
    "warned that",
    "announced that",
    "confirmed that",
    "argued that",
    "denied that",
    "reported that",
]
CLAUSES = [
    "the new rules would take effect next year",
    "the plan would cost more than first estimated",
    "talks would resume after the summer break",
    "the bridge would close to heavy traffic in June",
    "prices had risen faster than wages for two years",
    "the harvest was the smallest in a decade",
    "hundreds of homes had been left without power",
    "the investigation would take several months",
    "the factory would create about 1,800 jobs",
    "no decision had been made on the future of the site",
]
PLACES = [
    "in Millbrook",
    "in the capital",
    "across the region",
    "in the north",
    "near the harbour",
    "at the town hall",
]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)} {rng.choice(PLACES)}, {rng.choice(CLAUSES)}."


def page(rng: random.Random, number: int, body: list[str]) -> str:
    lines = [
        "Home",
        "News",
        f"Story number {number}: {rng.choice(CLAUSES).capitalize()}",
        f"By Reporter {number % 97} | March {1 + number % 28}, 2024",
        *body,
        "Support our journalism: we rely on readers like you. Donate today.",
        "Related Articles",
        " ".join(sentence(rng) for _ in range(8)),
    ]
    return "\n".join(lines) + "\n"


def own_cpu() -> float:
    """CPU seconds of this process alone (with local:N, the scheduler runs in it too;
    the workers are other processes)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    args = sys.argv[1:]
    address = None
    if "--cluster" in args:
        at = args.index("--cluster")
        address = args[at + 1]
        del args[at : at + 2]
    count = int(args[0]) if args else 2000
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        raw, site = Path(tmp) / "raw", Path(tmp) / "site"
        raw.mkdir()
        create_site(site, "Scale test")
        bodies: list[list[str]] = []
        planted = 0
        for number in range(count):
            if bodies and number % 20 == 19:
                body = list(rng.choice(bodies))
                body[0] = body[0].replace("said", "stated", 1)
                planted += 1
            else:
                body = [
                    " ".join(sentence(rng) for _ in range(3)) + f" Ref {number}." for _ in range(6)
                ]
                bodies.append(body)
            (raw / f"{number:06d}.txt").write_text(page(rng, number, body), encoding="utf-8")
        config = load_config(site)
        with contextlib.ExitStack() as stack:
            cluster = None
            if address is not None:
                from sitegen.cluster import connect

                cluster = stack.enter_context(connect(address))
            for label in ("first import", "second import"):
                started, cpu = time.perf_counter(), own_cpu()
                reports = import_paths([raw], config, ImportOptions(), cluster=cluster)
                statuses = Counter(r.status for r in reports)
                seconds, cpu = time.perf_counter() - started, own_cpu() - cpu
                print(
                    f"{label}: {count} files in {seconds:.1f} s ({count / seconds:.0f} files/s);"
                    f" {dict(statuses)}; this process {cpu:.1f} CPU-s"
                    f" ({1000 * cpu / count:.2f} ms a file)"
                )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"near-duplicates planted: {planted}; peak memory {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
