"""A small survey like a forum's, written as an XLSForm with openpyxl, and ways to fill it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from forumkit.responses import IncomingResponse
from forumkit.surveys import Survey, check_response, import_xlsform
from forumkit.workspace import Workspace

SURVEY_ROWS = [
    ["type", "name", "label", "required", "relevant", "constraint", "forumkit_consent"],
    ["select_one phase", "phase", "Child's phase of education", "yes", "", "", ""],
    ["select_multiple services", "services", "Services used", "", "", "", ""],
    ["integer", "rating", "Rating of the Local Offer (0-10)", "yes", "", ". <= 10", ""],
    ["text", "experience", "Tell us about your experience", "", "", "", ""],
    ["date", "plan_date", "When was the plan issued?", "", "${phase} != 'early'", "", ""],
    ["select_one yes_no", "consent_quote", "May we quote you anonymously?", "", "", "", "quote"],
    ["select_one yes_no", "consent_share", "May we share with inspectors?", "", "", "", "share"],
]
CHOICE_ROWS = [
    ["list_name", "name", "label"],
    ["phase", "early", "Early years"],
    ["phase", "primary", "Primary"],
    ["phase", "secondary", "Secondary"],
    ["services", "salt", "Speech and language therapy"],
    ["services", "ot", "Occupational therapy, physio"],
    ["services", "camhs", "CAMHS"],
    ["yes_no", "yes", "Yes"],
    ["yes_no", "no", "No"],
]
SETTINGS_ROWS = [["form_title", "form_id"], ["Family survey 2026", "family_2026"]]


def write_rows(
    path: Path,
    survey: Sequence[Sequence[object]],
    choices: Sequence[Sequence[object]],
    settings: Sequence[Sequence[object]],
) -> Path:
    """An .xlsx XLSForm with these survey, choices and settings rows."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def write_survey_form(path: Path) -> Path:
    """The test survey as an .xlsx XLSForm."""
    return write_rows(path, SURVEY_ROWS, CHOICE_ROWS, SETTINGS_ROWS)


def add_test_survey(workspace: Workspace, folder: Path) -> Survey:
    """Import the test survey into ``workspace``."""
    return import_xlsform(workspace, write_survey_form(folder / "family_2026.xlsx")).survey


def complete_answers(**changes: object) -> dict[str, object]:
    """A valid, complete set of answers, with ``changes`` applied."""
    answers: dict[str, object] = {
        "phase": "primary",
        "services": ["salt", "ot"],
        "rating": 4,
        "experience": "We waited two years.",
        "plan_date": "2025-03-01",
        "consent_quote": "yes",
        "consent_share": "no",
    }
    answers.update(changes)
    return answers


def incoming_row(survey: Survey, key: str, respondent: str | None = None) -> IncomingResponse:
    """An imported row of complete answers, as a Google Forms export gives it."""
    answers = check_response(survey, complete_answers()).answers
    return IncomingResponse(
        answers,
        "import:googleforms:export.csv",
        key,
        respondent,
        "2026-10-01T09:00:00",
        "2026-10-01T09:05:00",
    )
