"""The signals the body model weighs: shallow, general measures of each line of a page.

Each feature is a small named function of the page and a line's place in it, with a
docstring that says what it catches; the model (body_model.py) only weighs them. They are
the classic ones for this problem (boilerpipe's and jusText's): length, function-word
density, sentence shape, capitalisation, digits and symbols, menu shape, repetition,
position relative to the page's prose, and the same measures of the neighbouring lines,
plus the verdicts of clean.py's hand rules (each says whether it would drop the line).
Nothing here knows any site, and nothing needs more than the standard library.

What is not here: the steps every page goes through before (clean.py), the weights
(data/body_model.json), and the choice of the story from the scores (clean.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sitegen.ingest.language import function_density, page_function_words, word_units
from sitegen.ingest.text import WORD, address_ratio, ends_sentence, is_dateline, sentences

#: The hand rules whose verdicts are features, by the rule name their drops carry.
RULE_NAMES = (
    "call_to_action",
    "appeal",
    "embedded_post",
    "caption",
    "teaser",
    "byline",
    "navigation",
    "label",
    "related_tail",
    "outside_main_text",
    "link_list",
    "inserted_teaser",
    "author_bio",
)
#: A line this short that does not end a sentence is menu-shaped.
SHORT_LINE_WORDS = 6
#: Lines either side counted as a line's surroundings (window features).
WINDOW = 3

_SENTENCE_END_CJK = re.compile(r"[。！？]")
_COMMA = re.compile(r"[,，、;；]")
_SYMBOL = re.compile(r"""[^\w\s.,;:!?'"“”‘’()\[\]\-–—…%&/。、，！？「」『』（）：]""")
_LINKISH = re.compile(r"https?://|www\.|\b[\w.-]+\.(?:com|org|net|co|io)\b|@\w{2,}", re.I)
_BULLET = re.compile(r"^(?:[•·▪►▸*+\-–—>»]|\d{1,2}[.)]\s)")
_QUOTE_START = re.compile(r"""^["'“‘«„»]""")
_CJK_TEXT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u0e00-\u0eff\u1000-\u109f]")


@dataclass
class PageLine:
    """What the features read about one candidate line."""

    text: str
    rule: str | None = None  # the hand rule that would drop it, if any
    repeats: int = 1  # exact copies of it the repeat step dropped, plus one
    lost_sentences: bool = False  # the repeat step removed some of its sentences
    in_rule_span: bool = False  # inside the hand rules' main span
    extracted: bool = False  # the page is an extractor's output or a supplied body


@dataclass
class PageContext:
    """A page's candidate lines and the page-wide measures the features share."""

    lines: list[PageLine]
    function_words: frozenset[str] = frozenset()  # the page's own (language.py)
    units: list[float] = field(default_factory=list)
    density: list[float] = field(default_factory=list)
    prose: list[float] = field(default_factory=list)  # words of prose lines, 0 for others
    prose_cumulative: list[float] = field(default_factory=list)  # prose words above a line
    prose_total: float = 0.0
    densest: int = 0  # index of the middle of the densest stretch of prose
    common: frozenset[str] = frozenset()  # the page's most frequent words
    vocab: list[frozenset[str]] = field(default_factory=list)  # content words per line
    vocab_lines: Counter[str] = field(default_factory=Counter)  # prose lines using a word
    vocab_mass: Counter[str] = field(default_factory=Counter)  # prose words of those lines
    short_runs: list[int] = field(default_factory=list)
    total_units: float = 0.0
    run: tuple[int, int] | None = None  # the main prose run: first and last line
    wide_run: tuple[int, int] | None = None  # the same where furniture costs less
    narrow_run: tuple[int, int] | None = None  # the same where furniture costs more
    prose_up: list[int] = field(default_factory=list)  # lines up to the nearest prose line
    prose_down: list[int] = field(default_factory=list)  # lines down to it
    run_vocab: Counter[str] = field(default_factory=Counter)  # its prose lines' words
    gaps: list[float] = field(default_factory=list)  # non-prose words above a line, summed
    restarts: list[int] = field(default_factory=list)  # other stories begun above a line
    heads: list[bool] = field(default_factory=list)  # headline-shaped lines


