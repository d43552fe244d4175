"""Full dates and birthdays are redacted; months with a year, and years, are kept as timeline."""

from __future__ import annotations

import pytest

from forumkit.redaction.dates import find_dates

from .helpers import found, redacted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on 3/4/2019 we applied", ["3/4/2019"]),
        ("03/04/19", ["03/04/19"]),
        ("03-04-2019", ["03-04-2019"]),
        ("3.4.2019", ["3.4.2019"]),
        ("2019-04-03", ["2019-04-03"]),
        ("4/23/2019", ["4/23/2019"]),  # only valid month first, still a date
        ("3rd April 2019", ["3rd April 2019"]),
        ("3 April 2019", ["3 April 2019"]),
        ("3rd of April, 2019", ["3rd of April, 2019"]),
        ("3 Apr 2019", ["3 Apr 2019"]),
        ("3-Apr-2019", ["3-Apr-2019"]),
        ("Sept. 3rd, 2019", ["Sept. 3rd, 2019"]),
        ("April 3 2019", ["April 3 2019"]),
        ("April 3rd, 2019", ["April 3rd, 2019"]),
        ("3rd april 2019", ["3rd april 2019"]),
        ("3rd April '19", ["3rd April '19"]),
        ("Tuesday 3rd April 2019", ["Tuesday 3rd April 2019"]),
        ("it was 31 December 2023.", ["31 December 2023"]),
    ],
)
def test_full_dates_numeric_and_written(text: str, expected: list[str]) -> None:
    assert found(text, find_dates(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("he was born on 3rd April", ["3rd April"]),
        ("her birthday is 3 April.", ["3 April"]),
        ("Birthday: April 3rd", ["April 3rd"]),
        ("DOB 03/04", ["03/04"]),
        ("d.o.b. 3/4/15", ["3/4/15"]),
        ("date of birth 12 March", ["12 March"]),
    ],
)
def test_a_day_and_month_after_a_birth_cue(text: str, expected: list[str]) -> None:
    assert found(text, find_dates(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "May 2024",
        "since September 2023",
        "on 7th November",  # no year, no birth cue
        "born in 2015",
        "the 2020-21 year",
        "13/13/2019",  # no such month, either way round
        "32/1/2019",
        "1.2.10",  # a section number: dotted dates need a four-digit year
        "score 3/4",
        "3/4/5",
        "rated 7/10",
        "Year 6 in 2019",
    ],
)
def test_partial_dates_and_other_figures_are_kept(text: str) -> None:
    assert found(text, find_dates(text)) == []


def test_may_2024_is_a_date_not_a_name() -> None:
    assert redacted("We asked for an assessment in May 2024.") == (
        "We asked for an assessment in May 2024."
    )
    assert redacted("The panel met on 3 May 2024.") == "The panel met on [date]."
