"""People and topics: extraction, canonical names and aliases (see extract.py for the API)."""

from sitegen.entities.extract import (
    ArticleEntities,
    EntitySettings,
    TopicStats,
    analyse_article,
    canonicalize_archive,
    extract_people,
    extract_topics,
    rank_topics,
    topic_candidates,
)

__all__ = [
    "ArticleEntities",
    "EntitySettings",
    "analyse_article",
    "rank_topics",
    "TopicStats",
    "canonicalize_archive",
    "extract_people",
    "extract_topics",
    "topic_candidates",
]
