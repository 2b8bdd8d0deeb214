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


def test_a_list_or_mapping_as_a_key_is_a_problem():
    assert "a key must be text" in problem_of("---\ntitle: T\n? [a, b]\n: x\n---\nBody\n").message


# Found by tests/test_fuzz.py: each crashed reading or building before it was a Problem.


def test_keys_that_yaml_reads_as_numbers_or_booleans_are_kept_as_written():
    article = parse_article(
        "a.md", "---\ntitle: T\n1: one\nyes: x\n~: n\n2024: notes\nwire: AP\n---\nBody\n"
    )
    assert article.extra == {"1": "one", "yes": "x", "~": "n", "2024": "notes", "wire": "AP"}


@pytest.mark.parametrize(
    ("front", "words"),
    [
        ("1: one\nwire: AP", None),  # TypeError sorting int and str keys in signatures.py
        ("date: 0001-01-01T00:00:00+05:00", "outside the years 1-9999"),  # OverflowError
    ],
)
def test_build_of_odd_front_matter_does_not_crash(tmp_path, front, words):
    from click.testing import CliRunner

    from sitegen.cli import cli
    from tests.conftest import write_site

    root = write_site(tmp_path / "s", {"content/a.md": f"---\ntitle: A\n{front}\n---\nBody\n"})
    result = CliRunner().invoke(cli, ["build", "--site", str(root)])
    output = result.output  # stdout and stderr, as a terminal shows them
    assert "Traceback" not in output and "could not process" not in output
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    if words is None:
        assert result.exit_code == 0, output
        assert (root / "build/undated/a/index.html").is_file()
    else:
        assert result.exit_code == 1 and "content/a.md" in output and words in output


@pytest.mark.parametrize(
    "value",
    [
        "!!int ''",  # IndexError in PyYAML's int constructor
        "!!float ''",  # IndexError
        "!!int 1:x",  # ValueError
        "!!bool ''",  # KeyError
        "!!timestamp xyz",  # AttributeError
        "!!timestamp 2024-13-45",  # ValueError
        "9" * 5000,  # ValueError: more digits than Python converts
        "0x" + "f" * 1200,  # an int whose digits would not print
    ],
)
def test_values_yaml_cannot_build_are_a_problem_with_their_line(value):
    problem = problem_of(f"---\ntitle: T\nwire: {value}\n---\nBody\n")
    assert problem.path == "content/x.md" and problem.line == 3
    assert "not valid YAML" in problem.message and "\n" not in str(problem)


@pytest.mark.parametrize(
    ("front", "words"),
    [
        ("x: &a [*a]", "refers to itself"),  # RecursionError comparing it in entities refresh
        ("x: " + "[" * 999 + "]" * 999, "nests more than"),  # RecursionError in repr()
        (
            "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
            + "".join(
                f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n"
                for p, n in zip("abcdefg", "bcdefgh", strict=True)
            )
            + "i: [*h, *h]",
            "too large once its aliases",
        ),  # repr() of 2*10^8 items
        ("date: !!timestamp 0001-01-01 00:00:00 +05:00", "outside the years 1-9999"),
        ("date: 9999-12-31T23:59:59-05:00", "outside the years 1-9999"),
    ],
)
def test_front_matter_that_would_crash_or_hang_later_is_a_problem(front, words):
    problem = problem_of(f"---\ntitle: T\n{front}\n---\nBody\n")
    assert problem.path == "content/x.md" and words in problem.message
