"""Unsigned LEB128 varints: how both search indexes write numbers.

A word's positions in one document are written once, as varints (the term frequency,
then the position deltas), and that value is both the Whoosh posting's value
(schema.VarintPositions) and the static export's positions entry, which search.js reads.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence


def varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _encoded(value: int) -> bytes:
    out = bytearray()
    varint(value, out)
    return bytes(out)


#: Every one- and two-byte varint, made once: most numbers written are below 16,384.
ENCODED = [_encoded(i) for i in range(1 << 14)]
#: A word found once in a document, at position i: tf 1, then i (most postings are).
ONE_POSITION = [b"\x01" + ENCODED[i] for i in range(len(ENCODED))]


def varints(values: Sequence[int]) -> bytes:
    """The values as varints, one after the other (table lookups: this is hot)."""
    try:
        return b"".join(map(ENCODED.__getitem__, values))
    except IndexError:
        return b"".join(ENCODED[v] if v < len(ENCODED) else _encoded(v) for v in values)


def read_varints(data: bytes) -> list[int]:
    out: list[int] = []
    value = shift = 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            out.append(value)
            value = shift = 0
    return out


def positions_value(where: Sequence[int]) -> bytes:
    """One document's positions of a word (ascending): tf, first position, the gaps."""
    if len(where) == 1 and where[0] < len(ONE_POSITION):
        return ONE_POSITION[where[0]]
    return varints([len(where), *where[:1], *map(operator.sub, where[1:], where)])


def positions_values(positions: list[list[int]]) -> list[bytes]:
    """positions_value() of each document's positions, a table lookup for most."""
    one = ONE_POSITION
    try:  # most words occur once in each document that has them
        return [one[p] for (p,) in positions]
    except (ValueError, IndexError):
        limit = len(one)
        return [
            one[where[0]] if len(where) == 1 and where[0] < limit else positions_value(where)
            for where in positions
        ]
