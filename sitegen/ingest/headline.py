"""The headline of a page dump: candidate lines ranked by a small learned model, then
cleaned of what sites glue to headlines.

Every line above the story's end is a candidate, unless a rule says it plainly is not
one (not_a_headline: prompts, share buttons, bylines, datelines, breadcrumbs, captions;
and the story's own sentences). Each candidate gets the features below (small named
functions, each saying what signal it catches), and a linear model fitted by
scripts/train_import.py (sitegen/ingest/data/title_model.json) weighs them: a score per
line, fitted as a softmax over each page's candidates (the right line should win its
page), the same form as a logistic regression. The best candidate is taken when its
score reaches the model's threshold; otherwise the page shows no headline and the caller
derives one from the story. `explain` gives the features and weights behind a choice.

`clean_title` removes a site name glued on (" | The Site", "The Site: "), breadcrumbs
("Home > News > ...") and a section kicker that the page also shows as its own label. It
is used for titles from HTML metadata too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sitegen.ingest.dates import date_mentions, looks_like_dateline, without_dates
from sitegen.ingest.linear import Model, load_model
from sitegen.ingest.pageview import CJK, SEPARATOR, PageView, text_units
from sitegen.ingest.text import (
    RELATIVE_TIME,
    STOP_WORDS,
    WORD,
    address_ratio,
    any_word,
    content_words,
    sentence_key,
    stop_ratio,
    word_count,
)

MODEL_NAME = "title_model"
#: Candidates longer than this are paragraphs, not headlines.
MAX_CANDIDATE_UNITS = 45
MAX_CANDIDATE_CHARS = 320

_BYLINE_START = re.compile(
    r"^(?:by|von|par|por|door|di|de|av|af|autor|author|written\s+by|words\s+by|text\s+by"
    r"|story\s+by|posted\s+by|reporting\s+by|text|texte|autorin|auteur)\b[\s:]*",
    re.I,
)
_WIDGET = re.compile(
    r"\b(?:subscri\w*|newsletters?|sign\s*(?:up|in)|log\s*(?:in|out)|share|shares|tweet|email"
    r"|print|comments?|replies|advertis\w*|sponsored|cookies?|privacy|menu|search|follow"
    r"|download|app|click|tap|window|read\s+more|watch|listen|skip|trending|popular"
    r"|related|latest|more\s+from|offer|deal|\$\d|free|join|facebook|twitter|linkedin"
    r"|whatsapp|reddit|pinterest|instagram|youtube|rss|posters?|views|likes|upvoted"
    r"|abonn\w*|réservé|anmelden|teilen|partager|compartir|suscr\w*|inscri\w*|connexion"
    r"|werbung|publicité|publicidad|anzeige|kommentare?|commentaires?|comentarios?)\b",
    re.I,
)
_CREDIT = re.compile(
    r"\b(?:getty(?:\s+images)?|ap\s+photo|afp|reuters|epa|shutterstock|alamy|istock\w*"
    r"|photo(?:graph)?s?|image|credit|courtesy|foto|bild)\b\s*[:/)]|\((?:photo|image|credit)"
    r"|/\s*(?:AFP|AP|EPA|Reuters|Getty)\b",
    re.I,
)
_ENDS_FULL_STOP = re.compile(r"""[.…][\"'”’)\]]*$""")
_ENDS_QUESTION = re.compile(r"""[?!][\"'”’)\]]*$""")


# --- features --------------------------------------------------------------------------


@dataclass
class Context:
    """What features share for one page: the view and per-line facts computed once."""

    view: PageView
    candidates: list[int]
    headline_shaped: list[bool]
    rank_above: dict[int, int]  # headline-shaped lines between this one and the story
    outlet_key: str
    inside_other: set[int]  # candidates whose text another longer line holds
    holds_other: set[int]  # candidates that hold another candidate's text
    first_prose: int | None  # where two prose lines first stand within three lines
    short_run: list[int]  # length of the run of short non-prose lines each line is in
    above_byline: set[int]  # the nearest headline-shaped line above each byline/dateline
    _content: dict[int, set[str]] = field(default_factory=dict)

    def content(self, i: int) -> set[str]:
        """content_words of line i, once."""
        found = self._content.get(i)
        if found is None:
            found = self._content[i] = content_words(self.view.lines[i])
        return found


