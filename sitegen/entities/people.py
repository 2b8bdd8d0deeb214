"""Rules backend: the people named in one article's title and body. No I/O; the only
model is a small logistic regression read from package data (people_model.py).

How a name is found:
1. Runs of capitalised words are cut into blocks at titles ("President", "Gov.", "Lt.
   Gov.", sports positions such as "DL" or "QB"), places, demonyms and "-born" adjectives
   ("Russian", "Australian-born"), organisation words ("House", "Statehouse", "Lakers"),
   acronyms and function words. A block followed by an organisation word ("Rosa Parks
   Elementary School") or by "(ACRONYM)" names an institution, not a person, and so do
   the same words elsewhere in the article ("St Brigid's Hospital" ... "St Brigid's").
   Page text glued together ("Ocasio-CortezAlexandria") is split before a given name.
2. A block of two or more words is weighed by the model over named features
   (`Finder.features`): the hand-written cue rules (`rules_accept`: a given name from the
   shipped list, a title or role before it, a speech verb after or before it, an
   apposition, the surname used alone elsewhere...), and signals the rules could not
   settle (ordinary English words, companies, list lines, quotes, "the" before...). A few
   vetoes stay rules (known non-people, "George W."), and so does one cue the training
   gold has no examples of ("Park Ji-won"). Credits ("By X", "Edited by X") are dropped.
3. A single word is a person after an honorific or a capitalised title ("Mr Mattis",
   "President Trump"; a royal title stays in the name: "King Charles"), or when the
   model's single-word part is sure ("his wife Grace", "Kogonada's film").
4. A second pass counts bare surnames and short forms ("Ushakov", "Huckabee Sanders",
   "Trump-Putin") toward names found in full; they never create a person by themselves.
Within-article merging ("Trump" -> "Donald Trump", "Patrick W. Carlineo" -> "Patrick
Carlineo Jr.") is `aliases.resolve_in_article`. The model is fitted by
scripts/train_people.py; `find_people(..., model=RULES_ONLY)` decides by the rules alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from sitegen.entities.aliases import Mention, resolve_in_article
from sitegen.entities.lexicon import Lexicon, fold, lexicon
from sitegen.entities.lexicon import words as _words
from sitegen.entities.people_model import PeopleModel, people_model

WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w'’\-\u00ad]*[^\W_])?")
#: Markdown link targets, raw HTML tags and bare URLs: blanked so they never look like text.
NOISE = re.compile(r"\]\([^)\n]*\)|<[^>\n]{1,200}>|https?://\S+|www\.\S+")
#: 'Joaquín "El Chapo" Guzmán': the nickname is blanked so the name reads as one run.
NICKNAME = re.compile(
    r"(?<=[^\W\d_]) [\"“‘'](?:[A-Z][\w'’.\-]*)(?: [A-Z][\w'’.\-]*){0,2}[\"”’'] (?=[A-Z])"
)
APPOSITION = re.compile(
    r"\s*,\s*(?:(who|whose)\b|(\d{1,3})\s*,|(?:a|an|the|his|her|their|[A-Z][\w\-]*['’]s)\s+((?:[\w'’\-]+\s+){0,4}?)([a-z][\w\-]*))"
)
PEERAGE = re.compile(
    r"\b(Prince|Princess|Duke|Duchess|Earl|Countess|Marquess|Baroness)\s+(of)\s+([A-Z][a-z]+)\b"
)
#: ", head of the agency": a role right after the comma, no article.
ROLE_AFTER = re.compile(
    r"\s*,\s*(?:former\s+|deputy\s+|chief\s+|then\s+)?([a-z][\w\-]*)\s+(?:of|at|for|to|in)\b"
)
ACRONYM_AFTER = re.compile(r"\s*\(\s*[A-Z][A-Z0-9&\-]{1,9}\s*\)")

ABBREVIATIONS = _words("""Mr Mrs Ms Dr Jr Sr St Sen Rep Gov Gen Lt Col Sgt Capt Prof Rev Adm Maj Cmdr Cpl Pvt
    Brig Mt Ft Supt Insp Det Hon Pres Sec Amb Atty Asst Assoc Dep Lieut Sens Reps Govs""")
#: Sports positions and office abbreviations written before a name ("Browns DL Sheldon
#: Richardson", "F Hamidou Diallo", "Nationals GM Mike Rizzo", "Apple CEO Tim Cook");
#: exact case, no final ".", so "F." stays an initial.
POSITIONS = _words("""QB RB FB WR TE OL OT OG DL DE DT NT LB ILB OLB MLB CB DB FS SS LS
    PG SG SF PF GK LHP RHP SP RP OF F G C GM AGM CEO CFO COO CTO CMO VP SVP EVP MP MEP
    MSP DA AG""")
#: "P.J. Fleck", "J.R.R. Tolkien": initials written together are part of a name.
JOINED_INITIALS = re.compile(r"(?:[A-Z]\.){2,3}")
#: "Ocasio-CortezAlexandria": a page's text glued to the next block (see _split_glued).
GLUED = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
#: "Edited by", "Photo by": credits, not people of the story.
CREDIT_WORDS = _words("""edited written reported posted photo photos photograph photographs
    photography illustration illustrations graphic graphics video produced compiled""")
#: "Photograph: " right before a name: a caption's credit.
_CREDIT_COLON = re.compile(
    r"\b(?:photo|photos|photograph|photography|picture|image|credit|illustration|video)\s*:\s*$",
    re.I,
)
#: "his wife Grace", "son Malachi": relatives named by a given name alone.
KIN_WORDS = _words("""wife husband son daughter brother sister mother father mom dad mum
    grandson granddaughter grandmother grandfather nephew niece cousin uncle aunt partner
    fiancee fiancée fiance boyfriend girlfriend widow widower""")
OPENING_QUOTES = frozenset("\"“‘'")
#: The end of a quoted title right after a block: "Super Mario Run," / 'Forza Horizon 3'.
CLOSING_QUOTE = re.compile(r"[\s\d,.:!?]{0,4}[\"”’']")
#: Title words that are also surnames and may end a name: "Martin Luther King Jr.".
TITLE_SURNAMES = _words("king bishop major marshal judge dean cardinal pope prince knight")
#: Longer capitalised stretches are headings or shouting, not names.
MAX_BLOCK = 12
SUFFIXES = frozenset(["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"])
PARTICLES = _words(
    "da de del della der di do dos das du van von den ter ten la le bin bint ibn al el y zu af"
)
PARTICLE_PREFIX = re.compile(
    r"^(?:al|el|ad|an|ar|as|ash|at|az|ul|ud|bin|ibn|abu|abd|ben|ould)-[A-Z]"
)
STOPWORDS = _words("""The A An In On At By Of To For From With Without About After Before During Since Until
    And But Or Nor So Yet If When While Where Whereas Though Although Because As Than Then
    This That These Those There Here It Its He She They We I You Him Her Them Us Me My Our
    Your Their His Hers Who Whom Whose What Which Why How Not No Yes All Any Both Each Every
    Some Many Most Much More Less Few Several Such Only Also Even Still Just Now Once Again
    Meanwhile However Moreover Furthermore Despite Amid Among Against Under Over Between
    Through Across Toward Towards Upon Into Onto Via Per Is Are Was Were Be Been Being Do Does
    Did Has Have Had Will Would Shall Should Can Could May Might Must Last Next Early Late
    Earlier Later Today Tonight Yesterday Tomorrow Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday January February March April June July August September October
    November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Wed Thu Fri
    Sat Sun Mr I'm I've I'll I'd Related Photo Photos Video Watch Read Click Subscribe Advertisement Breaking
    Update Updated Exclusive Opinion Analysis Editorial Live Sponsored Source Sources Credit
    Getty Images Reuters AFP AP EPA One Two Three Four Five Six Seven Eight Nine Ten
    Longtime Veteran Former Ex Then Newly Embattled Ousted Beleaguered Disgraced Late""")
ADVERBS_AFTER_NAME = _words(
    "also later then has had have would will previously earlier once again recently reportedly further quickly first"
)
#: '"...," said Gary Black'. Not "told" or "according to": those mostly name outlets.
VERBS_BEFORE_NAME = _words("said says added wrote asked")
EAST_ASIAN_GIVEN = re.compile(r"^[A-Z][a-z]{1,5}-[a-z]{1,5}$")
#: Organisation words that are also surnames written first ("Park Ji-won").
SURNAME_FIRST = _words("Park")
#: Titles kept with a lone surname: "Lord Hodge", "Lady Gaga".
PEER_TITLES = _words("lord lady baroness baron")
OPEN_QUOTES = frozenset("\"“‘'«(")
VESSELS = _words("USS HMS HMAS HMCS HMNZS INS MV RMS SS USNS")
CONNECTORS = _words("of for on and de du des")
#: Titles that make a lone capitalised word a person: "President Trump", "Judge Cannon".
STRONG_TITLES = _words("""president premier chancellor governor senator sen rep representative congressman
    congresswoman mayor minister secretary speaker ambassador envoy judge justice general gen
    admiral adm colonel col lieutenant lt major maj captain capt sergeant sgt commander
    officer detective inspector sheriff chairman chairwoman professor prof pope king queen
    prince princess sheikh ayatollah cardinal archbishop bishop rev reverend father rabbi
    imam emir sultan commissioner councilmember councillor councilman councilwoman alderman
    coach prosecutor superintendent marshal chief""")

# token kinds inside a capitalised run
NAME, TITLE, ORG, PLACE, ACRONYM, STOP = range(6)


class Token:
    __slots__ = ("text", "start", "end", "sent_start", "joined", "possessive", "headline")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.sent_start = False
        self.joined = False  # only spaces separate it from the previous token
        self.possessive = False
        self.headline = False


@dataclass
class Block:
    """A stretch of name-like words inside one capitalised run."""

    tokens: list[Token]
    title_before: Token | None = None  # the title word right before, if any
    institution: bool = False  # followed by an organisation word or "(ACRONYM)"
    named_after: Token | None = None  # an acronym, place or organisation right before it
    headline: bool = False


@dataclass
class PeopleResult:
    names: list[str]  # canonical within the article, most mentioned first
    spans: list[tuple[int, int]] = field(default_factory=list)  # offsets in title+"\n\n"+body
    tokens: list[Token] = field(default_factory=list, repr=False)  # for the topic finder


def article_text(title: str, body: str) -> str:
    """The one string every backend reads: title, blank line, body."""
    return f"{title.strip()}\n\n{body}"


def _split_glued(word: str, first_names: frozenset[str]) -> list[tuple[int, str]]:
    """ "Ocasio-CortezAlexandria" -> "Ocasio-Cortez", "Alexandria": split where a given name
    starts right after a word of 4+ letters (so "McDonald", "LeBron", "DeAndre" stay)."""
    pieces = [(0, word)]
    for match in GLUED.finditer(word):
        cut = match.start()
        left_start, left = pieces[-1]
        local = cut - left_start
        segment = re.split(r"[-'’]", left[:local])[-1]
        right = re.match(r"[A-Z][a-z]+", word[cut:])
        if len(segment) >= 4 and right and right.group() in first_names:
            pieces[-1] = (left_start, left[:local])
            pieces.append((cut, word[cut:]))
    return pieces


def tokenize(text: str, first_names: frozenset[str] = frozenset()) -> list[Token]:
    """Words with the facts the rules need: sentence starts, joins, possessives."""
    text = NOISE.sub(lambda m: " " * len(m.group()), text)
    text = NICKNAME.sub(lambda m: " " * len(m.group()), text)
    tokens: list[Token] = []
    prev_end = 0
    prev: Token | None = None
    for match in WORD.finditer(text):
        pieces = [(0, match.group())]
        if first_names and GLUED.search(match.group()):
            pieces = _split_glued(match.group(), first_names)
        for offset, word in pieces:
            start = match.start() + offset
            end = start + len(word)
            if end < len(text) and text[end] == "." and (word in ABBREVIATIONS or len(word) == 1):
                end += 1
                word += "."
            token = Token(word, start, end)
            gap = text[prev_end:start]
            if prev is None or offset:
                token.sent_start = True  # a glued piece starts a new block of the page
            elif gap.strip(" \t\u00a0") == "" and not prev.possessive:
                token.joined = True
            elif any(c in ".!?\n:;" for c in gap) or (
                gap.strip() and gap.strip()[-1] in OPEN_QUOTES
            ):
                token.sent_start = not (gap.strip() == "." and prev.text in ABBREVIATIONS)
            if word.endswith(("'s", "’s")) and len(word) > 2:
                token.text = word[:-2]
                token.possessive = True
            token.text = token.text.replace("’", "'").replace("\u00ad", "")  # soft hyphens
            tokens.append(token)
            prev, prev_end = token, end
    _mark_headlines(text, tokens)
    return tokens


def _mark_headlines(text: str, tokens: list[Token]) -> None:
    """Flag lines written in headline case, where capitals say nothing about names."""
    line_start = 0
    i = 0
    n = len(tokens)
    while i < n:
        line_end = text.find("\n", tokens[i].start)
        line_end = len(text) if line_end < 0 else line_end
        j = i
        while j < n and tokens[j].start < line_end:
            j += 1
        words = [t for t in tokens[i:j] if t.text not in STOPWORDS or t is tokens[i]]
        line = text[line_start:line_end]
        # "Colorado: Ryan Call, Laura Carno, ...": a list of names, not a headline
        if len(words) >= 3 and line.count(",") < 3:
            caps = sum(1 for t in words if t.text[0].isupper())
            tail = line.rstrip()
            if caps / len(words) >= 0.75 and not tail.endswith((".", '?"', '."', ".”")):
                for t in tokens[i:j]:
                    t.headline = True
        line_start = line_end + 1
        i = j


def _org_compound(word: str, lex: Lexicon) -> bool:
    """ "League-Nawaz", "Saint-Germain": a hyphenated word with an organisation or place part."""
    if "-" not in word:
        return False
    head, _, rest = word.partition("-")
    return head in ("Saint", "San", "Santa", "St") or any(
        part in lex.org_words for part in (head, *rest.split("-"))
    )


def _is_cap(token: Token) -> bool:
    first = token.text[0]
    return first.isupper() or bool(PARTICLE_PREFIX.match(token.text))


def _runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """[start, end) index ranges of capitalised runs; lower-case particles join them."""
    runs = []
    i, n = 0, len(tokens)
    while i < n:
        if not _is_cap(tokens[i]):
            i += 1
            continue
        j = i + 1
        while j < n and tokens[j].joined and not tokens[j - 1].possessive:
            if _is_cap(tokens[j]):
                j += 1
            elif tokens[j].text in PARTICLES:
                k = j  # "von der Leyen": particles count only if a capital follows
                while k < n and tokens[k].joined and tokens[k].text in PARTICLES:
                    k += 1
                if k < n and k > j and tokens[k].joined and _is_cap(tokens[k]):
                    j = k + 1
                else:
                    break
            else:
                break
        runs.append((i, j))
        i = j
    return runs


class Finder:
    """One article's worth of rule evaluation; built per call, cheap."""

    def __init__(
        self,
        text: str,
        lex: Lexicon,
        model: PeopleModel | None = None,
        spacy_keys: frozenset[str] | None = None,
    ) -> None:
        self.text = text
        self.lex = lex
        self.model = model
        self.spacy_keys = spacy_keys  # hybrid backend: spaCy's PERSON names, folded
        self.tokens = tokenize(text, lex.first_names)
        self.lower_words = {t.text for t in self.tokens if t.text.islower()}
        self.title_words = {w for t in lex.titles for w in t.split() if w not in ("of", "the")}
        self.body_caps = {t.text for t in self.tokens if not t.headline and t.text[:1].isupper()}

    # -- classification -------------------------------------------------------------
    def kind(self, i: int, end: int) -> int:
        token = self.tokens[i]
        word = token.text
        lex = self.lex
        if (
            i >= 2
            and token.joined
            and self.tokens[i - 1].joined
            and self.tokens[i - 1].text.lower() in PARTICLES
            and word[:1].isupper()
            and word not in lex.places
        ):
            return NAME  # after a particle inside a name: "Armin Le Grand", "Court de Gébelin"
        if word in STOPWORDS and (token.sent_start or word not in lex.first_names):
            return STOP
        if word in lex.org_words or _org_compound(word, lex):
            if word in SURNAME_FIRST and i + 1 < end and self._starts_name(i, end):
                return NAME  # "Park Ji-won": a surname that is also an organisation word
            return ORG
        lower = word.rstrip(".").lower()
        if lower in self.title_words and word not in SUFFIXES:
            return TITLE
        if word in POSITIONS and i + 2 < end and (len(word) > 1 or self._run_start(i)):
            return TITLE  # "DL Sheldon Richardson", "F Hamidou Diallo"
        if lower.endswith(("-born", "-based", "-raised", "-bred")):
            return PLACE  # "Australian-born Assange"
        if JOINED_INITIALS.fullmatch(word) and i + 1 < end:
            return NAME  # "P.J. Fleck"
        if "-" in lower and all(part in self.title_words for part in lower.split("-")):
            return TITLE  # "Prosecutor-General"
        if word in lex.places or word in lex.organisations:
            nxt = i + 1
            if word in lex.first_names and nxt < end and self._plain_name(self.tokens[nxt]):
                return NAME  # "Israel Katz", "Jordan Bardella"
            return PLACE
        if len(word) >= 2 and word.isupper() and word not in SUFFIXES:
            nxt = i + 1
            if len(word) == 2 and nxt < end and not self.tokens[nxt].text.isupper():
                return NAME  # initials: "JD Vance"
            return ACRONYM
        return NAME

    def _run_start(self, i: int) -> bool:
        return i == 0 or not self.tokens[i].joined or not _is_cap(self.tokens[i - 1])

    def _starts_name(self, i: int, end: int) -> bool:
        """An organisation word first in a run, then only plain name words: "Park Ji-won"."""
        if i > 0 and self.tokens[i].joined and _is_cap(self.tokens[i - 1]):
            return False  # not first in its run
        rest = self.tokens[i + 1 : end]
        return bool(rest) and all(self._plain_name(t) for t in rest)

    def _plain_name(self, token: Token) -> bool:
        word = token.text
        lex = self.lex
        return not (
            word in lex.org_words
            or word in lex.places
            or word in lex.organisations
            or word in STOPWORDS
            or word.rstrip(".").lower() in self.title_words
        )

    def is_everyday(self, token: Token) -> bool:
        lower = token.text.lower()
        return lower in self.lower_words or lower in self.lex.everyday_words

    def is_wordlike(self, token: Token) -> bool:
        return token.text.lower() in self.lower_words

    def first_name_cue(self, token: Token) -> bool:
        word = token.text
        if word not in self.lex.first_names:
            return False
        if word in self.lex.places or word in self.lex.organisations:
            return False  # "France Unbowed", "Paris Saint": a place first needs another cue
        if word in self.lex.wordlike_first_names or self.is_wordlike(token):
            return not (token.sent_start or token.headline)
        return True

    # -- blocks ---------------------------------------------------------------------
    def blocks(self) -> list[Block]:
        """Candidate blocks: name-like stretches of each capitalised run, with their context."""
        found: list[Block] = []
        tokens = self.tokens
        for start, end in _runs(tokens):
            kinds = [self.kind(i, end) for i in range(start, end)]
            i = start
            while i < end:
                if kinds[i - start] != NAME:
                    i += 1
                    continue
                j = i + 1
                while j < end:
                    k = kinds[j - start]
                    # a title word inside a name only at its end: "Martin Luther King Jr."
                    if k == NAME or (
                        k == TITLE
                        and tokens[j].text.lower() in TITLE_SURNAMES
                        and (j + 1 == end or tokens[j + 1].text in SUFFIXES)
                    ):
                        j += 1
                    else:
                        break
                block = Block(tokens[i:j], headline=tokens[i].headline)
                if i > start and kinds[i - 1 - start] == TITLE:
                    block.title_before = tokens[i - 1]
                elif i > start and kinds[i - 1 - start] in (ACRONYM, PLACE, ORG):
                    block.named_after = tokens[i - 1]
                elif i == start and i > 0:
                    before = tokens[i - 1]
                    gap = self.text[before.end : tokens[i].start]
                    if before.text.lower().rstrip(".") in self.title_words and gap.strip() in (
                        "",
                        ",",
                    ):
                        block.title_before = before
                block.institution = (
                    (block.named_after is not None and block.named_after.text in VESSELS)
                    or (j < end and kinds[j - start] == ORG)
                    or (j == end and self._institution_after(j))
                    or (i == start and self._institution_before(i))
                )
                found.append(block)
                i = j
        return found

    def _institution_after(self, j: int) -> bool:
        """ "(NRA)" after the run, or a possessive then an organisation word ("Children's Hospital")."""
        last = self.tokens[j - 1]
        if ACRONYM_AFTER.match(self.text, last.end):
            return True
        if not last.possessive or j >= len(self.tokens):
            return False
        after = self.tokens[j]
        return not self.text[last.end : after.start].strip() and after.text in self.lex.org_words

    def _institution_before(self, i: int) -> bool:
        """ "the Lok Sabha", "Institute for Fiscal Studies": names of things, not people."""
        if i == 0:
            return False
        before = self.tokens[i - 1]
        gap = self.text[before.end : self.tokens[i].start]
        if gap.strip():
            return False
        if before.text in ("the", "The") and not self.tokens[i].sent_start:
            return True
        if before.text in CONNECTORS and i >= 2:
            owner = self.tokens[i - 2]
            return owner.text in self.lex.org_words or _org_compound(owner.text, self.lex)
        return False

    def trim_leading(self, block: Block) -> None:
        """Drop capitalised words before a given name: "Following Donald Trump", "Ex-Aide Hope"."""
        toks = block.tokens
        if len(toks) < 3 or self.first_name_cue(toks[0]):
            return
        for k in range(1, len(toks) - 1):
            if toks[k].text in self.lex.first_names:
                lead = toks[:k]
                if lead[0].headline or all(
                    self.is_everyday(t) or t.text in self.lex.places for t in lead
                ):
                    block.tokens = toks[k:]
                    block.title_before = None
                return

    def speech_after(self, block: Block) -> bool:
        last = block.tokens[-1]
        idx = self._index(last) + 1
        for _ in range(3):
            if idx >= len(self.tokens):
                return False
            token = self.tokens[idx]
            gap = self.text[self.tokens[idx - 1].end : token.start]
            if gap.strip() != "":
                return False
            word = token.text.lower()
            if word in self.lex.speech_verbs:
                return True
            if word not in ADVERBS_AFTER_NAME:
                return False
            idx += 1
        return False

    def byline(self, block: Block) -> bool:
        """ "By Julia Horowitz" at a line start or in the title, "Edited by Swati Bhasin",
        "Photo by ...", "Photograph: Stephanie Keith/Reuters", "(Evan Mitsui/CBC)": the
        page's credits, not someone the article names."""
        first = block.tokens[0]
        if self.photo_credit(block):
            return True
        idx = self._index(first) - 1
        if idx < 0 or self.tokens[idx].text not in ("by", "By"):
            return False
        by = self.tokens[idx]
        if self.text[by.end : first.start].strip():
            return False
        line_start = self.text.rfind("\n", 0, by.start) + 1
        if not self.text[line_start : by.start].strip() or line_start == 0:
            return True  # a line starting "By", or the title
        return idx > 0 and self.tokens[idx - 1].text.lower() in CREDIT_WORDS

    def photo_credit(self, block: Block) -> bool:
        """A name glued to an agency by a slash ("Win McNamee/Getty Images") or after a
        credit word and a colon ("Photograph: Jo Roe", "Credit: Jo Roe")."""
        after = self.text[block.tokens[-1].end : block.tokens[-1].end + 2]
        if after[:1] == "/" and after[1:2].isupper():
            return True
        before = self.text[max(0, block.tokens[0].start - 16) : block.tokens[0].start]
        return bool(_CREDIT_COLON.search(before))

    def speech_before(self, block: Block) -> bool:
        idx = self._index(block.tokens[0]) - 1
        if idx < 0:
            return False
        token = self.tokens[idx]
        gap = self.text[token.end : block.tokens[0].start]
        return token.text.lower() in VERBS_BEFORE_NAME and gap.strip() == ""

    def apposition(self, block: Block) -> bool:
        role = ROLE_AFTER.match(self.text, block.tokens[-1].end)
        if role and role.group(1) in self.lex.titles:
            return True
        match = APPOSITION.match(self.text, block.tokens[-1].end)
        if not match:
            return False
        if match.group(1) or match.group(2):
            return True
        return match.group(4) in self.lex.titles

    def _index(self, token: Token) -> int:
        return self._positions[token.start]

    # -- decisions --------------------------------------------------------------------
    def run(self) -> list[Mention]:
        self._positions = {t.start: k for k, t in enumerate(self.tokens)}
        every = self.blocks()
        # names of things named after people ("St Brigid's Hospital", "Rosa Parks
        # Elementary School"): the same words elsewhere in the article name the thing too
        self.thing_names = {self._words_with_title(b) for b in every if b.institution}
        blocks = [b for b in every if not b.institution]
        blocks = [b for b in blocks if len(b.tokens) <= MAX_BLOCK]
        for block in blocks:
            self.trim_leading(block)
        # surnames used alone somewhere in the article, outside headlines
        self.bare = {b.tokens[0].text for b in blocks if len(b.tokens) == 1 and not b.headline}
        self.full_counts = Counter(tuple(t.text for t in b.tokens) for b in blocks)
        mentions: list[Mention] = self.peerage()
        self.weighed: list[tuple[tuple[str, ...], dict[str, float]]] = []
        self.weighed_single: list[tuple[tuple[str, ...], dict[str, float]]] = []
        lone: dict[str, list[Block]] = {}
        for block in blocks:
            toks = block.tokens
            words = tuple(t.text for t in toks)
            span = (toks[0].start, toks[-1].end)
            if self._names_a_thing(block) or self.byline(block):
                accepted = False
            elif len(toks) >= 2:
                accepted = self.accept_full(block)
                if self.model is None and not self.vetoed(block):
                    self.weighed.append((words, self.features(block)))
            else:
                accepted, words, span = self.accept_single(block, words, span)
                if not accepted and not block.headline:
                    lone.setdefault(words[0], []).append(block)
            mentions.append(Mention(words, span, accepted))
            if not accepted:
                self.add_pieces(toks, mentions)
        mentions += self.lone_names(lone, mentions)
        return mentions

    def lone_names(self, lone: dict[str, list[Block]], mentions: list[Mention]) -> list[Mention]:
        """One-word names with no title before them ("Modi said", "Kogonada's film"),
        weighed by the model's single-word part; a word that is part of a name found in
        full is left to the second pass (it joins that person)."""
        single = self.model.single if self.model is not None else None
        if single is None and self.model is not None:
            return []
        parts = {w for m in mentions if m.accepted for w in m.words}
        out = []
        for word, blocks in lone.items():
            if word in parts or fold(word) in self.lex.not_people:
                continue
            values = self.single_features(word, blocks)
            if single is None:
                self.weighed_single.append(((word,), values))
            elif single.accepts(values):
                first = blocks[0].tokens[0]
                out.append(Mention((word,), (first.start, first.end), True))
        return out

    def single_features(self, word: str, blocks: list[Block]) -> dict[str, float]:
        """Signals for a lone capitalised word, over all its lone uses in the article.

        speech: "Modi said"; possessive: "Kogonada's"; mid_sentence: used away from a
        sentence start; count_2, count_4: how often; dictionary, lower: an English word or
        one the article writes in lower case; given_name, place, company: in those lists;
        unknown: none of those; kin_before: "his wife Grace"; role_before: a lower-case
        role right before ("director Kogonada"); the_before: "the X"; title_before: a
        title the single-word rule did not take; enumeration: in a list; hyphen; short:
        3 letters or fewer; caps: written in capitals."""
        lex = self.lex
        lower = word.lower()
        dictionary = lower in lex.everyday_words
        lowered = lower in self.lower_words
        given = word in lex.first_names
        place = word in lex.places
        company = word in lex.organisations
        kin = role = the = titled = enum = speech = possessive = mid = False
        for block in blocks:
            tok = block.tokens[0]
            idx = self._index(tok)
            prev = self.tokens[idx - 1] if idx > 0 else None
            gap = self.text[prev.end : tok.start] if prev is not None else ""
            if prev is not None and gap == " ":
                kin = kin or prev.text in KIN_WORDS
                role = role or (prev.text.islower() and prev.text in lex.titles)
                the = the or prev.text in ("the", "The")
            titled = titled or block.title_before is not None
            enum = enum or gap == ", " or self.text[tok.end : tok.end + 2] == ", "
            speech = speech or self.speech_after(block) or self.speech_before(block)
            possessive = possessive or tok.possessive
            mid = mid or not tok.sent_start
        values = {
            "speech": speech,
            "possessive": possessive,
            "mid_sentence": mid,
            "count_2": len(blocks) >= 2,
            "count_4": len(blocks) >= 4,
            "dictionary": dictionary,
            "lower": lowered,
            "given_name": given,
            "place": place,
            "company": company,
            "unknown": not (dictionary or lowered or given or place or company),
            "kin_before": kin,
            "role_before": role,
            "the_before": the,
            "title_before": titled,
            "enumeration": enum,
            "hyphen": "-" in word,
            "short": len(word) <= 3,
            "caps": word.isupper(),
        }
        return {k: 1.0 for k, v in values.items() if v}

    @staticmethod
    def _words_with_title(block: Block) -> tuple[str, ...]:
        words = tuple(t.text for t in block.tokens)
        title = block.title_before
        return (title.text.rstrip("."), *words) if title is not None else words

    def _names_a_thing(self, block: Block) -> bool:
        """The words name a hospital, school, street... elsewhere in this article, and no
        speech verb or apposition says they are a person here ("St Brigid's was full")."""
        if self._words_with_title(block) not in self.thing_names:
            return False
        return not (self.speech_after(block) or self.speech_before(block) or self.apposition(block))

    def peerage(self) -> list[Mention]:
        """ "the Princess of Wales", "the Duke of Sussex": people named by a title alone."""
        return [
            Mention(tuple(m.group(1, 2, 3)), m.span(), True) for m in PEERAGE.finditer(self.text)
        ]

    def accept_single(
        self, block: Block, words: tuple[str, ...], span: tuple[int, int]
    ) -> tuple[bool, tuple[str, ...], tuple[int, int]]:
        """A lone word is a person only right after an honorific or a capitalised title."""
        title_token = block.title_before
        single = block.tokens[0]
        if title_token is None or not title_token.text[0].isupper():
            return False, words, span
        if self.tokens[self._index(single) - 1] is not title_token:
            return False, words, span
        title = title_token.text.lower().rstrip(".")
        lex = self.lex
        if title not in lex.honorifics and title not in STRONG_TITLES:
            return False, words, span
        if title_token.possessive:
            return False, words, span
        nxt = self._index(single) + 1
        if (
            nxt < len(self.tokens)
            and self.tokens[nxt].joined
            and self.tokens[nxt].text.lower().rstrip(".") in self.title_words
        ):
            return False, words, span  # "Chief Medical Officer": inside a compound title
        if title not in lex.honorifics and self.is_wordlike(single):
            return False, words, span
        if block.headline and single.text not in self.body_caps:
            return False, words, span
        if fold(single.text) in lex.not_people or len(single.text.rstrip(".")) < 2:
            return False, words, span
        if (title in lex.royal_titles and single.text in lex.first_names) or title in PEER_TITLES:
            return True, (title_token.text, single.text), (title_token.start, single.end)
        return True, words, span

    def add_pieces(self, toks: list[Token], mentions: list[Mention]) -> None:
        """Parts of an unaccepted block, for the second pass: "Trump-Putin", "Invited Putin"."""
        for t in toks:
            if "-" in t.text:
                for part in t.text.split("-"):
                    if part[:1].isupper():
                        mentions.append(Mention((part,), (t.start, t.end), False))
            if len(toks) > 1:
                mentions.append(Mention((t.text,), (t.start, t.end), False))
        for size in range(2, min(len(toks), 5)):  # "Ribeiro da Silva" inside a headline run
            for k in range(len(toks) - size + 1):
                piece = toks[k : k + size]
                words = tuple(t.text for t in piece)
                mentions.append(Mention(words, (piece[0].start, piece[-1].end), False))

    def vetoed(self, block: Block) -> bool:
        """Never a person, whatever the cues: too long, a known non-person, "George W."."""
        toks = block.tokens
        lex = self.lex
        if len(toks) > 6 or toks[-1].text in PARTICLES:
            return True
        folded = fold(" ".join(t.text for t in toks))
        if folded in lex.not_people or any(
            folded.endswith(" " + bad) for bad in _tail_forms(folded) if bad in lex.not_people
        ):
            return True
        return not any(_is_cap(t) and len(t.text.rstrip(".")) > 1 for t in toks[1:])

    def accept_full(self, block: Block) -> bool:
        """A block of two or more words: vetoes first, then the model weighs the cues."""
        if self.vetoed(block):
            return False
        model = self.model
        if model is None:
            return self.rules_accept(block)
        if self.east_asian(block):
            return True  # a rule the training gold has no examples of: kept as a rule
        return model.accepts(self.features(block))

    def east_asian(self, block: Block) -> bool:
        """ "Park Ji-won", "Lee Jae-myung", "Tsai Ing-wen": family name, hyphenated given name."""
        toks = block.tokens
        return (
            len(toks) == 2 and len(toks[0].text) <= 5 and bool(EAST_ASIAN_GIVEN.match(toks[1].text))
        )

    def list_line(self, block: Block) -> bool:
        """The block stands in a list: alone on its line, or in a line of short
        comma-separated items ("Colorado: Ryan Call, Laura Carno, ...")."""
        toks = block.tokens
        start = self.text.rfind("\n", 0, toks[0].start) + 1
        end = self.text.find("\n", toks[-1].end)
        line = self.text[start : end if end >= 0 else len(self.text)]
        if line.strip(" \t*-•·") == self.text[toks[0].start : toks[-1].end]:
            return True
        items = line.split(",")
        return len(items) >= 4 and sum(len(i.split()) for i in items) <= 4 * len(items)

    def features(self, block: Block) -> dict[str, float]:
        """The named signals the model weighs for one candidate block (each 0 or 1).

        rules: the hand-written cue rules say person (first name, title, speech, ...);
        first_name: the first word is a given name (cue as `first_name_cue` reads it);
        given_anywhere: some word other than the last is a given name;
        title_before / strong_title / honorific: a title or role right before;
        speech: a speech verb right after or before; apposition: ", who", ", 45,", ", a lawyer";
        surname_alone: the last word is used alone elsewhere in the article;
        named_after: an acronym, place or organisation right before ("NYU Langone");
        headline: in a headline-case line; list_line: a line of comma-separated names or a
        line that is the name alone (rosters, tables); lower_*: words the article also writes
        in lower case ("Survival Rations"); dictionary_*: words in the English word list
        (also surnames: Bush, Pence); unknown_last: a last word that is no English word,
        given name, place or company (Buchholz, Romney); company_word: a known company or
        organisation name inside ("Apple Pay"); role_before: a lower-case role right before
        ("nominee Mitt Romney"); enumeration: between commas or after "and" (lists of
        players); given_name: the first word is in the given-name list at all; place_word: a place or
        demonym inside; caps_word: a word in capitals; initial, particle, hyphen, suffix:
        the shape of the name; words_2, words_3, words_4: its length; possessive: ends in 's;
        the_before: "the" right before (titles of things: "the Klein Bottle"); in_quotes:
        the whole block in quotes ("Super Mario Run," 'Forza Horizon 3': titles of works);
        repeated: the same full form occurs more than once.
        """
        toks = block.tokens
        lex = self.lex
        n = len(toks)
        title = block.title_before
        title_word = title.text.lower().rstrip(".") if title is not None else ""
        lowered = [t.text.lower() in self.lower_words for t in toks]
        dictionary = [t.text.lower() in lex.everyday_words for t in toks]
        first, last = toks[0], toks[-1]
        prev = self._index(first) - 1
        prev_token = self.tokens[prev] if prev >= 0 else None
        gap_before = self.text[prev_token.end : first.start] if prev_token else ""
        after = self.text[last.end : last.end + 3]
        before = self.text[max(0, first.start - 4) : first.start]
        key = tuple(t.text for t in toks)
        values = {
            "rules": self.rules_accept(block),
            "first_name": self.first_name_cue(first),
            "given_anywhere": any(t.text in lex.first_names for t in toks[:-1]),
            "title_before": title is not None,
            "strong_title": title_word in STRONG_TITLES,
            "honorific": title_word in lex.honorifics,
            "speech": self.speech_after(block) or self.speech_before(block),
            "apposition": self.apposition(block),
            "surname_alone": toks[-1].text in self.bare and not self.is_wordlike(toks[-1]),
            "named_after": block.named_after is not None,
            "headline": block.headline,
            "list_line": self.list_line(block),
            "lower_all": all(lowered),
            "lower_first": lowered[0],
            "lower_last": lowered[-1],
            "dictionary_all": all(dictionary),
            "dictionary_first": dictionary[0],
            "dictionary_last": dictionary[-1],
            "unknown_last": not (
                lowered[-1]
                or dictionary[-1]
                or last.text in lex.first_names
                or last.text in lex.places
                or last.text in lex.organisations
            ),
            "company_word": any(t.text in lex.organisations for t in toks),
            "role_before": prev_token is not None
            and prev_token.text.islower()
            and prev_token.text in lex.titles
            and gap_before == " ",
            "enumeration": gap_before in (", ",)
            or (prev_token is not None and prev_token.text == "and" and gap_before == " ")
            or (after[:2] == ", " and after[2:3].isupper()),
            "given_name": first.text in lex.first_names,
            "place_word": any(t.text in lex.places for t in toks),
            "caps_word": any(len(t.text) > 2 and t.text.isupper() for t in toks),
            "initial": any(
                len(t.text.rstrip(".")) == 1 or JOINED_INITIALS.fullmatch(t.text) for t in toks
            ),
            "particle": any(t.text.lower() in PARTICLES for t in toks[1:]),
            "hyphen": any("-" in t.text for t in toks),
            "suffix": toks[-1].text in SUFFIXES,
            "words_2": n == 2,
            "words_3": n == 3,
            "words_4": n >= 4,
            "possessive": toks[-1].possessive,
            "the_before": before.endswith(("the ", "The ")),
            "in_quotes": before[-1:] in OPENING_QUOTES
            and bool(CLOSING_QUOTE.match(self.text, last.end)),
            "sentence_start": first.sent_start,
            "repeated": self.full_counts.get(key, 0) > 1,
        }
        if self.spacy_keys is not None:
            values["spacy_person"] = fold(" ".join(key)) in self.spacy_keys
        return {k: 1.0 for k, v in values.items() if v}

    def rules_accept(self, block: Block) -> bool:
        """The hand-written cue rules for a block of two or more words (no vetoes)."""
        toks = block.tokens
        first = self.first_name_cue(toks[0]) or (
            len(toks) >= 3 and toks[1].text in self.lex.first_names and not toks[1].headline
        )
        if block.headline:  # only names the body also writes in capitals: no "Sinks Rovers"
            return first and all(t.text in self.body_caps or t.text in PARTICLES for t in toks)
        if (
            first
            and len(toks) == 2
            and toks[0].text in self.lex.wordlike_first_names
            and self.is_everyday(toks[1])
        ):
            first = False  # "Sky Sports", "Rich Text": everyday words both; needs another cue
        if first:
            return True
        if block.named_after is not None:
            return False  # "NYU Langone Health, who ...": the cue belongs to someone else
        last = toks[-1].text
        if last in self.bare and not self.is_wordlike(toks[-1]):
            return True  # introduced in full, then called by surname
        if len(toks) == 2 and len(toks[0].text) <= 5 and EAST_ASIAN_GIVEN.match(toks[1].text):
            return True  # "Park Ji-won", "Lee Jae-myung", "Tsai Ing-wen"
        return bool(
            block.title_before is not None
            or self.speech_after(block)
            or self.speech_before(block)
            or self.apposition(block)
        )


