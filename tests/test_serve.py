"""The preview server: safe paths, content types, coalesced rebuilds, and live reload in a
real browser (edit, break, fix, delete), against `sitegen serve` running as a process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from sitegen.serve import (
    ChangeCollector,
    inject,
    is_ignored_change,
    is_write_event,
    safe_path,
    start_watching,
)
from tests.browser import chromium
from tests.conftest import REPO


def test_safe_path_never_leaves_the_root(tmp_path):
    root = tmp_path / "out"
    (root / "a").mkdir(parents=True)
    (root / "a/index.html").write_text("x")
    (tmp_path / "secret.txt").write_text("s")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    assert safe_path(root, "/a/") == (root / "a/index.html").resolve()
    assert safe_path(root, "/a") == (root / "a").resolve()  # the handler redirects to /a/
    for hostile in [
        "/../secret.txt",
        "/a/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/a/%2E%2E/%2e%2e/secret.txt",
        "/link.txt",
        "/a%00.html",
        "/..%5csecret.txt",
    ]:
        assert safe_path(root, hostile) is None, hostile


def test_editor_droppings_are_ignored():
    for name in [
        ".article.md.swp",
        "article.md~",
        "#article.md#",
        "4913",
        ".#article.md",
        "article.md.tmp",
        "x/.index.html.tmp-123",
        "draft.md.part",
    ]:
        assert is_ignored_change(name), name
    assert not is_ignored_change("content/2024/01/article.md")
    assert not is_ignored_change("theme/static/style.css")


def test_a_burst_of_events_is_one_batch():
    collector = ChangeCollector()
    stop = threading.Event()
    batches = []
    thread = threading.Thread(target=lambda: batches.append(collector.wait_batch(stop)))
    thread.start()
    for i in range(500):  # a git checkout of 500 files
        collector.add(f"content/a{i}.md")
    thread.join(timeout=10)
    assert len(batches) == 1 and len(batches[0]) == 500


def test_finished_writes_are_all_collected():
    """A write that ended (closed, renamed into place) shortens the quiet wait; files
    saved one after another may then come in more than one batch, but none is lost."""
    collector = ChangeCollector()
    stop = threading.Event()
    seen: set[str] = set()

    def collect() -> None:
        while len(seen) < 200:
            batch = collector.wait_batch(stop)
            if batch is None:
                return
            seen.update(batch)

    thread = threading.Thread(target=collect)
    thread.start()
    for i in range(200):
        collector.add(f"content/b{i}.md", settled=True)
    thread.join(timeout=10)
    stop.set()
    assert seen == {f"content/b{i}.md" for i in range(200)}


def test_reading_a_file_is_no_change():
    """Every sitegen command (serve too) reads sitegen.toml: only writes start a rebuild."""
    from watchdog.events import (
        DirModifiedEvent,
        FileClosedEvent,
        FileClosedNoWriteEvent,
        FileModifiedEvent,
        FileMovedEvent,
        FileOpenedEvent,
    )

    assert not is_write_event(FileOpenedEvent("sitegen.toml"))
    assert not is_write_event(FileClosedNoWriteEvent("sitegen.toml"))
    assert not is_write_event(DirModifiedEvent("content"))
    assert is_write_event(FileModifiedEvent("sitegen.toml"))
    assert is_write_event(FileClosedEvent("sitegen.toml"))
    assert is_write_event(FileMovedEvent("a.md.tmp", "a.md"))


def test_the_watcher_ignores_serves_own_folders_and_reads(tmp_path):
    """Writes under the output or cache folder (should they sit in a watched one) and
    reads of watched files start no rebuild; a real edit does."""
    content = tmp_path / "content"
    (content / "build").mkdir(parents=True)
    (content / "a.md").write_text("a")
    collector = ChangeCollector()
    observer = start_watching([content], collector, ignore=[content / "build"])
    try:
        (content / "build/index.html").write_text("page")
        (content / "a.md").read_text()
        (content / "b.md").write_text("b")
        batch = collector.wait_batch(threading.Event())
    finally:
        observer.stop()
        observer.join(timeout=5)
    assert batch == {str(content / "b.md")}


def test_reload_snippet_goes_before_body_end():
    assert inject(b"<html><body>x</body></html>", "<s>") == b"<html><body>x<s></body></html>"


@pytest.fixture
def served_site(tmp_path):
    """`sitegen serve` on a copy of the example site, as its own process."""
    root = tmp_path / "site"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "sitegen.toml", root / "sitegen.toml")
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--site", str(root), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    url = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and url is None:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if match:
            url = match.group(1)
    if url is None:
        process.kill()
        pytest.fail("sitegen serve did not start:\n" + "".join(lines))
    threading.Thread(target=lambda: [lines.append(x) for x in process.stdout], daemon=True).start()
    try:
        yield root, url, lines
    finally:
        process.terminate()  # serve stops as on Ctrl-C: a rebuild in progress finishes
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_server_basics(served_site):
    root, url, _ = served_site
    with urllib.request.urlopen(url) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        page = response.read().decode()
    assert "/_sitegen/events" in page  # injected when serving...
    assert "/_sitegen/events" not in (root / "build/index.html").read_text()  # ...never written
    with urllib.request.urlopen(url + "feed.xml") as response:
        assert "atom" in response.headers["Content-Type"]
    with urllib.request.urlopen(url + "static/style.css") as response:
        assert response.headers["Content-Type"].startswith("text/css")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(url + "no/such/page/")
    assert info.value.code == 404 and "Page not found" in info.value.read().decode()


def test_live_reload_in_the_browser(served_site, tmp_path):
    root, url, lines = served_site
    article = next((root / "content").rglob("*.md"))
    text = article.read_text()
    title = re.search(r"^title: (.*)$", text, re.M).group(1).strip().strip("'\"")
    person = re.search(r"^people:\n  - (.*)$", text, re.M).group(1).strip()
    rel = article.relative_to(root / "content").with_suffix("")
    page_path = f"{rel.parts[0]}/{rel.parts[1]}/{rel.parts[2]}/"
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(url + page_path)
        assert page.locator("h1").first.inner_text().strip() == title
        page.evaluate("window.sameTab = 'yes'")
        page.wait_for_function("() => window.sameTab === 'yes'")

        # 1. change the title: the open tab shows it by itself
        article.write_text(text.replace(title, "Freshly Edited Headline", 1))
        page.wait_for_function(
            "() => document.querySelector('h1').textContent.includes('Freshly Edited Headline')",
            timeout=20000,
        )

        # 2. break the front matter: the error (file and line) appears in the browser
        article.write_text("---\ntitle: [broken\n---\nbody\n")
        page.wait_for_selector("#sitegen-build-error", timeout=20000)
        message = page.locator("#sitegen-build-error").inner_text()
        assert article.name in message and ":2:" in message

        # 3. fix it: the article is back, without the error
        article.write_text(text)
        page.wait_for_function(
            f"() => !document.querySelector('#sitegen-build-error') && "
            f"document.querySelector('h1').textContent.includes({title!r})",
            timeout=20000,
        )

        # 4. delete it: it disappears from its person's page
        person_page = page.locator(f"a:text-is({person!r})").first.get_attribute("href")
        page.goto(url.rstrip("/") + person_page)
        assert page.locator(f"a:text-is({title!r})").count() == 1
        article.unlink()
        page.wait_for_function(
            f"() => ![...document.querySelectorAll('a')].some(a => a.textContent.trim() === {title!r})",
            timeout=20000,
        )


def test_live_search_endpoint_answers_from_the_index(served_site):
    import json

    _, url, _ = served_site
    with urllib.request.urlopen(url + "_search?q=strike&limit=3") as response:
        data = json.loads(response.read())
    assert response.headers["Content-Type"] == "application/json"
    assert data["total"] >= 1 and 1 <= len(data["results"]) <= 3
    assert all(r["url"].startswith("/") for r in data["results"])
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(url + "_search?q=%28unclosed")
    assert info.value.code == 400 and "error" in json.loads(info.value.read())


def test_search_catches_up_once_editing_pauses(served_site):
    import json

    root, url, _ = served_site
    article = next((root / "content").rglob("*.md"))
    article.write_text(article.read_text() + "\n\nA zanzibarquux appears.\n")
    deadline = time.monotonic() + 60
    total = 0
    while time.monotonic() < deadline and total == 0:
        with urllib.request.urlopen(url + "_search?q=zanzibarquux") as response:
            total = json.loads(response.read())["total"]
        if total == 0:
            time.sleep(0.2)  # polling the server with a deadline, not waiting on a guess
    assert total == 1
