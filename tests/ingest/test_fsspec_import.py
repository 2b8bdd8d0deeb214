"""`sitegen import URL` (fsspec): a folder, a glob or a file behind a URL imports exactly
as the same files on disk do, here and on a cluster's workers, which open the URL
themselves; a URL that cannot be read is a problem naming it, and the other inputs
still import. fsspec's own `memory://` and `file://` filesystems stand in for a bucket."""

from __future__ import annotations

import importlib.util
import json
import pickle
import shutil
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sitegen.cli import cli
from sitegen.ingest.importer import ImportOptions, Prepared, find_inputs, prepare_files
from sitegen.ingest.remote import RemoteFile, is_url
from tests.conftest import REPO, write_site
from tests.ingest.conftest import seeds_dir

fsspec = pytest.importorskip("fsspec", reason="URL inputs need fsspec: pip install fsspec")

GOLD = REPO / "benchmarks" / "gold" / "raw"


def raw_folder(tmp_path: Path) -> Path:
    """The gold pages and the seeds, a near-duplicate, a broken file, a JSON Lines file
    (read as a stream), a sub-folder, and files the folder rules pass over or ignore."""
    raw = tmp_path / "raw"
    shutil.copytree(GOLD, raw)
    pages = sorted(raw.glob("*.txt"))
    (raw / "zz_copy.txt").write_text(pages[0].read_text() + "\nShared on social media.\n")
    (raw / "zz_broken.txt").write_bytes(b"\x00\xff" * 50)
    record = {"title": "A record", "text": pages[1].read_text(), "date": "2024-02-01"}
    (raw / "records.jsonl").write_text(json.dumps(record) + "\n{not json\n")
    (raw / "notes.md").write_text("not an input type\n")
    (raw / ".hidden.txt").write_text(pages[2].read_text())
    (raw / ".cache").mkdir()
    (raw / ".cache" / "old.txt").write_text(pages[3].read_text())
    (raw / "sub").mkdir()
    shutil.copy(pages[4], raw / "sub" / pages[4].name)
    for seed in (seeds_dir() or Path("/nonexistent")).glob("*.txt"):
        shutil.copy(seed, raw / "sub" / seed.name)
    return raw


def to_memory(raw: Path) -> str:
    """The folder's files under a fresh memory:// folder; its URL."""
    url = f"memory://raw-{uuid.uuid4().hex}"
    fs = fsspec.filesystem("memory")
    for file in raw.rglob("*"):
        if file.is_file():
            fs.pipe_file(f"{url}/{file.relative_to(raw).as_posix()}", file.read_bytes())
    return url


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def run_import(site: Path, *args: str) -> tuple[dict[str, bytes], str, int]:
    if not site.exists():
        write_site(site, {})
    result = CliRunner().invoke(
        cli, ["import", *args, "--site", str(site), "--json"], catch_exceptions=False
    )
    return tree(site / "content"), result.output, result.exit_code


def test_a_memory_folder_imports_as_the_same_folder_on_disk(tmp_path):
    raw = raw_folder(tmp_path)
    url = to_memory(raw)
    here, here_report, here_code = run_import(tmp_path / "here", str(raw))
    there, there_report, there_code = run_import(tmp_path / "there", url + "/")
    assert len(here) >= 12 and there == here and there_code == here_code == 1
    assert there_report.replace(url, str(raw)) == here_report
    assert '"duplicate"' in there_report and '"ignored"' in there_report
    assert f"{url}/zz_broken.txt" in there_report and f"{url}/records.jsonl" in there_report
    assert ".hidden" not in there_report and ".cache" not in there_report
    # again: the import index knows every raw file, from disk or from the URL
    again, again_report, _ = run_import(tmp_path / "there", url)
    assert again == here and '"written"' not in again_report and '"unchanged"' in again_report
    assert again_report.replace(url, str(raw)) == run_import(tmp_path / "here", str(raw))[1]


def test_a_glob_and_a_file_url_import_as_those_files_named_on_disk(tmp_path):
    raw = raw_folder(tmp_path)
    base = raw.as_uri()
    named = [str(p) for p in sorted(raw.glob("*.txt")) if not p.name.startswith(".")]
    here, here_report, _ = run_import(
        tmp_path / "here", *named, str(raw / "sub"), "--reference-time", "file"
    )
    there, there_report, _ = run_import(
        tmp_path / "there", f"{base}/*.txt", f"{base}/sub", "--reference-time", "file"
    )
    assert there == here and len(here) >= 10
    assert there_report.replace(base, str(raw)) == here_report
    single, single_report, code = run_import(tmp_path / "one", f"{base}/zz_broken.txt")
    assert single == {} and code == 1 and f"{base}/zz_broken.txt" in single_report