def _is_prose(units: float, density: float, text: str) -> bool:
    return (
        units >= 8
        and (density >= 0.15 or (units >= 25 and density >= 0.08))
        or (units >= 15 and bool(_SENTENCE_END_CJK.search(text)))
    )


def _content_words(text: str, stop: frozenset[str]) -> frozenset[str]:
    return frozenset(
        w for w in (t.lower() for t in WORD.findall(text)) if len(w) >= 4 and w not in stop
    )


def page_context(lines: Sequence[PageLine]) -> PageContext:
    """Measure each line once and the page as a whole: function words, prose, vocabulary."""
    ctx = PageContext(list(lines))
    texts = [line.text for line in ctx.lines]
    ctx.function_words = page_function_words(texts)
    ctx.units = [word_units(t) for t in texts]
    ctx.density = [function_density(t, ctx.function_words) for t in texts]
    ctx.total_units = sum(ctx.units) or 1.0
    ctx.prose = [
        u if _is_prose(u, d, t) else 0.0
        for u, d, t in zip(ctx.units, ctx.density, texts, strict=True)
    ]
    running = 0.0
    for words in ctx.prose:
        ctx.prose_cumulative.append(running)
        running += words
    ctx.prose_total = running
    window = [sum(ctx.prose[max(0, i - WINDOW) : i + WINDOW + 1]) for i in range(len(ctx.prose))]
    ctx.densest = max(range(len(window)), key=lambda i: (window[i], ctx.prose[i])) if window else 0
    counts: Counter[str] = Counter()
    for text in dict.fromkeys(texts):  # each distinct line once, in page order
        counts.update(list(dict.fromkeys(w.lower() for w in WORD.findall(text))))
    ctx.common = frozenset(w for w, _ in counts.most_common(30))
    ctx.vocab = [_content_words(t, ctx.function_words) for t in texts]
    for words, prose in zip(ctx.vocab, ctx.prose, strict=True):
        if prose:
            ctx.vocab_lines.update(words)
            for w in words:
                ctx.vocab_mass[w] += prose
    ctx.run = main_prose_run(ctx.prose)
    ctx.wide_run = main_prose_run(ctx.prose, RUN_GAP_COST / 4)
    ctx.narrow_run = main_prose_run(ctx.prose, RUN_GAP_COST * 4)
    far = len(ctx.prose) + 1
    last = None
    for i, words in enumerate(ctx.prose):
        ctx.prose_up.append(far if last is None else i - last)
        if words:
            last = i
    last = None
    ctx.prose_down = [far] * len(ctx.prose)
    for i in range(len(ctx.prose) - 1, -1, -1):
        ctx.prose_down[i] = far if last is None else last - i
        if ctx.prose[i]:
            last = i
    if ctx.run is not None:
        for j in range(ctx.run[0], ctx.run[1] + 1):
            if ctx.prose[j]:
                ctx.run_vocab.update(ctx.vocab[j])
    running = 0.0
    for u, prose in zip(ctx.units, ctx.prose, strict=True):
        ctx.gaps.append(running)
        running += 0.0 if prose else max(1.0, u)
    ctx.restarts = _story_restarts(ctx, texts)
    ctx.heads = [headline_shaped(t, u) for t, u in zip(texts, ctx.units, strict=True)]
    short = [
        u <= SHORT_LINE_WORDS and not ends_sentence(t)
        for u, t in zip(ctx.units, texts, strict=True)
    ]
    ctx.short_runs = [0] * len(short)
    start = 0
    for i in range(len(short) + 1):
        if i == len(short) or not short[i]:
            for j in range(start, i):
                ctx.short_runs[j] = i - start
            start = i + 1
    return ctx


#: What a line that is not prose costs the main run (in words of prose it outweighs).
RUN_GAP_COST = 4.0


def best_stretch(scores: Iterable[float]) -> tuple[int, int] | None:
    """(first, last) index of the stretch with the highest sum of scores, the earliest of
    equals (a maximum-sum subarray); None when no score is positive."""
    best, best_run = 0.0, None
    running, start = 0.0, 0
    for i, score in enumerate(scores):
        if running <= 0:
            if score <= 0:
                continue
            running, start = 0.0, i
        running += score
        if running > best:
            best, best_run = running, (start, i)
    return best_run


