"""Signatures (sitegen/site/signatures.py): a template's digest covers every template it
pulls in, and a page's fingerprint depends on what it shows and nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt

import jinja2
import pytest

from sitegen.model import Article, Term
from sitegen.site.pages import Pagination
from sitegen.site.signatures import Fingerprints, TemplateDigests
from sitegen.site.state import listing_digest

TEMPLATES = {
    "base.html": "<html>{% block body %}{% endblock %}</html>",
    "_macros.html": "{% macro item(a) %}<li>{{ a }}</li>{% endmacro %}",
    "_footer.html": "<footer>f</footer>",
    "article.html": (
        '{% extends "base.html" %}{% import "_macros.html" as m %}'
        '{% block body %}{{ m.item(1) }}{% include "_footer.html" %}{% endblock %}'
    ),
    "404.html": "<p>not found</p>",
    "loop_a.html": '{% include "loop_b.html" %}',
    "loop_b.html": '{% include "loop_a.html" %}',
    "dynamic.html": "{% include name %}",
}


def digests(**changed: str) -> TemplateDigests:
    """A fresh TemplateDigests over TEMPLATES with some sources changed."""
    sources = {**TEMPLATES, **{k.replace("_dot_", "."): v for k, v in changed.items()}}
    return TemplateDigests(jinja2.Environment(loader=jinja2.DictLoader(sources)))


def test_a_template_digest_is_stable():
    assert digests().digest("article.html") == digests().digest("article.html")


@pytest.mark.parametrize("pulled_in", ["base.html", "_macros.html", "_footer.html"])
def test_a_template_digest_changes_with_what_it_extends_imports_or_includes(pulled_in):
    before = digests()
    after = digests(**{pulled_in.replace(".", "_dot_"): TEMPLATES[pulled_in] + " "})
    assert after.digest("article.html") != before.digest("article.html")
    assert after.digest("404.html") == before.digest("404.html")  # pulls nothing in


def test_a_template_digest_ignores_templates_it_does_not_pull_in():
    before, after = digests(), digests(**{"404_dot_html": "<p>gone</p>"})
    assert after.digest("article.html") == before.digest("article.html")
    assert after.digest("404.html") != before.digest("404.html")


def test_included_loops_and_dynamic_includes_end():
    found = digests()
    assert found.digest("loop_a.html") and found.digest("loop_b.html")
    assert found.digest("dynamic.html") != found.digest("404.html")


ARTICLE = Article(
    path="a.md",
    title="A",
    body="Body.",
    body_sha="s1",
    date=dt.datetime(2024, 1, 2),
    people=["Ann"],
    slug="a",
)


def fingerprint(context: dict, *, base: str = "plan", urls: dict | None = None) -> str:
    urls = {id(ARTICLE): "2024/01/a/"} if urls is None else urls
    return Fingerprints([base]).page("tpl", context, urls)


def context(**overrides) -> dict:
    return {
        "title": "Page",
        "count": 3,
        "article": ARTICLE,
        "items": [ARTICLE],
        "term": Term("people", "Ann", "ann", [ARTICLE]),
        "page": Pagination(1, 2, "people/ann/", [ARTICLE]),
        "when": dt.datetime(2024, 1, 2),
        "pair": ("x", 1.5, True),
        **overrides,
    }


def test_the_same_page_has_the_same_fingerprint_in_any_build():
    assert fingerprint(context()) == fingerprint(context())
    shuffled = dict(reversed(list(context().items())))
    assert fingerprint(shuffled) == fingerprint(context())  # key order is not content


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Other"},
        {"count": 4},
        {"items": [ARTICLE, ARTICLE]},
        {"term": Term("people", "Ann", "ann-2", [ARTICLE])},
        {"page": Pagination(2, 2, "people/ann/", [ARTICLE])},
        {"when": dt.datetime(2024, 1, 3)},
        {"pair": ("x", 1.5, False)},
    ],
)
def test_what_a_page_shows_changes_its_fingerprint(change):
    assert fingerprint(context(**change)) != fingerprint(context())


def test_an_articles_listed_fields_and_link_change_the_fingerprint_its_body_does_not():
    edited = dataclasses.replace(ARTICLE, title="B")
    retitled = fingerprint({"items": [edited]}, urls={id(edited): "2024/01/a/"})
    assert retitled != fingerprint({"items": [ARTICLE]})
    assert fingerprint({"items": [ARTICLE]}, urls={id(ARTICLE): "x/"}) != fingerprint(
        {"items": [ARTICLE]}
    )
    body = dataclasses.replace(ARTICLE, body="Other body.", body_sha="s2")
    rebodied = fingerprint({"items": [body]}, urls={id(body): "2024/01/a/"})
    assert rebodied == fingerprint({"items": [ARTICLE]})  # a list never shows the body


def test_the_body_sha_template_and_settings_are_part_of_a_page():
    urls = {id(ARTICLE): "2024/01/a/"}
    prints = Fingerprints(["plan"])
    plain = prints.page("tpl", {"article": ARTICLE}, urls)
    assert prints.page("tpl", {"article": ARTICLE}, urls, body_sha="s2") != plain
    assert prints.page("tpl2", {"article": ARTICLE}, urls) != plain
    assert fingerprint({"article": ARTICLE}, base="other plan") != plain


def test_a_listing_digest_from_the_parse_stands_for_the_article():
    urls = {id(ARTICLE): "2024/01/a/"}
    own = Fingerprints(["plan"]).page("tpl", {"items": [ARTICLE]}, urls)
    same = Fingerprints(["plan"], {"a.md": listing_digest(ARTICLE)})
    assert same.page("tpl", {"items": [ARTICLE]}, urls) == own
    other = Fingerprints(["plan"], {"a.md": "people renamed"})
    assert other.page("tpl", {"items": [ARTICLE]}, urls) != own


def test_a_value_it_cannot_fingerprint_is_an_error_not_a_guess():
    with pytest.raises(TypeError, match="object"):
        fingerprint({"thing": object()})


@pytest.mark.parametrize(
    "source",
    ['{% include "_extra.html" ignore missing %}x', '{% include ["_extra.html", "404.html"] %}'],
    ids=["ignore-missing", "fallback-list"],
)
def test_an_optional_include_that_is_missing_does_not_stop_the_digest(source):
    env = jinja2.Environment(loader=jinja2.DictLoader({**TEMPLATES, "page.html": source}))
    env.get_template("page.html").render()  # Jinja itself renders it
    without = TemplateDigests(env).digest("page.html")
    added = {**TEMPLATES, "page.html": source, "_extra.html": "extra"}
    with_it = TemplateDigests(jinja2.Environment(loader=jinja2.DictLoader(added)))
    assert with_it.digest("page.html") != without  # and adding it later is noticed
