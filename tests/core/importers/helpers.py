"""A small test survey and export files written the way each online tool writes them."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from forumkit.surveys import Survey, import_xlsform
from forumkit.workspace import Workspace
from tests.core.surveys.helpers import write_form

SURVEY_ROWS = [
    ["type", "name", "label", "required", "relevant", "constraint", "constraint_message"],
    ["select_one yes_no", "consent_share", "Can we share your answers with inspectors?", "yes"],
    ["select_one yes_no", "consent_quote", "Can we quote your words?", ""],
    [
        "integer",
        "child_age",
        "How old is your child?",
        "yes",
        "",
        ". >= 0 and . <= 25",
        "Age must be between 0 and 25.",
    ],
    ["select_multiple services", "services", "Which services do you use?", ""],
    ["select_one yes_no", "ehcp", "Does your child have an EHCP?", "yes"],
    ["date", "ehcp_date", "When was the EHCP issued?", "", "${ehcp} = 'yes'"],
    ["select_one school", "school", "What type of school does your child attend?", ""],
    ["text", "story", "Tell us about your experience", ""],
]
CHOICE_ROWS = [
    ["list_name", "name", "label"],
    ["yes_no", "yes", "Yes"],
    ["yes_no", "no", "No"],
    ["services", "respite", "Respite, short breaks"],
    ["services", "salt", "Speech and language therapy"],
    ["services", "ot", "Occupational therapy"],
    ["services", "camhs", "CAMHS"],
    ["school", "mainstream", "Mainstream school"],
    ["school", "special", "Special school"],
    ["school", "home", "Home educated"],
]
SETTINGS_ROWS = [["form_title", "form_id"], ["SEND survey 2026", "send2026"]]

LABELS = [row[2] for row in SURVEY_ROWS[1:]]
"""Question labels in form order (the headings most tools write)."""


def make_survey(workspace: Workspace, tmp_path: Path) -> Survey:
    """Import the test survey's XLSForm into ``workspace``."""
    path = write_form(tmp_path / "send2026.xlsx", SURVEY_ROWS, CHOICE_ROWS, SETTINGS_ROWS)
    return import_xlsform(workspace, path).survey


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], *, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for row in rows:
            writer.writerow(["" if cell is None else cell for cell in row])
    return path


# One parent per tuple: (share, quote, age, services labels, ehcp, ehcp date, school, story)
PARENTS = [
    (
        "Yes",
        "Yes",
        7,
        ["Respite, short breaks", "CAMHS"],
        "Yes",
        dt.date(2024, 3, 14),
        "Special school",
        "We waited two years, for everything.",
    ),
    ("Yes", "No", 12, ["Speech and language therapy"], "No", None, "Mainstream school", ""),
    (
        "No",
        "",
        4,
        [],
        "Yes",
        dt.date(2025, 11, 2),
        "Home educated",
        "Told to wait; then told to wait again.",
    ),
]


def google_rows(*, date_text: bool = False) -> list[list[object]]:
    """A Google Forms sheet: Timestamp, Email address, then question titles."""
    rows: list[list[object]] = [["Timestamp", "Email address", *LABELS]]
    for number, parent in enumerate(PARENTS):
        share, quote, age, services, ehcp, issued, school, story = parent
        stamp = dt.datetime(2026, 3, 1 + number, 9, 30, 15)
        issued_cell: object = issued
        if date_text and issued is not None:
            issued_cell = issued.strftime("%d/%m/%Y")
        rows.append(
            [
                stamp.strftime("%d/%m/%Y %H:%M:%S") if date_text else stamp,
                f"parent{number}@example.org" if number != 1 else "",
                share,
                quote,
                age,
                ", ".join(services),
                ehcp,
                issued_cell,
                school,
                story,
            ]
        )
    return rows


def msforms_rows(first_id: int = 1, day: int = 1) -> list[list[object]]:
    """A Microsoft Forms sheet: ID, times, Email, Name (anonymous), then questions."""
    rows: list[list[object]] = [
        ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time", *LABELS]
    ]
    for number, parent in enumerate(PARENTS):
        share, quote, age, services, ehcp, issued, school, story = parent
        start = dt.datetime(2026, 4, day, 10, number, 0)
        rows.append(
            [
                first_id + number,
                start,
                start + dt.timedelta(minutes=7),
                "anonymous" if number != 0 else "sam@example.org",
                "anonymous" if number != 0 else "Sam Parent",
                None,
                share,
                quote,
                age,
                "".join(f"{label};" for label in services),
                ehcp,
                issued,
                school,
                story,
            ]
        )
    return rows