def main_prose_run(prose: list[float], cost: float = RUN_GAP_COST) -> tuple[int, int] | None:
    """The stretch of lines with the most prose and the least else: prose lines count their
    words, other lines `cost` against."""
    return best_stretch(words if words else -cost for words in prose)


#: Prose (in words) that must stand above a headline for it to start another story.
RESTART_AFTER_WORDS = 50


def headline_shaped(text: str, units: float) -> bool:
    """Three to twenty words, no full stop, starting with a capital or a digit."""
    first = text.lstrip("\"'“‘")[:1]
    return 3 <= units <= 20 and not ends_sentence(text) and (first.isupper() or first.isdigit())


def _story_restarts(ctx: PageContext, texts: list[str]) -> list[int]:
    """For each line, how many other stories began above it: after some prose, a headline
    with a dateline or byline just below it and prose after that (a story's own opening)."""
    count, found = 0, []
    n = len(texts)
    for i in range(n):
        found.append(count)
        if ctx.prose_cumulative[i] < RESTART_AFTER_WORDS or ctx.prose[i]:
            continue
        if not headline_shaped(texts[i], ctx.units[i]):
            continue
        below = range(i + 1, min(n, i + 4))
        dated = any(is_dateline(texts[j]) or ctx.lines[j].rule == "byline" for j in below)
        if dated and any(ctx.prose[j] for j in range(i + 1, min(n, i + 6))):
            count += 1
    return found


# --- length ----------------------------------------------------------------------------


def log_words(ctx: PageContext, i: int) -> float:
    """Length in words (unspaced scripts by characters): stories are long lines."""
    return math.log1p(ctx.units[i])


def log_chars(ctx: PageContext, i: int) -> float:
    """Length in characters, which does not depend on how words are counted."""
    return math.log1p(len(ctx.lines[i].text))


def word_share(ctx: PageContext, i: int) -> float:
    """The line's share of all the words on the page: one line can be the whole story."""
    return ctx.units[i] / ctx.total_units


# --- language --------------------------------------------------------------------------


def function_word_density(ctx: PageContext, i: int) -> float:
    """Share of the page's function words: high in prose, low in menus."""
    return ctx.density[i]


def page_common_density(ctx: PageContext, i: int) -> float:
    """Share of words among the page's thirty commonest: the page's own function words,
    which need no list (the story dominates the page's words, so its language's do)."""
    found = WORD.findall(ctx.lines[i].text)
    if not found:
        return 0.0
    return sum(1 for w in found if w.lower() in ctx.common) / len(found)


def window_density(ctx: PageContext, i: int) -> float:
    """Function-word density of the lines around (three either side), weighted by length:
    a short line inside prose reads differently from one inside a menu (jusText's context)."""
    lo, hi = max(0, i - WINDOW), i + WINDOW + 1
    words = sum(ctx.units[lo:hi])
    if not words:
        return 0.0
    return sum(u * d for u, d in zip(ctx.units[lo:hi], ctx.density[lo:hi], strict=True)) / words


# --- sentence shape --------------------------------------------------------------------


def ends_with_sentence_end(ctx: PageContext, i: int) -> float:
    """Ends with . ! ? … (or 。！？): a sentence, not a label or headline."""
    text = ctx.lines[i].text
    return 1.0 if ends_sentence(text) or text[-1:] in "。！？" else 0.0


def ends_with_colon(ctx: PageContext, i: int) -> float:
    """Ends with a colon: introduces what follows (a list, a quote, a form field)."""
    return 1.0 if ctx.lines[i].text.rstrip().endswith((":", "：")) else 0.0


def sentence_count(ctx: PageContext, i: int) -> float:
    """How many sentences: paragraphs have several, furniture one or none."""
    text = ctx.lines[i].text
    return math.log1p(max(len(sentences(text)), len(_SENTENCE_END_CJK.findall(text))))


def comma_rate(ctx: PageContext, i: int) -> float:
    """Commas per word: clauses are prose; lists of names are not sentences either."""
    return len(_COMMA.findall(ctx.lines[i].text)) / max(1.0, ctx.units[i])


# --- characters ------------------------------------------------------------------------


def title_case_share(ctx: PageContext, i: int) -> float:
    """Share of words that start with a capital: menus and headlines Capitalise Each Word."""
    found = [w for w in WORD.findall(ctx.lines[i].text) if w[:1].isalpha()]
    if not found:
        return 0.0
    return sum(1 for w in found if w[0].isupper()) / len(found)


