"""Incremental and parallel builds must write exactly what a clean serial build writes."""

from __future__ import annotations

import shutil

import pytest

import sitegen.parallel as parallel_module
import sitegen.site.load as load_module
import sitegen.site.people as people_module
import sitegen.site.plan as plan_module
import sitegen.site.writer as writer_module
from sitegen.config import load_config
from sitegen.site.pipeline import build_site
from tests.conftest import article_text
from tests.site.builds import LIVE, PAGES_FIRST, Builds
from tests.site.test_pipeline import CONFIG, _compare_trees, sample_files


def clean_build_of(root, tmp_path, name):
    """A clean, serial build of a copy of the site's current content, for comparison."""
    copy = tmp_path / name
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", ".sitegen-cache"))
    config = load_config(copy)
    report = build_site(config, jobs=1, clean=True)
    assert report.written
    return config.output_dir


def test_no_change_build_writes_nothing(site):
    config = site(sample_files(), CONFIG)
    first = build_site(config)
    assert first.written and not first.incremental and first.files > 0
    again = build_site(config)
    assert again.written and again.incremental
    assert again.files == 0 and again.removed == 0


def test_one_edit_rewrites_only_the_pages_that_show_it(site):
    config = site(sample_files(), CONFIG)
    build_site(config)
    path = config.content_dir / "2020/story-4.md"
    path.write_text(path.read_text().replace("Story number 4", "Story number four"))
    report = build_site(config)
    out = config.output_dir
    showing = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.suffix in (".html", ".xml") and "Story number four" in p.read_text()
    }
    assert "2020/05/story-4/index.html" in showing and "people/index.html" not in showing
    assert {c for c in report.changed if not c.startswith("search/")} == showing
    assert len(showing) < report.pages / 3


@pytest.mark.parametrize("jobs", [1, 2])
def test_incremental_after_edits_additions_deletions_and_template_change(
    site, tmp_path, jobs, monkeypatch
):
    monkeypatch.setattr(parallel_module, "PARALLEL_THRESHOLD", 0)
    config = site(sample_files(), CONFIG)
    builder = Builds(config, jobs=jobs)
    assert builder.build().written
    content = config.content_dir
    # an edit that changes a title, a person and the date (moves it between archives)
    edited = content / "2021/story-1.md"
    edited.write_text(
        article_text(
            "Renamed story",
            "New body.",
            date="2019-03-04",
            people=["New Person"],
            topics=["Elections"],
        )
    )
    # an addition, a deletion, and a site template override
    (content / "2022/added.md").write_text(
        article_text("Added", "Fresh.", date="2022-07-07", people=["Ann Lee"])
    )
    (content / "2020/story-0.md").unlink()
    templates = config.root / "theme" / "templates"
    templates.mkdir(parents=True)
    (templates / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}Gone{% endblock %}'
    )
    report = builder.build()
    assert report.written and report.incremental and report.removed > 0
    assert _compare_trees(config.output_dir, clean_build_of(config.root, tmp_path, "a"), True) == []
    # a fresh memory (a new `sitegen build` process) reads the saved state the same way
    (content / "2023/story-2.md").write_text(article_text("Again", "x", date="2023-03-03"))
    report = Builds(config, jobs=jobs).build()
    assert report.incremental and report.files > 0
    assert _compare_trees(config.output_dir, clean_build_of(config.root, tmp_path, "b"), True) == []


def test_parallel_and_serial_builds_are_byte_identical(site, monkeypatch):
    monkeypatch.setattr(parallel_module, "PARALLEL_THRESHOLD", 0)
    serial = site(sample_files(), CONFIG, name="serial")
    parallel = site(sample_files(), CONFIG, name="parallel")
    assert build_site(serial, jobs=1).written
    assert build_site(parallel, jobs=2).written
    assert _compare_trees(serial.output_dir, parallel.output_dir) == []


def test_config_change_rebuilds_everything(site):
    config = site(sample_files(), CONFIG)
    first = build_site(config)
    (config.root / "sitegen.toml").write_text(CONFIG.replace('"Sample"', '"Renamed"'))
    report = build_site(load_config(config.root))
    assert report.files >= first.pages


