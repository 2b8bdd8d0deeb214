"""Which lines of a page are the story: general steps, a learned model, a sequence step.

A scraped page is a column of blocks, one per line: the headline, menus, appeals, captions,
the story, teasers, other stories. clean_lines decides in four stages:

1. Steps every page goes through (RULES with step=True), each a named function with its
   reason: hard-wrapped lines joined, counters and colour codes dropped, repeats collapsed
   (a body saved two or three times is kept once; only a run that repeats as a run is a
   copy), the supplied headline taken out.
2. The hand rules (the other RULES) are run and undone: which would drop each line, and
   why, is a verdict (hand_rule_verdicts). They look for general signals (calls to action,
   captions, bylines, link lists, "Related" headings, the main prose span) but misfire on
   real pages, so their verdicts are features, not vetoes.
3. The body model (body_model.py over features.py's features) gives each remaining line
   the log-odds that it is the story.
4. choose_story makes the story one piece: the model's lines, the edges trimmed of
   furniture the hand rules name, the headline left out, lines that declare themselves
   links or widgets dropped, and a fallback so a page with an article is not refused.

Every drop is recorded as a Drop with the rule (the hand rule's name when one would drop
the line, else the step: "model", "edge", "veto", "headline") and a reason that gives the
model's probability and the features that weighed most. Nothing here knows any site.

What is not here: choosing the title, source and date (metadata.py) and writing files.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sitegen.ingest.body_model import body_model, probability
from sitegen.ingest.features import (
    PageContext,
    PageLine,
    best_stretch,
    feature_rows,
    headline_shaped,
    page_context,
)
from sitegen.ingest.language import word_units
from sitegen.ingest.text import (
    address_ratio,
    any_word,
    content_words,
    ends_sentence,
    is_dateline,
    sentence_key,
    sentences,
    stop_ratio,
    word_count,
    word_set,
)

#: A body shorter than this is not an article (a menu page, an error page, a stub).
MIN_ARTICLE_WORDS = 30
#: The fallback when the model keeps less than an article takes lines at least this likely
#: (log-odds; p = 0.1).
FALLBACK_LOG_ODDS = math.log(0.1 / 0.9)
#: Prose needed before a "Related"/"Comments" heading for the rest of the page to count as
#: other stories; a heading above any prose is a sidebar, not the end of the article.
MIN_WORDS_BEFORE_TAIL = 50


@dataclass(frozen=True)
class Drop:
    """One removal: which raw line, which rule, and why in words."""

    line: int  # 1-based line number in the raw document
    rule: str
    reason: str
    text: str  # the removed text, shortened


@dataclass
class Line:
    number: int  # 1-based line number in the raw document
    text: str
    rule: str | None = None  # the rule that dropped the line; None while kept
    repeats: int = 1  # how often this exact line appeared (headlines repeat)
    parts: list[str] = field(default_factory=list)  # its sentences, once registered
    splits: set[int] = field(default_factory=set)  # sentence indexes where a paragraph starts
    _count: int = field(default=0, repr=False, compare=False)
    _counted: str | None = field(default=None, repr=False, compare=False)

    @property
    def kept(self) -> bool:
        return self.rule is None

    @property
    def words(self) -> int:
        if self._counted != self.text:  # recount only when a rule changed the text
            self._count, self._counted = word_count(self.text), self.text
        return self._count

    def paragraphs(self) -> list[str]:
        """The line as paragraphs: split where a repeat showed paragraph boundaries."""
        if not self.splits or not self.parts:
            return [self.text]
        cuts = sorted(i for i in self.splits if 0 < i < len(self.parts))
        bounds = [0, *cuts, len(self.parts)]
        return [" ".join(self.parts[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


@dataclass
class Page:
    """The working state the rules share: lines, drops so far, and what was found."""

    lines: list[Line]
    title: str | None = None  # a headline the format supplied (HTML, JSON)
    drops: list[Drop] = field(default_factory=list)
    span: tuple[int, int] | None = None  # indexes of the first and last line of the story
    tail: int | None = None  # index of the heading where other stories/comments begin

    def drop(self, line: Line, rule: str, reason: str) -> None:
        line.rule = rule
        self.drops.append(Drop(line.number, rule, reason, _excerpt(line.text)))

    def kept(self) -> list[Line]:
        return [line for line in self.lines if line.kept]


@dataclass(frozen=True)
class Rule:
    """A named rule. A step (step=True) is general and every page goes through it before
    the model; the others are hand rules whose verdicts the model weighs as features."""

    name: str
    why: str
    apply: Callable[[Page], None]
    step: bool = False


def rule(name: str, why: str, *, step: bool = False) -> Callable[[Callable[[Page], None]], Rule]:
    """Make a cleaning function a Rule, its name and reason written beside its code."""

    def make(apply: Callable[[Page], None]) -> Rule:
        return Rule(name, why, apply, step)

    return make


@dataclass
class Cleaned:
    """The outcome: the story's paragraphs, every drop, and the lines for metadata."""

    paragraphs: list[str]
    drops: list[Drop]
    lines: list[Line]
    span: tuple[int, int] | None
    tail: int | None

    @property
    def words(self) -> int:
        """Words of the story; in Chinese or Japanese, two characters count as a word."""
        return round(sum(word_units(p) for p in self.paragraphs))

    @property
    def kept_lines(self) -> int:
        return sum(1 for line in self.lines if line.kept)

    @property
    def dropped_lines(self) -> int:
        return sum(1 for line in self.lines if not line.kept)

    def header(self) -> list[Line]:
        """Lines above the story: where headlines, bylines and datelines stand."""
        end = self.span[0] if self.span else (self.tail if self.tail is not None else 0)
        return self.lines[:end]

    def furniture(self) -> list[Line]:
        """Every line that is not the story, in page order (header, footer, tail)."""
        return [line for line in self.lines if not line.kept]

    def page_furniture(self) -> list[Line]:
        """Furniture of this story's page: header and footer, not the other stories' tail."""
        end = self.tail if self.tail is not None else len(self.lines)
        return [line for line in self.lines[:end] if not line.kept]


