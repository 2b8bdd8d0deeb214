"""A deterministic synthetic news archive for benchmarks: N articles as a complete sitegen site.

    python benchmarks/gen_corpus.py --articles 10000 --out /tmp/corpus-10k

writes DIR/sitegen.toml, DIR/content/<yyyy>/<mm>/<slug>.md and DIR/corpus.json (what was
generated, for the record). The same --seed and --articles always give the same bytes.

What makes the corpus worth measuring:
- Front matter like an imported archive: title, date over ten years (most with a time of
  day), one of ~40 outlets, the original url, 1-8 people out of ~3,000 and 1-6 topics out
  of ~400, people and topics drawn from Zipf distributions (a few names are everywhere,
  most are rare); names recur, share surnames, and some carry diacritics.
- Bodies of 5-15 paragraphs, 400-900 words, with emphasis, links, a list, a blockquote and
  a subheading in some of them, the article's people named in the text.
- A vocabulary with a Zipf distribution over a few hundred thousand word ranks: English
  function words and news words at the top, then pseudo-words made from syllables (some
  as inflections of one stem), so a 10k archive has tens of thousands of distinct words
  and search index sizes and query costs behave like a real archive's.

Articles are written one at a time as they are made (streaming), so 100k articles need
no more memory than 1k. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import random
import re
import shutil
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path


def words_of(text: str, separator: str | None = None) -> list[str]:
    """A word list written as one string, to keep the tables below compact."""
    return text.split(separator)


DEFAULT_SEED = 8
PEOPLE_COUNT = 3000
TOPIC_COUNT = 400
SOURCE_COUNT = 40
PSEUDO_WORDS = 500_000
# Word ranks follow Zipf's law with exponent 1 up to rank 3,000 and a steeper tail beyond
# (exponent 2), as measured on large English corpora; that gives Heaps' law with ~0.5:
# ~30k distinct words in 1k articles, ~90k in 10k, ~250k in 100k.
WORD_ZIPF = 1.0
WORD_ZIPF_SHIFT = 1.5  # Zipf-Mandelbrot shift: flattens the very top like real text
WORD_TAIL_FROM = 3000
WORD_TAIL_ZIPF = 2.0
TERM_ZIPF = 1.0  # people and topics
SOURCE_ZIPF = 0.8
FIRST_DAY = dt.date(2015, 1, 1)
DAYS = 3653  # ten years

# Roughly in order of frequency in English text.
FUNCTION_WORDS = words_of(
    """the of and to a in that is was for it on with as he said by at from his
be have are an has but not they were this who which had its their will been would more
or after one about also than other over into there two new when up out last she we her
year people could first all can some what what years only no time his against while
before most him them so because made if under those three such where then between many
told during percent since these through any may our still should back both being did
just another like even state said off now how week government you us very much down
each here make well around country four own year public told former officials"""
)

NEWS_WORDS = words_of(
    """minister president police court city election party officials report
government national security economy market prices health children school workers
company billion million union council budget plan law bill vote leader leaders
support talks meeting deal agreement crisis war military forces attack attacks
region border capital local federal parliament opposition campaign voters poll
policy reform tax taxes energy oil gas climate water food farmers trade exports
imports bank banks interest rates inflation growth jobs unemployment wages strike
protest protesters rights women men family families community residents village
hospital doctors patients virus vaccine disease study research scientists data
university students teachers church police officers arrest arrested charges trial
judge prosecutors lawyer lawyers investigation evidence sentence prison victims
fire storm flood floods drought rain weather season team match club players coach
goal win won lost final championship league record history museum festival film
music artist book author television radio newspaper media journalists internet
online technology software phone network service services transport railway road
airport flight airline ship port fuel power electricity plant construction housing
land property rent cost costs money funds fund aid donors program project projects
agency ministry department office committee board director chief executive head
spokesman spokeswoman statement announcement decision sources According according
early late month months days today yesterday morning night weekend summer winter
spring autumn north south east west central northern southern eastern western
international foreign domestic regional global european african asian american
official military economic political social financial environmental legal public
private major minor high low higher lower largest biggest small big important
several few dozens hundreds thousands including despite although however because
announced warned called asked added expected planned agreed denied rejected
confirmed reported reports says say told tell show shows showed found find
continue continued remain remained increase increased reduce reduced raise raised
open opened close closed start started end ended began begin move moved need needs
"""
)

ONSETS = (
    words_of(
        "b bl br c ch cl cr d dr f fl fr g gl gr h j k kl l m n p pl pr qu r s sc sh sk sl "
        "sm sn sp st str sw t th tr v w wh y z"
    )
    + [""] * 6
)
VOWELS = words_of("a e i o u a e i o u ai ea ee ie io oa ou au")
CODAS = [""] * 10 + words_of("n r s l m t d nd nt st rt rn ll ck ng x")
SUFFIXES = ["s", "ed", "ing", "er", "ers", "ly", "tion", "ment", "ist", "ism", "ity"]
ACCENTED = {"a": "á", "e": "é", "i": "í", "o": "ö", "u": "ü"}

FIRST_NAMES = words_of(
    """James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth
William Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy
Matthew Lisa Anthony Betty Mark Sandra Paul Ashley Steven Kimberly Andrew Emily Kenneth
Donna Joshua Michelle Kevin Carol Brian Amanda George Melissa Timothy Deborah Ahmed
Fatima Mohammed Aisha Omar Leila Hassan Yasmin Ali Noor Wei Li Ming Hui Jun Mei Hiroshi
Yuki Kenji Akiko Raj Priya Arjun Ananya Vikram Deepa Olga Ivan Dmitri Natalia Sergei
Anna Pieter Sanne Lars Ingrid Kwame Ama Chinedu Ngozi Oluwaseun Thabo Lerato Carlos
Ana Luis Sofia Miguel Lucia Pedro Camila Diego Valentina Giulia Marco Francesca Luca
José María Zoë Søren Łukasz Björn François Ayşe Jürgen Renée Ólafur Agnès Bogdan
Małgorzata Tomáš Dvořáková Hélène Çağla Eliška Jiří Åsa Mikkel Sinéad Seán Niamh
Ramón Inés Andrés Chloé Léa Maël Žaneta Ştefan Mihály Zsófia Gökhan Dagný"""
)

SURNAMES = words_of(
    """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez
Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright
Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell
Carter Roberts Okafor Mensah Adeyemi Diallo Kamau Mwangi Banda Dlamini Khumalo Haddad
Khalil Rahman Hussain Qureshi Chaudhry Patel Sharma Gupta Iyer Reddy Nair Chen Wang
Zhang Liu Yang Huang Zhao Wu Zhou Tanaka Suzuki Watanabe Ito Yamamoto Kim Park Choi
Ivanov Petrov Sokolova Popescu Novak Kowalski Nowak Horvat Jensen Hansen Nielsen
Johansson Lindqvist Virtanen Korhonen Schmidt Schneider Fischer Weber Wagner Becker
Rossi Russo Ferrari Bianchi Romano Dubois Moreau Laurent Lefebvre Bernard Silva Santos
Oliveira Pereira Costa Fernández Müller Núñez Gómez Pérez Jiménez Sørensen Østergaard
Łukaszewicz Wiśniewski Dvořák Novotná Kovács Szabó Nagy Öztürk Yılmaz Çelik Şahin
Đorđević Nguyễn Trần Lê Phạm Ó Briain Ní Bhraonáin Håkansson Ångström Brontë Gauß
Kjærsgaard Ibáñez Peña Muñoz Araújo Gonçalves Lévesque Bélanger Côté Gagné"""
)

TOPIC_BASES = words_of(
    "Elections|Climate|Energy|Health|Education|Housing|Transport|Immigration|Trade|"
    "Agriculture|Fisheries|Defence|Diplomacy|Courts|Policing|Prisons|Labour|Pensions|"
    "Taxation|Banking|Inflation|Currency|Tourism|Aviation|Railways|Shipping|Mining|Oil|Gas|"
    "Nuclear power|Renewables|Water|Forests|Wildlife|Oceans|Drought|Floods|Earthquakes|"
    "Wildfires|Public health|Vaccines|Hospitals|Mental health|Universities|Schools|Science|"
    "Space|Technology|Telecoms|Internet|Privacy|Cybersecurity|Media|Press freedom|Culture|"
    "Music|Film|Literature|Sport|Football|Athletics|Olympics|Religion|Human rights|Gender|"
    "Refugees|Corruption|Protests|Terrorism|Organised crime|Arms control|Peace talks|"
    "Sanctions|Budget|Infrastructure|Urban planning|Rural affairs|Food security|Retail|"
    "Manufacturing|Automotive|Pharmaceuticals|Insurance|Real estate|Startups|Stock markets|"
    "Employment|Wages|Strikes|Local government|Parliament|Constitution|Monarchy|Military|"
    "Veterans|Indigenous rights|Migration|Poverty|Welfare|Child care|Ageing|Disability|"
    "Heritage|Café culture|Tariffs|Elections abroad|Ports|Fashion|Gaming|Artificial intelligence",
    "|",
)
TOPIC_QUALIFIERS = [
    "",
    " policy",
    " reform",
    " crisis",
    " funding",
    " in Europe",
    " in Africa",
    " in Asia",
    " in the Americas",
    " regulation",
    " prices",
    " investment",
    " inquiry",
    " research",
    " protests",
    " in São Paulo",
    " in Kraków",
    " in Côte d'Ivoire",
    " in Zürich",
    " in Reykjavík",
]

OUTLET_PARTS = words_of(
    "Morning Ledger|Evening Courier|Harbour Herald|Northern Dispatch|Valley Gazette|"
    "Daily Sentinel|Coastal Observer|Metro Chronicle|Frontier Post|River Times|"
    "Le Quotidien du Soir|Der Abendbote|El Correo Austral|Nordic Wire|Pacific Bulletin|"
    "Highland Tribune|Capital Review|Prairie Record|Island Voice|Lakeside Journal|"
    "Gazeta Poranna|Kurýr Dne|Dagbladet Øst|Il Messaggero Nuovo|O Diário Atlântico|"
    "Continental Press Agency|World Newswire|Citizen Monitor|Market Report|"
    "The Weekly Examiner|Southern Star|Eastern Mail|Western Clarion|Central Standard|"
    "Union Leader|Mountain Echo|Desert Sun Daily|Bay Area Ledger|Atlas Wire|Río Noticias",
    "|",
)

TITLE_VERBS = words_of(
    """warns says faces backs rejects wins loses plans seeks vows denies
