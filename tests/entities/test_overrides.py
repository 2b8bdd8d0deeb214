"""Hand corrections from sitegen.toml [people] and people.toml."""

from __future__ import annotations

from sitegen.entities.extract import EntitySettings, extract_people
from sitegen.entities.overrides import apply_overrides, load_overrides, parse_overrides

CONFIG = """
[site]
title = "T"

[people]
aliases = { "Qaddafi" = "Muammar Gaddafi" }
not_people = ["Grand Jury"]
merge = [["Mohammed bin Salman", "MBS"]]
keep_apart = [["George Bush", "George W. Bush"]]
"""


def test_parse_and_apply(site):
    config = site({}, CONFIG)
    overrides, problems = load_overrides(config.root, config.extra)
    assert problems == []
    assert overrides.aliases == {"Qaddafi": "Muammar Gaddafi"}
    assert apply_overrides(["Qaddafi", "Grand Jury", "MBS", "Muammar Gaddafi"], overrides) == [
        "Muammar Gaddafi",
        "Mohammed bin Salman",
    ]


def test_people_toml_adds_to_sitegen_toml(site):
    config = site(
        {"people.toml": 'not_people = ["Santa Claus"]\n[aliases]\n"Gadhafi" = "Muammar Gaddafi"\n'},
        CONFIG,
    )
    overrides, problems = load_overrides(config.root, config.extra)
    assert problems == []
    assert overrides.not_people == ("Grand Jury", "Santa Claus")
    assert overrides.aliases["Gadhafi"] == "Muammar Gaddafi"


def test_bad_values_are_problems_naming_the_key(site):
    _, problems = parse_overrides(
        {"aliases": ["x"], "merge": [["Only One"]], "colour": 1}, "sitegen.toml"
    )
    messages = " ".join(p.message for p in problems)
    assert "aliases" in messages and "merge" in messages and "colour" in messages
    config = site({"people.toml": "not = [valid"}, CONFIG)
    _, problems = load_overrides(config.root, config.extra)
    assert problems and problems[0].path.endswith("people.toml")


def test_extraction_applies_overrides(site):
    config = site({}, CONFIG + '\n[entities]\nbackend = "rules"\n')
    settings = EntitySettings.from_config(config)
    body = "Libyan leader Muammar Qaddafi spoke. A Grand Jury said nothing, said Ruth Adler."
    names = extract_people("Libya", body, settings)
    assert "Grand Jury" not in names and "Ruth Adler" in names


def test_settings_reject_unknown_backend(site):
    config = site({}, '[site]\ntitle = "T"\n[entities]\nbackend = "magic"\n')
    _, problems = EntitySettings.from_config_checked(config)
    assert problems and "backend" in problems[0].message
