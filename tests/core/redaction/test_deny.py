"""A forum's deny-list: terms of three kinds, matched case-insensitively as whole words."""

from __future__ import annotations

import pytest

from forumkit.redaction import DenyKind, DenyTerm, RedactionError, RedactionKind, propose
from forumkit.redaction.deny import find_deny_terms

from .helpers import found, redacted

DENY = (
    DenyTerm("Oakwood Academy", DenyKind.SCHOOL),
    DenyTerm("Oakwood", "school"),  # type: ignore[arg-type]  # as a file stores it
    DenyTerm("St Mary's Primary", DenyKind.SCHOOL),
    DenyTerm("Mrs Okafor", DenyKind.PERSON),
    DenyTerm("Little Hadley", DenyKind.PLACE),
    DenyTerm("Hadley Children's Centre", DenyKind.PLACE),
)


def test_each_kind_has_its_token() -> None:
    text = "At Oakwood Academy Mrs Okafor said Little Hadley has no places."
    assert redacted(text, DENY) == "At [school] [name] said [place] has no places."
    kinds = {span.kind for span in propose(text, DENY).spans}
    assert kinds == {RedactionKind.SCHOOL, RedactionKind.NAME, RedactionKind.PLACE}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oakwood academy", ["oakwood academy"]),  # any case
        ("OAKWOOD ACADEMY", ["OAKWOOD ACADEMY"]),
        ("Oakwood\n  Academy", ["Oakwood\n  Academy"]),  # spaces and line breaks alike
        ("St Mary’s Primary", ["St Mary’s Primary"]),  # curly apostrophe
        ("Oakwood's head", ["Oakwood"]),  # a possessive keeps its ending
        ("Oakwood Academy and Oakwood", ["Oakwood Academy", "Oakwood"]),  # longest first
    ],
)
def test_terms_match_case_insensitively_as_whole_phrases(text: str, expected: list[str]) -> None:
    assert found(text, find_deny_terms(text, DENY)) == expected


@pytest.mark.parametrize("text", ["Oakwoods", "Oakwood2", "BigOakwood", "Little Hadleys", "oak"])
def test_terms_never_match_inside_other_words(text: str) -> None:
    assert found(text, find_deny_terms(text, DENY)) == []


def test_a_deny_list_term_beats_a_name_inside_it() -> None:
    assert redacted("She moved to St Mary's Primary.", DENY) == "She moved to [school]."
    assert redacted("She moved to St Mary's Primary.") == "She moved to St [name]'s Primary."


def test_the_same_words_with_two_kinds_take_the_more_specific() -> None:
    terms = (DenyTerm("Hadley", DenyKind.PERSON), DenyTerm("hadley", DenyKind.SCHOOL))
    assert redacted("Hadley again", terms) == "[school] again"


@pytest.mark.parametrize("term", ["", "   ", "--", "’"])
def test_an_empty_term_is_refused_in_one_sentence(term: str) -> None:
    with pytest.raises(RedactionError, match=r"^A deny-list entry is empty"):
        DenyTerm(term, DenyKind.PLACE)


def test_an_unknown_kind_is_refused_without_repeating_the_term() -> None:
    with pytest.raises(RedactionError, match=r"school, person or place") as caught:
        DenyTerm("Mrs Okafor", "teacher")  # type: ignore[arg-type]
    assert "Okafor" not in str(caught.value)


def test_a_term_never_shows_in_a_repr() -> None:
    assert "Okafor" not in repr(DenyTerm("Mrs Okafor", DenyKind.PERSON))
