"""Emails, links, UK phone numbers and NHS numbers: what is detected, and what is left alone."""

from __future__ import annotations

import pytest

from forumkit.redaction.contacts import (
    find_emails,
    find_links,
    find_nhs_numbers,
    find_phone_numbers,
    nhs_check_digit_ok,
)

from .helpers import found, nhs_number, redacted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email me at jo.bloggs@example.com please", ["jo.bloggs@example.com"]),
        ("Mum: Jo_B+forum@mail.example.co.uk.", ["Jo_B+forum@mail.example.co.uk"]),
        ("(jamie99@example.org)", ["jamie99@example.org"]),
        ("two: a@example.com, b@example.net", ["a@example.com", "b@example.net"]),
    ],
)
def test_emails_are_found_without_trailing_punctuation(text: str, expected: list[str]) -> None:
    assert found(text, find_emails(text)) == expected


@pytest.mark.parametrize(
    "text",
    ["meet @ school", "the @handle on twitter", "me@home", "score 3@5", "an email address"],
)
def test_things_with_an_at_sign_that_are_not_emails(text: str) -> None:
    assert found(text, find_emails(text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://example.org/send/local-offer.", ["https://example.org/send/local-offer"]),
        ("(http://example.com/a_(b))", ["http://example.com/a_(b)"]),
        ("on www.example.co.uk, the forum", ["www.example.co.uk"]),
        ("look up example-forum.org.uk/events today", ["example-forum.org.uk/events"]),
        ("HTTPS://EXAMPLE.ORG", ["HTTPS://EXAMPLE.ORG"]),
        ("[the form](https://example.org/f?id=3)", ["https://example.org/f?id=3"]),
    ],
)
def test_links_are_found(text: str, expected: list[str]) -> None:
    assert found(text, find_links(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "e.g. a ramp",
        "i.e. nothing",
        "the end.Info was missing",  # a missing space after a full stop
        "version 2.3 of the plan",
        "jo@example.com",  # an email, not a link
    ],
)
def test_things_with_dots_that_are_not_links(text: str) -> None:
    assert found(text, find_links(text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 07700 900123 after 3", ["07700 900123"]),
        ("07700900123", ["07700900123"]),
        ("mobile 07700-900-123.", ["07700-900-123"]),
        ("+44 7700 900123", ["+44 7700 900123"]),
        ("+447700900123", ["+447700900123"]),
        ("(+44) 7700 900123", ["(+44) 7700 900123"]),
        ("+44 (0)20 7946 0000", ["+44 (0)20 7946 0000"]),
        ("0044 121 496 0000", ["0044 121 496 0000"]),
        ("school office (0121) 496 0000", ["(0121) 496 0000"]),
        ("0121-496-0000", ["0121-496-0000"]),
        ("020 7946 0000, or", ["020 7946 0000"]),
        ("01632 960001", ["01632 960001"]),
        ("016977 2345", ["016977 2345"]),  # a ten-digit geographic number
        ("0800 123 456", ["0800 123 456"]),
        ("0121 496 0000 12 children", ["0121 496 0000"]),  # a figure after the number
        ("07700 900000 07700 900001", ["07700 900000", "07700 900001"]),  # two in a row
        ("home 0121 496 0000 07700 900123", ["0121 496 0000", "07700 900123"]),
    ],
)
def test_uk_phone_numbers_in_every_usual_form(text: str, expected: list[str]) -> None:
    assert found(text, find_phone_numbers(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "12345678901",  # eleven digits, no leading 0
        "0770 090",  # too short
        "0770 0900 1234 5678",  # a long reference: no whole UK number at its start
        "0400 123 4567",  # 04 is not in use
        "03/04/2019",  # a date
        "2019-2020",  # a range of years
        "£0.50 a day",
        "ref 0123-45",
        "+33 1 23 45 67 89",  # a French number is not a UK number
    ],
)
def test_numbers_that_are_not_uk_phone_numbers(text: str) -> None:
    assert found(text, find_phone_numbers(text)) == []


def test_nhs_check_digit() -> None:
    assert nhs_check_digit_ok("9434765919")
    assert not nhs_check_digit_ok("9434765918")  # the wrong check digit
    assert not nhs_check_digit_ok("1000000010")  # its check digit would be 10: never issued
    assert not nhs_check_digit_ok("0000000000")  # passes the sum, but a placeholder
    assert nhs_number("943476591") == "9434765919"
    with pytest.raises(ValueError):
        nhs_number("100000001")


@pytest.mark.parametrize(
    "text", ["NHS no 943 476 5919.", "9434765919", "943-476-5919", "(943 476 5919)"]
)
def test_nhs_numbers_spaced_3_3_4_or_not(text: str) -> None:
    assert found(text, find_nhs_numbers(text)) == [text.strip("NHS no.()")]


@pytest.mark.parametrize(
    "text",
    [
        "943 476 5918",  # ten digits failing the modulus 11 check
        "94347659190",  # eleven digits
        "19434765919",  # eleven digits, a valid number inside
        "943 476-5919",  # mixed separators
        "94 3476 5919",  # not 3-3-4
        "1111111111",  # one repeated digit
    ],
)
def test_numbers_that_are_not_nhs_numbers(text: str) -> None:
    assert found(text, find_nhs_numbers(text)) == []


def test_an_nhs_number_is_told_apart_from_a_phone_number() -> None:
    assert redacted("NHS 943 476 5919, mobile 07700 900123") == ("NHS [NHS number], mobile [phone]")


def test_an_eleven_digit_number_is_not_redacted_as_an_nhs_number() -> None:
    assert redacted("case ref 94347659190") == "case ref 94347659190"
