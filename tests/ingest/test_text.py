import re

from sitegen.ingest.text import any_word, replace_spans


def test_any_word_is_the_written_alternation():
    pattern = any_word(r"last\s+updated posted on")
    assert pattern.pattern == r"\b(?:last\s+updated|posted|on)\b"
    assert pattern.flags & re.I
    assert pattern.search("Last  Updated: today")
    assert not pattern.search("reposted")
    assert any_word("posted", after="").search("postedby")


def test_replace_spans_keeps_earlier_offsets():
    text = "By Jane Roe 10:32 5 min read"
    assert replace_spans(text, [(12, 17), (18, 28)], " | ") == "By Jane Roe  |   | "
    assert replace_spans("abc", [], "-") == "abc"
