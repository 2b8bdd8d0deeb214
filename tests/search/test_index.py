"""The Whoosh index follows content/ incrementally; the build exports it and reuses the export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from whoosh.index import LockError

from sitegen.config import Config
from sitegen.markdown import make_markdown
from sitegen.model import Article, Problem, ProblemError
from sitegen.search import index as search_index
from sitegen.search.index import open_searcher, update_index
from sitegen.search.query import search
from sitegen.site.catalog import build_catalog
from sitegen.site.load import load_articles
from sitegen.site.pipeline import build_site
from tests.conftest import article_text

FILES = {
    "content/a.md": article_text("Alpha report", "The harbour froze.", date="2024-01-01"),
    "content/b.md": article_text("Bravo report", "Bakers went on strike.", date="2024-01-02"),
    "content/c.md": article_text("Charlie report", "Comets lit the sky.", date="2024-01-03"),
}


def articles_of(config: Config) -> list[Article]:
    articles, problems = load_articles(config.content_dir, make_markdown(config))
    assert not problems
    return build_catalog(articles).articles


def found(config: Config, query: str) -> list[str]:
    with open_searcher(config) as searcher:
        return [hit.path for hit in search(searcher, query, limit=50).hits]


def test_only_changed_articles_are_reindexed(site, monkeypatch):
    config = site(FILES)
    first = update_index(config, articles_of(config))
    assert (first.added, first.rebuilt) == (3, True)
    again = update_index(config, articles_of(config))
    assert not again.changed and again.generation == first.generation

    (config.root / "content/b.md").write_text(
        article_text("Bravo report", "Bakers ended the strike with cake.", date="2024-01-02"),
        encoding="utf-8",
    )
    (config.root / "content/c.md").unlink()
    indexed: list[str] = []
    real = search_index.analyse

    def spy(article, md):
        indexed.append(article.path)
        return real(article, md)

    monkeypatch.setattr(search_index, "analyse", spy)
    stats = update_index(config, articles_of(config))
    assert (stats.added, stats.updated, stats.removed, stats.rebuilt) == (0, 1, 1, False)
    assert indexed == ["b.md"]  # a.md was not touched
    assert found(config, "cake") == ["b.md"]
    assert found(config, "comets") == []
    assert found(config, "harbour") == ["a.md"]
    assert sorted(found(config, "report")) == ["a.md", "b.md"]


def test_a_damaged_state_or_index_is_rebuilt(site):
    config = site(FILES)
    update_index(config, articles_of(config))
    state = config.cache_dir / "search" / "state.json"
    state.write_text("{not json", encoding="utf-8")
    stats = update_index(config, articles_of(config))
    assert stats.rebuilt and stats.added == 3
    data = json.loads(state.read_text(encoding="utf-8"))
    data["generation"] += 7  # the state no longer describes the index on disk
    state.write_text(json.dumps(data), encoding="utf-8")
    assert update_index(config, articles_of(config)).rebuilt
    assert found(config, "comets") == ["c.md"]


def test_an_index_from_another_schema_version_is_rebuilt(site):
    """A sitegen that lays the index out differently (schema 5 stores positions as
    varints) rebuilds an older index instead of reading it with the wrong format."""
    config = site(FILES)
    update_index(config, articles_of(config))
    state = config.cache_dir / "search" / "state.json"
    data = json.loads(state.read_text(encoding="utf-8"))
    data["schema"] = search_index.SCHEMA_VERSION - 1
    state.write_text(json.dumps(data), encoding="utf-8")
    stats = update_index(config, articles_of(config))
    assert stats.rebuilt and stats.added == 3
    assert found(config, '"harbour froze"') == ["a.md"]  # positions read back
    assert found(config, '"froze harbour"') == []


def test_a_locked_index_is_a_problem_not_a_traceback(site, monkeypatch):
    config = site(FILES)
    update_index(config, articles_of(config))
    (config.root / "content/a.md").write_text(article_text("Changed", "New."), encoding="utf-8")

    def locked(self, **kwargs):
        raise LockError("held")

    monkeypatch.setattr("whoosh.index.FileIndex.writer", locked)
    with pytest.raises(ProblemError) as caught:
        update_index(config, articles_of(config))
    assert "another sitegen process" in caught.value.problem.message


def test_an_unwritable_cache_is_a_problem(site):
    config = site(FILES)
    config.cache_dir.parent.mkdir(parents=True, exist_ok=True)
    config.cache_dir.write_text("a file where the cache folder should be", encoding="utf-8")
    with pytest.raises(ProblemError) as caught:
        update_index(config, articles_of(config))
    assert "cannot write the search index" in caught.value.problem.message


def search_files(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in (output / "search").rglob("*")
        if p.is_file()
    }


def test_build_exports_the_index_and_reuses_the_export(site):
    config = site(FILES)
    first = build_site(config)
    assert first.written and first.search is not None and first.search.added == 3
    before = search_files(config.output_dir)
    metas = [name for name in before if name.startswith("search/meta.")]
    assert len(metas) == 1
    page = (config.output_dir / "search/index.html").read_text(encoding="utf-8")
    assert f'data-meta="/{metas[0]}"' in page
    assert 'action="/search/"' in (config.output_dir / "index.html").read_text(encoding="utf-8")
    assert not (config.output_dir / ".sitegen-cache").exists()

    second = build_site(config)  # nothing changed: the build returns at once
    assert second.written and second.files == 0
    assert second.search is None or not second.search.changed
    assert search_files(config.output_dir) == before  # same bytes, same content-hashed names

    (config.root / "content/a.md").write_text(
        article_text("Alpha report", "The harbour thawed.", date="2024-01-01"), encoding="utf-8"
    )
    third = build_site(config)
    assert third.search is not None and third.search.updated == 1
    after = search_files(config.output_dir)
    assert after != before
    assert len([n for n in after if n.startswith("search/meta.")]) == 1


def test_keep_going_without_an_index_builds_a_site_without_search(site, monkeypatch):
    config = site(FILES)

    def cannot(*args, **kwargs):
        raise ProblemError(Problem(".sitegen-cache/search", "cannot write the search index"))

    monkeypatch.setattr("sitegen.search.pipeline.start_search", cannot)
    failed = build_site(config)
    assert not failed.written and "cannot write" in str(failed.problems[0])
    report = build_site(config, keep_going=True)
    assert report.written and len(report.problems) == 1
    assert 'data-meta=""' in (config.output_dir / "search/index.html").read_text(encoding="utf-8")


def test_an_empty_archive_builds_and_searches(site):
    config = site({})
    report = build_site(config)
    assert report.written and report.search is not None
    with open_searcher(config) as searcher:
        assert search(searcher, "anything").total == 0


def test_a_template_error_while_search_runs_leaves_the_index_usable(site, monkeypatch):
    """Search indexes in workers while the build plans its pages; a template error
    found then stops the workers and releases the index for the next build."""
    monkeypatch.setattr("sitegen.parallel.PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr("sitegen.search.pipeline.SEGMENT_ARTICLES", 1)  # several workers
    config = site(FILES)
    templates = config.site_theme_dir / "templates"
    templates.mkdir(parents=True)
    (templates / "article.html").write_text("{% if %}", encoding="utf-8")
    failed = build_site(config, jobs=2)
    assert not failed.written and "article.html" in str(failed.problems[0])
    assert not list(config.cache_dir.glob("html.tmp-*"))  # the workers' body HTML is gone
    (templates / "article.html").unlink()
    report = build_site(config, jobs=2)
    assert report.written and not report.problems
    with open_searcher(config) as searcher:
        assert search(searcher, "harbour").total > 0
