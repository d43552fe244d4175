"""Quotes, scope notes and keywords are read the same way, so a keyword finds its inflections."""

from __future__ import annotations

import pytest

from forumkit.suggest.stemmer import stem
from forumkit.suggest.text import terms

# From Porter's paper and his published test vocabulary.
PORTER = {
    "caresses": "caress",
    "ponies": "poni",
    "cats": "cat",
    "feed": "feed",
    "agreed": "agre",
    "plastered": "plaster",
    "motoring": "motor",
    "sing": "sing",
    "conflated": "conflat",
    "hopping": "hop",
    "falling": "fall",
    "filing": "file",
    "happy": "happi",
    "relational": "relat",
    "conditional": "condit",
    "generalizations": "gener",
    "oscillators": "oscil",
    "triplicate": "triplic",
    "hopeful": "hope",
    "goodness": "good",
    "allowance": "allow",
    "adjustment": "adjust",
    "adoption": "adopt",
    "effective": "effect",
    "controll": "control",
    "roll": "roll",
}


@pytest.mark.parametrize(("word", "expected"), sorted(PORTER.items()))
def test_the_porter_stemmer_agrees_with_porters_own_examples(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_inflections_of_a_forums_words_meet() -> None:
    assert terms("We waited. Still waiting; the wait goes on.") == [
        "wait",
        "still",
        "wait",
        "wait",
        "goe",
    ]
    assert terms("exclusion") != terms("excluded")  # Porter's limits: both are keywords
    assert terms("tribunals") == terms("tribunal")
    assert terms("Policies") == terms("policy")


def test_function_words_are_left_out_but_negations_are_kept() -> None:
    assert terms("They have not been heard at all") == ["not", "heard"]
    assert terms("no support, never any help, without a diagnosis") == [
        "no",
        "support",
        "never",
        "help",
        "without",
        "diagnosi",
    ]


def test_contractions_open_up_and_possessives_drop() -> None:
    assert terms("They didn’t listen and can't cope; it won't change") == [
        "not",
        "listen",
        "can",
        "not",
        "cope",
        "not",
        "chang",
    ]
    assert terms("Jamie's school, the parents' views") == ["jami", "school", "parent", "view"]
    assert terms("We cannot") == ["can", "not"]


def test_hyphenated_words_split_unless_the_prefix_is_not_a_word() -> None:
    assert terms("a part-time timetable") == terms("a part time timetable")
    assert terms("off-rolled") == ["off", "roll"]
    assert terms("co-production") == terms("coproduction")
    assert terms("post-16") == ["post", "16"]


def test_case_and_unicode_forms_do_not_matter() -> None:
    assert terms("CAMHS ＣＡＭＨＳ camhs") == ["camh", "camh", "camh"]
    assert terms("ﬁnancial") == terms("financial")
    assert terms("") == []
    assert terms("!!! — ...") == []
