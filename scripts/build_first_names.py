"""Build sitegen/entities/data/first_names.txt.gz, the given-name list the rules backend uses.

Run once, by hand, when the list should change; the output is committed as package data.
It also writes common_words.txt.gz: the lower-case words of the same SCOWL list, minus
given names, which the extractor uses to tell "Following Donald Trump" from a name.

    python3 -m venv /tmp/names-venv
    /tmp/names-venv/bin/pip install "names-dataset==3.3.1"      # MIT licence, Philippe Remy
    apt-get install wamerican-small                            # SCOWL word list (permissive)
    /tmp/names-venv/bin/python scripts/build_first_names.py

Source: the names-dataset package's first-name table (730k names with per-country
popularity ranks for up to 10 countries each, gathered from public profile data).
Filtering, in order:
- Latin-script names only, 2-20 letters, starting with a capital ("Jean-Pierre" is kept).
- Popular somewhere: ranked in the top 1,000 of one country, or in the top 5,000 of two
  (this keeps "Keir", "Yevgeny", "Kash" and drops one-off profile noise).
- Never a given name here: months, weekdays and function words.
- Everyday English words ("Agreement", "All") are dropped unless they are widespread given
  names (top 1,000 in three countries: "Will", "Mark", "Hope", "Said"); those are kept and
  flagged "*", and the extractor does not trust them at a sentence start or in headlines.
- EXTRA: a few given names of public figures too rare in the source to pass the bar.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "sitegen" / "entities" / "data"
OUT = DATA / "first_names.txt.gz"
COMMON_OUT = DATA / "common_words.txt.gz"
WORDS = Path("/usr/share/dict/american-english-small")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LATIN_NAME = re.compile(r"^[A-Z\u00c0-\u00de][a-z\u00df-\u024f'\-]{1,19}$")
NEVER = _words("""January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday The And But For Not With From
    This That These Those There Here When Where What Which Who How Why Our Your Their His Her
    Its Yes No Mr Mrs Ms Dr Sir Madam Lady Lord An Are Is Or So You My Any Can As Bin Van
    Ibn Abu Al El Del Von Der Den De Da Di Du Le La Per Nor""")
EXTRA = sorted(
    _words("""Abiy Nayib Evo Shinzo Jacinda Reince Barron Ketanji Bezalel Jinping Kharge Mallikarjun
Babagana Tedros Uhuru Volodymyr Yevgeny Zelenskyy Keir Kash Elon Tulsi Hakeem Mette
Olaf Itamar Yahya Masoud Ekrem Özgür Mansur Recep Sanae Shigeru Yoshihiko Fumio Rishi Kemi
Narendra Amit Imran Shehbaz Nawaz Maryam Bola Cyril Jair Javier Gustavo Nicolás Diosdado
Edmundo Xiomara Dina Bukele Sheinbaum Claudia Andrés Lula Luiz Inácio Ursula Kaja Mark""")
)


def load_first_names() -> dict:
    try:
        from names_dataset import NameDataset
    except ImportError:
        sys.exit("install names-dataset first: pip install 'names-dataset==3.3.1'")
    return NameDataset(load_last_names=False).first_names


def popular(ranks: dict) -> bool:
    values = sorted(r for r in ranks.values() if r is not None)
    if not values:
        return False
    return values[0] <= 1000 or (len(values) >= 2 and values[1] <= 5000)


def widespread(ranks: dict) -> bool:
    values = sorted(r for r in ranks.values() if r is not None)
    return len(values) >= 3 and values[2] <= 1000


def main() -> None:
    if WORDS.is_file():
        common = {w for w in WORDS.read_text(encoding="utf-8").split() if w.islower()}
    else:
        print(f"warning: {WORDS} missing; no names flagged as common words", file=sys.stderr)
        common = set()
    table = load_first_names()
    names = {n for n, info in table.items() if LATIN_NAME.match(n) and popular(info["rank"])}
    names |= set(EXTRA)
    names -= NEVER
    # An everyday word is kept as a name only when it is a real, widespread given name.
    names = {
        n
        for n in names
        if n.lower() not in common or n in EXTRA or (len(n) >= 3 and widespread(table[n]["rank"]))
    }
    lines = sorted(f"{n}*" if n.lower() in common else n for n in names)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write("\n".join(lines) + "\n")
    # Everyday lower-case words, so "Following Donald Trump" loses "Following" but
    # "Purbaya Yudhi Sadewa" keeps its first word. Given names are left out of it.
    everyday = sorted(w for w in common if w.isalpha() and w.capitalize() not in names)
    with gzip.open(COMMON_OUT, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write("\n".join(everyday) + "\n")
    print(f"wrote {len(everyday)} everyday words to {COMMON_OUT}")
    flagged = sum(1 for line in lines if line.endswith("*"))
    print(f"wrote {len(lines)} names ({flagged} also common words) to {OUT}")


if __name__ == "__main__":
    main()
