"""UK postcodes: full ones in capitals or lower case; outward codes alone only when unambiguous."""

from __future__ import annotations

import pytest

from forumkit.redaction.postcodes import find_postcodes

from .helpers import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SW1A 1AA", ["SW1A 1AA"]),
        ("we live at M1 1AE.", ["M1 1AE"]),
        ("B33 8TH", ["B33 8TH"]),
        ("CR2 6XH and DN55 1PT", ["CR2 6XH", "DN55 1PT"]),
        ("W1A 0AX", ["W1A 0AX"]),
        ("EC1A 1BB", ["EC1A 1BB"]),
        ("SW1A1AA", ["SW1A1AA"]),  # no space
        ("sw1a 1aa", ["sw1a 1aa"]),  # typed in lower case
        ("postcode: ls6 2ab", ["ls6 2ab"]),
    ],
)
def test_full_postcodes(text: str, expected: list[str]) -> None:
    assert found(text, find_postcodes(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ABC 123",
        "Sw1a 1Aa",  # mixed case
        "XY1 2AB",  # XY is not a postcode area
        "KS2 SATs",  # key stage 2, and KS is no postcode area
        "year b1 2nd",  # reads as an ordinal in lower case
        "Y6 pupils",
    ],
)
def test_things_shaped_a_little_like_postcodes(text: str) -> None:
    assert found(text, find_postcodes(text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we moved to LS6 last year", ["LS6"]),
        ("anyone else in NW10?", ["NW10"]),
        ("SW1A families", ["SW1A"]),
        ("SW1A 1CA", ["SW1A"]),  # C is never in an inward code: only the outward code is one
        ("LS6's schools", ["LS6"]),
        ("our postcode is M14", ["M14"]),  # a one-letter area after a cue
        ("we live in B15 now", ["B15"]),
        ("near E1", ["E1"]),
        ("LS6-based families", ["LS6"]),
    ],
)
def test_outward_codes_alone_where_unambiguous(text: str, expected: list[str]) -> None:
    assert found(text, find_postcodes(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "stuck on the M6 again",  # a motorway: one-letter area, no cue
        "the A1 was closed",  # A is no postcode area
        "CO2 levels in the classroom",
        "a can of WD40",
        "ls6 in lower case",  # outward codes alone only in capitals
        "EHCP1 form",
    ],
)
def test_outward_codes_that_are_something_else(text: str) -> None:
    assert found(text, find_postcodes(text)) == []
