"""Detectors for contact details and identifiers: emails, links, UK phone numbers, NHS numbers.

Each detector takes a text and yields ``RedactionSpan``s; overlaps between detectors are
resolved later (``forumkit.redaction.propose``). Patterns are deliberately strict about shape
and then checked (a phone number's length and prefix, an NHS number's check digit), because a
false alarm on every reference number would teach reviewers to ignore the proposals.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from forumkit.redaction.model import RedactionKind, RedactionSpan

EMAIL = re.compile(
    r"(?<![\w.+%-])[\w.+%-]*\w@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w@-])",
)

# Links with a scheme or "www.", or bare domains ending in a common top-level domain written in
# lower case (so "end.Info" at a missing space after a full stop is not a link).
LINK = re.compile(
    r"""(?<![\w@.-])
    (?:
        (?i:https?|ftp)://[^\s<>"“”\\\[\]{}|^]+
      | (?i:www)\.[^\s<>"“”\\\[\]{}|^]+
      | (?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+
        (?:com|org|net|uk|io|info|gov|nhs|edu|me|ly|app|online|co)
        (?![\w@-])(?:/[^\s<>"“”\\\[\]{}|^]*)?
    )""",
    re.VERBOSE,
)
TRAILING_PUNCTUATION = ".,;:!?'\"’”"

# A UK number: an international prefix (+44, 0044, (+44), with an optional "(0)") or a leading
# 0, then groups of digits separated by one space, a dash (spaces allowed around it), a dot, or
# brackets around the area code. Whether it is a real UK number is checked on its digits.
PHONE = re.compile(
    r"""(?<![\w+/.-])
    (?:
        (?:\+\s?44|\(\+44\)|0044)[ \t-]?(?:\(0\)[ \t-]?)?(?:\(\d{1,5}\)|\d{1,10})
      | \(0\d{1,5}\)
      | 0\d{1,10}
    )
    (?:(?:[ \t]?-[ \t]?|[ \t.]|(?<=\))[ \t]?)\d{1,8}){0,4}
    (?![\w/]|[-.]\d)""",
    re.VERBOSE,
)
DIGIT_GROUP = re.compile(r"\d+")

# Ten digits, spaced 3-3-4 (spaces or dashes, the same both times) or not spaced at all.
NHS_NUMBER = re.compile(r"(?<![\w+/.-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w/]|[-.]\d)")


def find_emails(text: str) -> Iterator[RedactionSpan]:
    """Email addresses: a local part, ``@``, and a domain with a dot and a top-level domain."""
    for match in EMAIL.finditer(text):
        yield RedactionSpan(match.start(), match.end(), RedactionKind.EMAIL)


def find_links(text: str) -> Iterator[RedactionSpan]:
    """Web addresses: ``http(s)://…``, ``www.…`` or a bare ``name.co.uk/…``-style domain.

    Punctuation that ends the sentence is left out of the link, and so is a closing bracket
    that the link did not open.
    """
    for match in LINK.finditer(text):
        end = match.end()
        while end > match.start():
            last = text[end - 1]
            link = text[match.start() : end]
            if last in TRAILING_PUNCTUATION or (last == ")" and link.count("(") < link.count(")")):
                end -= 1
                continue
            break
        if "." in text[match.start() : end]:
            yield RedactionSpan(match.start(), end, RedactionKind.LINK)


def uk_national_digits(candidate: str) -> str:
    """The digits of a phone number as dialled within the UK (``+44 (0)20…`` → ``020…``)."""
    digits = "".join(ch for ch in candidate if ch.isdigit())
    if candidate.lstrip("( \t").startswith("+"):
        digits = digits[2:]
    elif digits.startswith("0044"):
        digits = digits[4:]
    else:
        return digits
    return digits if digits.startswith("0") else "0" + digits


def is_uk_phone_number(national: str) -> bool:
    """Whether national-format digits have the length and prefix of a UK number.

    01 (geographic) and 08 (freephone and special rates) numbers have 10 or 11 digits; 02, 03,
    07 (mobiles and personal numbers) and 09 numbers have 11. 04 and 06 are not in use.
    """
    if len(national) < 10 or national[0] != "0":
        return False
    lengths = {"1": (10, 11), "8": (10, 11), "2": (11,), "3": (11,), "7": (11,), "9": (11,)}
    return len(national) in lengths.get(national[1], ())


def find_phone_numbers(text: str) -> Iterator[RedactionSpan]:
    """UK mobile and landline numbers, with or without +44, spaces, brackets or dashes.

    A run of digit groups that is too long (a number followed by another figure, or a second
    number) is cut back group by group until it is a whole UK number, if it holds one, and the
    rest is searched again.
    """
    position = 0
    while (match := PHONE.search(text, position)) is not None:
        candidate = match.group()
        ends = [g.end() for g in DIGIT_GROUP.finditer(candidate)]
        # Not a number yet: look again from the next digit group (two numbers in a row).
        position = match.start() + ends[0]
        for end in reversed(ends):
            if is_uk_phone_number(uk_national_digits(candidate[:end])):
                yield RedactionSpan(match.start(), match.start() + end, RedactionKind.PHONE)
                position = match.start() + end
                break


def nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number's modulus 11 check: weights 10…2 on the first nine digits.

    The check digit is 11 minus the weighted sum modulo 11 (11 becomes 0); a result of 10 means
    the number was never issued. Numbers of one repeated digit pass the sum but are placeholders.
    """
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_nhs_numbers(text: str) -> Iterator[RedactionSpan]:
    """NHS numbers: ten digits, spaced 3-3-4 or not, with a valid modulus 11 check digit."""
    for match in NHS_NUMBER.finditer(text):
        if nhs_check_digit_ok(match.group(1) + match.group(3) + match.group(4)):
            yield RedactionSpan(match.start(), match.end(), RedactionKind.NHS_NUMBER)
