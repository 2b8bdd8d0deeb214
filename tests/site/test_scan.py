"""The scan stage (sitegen/site/scan.py): a watcher's hints update the scan as a full
walk would see it, and anything that is not an article file falls back to the walk."""

from __future__ import annotations

from sitegen.site.scan import ContentScan


def test_hints_update_the_scan_and_anything_else_walks_the_folder(tmp_path):
    content = tmp_path / "content"
    (content / "2024").mkdir(parents=True)
    (content / "2024/a.md").write_text("a")
    scan = ContentScan(content)
    assert set(scan.scan(None)) == {"2024/a.md"} and scan.hinted is None
    scan.hinted = set()  # a build finished: from now on the watcher's paths are known
    (content / "2024/b.md").write_text("bb")
    (content / "2024/a.md").unlink()
    entries = scan.scan({str(content / "2024/b.md"), str(content / "2024/a.md")})
    assert set(entries) == {"2024/b.md"} and entries["2024/b.md"][1] == 2
    assert scan.hinted == {"2024/a.md", "2024/b.md"}
    assert set(scan.scan({str(tmp_path / "sitegen.toml")})) == {"2024/b.md"}  # not content
    (content / "2025").mkdir()
    (content / "2025/c.md").write_text("c")
    assert set(scan.scan({str(content / "2025")})) == {"2024/b.md", "2025/c.md"}  # a folder
    assert scan.hinted is None  # after a walk, what changed is no longer known
