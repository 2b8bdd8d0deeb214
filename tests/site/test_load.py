"""The load stage (sitegen/site/load.py) on a tiny content folder: what it parses, what
it reuses, which paths it calls changed, and how a watcher's hints narrow what it reads."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from sitegen.config import Config, load_config
from sitegen.site.catalog import build_catalog
from sitegen.site.load import Loaded, load_content
from sitegen.site.memory import BuildMemory
from sitegen.site.report import no_progress
from sitegen.site.state import BuildState
from tests.conftest import article_text, write_site

FILES = {
    "content/a.md": article_text("A", "First paragraph of A.\n\nMore.", date="2024-01-02"),
    "content/b.md": article_text("B", date="2024-02-03", people=["Ann Lee"]),
    "content/bad.md": "no front matter here\n",
    "content/_drafts/c.md": article_text("Draft"),
}


def a_site(tmp_path: Path) -> tuple[Config, BuildMemory]:
    config = load_config(write_site(tmp_path / "site", FILES))
    return config, BuildMemory.for_site(config, jobs=1)


def load(config: Config, memory: BuildMemory, previous: BuildState, hints=None) -> Loaded:
    scanned = memory.content_scan.scan(hints)
    return load_content(config, memory, scanned, previous, no_progress)


def built(memory: BuildMemory, loaded: Loaded) -> BuildState:
    """The state a written build leaves, remembered the way the pipeline does."""
    state = BuildState(files=loaded.files)
    memory.remember(state, build_catalog([]), loaded.problem_rels, {})
    return state


def test_a_first_load_parses_every_article_and_names_the_bad_file(tmp_path):
    config, memory = a_site(tmp_path)
    loaded = load(config, memory, BuildState())
    assert sorted(loaded.files) == ["a.md", "b.md", "bad.md"]  # drafts are not content
    assert loaded.changed == ["a.md", "b.md", "bad.md"]
    assert sorted(loaded.fresh) == ["a.md", "b.md"]
    a = loaded.fresh["a.md"]
    assert a.title == "A" and a.slug == "a" and "First paragraph of A." in a.body
    assert a.summary == "First paragraph of A."  # the default summary
    cached = loaded.files["a.md"]
    assert cached.article is not None and cached.article.body == ""  # the cache keeps no body
    assert cached.digest and cached.listing and cached.placing
    assert [p.path for p in loaded.problems] == ["content/bad.md"]
    assert "front matter" in loaded.problems[0].message
    assert loaded.files["bad.md"].article is None and loaded.problem_rels == {"bad.md"}


def test_a_second_load_reuses_unchanged_files_and_reports_only_what_changed(tmp_path):
    config, memory = a_site(tmp_path)
    previous = BuildState(files=load(config, memory, BuildState()).files)
    content = config.content_dir

    again = load(config, memory, previous)
    assert again.changed == [] and again.fresh == {}
    assert again.files["a.md"] is previous.files["a.md"]
    assert [p.path for p in again.problems] == ["content/bad.md"]  # still reported

    (content / "a.md").write_text(article_text("A edited", date="2024-01-02"))
    (content / "b.md").unlink()
    os.utime(content / "bad.md", ns=(1, 1))  # touched, not edited
    (content / "new.md").write_text(article_text("New"))
    loaded = load(config, memory, previous)
    assert loaded.changed == ["a.md", "b.md", "new.md"]  # edited, gone, new
    assert sorted(loaded.fresh) == ["a.md", "new.md"] and loaded.fresh["a.md"].title == "A edited"
    assert "b.md" not in loaded.files
    assert loaded.problem_rels == {"bad.md"}


def test_touching_a_file_without_editing_it_is_no_change(tmp_path):
    config, memory = a_site(tmp_path)
    previous = BuildState(files=load(config, memory, BuildState()).files)
    os.utime(config.content_dir / "a.md", ns=(10**18, 10**18))
    loaded = load(config, memory, previous)
    assert "a.md" in loaded.fresh  # parsed again: its time changed
    assert loaded.changed == []  # but the article is the same
    assert loaded.files["a.md"].mtime_ns == 10**18


def test_fixing_the_bad_file_clears_its_problem(tmp_path):
    config, memory = a_site(tmp_path)
    previous = BuildState(files=load(config, memory, BuildState()).files)
    (config.content_dir / "bad.md").write_text(article_text("Fixed"))
    loaded = load(config, memory, previous)
    assert loaded.problems == [] and loaded.problem_rels == set()
    assert loaded.changed == ["bad.md"] and loaded.files["bad.md"].article is not None


def stale_entry(state: BuildState, rel: str) -> BuildState:
    """The state with one file's cached time wrong: a full look parses it again, a
    hinted one (the watcher did not name it) does not look at it at all."""
    files = dict(state.files)
    files[rel] = dataclasses.replace(files[rel], mtime_ns=0)
    return dataclasses.replace(state, files=files)


def test_with_a_watchers_hints_only_the_named_paths_are_looked_at(tmp_path):
    config, memory = a_site(tmp_path)
    state = stale_entry(built(memory, load(config, memory, BuildState())), "b.md")
    memory.hinted_base = state  # the state the hints are relative to
    content = config.content_dir
    (content / "a.md").write_text(article_text("A edited", date="2024-01-02"))
    loaded = load(config, memory, state, hints={str(content / "a.md")})
    assert memory.content_scan.hinted == {"a.md"}
    assert sorted(loaded.fresh) == ["a.md"] and loaded.changed == ["a.md"]
    assert loaded.files["b.md"] is state.files["b.md"]  # not named: not even compared
    assert loaded.problem_rels == {"bad.md"}  # known from the last build, not re-read


def test_hinted_paths_can_be_gone_or_fixed(tmp_path):
    config, memory = a_site(tmp_path)
    state = built(memory, load(config, memory, BuildState()))
    content = config.content_dir
    (content / "b.md").unlink()
    (content / "bad.md").write_text(article_text("Fixed"))
    hints = {str(content / "b.md"), str(content / "bad.md")}
    loaded = load(config, memory, state, hints=hints)
    assert loaded.changed == ["b.md", "bad.md"]
    assert sorted(loaded.files) == ["a.md", "bad.md"]
    assert loaded.problems == [] and loaded.problem_rels == set()


def test_hints_relative_to_another_state_are_not_trusted(tmp_path):
    config, memory = a_site(tmp_path)
    state = built(memory, load(config, memory, BuildState()))
    other = stale_entry(state, "b.md")  # not the state the hints were gathered against
    loaded = load(config, memory, other, hints={str(config.content_dir / "a.md")})
    assert sorted(loaded.fresh) == ["b.md"]  # a full look: b.md's time differs
    assert loaded.changed == []  # same article as before