urges blocks signs calls defends targets slams hails unveils delays cuts raises
launches halts weighs"""
)

_SLUG_TABLE = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "Đ": "D", "æ": "ae", "ı": "i"}
)


def ascii_slug(text: str, max_words: int = 8) -> str:
    """ "Łódź warns" -> "lodz-warns": lower-case ASCII words joined by hyphens."""
    plain = unicodedata.normalize("NFKD", text.translate(_SLUG_TABLE))
    plain = plain.encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", plain)
    return "-".join(words[:max_words]) or "untitled"


def zipf_cumulative(
    n: int,
    exponent: float,
    shift: float = 0.0,
    tail_from: int | None = None,
    tail_exponent: float = 2.0,
) -> list[float]:
    """Cumulative weights of ranks 1..n under 1/(rank + shift)^exponent, for random.choices.

    With tail_from, ranks beyond it fall off with tail_exponent instead (a continuous
    two-regime Zipf law, like real vocabularies).
    """
    knee = tail_from or n

    def weight(rank: int) -> float:
        if rank <= knee:
            return 1.0 / (rank + shift) ** exponent
        return (knee / rank) ** tail_exponent / (knee + shift) ** exponent

    return list(itertools.accumulate(weight(rank) for rank in range(1, n + 1)))


def make_word(rng: random.Random, syllables: int) -> str:
    """Syllables joined; only the first may start with a vowel, so vowels never pile up."""
    parts = []
    for i in range(syllables):
        onset = rng.choice(ONSETS)
        while i and not onset:
            onset = rng.choice(ONSETS)
        coda = rng.choice(CODAS) if i == syllables - 1 or rng.random() < 0.3 else ""
        parts.append(onset + rng.choice(VOWELS) + coda)
    return "".join(parts)


def pseudo_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """`count` distinct invented words, shorter near the top like real frequent words.

    About a quarter are inflections of an earlier stem (stem + s/ed/ing...), so stemming
    and prefix search see families of related words as in real text.
    """
    words: list[str] = []
    stems: list[str] = []
    while len(words) < count:
        rank = len(words)
        if stems and rng.random() < 0.25:
            word = rng.choice(stems) + rng.choice(SUFFIXES)
        else:
            syllables = (
                1 + (rank > 1000) + (rng.random() < 0.4) + (rank > 50_000) * (rng.random() < 0.4)
            )
            word = make_word(rng, syllables)
            if rng.random() < 0.02:  # loanwords with accents: café, naïve...
                at = rng.randrange(len(word))
                word = word[:at] + ACCENTED.get(word[at], word[at]) + word[at + 1 :]
            if len(word) > 3:
                stems.append(word)
        if len(word) < 2 or word in taken:
            continue
        taken.add(word)
        words.append(word)
    return words


def build_vocabulary(rng: random.Random, size: int) -> list[str]:
    """Words by rank: function words, then news words among pseudo-words, then the rest."""
    top: list[str] = []
    for word in FUNCTION_WORDS + NEWS_WORDS:
        lower = word.lower()
        if lower not in top:
            top.append(lower)
    taken = set(top)
    invented = pseudo_words(rng, size, taken)
    function_count = len(dict.fromkeys(w.lower() for w in FUNCTION_WORDS))
    news = top[function_count:]
    # News words share ranks ~100-1,500 with the more frequent invented words.
    vocabulary = top[:function_count]
    mixed = invented[:1200]
    for i, word in enumerate(news):
        vocabulary.append(word)
        vocabulary.extend(mixed[i * 3 : i * 3 + 3])
    vocabulary.extend(mixed[len(news) * 3 :])
    vocabulary.extend(invented[1200:])
    return vocabulary


@dataclass
class World:
    """Everything articles are drawn from: words, people, topics and outlets."""

    vocabulary: list[str]
    word_cum: list[float]
    people: list[str]
    people_cum: list[float]
    topics: list[str]
    topics_cum: list[float]
    sources: list[tuple[str, str]]  # (name, domain)
    sources_cum: list[float]


def make_people(rng: random.Random, count: int) -> list[str]:
    """Distinct full names; surnames are shared between people, as in real archives."""
    people: list[str] = []
    seen: set[str] = set()
    extra_surnames = [w.capitalize() for w in pseudo_words(rng, 600, set())]
    surnames = SURNAMES + extra_surnames
    while len(people) < count:
        first = rng.choice(FIRST_NAMES)
        last = surnames[min(int(rng.paretovariate(1.1)) - 1, len(surnames) - 1)]
        if rng.random() < 0.7:  # most surnames are spread evenly, a few are common
            last = rng.choice(surnames)
        name = f"{first} {last}"
        if rng.random() < 0.06:
            name = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
        if name not in seen:
            seen.add(name)
            people.append(name)
    return people


def make_topics(rng: random.Random, count: int) -> list[str]:
    """Every base topic ("Energy"), then qualified ones ("Energy prices") up to `count`."""
    plain = list(dict.fromkeys(TOPIC_BASES))
    qualified = [base + q for base in plain for q in TOPIC_QUALIFIERS if q]
    rng.shuffle(qualified)
    return (plain + qualified)[:count]


def make_sources(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names = OUTLET_PARTS[:count]
    while len(names) < count:
        names.append(f"{rng.choice(OUTLET_PARTS)} {len(names)}")
    return [(name, ascii_slug(name).replace("-", "") + ".example") for name in names]


def make_world(seed: int) -> World:
    rng = random.Random(seed)
    vocabulary = build_vocabulary(rng, PSEUDO_WORDS)
    people = make_people(rng, PEOPLE_COUNT)
    topics = make_topics(rng, TOPIC_COUNT)
    sources = make_sources(rng, SOURCE_COUNT)
    # Popularity is independent of alphabetical order: shuffle before ranking.
    rng.shuffle(people)
    rng.shuffle(topics)
    return World(
        vocabulary=vocabulary,
        word_cum=zipf_cumulative(
            len(vocabulary), WORD_ZIPF, WORD_ZIPF_SHIFT, WORD_TAIL_FROM, WORD_TAIL_ZIPF
        ),
        people=people,
        people_cum=zipf_cumulative(len(people), TERM_ZIPF),
        topics=topics,
        topics_cum=zipf_cumulative(len(topics), TERM_ZIPF),
        sources=sources,
        sources_cum=zipf_cumulative(len(sources), SOURCE_ZIPF),
    )


def draw_distinct(rng: random.Random, items: list, cum: list[float], k: int) -> list:
    """k distinct items drawn by weight (popular ones first, usually)."""
    chosen: list = []
    total = cum[-1]
    while len(chosen) < k:
        item = items[bisect.bisect(cum, rng.random() * total)]
        if item not in chosen:
            chosen.append(item)
    return chosen


def surname(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


@dataclass
class GeneratedArticle:
    date: dt.datetime
    slug: str
    text: str
    people: list[str]
    topics: list[str]


class ArticleWriter:
    """Makes one article's front matter and body from the world, with its own draws."""

    def __init__(self, world: World, rng: random.Random):
        self.world = world
        self.rng = rng
        self.distinct_words: set[str] = set()
        self.words_written = 0

    def words(self, n: int) -> list[str]:
        chosen = self.rng.choices(self.world.vocabulary, cum_weights=self.world.word_cum, k=n)
        self.distinct_words.update(chosen)
        self.words_written += n
        return chosen

    def number(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.3:
            return str(rng.randint(2, 99))
        if kind < 0.5:
            return f"{rng.randint(1, 99)}.{rng.randint(0, 9)} percent"
        if kind < 0.7:
            return f"{rng.randint(1990, 2024)}"
        if kind < 0.85:
            return f"${rng.randint(1, 950)} million"
        return f"{rng.randint(1, 999):,}{rng.choice(['', ',000'])}"

    def sentence(self, people: list[str], mentioned: set[str]) -> str:
        rng = self.rng
        words = self.words(rng.randint(7, 24))
        if rng.random() < 0.12:
            words.insert(rng.randrange(len(words)), self.number())
        if people and rng.random() < 0.35:
            person = people[min(int(rng.expovariate(0.9)), len(people) - 1)]
            name = surname(person) if person in mentioned else person
            mentioned.add(person)
            if rng.random() < 0.5:
                words[0] = words[0].capitalize()
                return f"“{' '.join(words)},” said {name}."
            words.insert(rng.randrange(len(words)), name)
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, budget: int, people: list[str], mentioned: set[str]) -> str:
        sentences = []
        length = 0
        while length < budget:
            sentence = self.sentence(people, mentioned)
            sentences.append(sentence)
            length += sentence.count(" ") + 1
        if self.rng.random() < 0.4:  # emphasis on one word of one sentence
            i = self.rng.randrange(len(sentences))
            parts = sentences[i].split(" ")
            at = self.rng.randrange(len(parts))
            if parts[at].isalpha():
                mark = "**" if self.rng.random() < 0.4 else "*"
                parts[at] = f"{mark}{parts[at]}{mark}"
                sentences[i] = " ".join(parts)
        return " ".join(sentences)

    def link(self, domain: str) -> str:
        text = " ".join(self.words(self.rng.randint(2, 4)))
        path = "-".join(ascii_slug(w) for w in self.words(4))
        return f"[{text}](https://{domain}/{path})"

    def title(self, people: list[str]) -> str:
        rng = self.rng
        words = [w for w in self.words(rng.randint(12, 20)) if len(w) > 3][: rng.randint(4, 8)]
        if people and rng.random() < 0.5:
            words = [surname(people[0]), rng.choice(TITLE_VERBS), *words[:5]]
        elif rng.random() < 0.3:
            words.insert(rng.randrange(len(words) + 1), self.number())
        text = " ".join(words) or "Untitled"
        return text[0].upper() + text[1:]

    def body(self, people: list[str], domain: str) -> str:
        rng = self.rng
        total = rng.randint(400, 900)
        count = rng.randint(5, 15)
        shares = [rng.random() + 0.5 for _ in range(count)]
        scale = total / sum(shares)
        mentioned: set[str] = set()
        blocks = [self.paragraph(max(12, round(s * scale)), people, mentioned) for s in shares]
        if rng.random() < 0.6:
            i = rng.randrange(len(blocks))
            parts = blocks[i].split(". ")
            at = rng.randrange(len(parts))
            parts[at] = f"{parts[at]} ({self.link(domain)})"
            blocks[i] = ". ".join(parts)
        if rng.random() < 0.35:
            quote = self.sentence([], set())
            who = surname(people[0]) if people else "an official"
            blocks.insert(rng.randint(1, len(blocks)), f"> {quote}\n>\n> — {who}")
        if rng.random() < 0.3:
            items = [
                "- " + " ".join(self.words(rng.randint(3, 9))).capitalize()
                for _ in range(rng.randint(3, 6))
            ]
            blocks.insert(rng.randint(1, len(blocks)), "\n".join(items))
        if rng.random() < 0.4 and len(blocks) > 3:
            heading = " ".join(self.words(rng.randint(2, 5))).capitalize()
            blocks.insert(rng.randint(2, len(blocks) - 1), f"## {heading}")
        return "\n\n".join(blocks)

    def article(self) -> GeneratedArticle:
        """The next article: its date, slug, terms and the text of its file."""
        rng, world = self.rng, self.world
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        has_time = rng.random() < 0.75
        moment = dt.datetime(day.year, day.month, day.day)
        if has_time:
            moment = moment.replace(hour=rng.randint(5, 23), minute=rng.randrange(60))
        people_k = rng.choices(range(1, 9), weights=[20, 22, 18, 14, 10, 7, 5, 4])[0]
        topics_k = rng.choices(range(1, 7), weights=[18, 25, 22, 16, 11, 8])[0]
        people = draw_distinct(rng, world.people, world.people_cum, people_k)
        topics = draw_distinct(rng, world.topics, world.topics_cum, topics_k)
        source, domain = world.sources[
            bisect.bisect(world.sources_cum, rng.random() * world.sources_cum[-1])
        ]
        title = self.title(people)
        slug = ascii_slug(title)
        body = self.body(people, domain)
        date_text = moment.strftime("%Y-%m-%dT%H:%M:00Z") if has_time else day.isoformat()
        front = [
            f"title: {json.dumps(title, ensure_ascii=False)}",
            f"date: {date_text}" if not has_time else f"date: '{date_text}'",
            f"source: {json.dumps(source, ensure_ascii=False)}",
            f"url: https://www.{domain}/{day:%Y/%m/%d}/{slug}",
            "people:",
            *(f"- {json.dumps(p, ensure_ascii=False)}" for p in people),
            "topics:",
            *(f"- {json.dumps(t, ensure_ascii=False)}" for t in topics),
        ]
        text = "---\n" + "\n".join(front) + "\n---\n\n" + body + "\n"
        return GeneratedArticle(moment, slug, text, people, topics)