def _excerpt(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- line shapes -----------------------------------------------------------------------


def is_prose(text: str) -> bool:
    """A line that reads like running text: sentences dense with function words."""
    count = word_count(text)
    if count >= 20 and stop_ratio(text) >= 0.25:
        return True
    return ends_sentence(text) and count >= 4 and stop_ratio(text) >= 0.15


def is_headline_shaped(text: str) -> bool:
    count = word_count(text)
    return 3 <= count <= 20 and not text.endswith(".") and not is_prose(text)


# --- the rules -------------------------------------------------------------------------


@rule("join_wrapped_lines", "hard-wrapped prose is one paragraph", step=True)
def join_wrapped_lines(page: Page) -> None:
    """Undo hard wrapping: a line cut mid-sentence continues on the next, in lower case."""
    merged: list[Line] = []
    last_number = 0  # raw line number where the previous merged line ends
    for line in page.lines:
        prev = merged[-1] if merged else None
        follows = line.number == last_number + 1
        last_number = line.number
        if (
            prev is not None
            and follows
            and line.text[:1].islower()
            and word_count(prev.text) >= 5
            and word_count(line.text) >= 3
            and not ends_sentence(prev.text)
            and not prev.text.endswith(":")
        ):
            prev.text = f"{prev.text} {line.text}"
            continue
        merged.append(line)
    page.lines = merged


_COLOUR = re.compile(r"^(?:#[0-9a-f]{3,8}|rgba?\([^)]*\)|hsla?\([^)]*\))$", re.I)


@rule("non_text", "numbers, counters, colour codes", step=True)
def drop_non_text(page: Page) -> None:
    """Numbers, counters, colour codes and symbols: page widgets, not sentences."""
    for line in page.kept():
        letters = sum(map(str.isalpha, line.text))
        if letters < 2 or _COLOUR.match(line.text) or (line.words <= 3 and letters <= 3):
            page.drop(line, "non_text", "no words: a number, counter, colour code or symbol")


class SentenceMemory:
    """Sentences seen so far, found again exactly or with a word or two changed.

    Copies of a body are not always identical (an AMP copy, a later edit), so a sentence
    of eight words or more also matches an earlier one that shares its first or last
    three words and most of its word pairs. Looking up by those ends keeps each lookup to
    a handful of comparisons, however long the page.
    """

    NEAR = 0.6  # Jaccard similarity of word pairs for a near copy
    MAX_BUCKET = 20  # comparisons per lookup, at most

    def __init__(self) -> None:
        self.exact: dict[str, tuple[int, int]] = {}
        self.by_end: dict[str, list[tuple[frozenset[str], tuple[int, int]]]] = {}
        self.forgotten: set[int] = set()

    @staticmethod
    def _ends(tokens: list[str]) -> tuple[str, str]:
        return "^" + " ".join(tokens[:3]), " ".join(tokens[-3:]) + "$"

    @staticmethod
    def _pairs(tokens: list[str]) -> frozenset[str]:
        return frozenset(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))

    def add(self, key: str, owner: tuple[int, int]) -> None:
        if key in self.exact:
            return
        self.exact[key] = owner
        tokens = key.split()
        if len(tokens) >= 8:
            entry = (self._pairs(tokens), owner)
            for end in self._ends(tokens):
                bucket = self.by_end.setdefault(end, [])
                if len(bucket) < self.MAX_BUCKET:
                    bucket.append(entry)

    def forget_line(self, index: int) -> None:
        self.exact = {k: o for k, o in self.exact.items() if o[0] != index}
        self.forgotten.add(index)

    def find(self, key: str) -> tuple[int, int] | None:
        owner = self.exact.get(key)
        if owner is not None:
            return owner
        tokens = key.split()
        if len(tokens) < 8:
            return None
        pairs = self._pairs(tokens)
        best, best_score = None, self.NEAR
        for end in self._ends(tokens):
            for other, other_owner in self.by_end.get(end, ()):
                if other_owner[0] in self.forgotten:
                    continue
                shared = len(pairs & other)
                score = shared / (len(pairs) + len(other) - shared)
                if score >= best_score:
                    best, best_score = other_owner, score
        return best


_TRIMMED = "trimmed:"


