"""Real exports (tests/fixtures/realworld/exports, EXPORTS.md says where each came from) import
every row, with the right tool detected and no header or hashtag row taken as a response."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit.importers import plan_import
from forumkit.surveys import Survey
from forumkit.surveys.xlsform_read import read_xlsform
from tests.core.surveys.helpers import write_form

FIXTURES = Path(__file__).parents[2] / "fixtures" / "realworld"
EXPORTS = FIXTURES / "exports"
FORMS = FIXTURES / "export-forms"

_AUTISTICA = [
    ["type", "name", "label"],
    [
        "select_one yes",
        "publicly",
        "I understand that the information I provide in this form will be made publicly available.",
    ],
    [
        "text",
        "needs",
        "Q1: What information would you like us to know about your needs, "
        "priorities, desires and concerns for the citizen science platform?",
    ],
    [
        "select_multiple connection",
        "connection",
        "Q2: Do you have a personal connection to autism?",
    ],
    [
        "select_one yes",
        "use",
        "Q3: Can we use the information above to inform how we design and build the platform?",
    ],
]
_AUTISTICA_CHOICES = [
    ["list_name", "name", "label"],
    ["yes", "yes", "Yes"],
    ["yes", "no", "No"],
    ["connection", "autistic", "I am autistic"],
    ["connection", "parent", "I am a parent/ guardian of someone autistic"],
    ["connection", "know", "I know someone who is autistic"],
    ["connection", "other", "I have another personal connection to autism"],
    ["connection", "family", "Someone in my family is autistic"],
    ["connection", "none", "I have no personal connection to autism"],
    ["connection", "not_say", "Prefer not to say"],
]


def _form(tmp_path: Path, name: str, survey: list[list[str]], choices: list[list[str]]) -> Survey:
    path = write_form(tmp_path / f"{name}.xlsx", survey, choices, [["form_id"], [name]])
    return read_xlsform(path).survey


def _autistica(tmp_path: Path) -> Survey:
    return _form(tmp_path, "autistica", _AUTISTICA, _AUTISTICA_CHOICES)


def _starwars(tmp_path: Path) -> Survey:
    return _form(
        tmp_path,
        "starwars",
        [
            ["type", "name", "label"],
            [
                "select_one yes_no",
                "seen",
                "Have you seen any of the 6 films in the Star Wars franchise?",
            ],
            [
                "select_one yes_no",
                "fan",
                "Do you consider yourself to be a fan of the Star Wars film franchise?",
            ],
            ["select_one gender", "gender", "Gender"],
        ],
        [
            ["list_name", "name", "label"],
            ["yes_no", "yes", "Yes"],
            ["yes_no", "no", "No"],
            ["gender", "male", "Male"],
            ["gender", "female", "Female"],
        ],
    )


def _midwest(tmp_path: Path) -> Survey:
    return _form(
        tmp_path,
        "midwest",
        [
            ["type", "name", "label"],
            [
                "text",
                "region",
                "In your own words, what would you call the part of the country you live in now?",
            ],
            [
                "select_one identify",
                "identify",
                "How much, if at all, do you personally identify as a Midwesterner?",
            ],
            ["select_one gender", "gender", "Gender"],
        ],
        [
            ["list_name", "name", "label"],
            ["identify", "lot", "A lot"],
            ["identify", "some", "Some"],
            ["identify", "not_much", "Not much"],
            ["identify", "not_at_all", "Not at all"],
            ["gender", "male", "Male"],
            ["gender", "female", "Female"],
        ],
    )


def _religion(tmp_path: Path) -> Survey:
    return _form(
        tmp_path,
        "religion",
        [
            ["type", "name", "label"],
            ["text", "religion", "What is your present religion, if any?"],
            ["select_one yes_no", "evangelical", "Do you consider yourself to be an evangelical?"],
        ],
        [["list_name", "name", "label"], ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"]],
    )


def _steak(tmp_path: Path) -> Survey:
    return _form(
        tmp_path,
        "steak",
        [
            ["type", "name", "label"],
            ["select_one yes_no", "smoke", "Do you ever smoke cigarettes?"],
            ["select_one yes_no", "drink", "Do you ever drink alcohol?"],
        ],
        [["list_name", "name", "label"], ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"]],
    )


def _comma(tmp_path: Path) -> Survey:
    return _form(
        tmp_path,
        "comma",
        [
            ["type", "name", "label"],
            ["text", "sentence", "In your opinion, which sentence is more gramatically correct?"],
            ["text", "gender", "Gender"],
        ],
        [],
    )


def _flying(tmp_path: Path) -> Survey:
    return _form(
        tmp_path,
        "flying",
        [
            ["type", "name", "label"],
            ["text", "often", "How often do you travel by plane?"],
            ["text", "recline", "Do you ever recline your seat when you fly?"],
        ],
        [],
    )


def _central_simple(tmp_path: Path) -> Survey:
    return _form(
        tmp_path,
        "simple",
        [["type", "name", "label"], ["text", "name", "Name"], ["integer", "age", "Age"]],
        [],
    )


def _central_multiple(tmp_path: Path) -> Survey:
    return _form(
        tmp_path,
        "selectMultiple",
        [
            ["type", "name", "label"],
            ["select_multiple ab", "q1", "Q1"],
            ["begin group", "g1", "G1"],
            ["select_multiple mxyz", "q2", "Q2"],
            ["end group", "", ""],
        ],
        [
            ["list_name", "name", "label"],
            ["ab", "a", "A"],
            ["ab", "b", "B"],
            ["mxyz", "m", "M"],
            ["mxyz", "x", "X"],
            ["mxyz", "y", "Y"],
            ["mxyz", "z", "Z"],
        ],
    )


_AOC_YEARS = {
    2015: '(first edition, "star-powered machine" theme)',
    2016: '("Easter Bunny HQ" theme)',
    2017: '("naughty or nice list" theme)',
    2018: '("time travel" theme)',
    2019: '("spacecraft" theme)',
    2020: '("tropical island vacation" theme)',
    2021: '("ocean" theme)',
}
_AOC_REASONS = [
    "for the fun",
    "for the challenge",
    "for Santa!",
    "to make or top the leaderboards",
    "to learn to code",
    "to learn an additional language",
    "to improve my skills",
]


def _advent_of_code(tmp_path: Path) -> Survey:
    """The Advent of Code 2022 survey's questions as its Google Form asked them (the options
    from the survey's own answer tables, _shared/csv-to-json-utils.js, in part)."""
    survey = [
        ["type", "name", "label"],
        [
            "select_one this_year",
            "stars",
            "Have/will you get at least one ⭐ in Advent of Code 2022?",
        ],
        *(
            ["select_one earlier", f"in_{year}", f"Did you participate in {year}? {theme}"]
            for year, theme in _AOC_YEARS.items()
        ),
        ["select_multiple languages", "languages", "Primary language(s) for AoC 2022?"],
        ["select_multiple ides", "ides", "Primary IDE(s) for AoC 2022?"],
        ["select_multiple systems", "systems", "Primary OS for AoC 2022?"],
        ["select_one global", "global", "Do you go for the *global* leaderboard?"],
        ["integer", "private", "How many *private* leaderboards are you active in?"],
        ["select_multiple reasons", "reasons", "I participate in AoC..."],
    ]
    choices = [
        ["list_name", "name", "label"],
        ["this_year", "no", "No"],
        ["this_year", "dec", "Yes, (mostly) in december 2022"],
        ["this_year", "later", "Yes, (mostly) after 2022"],
        ["earlier", "no", "No"],
        ["earlier", "later", "Yes, but (mostly) only later on"],
        *(["earlier", f"dec_{year}", f"Yes, (mostly) in december {year}"] for year in _AOC_YEARS),
        *(["languages", name.lower(), name] for name in ("Python", "JavaScript", "Kotlin")),
        ["ides", "vscode", "Visual Studio Code"],
        ["ides", "vim", "Vim"],
        ["systems", "chromeos", "ChromeOS"],
        ["systems", "linux", "Linux"],
        ["global", "no", "No"],
        ["global", "trying", "Yes, but probably won't make it any day"],
        *(["reasons", f"reason{number}", label] for number, label in enumerate(_AOC_REASONS)),
    ]
    return _form(tmp_path, "aoc", survey, choices)


