"""Slugs and site paths: readable, URL-safe, never empty, and never an exception."""

from __future__ import annotations

import re

import pytest

from sitegen.model import Article
from sitegen.urls import article_path, article_slug, slugify, unique_slugs

SAFE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Łódź", "lodz"), ("Marta Okonkwo-Reyes", "marta-okonkwo-reyes"), ("<script>", "script")],
)
def test_names_slug_readably(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("name", ["", "...", "../..", "/", "\x00", "???"])
def test_a_name_with_no_letters_gets_a_stable_hash_slug(name):
    slug = slugify(name)
    assert SAFE_SLUG.fullmatch(slug) and slug.startswith("n-") and slug == slugify(name)


def test_an_undecodable_file_name_gives_an_article_path():
    article = Article(path="2024/caf\udce9.md", title="Café", body="")
    article.slug = article_slug(article)
    assert article.slug == "caf" and article_path(article) == "undated/caf/"


# Found by tests/test_fuzz.py: UnicodeEncodeError in the hash of the fallback slug.


@pytest.mark.parametrize("name", ["\ud800", "\udce9", "caf\udce9", "\udfff\ud800"])
def test_lone_surrogates_slug_without_an_error(name):
    # a file name that is not UTF-8 ("caf\xe9.md") reaches Python as "caf\udce9"
    assert SAFE_SLUG.fullmatch(slugify(name))
    slugs = unique_slugs([name, "\ud801"])
    assert len(set(slugs.values())) == 2 and all(SAFE_SLUG.fullmatch(s) for s in slugs.values())
