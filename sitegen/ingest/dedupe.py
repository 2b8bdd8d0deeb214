"""Near-duplicate detection: MinHash signatures of article bodies and LSH band keys.

Two copies of a story (saved twice, or re-published by another outlet with different page
furniture) share most of their five-word shingles once cleaned. Each body gets a
signature by one-permutation MinHash: every shingle is hashed once (blake2b, stable across
runs), the hash picks one of SIGNATURE_SIZE bins, and each bin keeps its smallest value.
That is one pass per body, so 100k articles cost seconds of hashing, not minutes.

Candidates are found by LSH banding: the signature is cut into BANDS bands; bodies that
agree on a whole band share a bucket (index.py keeps the buckets on disk). A candidate is
a duplicate when the estimated Jaccard similarity, or the estimated containment of the
shorter body in the longer one (a truncated re-publication), passes its threshold.

Pure functions only; storage is index.py's job.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from sitegen.ingest.text import words

SHINGLE_WORDS = 5
SIGNATURE_SIZE = 128
BANDS = 32  # 4 rows a band: pairs above ~0.42 Jaccard almost always share a bucket
ROWS = SIGNATURE_SIZE // BANDS
EMPTY = (1 << 64) - 1
JACCARD_THRESHOLD = 0.5
CONTAINMENT_THRESHOLD = 0.8
MIN_SHINGLES_FOR_CONTAINMENT = 40

_BIN_SHIFT = 64 - (SIGNATURE_SIZE - 1).bit_length()


@dataclass(frozen=True)
class Signature:
    values: tuple[int, ...]  # SIGNATURE_SIZE minima, EMPTY where a bin got nothing
    shingles: int  # how many distinct shingles the body has

    def to_bytes(self) -> bytes:
        return struct.pack(f"<I{SIGNATURE_SIZE}Q", self.shingles, *self.values)

    @classmethod
    def from_bytes(cls, blob: bytes) -> Signature:
        shingles, *values = struct.unpack(f"<I{SIGNATURE_SIZE}Q", blob)
        return cls(tuple(values), shingles)


def shingles(text: str) -> set[str]:
    tokens = [w.lower() for w in words(text)]
    if len(tokens) < SHINGLE_WORDS:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + SHINGLE_WORDS]) for i in range(len(tokens) - SHINGLE_WORDS + 1)}


def signature(text: str) -> Signature:
    values = [EMPTY] * SIGNATURE_SIZE
    found = shingles(text)
    for shingle in found:
        digest = hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        slot = value >> _BIN_SHIFT
        if value < values[slot]:
            values[slot] = value
    return Signature(tuple(values), len(found))


def band_keys(sig: Signature) -> list[int]:
    """One 63-bit key per band; equal keys mean the band's rows are all equal."""
    keys = []
    for band in range(BANDS):
        rows = sig.values[band * ROWS : (band + 1) * ROWS]
        blob = struct.pack(f"<I{ROWS}Q", band, *rows)
        keys.append(int.from_bytes(hashlib.blake2b(blob, digest_size=8).digest(), "little") >> 1)
    return keys


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of two bodies' shingle sets (one-permutation estimator)."""
    matches = used = 0
    for x, y in zip(a.values, b.values, strict=True):
        if x == EMPTY and y == EMPTY:
            continue
        used += 1
        matches += x == y
    return matches / used if used else 0.0


def containment(a: Signature, b: Signature) -> float:
    """Estimated share of the smaller body's shingles that the larger one also has."""
    j = jaccard(a, b)
    small = min(a.shingles, b.shingles)
    if small == 0:
        return 0.0
    return min(1.0, j * (a.shingles + b.shingles) / ((1 + j) * small))


def is_near_duplicate(a: Signature, b: Signature) -> tuple[bool, float]:
    """(duplicate?, similarity shown to the user)."""
    j = jaccard(a, b)
    if j >= JACCARD_THRESHOLD:
        return True, j
    if min(a.shingles, b.shingles) >= MIN_SHINGLES_FOR_CONTAINMENT:
        c = containment(a, b)
        if c >= CONTAINMENT_THRESHOLD:
            return True, c
    return False, j
