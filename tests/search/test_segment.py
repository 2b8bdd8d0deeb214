"""Our fast paths into Whoosh write exactly what Whoosh itself would."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.qparser import QueryParser
from whoosh.writing import SegmentWriter

from sitegen.config import Config
from sitegen.markdown import make_markdown
from sitegen.model import Article
from sitegen.search import index as index_module
from sitegen.search.analysis import analyse, excerpt_of
from sitegen.search.index import AnalysedSegmentWriter, _segment_codec
from sitegen.search.schema import (
    TEXT_FIELDS,
    VarintPositions,
    make_schema,
    term_positions,
    text_analyzer,
)
from sitegen.search.varints import positions_values, read_varints

WORDS = "harbour council strike bakers comet river union state of the and a Łódź naïve U.S. 3.5"


def articles(count: int, seed: int = 3) -> list[Article]:
    rng = random.Random(seed)
    words = WORDS.split() + [f"word{i}" for i in range(60)]
    out = []
    for n in range(count):
        body = "\n\n".join(
            " ".join(rng.choice(words) for _ in range(rng.randint(3, 40)))
            for _ in range(rng.randint(1, 4))
        )
        out.append(
            Article(
                path=f"{n:04d}.md",
                title=" ".join(rng.choice(words) for _ in range(rng.randint(0, 6))),
                body=body,
                date=dt.datetime(2020, 1, 1) + dt.timedelta(days=n) if n % 7 else None,
                source=rng.choice(["Reuters", "", "AP"]) or None,
                people=rng.sample(["Ann Lee", "Bo Chan", "José Ruiz"], rng.randint(0, 2)),
                topics=rng.sample(["Climate", "Economy"], rng.randint(0, 2)),
                slug=f"story-{n}",
            )
        )
    return out


def segment_files(folder: Path, segment) -> dict[str, bytes]:
    prefix = f"MAIN_{segment.segment_id()}"
    return {
        p.name[len(prefix) :]: p.read_bytes() for p in folder.iterdir() if p.name.startswith(prefix)
    }


def write_both(tmp_path: Path, items) -> dict[str, tuple]:
    """The items as one segment by Whoosh's own writer and by ours; their files."""
    written = {}
    for name, make in (
        # (the same codec settings: ours compresses posting blocks at zlib level 1)
        ("whoosh", lambda ix: SegmentWriter(ix, _lk=False, compound=False, codec=_segment_codec())),
        ("ours", lambda ix: AnalysedSegmentWriter(ix)),
    ):
        folder = tmp_path / name
        folder.mkdir()
        writer = make(whoosh_index.create_in(str(folder), make_schema()))
        if name == "ours":  # in buckets, as the build adds them
            for start in range(0, len(items), 70):
                writer.add_bucket(items[start : start + 70])
        else:
            for item in items:
                writer.add_document(**item.document())
        segment = writer._finalize_segment()
        writer._commit_toc([segment])
        writer._finish()
        written[name] = (segment_files(folder, segment), segment.doc_count_all(), folder)
    return written


def test_analysed_segment_is_byte_for_byte_whooshs_own(tmp_path, monkeypatch):
    monkeypatch.setattr(index_module, "INLINE_POSTINGS", 0)  # every term in posting blocks
    monkeypatch.setattr(index_module, "PICKLE_PROTOCOL", 2)  # as Whoosh pickles them
    md = make_markdown(Config(root=tmp_path))
    items = [analyse(article, md) for article in articles(300)]  # "the" spans 3 blocks
    written = write_both(tmp_path, items)
    assert written["ours"][1] == written["whoosh"][1] == 300
    assert sorted(written["ours"][0]) == sorted(written["whoosh"][0])
    for ext, data in written["whoosh"][0].items():
        assert written["ours"][0][ext] == data, ext


def postings_of(folder: Path) -> dict:
    """Every term's statistics and postings (ids, weights, encoded values) as Whoosh reads them."""
    found = {}
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        for fieldname, term in reader.all_terms():
            info = reader.term_info(fieldname, term)
            matcher = reader.postings(fieldname, term)
            items = []
            while matcher.is_active():
                items.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            stats = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
                info.min_id(),
                info.max_id(),
            )
            found[fieldname, term] = (stats, items)
    return found


def test_inlined_postings_read_back_as_whooshs_blocks(tmp_path):
    md = make_markdown(Config(root=tmp_path))
    items = [analyse(article, md) for article in articles(300)]
    written = write_both(tmp_path, items)
    ours = postings_of(written["ours"][2])
    theirs = postings_of(written["whoosh"][2])
    assert ours == theirs
    counts = [stats[1] for (fieldname, _), (stats, _) in ours.items() if fieldname in TEXT_FIELDS]
    # both kinds of term are there: inlined (few postings) and posting blocks (many)
    assert min(counts) <= index_module.INLINE_POSTINGS < max(counts)
    # and the index answers a phrase and a word query as Whoosh's own does
    for text in ('"state of the union"', "harbour", "title:comet", 'body:"word3 word4"'):
        results = []
        for name in ("ours", "whoosh"):
            ix = whoosh_index.open_dir(str(written[name][2]))
            with ix.searcher() as searcher:
                query = QueryParser("body", ix.schema).parse(text)
                results.append(
                    [
                        (hit.docnum, round(hit.score, 6))
                        for hit in searcher.search(query, limit=None)
                    ]
                )
        assert results[0] == results[1], text
        assert results[0], text


def test_term_positions_are_what_whooshs_analyzer_indexes():
    field = make_schema()["body"]
    assert field.analyzer == text_analyzer()
    for text in [
        WORDS,
        "The state of the union, the STATE of things; a u.s.-made 3.5 cm naïve Łódź café.",
        "x " * 5 + "word " * 3 + "a" * 50 + " end",
        "",
    ]:
        expected = sorted(field.index(text))  # Whoosh's token pipeline
        ours = sorted(field.index(term_positions(text)))
        assert ours == expected, text


def test_excerpt_from_the_head_equals_collapsing_the_whole_text():
    def collapse_all(text: str, limit: int) -> str:
        flat = " ".join(text.split())
        return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0]

    rng = random.Random(5)
    pieces = ["a", "bb", "ccc", " ", "  ", "\n", "\n\n \t", "word", "x" * 9]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 80)))
        limit = rng.randint(1, 30)
        assert excerpt_of(text, limit) == collapse_all(text, limit), (text, limit)


def test_position_values_match_their_plain_definition_and_read_back():
    """The table and batch paths of the posting values against the one-by-one form (tf,
    then position gaps, as varints: what search.js reads), and Whoosh's decoding of them."""
    body_format = make_schema()["body"].format
    assert isinstance(body_format, VarintPositions)
    rng = random.Random(11)
    for _ in range(300):
        positions = [
            sorted(rng.sample(range(rng.choice([50, 20_000, 300_000])), rng.choice([1, 1, 2, 5])))
            for _ in range(rng.randint(1, 12))
        ]
        expected = [plain_varints([len(where), *gaps(where)]) for where in positions]
        assert positions_values(positions) == expected
        assert [body_format.encode(where) for where in positions] == expected
        for where, value in zip(positions, expected, strict=True):
            assert body_format.decode_positions(value) == where
            assert body_format.decode_frequency(value) == len(where)
            assert read_varints(value) == [len(where), *gaps(where)]


def gaps(where: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *where], where, strict=False)]


def plain_varints(numbers: list[int]) -> bytes:
    out = bytearray()
    for n in numbers:
        while True:
            low, n = n & 0x7F, n >> 7
            out.append(low | (0x80 if n else 0))
            if not n:
                break
    return bytes(out)
