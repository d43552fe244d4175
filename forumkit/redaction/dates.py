"""Full dates (a day, a month and a year), numeric or written, and birthdays without a year.

Redacted: "3/4/2019", "03-04-19", "3.4.2019", "2019-04-03", "3rd April 2019", "3 Apr 2019",
"Tuesday 3rd of April, 2019", "April 3 2019", "April 3rd, 2019", "3rd April '19". A day and month
without a year are redacted only after a birth cue ("born on 3rd April", "her birthday is 3
April", "DOB 03/04"), because a date of birth identifies a child.

Left as they are: a month and a year ("May 2024", "since September 2023"), a year, a day and a
month with no birth cue ("on 7th November"), school years and ranges ("2020-21"): they carry the
timeline inspectors need and rarely single out a family.

Numeric dates are read day first (UK), but a date that is only valid month first ("4/23/2019")
is still a date; a dotted date needs a four-digit year, so "1.2.10" stays a section number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from forumkit.redaction.model import RedactionKind, RedactionSpan

MONTH = (
    r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?"
    r"|aug(?:ust|\.)?|sep(?:t(?:ember|\.)?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)"
)
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:(?:19|20)\d\d|['’]\d\d)"
WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+(?:the\s+)?)?"

WRITTEN = re.compile(
    rf"""(?<![\w/.-])
    (?:
        {WEEKDAY}{DAY}(?:\s+of)?[\s-]+{MONTH},?[\s-]+{YEAR}
      | {WEEKDAY}{MONTH}\s+(?:the\s+)?{DAY},?\s+{YEAR}
    )
    (?![\w/-])""",
    re.VERBOSE | re.IGNORECASE,
)
NUMERIC = re.compile(
    r"(?<![\w/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/]|[-.]\d)"
    r"|(?<![\w/.-])((?:19|20)\d\d)([/-])(\d{1,2})\6(\d{1,2})(?![\w/]|[-.]\d)"
)
BIRTH_CUE = r"(?:born|birthday|b['’]?day|date\s+of\s+birth|d\.?o\.?b\.?)"
BIRTHDAY = re.compile(
    rf"""\b{BIRTH_CUE}\W{{0,3}}(?:(?:is|was|on|the|of|falls|:)\s+){{0,3}}
    (?P<date>
        {DAY}(?:\s+of)?[\s-]+{MONTH}
      | {MONTH}\s+(?:the\s+)?{DAY}
      | \d{{1,2}}[/.-]\d{{1,2}}
    )
    (?![\w/-]|[.]\d)""",
    re.VERBOSE | re.IGNORECASE,
)


def plausible(day: int, month: int) -> bool:
    """Whether a day and a month can form a date (the calendar is not checked further)."""
    return 1 <= day <= 31 and 1 <= month <= 12


def numeric_date_ok(match: re.Match[str]) -> bool:
    """Whether a numeric match is a date, day first or month first (ISO: year, month, day)."""
    if match.group(5):
        return plausible(int(match.group(8)), int(match.group(7)))
    first, separator, second, year = match.group(1, 2, 3, 4)
    if separator == "." and len(year) != 4:
        return False
    a, b = int(first), int(second)
    return plausible(a, b) or plausible(b, a)


def find_dates(text: str) -> Iterator[RedactionSpan]:
    """Full dates, and a day and month after a birth cue (see the module docstring)."""
    for match in WRITTEN.finditer(text):
        yield RedactionSpan(match.start(), match.end(), RedactionKind.DATE)
    for match in NUMERIC.finditer(text):
        if numeric_date_ok(match):
            yield RedactionSpan(match.start(), match.end(), RedactionKind.DATE)
    for match in BIRTHDAY.finditer(text):
        written = match.group("date")
        numbers = [int(n) for n in re.findall(r"\d+", written)]
        if len(numbers) == 2 and not (plausible(*numbers) or plausible(*reversed(numbers))):
            continue
        yield RedactionSpan(match.start("date"), match.end("date"), RedactionKind.DATE)
