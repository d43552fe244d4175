"""Cell conversions: choices written as labels or joined, dates in UK/US order or as serials."""

from __future__ import annotations

import datetime as dt

import pytest

from forumkit.importers.values import (
    ChoiceMatcher,
    UnreadableDate,
    choose_date_order,
    normalise,
    numeric_date_order,
    read_datetime,
)
from forumkit.surveys import Choice, ChoiceList, Survey

SERVICES = ChoiceList(
    "services",
    (
        Choice("respite", {"": "Respite, short breaks"}),
        Choice("respite_long", {"": "Respite, short breaks, overnight"}),
        Choice("salt", {"": "Speech and language therapy"}),
        Choice("camhs", {"": "CAMHS", "cy": "CAMHS (Cymraeg)"}),
    ),
)
SURVEY = Survey("f", "t", (), {"services": SERVICES})


def matcher() -> ChoiceMatcher:
    return ChoiceMatcher.for_list(SURVEY, SERVICES, or_other=False)


def test_normalise_ignores_case_spacing_and_punctuation() -> None:
    assert normalise("  How old is your child? ") == normalise("how_old-is your CHILD")


def test_google_ticks_with_commas_inside_labels() -> None:
    found = matcher().many(
        "Respite, short breaks, CAMHS, Respite, short breaks, overnight", (", ",)
    )
    assert found == ("respite", "camhs", "respite_long")


def test_microsoft_ticks_with_trailing_semicolon() -> None:
    assert matcher().many("Speech and language therapy;CAMHS;", (";",)) == ("salt", "camhs")


def test_names_separated_by_spaces_and_labels_in_another_language() -> None:
    assert matcher().many("salt camhs", (" ",)) == ("salt", "camhs")
    assert matcher().one("camhs (cymraeg)") == "camhs"


def test_unknown_pieces_are_kept_for_the_checks_to_refuse() -> None:
    assert matcher().many("CAMHS, Swimming", (", ",)) == ("camhs", "Swimming")


@pytest.mark.parametrize(
    ("text", "order"),
    [("25/12/2025", "dmy"), ("12/25/2025", "mdy"), ("03/04/2025", "either"), ("2025-04-03", None)],
)
def test_what_one_date_says_about_the_order(text: str, order: str | None) -> None:
    assert numeric_date_order(text) == order


def test_the_order_is_chosen_per_file() -> None:
    assert choose_date_order(["either", "either"]) == ("dmy", True)
    assert choose_date_order(["either", "mdy"]) == ("mdy", False)
    assert choose_date_order(["dmy", "mdy", "dmy"]) == ("dmy", False)
    assert choose_date_order([]) == ("dmy", False)


def test_dates_in_many_spellings() -> None:
    assert read_datetime("03/04/2025", "dmy") == dt.datetime(2025, 4, 3)
    assert read_datetime("03/04/2025", "mdy") == dt.datetime(2025, 3, 4)
    assert read_datetime("3/4/2025 2:05:09 PM", "mdy") == dt.datetime(2025, 3, 4, 14, 5, 9)
    assert read_datetime("2025/04/03 14:05:09 GMT", "mdy") == dt.datetime(2025, 4, 3, 14, 5, 9)
    assert read_datetime("3 April 2025", "mdy") == dt.datetime(2025, 4, 3)
    assert read_datetime("Apr 3, 2025", "dmy") == dt.datetime(2025, 4, 3)
    assert read_datetime(45750, "dmy") == dt.datetime(2025, 4, 3)
    assert read_datetime(45750.5, "dmy") == dt.datetime(2025, 4, 3, 12, 0)


@pytest.mark.parametrize("cell", ["next Tuesday", "31/02/2025", "2025", 7, "13/13/2025", True])
def test_what_is_not_a_date(cell: object) -> None:
    with pytest.raises(UnreadableDate):
        read_datetime(cell, "dmy")