@rule("repeated_text", "each line and sentence once", step=True)
def collapse_repeats(page: Page) -> None:
    """Keep each copy of the text once: a page saved two or three times over, a teaser.

    A line that stood before, word for word, is dropped (a repeated headline or menu, a
    paragraph saved again); the first keeps the count. Short sentences are let be ("No.",
    "He left.": a transcript repeats them). Prose is compared by sentence, exactly or nearly
    (SentenceMemory), but a sentence seen before counts as a copy only inside a run: the
    next or the previous sentence is a copy of the next or previous sentence there too
    (RUN_MIN_EXACT exact repeats in the run, or RUN_MIN_NEAR in a row). So a body
    saved again is found whole, however its lines were cut, while a court report whose
    paragraphs all start "The witness said" keeps every one of them.

    A line all of whose sentences are copies is dropped; when they were a stretch of one
    earlier long line, that line is split there, because the copy shows where its
    paragraphs begin. A line with some copied sentences loses those. An earlier short prose
    line whose whole text reappears inside a longer one was a teaser or pull quote and is
    the one dropped.
    """
    seen_lines: dict[str, Line] = {}
    memory = SentenceMemory()
    # The page's substantial sentences in order: (line index, part index), and for each the
    # earlier sentence it repeats (its place in this list) and whether exactly.
    stream: list[tuple[int, int]] = []
    place: dict[tuple[int, int], int] = {}
    match: list[int | None] = []
    exact: list[bool] = []

    def register(index: int, line: Line) -> None:
        line.parts = sentences(line.text)
        for position, part in enumerate(line.parts):
            key = sentence_key(part)
            if len(key.split()) < 5:
                continue
            found = memory.find(key)
            owner = place.get(found) if found is not None else None
            place[(index, position)] = len(stream)
            stream.append((index, position))
            match.append(owner)
            exact.append(owner is not None and memory.exact.get(key) == found)
            memory.add(key, (index, position))

    for index, line in enumerate(page.lines):
        if not line.kept:
            continue
        whole = sentence_key(line.text)
        if not whole:
            continue
        if whole in seen_lines and not _short_sentence(line):
            first = seen_lines[whole]
            first.repeats += 1
            page.drop(line, "repeated_text", f"repeats line {first.number}")
            register(index, line)  # still part of the copy its neighbours may be in
            continue
        start = len(stream)
        register(index, line)
        owners = {stream[match[k]][0] for k in range(start, len(stream)) if match[k] is not None}
        if len(owners) == 1:
            earlier = page.lines[next(iter(owners))]
            if (
                earlier.kept
                and earlier is not line
                and is_prose(earlier.text)
                and len(earlier.parts) <= 3
                and sentence_key(earlier.text) in whole
                and len(sentence_key(earlier.text)) < len(whole)
            ):
                page.drop(earlier, "repeated_text", f"a teaser or pull quote of line {line.number}")
                for k in range(start, len(stream)):
                    match[k] = None  # the paragraph stands; the teaser was the copy
        seen_lines.setdefault(whole, line)

    copies = _copies_in_runs(match, exact)
    by_line: dict[int, list[int]] = {}
    for k, (index, _position) in enumerate(stream):
        by_line.setdefault(index, []).append(k)
    for index, ks in by_line.items():
        line = page.lines[index]
        copied = [k for k in ks if k in copies]
        if not line.kept or not copied:
            continue
        keys = [sentence_key(part) for part in line.parts]
        copied_parts = {stream[k][1] for k in copied}
        total = sum(len(k.split()) for k in keys) or 1
        new_words = sum(len(k.split()) for i, k in enumerate(keys) if i not in copied_parts)
        earlier = {stream[match[k]][0] for k in copied}
        first = page.lines[min(earlier)]
        if len(copied) == len(ks) and new_words <= 0.2 * total:
            if len(earlier) == 1:
                positions = [stream[match[k]][1] for k in copied]
                if positions == list(range(positions[0], positions[0] + len(positions))):
                    first.splits.update((positions[0], positions[-1] + 1))
            page.drop(line, "repeated_text", f"repeats text from line {first.number}")
            continue
        kept_parts = [part for i, part in enumerate(line.parts) if i not in copied_parts]
        removed = [part for i, part in enumerate(line.parts) if i in copied_parts]
        page.drops.append(
            Drop(
                line.number,
                "repeated_text",
                f"{_TRIMMED} {len(removed)} sentence(s) seen earlier removed; the rest kept",
                _excerpt(" ".join(removed)),
            )
        )
        line.text = " ".join(kept_parts)
        line.parts = kept_parts


#: A line repeated word for word with fewer words than this that is a sentence stays.
SHORT_SENTENCE_WORDS = 8


def _short_sentence(line: Line) -> bool:
    return line.words < SHORT_SENTENCE_WORDS and ends_sentence(line.text)


#: A copy is a run of sentences repeating a run: with this many exact repeats in it, ...
RUN_MIN_EXACT = 2
#: ... or this long, however near (an edited copy changes a word here and there; a
#: formulaic report has near repeats too, but not four in a row in the same order).
RUN_MIN_NEAR = 4


def _copies_in_runs(match: list[int | None], exact: list[bool]) -> set[int]:
    """Stream places whose sentence repeats an earlier one as part of a run of repeats: k
    and k+1 repeat m and m+1, the whole run repeating a stretch that ends before it starts
    (formulaic paragraphs each like the one before are a chain, not a copy)."""
    copies: set[int] = set()
    k = 0
    while k < len(match):
        if match[k] is None:
            k += 1
            continue
        end = k + 1
        while end < len(match) and match[end] is not None and match[end] == match[end - 1] + 1:
            end += 1
        length = end - k
        disjoint = match[end - 1] < k  # a copy of an earlier stretch, not of itself shifted
        if disjoint and (sum(exact[k:end]) >= RUN_MIN_EXACT or length >= RUN_MIN_NEAR):
            copies.update(range(k, end))
        k = end
    return copies


@rule("given_title", "the supplied headline is the title", step=True)
def drop_given_title(page: Page) -> None:
    """The headline the format supplied is the title, not a paragraph."""
    if not page.title:
        return
    title_key = sentence_key(page.title)
    for line in page.kept():
        if sentence_key(line.text) == title_key:
            page.drop(line, "given_title", "the headline, kept as the title")


