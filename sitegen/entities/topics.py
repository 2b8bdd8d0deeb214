"""Topics: the places, organisations and subjects an article is about, most central first.

Candidates come from three sources, each counted per mention (title mentions count
double): places and organisations from the shipped gazetteers, normalised ("Russian" ->
Russia, "U.S." -> United States, "Nato" -> NATO); organisations the article introduces
with an acronym ("National Rifle Association (NRA)"); and subjects from the curated
phrase map (data/subjects.toml, extendable with [topics] subjects in sitegen.toml).
Words inside a person's name never count ("Israel Katz" says nothing about Israel).
Ranking is TF-IDF: log-scaled mentions times the topic's rarity across the archive
(`TopicStats`); without stats every topic is equally rare. Pure functions, no I/O.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitegen.entities.lexicon import Lexicon, lexicon
from sitegen.entities.people import (
    ABBREVIATIONS,
    STOPWORDS,
    WORD,
    PeopleResult,
    Token,
    article_text,
    find_people,
)

if TYPE_CHECKING:
    from sitegen.entities.extract import EntitySettings

TITLE_WEIGHT = 2.0
#: "an American businessman", "Swedish synth": a demonym says less than the name, so in
#: anything longer than a brief (BRIEF_NAMED_WORDS) it weighs this much.
DEMONYM_WEIGHT = 0.5
KIND_WEIGHT = {"city": 0.5}
#: A topic is kept when it scores at least this share of the best topic.
KEEP_SHARE = 0.4
#: A subject needs this much evidence: two one-word hits ("sanctions" twice) or one
#: specific phrase ("election interference"); below it, and below one mention for a place
#: or organisation, a topic is only a fallback for an article that has nothing better.
MIN_SUBJECT_HITS = 2
#: ... plus one more for every WORDS_PER_EXTRA_HIT words beyond SHORT_ARTICLE_WORDS, up
#: to MAX_SUBJECT_NEED.
SHORT_ARTICLE_WORDS = 400
WORDS_PER_EXTRA_HIT = 800
MAX_SUBJECT_NEED = 12.0
#: In anything longer than a brief, a subject named once weighs at most SINGLE_MENTION.
BRIEF_WORDS = 350
SINGLE_MENTION = 1.5
#: A supporting cue ("~striker*") weighs this share of a firm one.
SUPPORT_WEIGHT = 0.5
#: In an article of LONG_ARTICLE_WORDS or more, a place or organisation named once
#: (weight below PASSING_MENTION) is a passing mention, not a topic.
LONG_ARTICLE_WORDS = 450
PASSING_MENTION = 2.0
#: In such an article a topic with less than LONG_SHARE of the top topic's weight is a
#: passing mention too.
LONG_SHARE = 0.25
SHARE_WORDS = 450
#: ... and one more mention for every WORDS_PER_MENTION words of a longer article.
WORDS_PER_MENTION = 500
#: In an article of BRIEF_NAMED_WORDS or more, a place or organisation named once, outside
#: the title and the lead (the first LEAD_WORDS words of the body), is named in passing
#: ("suspects tracked to Texas", "a former Goldman Sachs banker"): a fallback only.
BRIEF_NAMED_WORDS = 150
LEAD_WORDS = 80
#: Lines of a list or menu ("Asia / China / France" of an editions menu, a form's
#: "Misleading / Misinformation / Repetitive"): LIST_LINES or more lines in a row of at
#: most LIST_LINE_WORDS words and LIST_LINE_CHARS characters each. What is named there weighs LIST_WEIGHT.
LIST_LINES = 3
LIST_LINE_WORDS = 3
LIST_LINE_CHARS = 40
LIST_WEIGHT = 0.25
WEAK = 0.1
#: A weak candidate needs this share of the evidence asked for to be kept as a fallback.
FALLBACK_SHARE = 0.7
#: Archives much smaller than this get little IDF: rarity in 5 articles is noise.
IDF_SHRINK = 100
INTRODUCED_ORG = re.compile(
    r"\b((?:The )?[A-Z][\w'’&.\-]*(?: (?:[A-Z][\w'’&.\-]*|of|for|and|the|on|de|al)){1,7})"
    r" \(([A-Z][A-Za-z0-9&\-]{1,9})\)"
)


@dataclass(frozen=True)
class TopicStats:
    """How many articles the archive has, and how many carry each candidate topic."""

    documents: int
    frequency: dict[str, int]

    @classmethod
    def from_candidates(cls, candidates: Iterable[Counter[str]]) -> TopicStats:
        frequency: Counter[str] = Counter()
        documents = 0
        for counts in candidates:
            documents += 1
            frequency.update(set(counts))
        return cls(documents, dict(frequency))

    def idf(self, topic: str) -> float:
        """Smoothed IDF, shrunk toward 1 while the archive is small (it means little there)."""
        raw = math.log((1 + self.documents) / (1 + self.frequency.get(topic, 0))) + 1.0
        return 1.0 + (raw - 1.0) * self.documents / (self.documents + IDF_SHRINK)


# -- subject phrases ----------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    topic: str
    words: tuple[tuple[str, bool], ...]  # (word, is_prefix)
    gap_at: int  # index of the word after "...", or 0 for none
    exact_case: bool
    support: bool = False  # "~cue": counts only beside a firm cue of the same subject
    text: str = ""  # the cue as written, to tell distinct cues apart


def parse_phrase(topic: str, text: str) -> Phrase | None:
    """One cue of the subject map. Its words are cut as the article's words are (the
    tokenizer's rule: "cease-fire" stays one word, "AT&T" is two, "Alzheimer's" is
    "Alzheimer"), so every cue can match text written the same way."""
    support = text.startswith("~")
    body = text[1:] if support else text
    exact_case = any(c.isupper() for c in body)
    words: list[tuple[str, bool]] = []
    gap_at = 0
    for raw in body.split():
        if raw == "...":
            gap_at = len(words)
            continue
        prefix = raw.endswith("*")
        cut = raw.rstrip("*")
        parts = []
        for m in WORD.finditer(cut):
            part = m.group()
            if cut[m.end() : m.end() + 1] == "." and (part in ABBREVIATIONS or len(part) == 1):
                part += "."  # as the tokenizer keeps "v." in "Roe v. Wade"
            parts.append(part)
        for k, part in enumerate(parts):
            if part.endswith(("'s", "’s")) and len(part) > 2:
                part = part[:-2]  # the tokenizer drops a possessive 's
            part = part.replace("’", "'")
            if not exact_case:
                part = part.lower()
            words.append((part, prefix and k == len(parts) - 1))
    if not words or (words[0][1] and len(words[0][0]) < 3):
        return None
    return Phrase(topic, tuple(words), gap_at, exact_case, support, text)


@dataclass
class PhraseIndex:
    exact: dict[str, list[Phrase]]
    prefix: dict[str, list[Phrase]]  # by the first three letters of the prefix


def build_index(subjects: dict[str, list[str]]) -> PhraseIndex:
    index = PhraseIndex({}, {})
    for topic, phrases in subjects.items():
        for text in phrases:
            phrase = parse_phrase(topic, text)
            if phrase is None:
                continue
            word, is_prefix = phrase.words[0]
            if is_prefix:
                index.prefix.setdefault(word[:3].lower(), []).append(phrase)
            else:
                index.exact.setdefault(word if phrase.exact_case else word.lower(), []).append(
                    phrase
                )
    return index


@functools.cache
def _shipped_index() -> PhraseIndex:
    return build_index(lexicon().subjects)


def _index_for(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> PhraseIndex:
    if not extra:
        return _shipped_index()
    return _custom_index(extra)


@functools.lru_cache(maxsize=8)
def _custom_index(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> PhraseIndex:
    subjects = dict(lexicon().subjects)
    subjects.update({k: list(v) for k, v in extra})
    return build_index(subjects)


def _word_matches(token: Token, word: str, is_prefix: bool, exact_case: bool) -> bool:
    text = token.text if exact_case else token.text.lower()
    return text.startswith(word) if is_prefix else text == word


def _phrases_starting_with(token: Token, index: PhraseIndex) -> list[Phrase]:
    """The phrases whose first word this token is: the index's candidates for its first
    letters, kept once for each distinct word of an article (most words repeat)."""
    lower = token.text.lower()
    found = index.exact.get(lower, []) + index.prefix.get(lower[:3], [])
    if token.text != lower:
        found += index.exact.get(token.text, [])
    return [p for p in found if _word_matches(token, *p.words[0], p.exact_case)]


def _second_word_fits(phrase: Phrase, after: Token | None) -> bool:
    """Whether the word after a phrase's first word can continue it (a one-word phrase,
    a gap there, or the second word itself): most phrases of a common word end here."""
    if len(phrase.words) == 1 or phrase.gap_at == 1:
        return True
    return after is not None and _word_matches(after, *phrase.words[1], phrase.exact_case)


def _phrase_end(tokens: list[Token], i: int, phrase: Phrase) -> int:
    """The index of the last token of `phrase` matched at token i, or -1."""
    words = phrase.words
    if not _word_matches(tokens[i], *words[0], phrase.exact_case):
        return -1
    pos = i
    for k in range(1, len(words)):
        if k == phrase.gap_at:
            for ahead in range(pos + 1, min(pos + 10, len(tokens))):
                if tokens[ahead].sent_start:
                    return -1
                if _word_matches(tokens[ahead], *words[k], phrase.exact_case):
                    pos = ahead
                    break
            else:
                return -1
            continue
        pos += 1
        if pos >= len(tokens) or tokens[pos].sent_start:
            return -1
        if not _word_matches(tokens[pos], *words[k], phrase.exact_case):
            return -1
    return pos


def _phrase_at(tokens: list[Token], i: int, phrase: Phrase) -> bool:
    return _phrase_end(tokens, i, phrase) >= 0


# -- candidates -----------------------------------------------------------------------------


def topic_candidates(
    title: str,
    body: str,
    settings: EntitySettings | Any = None,
    people: PeopleResult | None = None,
) -> Counter[str]:
    """Weighted mentions of every candidate topic in one article (input to ranking/stats).

    `people` is the rules backend's result for the same article, when the caller has it.
    """
    lex = lexicon()
    result = people if people is not None and people.tokens else find_people(title, body, lex)
    tokens = result.tokens
    title_end = len(title.strip())
    masked = _masked(tokens, result.spans)
    counts: Counter[str] = Counter()
    named: Counter[str] = Counter()
    text = article_text(title, body)
    listed = list_lines(text, title_end)
    lead_end = _lead_end(tokens, title_end)
    in_lead: set[str] = set()

    def add_named(topic: str, weight: float, at: int) -> None:
        if at < title_end:
            weight *= TITLE_WEIGHT
        elif _inside(listed, at):
            weight *= LIST_WEIGHT
        elif at < lead_end:
            in_lead.add(topic)
        named[topic] += weight

    demonym = DEMONYM_WEIGHT if len(tokens) >= BRIEF_NAMED_WORDS else 1.0
    _gazetteer_mentions(tokens, masked, lex, add_named, demonym)
    surnames = {n.split()[-1] for n in result.names}
    _introduced_organisations(text, lex, add_named, surnames)
    words = len(tokens)
    need = 1.0 if words < LONG_ARTICLE_WORDS else max(PASSING_MENTION, words / WORDS_PER_MENTION)
    for topic, weight in named.items():
        if words >= BRIEF_NAMED_WORDS and weight <= 1.0 and topic not in in_lead:
            continue  # named once, in passing: not even a fallback
        elif weight >= need or words < LONG_ARTICLE_WORDS:
            counts[topic] += _weigh(weight, need)
        # else: a place named in passing in a long piece is not even a fallback

    extra = getattr(settings, "subjects", None) or {}
    index = _index_for(tuple(sorted((k, tuple(v)) for k, v in extra.items())))
    need = subject_threshold(words)
    supported: Counter[str] = Counter()
    for topic, weight in subject_evidence(tokens, index, title_end, listed, supported).items():
        counts[topic] += _weigh(weight, need)
    if not any(w >= 1.0 for w in counts.values()):
        # Nothing firm: a subject that only supporting cues point to, but as many of them
        # as a firm subject needs ("films" eight times), is a fallback (never one beside a
        # real topic).
        for topic, weight in supported.items():
            if weight >= need:
                counts[topic] += min(weight * WEAK, 1.0 - WEAK)  # below any firm topic
    for topic in [t for t, w in counts.items() if w <= 0]:
        del counts[topic]
    if words >= SHARE_WORDS and counts:
        # A long article names many things in passing: keep what it dwells on.
        top = max(counts.values())
        for topic, weight in counts.items():
            if 1.0 <= weight < LONG_SHARE * top:
                counts[topic] = weight * WEAK
    _yield_to_specific(counts, lex)
    return counts


def _weigh(evidence: float, need: float) -> float:
    """A candidate's weight: its evidence when it has what it needs; a weak fallback (for an
    article with nothing better) when it has most of it; nothing below that."""
    if evidence >= need:
        return evidence
    return evidence * WEAK if evidence >= FALLBACK_SHARE * need else 0.0


def list_lines(text: str, title_end: int = 0) -> list[tuple[int, int]]:
    """The stretches of a text that are a list or menu: LIST_LINES or more non-blank lines
    in a row, each of at most LIST_LINE_WORDS words and LIST_LINE_CHARS characters (blank lines do not break a run; the
    title is never part of one). Sorted (start, end) offsets."""
    runs: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        short = len(line.split()) <= LIST_LINE_WORDS and len(line.strip()) <= LIST_LINE_CHARS
        if start >= title_end and short:
            run.append((start, start + len(line)))
            continue
        if len(run) >= LIST_LINES:
            runs.append((run[0][0], run[-1][1]))
        run = []
    if len(run) >= LIST_LINES:
        runs.append((run[0][0], run[-1][1]))
    return runs


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    return any(start <= at < end for start, end in spans)


def _lead_end(tokens: list[Token], title_end: int) -> int:
    """Where the lead ends: the offset after the first LEAD_WORDS words of the body."""
    body = [t for t in tokens[: LEAD_WORDS * 3] if t.start >= title_end]
    if len(body) <= LEAD_WORDS:
        return body[-1].end if body else title_end
    return body[LEAD_WORDS].start


def subject_threshold(words: int) -> float:
    """The evidence a subject needs in an article of this many words: two one-word cues or
    one phrase in a short piece, a little more as the article grows (one passing phrase
    in 2,000 words is not what it is about)."""
    extra = max(0, words - SHORT_ARTICLE_WORDS) / WORDS_PER_EXTRA_HIT
    return min(MAX_SUBJECT_NEED, MIN_SUBJECT_HITS + extra)


def subject_evidence(
    tokens: list[Token],
    index: PhraseIndex,
    title_end: int,
    listed: list[tuple[int, int]] = (),  # type: ignore[assignment]
    supported: Counter[str] | None = None,
) -> Counter[str]:
    """Each subject's evidence: a phrase counts 2, a word 1, a supporting ("~") cue half
    that, all double in the title and a quarter in a list (`listed`, see list_lines);
    supporting cues count only beside a firm one. A cue inside a longer cue of the same
    subject ("election" in "general election") counts once, with the longer. With firm
    cues in only one sentence, outside the title of anything longer than a brief, a
    subject is only a fallback ("a former Supreme Court justice and a former Supreme Court
    chief justice" in a piece about a vote). `supported` receives the evidence of subjects
    that only supporting cues point to."""
    firm: Counter[str] = Counter()
    support: Counter[str] = Counter()
    sentences: dict[str, set[int]] = {}  # the sentences with a firm cue; -1 for the title
    covered: dict[str, int] = {}  # the last token of the subject's latest match
    starting: dict[str, list[Phrase]] = {}  # a word's phrases, found once per article
    pairs: dict[tuple[str, str], list[Phrase]] = {}  # the same, where the next word fits
    sentence = 0
    for i, token in enumerate(tokens):
        sentence += token.sent_start
        found = starting.get(token.text)
        if found is None:
            found = starting[token.text] = _phrases_starting_with(token, index)
        if not found:
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) and not tokens[i + 1].sent_start else None
        key = (token.text, after.text if after is not None else "")
        fitting = pairs.get(key)
        if fitting is None:
            fitting = pairs[key] = [p for p in found if _second_word_fits(p, after)]
        found = fitting
        best: dict[str, tuple[Phrase, int]] = {}
        for phrase in found:
            if covered.get(phrase.topic, -1) >= i:
                continue  # inside a cue of this subject already counted
            held = best.get(phrase.topic)
            if held is not None and (not held[0].support or phrase.support):
                continue  # a firm cue already counts here, or this is one more supporting cue
            end = _phrase_end(tokens, i, phrase)
            if end >= 0:
                best[phrase.topic] = (phrase, end)
        if not best:
            continue
        if token.start < title_end:
            place = TITLE_WEIGHT
        elif listed and _inside(listed, token.start):
            place = LIST_WEIGHT
        else:
            place = 1.0
        for topic, (phrase, end) in best.items():
            covered[topic] = end
            weight = (2.0 if len(phrase.words) > 1 else 1.0) * place
            if phrase.support:
                support[topic] += weight * SUPPORT_WEIGHT
            else:
                firm[topic] += weight
                if place != LIST_WEIGHT:
                    sentences.setdefault(topic, set()).add(
                        -1 if place == TITLE_WEIGHT else sentence
                    )
    brief = len(tokens) < BRIEF_WORDS
    for topic in firm:
        firm[topic] += min(support[topic], firm[topic])  # support at most doubles the firm cues
        seen = sentences.get(topic, set())
        if len(seen) <= 1 and -1 not in seen and not brief:
            firm[topic] = min(firm[topic], SINGLE_MENTION)
    if supported is not None:
        supported.update({t: w for t, w in support.items() if t not in firm})
    return firm


def _masked(tokens: list[Token], spans: list[tuple[int, int]]) -> list[bool]:
    spans = sorted(spans)
    out = []
    k = 0
    for token in tokens:
        while k < len(spans) and spans[k][1] <= token.start:
            k += 1
        out.append(k < len(spans) and spans[k][0] <= token.start < spans[k][1])
    return out


def _gazetteer_mentions(
    tokens: list[Token], masked: list[bool], lex: Lexicon, add, demonym: float = 1.0
) -> None:
    longest = max(lex.max_place_words, lex.max_org_words)
    n = len(tokens)
    i = 0
    while i < n:
        token = tokens[i]
        if masked[i] or not (token.text[0].isupper() or token.text.startswith("al-")):
            i += 1
            continue
        matched = 0
        for size in range(min(longest, n - i), 0, -1):
            if size > 1 and not all(_joined(tokens, i + k) for k in range(1, size)):
                continue
            surface = " ".join(t.text for t in tokens[i : i + size])
            if size > 1 and any(tokens[i + k].possessive for k in range(size - 1)):
                # "People's Liberation Army": the tokenizer cut the 's that the name has
                surface = " ".join(
                    t.text + ("'s" if t.possessive and k < size - 1 else "")
                    for k, t in enumerate(tokens[i : i + size])
                )
            place = lex.places.get(surface)
            org = lex.organisations.get(surface)
            if place is None and org is None:
                continue
            if org is not None:
                if size == 1 and _inside_other_name(tokens, i, size, lex):
                    pass  # "Mobile World Congress", "National People's Congress"
                elif org.kind != "media":
                    medium = org.kind == "platform" or _used_as_medium(tokens, i, size)
                    add(org.canonical, MEDIUM_WEIGHT if medium else 1.0, token.start)
            elif place is not None and _inside_other_name(tokens, i, size, lex):
                pass  # "Union Pacific", "Real Madrid", "Baltimore Ravens", "Massachusetts General"
            elif place is not None:
                weight = demonym if place.demonym else KIND_WEIGHT.get(place.kind, 1.0)
                add(place.canonical, weight, token.start)
            matched = size
            break
        i += matched or 1


def _joined(tokens: list[Token], j: int) -> bool:
    """Whether token j continues the name before it: only a space between, also after a
    possessive (which the tokenizer never marks joined: "People's Liberation Army")."""
    token = tokens[j]
    if token.joined:
        return True
    prev = tokens[j - 1]
    return prev.possessive and not token.sent_start and token.start - prev.end == 1


#: "posted on Facebook", "a Facebook post", "searched on Google": a company named as the
#: tool someone used, not what the article is about.
MEDIUM_BEFORE = frozenset({"on", "via", "through"})
MEDIUM_AFTER = frozenset(
    [
        "post",
        "posts",
        "posted",
        "page",
        "pages",
        "status",
        "account",
        "accounts",
        "user",
        "users",
        "feed",
        "live",
        "video",
        "videos",
        "search",
        "searches",
        "profile",
        "message",
        "messages",
        "group",
        "groups",
        "friends",
        "followers",
    ]
)
MEDIUM_WEIGHT = 0.25


def _used_as_medium(tokens: list[Token], i: int, size: int) -> bool:
    before = tokens[i - 1].text.lower() if i > 0 and not tokens[i].sent_start else ""
    k = i + size
    after = tokens[k].text.lower() if k < len(tokens) and not tokens[k].sent_start else ""
    return before in MEDIUM_BEFORE or after in MEDIUM_AFTER


def _yield_to_specific(counts: Counter[str], lex: Lexicon) -> None:
    """ "Congress" in an article about the Indian National Congress is that party."""
    for org in {o for o in lex.organisations.values() if o.yields_to}:
        if org.canonical in counts and org.yields_to in counts:
            counts[org.yields_to] += counts.pop(org.canonical)


def _inside_other_name(tokens: list[Token], i: int, size: int, lex: Lexicon) -> bool:
    """A place word that is only part of a longer capitalised name (body text only)."""
    first = tokens[i]
    if first.headline:
        return False
    if i > 0 and first.joined and not first.sent_start:
        before = tokens[i - 1].text
        if before[:1].isupper() and not _neutral(before, lex) and not tokens[i - 1].possessive:
            return True
        if (
            before == "of"
            and i > 1
            and tokens[i - 1].joined
            and tokens[i - 2].text in lex.org_words
        ):
            return True  # "Bank of America", "Acoustical Society of America"
    k = i + size
    if k < len(tokens) and tokens[k].joined and not tokens[k - 1].possessive:
        after = tokens[k].text
        if after[:1].isupper() and not _neutral(after, lex):
            return True
        for ahead in range(k, min(k + 4, len(tokens))):  # "Massachusetts General Hospital"
            if not (tokens[ahead].joined and tokens[ahead].text[:1].isupper()):
                break
            if tokens[ahead].text in lex.org_words:
                return True
    return False


def _neutral(word: str, lex: Lexicon) -> bool:
    """Capitalised words that may touch a place name without being part of it."""
    return (
        word in STOPWORDS
        or word.rstrip(".").lower() in _title_words()
        or word in lex.places
        or word in lex.organisations
    )


@functools.cache
def _title_words() -> frozenset[str]:
    return frozenset(w for t in lexicon().titles for w in t.split() if w not in ("of", "the"))


def _introduced_organisations(text: str, lex: Lexicon, add, surnames: set[str]) -> None:
    """ "the National Rifle Association (NRA)": a name the article defines is a topic."""
    for match in INTRODUCED_ORG.finditer(text):
        name, acronym = match.group(1), match.group(2)
        if name.startswith("The "):
            name = name[4:]
        owner = re.match(r"^(\S+)['’]s ", name)
        if owner and owner.group(1) in surnames:
            name = name[owner.end() :]  # "Erdoğan's Justice and Development Party"
        words = name.split()
        while words and words[0] in lex.places and lex.places[words[0]].demonym:
            words = words[1:]  # "Mexican Sinaloa Cartel" -> the cartel
        name = " ".join(words)
        if len(words) < 2 or name in lex.organisations or name in lex.places:
            continue
        if acronym in lex.organisations or words[0] in lex.first_names and len(words) == 2:
            continue
        if not _looks_like_acronym(acronym, words):
            continue  # "Running Earbuds (Black)": a colour in brackets, not a name's initials
        if _head_word(words) not in lex.org_words:
            continue  # "Async Task Framework (ATF)", "Named Binary Tag (NBT)": not a body
        mentions = text.count(name) + len(re.findall(rf"\b{re.escape(acronym)}\b", text)) - 1
        add(name, max(1, mentions), match.start())


def _head_word(words: list[str]) -> str:
    """The word that says what a name is: the last one, or the one before "of"/"for"
    ("Justice and Development Party", "Bank of England", "Association for ...")."""
    for k, word in enumerate(words):
        if k and word in ("of", "for"):
            return words[k - 1]
    return words[-1]


def _looks_like_acronym(acronym: str, words: list[str]) -> bool:
    """Capitals that could stand for the name: "NRA", "EGRP", "MoD"; not "(Black)"."""
    capitals = sum(c.isupper() for c in acronym)
    return (
        capitals >= 2
        and sum(c.islower() for c in acronym) <= 1
        and acronym[0] == words[0][0].upper()
    )


# -- ranking --------------------------------------------------------------------------------


def rank_topics(
    candidates: Counter[str],
    stats: TopicStats | None = None,
    limit: int = 8,
    exclude: Iterable[str] = (),
) -> list[str]:
    """The most central topics: log-scaled mentions x rarity, best first, at most `limit`."""
    skip = {e.casefold() for e in exclude}
    scored = []
    for topic, weight in candidates.items():
        if weight <= 0 or topic.casefold() in skip:
            continue
        tf = 1 + math.log(weight) if weight >= 1 else weight
        idf = stats.idf(topic) if stats is not None else 1.0
        scored.append((tf * idf, topic))
    if not scored:
        return []
    scored.sort(key=lambda st: (-st[0], st[1]))
    strong = [(s, t) for s, t in scored if candidates[t] >= 1.0]
    if not strong:
        return [scored[0][1]]  # every article gets one topic, even a weak one
    best = strong[0][0]
    return [topic for score, topic in strong[:limit] if score >= KEEP_SHARE * best]
