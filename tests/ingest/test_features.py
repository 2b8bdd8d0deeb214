"""The body model's features, one family at a time, on lines and pages written here."""

from __future__ import annotations

import math

import pytest

from sitegen.ingest import features as F
from sitegen.ingest.clean import page_lines, prepare
from sitegen.ingest.language import function_density, page_function_words, word_units

PROSE = (
    "The city council voted on Tuesday to approve a new bridge over the river, ending a "
    "debate that had lasted for more than four years in the town."
)
PROSE_2 = (
    "Residents who opposed the bridge said they would keep campaigning against the cost of "
    "the river crossing, which they put at twice the first estimate."
)
PROSE_3 = (
    "Work on the bridge is expected to begin next spring and to take about eighteen months, "
    "the council said in a statement released after the vote."
)
FRENCH = (
    "Le conseil municipal a voté mardi pour la construction d'un nouveau pont sur la rivière, "
    "mettant fin à un débat qui durait depuis plus de quatre ans dans la ville."
)
GERMAN = (
    "Der Stadtrat hat am Dienstag für den Bau einer neuen Brücke über den Fluss gestimmt und "
    "damit eine Debatte beendet, die seit mehr als vier Jahren in der Stadt andauerte."
)
CZECH = (
    "Zastupitelstvo v úterý schválilo stavbu nového mostu přes řeku, čímž skončila debata, "
    "která se ve městě vedla více než čtyři roky a která rozdělila obyvatele."
)
JAPANESE = "市議会は火曜日、川に新しい橋を架ける計画を承認し、四年以上続いた議論に終止符を打った。"


def context(texts: list[str]) -> F.PageContext:
    return F.page_context([F.PageLine(t) for t in texts])


def value(feature, texts: list[str], index: int) -> float:
    return feature(context(texts), index)


# --- length ----------------------------------------------------------------------------


def test_length_counts_words_and_unspaced_scripts_by_characters():
    assert value(F.log_words, [PROSE, "Home"], 0) > value(F.log_words, [PROSE, "Home"], 1)
    assert word_units("one two three") == 3
    assert word_units("市議会は火曜日") == pytest.approx(3.5)  # seven characters, two a word
    ctx = context([PROSE, "Home"])
    assert F.word_share(ctx, 0) + F.word_share(ctx, 1) == pytest.approx(1.0)


# --- language --------------------------------------------------------------------------


FRENCH_2 = (
    "Les habitants qui étaient contre le projet ont dit qu'ils allaient continuer à se battre "
    "contre le coût du pont, qu'ils estiment au double de la première estimation."
)
GERMAN_2 = (
    "Die Anwohner, die gegen das Projekt waren, sagten, sie würden weiter gegen die Kosten der "
    "Brücke kämpfen, die sie auf das Doppelte der ersten Schätzung schätzen."
)
CZECH_2 = (
    "Obyvatelé, kteří byli proti projektu, řekli, že budou dál bojovat proti ceně mostu, "
    "která je podle nich dvakrát vyšší než první odhad a která se ještě zvýší."
)
PAGES = {
    "en": [PROSE, PROSE_2, PROSE_3],
    "fr": [FRENCH, FRENCH_2, f"{FRENCH_2} {FRENCH}"],
    "de": [GERMAN, GERMAN_2, f"{GERMAN_2} {GERMAN}"],
    "cs": [CZECH, CZECH_2, f"{CZECH_2} {CZECH}"],
}


@pytest.mark.parametrize("language", sorted(PAGES))
def test_prose_is_dense_with_the_pages_own_function_words_menus_are_not(language):
    page = [*PAGES[language], "Politics Business Sport Culture Travel"]
    words = page_function_words(page)
    assert function_density(page[0], words) >= 0.2
    assert function_density(page[-1], words) < 0.1


def test_a_page_s_function_words_are_short_frequent_words_of_its_sentences():
    words = page_function_words(PAGES["fr"] + ["Accueil Politique Sport"] * 5)
    assert {"la", "de", "le", "qui"} <= words
    assert "accueil" not in words  # a menu line, however often it is saved
    assert "estimation" not in words  # too long to be a function word


def test_right_to_left_pages_are_measured_like_the_rest():
    arabic = "قال المجلس البلدي إن العمل في الجسر الجديد سيبدأ في الربيع وأن المشروع من أجل المدينة"
    other = "وقال رئيس المجلس إن العمل في المشروع سيستمر من أجل المدينة في الربيع"
    words = page_function_words([arabic, other, f"{other} {arabic}"])
    assert function_density(arabic, words) >= 0.2


def test_japanese_density_counts_kana():
    assert function_density(JAPANESE, frozenset()) > 0.1
    assert function_density("東京千代田区", frozenset()) == 0.0


def test_page_common_words_need_no_list():
    texts = [PROSE, PROSE_2, PROSE_3, PROSE_2.replace("twice", "double"), "Weather Puzzles"]
    texts += [f"{PROSE_3} {PROSE}"] * 3
    ctx = context(texts)
    assert F.page_common_density(ctx, 0) > 0.3 > F.page_common_density(ctx, 4) == 0.0


# --- sentence shape and characters -----------------------------------------------------


def test_sentence_shape():
    ctx = context([PROSE, "Read more", "Subscribe:", f"{PROSE} {PROSE_2}"])
    assert F.ends_with_sentence_end(ctx, 0) == 1.0 and F.ends_with_sentence_end(ctx, 1) == 0.0
    assert F.ends_with_colon(ctx, 2) == 1.0
    assert F.sentence_count(ctx, 3) > F.sentence_count(ctx, 0)
    assert F.comma_rate(ctx, 0) > 0 and F.comma_rate(ctx, 1) == 0