@pytest.mark.parametrize(("window", "alias"), [(40, False), (4, False), (4, True)])
def test_random_edit_rounds_match_clean_builds(site, tmp_path, window, alias, monkeypatch):
    """Seeded random edits (titles, dates, people, topics, additions, deletions), several
    rounds; after each, the incremental output must equal a clean build's, byte for byte."""
    import random

    import sitegen.site.catalog as catalog_module

    monkeypatch.setattr(catalog_module, "RELATED_WINDOW", window)
    rng = random.Random(7)
    people = [f"Person {chr(65 + i)} Name" for i in range(8)]
    topics = [f"Topic {i}" for i in range(5)]

    def random_article(i: int) -> str:
        return article_text(
            f"Story {i} {rng.choice(['alpha', 'beta', 'gamma'])}",
            f"Body {rng.random()}",
            date=f"{rng.choice([2021, 2022])}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}",
            people=rng.sample(people, rng.randint(1, 3)),
            topics=rng.sample(topics, rng.randint(1, 2)),
            source=rng.choice(["S1", "S2"]),
        )

    files = {f"content/s{i}.md": random_article(i) for i in range(60)}
    config = site(files, '[site]\ntitle = "R"\npage_size = 4\nterm_page_size = 3\n')
    if alias:  # pages show canonical names: edits must reach the canonical name's pages
        (config.root / "people.toml").write_text('[aliases]\n"Person A Name" = "Person B Name"\n')
    builder = Builds(config, jobs=1)
    builder.build()
    next_id = 60
    for round_number in range(4):
        existing = sorted(config.content_dir.glob("*.md"))
        for path in rng.sample(existing, 6):
            path.write_text(random_article(int(path.stem[1:])))
        for path in rng.sample(existing, 2):
            if path.exists():
                path.unlink()
        for _ in range(2):
            (config.content_dir / f"s{next_id}.md").write_text(random_article(next_id))
            next_id += 1
        report = builder.build()
        assert report.incremental
        clean = clean_build_of(config.root, tmp_path, f"round{round_number}")
        assert _compare_trees(config.output_dir, clean, True) == [], f"round {round_number}"


def test_watcher_hints_update_the_scan_like_a_full_scan(site, tmp_path):
    config = site(sample_files(), CONFIG)
    builder = Builds(config, jobs=1)
    builder.build()
    content = config.content_dir
    edited = content / "2020/story-4.md"
    edited.write_text(edited.read_text().replace("Story number 4", "Story four"))
    added = content / "2022/new.md"
    added.write_text(article_text("New one", date="2022-02-02"))
    (content / "2021/story-1.md").unlink()
    hint = {str(edited), str(added), str(content / "2021/story-1.md")}
    assert builder.build(changed_files=hint).incremental
    assert _compare_trees(config.output_dir, clean_build_of(config.root, tmp_path, "a"), True) == []
    shutil.rmtree(content / "2023")  # a folder gone: the hint names only the folder
    builder.build(changed_files={str(content / "2023")})
    assert _compare_trees(config.output_dir, clean_build_of(config.root, tmp_path, "b"), True) == []


def test_title_and_body_edits_match_clean_builds(site, tmp_path):
    """Edits that move no article (same date, people, topics) take the shortcut for long
    paginated lists; the output must still equal a clean build's."""
    import random

    rng = random.Random(3)
    config = site(sample_files(), CONFIG)
    builder = Builds(config, jobs=1)
    builder.build()
    paths = sorted(config.content_dir.rglob("*.md"))
    for round_number in range(3):
        for path in rng.sample(paths, 3):
            text = path.read_text()
            text = text.replace("Story number", f"Story r{round_number} number", 1)
            path.write_text(text + f"\nMore words {rng.random()}.\n")
        report = builder.build()
        assert report.incremental and report.files > 0
        clean = clean_build_of(config.root, tmp_path, f"t{round_number}")
        assert _compare_trees(config.output_dir, clean, True) == [], f"round {round_number}"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_template_error_names_the_template_and_leaves_the_output_alone(site, jobs, monkeypatch):
    monkeypatch.setattr(parallel_module, "PARALLEL_THRESHOLD", 0)
    config = site(sample_files(), CONFIG)
    builder = Builds(config, jobs=jobs)
    assert builder.build().written
    before = {p: p.read_bytes() for p in config.output_dir.rglob("*") if p.is_file()}
    templates = config.root / "theme" / "templates"
    templates.mkdir(parents=True)
    (templates / "article.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n{{ no_such_value.title }}\n{% endblock %}\n'
    )
    report = builder.build()
    assert not report.written and len(report.problems) == 1
    problem = report.problems[0]
    assert problem.path.endswith("article.html") and problem.line == 3
    assert "no_such_value" in problem.message
    after = {p: p.read_bytes() for p in config.output_dir.rglob("*") if p.is_file()}
    assert after == before
    assert not list(config.root.glob("build.tmp-*"))
    assert not list(config.cache_dir.glob("html.tmp-*"))
    (templates / "article.html").write_text('{% extends "base.html" %}{% block content %')
    report = builder.build()
    assert not report.written and report.problems[0].path.endswith("article.html")
    (templates / "article.html").unlink()
    assert builder.build().written


