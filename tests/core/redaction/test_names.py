"""Given names: whole words, case-aware, possessives kept, and names that are also words only
where the context says they are names (the rule in ``forumkit/redaction/names.py``)."""

from __future__ import annotations

import pytest

from forumkit.paths import resource_path
from forumkit.redaction.names import (
    NAME_FILES,
    WORD_NAMES_FILE,
    find_given_names,
    read_list,
    shipped_names,
)

from .helpers import found, redacted


def names_in(text: str) -> list[str]:
    return found(text, find_given_names(text))


def test_i_will_ask_will_redacts_only_the_second() -> None:
    assert redacted("I will ask Will") == "I will ask [name]"


def test_a_possessive_keeps_its_ending() -> None:
    assert redacted("Jamie's EHCP") == "[name]'s EHCP"
    assert redacted("Jamie’s EHCP") == "[name]’s EHCP"
    assert redacted("James' mum rang") == "[name]' mum rang"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My son Oliver has autism", ["Oliver"]),
        ("my son oliver has autism", ["oliver"]),  # typed without capitals
        ("OLIVER HAS AUTISM", ["OLIVER"]),
        ("Mary-Jane and Aisha", ["Mary", "Jane", "Aisha"]),
        ("Zoë, Zoé and Zoe", ["Zoë", "Zoé", "Zoe"]),
        ("Zoe\u0308 again", ["Zoe\u0308"]),  # decomposed accent: the mark is part of the name
        ("João and Oliwia", ["João", "Oliwia"]),
        ("Mohammed, Harpreet and Chidi", ["Mohammed", "Harpreet", "Chidi"]),
    ],
)
def test_listed_names_as_whole_words(text: str, expected: list[str]) -> None:
    assert names_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Jamieson Road",  # part of a longer word
        "Samosas at the fair",  # "Sam" inside a longer word
        "user jamie2 and jamie_b",  # glued to digits or an underscore
        "EMA and ADA",  # short acronyms in capitals
        "jAMIE",  # odd mixed case
        "the Local Offer and EHCP",
    ],
)
def test_not_names(text: str) -> None:
    assert names_in(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # months
        ("We applied in May 2024.", []),
        ("In May we asked again.", []),
        ("by June nothing had happened", []),
        ("at the end of April", []),
        ("It's now June.", []),
        ("mid-May", []),
        ("on the 3rd of May", []),
        ("May I add something?", []),
        ("I told May about it", ["May"]),
        ("May's EHCP arrived", ["May"]),
        ("in Year 6 May struggled", ["May"]),
        # seasons
        ("in Summer 2023", []),
        ("Summer term was hard", []),
        ("Summer-born children", []),
        ("my daughter Summer", ["Summer"]),
        # verbs at the start of a sentence
        ("Will you help?", []),
        ("Will encourage schools to listen.", []),
        ("Hope this helps.", []),
        ("Mark my words.", []),
        ("Will has autism.", ["Will"]),
        ("Will loves trains.", ["Will"]),
        ("Will, aged 7, is waiting.", ["Will"]),
        ("Rose was upset.", ["Rose"]),
        ("Rose to the challenge.", []),
        # other words that are names
        ("Grace is 7.", ["Grace"]),
        ("by the grace of the panel", []),
        ("we hope so", []),
        ("prices rose", []),
        ("Jack of all trades", []),
        ("he goes to a Christian school", []),
        ("the Disabled Facilities Grant", []),
        ("we applied for the Grant", []),
        ("When Grace came home", ["Grace"]),
        ("Mrs. Hope said no", ["Hope"]),
        ("my daughter, Grace, is", ["Grace"]),
        ("our Rose and her brother", ["Rose"]),
        ("his teddy and Teddy's bag", ["Teddy"]),
        ("tai chi at Tai's club", ["Tai"]),
    ],
)
def test_names_that_are_also_words_need_name_context(text: str, expected: list[str]) -> None:
    assert names_in(text) == expected


def test_the_shipped_lists_are_there_with_their_source_and_licence() -> None:
    names = shipped_names()
    assert len(names) > 1200
    for filename in (*NAME_FILES, WORD_NAMES_FILE):
        entries = read_list(filename)
        assert entries, filename
        lines = resource_path("redaction", filename).read_text(encoding="utf-8").splitlines()
        header = " ".join(line for line in lines if line.startswith("#"))
        assert lines[0].startswith("#") and "MIT" in header
        for entry in entries:
            name = entry.split()[0]
            assert name[0].isupper() and name.replace("-", "").isalpha(), (filename, entry)
    assert "Faker" in resource_path("redaction", "given-names-faker.txt").read_text(
        encoding="utf-8"
    )
    licence = resource_path("redaction", "LICENSE-faker.txt").read_text(encoding="utf-8")
    assert "Daniele Faraglia" in licence and "Permission is hereby granted" in licence
    readme = resource_path("redaction", "README.md").read_text(encoding="utf-8")
    assert "Faker" in readme and "MIT" in readme


def test_word_names_carry_their_tags() -> None:
    names = shipped_names()
    assert names["may"].word and names["may"].time
    assert names["will"].word and names["will"].verb
    assert names["grace"].word and not names["grace"].verb
    assert not names["jamie"].word


def test_an_accent_on_the_first_letter_must_match_the_name() -> None:
    """Found while making a pack: the Romanian "Țara" (the country) was taken for Tara."""
    from forumkit.redaction import propose

    assert propose("Țara noastră are nevoie de școli mai bune.").is_clean
    assert propose("Tara waited a year for her assessment.").redacted_text.startswith("[name]")
    assert propose("Łukasz waited a year.").redacted_text.startswith("[name]")
    assert propose("Zoë waited a year.").redacted_text.startswith("[name]")