def test_character_shapes():
    texts = [
        "SIGN UP NOW",
        "Politics And Business",
        "Updated 12:45 3/4/2024",
        "Home | News | Sport",
    ]
    texts += [
        "• first item",
        "Follow @harbourledger on www.example.com",
        "“We will go on,” she said.",
    ]
    ctx = context(texts)
    assert F.upper_case_share(ctx, 0) == 1.0
    assert F.title_case_share(ctx, 1) == 1.0
    assert F.digit_share(ctx, 2) > 0.3
    assert F.symbol_share(ctx, 3) > 0.1
    assert F.bullet_start(ctx, 4) == 1.0
    assert F.link_text(ctx, 5) == 1.0
    assert F.quote_start(ctx, 6) == 1.0
    assert F.starts_lower(context(["and then the rest"]), 0) == 1.0
    assert F.unspaced_share(context([JAPANESE]), 0) > 0.9


# --- menus, repetition -----------------------------------------------------------------


def test_a_menu_is_a_run_of_short_lines():
    texts = ["Home", "News", "Sport", "Weather", PROSE]
    ctx = context(texts)
    assert F.short_run(ctx, 1) == pytest.approx(math.log1p(4))
    assert F.short_run(ctx, 4) == 0.0


def test_repetition_features_come_from_the_repeat_step():
    headline = "Council approves the river bridge"
    prepared = prepare([headline, PROSE, PROSE_2, headline, f"{PROSE_3} {PROSE} {PROSE_2}"])
    lines = page_lines(prepared)
    ctx = F.page_context(lines)
    texts = [line.text for line in lines]
    assert F.repeats_elsewhere(ctx, texts.index(headline)) == pytest.approx(math.log(2))
    assert F.lost_sentences(ctx, texts.index(PROSE_3)) == 1.0  # its copy of the two went
    assert F.lost_sentences(ctx, texts.index(PROSE)) == 0.0


# --- position and topic ----------------------------------------------------------------


def test_position_relative_to_the_prose():
    texts = ["Home", "News", PROSE, PROSE_2, PROSE_3, "Contact", "Privacy"]
    ctx = context(texts)
    assert F.prose_above(ctx, 0) == 0.0 and F.prose_below(ctx, 0) == 1.0
    assert F.prose_above(ctx, 6) == 1.0 and F.prose_below(ctx, 6) == 0.0
    assert F.in_main_run(ctx, 3) == 1.0 and F.in_main_run(ctx, 0) == 0.0
    assert F.below_densest(ctx, 6) == 1.0 and F.below_densest(ctx, 0) == -1.0
    assert F.densest_distance(ctx, 0) > F.densest_distance(ctx, 2)
    assert F.prose_up_distance(ctx, 5) < F.prose_down_distance(ctx, 5)  # no prose below
    assert F.run_side(ctx, 6) == 1.0 and F.run_distance(ctx, 6) > F.run_distance(ctx, 5)


def test_a_line_about_something_else_is_less_central():
    other = (
        "Tickets for the summer music festival in the old harbour go on sale on Friday, "
        "organisers said, with headline acts still to be announced."
    )
    texts = [PROSE, PROSE_2, other, PROSE_3]
    ctx = context(texts)
    assert F.centrality(ctx, 2) < min(F.centrality(ctx, i) for i in (0, 1, 3))
    assert F.topic_overlap(ctx, 2) < F.topic_overlap(ctx, 1)
    assert F.run_topic_overlap(ctx, 2) < F.run_topic_overlap(ctx, 1)


# --- the hand rules' verdicts ----------------------------------------------------------


def test_extracted_input_is_a_feature_of_every_line():
    lines = page_lines(prepare([PROSE, PROSE_2], extracted=True))
    ctx = F.page_context(lines)
    assert F.extracted_input(ctx, 0) == F.extracted_input(ctx, 1) == 1.0
    assert F.extracted_input(context([PROSE]), 0) == 0.0


def test_hand_rule_verdicts_are_features_not_drops():
    prepared = prepare(["SUBSCRIBE TO OUR NEWSLETTER", PROSE, PROSE_2, PROSE_3])
    assert all(line.kept for line in prepared.page.lines)  # the rules only gave verdicts
    lines = page_lines(prepared)
    ctx = F.page_context(lines)
    rule = F._rule_feature("call_to_action")
    assert rule(ctx, 0) == 1.0 and F.any_rule(ctx, 0) == 1.0
    assert rule(ctx, 1) == 0.0 and F.in_rule_span(ctx, 1) == 1.0


# --- neighbours ------------------------------------------------------------------------


def test_rows_carry_the_neighbours_features_and_mark_the_page_edges():
    ctx = context(["Home", PROSE, PROSE_2])
    rows = F.feature_rows(ctx)
    names = F.feature_names()
    assert len(rows) == 3 and all(len(row) == len(names) for row in rows)
    assert rows[1][names.index("prev1_log_words")] == rows[0][names.index("log_words")]
    assert rows[1][names.index("next1_log_words")] == rows[2][names.index("log_words")]
    assert rows[0][names.index("prev1_log_words")] == F.MISSING
    assert rows[2][names.index("next2_log_words")] == F.MISSING


def test_every_feature_has_a_name_and_a_docstring():
    names = F.feature_names()
    assert len(names) == len(set(names))
    for feature in (*F.LINE_FEATURES, *F.NEIGHBOUR_FEATURES):
        assert feature.__doc__ and feature.__doc__.strip()