_CALL_TO_ACTION = re.compile(
    r"""\b(?:
      subscri(?:be|bed|bers?|ptions?)|newsletters?|sign(?:ing)?[ -]?(?:up|in)\b|log[ -]?in\b
    | register\s+(?:now|today|here|for\s+free)|donat(?:e|es|ed|ions?|ing)
    | become\s+an?\s+(?:member|subscriber|supporter|patron|donor)
    | (?:support|fund)\s+(?:us|our|independent|quality|progressive|local|this)\b|your\s+support
    | help\s+(?:support|us|keep|fund|ensure)\b
    | (?:download|get|install)\s+(?:the\s+|our\s+)?(?:\w+\s+){0,2}apps?\b|app[ -]?store|google\s+play|play[ -]?store
    | follow\s+us|like\s+us|share\s+(?:this|on|via|article|story)\b|(?:email|print)\s+this\b
    | click\s+here|tap\s+here|read\s+more|continue\s+reading|see\s+more|load\s+more|show\s+more
    | view\s+(?:all|more)\b|advertisement|sponsored|promoted\s+(?:content|stories)|paid\s+(?:content|post)
    | partner\s+content|cookies?\b|privacy\s+(?:policy|notice|settings)
    | terms\s+(?:of|and)\s+(?:use|service|conditions)|all\s+rights\s+reserved|copyright|©
    | inbox|unsubscribe|paywall|free\s+trial|premium\b
    | (?:leave|post|add|write)\s+a\s+(?:comment|reply)|comments?\s+(?:are|is)\s+closed|no\s+comments
    | be\s+the\s+first\s+to\s+comment|\d+\s+comments?\b
    | skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|jump\s+to\b
    | try\s+(?:our|it|now|for\s+free)\b|get\s+started|learn\s+more|explore\s+(?:what|our|more)\b
    | watch\s+(?:now|live|the\s+video)|listen\s+(?:now|live|to\s+this)
    | swipe\b|scroll\s+(?:down|for|to)\b|(?:email|contact|message|write\s+to)\s+us\b
    | got\s+a\s+(?:news\s+)?tip|send\s+us\b
    )""",
    re.I | re.X,
)
_IMPERATIVE_START = re.compile(
    r"""^["'“‘]?(?:subscribe|sign|donate|download|follow|share|click|tap|read|support|join|get|try
    |explore|help|become|learn|watch|listen|install|register|enjoy|discover|demand|give
    |contribute|please|check\s+out|visit|find\s+out|stay|don't\s+miss)\b""",
    re.I | re.X,
)
_MEDIA_WORDS = re.compile(
    r"""\b(?:journalis[mt]s?|newsroom|reporters?|readers?|reader-supported|independent
    |non-?profit|mission|coverage|supporters?|generosity|contributions?|donors?|subscribers?
    |members(?:hip)?|ads|advertis\w+|funding|funded|stories|news)\b""",
    re.I | re.X,
)


_LEGAL = re.compile(
    r"all\s+rights\s+reserved|may\s+not\s+be\s+(?:published|reproduced|redistributed|copied)"
    r"|^(?:©|\(c\)|copyright\b)",
    re.I,
)


@rule("call_to_action", "appeals, prompts, widgets, legal lines")
def drop_calls_to_action(page: Page) -> None:
    """Appeals, sign-up and app prompts, share and comment widgets, legal lines.

    A short line with a call-to-action phrase is a button or prompt. A sentence needs the
    phrase plus a sign that it speaks to the reader (we/you outside quotes, or an
    imperative start), so a news sentence that merely mentions a subscription stays. A long
    line that addresses the reader and talks about journalism or support is an appeal.
    """
    for line in page.kept():
        text, count = line.text, line.words
        hits = len(_CALL_TO_ACTION.findall(text))
        address = address_ratio(text)
        if count <= 40 and _LEGAL.search(text):
            page.drop(line, "call_to_action", "a copyright or legal notice")
        elif count >= 15 and address >= 0.04 and (hits or _MEDIA_WORDS.search(text)):
            page.drop(line, "appeal", "the page speaks to its readers (an appeal or promotion)")
        elif hits >= 3:
            page.drop(line, "appeal", "several calls to action (subscribe, donate, share ...)")
        elif hits and (count <= 12 and not text.endswith(".")):
            page.drop(line, "call_to_action", "a prompt or widget (subscribe, share, app, ...)")
        elif hits and count <= 40 and (address > 0 or _IMPERATIVE_START.match(text)):
            page.drop(line, "call_to_action", "a sentence asking the reader to act")


_CAPTION = re.compile(
    r"""\((?:photos?|images?|pictures?|photograph|credit|video)\b[^)]*\)\s*$
    | \b(?:photo|image|picture|photograph)s?\s*(?:credit)?\s*(?::|by\b)
    | \b(?:getty\s+images|ap\s+photo|via\s+getty|shutterstock|alamy|istock(?:photo)?|via\s+reuters)\b
    | [/|]\s*(?:AFP|AP|EPA|Reuters|Getty|Bloomberg|Xinhua|PA|DPA)\s*\)?\s*$""",
    re.I | re.X,
)
CREDIT_WORDS = word_set(
    """reuters ap afp epa getty images bloomberg shutterstock alamy xinhua anadolu pool tass
    sputnik photo photos file handout courtesy efe ansa upi pa dpa photograph"""
)


@rule("caption", "photo captions and credits")
def drop_captions_and_credits(page: Page) -> None:
    """Photo captions and credits ("(Photo: X/AFP)", "Jane Roe Reuters") are not body text."""
    for line in page.kept():
        tokens = line.text.replace("/", " ").split()
        if _CAPTION.search(line.text):
            page.drop(line, "caption", "a photo caption or credit")
        elif (
            0 < len(tokens) <= 6
            and not ends_sentence(line.text)
            and all(t[:1].isupper() or t.lower() in CREDIT_WORDS for t in tokens)
            and (tokens[0].lower() in CREDIT_WORDS or tokens[-1].lower() in CREDIT_WORDS)
        ):
            page.drop(line, "caption", "a photo credit")