def _headline_shaped(text: str) -> bool:
    units = text_units(text)
    return 2 <= units <= 30 and not _ENDS_FULL_STOP.search(text) and not _BYLINE_START.match(text)


def distance_above_story(ctx: Context, i: int) -> float:
    """log(1 + lines between the line and the story's first line): headlines stand close."""
    start = ctx.view.start
    return math.log1p(start - i) if start is not None and i < start else 0.0


def below_story_start(ctx: Context, i: int) -> float:
    """The line is at or below the story's first line: inside the story or under it."""
    start = ctx.view.start
    return 1.0 if start is not None and i >= start else 0.0


def no_story_found(ctx: Context, i: int) -> float:
    """The cleaner placed no story on the page (its place was guessed from prose)."""
    return 1.0 if ctx.view.start is None or ctx.view.assumed else 0.0


def headline_rank_above(ctx: Context, i: int) -> float:
    """How many headline-shaped lines stand between this one and the story (log)."""
    return math.log1p(ctx.rank_above.get(i, 25))


def lines_to_next_prose(ctx: Context, i: int) -> float:
    """log(lines down to the next line of running text): a headline leads into prose."""
    return math.log1p(min(ctx.view.next_prose[i], 200))


def relative_position(ctx: Context, i: int) -> float:
    """Where on the page the line is, 0 (top) to 1 (bottom)."""
    return i / max(1, len(ctx.view.lines))


def repeats_on_page(ctx: Context, i: int) -> float:
    """log(times the line occurs): headlines repeat (page title, heading, share text)."""
    return math.log(ctx.view.counts[ctx.view.keys[i]])


def repeats_inside_other_lines(ctx: Context, i: int) -> float:
    """The line is a part of another ("Headline | Site", "Home > News > Headline")."""
    return math.log1p(ctx.view.segment_counts.get(ctx.view.keys[i], 0))


def word_units(ctx: Context, i: int) -> float:
    """log(words), CJK characters counting half: headlines are 4 to 20 words."""
    return math.log1p(text_units(ctx.view.lines[i]))


def very_short(ctx: Context, i: int) -> float:
    """One to three words: labels, names, buttons."""
    return 1.0 if text_units(ctx.view.lines[i]) <= 3 else 0.0


def ends_with_full_stop(ctx: Context, i: int) -> float:
    """A sentence, not a headline (standfirsts, captions end with a full stop)."""
    return 1.0 if _ENDS_FULL_STOP.search(ctx.view.lines[i]) else 0.0


def ends_with_question_or_exclamation(ctx: Context, i: int) -> float:
    """Headlines may ask or exclaim."""
    return 1.0 if _ENDS_QUESTION.search(ctx.view.lines[i]) else 0.0


def ends_with_colon(ctx: Context, i: int) -> float:
    """A label for what follows ("Author:", "Related stories:")."""
    return 1.0 if ctx.view.lines[i].rstrip().endswith(":") else 0.0


def capitalised_share(ctx: Context, i: int) -> float:
    """Share of non-function words that start with a capital: title case is headline case."""
    tokens = [w for w in WORD.findall(ctx.view.lines[i]) if w.lower() not in STOP_WORDS]
    if not tokens:
        return 0.0
    return sum(1 for w in tokens if w[:1].isupper()) / len(tokens)


def all_capitals(ctx: Context, i: int) -> float:
    """Written in capitals: menus, buttons and mastheads more often than headlines."""
    letters = [ch for ch in ctx.view.lines[i] if ch.isalpha()]
    return 1.0 if len(letters) >= 4 and all(ch.isupper() for ch in letters) else 0.0


def starts_lower_case(ctx: Context, i: int) -> float:
    """Starts with a small letter: a fragment or a continuation."""
    first = ctx.view.lines[i].lstrip("\"'“‘([")[:1]
    return 1.0 if first.islower() else 0.0


def function_word_share(ctx: Context, i: int) -> float:
    """Share of function words: prose is dense with them, headlines less, menus not at all."""
    return stop_ratio(ctx.view.lines[i])


