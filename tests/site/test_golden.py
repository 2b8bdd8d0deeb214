"""Golden output: a tiny committed site must build to exactly the committed files.

After an intended change to output, regenerate with
    SITEGEN_UPDATE_GOLDEN=1 python -m pytest tests/site/test_golden.py
and review the diff of tests/golden/expected/ like any other change.
"""

from __future__ import annotations

import os
import shutil

from sitegen.config import load_config
from sitegen.site.pipeline import build_site
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden"


def test_golden_site_output_is_unchanged(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(GOLDEN / "site", root)
    config = load_config(root)
    report = build_site(config)
    assert report.written and not report.problems
    expected = GOLDEN / "expected"
    # static/ holds the theme's files copied as they are; the generated files are compared
    if os.environ.get("SITEGEN_UPDATE_GOLDEN"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(config.output_dir, expected, ignore=shutil.ignore_patterns("static"))

    def generated(root):
        return {
            p.relative_to(root).as_posix(): p
            for p in root.rglob("*")
            if p.is_file() and p.relative_to(root).parts[0] != "static"
        }

    built, wanted = generated(config.output_dir), generated(expected)
    assert sorted(built) == sorted(wanted)
    changed = [rel for rel in sorted(built) if built[rel].read_bytes() != wanted[rel].read_bytes()]
    assert changed == [], f"output changed: {changed}"