_TEASER = re.compile(
    r"""^(?:related|read\s+more|read\s+also|also\s+read|see\s+also|recommended|watch|listen|read
    |more|latest|editor'?s\s+picks?|must\s+read|don'?t\s+miss|more\s+on\s+this|further\s+reading
    |video|podcast|photos|gallery|in\s+pictures
    |(?:à\s+)?lire\s+aussi|voir\s+aussi|lesen\s+sie\s+auch|mehr\s+zum\s+thema|auch\s+interessant
    |leia\s+também|veja\s+também|lee\s+también|ver\s+también|leer\s+más|leggi\s+anche
    |czytaj\s+(?:też|także)|přečtěte\s+si\s+(?:také|též)|čtěte\s+také)
    (?:\s+(?:stories|story|articles?|coverage))?
    \s*[:|—–»›>-]\s*\S""",
    re.I | re.X,
)


@rule("teaser", "links to other stories")
def drop_teasers(page: Page) -> None:
    """ "Related: ...", "Read more: ..." lines point at other stories."""
    for line in page.kept():
        if line.words <= 30 and _TEASER.match(line.text):
            page.drop(line, "teaser", "a link to another story")


_BYLINE = re.compile(
    r"^(?:by|written\s+by|words\s+by|story\s+by|reporting\s+by|posted\s+by|author:?)\s+\S", re.I
)
_SOURCE_LINE = re.compile(
    r"""^(?:source|sources|via|originally\s+published|first\s+published\s+(?:in|on|by|at)
    |this\s+(?:article|story)\s+(?:was\s+)?(?:originally|first)\s+(?:appeared|published))\b""",
    re.I | re.X,
)


@rule("byline", "author, date and source lines")
def drop_bylines_and_datelines(page: Page) -> None:
    """Author, date and source lines: metadata, read by metadata.py, not body text."""
    for line in page.kept():
        text = line.text
        if (
            _BYLINE.match(text)
            and line.words <= 14
            and (not ends_sentence(text) or line.words <= 6)
        ):
            page.drop(line, "byline", "a byline (author, source or date)")
        elif is_dateline(text):
            page.drop(line, "byline", "a date or time line")
        elif _SOURCE_LINE.match(text) and line.words <= 25:
            page.drop(line, "byline", "a line naming where the story comes from")


_CRUMB_SEPARATOR = re.compile(r"\s+(?:/|>|»|›|\||•|·)\s+")
_TAG_LIST = re.compile(
    r"^(?:topics|tags|tagged|filed\s+under|categories|category|keywords|more\s+on)\s*:\s*\S", re.I
)


@rule("navigation", "breadcrumbs and tag lists")
def drop_navigation(page: Page) -> None:
    """Breadcrumbs ("Home / World / Europe") and tag lists ("Topics: A, B, C")."""
    for line in page.kept():
        crumbs = _CRUMB_SEPARATOR.split(line.text)
        if len(crumbs) >= 2 and all(0 < word_count(c) <= 3 for c in crumbs):
            page.drop(line, "navigation", "a breadcrumb or menu line")
        elif _TAG_LIST.match(line.text) and line.words <= 25 and not ends_sentence(line.text):
            page.drop(line, "navigation", "a list of tags or topics")


_POST_ATTRIBUTION = re.compile(r"^[—–-]\s*.{1,80}\(@\w{1,30}\)")


@rule("embedded_post", "social media posts pasted in")
def drop_embedded_posts(page: Page) -> None:
    """A social media post pasted into the page: its text, then "— Name (@handle) date"."""
    for index, line in enumerate(page.lines):
        if not _POST_ATTRIBUTION.match(line.text):
            continue
        if not line.kept:
            line.rule = None
        page.drop(line, "embedded_post", "the attribution line of an embedded post")
        if index > 0 and page.lines[index - 1].kept:
            page.drop(page.lines[index - 1], "embedded_post", "the text of an embedded post")


_PROMPT_RULES = ("call_to_action", "appeal")


@rule("prompt_box", "lines boxed in between prompts")
def drop_prompt_boxes(page: Page) -> None:
    """A short line between two prompts is part of the same box ("Get our newsletter /
    The best stories every morning. / Sign up")."""
    lines = page.lines
    for index in range(1, len(lines) - 1):
        line = lines[index]
        if (
            line.kept
            and line.words <= 15
            and lines[index - 1].rule in _PROMPT_RULES
            and lines[index + 1].rule in _PROMPT_RULES
        ):
            page.drop(line, "call_to_action", "inside a box of prompts")


@rule("label", "logos, section names, alt texts")
def drop_short_labels(page: Page) -> None:
    """One to three words: logos, section names, alt texts, buttons."""
    for line in page.kept():
        if line.words <= 3 and not line.text.endswith("."):
            page.drop(line, "label", "a label, logo, section name or alt text")