def lead_overlap(ctx: Context, i: int) -> float:
    """Content words of the line found in the story's first two paragraphs, as a share
    that a line of one or two words cannot fill (shared / (own + 1))."""
    own = ctx.content(i)
    return len(own & ctx.view.lead_words) / (len(own) + 1)


def story_overlap(ctx: Context, i: int) -> float:
    """Content words of the line found in the story's opening (shared / (own + 1))."""
    own = ctx.content(i)
    return len(own & ctx.view.story_words) / (len(own) + 1)


def slug_overlap(ctx: Context, i: int) -> float:
    """Share of the url's slug words in the line: the slug is made from the headline."""
    slug = ctx.view.slug_words
    if not slug:
        return 0.0
    own = {w.lower() for w in WORD.findall(ctx.view.lines[i])}
    return len(slug & own) / len(slug)


def has_url_slug(ctx: Context, i: int) -> float:
    """The page's url is known (so slug_overlap means something)."""
    return 1.0 if ctx.view.slug_words else 0.0


def glued_by_separator(ctx: Context, i: int) -> float:
    """The line has a " | " / " - " / " :: " part, as page titles with a site name do."""
    return 1.0 if SEPARATOR.search(ctx.view.lines[i]) else 0.0


def names_the_outlet(ctx: Context, i: int) -> float:
    """The line is the outlet's name, or little more (a masthead, a logo's text)."""
    if not ctx.outlet_key:
        return 0.0
    key = ctx.view.keys[i]
    if key == ctx.outlet_key:
        return 1.0
    near = key.startswith(ctx.outlet_key) or key.endswith(ctx.outlet_key)
    return 0.5 if near and len(key.split()) <= len(ctx.outlet_key.split()) + 2 else 0.0


def widget_words(ctx: Context, i: int) -> float:
    """Share of words that belong to menus, share buttons, prompts and counters (subscribe,
    share, comments ...): high in widgets, low in a headline that merely names Facebook."""
    text = ctx.view.lines[i]
    return min(1.0, len(_WIDGET.findall(text)) / max(1.0, text_units(text)))


def digit_share(ctx: Context, i: int) -> float:
    """Share of characters that are digits: counters, prices, scores, dates."""
    text = ctx.view.lines[i]
    return sum(ch.isdigit() for ch in text) / max(1, len(text))


def byline_or_date_shape(ctx: Context, i: int) -> float:
    """The line itself is a byline ("By ...") or a dateline."""
    text = ctx.view.lines[i]
    relative = RELATIVE_TIME.search(text) and word_count(text) <= 8
    return 1.0 if _BYLINE_START.match(text) or looks_like_dateline(text) or relative else 0.0


def byline_or_date_follows(ctx: Context, i: int) -> float:
    """A byline or dateline within the next four lines: the headline's block."""
    lines = ctx.view.lines
    return (
        1.0
        if any(_is_byline_or_date(lines[j]) for j in range(i + 1, min(len(lines), i + 5)))
        else 0.0
    )


def short_label_above(ctx: Context, i: int) -> float:
    """The line above is a one-to-three-word label (a section name, a kicker)."""
    return 1.0 if i > 0 and text_units(ctx.view.lines[i - 1]) <= 3 else 0.0


def in_list_of_short_lines(ctx: Context, i: int) -> float:
    """Neighbours above and below are headline-shaped too: a list of links or stories."""
    shaped = ctx.headline_shaped
    before = i > 0 and shaped[i - 1]
    after = i + 1 < len(shaped) and shaped[i + 1]
    return 1.0 if before and after else 0.0


def prose_follows(ctx: Context, i: int) -> float:
    """The next line is running text (a standfirst or the story)."""
    return 1.0 if i + 1 < len(ctx.view.prose) and ctx.view.prose[i + 1] else 0.0


def person_name_shape(ctx: Context, i: int) -> float:
    """Two or three capitalised words starting with a given name: a byline, not a headline."""
    tokens = ctx.view.lines[i].split()
    if not 2 <= len(tokens) <= 3 or not all(t[:1].isupper() for t in tokens):
        return 0.0
    from sitegen.entities.lexicon import lexicon

    return 1.0 if tokens[0] in lexicon().first_names else 0.0