SITE_TOML = """# A synthetic benchmark archive made by benchmarks/gen_corpus.py (seed {seed}).
[site]
title = "Benchmark Archive"
description = "{articles} synthetic articles"
base_url = "/"
page_size = 20
term_page_size = 30
feed_size = 20

[build]
output = "build"
"""


def generate(out: Path, articles: int, seed: int, progress: bool = True) -> dict:
    """Write the site into `out`; returns the figures recorded in corpus.json."""
    started = time.perf_counter()
    world = make_world(seed)
    setup = time.perf_counter() - started
    rng = random.Random(seed * 1_000_003 + articles)
    writer = ArticleWriter(world, rng)
    content = out / "content"
    content.mkdir(parents=True, exist_ok=True)
    (out / "sitegen.toml").write_text(
        SITE_TOML.format(seed=seed, articles=articles), encoding="utf-8"
    )
    made_dirs: set[Path] = set()
    used: set[str] = set()
    people_seen: set[str] = set()
    topics_seen: set[str] = set()
    total_bytes = 0
    step = max(1, articles // 10)
    for n in range(1, articles + 1):
        made = writer.article()
        moment, slug = made.date, made.slug
        folder = content / f"{moment.year:04d}" / f"{moment.month:02d}"
        if folder not in made_dirs:
            folder.mkdir(parents=True, exist_ok=True)
            made_dirs.add(folder)
        name = slug
        key = f"{moment.year}/{moment.month}/{name}"
        suffix = 2
        while key in used:
            name = f"{slug}-{suffix}"
            key = f"{moment.year}/{moment.month}/{name}"
            suffix += 1
        used.add(key)
        data = made.text.encode("utf-8")
        (folder / f"{name}.md").write_bytes(data)
        total_bytes += len(data)
        people_seen.update(made.people)
        topics_seen.update(made.topics)
        if progress and n % step == 0:
            elapsed = time.perf_counter() - started
            print(f"  {n:>7,} articles  {elapsed:6.1f} s", file=sys.stderr)
    seconds = time.perf_counter() - started
    figures = {
        "seed": seed,
        "articles": articles,
        "bytes": total_bytes,
        "words": writer.words_written,
        "distinct_words": len(writer.distinct_words),
        "people": len(people_seen),
        "topics": len(topics_seen),
        "sources": len(world.sources),
        "setup_seconds": round(setup, 2),
        "seconds": round(seconds, 2),
    }
    (out / "corpus.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="how many articles")
    parser.add_argument("--out", type=Path, required=True, help="the site folder to create")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--force", action="store_true", help="replace DIR/content if it already holds files"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    content = args.out / "content"
    if content.is_dir() and any(content.iterdir()):
        if not args.force:
            parser.error(f"{content} already holds files; pass --force to replace them")
        shutil.rmtree(content)
    figures = generate(args.out, args.articles, args.seed, progress=not args.quiet)
    print(
        f"Generated {figures['articles']:,} articles ({figures['bytes'] / 1e6:.1f} MB, "
        f"{figures['words']:,} words, {figures['distinct_words']:,} distinct; "
        f"{figures['people']:,} people, {figures['topics']:,} topics, "
        f"{figures['sources']} sources) in {figures['seconds']:.1f} s "
        f"(setup {figures['setup_seconds']:.1f} s) -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
