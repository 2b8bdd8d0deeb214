import datetime as dt

import pytest

from sitegen.content import format_article, parse_article, read_article, read_body
from sitegen.model import ProblemError


def problem_of(text: str | bytes):
    with pytest.raises(ProblemError) as info:
        if isinstance(text, bytes):
            read_article("content/x.md", text)
        else:
            parse_article("content/x.md", text)
    return info.value.problem


def test_full_front_matter_is_read():
    article = parse_article(
        "a.md",
        "---\ntitle: T\ndate: 2024-02-03T10:00:00Z\nsource: S\nurl: https://e.example/a\n"
        "people: [A B, A B, C D]\ntags: [x]\nslug: my-slug\nsummary: Sum\nwire: AP\n---\nBody\n",
    )
    assert article.title == "T"
    assert article.date == dt.datetime(2024, 2, 3, 10, tzinfo=dt.UTC)
    assert article.people == ["A B", "C D"]
    assert article.topics == ["x"]  # `tags` is accepted as Hugo/Jekyll users write it
    assert article.slug == "my-slug" and article.summary == "Sum"
    assert article.extra == {"wire": "AP"}
    assert article.body == "Body\n"


def test_yaml_error_names_the_line():
    problem = problem_of("---\ntitle: ok\npeople: [a, b\ndate: 2024-01-01\n---\nx\n")
    assert problem.path == "content/x.md"
    assert problem.line is not None and 3 <= problem.line <= 5
    assert "not valid YAML" in problem.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("no front matter at all\n", "no front matter"),
        ("---\ntitle: x\nbody never closed\n", "not closed"),
        ("---\n---\nbody\n", "title"),
        ("---\ndate: 2024-01-01\n---\nbody\n", "'title' is missing"),
        ("---\ntitle: ''\n---\nbody\n", "'title' is missing"),
        ("---\ntitle: x\ndate: last Tuesday\n---\nbody\n", "'date' must be an ISO date"),
        ("---\ntitle: x\ndate: 2024-13-45\n---\nbody\n", "'date'"),
        ("---\n- a list\n---\nbody\n", "mapping"),
        ("---\ntitle: x\npeople: {a: 1}\n---\nbody\n", "'people' must be a list"),
    ],
)
def test_bad_front_matter_is_a_problem(text, words):
    assert words in problem_of(text).message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"---\ntitle: x\n---\n\x00\x01\x02", "binary"),
        (b"---\ntitle: caf\xe9\n---\n", "UTF-8"),
    ],
)
def test_unreadable_bytes_are_a_problem(data, words):
    assert words in problem_of(data).message


def test_format_then_parse_round_trips():
    text = format_article({"title": "Ünïcode: a title", "people": ["Łucja W"]}, "Para one.\n")
    article = parse_article("a.md", text)
    assert article.title == "Ünïcode: a title" and article.people == ["Łucja W"]
    assert article.body.strip() == "Para one."


@pytest.mark.parametrize(
    "data",
    [
        b"---\ntitle: x\n---\n\nBody *one*.\n",
        b"\xef\xbb\xbf---\r\ntitle: x\r\npeople: [A, B]\r\n---\r\nCRLF body\r\n",
        b"---  \ntitle: x\n...\nAfter a YAML end marker.\n---\nA rule, not a fence.\n",
        b"---\ntitle: x\n---",
    ],
)
def test_read_body_is_read_articles_body(data):
    assert read_body("a.md", data) == read_article("a.md", data).body


@pytest.mark.parametrize("data", [b"", b"no front matter\n", b"---\n---\nbody\n"])
def test_read_body_of_a_broken_file_is_its_problem(data):
    with pytest.raises(ProblemError):
        read_body("a.md", data)