def breadcrumb_shape(ctx: Context, i: int) -> float:
    """Parts joined by ">", "»" or "/": a trail of sections, not a headline."""
    return 1.0 if len(_CRUMB.findall(ctx.view.lines[i])) >= 2 else 0.0


def contained_in_other_line(ctx: Context, i: int) -> float:
    """Another, longer line holds this one ("Headline | Site", a share text, a page title)."""
    return 1.0 if i in ctx.inside_other else 0.0


def holds_other_line(ctx: Context, i: int) -> float:
    """This line holds another candidate and more: a menu or a title glued to other text."""
    return 1.0 if i in ctx.holds_other else 0.0


def caption_or_credit(ctx: Context, i: int) -> float:
    """The line, or the one below it, carries a photo credit: a caption, not a headline."""
    lines = ctx.view.lines
    below = lines[i + 1] if i + 1 < len(lines) and word_count(lines[i + 1]) <= 12 else ""
    return 1.0 if _CREDIT.search(lines[i]) or _CREDIT.search(below) else 0.0


def prose_above(ctx: Context, i: int) -> float:
    """The line above is running text: a subheading or caption inside a story."""
    return 1.0 if i > 0 and ctx.view.prose[i - 1] else 0.0


def distance_above_first_prose(ctx: Context, i: int) -> float:
    """log(1 + lines down to where running text first starts on the page): the headline
    stands above the first prose, however the cleaner placed the story."""
    first = ctx.first_prose
    return math.log1p(first - i) if first is not None and i < first else 0.0


def below_first_prose(ctx: Context, i: int) -> float:
    """The line comes after running text has begun on the page."""
    first = ctx.first_prose
    return 1.0 if first is not None and i >= first else 0.0


def near_story_and_headline_shaped(ctx: Context, i: int) -> float:
    """Headline-shaped and one to six lines above the story: the usual headline block."""
    start = ctx.view.start
    near = start is not None and 1 <= start - i <= 6
    return 1.0 if near and ctx.headline_shaped[i] else 0.0


def longest_in_its_block(ctx: Context, i: int) -> float:
    """The longest headline-shaped line within three lines either side: the headline over
    its kicker, byline and labels."""
    shaped, lines = ctx.headline_shaped, ctx.view.lines
    if not shaped[i]:
        return 0.0
    own = text_units(lines[i])
    for j in range(max(0, i - 3), min(len(lines), i + 4)):
        if j != i and shaped[j] and text_units(lines[j]) > own:
            return 0.0
    return 1.0


def run_of_short_lines(ctx: Context, i: int) -> float:
    """log(length of the run of short non-prose lines the line stands in): menus and link
    lists are long runs, a headline block a short one."""
    return math.log1p(ctx.short_run[i])


def sentence_shaped(ctx: Context, i: int) -> float:
    """Eight words or more ending in a full stop, dense with function words: a standfirst,
    a caption or the story's first sentence, not its headline."""
    text = ctx.view.lines[i]
    long_enough = word_count(text) >= 8 and stop_ratio(text) >= 0.25
    return 1.0 if long_enough and _ENDS_FULL_STOP.search(text) else 0.0


def standfirst_follows(ctx: Context, i: int) -> float:
    """The line below is a sentence (a standfirst) and this one is not: a headline over
    its summary."""
    lines = ctx.view.lines
    if i + 1 >= len(lines) or not ctx.headline_shaped[i]:
        return 0.0
    below = lines[i + 1]
    return 1.0 if _ENDS_FULL_STOP.search(below) and 8 <= word_count(below) <= 60 else 0.0


def under_a_headline_shaped_line(ctx: Context, i: int) -> float:
    """A sentence right under a headline-shaped line: the standfirst under its headline."""
    lines = ctx.view.lines
    if i == 0 or not _ENDS_FULL_STOP.search(lines[i]) or word_count(lines[i]) < 6:
        return 0.0
    above = lines[i - 1]
    return 1.0 if ctx.headline_shaped[i - 1] and text_units(above) >= 3 else 0.0