def surveymonkey_rows() -> list[list[object]]:
    """SurveyMonkey: two header rows, one column per service option, Excel serial dates."""
    service_labels = [row[2] for row in CHOICE_ROWS if row[0] == "services"]
    top: list[object] = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
        *LABELS[:3],
        LABELS[3],
    ]
    top += [None] * (len(service_labels) - 1) + LABELS[4:]
    second: list[object] = [None] * 9 + ["Response"] * 3 + service_labels
    second += ["Response", "Response", "Response", "Open-Ended Response"]
    rows: list[list[object]] = [top, second]
    for number, parent in enumerate(PARENTS):
        share, quote, age, services, ehcp, issued, school, story = parent
        serial = (issued - dt.date(1899, 12, 30)).days if issued else None
        rows.append(
            [
                11400000000 + number,
                400000000,
                46082.5 + number,
                46082.51 + number,
                "192.0.2.1",
                "",
                "Alex" if number == 2 else "",
                "Jones" if number == 2 else "",
                "",
                share,
                quote,
                age,
                *[label if label in services else "" for label in service_labels],
                ehcp,
                serial,
                school,
                story,
            ]
        )
    return rows


def kobo_rows(*, option_columns: bool = True) -> list[list[object]]:
    """A KoboToolbox export: names (with a group path), space-separated ticks, 0/1 columns."""
    names = ["consent_share", "consent_quote", "family/child_age", "family/services"]
    options = ["respite", "salt", "ot", "camhs"]
    header: list[object] = ["start", "end", *names]
    if option_columns:
        header += [f"family/services/{option}" for option in options]
    header += [
        "ehcp",
        "ehcp_date",
        "school",
        "story",
        "username",
        "_id",
        "_uuid",
        "_submission_time",
        "_index",
    ]
    rows: list[list[object]] = [header]
    label_to_name = {row[2]: row[1] for row in CHOICE_ROWS}
    for number, parent in enumerate(PARENTS):
        share, quote, age, services, ehcp, issued, school, story = parent
        picked = [label_to_name[label] for label in services]
        row: list[object] = [
            f"2026-05-0{number + 1}T10:00:00.000+01:00",
            f"2026-05-0{number + 1}T10:09:00.000+01:00",
            label_to_name[share],
            label_to_name.get(quote, ""),
            age,
            " ".join(picked),
        ]
        if option_columns:
            row += [1 if option in picked else 0 for option in options]
        row += [
            label_to_name[ehcp],
            issued.isoformat() if issued else "",
            label_to_name[school],
            story,
            "volunteer1" if number == 0 else "",
            500 + number,
            f"7c1f3a2e-0000-4000-8000-00000000000{number}",
            f"2026-05-0{number + 1}T09:10:00",
            number + 1,
        ]
        rows.append(row)
    return rows


def expected_answers(index: int) -> dict[str, object]:
    """The answers ``PARENTS[index]`` should import as (choice names, typed values)."""
    names = {row[2]: row[1] for row in CHOICE_ROWS}
    share, quote, age, services, ehcp, issued, school, story = PARENTS[index]
    answers: dict[str, object] = {
        "consent_share": names[share],
        "consent_quote": names.get(quote),
        "child_age": age,
        "services": tuple(names[label] for label in services),
        "ehcp": names[ehcp],
        "ehcp_date": issued,
        "school": names[school],
        "story": story,
    }
    return {name: value for name, value in answers.items() if value not in (None, "", ())}


def normalised(answers: object) -> dict[str, object]:
    """Answers with multi-selects as sets, for comparing regardless of tick order."""
    assert isinstance(answers, dict) or hasattr(answers, "items")
    return {
        name: frozenset(value) if isinstance(value, tuple) else value
        for name, value in dict(answers).items()  # type: ignore[call-overload]
    }