def test_serve_edits_patch_the_catalog_and_match_clean_builds(site, tmp_path, monkeypatch):
    """serve's page builds (state kept warm, search deferred, watcher hints) update the
    last catalog in place of building a new one when no people list changes or moves;
    every kind of edit must still give what a clean build gives."""
    full_catalogs = []
    real_build_catalog = people_module.build_catalog

    def counted(articles):
        full_catalogs.append(len(articles))
        return real_build_catalog(articles)

    monkeypatch.setattr(people_module, "build_catalog", counted)
    config = site(sample_files(), CONFIG)
    builder = Builds(config, jobs=1)
    builder.mode = LIVE
    assert builder.build().written
    builder.mode = PAGES_FIRST
    content = config.content_dir

    def rewrite(rel: str, old: str, new: str) -> str:
        path = content / rel
        path.write_text(path.read_text().replace(old, new, 1))
        return str(path)

    patched = [
        lambda: rewrite("2020/story-4.md", "Story number 4", "Story number four"),
        lambda: rewrite("2021/story-5.md", "Opening paragraph", "A new opening"),
        lambda: rewrite("2022/story-6.md", "- Port strike", "- Brand new topic"),
        lambda: rewrite("2023/story-7.md", "Meridian Wire", "Harbor Ledger"),
        lambda: rewrite("2021/story-9.md", "title:", "slug: chosen-slug\ntitle:"),
        lambda: rewrite("2022/story-6.md", "- Brand new topic", "- Elections"),
    ]
    rebuilt = [
        lambda: rewrite("2020/story-8.md", "2020-09-09", "2021-01-02"),  # moves in order
        lambda: rewrite("2023/story-3.md", "Ann Lee", "Someone Else"),  # people change
    ]
    for number, edit in enumerate(patched + rebuilt):
        before = len(full_catalogs)
        report = builder.build(changed_files={edit()})
        made_afresh = len(full_catalogs) - before
        assert report.written and report.incremental and report.files and not report.problems
        assert made_afresh == (number >= len(patched)), number
        clean = clean_build_of(config.root, tmp_path, f"edit{number}")
        assert _compare_trees(config.output_dir, clean, True) == [], f"edit {number}"
    added = content / "2022/added.md"
    added.write_text(article_text("Added", "Fresh.", date="2022-07-07", people=["Ann Lee"]))
    (content / "2021/story-1.md").unlink()
    builder.build(changed_files={str(added), str(content / "2021/story-1.md")})
    assert _compare_trees(config.output_dir, clean_build_of(config.root, tmp_path, "b"), True) == []
    (config.root / "people.toml").write_text('[aliases]\n"Ann Lee" = "Pavel Dvořák"\n')
    builder.build(changed_files={str(config.root / "people.toml")})
    assert _compare_trees(config.output_dir, clean_build_of(config.root, tmp_path, "c"), True) == []
    again = builder.build(changed_files={rewrite("2020/story-4.md", "four", "4")})
    assert again.files > 0
    assert _compare_trees(config.output_dir, clean_build_of(config.root, tmp_path, "d"), True) == []

    # a broken file stops every build until it is fixed, whichever file the watcher names
    broken = content / "2021/story-5.md"
    good_text = broken.read_text()
    broken.write_text("---\ntitle: [unclosed\n---\nx\n")
    assert builder.build(changed_files={str(broken)}).problems
    other = rewrite("2020/story-4.md", "Story number 4", "Story number 4!")
    assert builder.build(changed_files={other}).problems
    broken.write_text(good_text)
    fixed = builder.build(changed_files={str(broken)})
    assert fixed.written and not fixed.problems
    assert _compare_trees(config.output_dir, clean_build_of(config.root, tmp_path, "f"), True) == []
    # search brought up to date (as serve does once editing pauses): the export on disk is
    # exactly the files the build state lists, none left over from the kept one
    builder.mode = LIVE
    assert builder.build(changed_files=set()).written
    on_disk = {
        p.relative_to(config.output_dir).as_posix()
        for p in (config.output_dir / "search").rglob("*")
        if p.is_file()
    }
    assert on_disk == {rel for rel in builder.memory.state.outputs if rel.startswith("search/")}
    assert _compare_trees(config.output_dir, clean_build_of(config.root, tmp_path, "e"), True) == []