def _is_pair_start(ctx: Context, i: int) -> bool:
    """Line i opens a block of two headline-like lines (not a longer list)."""
    shaped, lines = ctx.headline_shaped, ctx.view.lines
    if i + 1 >= len(lines) or text_units(lines[i]) < 3:
        return False
    nxt = lines[i + 1]
    follows = shaped[i + 1] or (_ENDS_FULL_STOP.search(nxt) and word_count(nxt) <= 45)
    before = i == 0 or not shaped[i - 1] or text_units(lines[i - 1]) <= 3
    after = i + 2 >= len(lines) or not shaped[i + 2] or text_units(lines[i + 2]) <= 3
    return bool(shaped[i] and follows and before and after)


def first_of_a_pair(ctx: Context, i: int) -> float:
    """The first of two headline-like lines standing alone: a headline over its
    standfirst (which may end without a full stop)."""
    return 1.0 if _is_pair_start(ctx, i) else 0.0


def second_of_a_pair(ctx: Context, i: int) -> float:
    """The second of two headline-like lines standing alone: the standfirst."""
    return 1.0 if i > 0 and _is_pair_start(ctx, i - 1) else 0.0


def more_title_case_than_the_next(ctx: Context, i: int) -> float:
    """Title case falling off on the next line: "Ryan Gosling's Feelings About Fatherhood"
    over "GQ talks to the actor about his life"."""
    if i + 1 >= len(ctx.view.lines):
        return 0.0
    return max(0.0, capitalised_share(ctx, i) - capitalised_share(ctx, i + 1))


def nearest_headline_above_byline(ctx: Context, i: int) -> float:
    """The nearest headline-shaped line above a byline or dateline (within five lines, a
    standfirst or labels between): how a story's head block is laid out."""
    return 1.0 if i in ctx.above_byline else 0.0


def starts_with_a_symbol(ctx: Context, i: int) -> float:
    """Starts with a bullet, arrow or sign ("+ Added ...", "» More", "• Item"): a list item."""
    return 1.0 if re.match(r"^[+*•·►▶→»›>#|~=-]", ctx.view.lines[i]) else 0.0


def holds_a_date(ctx: Context, i: int) -> float:
    """The line holds a date: teasers in lists carry theirs, headlines seldom do."""
    return 1.0 if date_mentions(ctx.view.lines[i]) else 0.0


def is_cjk(ctx: Context, i: int) -> float:
    """Written in Chinese, Japanese or Korean: counts and case mean little."""
    return 1.0 if CJK.search(ctx.view.lines[i]) else 0.0


FEATURES: dict[str, Callable[[Context, int], float]] = {
    f.__name__: f
    for f in (
        distance_above_story,
        below_story_start,
        no_story_found,
        headline_rank_above,
        lines_to_next_prose,
        relative_position,
        repeats_on_page,
        repeats_inside_other_lines,
        word_units,
        very_short,
        ends_with_full_stop,
        ends_with_question_or_exclamation,
        ends_with_colon,
        capitalised_share,
        all_capitals,
        starts_lower_case,
        function_word_share,
        lead_overlap,
        story_overlap,
        slug_overlap,
        has_url_slug,
        glued_by_separator,
        names_the_outlet,
        widget_words,
        digit_share,
        byline_or_date_shape,
        byline_or_date_follows,
        short_label_above,
        in_list_of_short_lines,
        prose_follows,
        person_name_shape,
        breadcrumb_shape,
        contained_in_other_line,
        holds_other_line,
        caption_or_credit,
        prose_above,
        distance_above_first_prose,
        below_first_prose,
        near_story_and_headline_shaped,
        longest_in_its_block,
        run_of_short_lines,
        sentence_shaped,
        standfirst_follows,
        under_a_headline_shaped_line,
        first_of_a_pair,
        second_of_a_pair,
        more_title_case_than_the_next,
        nearest_headline_above_byline,
        starts_with_a_symbol,
        holds_a_date,
        is_cjk,
    )
}