def _real_form(name: str):  # type: ignore[no-untyped-def]
    return lambda tmp_path: read_xlsform(FORMS / name).survey


CASES = [
    # (export, survey, tool detected, responses)
    ("googleforms/autistica-1-2019-10-04.csv", _autistica, "googleforms", 15),
    ("googleforms/autistica-2-2020-06-23.csv", _autistica, "googleforms", 34),
    ("googleforms/autistica-3-2020-06-26.csv", _autistica, "googleforms", 34),
    ("googleforms/autistica-4-2020-08-20.csv", _autistica, "googleforms", 39),
    ("googleforms/autistica-5-2021-04-01.csv", _autistica, "googleforms", 42),
    ("googleforms/aoc-2022-download.csv", _advent_of_code, "googleforms", 1),
    ("surveymonkey/starwars.csv", _starwars, "surveymonkey", 20),
    ("surveymonkey/steak-risk.csv", _steak, "surveymonkey", 20),
    ("surveymonkey/midwest.csv", _midwest, "surveymonkey", 20),
    ("surveymonkey/religion.csv", _religion, "surveymonkey", 20),
    ("surveymonkey/comma.csv", _comma, "surveymonkey", 20),
    ("surveymonkey/flying-etiquette.csv", _flying, "surveymonkey", 20),
    ("kobo/or-other.csv", _real_form("kobo/or_other.xlsx"), "kobo", 3),
    ("kobo/dietary-needs-hxl.csv", _real_form("kobo/dietary_needs.xlsx"), "kobo", 3),
    ("kobo/dietary-needs-hxl.xlsx", _real_form("kobo/dietary_needs.xlsx"), "kobo", 3),
    ("kobo/dietary-needs-labels.xlsx", _real_form("kobo/dietary_needs.xlsx"), "kobo", 3),
    ("kobo/everything.csv", _real_form("kobo/everything.xlsx"), "kobo", 1),
    ("kobo/everything.xlsx", _real_form("kobo/everything.xlsx"), "kobo", 1),
    ("ona/transportation.csv", _real_form("ona/transportation.xlsx"), "kobo", 1),
    (
        "ona/good.csv",
        lambda _: read_xlsform(FIXTURES / "forms/onadata/tutorial.xlsx").survey,
        "kobo",
        9,
    ),
    (
        "ona/tutorial.csv",
        lambda _: read_xlsform(FIXTURES / "forms/kpi/tutorial.xls").survey,
        "kobo",
        1,
    ),
    ("kobocat/transportation.csv", _real_form("ona/transportation.xlsx"), "kobo", 1),
    ("kobocat/transportation-submissions.csv", _real_form("ona/transportation.xlsx"), "kobo", 4),
    ("odkcentral/simple.csv", _central_simple, "odkcentral", 3),
    ("odkcentral/select-multiple.csv", _central_multiple, "odkcentral", 2),
]