#: Pass as `model` to decide with the hand-written rules alone.
RULES_ONLY = PeopleModel((), (), 0.0, 0.5)


def candidate_features(
    title: str, body: str, spacy_keys: frozenset[str] | None = None
) -> list[tuple[tuple[str, ...], dict[str, float]]]:
    """Every block of two or more words the model would weigh, with its features: what
    `scripts/train_people.py` learns from. Vetoed blocks are left out."""
    finder = Finder(article_text(title, body), lexicon(), None, spacy_keys)
    finder.run()
    return finder.weighed


def single_candidate_features(
    title: str, body: str
) -> list[tuple[tuple[str, ...], dict[str, float]]]:
    """Every lone word the single-word part of the model would weigh, with its features."""
    finder = Finder(article_text(title, body), lexicon(), None)
    finder.run()
    return finder.weighed_single


def _tail_forms(folded: str) -> list[str]:
    words = folded.split()
    return [" ".join(words[k:]) for k in range(1, len(words) - 1)]


def find_people(
    title: str,
    body: str,
    lex: Lexicon | None = None,
    model: PeopleModel | None = None,
    spacy_keys: frozenset[str] | None = None,
) -> PeopleResult:
    """People named in an article, each once under its fullest name, most mentioned first.

    `model`: the candidate model (default: the shipped one; `RULES_ONLY` for the plain
    hand-written rules, as training does). `spacy_keys`: spaCy's PERSON names for the
    hybrid backend (its model weighs them as the `spacy_person` feature)."""
    text = article_text(title, body)
    if model is None:
        model = people_model()
    finder = Finder(text, lex or lexicon(), model if model is not RULES_ONLY else None, spacy_keys)
    mentions = finder.run()
    people = resolve_in_article(mentions)
    spans = [m.span for m in mentions if m.accepted]
    return PeopleResult([p.name for p in people], spans, finder.tokens)