_PROMPT = re.compile(
    r"""^(?:subscribe|sign\s*(?:up|in)|log\s*(?:in|out)|register|join|follow|share|tweet|email
    |print|click|tap|read\s+more|continue\s+reading|see\s+(?:all|more)|view\s+(?:all|more)
    |show\s+more|load\s+more|download|get\s+(?:the|our)|watch|listen|skip|back\s+to|go\s+to
    |advertisement|sponsored|comments?|reply|leave\s+a|post\s+a|add\s+a|cookies?|privacy
    |accept|close|menu|search|home|next|previous|prev|more|latest|trending|related|popular)\b
    |\b(?:newsletters?|opens\s+in\s+(?:a\s+)?new\s+(?:window|tab)|all\s+rights\s+reserved
    |cookie\s+(?:policy|settings)|privacy\s+policy|terms\s+of\s+(?:use|service))\b""",
    re.I | re.X,
)
_SOCIAL = any_word(
    r"facebook twitter linkedin whatsapp reddit pinterest instagram youtube tiktok"
    r" telegram email e-mail print copy\s+link messenger flipboard tumblr rss"
)


_CAPTION_CREDIT = re.compile(
    r"\((?:photos?|images?|pictures?|credit|foto|bild)\s*:[^)]*\)\s*$"
    r"|\b(?:photo|image|picture)\s*(?:credit)?\s*:\s*\S+.*\b(?:getty|afp|ap|reuters|epa|images)\b",
    re.I,
)


_ACCOUNT_PROMPT = re.compile(
    r"\b(?:sign\s*up|sign\s*in|log\s*in|subscribe\s+(?:now|today))\b", re.I
)
_LINK = re.compile(r"https?://|\bwww\.\w|\bpic\.twitter\.com/", re.I)


def is_photo_caption(text: str) -> bool:
    """A caption that carries its photo credit ("... (Photo: Jane Roe/AFP)")."""
    return bool(_CAPTION_CREDIT.search(text))


def not_a_headline(text: str) -> str | None:
    """Why a line plainly cannot be a headline (a prompt, a row of share buttons, a byline
    or dateline, a breadcrumb, a label), or None. A rule, not a weight: these never are."""
    units = text_units(text)
    if units < 1.5:
        return "a single word"
    if units <= 10 and _PROMPT.search(text):
        return "a prompt or a widget"
    if units <= 16 and _ACCOUNT_PROMPT.search(text):
        return "a prompt to sign up or log in"
    if _LINK.search(text):
        return "it holds a web address"
    if len(_SOCIAL.findall(text)) >= 2 and units <= 2 * len(_SOCIAL.findall(text)) + 1:
        return "a row of share buttons"
    if _BYLINE_START.match(text) and units <= 12:
        return "a byline"
    if units <= 16 and looks_like_dateline(text) and word_count(without_dates(text)) <= 4:
        return "a dateline"
    if len(_CRUMB.findall(text)) >= 2:
        return "a breadcrumb trail"
    if text.rstrip().endswith(":"):
        return "a label for what follows"
    if is_photo_caption(text):
        return "a photo caption (it carries a credit)"
    if _ENDS_FULL_STOP.search(text) and address_ratio(text) > 0:
        return "a sentence to the reader (an appeal or a prompt)"
    return None


def _story_sentence(view: PageView, i: int) -> bool:
    """A line of the story's own running text (prose ending a sentence): never its headline."""
    return i in view.story_indexes and view.prose[i] and bool(_ENDS_FULL_STOP.search(view.lines[i]))


def candidate_lines(view: PageView) -> list[int]:
    """Indexes of lines that could be the headline: above the story's end, not too long,
    with letters, not plainly something else (not_a_headline), not a sentence of the
    story itself, each text once: at its copy nearest above the story (a headline shown
    first in a menu or a "latest" list heads the story again, with its byline), else at
    its first copy."""
    last = view.end if view.end is not None else len(view.lines) - 1
    start = view.start if view.start is not None else 0
    chosen: dict[str, int] = {}
    for i in range(0, min(last + 1, len(view.lines))):
        text, key = view.lines[i], view.keys[i]
        if not key or len(text) > MAX_CANDIDATE_CHARS:
            continue
        if key in chosen:
            if i < start and chosen[key] >= 0:
                chosen[key] = i  # a later copy, still above the story
            continue
        if text_units(text) > MAX_CANDIDATE_UNITS or sum(ch.isalpha() for ch in text) < 3:
            chosen[key] = -1  # not a candidate, whichever copy
            continue
        if not_a_headline(text) or _story_sentence(view, i):
            chosen[key] = -1
            continue
        chosen[key] = i
    return sorted(i for i in chosen.values() if i >= 0)


