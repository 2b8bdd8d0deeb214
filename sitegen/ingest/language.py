"""Function words, as far as cleaning needs them: in any language, from the page itself.

Prose in any language is dense with function words ("the", "de", "und", "že"); menus,
labels and headlines are not. No list per language is shipped: a page's function words
are the short words found on the most distinct lines of its longer lines (the story
dominates a page's words, so its language's function words lead that count), together
with the English list of text.py. So French or Czech prose reads as prose as English
does, and so does a language nobody here listed.

Scripts written without spaces (Chinese, Japanese; Thai and its neighbours) have no
words to count: there a "word" is taken as two characters (four for the Southeast Asian
scripts), and the function-word density of a line is the share of its characters that
are kana or one of a few very frequent Chinese particles. Right-to-left scripts (Arabic,
Persian, Hebrew) are spaced, so they are measured like the rest.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from sitegen.ingest.text import STOP_WORDS, WORD

#: Han ideographs and Japanese kana: written without spaces, about two characters a word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
#: Thai, Lao, Khmer, Myanmar: no spaces between words either, longer words.
_SEA = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
#: Hiragana (Japanese particles and endings) and the commonest Chinese function characters.
_CJK_FUNCTION = re.compile(r"[\u3040-\u309f的了是在和有不这也就都而及与着或之于为以我他她们你个中]")

#: How many of a page's own words count as its function words: about the number of
#: function words that make up half of running prose in the languages we read.
PAGE_FUNCTION_WORDS = 40
#: Function words are short in every spaced language we read ("und", "že", "pour").
FUNCTION_WORD_LETTERS = 5
#: Lines shorter than this are labels and menu items, not sentences: not counted.
SENTENCE_WORDS = 6
#: A word must be on at least this many distinct lines to be taken as a function word.
MIN_LINES = 2


def unspaced_chars(text: str) -> tuple[int, int]:
    """(CJK characters, Southeast Asian script characters) in text."""
    return len(_CJK.findall(text)), len(_SEA.findall(text))


@lru_cache(maxsize=8192)
def word_units(text: str) -> float:
    """Words in text, counting unspaced scripts by characters (two CJK, four Thai a word).
    Cached: the features and the story choice ask it of the same lines again."""
    cjk, sea = unspaced_chars(text)
    if not cjk and not sea:
        return float(len(WORD.findall(text)))
    spaced = WORD.findall(_SEA.sub(" ", _CJK.sub(" ", text)))
    return len(spaced) + cjk / 2 + sea / 4


def page_function_words(texts: Iterable[str]) -> frozenset[str]:
    """The page's function words: text.py's English list and the short words that occur
    on the most distinct sentence-length lines of the page."""
    lines_with: Counter[str] = Counter()
    for text in dict.fromkeys(texts):  # a line saved twice counts once
        found = WORD.findall(text)
        if len(found) < SENTENCE_WORDS:
            continue
        lines_with.update(
            {
                w.lower()
                for w in found
                if len(w) <= FUNCTION_WORD_LETTERS and not any(c.isdigit() for c in w)
            }
        )
    common = [w for w, n in lines_with.most_common(PAGE_FUNCTION_WORDS) if n >= MIN_LINES]
    return STOP_WORDS | frozenset(common)


def function_density(text: str, words: frozenset[str]) -> float:
    """Share of a line's words that are among words (the page's function words).

    For a line mostly in an unspaced script, the share of its characters that are kana or
    frequent Chinese particles (Japanese prose: 0.4 to 0.6; Chinese prose less).
    """
    cjk, _ = unspaced_chars(text)
    if cjk and cjk >= 0.5 * sum(map(str.isalpha, text)):
        return len(_CJK_FUNCTION.findall(text)) / cjk
    found = WORD.findall(text)
    if not found:
        return 0.0
    return sum(1 for w in found if w.lower() in words) / len(found)