def upper_case_share(ctx: PageContext, i: int) -> float:
    """Share of letters in capitals: BUTTONS AND SECTION LABELS."""
    text = ctx.lines[i].text
    letters = sum(map(str.isalpha, text))
    if not letters:
        return 0.0
    return sum(map(str.isupper, text)) / letters


def starts_lower(ctx: PageContext, i: int) -> float:
    """Starts in lower case: a fragment, a tag, or a sentence cut by the page's layout."""
    first = next((ch for ch in ctx.lines[i].text if ch.isalpha()), "")
    return 1.0 if first.islower() else 0.0


def digit_share(ctx: PageContext, i: int) -> float:
    """Share of digits: dates, scores, prices, counters."""
    text = ctx.lines[i].text
    return sum(map(str.isdigit, text)) / len(text)


def symbol_share(ctx: PageContext, i: int) -> float:
    """Share of symbols (| » © # @ ...): separators of menus and footers."""
    text = ctx.lines[i].text
    return len(_SYMBOL.findall(text)) / len(text)


def link_text(ctx: PageContext, i: int) -> float:
    """An address, a domain, a handle or an e-mail in the line."""
    return 1.0 if _LINKISH.search(ctx.lines[i].text) else 0.0


def bullet_start(ctx: PageContext, i: int) -> float:
    """Starts like a list item (a bullet, a dash, "1.")."""
    return 1.0 if _BULLET.match(ctx.lines[i].text) else 0.0


def quote_start(ctx: PageContext, i: int) -> float:
    """Starts with a quotation mark: quoted speech, common in stories."""
    return 1.0 if _QUOTE_START.match(ctx.lines[i].text) else 0.0


def unspaced_share(ctx: PageContext, i: int) -> float:
    """Share of characters in scripts written without spaces (Chinese, Japanese, Thai),
    where word counts and densities mean something else."""
    text = ctx.lines[i].text
    letters = sum(map(str.isalpha, text))
    return len(_CJK_TEXT.findall(text)) / letters if letters else 0.0


# --- menus and repetition --------------------------------------------------------------


def short_run(ctx: PageContext, i: int) -> float:
    """Length of the run of short non-sentence lines this line is in: a menu, a link list,
    a block of tags (0 for a line that is not short)."""
    return math.log1p(ctx.short_runs[i])


def repeats_elsewhere(ctx: PageContext, i: int) -> float:
    """The same line stood elsewhere on the page: headlines, menus repeated at the foot."""
    return math.log(ctx.lines[i].repeats)


def lost_sentences(ctx: PageContext, i: int) -> float:
    """Some of its sentences were already on the page (a teaser, a summary, a copy)."""
    return 1.0 if ctx.lines[i].lost_sentences else 0.0


# --- position --------------------------------------------------------------------------


def position(ctx: PageContext, i: int) -> float:
    """Where the line stands, from the top (0) to the bottom (1) of the page."""
    return i / max(1, len(ctx.lines) - 1)


def prose_above(ctx: PageContext, i: int) -> float:
    """Share of the page's prose above the line: none above a header, all above a footer."""
    return ctx.prose_cumulative[i] / ctx.prose_total if ctx.prose_total else 0.0


def prose_below(ctx: PageContext, i: int) -> float:
    """Share of the page's prose below the line (the rest, less the line's own)."""
    if not ctx.prose_total:
        return 0.0
    return (ctx.prose_total - ctx.prose_cumulative[i] - ctx.prose[i]) / ctx.prose_total


def densest_distance(ctx: PageContext, i: int) -> float:
    """Lines between this one and the densest stretch of prose on the page."""
    return math.log1p(abs(i - ctx.densest))


def below_densest(ctx: PageContext, i: int) -> float:
    """Below the densest prose (+1), above it (-1), in it (0)."""
    return float((i > ctx.densest) - (i < ctx.densest))


def is_prose_line(ctx: PageContext, i: int) -> float:
    """Long enough and dense enough in function words to read as running text."""
    return 1.0 if ctx.prose[i] else 0.0