def page_context(view: PageView) -> Context:
    candidates = candidate_lines(view)
    shaped = [_headline_shaped(t) for t in view.lines]
    rank_above: dict[int, int] = {}
    if view.start is not None:
        count = 0
        for i in range(min(view.start, len(view.lines)) - 1, -1, -1):
            rank_above[i] = count
            if shaped[i] and view.counts[view.keys[i]] >= 1:
                count += 1
    outlet_key = sentence_key(view.outlet or "")
    inside, holds = _containment(view, candidates, shaped)
    prose = view.prose
    first_prose = next(
        (i for i in range(len(prose)) if prose[i] and any(prose[i + 1 : i + 4])), None
    )
    short = [not p and word_count(t) <= 12 for p, t in zip(prose, view.lines, strict=True)]
    short_run = [0] * len(short)
    i = 0
    while i < len(short):
        j = i
        while j < len(short) and short[j]:
            j += 1
        for k in range(i, j):
            short_run[k] = j - i
        i = j + 1 if j == i else j
    above_byline: set[int] = set()
    for j, text in enumerate(view.lines):
        if not _is_byline_or_date(text):
            continue
        for k in range(j - 1, max(-1, j - 6), -1):
            line = view.lines[k]
            if (
                shaped[k]
                and not view.prose[k]
                and not _is_byline_or_date(line)
                and not _ENDS_FULL_STOP.search(line)
                and text_units(line) >= 3
            ):
                above_byline.add(k)
                break
    return Context(
        view,
        candidates,
        shaped,
        rank_above,
        outlet_key,
        inside,
        holds,
        first_prose,
        short_run,
        above_byline,
    )


def _is_byline_or_date(text: str) -> bool:
    if word_count(text) > 16:
        return False
    return bool(_BYLINE_START.match(text)) or looks_like_dateline(text)


def _containment(view: PageView, candidates: list[int], shaped: list[bool]) -> tuple[set, set]:
    """Which headline-shaped candidates another line holds, and which hold one."""
    short = [i for i in candidates if shaped[i] and len(view.keys[i]) >= 12]
    inside: set[int] = set()
    holds: set[int] = set()
    lengths = [len(k) for k in view.keys]
    for i in short:
        key, size = view.keys[i], lengths[i]
        for j, other in enumerate(view.keys):
            if size + 4 <= lengths[j] <= 3 * size + 80 and key in other:
                inside.add(i)
                if j in candidates:
                    holds.add(j)
                break
    return inside, holds


def features_of(ctx: Context, i: int) -> dict[str, float]:
    return {name: feature(ctx, i) for name, feature in FEATURES.items()}


# --- choosing --------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    index: int  # into view.lines
    text: str  # the line as the page shows it
    title: str  # cleaned
    score: float  # the model's score (a logit); the highest on a page wins


def title_model() -> Model:
    return load_model(MODEL_NAME, tuple(FEATURES))


def rank_candidates(view: PageView, model: Model | None = None) -> list[Choice]:
    """Every candidate with the model's score, best first (ties: higher on the page)."""
    model = model or title_model()
    ctx = page_context(view)
    scored = []
    for i in ctx.candidates:
        score = model.logit(features_of(ctx, i))
        scored.append(Choice(i, view.lines[i], view.lines[i], score))
    scored.sort(key=lambda c: (-c.score, c.index))
    return scored


def choose_headline(view: PageView, model: Model | None = None) -> Choice | None:
    """The page's headline, cleaned, or None when no line is likely enough."""
    model = model or title_model()
    for choice in rank_candidates(view, model)[:3]:
        if choice.score < model.threshold:
            return None
        title = clean_title(choice.text, view.outlet, view, choice.index)
        if title:
            return Choice(choice.index, choice.text, title, choice.score)
    return None


