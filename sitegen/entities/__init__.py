"""People and topics: extraction, canonical names and aliases (see extract.py for the API)."""

from sitegen.entities.extract import (
    EntitySettings,
    TopicStats,
    canonicalize_archive,
    extract_people,
    extract_topics,
    topic_candidates,
)

__all__ = [
    "EntitySettings",
    "TopicStats",
    "canonicalize_archive",
    "extract_people",
    "extract_topics",
    "topic_candidates",
]
