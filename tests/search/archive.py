"""A small, deterministic news archive for the search tests, written into a temp folder.

Words follow a Zipf-like distribution so rankings have real ties and real differences;
a few planted articles carry what the tests look for (stems, phrases, odd names).
"""

from __future__ import annotations

import random
from pathlib import Path

from tests.conftest import article_text, write_site

_WORDS = (
    "government minister council budget election market report police court city river "
    "harbour bridge school hospital union state plan talks vote party leader energy price "
    "farmers workers strike protest festival museum railway airport storm flood drought "
    "summit treaty border army peace trade tariff export import bank inflation interest "
    "housing rent tenants landlord mayor governor senate parliament reform pension tax "
    "climate carbon solar wind nuclear coal mine factory jobs wages teachers nurses doctors "
    "vaccine virus outbreak clinic research university students science space rocket "
    "satellite orbit telescope football cup final coach season stadium fans record medal "
    "olympic marathon cycling tennis chess music concert opera theatre film director actor "
    "novel poet library archive history war memorial anniversary statue church mosque temple "
    "village island coast forest mountain lake desert volcano earthquake tsunami rescue fire"
)
VOCABULARY = _WORDS.split()
PEOPLE = [
    "Ann Lee",
    "Vladimir Putin",
    "Recep Tayyip Erdoğan",
    "Smith, John",
    "Maria Garcia",
    "Chen Wei",
    "Olu Adeyemi",
    "Jean-Luc Martin",
]
TOPICS = ["Elections", "Economy", "Climate", "Health", "Sport", "Culture", "Diplomacy"]
SOURCES = ["Reuters", "Kurýr Dne", "The Harbour Times", "Radio Norte"]


def _zipf_choice(rng: random.Random, items: list[str], k: int) -> list[str]:
    weights = [1 / (rank + 1) for rank in range(len(items))]
    return rng.choices(items, weights=weights, k=k)


def _paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(_zipf_choice(rng, VOCABULARY, words))
    return text[0].upper() + text[1:] + "."


PLANTED = {
    "content/planted/markup.md": article_text(
        'Harbour <img src=x onerror="alert(1)"> & <b>bold</b> claims',
        "A harbour story whose title carries markup <script>alert(2)</script> as text.",
        date="2020-04-04",
        source="Radio Norte",
        topics=["Culture"],
    ),
    "content/planted/meetings.md": article_text(
        "Harbour council holds meetings",
        "The council held three meetings about the harbour. Farmers came to every one.",
        date="2023-06-01",
        source="The Harbour Times",
        people=["Ann Lee"],
        topics=["Economy"],
    ),
    "content/planted/union.md": article_text(
        "President gives the state of the union",
        'In the state of the union address the president spoke of "peace and trade".',
        date="2024-01-20",
        source="Reuters",
        people=["Smith, John"],
        topics=["Diplomacy"],
    ),
    "content/planted/union-apart.md": article_text(
        "Union leaders and the state",
        "The union said the state must pay teachers; the state refused the union.",
        date="2022-02-02",
        source="Radio Norte",
        topics=["Economy"],
    ),
    "content/planted/erdogan.md": article_text(
        "Erdoğan visits Łódź",
        "Recep Tayyip Erdoğan met students in Łódź and spoke about the treaty.",
        date="2021-09-09",
        source="Kurýr Dne",
        people=["Recep Tayyip Erdoğan"],
        topics=["Diplomacy"],
    ),
}


def archive_files(count: int = 80, seed: int = 5) -> dict[str, str]:
    """count generated articles plus the planted ones, as {relative path: text}."""
    rng = random.Random(seed)
    files = dict(PLANTED)
    for n in range(count):
        year = 2019 + n % 6
        date = f"{year}-{1 + n % 12:02d}-{1 + (n * 7) % 28:02d}"
        title = " ".join(_zipf_choice(rng, VOCABULARY, rng.randint(3, 7))).capitalize()
        body = "\n\n".join(_paragraph(rng, rng.randint(12, 60)) for _ in range(rng.randint(1, 5)))
        files[f"content/{year}/story-{n:03d}.md"] = article_text(
            title,
            body,
            date=date,
            source=rng.choice(SOURCES),
            people=sorted(set(rng.sample(PEOPLE, rng.randint(0, 3)))),
            topics=sorted(set(rng.sample(TOPICS, rng.randint(1, 3)))),
        )
    return files


def write_archive(root: Path, count: int = 80, seed: int = 5) -> Path:
    return write_site(root, archive_files(count, seed))