def explain(view: PageView, index: int, model: Model | None = None) -> list[tuple[str, float]]:
    """(feature, contribution to the logit) for one line, largest first."""
    model = model or title_model()
    return model.contributions(features_of(page_context(view), index))


# --- clean-up --------------------------------------------------------------------------

_CRUMB = re.compile(r"\s+(?:>|»|›|/|\\)\s+")
_LEADING_HOME = re.compile(
    r"^(?:home|start|accueil|inicio|startseite|domů|首页|ホーム|top)\b", re.I
)


def _fold(text: str) -> str:
    return sentence_key(text)


def _is_site_part(part: str, outlet: str | None, view: PageView | None) -> bool:
    """A part of a title that names the site: the outlet, its domain, or a line the page
    shows on its own (a masthead, a section label)."""
    key = _fold(part)
    if not key:
        return True
    if outlet:
        outlet_key = _fold(outlet)
        squashed, outlet_squashed = key.replace(" ", ""), outlet_key.replace(" ", "")
        if outlet_key and (
            key == outlet_key
            or outlet_squashed in squashed
            or (squashed in outlet_squashed and len(squashed) >= 3)
        ):
            return True
    if re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", part.strip().lower()):
        return True
    return bool(view is not None and view.counts.get(key, 0) >= 1 and word_count(part) <= 6)


def split_title(
    text: str, outlet: str | None = None, view: PageView | None = None, index: int | None = None
) -> tuple[str, list[str]]:
    """(the headline, the parts removed from its end or start: site names, sections).

    `view` and `index` (where the line stands on the page) let a kicker go: "Genetik: ..."
    loses "Genetik" when the page shows that label on its own line next to the headline."""
    title = " ".join(text.split())
    removed: list[str] = []
    crumbs = _CRUMB.split(title)
    is_trail = len(crumbs) >= 3 or (len(crumbs) == 2 and _LEADING_HOME.match(crumbs[0]))
    if is_trail and all(word_count(c) <= 4 for c in crumbs[:-1]) and text_units(crumbs[-1]) >= 2:
        title = crumbs[-1]  # "Home > News > Headline": the last crumb is the page
    for _ in range(3):  # "Headline | Section | Site"
        seps = list(SEPARATOR.finditer(title))
        if not seps:
            break
        first, last = seps[0], seps[-1]
        head, tail = title[: first.start()], title[last.end() :]
        rest_tail, rest_head = title[: last.start()].strip(), title[first.end() :].strip()
        pipe_like = last.group().strip() in ("|", "｜", "::", "_", "")
        if text_units(rest_tail) >= 2 and (
            _is_site_part(tail, outlet, view)
            or (pipe_like and text_units(tail) <= 4 < text_units(rest_tail))
        ):
            title = rest_tail
            removed.append(tail.strip())
        elif text_units(rest_head) >= 3 and _is_site_part(head, outlet, view):
            title = rest_head
            removed.append(head.strip())
        else:
            break
    named = re.match(r"^([^:]{2,40}):\s+(?=\S)", title)
    names_outlet = named and outlet and sentence_key(named.group(1)) == sentence_key(outlet)
    if names_outlet and text_units(title[named.end() :]) >= 3:
        removed.append(named.group(1).strip())
        title = title[named.end() :]  # "The Example Post: Headline"
    kicker = re.match(r"^([^:]{2,30}):\s+(?=\S)", title)
    if kicker and view is not None and index is not None and text_units(title[kicker.end() :]) >= 3:
        label = _fold(kicker.group(1))
        near = view.keys[max(0, index - 3) : index + 4]
        if label and label in near and word_count(kicker.group(1)) <= 3:
            title = title[kicker.end() :]  # "Genetik: ..." with "Genetik" shown beside it
    title = title.strip(" |-–—:·•")
    if not (any(ch.isalpha() for ch in title) or CJK.search(title)):
        return "", removed
    return title, [r for r in removed if r]


def clean_title(
    text: str, outlet: str | None = None, view: PageView | None = None, index: int | None = None
) -> str:
    """The headline without a site name, breadcrumbs or a section kicker glued on."""
    return split_title(text, outlet, view, index)[0]
