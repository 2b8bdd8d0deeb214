"""The theme must travel with the package: an installed wheel has no checkout beside it."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from tests.conftest import REPO


def test_wheel_contains_the_default_theme(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("sitegen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (REPO / "themes/default").rglob("*"):
        if template.is_file():
            rel = template.relative_to(REPO / "themes").as_posix()
            assert f"sitegen/themes/{rel}" in names
    assert not any(name.startswith(("content/", "tests/")) for name in names)


def test_installed_layout_finds_the_packaged_theme(tmp_path):
    """Unpack the wheel alone (no checkout) and build a site with it."""
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("sitegen-*.whl")
    zipfile.ZipFile(wheel).extractall(tmp_path / "site-packages")
    site = tmp_path / "site"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from sitegen.cli import main; sys.argv = ['sitegen'] + sys.argv[2:]; main()"
    )
    run = [sys.executable, "-c", code, str(tmp_path / "site-packages")]
    subprocess.run([*run, "init", str(site)], check=True, capture_output=True, cwd=tmp_path)
    result = subprocess.run(
        [*run, "build", "--site", str(site)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (site / "build/static/style.css").is_file()
    check = subprocess.run([*run, "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert "sitegen" in check.stdout
