"""Shared test helpers: tiny sites written into temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import Config, load_config

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


def write_site(root: Path, files: dict[str, str], config: str = "") -> Path:
    """Create a site: sitegen.toml plus files given as {relative path: text}."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sitegen.toml").write_text(
        config or '[site]\ntitle = "Test Archive"\n', encoding="utf-8"
    )
    (root / "content").mkdir(exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def article_text(title: str, body: str = "Body text.", **front: object) -> str:
    import yaml

    meta = {"title": title, **front}
    return (
        "---\n"
        + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
        + "---\n\n"
        + body
        + "\n"
    )


@pytest.fixture
def site(tmp_path: Path):
    """A factory: site(files, config) -> Config of a new site in tmp_path."""

    def make(files: dict[str, str], config: str = "", name: str = "site") -> Config:
        root = write_site(tmp_path / name, files, config)
        return load_config(root)

    return make
