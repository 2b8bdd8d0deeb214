"""Canonical names across the archive: spelling variants merge, namesakes stay apart."""

from __future__ import annotations

from sitegen.entities.aliases import canonicalize_archive, spelling_key
from sitegen.entities.overrides import PeopleOverrides


def canon(*lists: list[str], overrides: PeopleOverrides | None = None) -> dict[str, str]:
    return canonicalize_archive(list(lists), overrides).canonical


def test_transliteration_variants_merge():
    mapping = canon(
        ["Yury Ushakov", "Volodymyr Zelensky", "Sergey Lavrov"],
        ["Yuri Ushakov", "Volodymyr Zelenskyy", "Sergei Lavrov"],
        ["Yuriy Ushakov", "Volodymyr Zelenskiy", "Sergei Lavrov"],
    )
    assert len({mapping[n] for n in ("Yury Ushakov", "Yuri Ushakov", "Yuriy Ushakov")}) == 1
    assert (
        len(
            {
                mapping[n]
                for n in ("Volodymyr Zelensky", "Volodymyr Zelenskyy", "Volodymyr Zelenskiy")
            }
        )
        == 1
    )
    assert mapping["Sergey Lavrov"] == mapping["Sergei Lavrov"] == "Sergei Lavrov"  # most used


def test_ties_go_to_the_newest_spelling():
    mapping = canon(["Yury Ushakov"], ["Yuri Ushakov"])
    assert mapping["Yury Ushakov"] == "Yuri Ushakov"


def test_accents_and_case_do_not_split_a_person():
    mapping = canon(["Recep Tayyip Erdoğan"], ["Recep Tayyip Erdogan"], ["Recep Tayyip Erdoğan"])
    assert mapping["Recep Tayyip Erdogan"] == "Recep Tayyip Erdoğan"


def test_people_sharing_a_surname_stay_apart():
    mapping = canon(["Donald Trump", "Ivanka Trump"], ["Donald Trump Jr."], ["Melania Trump"])
    assert (
        len(
            {
                mapping[n]
                for n in ("Donald Trump", "Ivanka Trump", "Donald Trump Jr.", "Melania Trump")
            }
        )
        == 4
    )


def test_bare_surname_joins_only_an_unambiguous_full_name():
    mapping = canon(
        ["Trump"], ["Donald Trump"], ["Donald Trump"], ["Donald Trump"], ["Donald Trump"]
    )
    assert mapping["Trump"] == "Donald Trump"
    ambiguous = canon(["Sharif"], ["Nawaz Sharif"], ["Shehbaz Sharif"])
    assert ambiguous["Sharif"] == "Sharif"
    dominant = canon(["Trump"], *[["Donald Trump"]] * 9, ["Ivanka Trump"])
    assert dominant["Trump"] == "Donald Trump"
    assert dominant["Ivanka Trump"] == "Ivanka Trump"


def test_a_tail_of_a_longer_name_joins_it():
    mapping = canon(["Sarah Huckabee Sanders"], ["Huckabee Sanders"])
    assert mapping["Huckabee Sanders"] == "Sarah Huckabee Sanders"


def test_close_surnames_merge_only_when_given_names_agree():
    mapping = canon(["Tedros Ghebreyesus"], ["Tedros Ghebreyesous"])
    assert mapping["Tedros Ghebreyesous"] == mapping["Tedros Ghebreyesus"]
    apart = canon(["Michael Cohen"], ["Michelle Cohen"], ["Michael Cohn"])
    assert len(set(apart.values())) == 3


def test_aliases_are_listed_per_canonical_name():
    archive = canonicalize_archive([["Yury Ushakov"], ["Yuri Ushakov"], ["Ushakov"]])
    assert archive.aliases["Yuri Ushakov"] == ["Ushakov", "Yury Ushakov"]
    assert archive.apply(["Ushakov", "Yury Ushakov", "Someone Else"]) == [
        "Yuri Ushakov",
        "Someone Else",
    ]


def test_overrides_alias_drop_merge_and_keep_apart():
    overrides = PeopleOverrides(
        aliases={"Qaddafi": "Muammar Gaddafi"},
        not_people=("Grand Jury",),
        merges=(("Mohammed bin Salman", "MBS"),),
        keep_apart=(("George Bush", "George W. Bush"),),
    )
    archive = canonicalize_archive(
        [
            ["Qaddafi", "Grand Jury", "MBS"],
            ["Muammar Gaddafi", "Mohammed bin Salman"],
            ["George Bush"],
            ["George W. Bush", "Bush"],
        ],
        overrides,
    )
    assert archive.canonical["Qaddafi"] == "Muammar Gaddafi"
    assert archive.canonical["Grand Jury"] == ""
    assert archive.canonical["MBS"] == "Mohammed bin Salman"
    assert archive.canonical["George Bush"] != archive.canonical["George W. Bush"]
    assert archive.apply(["Grand Jury", "Qaddafi"]) == ["Muammar Gaddafi"]


def test_spelling_key_folds():
    assert spelling_key("Zelenskyy") == spelling_key("Zelensky") == spelling_key("Zelenskiy")
    assert spelling_key("Sergey") == spelling_key("Sergei")
    assert spelling_key("Mikhail") == spelling_key("Mihail")
    assert spelling_key("Ivanka Trump") != spelling_key("Donald Trump")


def test_common_given_name_families_merge():
    mapping = canon(["Mohammed bin Salman"], ["Muhammad bin Salman"], ["Mohammad bin Salman"])
    assert len(set(mapping.values())) == 1
    mapping = canon(
        ["Yevgeny Prigozhin"], ["Evgeny Prigozhin"], ["Aleksandr Dugin"], ["Alexander Dugin"]
    )
    assert mapping["Evgeny Prigozhin"] == mapping["Yevgeny Prigozhin"]
    assert mapping["Aleksandr Dugin"] == mapping["Alexander Dugin"]


def test_an_alias_may_point_to_a_name_no_article_uses():
    overrides = PeopleOverrides(aliases={"Qaddafi": "Muammar al-Gaddafi"})
    archive = canonicalize_archive([["Qaddafi", "Ann Lee"], ["Qaddafi"]], overrides)
    assert archive.apply(["Qaddafi", "Ann Lee"]) == ["Muammar al-Gaddafi", "Ann Lee"]