RELATED_HEADING = re.compile(
    r"""^(?:
      (?:related|more|latest|top|trending|popular|recommended|featured|suggested|similar|other
        |further|editor'?s)
      (?:\s+(?:news|stories|story|articles?|posts?|content|coverage|reading|videos?|topics
        |links|headlines|picks?|for\s+you|(?:from|in|on)\s+.{1,40}))?
    | you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)
    | most\s+(?:read|popular|viewed|shared|commented|recent|watched)(?:\s+\w+)?
    | (?:what|more)\s+to\s+read(?:\s+next)?|read\s+next|up\s+next|next\s+(?:article|story)
    | (?:also|elsewhere)\s+on\s+.{1,40}|around\s+the\s+web|from\s+(?:our|the)\s+(?:partners|network|web)
    | (?:sponsored|promoted|partner)\s+(?:content|stories|links|posts)
    | comments?(?:\s*\(\d+\))?|\d+\s+comments?|(?:leave|post|add|write)\s+a\s+(?:comment|reply)
    | join\s+the\s+(?:conversation|discussion)|discussion|(?:show|view)\s+comments|conversation
    )\s*:?$""",
    re.I | re.X,
)


@rule("related_tail", "other stories after a Related heading")
def cut_related_tail(page: Page) -> None:
    """A "Related", "Latest" or "Comments" heading after the story starts other content.

    Whole other stories often follow such a heading, as long as the story itself; only
    their position tells them apart, so everything from the heading on is dropped. A
    heading with no prose above it is a sidebar and cuts nothing.
    """
    prose_words = 0
    for index, line in enumerate(page.lines):
        if (
            line.words <= 6
            and RELATED_HEADING.match(line.text)
            and prose_words >= MIN_WORDS_BEFORE_TAIL
        ):
            page.tail = index
            for rest in page.lines[index:]:
                if rest.kept:
                    page.drop(rest, "related_tail", "after a Related/Latest/Comments heading")
            return
        if line.kept and is_prose(line.text):
            prose_words += line.words


def _span_score(line: Line) -> float:
    if line.rule == "repeated_text":
        return 0.0  # a copy says nothing about where the story is
    if line.rule in ("appeal", "related_tail"):
        return -float(max(5, line.words))
    if line.rule is not None:
        return -5.0
    if is_prose(line.text):
        return float(line.words) if stop_ratio(line.text) >= 0.2 else line.words / 3
    return -4.0


@rule("outside_main_text", "everything outside the main prose span")
def find_main_span(page: Page) -> None:
    """The story is the run of lines with the most prose and the least else in it.

    Maximum-sum stretch over line scores (prose lines count their words, anything else
    counts against), so captions or ads between paragraphs are bridged while a long
    appeal or a block of furniture ends the story. Lines outside the stretch are dropped.
    """
    end_limit = page.tail if page.tail is not None else len(page.lines)
    best_span = best_stretch(_span_score(page.lines[index]) for index in range(end_limit))
    page.span = best_span
    for index, line in enumerate(page.lines):
        if not line.kept:
            continue
        if best_span is None:
            page.drop(line, "outside_main_text", "no run of article prose on the page")
        elif index < best_span[0]:
            page.drop(line, "outside_main_text", "above the article text (headline or furniture)")
        elif index > best_span[1]:
            page.drop(line, "outside_main_text", "below the article text")


def _span_lines(page: Page) -> list[Line]:
    if page.span is None:
        return []
    first, last = page.span
    return [line for line in page.lines[first : last + 1] if line.kept]


@rule("link_list", "link lists inside the text")
def drop_link_lists(page: Page) -> None:
    """Three or more short non-sentence lines in a row inside the story: a link list."""
    run: list[Line] = []
    for line in [*_span_lines(page), None]:
        if line is not None and not is_prose(line.text) and line.words <= 20:
            run.append(line)
            continue
        if len(run) >= 3:
            for item in run:
                page.drop(item, "link_list", "a list of links or headlines")
        run = []


def _overlap(words: set[str], others: set[str]) -> float:
    return len(words & others) / len(words) if words else 1.0


@rule("inserted_teaser", "other stories' headlines inside the text")
def drop_inserted_teasers(page: Page) -> None:
    """A headline inside the story whose words (and its paragraph's) are not the story's.

    Pages insert teasers for other stories between paragraphs: a headline, sometimes
    with a paragraph of that other story. A subheading shares the story's vocabulary;
    a teaser does not.
    """
    lines = _span_lines(page)
    vocab: list[set[str]] = [content_words(line.text) for line in lines]
    title_words = content_words(page.title or "")
    for i, line in enumerate(lines):
        if not line.kept or not is_headline_shaped(line.text):
            continue
        pair = [i]
        if i + 1 < len(lines) and is_prose(lines[i + 1].text):
            pair.append(i + 1)
        others = set(title_words)
        for j, words in enumerate(vocab):
            if j not in pair:
                others |= words
        own = set().union(*(vocab[j] for j in pair))
        if len(own) < 3:
            continue
        if len(pair) == 2 and _overlap(own, others) < 0.2:
            for j in pair:
                page.drop(lines[j], "inserted_teaser", "a teaser for another story inside the text")
        elif _overlap(vocab[i], others) < 0.1:
            page.drop(line, "inserted_teaser", "a headline unrelated to the story")


_BIO = re.compile(
    r"^(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s+"
    r"(?:(?:is|was)\s+(?:a|an|the)|covers|writes\s+about|reports\s+on)\b"
)
_ABOUT_AUTHOR = re.compile(r"^(?:about\s+the\s+(?:author|writer)|author\s+bio)\b", re.I)
_ROLE_WORDS = any_word(
    "correspondent reporter writer editor journalist columnist contributor freelance"
    " author covers writes"
)


@rule("author_bio", "a closing note about the author")
def drop_author_bio(page: Page) -> None:
    """A closing "Jane Roe is a reporter at ..." line describes the author, not the story."""
    lines = _span_lines(page)
    if len(lines) < 2:
        return
    last = lines[-1]
    if last.words <= 45 and _ABOUT_AUTHOR.match(last.text):
        page.drop(last, "author_bio", "a note about the author")
        return
    match = _BIO.match(last.text)
    if not match or last.words > 45:
        return
    name = match.group("name")
    header = " ".join(line.text for line in page.lines[: page.span[0]]) if page.span else ""
    if name in header or _ROLE_WORDS.search(last.text):
        page.drop(last, "author_bio", "a note about the author")


