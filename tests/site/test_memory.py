"""What a build is told and keeps (sitegen/site/memory.py): the modes' defaults, where the
previous state comes from, what a written build leaves for the next, and when it saves."""

from __future__ import annotations

import dataclasses
import json

import pytest

from sitegen.config import Config
from sitegen.model import Problem
from sitegen.site.catalog import build_catalog
from sitegen.site.memory import BuildMemory, BuildMode, save_build
from sitegen.site.report import BuildReport
from sitegen.site.state import BuildState, load_state, save_state, state_path


def test_a_plain_build_mode_is_sitegen_builds():
    mode = BuildMode()
    assert mode.remember
    assert not (mode.keep_going or mode.clean or mode.live or mode.pages_first)
    assert not mode.save_in_background
    with pytest.raises(dataclasses.FrozenInstanceError):
        mode.clean = True  # type: ignore[misc]


@pytest.fixture
def config(tmp_path) -> Config:
    return Config(root=tmp_path)


def test_a_memory_for_a_site_builds_into_its_output_folder(config, tmp_path):
    memory = BuildMemory.for_site(config, jobs=3)
    assert memory.output == (tmp_path / "build").resolve() and memory.jobs == 3
    assert memory.content_scan.content_dir == tmp_path / "content"
    assert memory.state is None and memory.catalog is None
    other = BuildMemory.for_site(config, out=tmp_path / "elsewhere")
    assert other.output == (tmp_path / "elsewhere").resolve() and other.jobs >= 1


def test_the_previous_state_is_loaded_once_then_kept_in_memory(config):
    save_state(config.cache_dir, BuildState(plan_digest="saved"))
    memory = BuildMemory.for_site(config, jobs=1)
    first = memory.previous_state(config.cache_dir, clean=False)
    assert first.plan_digest == "saved" and memory.state is first
    save_state(config.cache_dir, BuildState(plan_digest="newer on disk"))
    assert memory.previous_state(config.cache_dir, clean=False) is first


def test_a_clean_build_starts_from_nothing_and_forgets_the_state(config):
    save_state(config.cache_dir, BuildState(plan_digest="saved"))
    memory = BuildMemory.for_site(config, jobs=1)
    memory.previous_state(config.cache_dir, clean=False)
    clean = memory.previous_state(config.cache_dir, clean=True)
    assert clean == BuildState() and memory.state is clean
    assert load_state(config.cache_dir).plan_digest == "saved"  # the disk is not touched


def test_remember_keeps_a_written_builds_results_for_the_next(config):
    memory = BuildMemory.for_site(config, jobs=1)
    memory.term_memo[("people", "Old")] = "kept"
    memory.content_scan.hinted = None
    state, catalog = BuildState(plan_digest="new"), build_catalog([])
    memory.remember(state, catalog, {"bad.md"}, {("people", "Ann"): "facts"})
    assert memory.state is state and memory.catalog_state is state
    assert memory.hinted_base is state and memory.catalog is catalog
    assert memory.problem_rels == {"bad.md"}
    assert memory.term_memo == {("people", "Old"): "kept", ("people", "Ann"): "facts"}
    assert memory.content_scan.hinted == set()  # from now on the watcher's hints count


def saved(config: Config) -> tuple[bool, bool]:
    """(whether a state was saved, whether an unchanged-inputs report was)."""
    return state_path(config.cache_dir).exists(), (config.cache_dir / "build-inputs.json").exists()


def built(config: Config) -> BuildMemory:
    memory = BuildMemory.for_site(config, jobs=1)
    memory.state = BuildState(plan_digest="this build")
    return memory


def test_a_build_saves_its_state_and_the_unchanged_inputs_report(config):
    memory, report = built(config), BuildReport(articles=2, pages=5)
    assert save_build(config, memory, BuildMode(), report, "inputs-1")
    assert saved(config) == (True, True)
    assert load_state(config.cache_dir).plan_digest == "this build"
    data = json.loads((config.cache_dir / "build-inputs.json").read_text())
    assert data["inputs"] == "inputs-1" and data["articles"] == 2 and data["pages"] == 5


def test_a_build_with_problems_saves_its_state_but_no_report(config):
    report = BuildReport(problems=[Problem("content/x.md", "no title")])
    assert save_build(config, built(config), BuildMode(keep_going=True), report, "i")
    assert saved(config) == (True, False)


@pytest.mark.parametrize(
    "mode",
    [BuildMode(live=True, pages_first=True), BuildMode(remember=False)],
    ids=["pages_first", "remember=False"],
)
def test_pages_first_and_checks_builds_save_nothing(config, mode):
    memory = built(config)
    assert not save_build(config, memory, mode, BuildReport(), "i")
    assert saved(config) == (False, False)
    assert memory.state.plan_digest == "this build"  # kept in memory for the next build


def test_a_background_save_is_done_once_waited_for(config):
    memory = built(config)
    assert save_build(config, memory, BuildMode(save_in_background=True), BuildReport(), "i")
    assert memory.saving is not None
    memory.wait_for_save()
    assert not memory.saving.is_alive()
    assert load_state(config.cache_dir).plan_digest == "this build"
