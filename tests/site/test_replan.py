"""replan.py, the write stage's cluster half, in this process: the catalog survives a
pickle with every URL; the tasks cover the planned families' files, a big family cut
and small ones whole; a worker's copy of the job renders each file byte for byte as the
plan's own make() does."""

from __future__ import annotations

import pickle
from pathlib import Path

from sitegen.site.plan import SEARCH_FAMILY, Plan, complete_plan
from sitegen.site.replan import FILES_PER_TASK, cluster_tasks, render_families, replan_job
from sitegen.site.report import Output
from sitegen.site.search_outputs import FoundSearch
from sitegen.site.state import BuildState
from tests.site.test_plan import planned_site


def cold_writes(tmp_path: Path):
    plan, memory = planned_site(tmp_path, BuildState(), cold=True)
    export = [Output("search/meta.json", "m", make=lambda: "{}")]
    found = FoundSearch("search/meta.json", export, {})
    return plan, complete_plan(plan, found, BuildState(), memory, True)


def test_the_catalog_keeps_every_url_through_a_pickle(tmp_path):
    plan, _ = cold_writes(tmp_path)
    catalog = plan.planner.catalog
    catalog.years()  # a cache keyed by nothing of this process: not sent
    copy = pickle.loads(pickle.dumps(catalog))
    assert [copy.url_of(a) for a in copy.articles] == [catalog.url_of(a) for a in catalog.articles]
    assert "_years" not in copy.__dict__ and copy.by_path.keys() == catalog.by_path.keys()
    term = next(iter(copy.terms["people"].values()))
    assert all(copy.url_of(a) for a in term.articles)  # the terms hold the same objects


def test_tasks_cover_the_planned_files_and_leave_the_rest_here(tmp_path):
    plan, writes = cold_writes(tmp_path)
    tasks, here = cluster_tasks(plan, writes.to_write)
    sent = sorted(index for task in tasks for _, files in task for index, _ in files)
    assert sorted(sent + here) == list(range(len(writes.to_write)))  # each file once
    planned = {id(o) for outs in plan.planned.values() for o in outs}
    assert all(id(writes.to_write[i]) in planned for i in sent)
    here_rels = {writes.to_write[i].rel for i in here}
    assert {"search/meta.json", "sitemap.xml"} <= here_rels
    assert "search/index.html" in {writes.to_write[i].rel for i in sent}  # SEARCH_FAMILY
    assert SEARCH_FAMILY in plan.planned


def test_a_big_family_is_cut_and_small_ones_travel_together():
    def outputs(name: str, count: int) -> list[Output]:
        return [Output(f"{name}/{i}.html", "s", make=lambda: "x") for i in range(count)]

    big = 2 * FILES_PER_TASK + 22
    planned = {("home",): outputs("home", big), ("article", "a"): outputs("a", 1)}
    planned[("article", "b")] = outputs("b", 1)
    plan = Plan(None, list(planned), "", True, True, planned)  # type: ignore[arg-type]
    to_write = [o for outs in planned.values() for o in outs] + [Output("robots.txt", "r")]
    tasks, here = cluster_tasks(plan, to_write)
    assert here == [len(to_write) - 1]
    sizes = [sum(len(files) for _, files in task) for task in tasks]
    assert max(sizes) <= FILES_PER_TASK and sum(sizes) == big + 2
    home_parts = [files for task in tasks for key, files in task if key == ("home",)]
    assert [len(p) for p in home_parts] == [FILES_PER_TASK, FILES_PER_TASK, 22]
    assert any({key for key, _ in task} >= {("article", "a"), ("article", "b")} for task in tasks)


def test_a_workers_copy_of_the_job_renders_what_the_plan_renders(tmp_path):
    plan, writes = cold_writes(tmp_path)
    stage = tmp_path / "stage"
    stage.mkdir()
    job = pickle.loads(pickle.dumps(replan_job(plan.planner.config, plan, stage, flat=False)))
    tasks, _ = cluster_tasks(plan, writes.to_write)
    written = sum(render_families(job, task) for task in tasks)
    rendered = [
        (writes.to_write[index], rel) for task in tasks for _, files in task for index, rel in files
    ]
    assert written > 0 and len(rendered) >= 8
    for output, rel in rendered:
        made = output.make()  # type: ignore[misc]
        expected = made.encode() if isinstance(made, str) else made
        assert (stage / rel).read_bytes() == expected, rel
