"""Edit-to-reload and no-change rebuild times of `sitegen serve` / `sitegen build`.

Run by hand on a generated archive, e.g.

    python benchmarks/gen_corpus.py --articles 10000 --out /tmp/s10k
    python benchmarks/bench_serve.py --site /tmp/s10k --edits 20

It starts `sitegen serve` as a separate process, listens on the reload channel like a
browser tab does, and for each edit measures from the moment the article file is saved
(written to a temporary file and renamed, as editors do) until the server's reload event
has arrived AND the page fetched after it shows the new title. It also times `sitegen
build` with nothing changed (separate processes, so start-up is included).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path


def timed_build(site: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "--site", str(site)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def start_server(site: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        match = re.search(r"http://(127\.0\.0\.1):(\d+)/", line)
        if match:
            # keep reading what the server prints, so a full pipe never blocks it
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, f"{match.group(1)}:{match.group(2)}"
    raise SystemExit("sitegen serve did not start")


class EventStream:
    """The reload channel, read the way the page's EventSource reads it."""

    def __init__(self, host: str):
        name, port = host.split(":")
        self.conn = http.client.HTTPConnection(name, int(port), timeout=120)
        self.conn.request("GET", "/_sitegen/events")
        self.response = self.conn.getresponse()
        self.next_build()  # the current build id, sent on connect

    def next_build(self) -> dict:
        event = None
        while True:
            line = self.response.readline().decode().rstrip("\n")
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event == "build":
                return json.loads(line.split(":", 1)[1])


def fetch(host: str, path: str) -> str:
    name, port = host.split(":")
    conn = http.client.HTTPConnection(name, int(port), timeout=60)
    conn.request("GET", path)
    return conn.getresponse().read().decode()


def article_url(site: Path, path: Path) -> str:
    text = path.read_text()
    date = re.search(r"^date: ['\"]?(\d{4})-(\d{2})", text, re.M)
    slug = re.search(r"^slug: (.+)$", text, re.M)
    slug_text = slug.group(1).strip() if slug else path.stem
    return f"/{date.group(1)}/{date.group(2)}/{slug_text}/" if date else f"/undated/{slug_text}/"


def save_like_an_editor(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text)
    os.replace(tmp, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    site = args.site.resolve()

    first = timed_build(site)
    no_change = [timed_build(site) for _ in range(5)]
    print(
        f"sitegen build (after a build of {first:.2f} s), nothing changed: "
        f"median {statistics.median(no_change):.3f} s over 5 runs"
    )

    articles = sorted((site / "content").rglob("*.md"))
    rng = random.Random(args.seed)
    process, host = start_server(site)
    try:
        events = EventStream(host)
        times = []
        for number in range(args.edits):
            path = rng.choice(articles)
            text = path.read_text()
            title = f"Edited headline {number} {time.time_ns()}"  # never a no-op save
            new_text = re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
            url = article_url(site, path)
            started = time.perf_counter()
            save_like_an_editor(path, new_text)
            while True:
                events.next_build()
                if title in fetch(host, url):
                    break
            times.append(time.perf_counter() - started)
        times.sort()
        print(
            f"edit to reloaded page, {len(times)} edits on {len(articles)} articles: "
            f"median {statistics.median(times) * 1000:.0f} ms, "
            f"p90 {times[int(len(times) * 0.9) - 1] * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms"
        )
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
