"""An import changes only what it has to: no re-quoted dates, no re-ordered lists in
articles it did not mean to change (issue 19's git noise)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content import dump_front_matter, format_article, load_front_matter_yaml
from sitegen.entities.refresh import update_front_matter
from tests.ingest.test_importer import P1, P2, P3, content_files, dump, raw, run

__all__ = ["raw"]  # the fixture, shared with test_importer


def test_a_near_duplicate_keeps_the_kept_articles_date_as_written(site, raw, tmp_path):
    config = site({})
    run(config, [raw / "dated.txt"])
    (before,) = content_files(config).values()
    assert "\ndate: 2024-03-12\n" in before
    copy = dump(
        tmp_path / "other",
        "copy.json",
        [json.dumps({"title": "Bridge approved", "text": "\n".join([P1, P2, P3])})],
    )
    assert run(config, [copy])[0].status == "duplicate"
    (after,) = content_files(config).values()
    assert "\ndate: 2024-03-12\n" in after, after
    # only the duplicates list (and the import's stamp) was added
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed and all(
        line.startswith(("duplicates:", "- ", "  ", "generated_sha256:")) for line in changed
    ), changed


def test_date_like_text_is_written_plain_and_reads_back_as_text():
    text = dump_front_matter({"date": "2024-03-12", "when": "2024-03-12 10:00:00", "n": "12"})
    assert "date: 2024-03-12\n" in text
    assert load_front_matter_yaml(text) == {
        "date": "2024-03-12",
        "when": "2024-03-12 10:00:00",
        "n": "12",
    }
    assert "n: '12'" in text  # a number-like text still needs its quotes


def test_refresh_keeps_the_order_of_lists_whose_names_did_not_change():
    front = {
        "title": "T",
        "date": "2024-03-12",
        "people": ["Ann Lee", "Bo Chan"],
        "topics": ["Ports", "Strikes", "Trade"],
        "people_auto": ["Ann Lee", "Bo Chan"],
        "topics_auto": ["Ports", "Strikes", "Trade"],
    }
    text = format_article(front, "Body.")
    same, _ = update_front_matter(text, ["Bo Chan", "Ann Lee"], ["Trade", "Ports", "Strikes"])
    assert same == text
    grown, _ = update_front_matter(text, ["Ann Lee", "Bo Chan"], ["Wages", "Trade", "Ports"])
    new = load_front_matter_yaml(grown.split("---")[1])
    assert new["topics"] == ["Ports", "Trade", "Wages"]  # kept names first, in their order
    assert new["topics_auto"] == ["Ports", "Trade", "Wages"]
    assert new["people"] == ["Ann Lee", "Bo Chan"] and "date: 2024-03-12\n" in grown


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=20), max_size=5))
def test_any_text_front_matter_reads_back_as_written(front):
    assert load_front_matter_yaml(dump_front_matter(front)) == front