def test_a_worker_reads_a_url_through_fsspec_itself():
    """The cluster's task is given the URL (a few bytes through the scheduler) and opens
    it: a memory:// file exists for fsspec only, and `cwd` is no folder at all."""
    url = to_memory(GOLD) + "/a_riverside_bridge.txt"
    file = RemoteFile(url)
    assert len(pickle.dumps(file)) < len(url) + 200
    [[(doc, prepared)]] = prepare_files([file], frozenset(), "/nonexistent", ImportOptions(), None)
    assert isinstance(prepared, Prepared) and doc.path == url
    assert doc.name == "a_riverside_bridge.txt" and doc.lines == []


def test_a_cluster_import_of_file_urls_writes_what_a_local_import_writes(tmp_path):
    pytest.importorskip("distributed", reason="the cluster extra: pip install 'sitegen[cluster]'")
    raw = raw_folder(tmp_path)
    here, here_report, _ = run_import(tmp_path / "here", str(raw))
    # file:///... is no path a worker could open as one: it reads the URL through fsspec
    there, there_report, _ = run_import(tmp_path / "there", raw.as_uri(), "--cluster", "local:2")
    assert there == here and len(here) >= 12
    assert there_report.replace(raw.as_uri(), str(raw)) == here_report


def problems(output: str) -> dict[str, str]:
    return {
        row["input"]: row["message"]
        for row in json.loads(output[output.index("{") :])["files"]
        if row["status"] == "skipped"
    }


def test_urls_that_cannot_be_read_are_problems_naming_them_and_the_rest_imports(tmp_path):
    missing = to_memory(GOLD) + "/no-such-folder"
    urls = [missing, "nosuchscheme://x/y", f"{GOLD.as_uri()}/*.nothing"]
    absent = next((p for p in ("s3fs", "gcsfs") if importlib.util.find_spec(p) is None), None)
    if absent:
        urls.append({"s3fs": "s3://bucket/dumps/", "gcsfs": "gs://bucket/dumps/"}[absent])
    content, output, code = run_import(tmp_path / "site", *urls, str(GOLD / "b_port_strike.txt"))
    found = problems(output)
    assert code == 1 and len(content) == 1 and set(found) == set(urls)
    assert found[missing] == "no such file or folder"
    assert "nosuchscheme://" in found["nosuchscheme://x/y"]
    assert "matches no file" in found[f"{GOLD.as_uri()}/*.nothing"]
    if absent:
        assert f"pip install {absent}" in found[urls[-1]]


def test_without_fsspec_a_url_says_what_to_install_and_paths_still_import(tmp_path, monkeypatch):
    for name in [m for m in sys.modules if m == "fsspec" or m.startswith("fsspec.")]:
        monkeypatch.setitem(sys.modules, name, None)  # `import fsspec...` now fails
    content, output, code = run_import(
        tmp_path / "site", "s3://bucket/dumps/", "memory://x/", str(GOLD / "b_port_strike.txt")
    )
    found = problems(output)
    assert code == 1 and len(content) == 1
    assert found["s3://bucket/dumps/"] == "reading URLs needs fsspec: pip install fsspec s3fs"
    assert found["memory://x/"] == "reading URLs needs fsspec: pip install fsspec"


schemes = st.from_regex(r"[A-Za-z][A-Za-z0-9+.\-]{1,12}", fullmatch=True)
rests = st.text(max_size=30)


@given(schemes, rests)
def test_a_scheme_of_two_or_more_characters_makes_a_url(scheme, rest):
    assert is_url(f"{scheme}://{rest}")
    assert not is_url(f"./{scheme}://{rest}") and not is_url(f"/{scheme}://{rest}")


@given(st.from_regex(r"[A-Za-z]", fullmatch=True), st.sampled_from(["\\", "/", "//"]), rests)
def test_a_windows_drive_is_a_path(letter, separator, rest):
    assert not is_url(f"{letter}:{separator}{rest}")


@given(st.text(max_size=40).filter(lambda text: "://" not in text))
def test_text_without_a_scheme_is_a_path_as_before(text):
    assert not is_url(text)


def test_a_str_that_is_no_url_is_listed_as_its_path(tmp_path):
    raw = raw_folder(tmp_path)
    assert list(find_inputs([str(raw)])) == list(find_inputs([raw]))