#: The steps, then the hand rules, in the order they run: each drops from what the
#: earlier ones left.
RULES: tuple[Rule, ...] = (
    join_wrapped_lines,
    drop_non_text,
    collapse_repeats,
    drop_given_title,
    drop_calls_to_action,
    drop_embedded_posts,
    drop_captions_and_credits,
    drop_teasers,
    drop_bylines_and_datelines,
    drop_navigation,
    drop_short_labels,
    drop_prompt_boxes,
    cut_related_tail,
    find_main_span,
    drop_link_lists,
    drop_inserted_teasers,
    drop_author_bio,
)


@dataclass
class Verdict:
    """What the hand rules say about one line: the rule that would drop it and why."""

    rule: str
    reason: str


@dataclass
class Prepared:
    """A page after the general steps, with the hand rules' verdicts beside it."""

    page: Page
    candidates: list[int]  # indexes of the lines the model decides on
    verdicts: dict[int, Verdict]  # line index -> the hand rule that would drop it
    rule_span: tuple[int, int] | None  # the hand rules' main span (line indexes)
    rule_tail: int | None  # where the hand rules saw other stories begin
    extracted: bool = False  # the lines are an extractor's output or a supplied body


def hand_rule_verdicts(page: Page) -> tuple[dict[int, Verdict], tuple[int, int] | None, int | None]:
    """Run the hand rules in order, note which would drop each line and why, then undo them.

    The rules stay as they were written (ordered, each dropping what earlier ones left),
    so their verdicts are the old pipeline's: now a feature, no longer the decision.
    """
    before = [line.rule for line in page.lines]
    drops_before = len(page.drops)
    for rule in RULES:
        if not rule.step:
            rule.apply(page)
    index_of = {line.number: i for i, line in enumerate(page.lines)}
    verdicts: dict[int, Verdict] = {}
    for drop in page.drops[drops_before:]:
        i = index_of[drop.line]
        if before[i] is None and i not in verdicts:
            verdicts[i] = Verdict(drop.rule, drop.reason)
    span, tail = page.span, page.tail
    for line, rule in zip(page.lines, before, strict=True):
        line.rule = rule
    del page.drops[drops_before:]
    page.span = page.tail = None
    return verdicts, span, tail


def prepare(raw_lines: list[str], title: str | None = None, extracted: bool = False) -> Prepared:
    """The general steps, then the hand rules' verdicts: what the model reads."""
    page = Page(
        [Line(number, text) for number, text in enumerate(raw_lines, 1) if text.strip()],
        title=title,
    )
    for rule in RULES:
        if rule.step:
            rule.apply(page)
    verdicts, span, tail = hand_rule_verdicts(page)
    candidates = [i for i, line in enumerate(page.lines) if line.kept]
    return Prepared(page, candidates, verdicts, span, tail, extracted)


def page_lines(prepared: Prepared) -> list[PageLine]:
    """The candidate lines as the features see them."""
    page = prepared.page
    trimmed = {
        drop.line
        for drop in page.drops
        if drop.rule == "repeated_text" and drop.reason.startswith(_TRIMMED)
    }
    span = prepared.rule_span
    out = []
    for i in prepared.candidates:
        line = page.lines[i]
        verdict = prepared.verdicts.get(i)
        out.append(
            PageLine(
                line.text,
                rule=verdict.rule if verdict else None,
                repeats=line.repeats,
                lost_sentences=line.number in trimmed,
                in_rule_span=span is not None and span[0] <= i <= span[1],
                extracted=prepared.extracted,
            )
        )
    return out


#: Hand rules trusted at the story's edges (see choose_story).
EDGE_RULES = frozenset(
    {
        "appeal",
        "call_to_action",
        "author_bio",
        "teaser",
        "caption",
        "label",
        "byline",
        "inserted_teaser",
        "embedded_post",
        "navigation",
    }
)


#: The share of the kept lines, or of the kept words, the story's core must hold for its
#: edges to be trimmed (other stories are few lines, but may be long ones).
EDGE_CORE_LINES = 0.6
EDGE_CORE_WORDS = 0.5


#: Hand rules whose verdict stands whatever the model says: lines that say what they are.
VETO_RULES = frozenset({"teaser"})
#: A call to action this short is a widget ("Advertisement", "Share this", "Sign up").
WIDGET_WORDS = 4


@dataclass
class Marks:
    """What the hand rules tell the sequence step about each candidate line."""

    edge: list[bool]  # furniture of the kind that borders a story (trimmed off its ends)
    veto: list[bool]  # a line that declares itself something else ("Related: ...")


def rule_marks(lines: list[PageLine], ctx: PageContext) -> Marks:
    """Edge furniture: what EDGE_RULES would drop, and lines under a "Related"/"More"
    heading after another story's opening (a headline with its dateline), whole other
    stories, however much they read like this one. Vetoes: VETO_RULES, lines announcing
    themselves as links to other stories ("Related: ...", "Lire aussi : ..."), and calls
    to action of a few words, which are buttons and labels wherever they stand."""
    return Marks(
        edge=[
            line.rule in EDGE_RULES or (line.rule == "related_tail" and ctx.restarts[i] > 0)
            for i, line in enumerate(lines)
        ],
        veto=[
            line.rule in VETO_RULES
            or (line.rule == "call_to_action" and ctx.units[i] <= WIDGET_WORDS)
            for i, line in enumerate(lines)
        ],
    )


