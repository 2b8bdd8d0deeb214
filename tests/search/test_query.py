"""`sitegen search`: words, stems, phrases, operators, filters, facets and bad queries."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sitegen.cli import cli
from sitegen.config import Config
from sitegen.model import ProblemError
from sitegen.search.query import date_bound, normalize, parse, prepare


def run(archive: Config, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["search", *args, "--site", str(archive.root), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def paths(data: dict) -> list[str]:
    return [hit["path"] for hit in data["results"]]


def test_a_word_finds_its_other_forms(archive):
    data = run(archive, "meeting")
    assert "planted/meetings.md" in paths(data)
    hit = data["results"][0]
    assert hit["path"] == "planted/meetings.md"  # in the title and the body: ranked first
    marked = [hit["snippet"][s:e] for s, e in hit["snippet_marks"]]
    assert "meetings" in marked
    assert hit["url"].endswith("/2023/06/meetings/") and hit["date"] == "2023-06-01"


def test_a_phrase_needs_its_words_together(archive):
    together = paths(run(archive, '"state of the union"', "--limit", "100"))
    assert "planted/union.md" in together
    assert "planted/union-apart.md" not in together
    both = paths(run(archive, "state union", "--limit", "100"))
    assert {"planted/union.md", "planted/union-apart.md"} <= set(both)


def test_accents_fold_and_prefixes_expand(archive):
    assert paths(run(archive, "erdogan lodz")) == ["planted/erdogan.md"]
    assert "planted/meetings.md" in paths(run(archive, "meet*", "--limit", "100"))


def test_or_and_not(archive):
    either = paths(run(archive, "erdogan OR meetings"))
    assert {"planted/erdogan.md", "planted/meetings.md"} <= set(either)
    assert "planted/union-apart.md" not in paths(run(archive, "union NOT teachers", "-n", "100"))
    assert "planted/union-apart.md" not in paths(run(archive, "union -teachers", "-n", "100"))


def test_field_filters_in_the_query(archive):
    data = run(archive, 'person:"smith, john" union')
    assert paths(data)[0] == "planted/union.md"
    for hit in run(archive, 'harbour source:"the harbour times"', "-n", "100")["results"]:
        assert hit["source"] == "The Harbour Times"
    for hit in run(archive, "harbour year:2023", "-n", "100")["results"]:
        assert hit["date"].startswith("2023")
    titles = run(archive, "title:meetings")["results"]
    assert [hit["path"] for hit in titles] == ["planted/meetings.md"]


def test_option_filters_and_dates(archive):
    data = run(archive, "harbour", "--person", "Ann Lee", "-n", "100")
    assert data["results"] and all("Ann Lee" in hit["people"] for hit in data["results"])
    data = run(archive, "harbour", "--from", "2021-03", "--to", "2022", "-n", "100")
    assert data["results"]
    assert all("2021-03-01" <= hit["date"] <= "2022-12-31" for hit in data["results"])
    data = run(archive, "", "--topic", "Climate", "--year", "2020", "-n", "100")
    assert data["results"] and all(
        "Climate" in hit["topics"] and hit["date"].startswith("2020") for hit in data["results"]
    )


def test_facets_count_every_match_not_only_the_shown(archive):
    everything = run(archive, "harbour", "-n", "1000")
    few = run(archive, "harbour", "-n", "3")
    assert len(few["results"]) == 3 and few["total"] == everything["total"] > 3
    counted: dict[str, int] = {}
    for hit in everything["results"]:
        counted[hit["source"]] = counted.get(hit["source"], 0) + 1
    assert {f["name"]: f["count"] for f in few["facets"]["source"]} == counted
    years = [f["name"] for f in few["facets"]["year"]]
    assert years == sorted(years, reverse=True)


def test_unknown_name_gets_a_note(archive):
    data = run(archive, "harbour", "--person", "Putin")
    assert data["total"] == 0
    assert any("vladimir putin" in note for note in data["notes"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("(harbour", "'(' at character 1 is not closed"),
        ("(", "'(' at character 1 is not closed"),  # was an IndexError (found by fuzzing)
        ("bridge (", "'(' at character 8 is not closed"),  # likewise
        ("harbour)", "')' at character 8 has no matching '('"),
        ('"harbour council', 'quote (") at character 1 is not closed'),
        ("AND harbour", "'AND' at character 1 needs a search term before it"),
        ("harbour OR", "OR at character 9 needs a search term after it"),
        ("NOT harbour", "NOT only takes results away"),
        ("year:abc", "four-digit year"),
        ("person:", "needs something after the colon"),
        ("h*", "too short"),
        ("the of", "only very common or very short words"),
        ("", "the query is empty"),
    ],
)
def test_a_bad_query_gets_a_clear_message(archive, query, message):
    result = CliRunner().invoke(cli, ["search", query, "--site", str(archive.root)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_bad_dates_and_missing_index_are_clear(archive, tmp_path):
    result = CliRunner().invoke(cli, ["search", "x", "--site", str(archive.root), "--from", "May"])
    assert result.exit_code == 2 and "'May' is not a date" in result.stderr
    (tmp_path / "sitegen.toml").write_text("[site]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["search", "x", "--site", str(tmp_path)])
    assert result.exit_code == 2 and "run 'sitegen build' first" in result.stderr


def test_text_output_shows_title_date_source_url(archive):
    result = CliRunner().invoke(cli, ["search", "erdogan", "--site", str(archive.root)])
    assert result.exit_code == 0
    assert "Erdoğan visits Łódź" in result.stdout
    assert "2021-09-09 · Kurýr Dne · /2021/09/erdogan/" in result.stdout
    assert "Sources: Kurýr Dne (1)" in result.stdout


def test_normalize_flattens_and_dedupes():
    def expand(prefixes):
        return []

    node = prepare("harbour harbour (council harbour)", expand)
    assert node[0] == "and" and len(node[1]) == 2
    assert prepare("a of the", expand) is None
    assert prepare("harbour -the", expand)[0] == "or"  # a stop word alone excludes nothing
    with pytest.raises(ProblemError):
        normalize(("or", (("not", ("term", "body", "x", 1.0)),)))
    assert parse("x AND (y OR z)")[0] == "AND"


# Found by tests/test_fuzz.py.


@pytest.mark.parametrize("query", ["(", "bridge (", "((", "a OR (", "-("])
def test_a_query_that_ends_inside_a_group_is_a_query_problem(query):
    with pytest.raises(ProblemError) as info:
        prepare(query, lambda prefixes: [])
    assert info.value.problem.message.endswith("is not closed")


def test_search_open_parenthesis_exits_2_with_one_line_and_no_traceback(archive):
    result = CliRunner().invoke(cli, ["search", "(", "--site", str(archive.root)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.stdout == "" and "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [
        "error query: the '(' at character 1 is not closed"
    ]


def test_a_date_option_with_a_line_break_gets_a_one_line_message(archive):
    with pytest.raises(ProblemError) as info:
        date_bound("May\n2024", end=False, option="--from")
    assert len(str(info.value.problem).splitlines()) == 1
    result = CliRunner().invoke(cli, ["search", "x", "--site", str(archive.root), "--to", "\n"])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_the_search_json_is_one_shape_for_the_command_and_serve():
    from sitegen.search.query import Hit, SearchResult
    from sitegen.search.snippets import Snippet

    hit = Hit(3, 1.23456789, "a.md", "/2024/a/", "A", None, "Wire", ["Ann"], [], Snippet("x"))
    result = SearchResult("q", 1, [hit], {"people": [("Ann", 1)]})
    served = result.to_json("/archive/")  # serve: the site's path
    printed = result.to_json("https://example.org/archive/")  # the command: its address
    assert served["results"][0]["url"] == "/archive/2024/a/"
    assert printed["results"][0]["url"] == "https://example.org/archive/2024/a/"
    assert served.keys() == printed.keys() and served["facets"] == {
        "people": [{"name": "Ann", "count": 1}]
    }
    assert served["results"][0]["score"] == 1.234568
