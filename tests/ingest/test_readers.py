"""Each input format, and each kind of bad input, with a one-line reason."""

from __future__ import annotations

import json
import random

import pytest

from sitegen.ingest import readers
from sitegen.ingest.readers import RawDocument, read_file
from sitegen.model import Problem
from tests.ingest.test_clean import P1, P2, P3


def read_one(path):
    results = list(read_file(path))
    assert len(results) == 1, results
    return results[0]


def assert_problem(result, words: str):
    assert isinstance(result, Problem), result
    assert words in result.message
    assert "\n" not in str(result)


def test_text_dump(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(f"Headline here\n\n{P1}\n{P2}\n", encoding="utf-8")
    doc = read_one(path)
    assert isinstance(doc, RawDocument) and doc.kind == "text"
    assert doc.lines == ["Headline here", "", P1, P2]
    assert doc.name == "page.txt" and len(doc.sha256) == 64 and doc.file_time


def test_text_dump_in_another_encoding_is_detected(tmp_path):
    path = tmp_path / "page.txt"
    text = "“Quoted” text — with dashes and cafés, from a Windows machine. " * 20
    path.write_bytes(text.encode("cp1252"))
    doc = read_one(path)
    assert isinstance(doc, RawDocument)
    assert "“Quoted” text — with dashes and cafés" in doc.lines[0]


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(f"{P1}\n{P2}".encode("utf-16"))
    assert read_one(path).lines == [P1, P2]


def test_html_page_main_content_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Bridge approved | The Example Post</title>"
        '<meta property="og:site_name" content="The Example Post">'
        '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
        '<link rel="canonical" href="https://example.org/news/bridge"></head><body>'
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article><h1>Bridge approved</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>"
        "<footer>© 2024 The Example Post</footer></body></html>",
        encoding="utf-8",
    )
    doc = read_one(path)
    assert isinstance(doc, RawDocument) and doc.kind == "html"
    assert doc.title == "Bridge approved"
    assert doc.source == "The Example Post"
    assert doc.date == "2024-03-05T10:00:00Z"  # as the page states it, time and zone kept
    assert doc.url == "https://example.org/news/bridge"
    assert P1 in doc.lines and "Home" not in " ".join(doc.lines)


def test_json_record_with_accepted_field_names(tmp_path):
    path = tmp_path / "one.json"
    record = {
        "headline": "Bridge approved",
        "body": [P1, P2],
        "published_at": "2024-03-05",
        "link": "https://example.org/b",
        "publisher": {"name": "The Example Post"},
    }
    path.write_text(json.dumps(record), encoding="utf-8")
    doc = read_one(path)
    assert (doc.title, doc.date, doc.url, doc.source) == (
        "Bridge approved",
        "2024-03-05",
        "https://example.org/b",
        "The Example Post",
    )
    assert doc.lines == [P1, P2]


def test_json_list_and_jsonl_give_one_document_per_record(tmp_path):
    listing = tmp_path / "many.json"
    listing.write_text(json.dumps({"articles": [{"text": P1}, {"content": P2}]}), encoding="utf-8")
    docs = list(read_file(listing))
    assert [d.name for d in docs] == ["many.json#1", "many.json#2"]
    lines = tmp_path / "many.jsonl"
    lines.write_text(
        json.dumps({"text": P1}) + "\n\n" + json.dumps({"text": P2}) + "\n", encoding="utf-8"
    )
    docs = list(read_file(lines))
    assert [d.name for d in docs] == ["many.jsonl#1", "many.jsonl#3"]
    assert docs[0].sha256 != docs[1].sha256


def test_json_text_that_is_html_is_extracted(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"title": "T", "text": f"<p>{P1}</p><p>{P2}</p>"}), encoding="utf-8")
    doc = read_one(path)
    assert P1 in doc.lines and not any("<p>" in line for line in doc.lines)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \n", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "binary"),
        ("controls.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 100, "binary"),
        ("noise.txt", random.Random(1).randbytes(3000).replace(b"\x00", b"\x80"), "encoding"),
        ("broken.json", b'{"text": "unterminated', "malformed JSON"),
        ("list.json", b"[]", "no records"),
        ("number.json", b"42", "neither an object"),
        ("notext.json", b'{"title": "Only a title"}', "no text"),
        ("page.pdf", b"%PDF-1.4", "unsupported file type"),
    ],
)
def test_bad_inputs_get_a_one_line_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    assert_problem(read_one(path), reason)


def test_huge_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_RAW_BYTES", 1000)
    path = tmp_path / "huge.txt"
    path.write_text(P1 * 20, encoding="utf-8")
    assert_problem(read_one(path), "too large")


def test_bad_jsonl_line_is_reported_and_the_rest_still_read(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps({"text": P1}) + "\n{not json\n" + json.dumps({"text": P2}) + "\n")
    results = list(read_file(path))
    assert isinstance(results[0], RawDocument) and isinstance(results[2], RawDocument)
    assert_problem(results[1], "malformed JSON line")
    assert results[1].line == 2


def test_html_without_any_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title></title></head><body><div></div></body></html>")
    assert_problem(read_one(path), "no article text")


# Found by tests/test_fuzz.py: each crashed the import before it was a Problem.


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_deeply_nested_json_is_a_problem_not_a_recursion_error(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"[" * 100_000 + b"\n")
    result = read_one(path)
    assert_problem(result, "nested too deeply")
    assert result.path == str(path)


def test_a_deep_jsonl_line_leaves_the_other_lines_readable(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b'{"text": "x"}\n' + b'{"a":' * 50_000 + b"\n" + json.dumps({"text": P2}).encode()
    )
    results = list(read_file(path))
    assert isinstance(results[0], RawDocument) and isinstance(results[2], RawDocument)
    assert_problem(results[1], "nested too deeply")
    assert results[1].line == 2


@pytest.mark.parametrize("name", ["long.json", "long.jsonl"])
def test_a_number_too_long_for_python_is_a_problem(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b'{"text": "x", "n": ' + b"9" * 5000 + b"}\n")
    assert_problem(read_one(path), "cannot read the JSON")


def test_a_lone_surrogate_escape_in_json_becomes_a_replacement_character(tmp_path):
    path = tmp_path / "two.json"
    path.write_bytes(b'[{"text": "a \\ud800 b", "title": "T \\udfff"}, {"text": "c"}]')
    first, second = read_file(path)
    assert first.lines == ["a \ufffd b"] and first.title == "T \ufffd"
    assert second.lines == ["c"]  # its checksum is made from the record, surrogate and all
