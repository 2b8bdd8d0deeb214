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
    # The import's fitted models are package data, read with no checkout.
    for data in (REPO / "sitegen/ingest/data").glob("*.json"):
        assert f"sitegen/ingest/data/{data.name}" in names


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


#: The oldest pip the README allows (the one Python 3.11.0's venv brings).
OLDEST_PIP = "22.3.1"

PAGE = """<!doctype html><html><head><title>Harbour strike ends | Harbor Ledger</title>
<meta property="og:site_name" content="Harbor Ledger"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour strike ends after six weeks</h1>
<p>Dockworkers in the harbour voted on Wednesday to end a strike that had kept container
ships waiting offshore for six weeks, after a late offer on shift pay from the port.</p>
<p>The union's leaders said the agreement raises night rates by a tenth and adds two rest
days a month, and that members backed it by a wide margin at a meeting in the hall.</p>
<p>Shipping agents expect the backlog of vessels at anchor to clear within a fortnight once
the cranes return to full crews on the morning shift next Monday, the port said.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>
"""


def test_html_import_works_after_a_plain_install_with_the_oldest_pip(tmp_path):
    """pip install . in a fresh venv (no extras, oldest pip), then import an HTML page.

    trafilatura needs lxml's HTML cleaner, which lxml ships apart since 5.2 and which
    arrived only through another package's extra; a plain install must bring it itself.
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", f"pip=={OLDEST_PIP}"], check=True, capture_output=True)
    installed = subprocess.run([*pip, "install", str(REPO)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    site = tmp_path / "site"
    sitegen = str(venv / "bin" / "sitegen")
    subprocess.run([sitegen, "init", str(site)], check=True, capture_output=True)
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    result = subprocess.run(
        [sitegen, "import", str(tmp_path / "page.html"), "--site", str(site)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    (article,) = (site / "content").rglob("harbour-strike*.md")
    assert "Dockworkers in the harbour voted" in article.read_text(encoding="utf-8")