OLD_EXCEL_EXPORT = "ona/transportation-export.xls"
"""Ona's .xls export of its transportation test submissions: one of them holds an answer the
form does not offer, so that row is reported rather than imported (see its test below)."""


def test_every_export_fixture_is_in_the_table() -> None:
    on_disk = {str(p.relative_to(EXPORTS)) for p in EXPORTS.rglob("*") if p.is_file()}
    assert on_disk == {case[0] for case in CASES} | {OLD_EXCEL_EXPORT}
    assert len(on_disk) >= 20
    assert len({case[0].split("/")[0] for case in CASES}) >= 5


@pytest.mark.parametrize(
    ("export", "survey", "tool", "responses"), CASES, ids=[c[0] for c in CASES]
)
def test_a_real_export_imports_every_row(
    tmp_path: Path,
    export: str,
    survey,
    tool: str,
    responses: int,  # type: ignore[no-untyped-def]
) -> None:
    plan = plan_import(survey(tmp_path), EXPORTS / export)
    assert plan.format == tool
    assert [str(p) for p in plan.problems] == []
    assert len(plan.rows) == responses
    assert plan.row_count == responses  # no header or hashtag row read as a response


def test_google_forms_own_csv_download_is_read(tmp_path: Path) -> None:
    """The form's own "Download responses (.csv)": every cell quoted, the time as
    ``2022/11/30 10:39:41 PM GMT+1`` (read as the clock time shown; the zone is the form
    owner's), checkbox answers joined with ";"."""
    plan = plan_import(_advent_of_code(tmp_path), EXPORTS / "googleforms/aoc-2022-download.csv")
    (row,) = plan.rows
    assert row.finished == "2022-11-30T22:39:41"
    assert row.answers["languages"] == ("javascript", "kotlin")
    assert row.answers["reasons"] == tuple(f"reason{n}" for n in range(len(_AOC_REASONS)))
    assert row.answers["stars"] == "dec"
    assert row.answers["in_2020"] == "later"
    assert row.answers["private"] == 3


def test_an_old_excel_export_is_read_and_its_odd_answer_reported() -> None:
    """Ona's .xls export (Excel 97-2003) of the transportation form's test submissions, read
    with the form of the same commit: one header row, every submission a row, and the one
    submission whose answer the form does not offer (``none``, with every option's 0/1 column
    at 0) a problem named by row and column, not a silently empty answer."""
    survey = read_xlsform(FORMS / "ona/transportation.xls").survey
    plan = plan_import(survey, EXPORTS / OLD_EXCEL_EXPORT)
    assert plan.format == "kobo"
    assert plan.row_count == 4
    assert [str(p) for p in plan.problems] == [
        "row 2, column “transport/available_transportation_types_to_referral_facility”: "
        "the answer is not one of the choices in “transport_types”."
    ]
    question = "available_transportation_types_to_referral_facility"
    assert [row.answers.get(question) for row in plan.rows] == [
        ("ambulance", "bicycle"),
        ("ambulance",),
        ("taxi", "other"),
    ]
    assert plan.rows[2].answers[f"{question}_other"] == "camel"
    assert [row.finished for row in plan.rows] == [
        "2013-02-14T15:37:22",
        "2013-02-14T15:37:23",
        "2013-02-14T15:37:24",
    ]
