"""`sitegen import --cluster local:2` writes byte for byte what the import writes here:
the repository's raw gold pages (with a planted near-duplicate and a broken file) and
the shared seeds, on a LocalCluster of two worker processes on 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import cli
from tests.conftest import REPO, write_site

pytest.importorskip("distributed", reason="the cluster extra: pip install 'sitegen[cluster]'")

RAW = REPO / "benchmarks" / "gold" / "raw"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def raw_inputs(tmp_path: Path, seeds: Path | None) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    first = sorted(raw.glob("*.txt"))[0]
    (raw / "zz_copy.txt").write_text(first.read_text() + "\nShared on social media.\n")
    (raw / "zz_broken.txt").write_bytes(b"\x00\xff" * 50)
    if seeds is not None:
        for seed in seeds.glob("*.txt"):
            shutil.copy(seed, raw / seed.name)
    return raw


def imported(tmp_path: Path, name: str, raw: Path, *extra: str) -> tuple[dict, str]:
    site = tmp_path / name
    if not site.exists():
        write_site(site, {})
    result = CliRunner().invoke(
        cli, ["import", str(raw), "--site", str(site), "--json", *extra], catch_exceptions=False
    )
    return tree(site / "content"), result.output


def test_an_import_through_the_cluster_writes_what_a_local_import_writes(tmp_path):
    from tests.ingest.conftest import seeds_dir

    raw = raw_inputs(tmp_path, seeds_dir())
    here, here_report = imported(tmp_path, "here", raw)
    there, there_report = imported(tmp_path, "there", raw, "--cluster", "local:2")
    assert len(here) >= 12 and there == here
    assert '"duplicate"' in here_report and "zz_broken.txt" in here_report
    assert there_report.replace(str(tmp_path / "there"), str(tmp_path / "here")) == here_report
    # again: every document is known to the index, so the workers skip cleaning them
    again_here, again_here_report = imported(tmp_path, "here", raw)
    again_there, again_there_report = imported(tmp_path, "there", raw, "--cluster", "local:2")
    assert again_there == again_here == here and '"unchanged"' in again_here_report
    same = again_there_report.replace(str(tmp_path / "there"), str(tmp_path / "here"))
    assert same == again_here_report


def test_a_malformed_cluster_address_is_a_clear_problem(tmp_path):
    site = write_site(tmp_path / "site", {})
    result = CliRunner().invoke(cli, ["import", str(RAW), "--site", str(site), "--cluster", "x:"])
    assert result.exit_code != 0
    assert "cannot reach the Dask scheduler at x:" in result.output + str(result.stderr_bytes)


def test_sitegen_toml_names_the_cluster_and_its_table_is_checked(tmp_path):
    site = write_site(tmp_path / "site", {}, '[site]\ntitle = "T"\n[cluster]\naddress = "x:"\n')
    result = CliRunner().invoke(cli, ["import", str(RAW), "--site", str(site)])
    assert result.exit_code != 0
    assert "cannot reach the Dask scheduler at x:" in result.output + str(result.stderr_bytes)
    typo = write_site(tmp_path / "typo", {}, '[cluster]\nadress = "local:2"\n')
    result = CliRunner().invoke(cli, ["import", str(RAW), "--site", str(typo)])
    assert "[cluster] adress is not a known option; did you mean address?" in (
        result.output + str(result.stderr_bytes)
    )