#: Why choose_story left a line out (None: kept).
MODEL, VETO, EDGE, HEADLINE = "model", "veto", "edge", "headline"


def choose_story(scores: list[float], texts: list[str], marks: Marks) -> list[str | None]:
    """Which candidate lines are the story, from the model's log-odds and the hand rules;
    for each line None (the story) or why it is not (MODEL, VETO, EDGE, HEADLINE).

    1. A line is kept when the model finds it more likely story than not (MODEL), unless
       it declares itself something else (VETO, see rule_marks).
    2. The story's edges are trimmed (EDGE): kept lines above the first and below the last
       kept line that is not edge furniture (see rule_marks) go. What a page puts right
       before and after a story (a byline, a caption, a sign-up prompt, an appeal, a note
       on the author, other stories under a "Related" heading) is what those hand rules
       describe; inside the story a verdict is more often a misfire (a quote that says
       "subscribe", a sentence starting "By"), so there it is only evidence for the model.
       When the lines between the first and the last that are not such furniture hold
       less than EDGE_CORE_LINES of the lines and less than EDGE_CORE_WORDS of the words
       kept, the rules have mistaken the story itself for furniture: nothing is trimmed.
    3. A headline-shaped first line is the headline, not the first paragraph (HEADLINE).
    4. When what is left is less than an article, the likeliest lines are taken (above
       FALLBACK_LOG_ODDS), so a short or unusual story is not refused when the page has
       one; if even that is not an article, the page has none and step 3's choice stands.
    """
    why: list[str | None] = [
        VETO if veto else (None if score > 0 else MODEL)
        for score, veto in zip(scores, marks.veto, strict=True)
    ]
    words = [word_units(t) for t in texts]
    core = [i for i, w in enumerate(why) if w is None and not marks.edge[i]]
    if core:
        kept = [i for i, w in enumerate(why) if w is None]
        inside = [i for i in kept if core[0] <= i <= core[-1]]
        lines_share = len(inside) / len(kept)
        words_share = sum(words[i] for i in inside) / (sum(words[i] for i in kept) or 1)
        if lines_share >= EDGE_CORE_LINES or words_share >= EDGE_CORE_WORDS:
            for i in kept:
                if i < core[0] or i > core[-1]:
                    why[i] = EDGE
    first = next((i for i, w in enumerate(why) if w is None), None)
    if first is not None and headline_shaped(texts[first], words[first]):
        why[first] = HEADLINE  # above the story: metadata reads it as the title
    kept_words = sum(w for w, reason in zip(words, why, strict=True) if reason is None)
    if kept_words >= MIN_ARTICLE_WORDS:
        return why
    fallback = list(why)
    for i in sorted(range(len(scores)), key=lambda k: -scores[k]):
        if kept_words >= MIN_ARTICLE_WORDS or scores[i] < FALLBACK_LOG_ODDS:
            break
        if fallback[i] is not None and fallback[i] != VETO:
            fallback[i] = None
            kept_words += words[i]
    return fallback if kept_words >= MIN_ARTICLE_WORDS else why


def _reason(why: str, verdict: Verdict | None, p: float, strongest: str) -> str:
    """The sentence a Drop carries: the hand rule's reason (if one would drop the line) and
    what decided, with the model's probability and the features that weighed most."""
    said = f"{verdict.reason}; " if verdict else ""
    if why == VETO:
        return f"{said}a line that says what it is, whatever the model (story {p:.2f})"
    if why == EDGE:
        return f"{said}at the edge of the story, where such lines are furniture (story {p:.2f})"
    if why == HEADLINE:
        return f"{said}the headline above the story, not a paragraph (story {p:.2f})"
    return f"{said}not the story by the model: story {p:.2f} ({strongest})"


def clean_lines(raw_lines: list[str], title: str | None = None, extracted: bool = False) -> Cleaned:
    """Page lines (blank ones allowed) -> the story's paragraphs and the record of drops.

    `extracted`: the lines are not a whole page but what an extractor kept of one (the
    HTML reader's trafilatura) or a body a record supplied; the model weighs that (there,
    most lines are the story)."""
    prepared = prepare(raw_lines, title, extracted)
    page = prepared.page
    lines = page_lines(prepared)
    ctx = page_context(lines)
    rows = feature_rows(ctx)
    model = body_model()
    scores = [model.log_odds(row) for row in rows]
    decisions = choose_story(scores, [line.text for line in lines], rule_marks(lines, ctx))
    for k, (i, score, why) in enumerate(zip(prepared.candidates, scores, decisions, strict=True)):
        if why is None:
            continue
        verdict = prepared.verdicts.get(i)
        strongest = ""
        if why == MODEL:
            strongest = ", ".join(f"{n} {c:+.1f}" for n, c in model.explain(rows[k], top=2))
        reason = _reason(why, verdict, probability(score), strongest)
        page.drop(page.lines[i], verdict.rule if verdict else why, reason)
    kept_indexes = [i for i, line in enumerate(page.lines) if line.kept]
    page.span = (kept_indexes[0], kept_indexes[-1]) if kept_indexes else None
    tail = prepared.rule_tail
    if tail is not None and (page.span is None or page.span[1] < tail):
        page.tail = tail
    paragraphs = [
        paragraph
        for line in page.lines
        if line.kept
        for paragraph in line.paragraphs()
        if paragraph.strip()
    ]
    drops = sorted(page.drops, key=lambda drop: drop.line)
    return Cleaned(paragraphs, drops, page.lines, page.span, page.tail)