def test_remembered_list_items_follow_an_edited_macro_template(site, tmp_path):
    """Rendered list items are kept per article (Renderer.remember); an overriding
    _macros.html, and each later edit of it, must show on every list page."""
    from sitegen.site.themes import theme_dirs

    config = site(sample_files(), CONFIG)
    builder = Builds(config, jobs=1)
    builder.mode = LIVE
    assert builder.build().written
    builder.mode = PAGES_FIRST
    default = theme_dirs(config)[-1] / "templates" / "_macros.html"
    templates = config.root / "theme" / "templates"
    templates.mkdir(parents=True)
    override = templates / "_macros.html"
    for number, marker in enumerate(["first-look", "second-look"]):
        override.write_text(
            default.read_text().replace('<li class="story">', f'<li class="story {marker}">')
        )
        report = builder.build(changed_files={str(override)})
        assert report.files > 0
        home = (config.output_dir / "index.html").read_text()
        assert f"story {marker}" in home
        clean = clean_build_of(config.root, tmp_path, f"macro{number}")
        assert _compare_trees(config.output_dir, clean, True) == [], marker


def test_edits_to_articles_naming_an_alias_update_the_canonical_pages(site, tmp_path):
    """People pages are made under canonical names (people.toml aliases); an edit to an
    article that spells a person another way must reach that person's page, and a date
    change that leaves the names as they were need not rewrite the whole site."""
    config = site(sample_files(), CONFIG)
    (config.root / "people.toml").write_text('[aliases]\n"Ann Lee" = "Pavel Dvořák"\n')
    builder = Builds(config, jobs=1)
    builder.mode = LIVE
    assert builder.build().written
    builder.mode = PAGES_FIRST
    story = config.content_dir / "2023/story-3.md"  # names Ann Lee
    assert "Ann Lee" in story.read_text()
    story.write_text(story.read_text().replace("Story number 3", "Story number three"))
    builder.build(changed_files={str(story)})
    assert _compare_trees(config.output_dir, clean_build_of(config.root, tmp_path, "a"), True) == []
    story.write_text(story.read_text().replace("2023-04-04", "2023-05-05"))
    report = builder.build(changed_files={str(story)})
    assert report.files < report.pages / 2
    assert _compare_trees(config.output_dir, clean_build_of(config.root, tmp_path, "b"), True) == []


def test_a_build_that_rereads_bodies_writes_the_same_site(site, monkeypatch):
    """Big archives do not keep bodies in memory; search and pages read them again."""
    kept = site(sample_files(), CONFIG, name="kept")
    assert build_site(kept, jobs=2).written
    monkeypatch.setattr(load_module, "BODIES_IN_MEMORY", 0)
    reread = site(sample_files(), CONFIG, name="reread")
    assert build_site(reread, jobs=2).written
    assert _compare_trees(kept.output_dir, reread.output_dir) == []


def test_pages_take_their_body_html_from_the_search_analysis(site, monkeypatch):
    """Search parses every body it analyses; the page writer must not parse it again
    (a cold build: all bodies; an edit: the edited one)."""
    rendered: list[str] = []

    def counting(md, body):
        rendered.append(body)
        return original(md, body)

    original = plan_module.render_markdown
    monkeypatch.setattr(plan_module, "render_markdown", counting)  # the planner's renders
    config = site(sample_files(), CONFIG)
    # a folder of body HTML left by a killed build (no such process) is removed
    abandoned = config.cache_dir / f"{writer_module.HTML_DIR_PREFIX}999999999"
    abandoned.mkdir(parents=True)
    (abandoned / "group-00.html").write_text("<p>old</p>")
    builder = Builds(config, jobs=1)
    report = builder.build()
    assert report.written and report.articles > 0
    assert rendered == []
    # the workers' body HTML files are gone with the build
    assert not [p for p in config.cache_dir.iterdir() if p.name.startswith("html.tmp-")]
    story = config.content_dir / "2020/story-4.md"
    text = story.read_text().replace("Opening paragraph 4", "Opening paragraph four")
    story.write_text(text.replace("Story number 4", "Story number four"))
    assert builder.build(changed_files={str(story)}).files > 0
    # pages that list the new title re-render their unchanged bodies; the edited one not
    assert rendered and not any("paragraph four" in body for body in rendered)
    page = (config.output_dir / "2020/05/story-4/index.html").read_text()
    assert "Opening paragraph four" in page
    assert not [p for p in config.cache_dir.iterdir() if p.name.startswith("html.tmp-")]