def topic_overlap(ctx: PageContext, i: int) -> float:
    """Share of the line's content words that the page's other prose lines use too: a
    subheading shares the story's vocabulary, a teaser for another story does not."""
    words = ctx.vocab[i]
    if not words:
        return -1.0
    own = 1 if ctx.prose[i] else 0
    return sum(1 for w in words if ctx.vocab_lines[w] - own > 0) / len(words)


def in_main_run(ctx: PageContext, i: int) -> float:
    """Inside the main prose run (the stretch with the most prose, see main_prose_run)."""
    run = ctx.run
    return 1.0 if run is not None and run[0] <= i <= run[1] else 0.0


def in_wide_run(ctx: PageContext, i: int) -> float:
    """Inside the main run as it is when furniture between prose costs a quarter as much:
    bridges lists, tables and captions inside a story."""
    run = ctx.wide_run
    return 1.0 if run is not None and run[0] <= i <= run[1] else 0.0


def in_narrow_run(ctx: PageContext, i: int) -> float:
    """Inside the main run as it is when furniture costs four times as much: the core of
    consecutive paragraphs."""
    run = ctx.narrow_run
    return 1.0 if run is not None and run[0] <= i <= run[1] else 0.0


def prose_up_distance(ctx: PageContext, i: int) -> float:
    """Lines up to the nearest prose line (log; far when there is none)."""
    return math.log1p(ctx.prose_up[i])


def prose_down_distance(ctx: PageContext, i: int) -> float:
    """Lines down to the nearest prose line: a list between paragraphs has prose close on
    both sides, a footer none below."""
    return math.log1p(ctx.prose_down[i])


#: Lines either side a feed is looked for in.
FEED_WINDOW = 6


def alternation(ctx: PageContext, i: int) -> float:
    """How often the lines around switch between prose and not (six either side): a story's
    paragraphs follow each other, a feed of other stories or a gallery alternates headline
    or counter and blurb."""
    lo, hi = max(0, i - FEED_WINDOW), min(len(ctx.prose), i + FEED_WINDOW + 1)
    flags = [bool(p) for p in ctx.prose[lo:hi]]
    if len(flags) < 2:
        return 0.0
    return sum(a != b for a, b in zip(flags, flags[1:], strict=False)) / (len(flags) - 1)


def feed_items(ctx: PageContext, i: int) -> float:
    """Headlines directly followed by prose among the lines around (six either side): the
    items of a list of other stories, each a headline and its blurb."""
    lo, hi = max(0, i - FEED_WINDOW), min(len(ctx.prose) - 1, i + FEED_WINDOW)
    return math.log1p(sum(1 for j in range(lo, hi) if ctx.heads[j] and ctx.prose[j + 1]))


def stories_above(ctx: PageContext, i: int) -> float:
    """Other stories begun above the line (a headline, its dateline, its prose): what
    follows a second story's opening is that story, a related article or a feed."""
    return math.log1p(ctx.restarts[i])


def run_distance(ctx: PageContext, i: int) -> float:
    """Non-prose words between the line and the main run: how much furniture separates a
    line from the story (0 inside it). Other stories sit behind a block of furniture."""
    run = ctx.run
    if run is None or run[0] <= i <= run[1]:
        return 0.0
    if i < run[0]:
        return math.log1p(ctx.gaps[run[0]] - ctx.gaps[i])
    return math.log1p(ctx.gaps[i] - ctx.gaps[run[1]])


def run_side(ctx: PageContext, i: int) -> float:
    """Below the main run (+1), above it (-1), inside (0)."""
    run = ctx.run
    if run is None:
        return 0.0
    return float((i > run[1]) - (i < run[0]))


def run_topic_overlap(ctx: PageContext, i: int) -> float:
    """Share of the line's content words that the main run's prose uses (the line itself
    not counted): other stories' teasers and captions speak of other things."""
    words = ctx.vocab[i]
    if not words:
        return -1.0
    run = ctx.run
    own = 1 if run is not None and run[0] <= i <= run[1] and ctx.prose[i] else 0
    return sum(1 for w in words if ctx.run_vocab[w] - own > 0) / len(words)


