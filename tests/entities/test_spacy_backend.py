"""The optional spaCy backend, only where spaCy and its English pipeline are installed."""

from __future__ import annotations

import pytest

from sitegen.entities.extract import EntitySettings, extract_people
from sitegen.entities.spacy_backend import DEFAULT_MODEL, clean_person

spacy = pytest.importorskip("spacy", reason="spaCy is not installed (pip install 'sitegen[ner]')")


def have_model() -> bool:
    try:
        return spacy.util.is_package(DEFAULT_MODEL)
    except Exception:
        return False


def test_clean_person_strips_titles_possessives_and_quotes():
    assert clean_person("President Donald Trump's") == ("Donald", "Trump")
    assert clean_person("“Sarah Huckabee Sanders”") == ("Sarah", "Huckabee", "Sanders")
    assert clean_person("Prince Harry") == ("Prince", "Harry")


@pytest.mark.skipif(not have_model(), reason=f"spaCy pipeline {DEFAULT_MODEL} not installed")
def test_spacy_backend_finds_and_merges_people():
    settings = EntitySettings(backend="spacy")
    body = (
        "Russian presidential aide Yury Ushakov told reporters that President Donald Trump "
        "suggested a meeting. Ushakov said Trump had called. The White House did not comment."
    )
    names = extract_people("Summit", body, settings)
    assert "Yury Ushakov" in names and "Donald Trump" in names
    assert "White House" not in names and "Ushakov" not in names


def test_missing_model_is_a_clear_error():
    settings = EntitySettings(backend="spacy", spacy_model="no_such_pipeline_xyz")
    with pytest.raises(ImportError, match="no_such_pipeline_xyz"):
        extract_people("T", "Some text about Jane Doe.", settings)


@pytest.mark.skipif(not have_model(), reason=f"spaCy pipeline {DEFAULT_MODEL} not installed")
def test_hybrid_backend_weighs_spacys_vote_with_the_rules_candidates():
    settings = EntitySettings(backend="hybrid")
    body = (
        "Russian presidential aide Yury Ushakov told reporters that Gov. Andrew Cuomo "
        "had called. The White House did not comment."
    )
    names = extract_people("Summit", body, settings)
    assert "Yury Ushakov" in names and "Andrew Cuomo" in names
    assert "White House" not in names