def centrality(ctx: PageContext, i: int) -> float:
    """How much of the page's prose speaks of what this line speaks of: for each of its
    content words, the share of the page's prose (in words, the line's own not counted) in
    lines that use it, averaged. A story's paragraphs share their subject; a gallery of
    other stories, a list of teasers or a cookie notice each speak of something else."""
    words = ctx.vocab[i]
    if not words or not ctx.prose_total:
        return -1.0
    own = ctx.prose[i]
    total = ctx.prose_total - own
    if total <= 0:
        return 0.0
    return sum(ctx.vocab_mass[w] - own for w in words) / len(words) / total


# --- the hand rules --------------------------------------------------------------------


def in_rule_span(ctx: PageContext, i: int) -> float:
    """Inside the run the hand rules took for the story (clean.py's main span)."""
    return 1.0 if ctx.lines[i].in_rule_span else 0.0


def any_rule(ctx: PageContext, i: int) -> float:
    """Some hand rule would drop the line."""
    return 1.0 if ctx.lines[i].rule else 0.0


def extracted_input(ctx: PageContext, i: int) -> float:
    """The lines are what an extractor kept of a page (or a body a record supplied), not the
    whole page: most of them are the story, and what is left to drop is little."""
    return 1.0 if ctx.lines[i].extracted else 0.0


def address_share(ctx: PageContext, i: int) -> float:
    """Share of we/our/you words outside quotes: the page talking to its reader."""
    return address_ratio(ctx.lines[i].text)


def dateline_shape(ctx: PageContext, i: int) -> float:
    """Mostly a date or a time: a dateline, not a sentence."""
    return 1.0 if is_dateline(ctx.lines[i].text) else 0.0


def _rule_feature(name: str) -> Callable[[PageContext, int], float]:
    def feature(ctx: PageContext, i: int) -> float:
        return 1.0 if ctx.lines[i].rule == name else 0.0

    feature.__name__ = f"rule_{name}"
    feature.__doc__ = f"The hand rule {name!r} would drop the line."
    return feature


Feature = Callable[[PageContext, int], float]

#: Features of the line itself, in the model file's order.
LINE_FEATURES: tuple[Feature, ...] = (
    log_words,
    log_chars,
    word_share,
    function_word_density,
    page_common_density,
    window_density,
    ends_with_sentence_end,
    ends_with_colon,
    sentence_count,
    comma_rate,
    title_case_share,
    upper_case_share,
    starts_lower,
    digit_share,
    symbol_share,
    link_text,
    bullet_start,
    quote_start,
    unspaced_share,
    short_run,
    repeats_elsewhere,
    lost_sentences,
    position,
    prose_above,
    prose_below,
    densest_distance,
    below_densest,
    is_prose_line,
    topic_overlap,
    centrality,
    in_main_run,
    in_wide_run,
    in_narrow_run,
    prose_up_distance,
    prose_down_distance,
    alternation,
    feed_items,
    stories_above,
    run_distance,
    run_side,
    run_topic_overlap,
    in_rule_span,
    any_rule,
    extracted_input,
    address_share,
    dateline_shape,
    *(_rule_feature(name) for name in RULE_NAMES),
)
#: Features also read from the neighbours, two lines up and two down (jusText's context).
NEIGHBOUR_FEATURES: tuple[Feature, ...] = (
    log_words,
    function_word_density,
    ends_with_sentence_end,
    short_run,
    is_prose_line,
    any_rule,
    centrality,
)
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
#: A neighbour beyond the top or bottom of the page.
MISSING = -1.0


def feature_names() -> list[str]:
    names = [f.__name__ for f in LINE_FEATURES]
    for offset in NEIGHBOUR_OFFSETS:
        where = f"prev{-offset}" if offset < 0 else f"next{offset}"
        names.extend(f"{where}_{f.__name__}" for f in NEIGHBOUR_FEATURES)
    return names


def feature_rows(ctx: PageContext) -> list[list[float]]:
    """One row per line: its own features, then its neighbours'."""
    own = [[f(ctx, i) for f in LINE_FEATURES] for i in range(len(ctx.lines))]
    positions = [LINE_FEATURES.index(f) for f in NEIGHBOUR_FEATURES]
    count = len(own)
    rows = []
    for i, row in enumerate(own):
        full = list(row)
        for offset in NEIGHBOUR_OFFSETS:
            j = i + offset
            if 0 <= j < count:
                full.extend(own[j][p] for p in positions)
            else:
                full.extend(MISSING for _ in positions)
        rows.append(full)
    return rows
