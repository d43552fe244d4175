"""A hand-built survey with every kind of question, and ten parents' answers whose counts the
tests know by heart (plus two drafts that must never count)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from forumkit.responses import IncomingResponse, add_incoming, add_response
from forumkit.surveys import Survey, check_response, import_xlsform
from forumkit.workspace import Workspace
from tests.core.responses.helpers import write_rows

SURVEY_ROWS = [
    ["type", "name", "label", "relevant", "parameters", "forumkit_consent"],
    ["select_one phase", "phase", "Phase of education", "", "", ""],
    ["select_multiple services", "services", "Services used", "", "", ""],
    ["select_one sat", "satisfaction", "Satisfaction with support", "", "", ""],
    ["range", "score", "Services, 0 to 10", "", "start=0 end=10 step=1", ""],
    ["integer", "weeks", "Weeks waited", "", "", ""],
    ["text", "story", "Your story", "", "", ""],
    ["select_one yes_no", "plan_ok", "Plan on time?", "${phase} != 'early'", "", ""],
    ["select_one yes_no", "consent_quote", "May we quote you?", "", "", "quote"],
    ["select_one yes_no", "consent_share", "May we share with inspectors?", "", "", "share"],
]
CHOICE_ROWS = [
    ["list_name", "name", "label"],
    ["phase", "early", "Early years"],
    ["phase", "primary", "Primary"],
    ["phase", "secondary", "Secondary"],
    ["services", "salt", "Speech and language therapy"],
    ["services", "ot", "Occupational therapy"],
    ["services", "camhs", "CAMHS"],
    *[["sat", str(n), label] for n, label in enumerate(["Poor", "Fair", "OK", "Good", "Great"], 1)],
    ["yes_no", "yes", "Yes"],
    ["yes_no", "no", "No"],
]

# phase, services, satisfaction, score, weeks, story, plan_ok, share, source, day of March
PARENTS = [
    ("primary", ["salt", "ot"], "4", 7, 10, "A long wait.", "yes", "yes", "entered", 1),
    ("primary", ["salt"], "2", 3, 30, None, "no", "yes", "entered", 1),
    ("secondary", ["camhs"], "1", 0, 52, "Nobody listened.", "no", "no", "entered", 1),
    ("secondary", ["salt", "camhs"], "5", 10, None, "Better now.", "yes", "yes", "kiosk", 5),
    ("early", ["ot"], "3", 5, 8, None, None, "yes", "kiosk", 5),
    ("early", None, None, 6, None, None, None, "no", "kiosk", 5),
    ("primary", ["salt", "ot", "camhs"], "4", 8, 12, "Fine.", "yes", "yes", "import", 10),
    ("primary", ["ot"], "4", 6, 20, None, "yes", "no", "import", 10),
    ("secondary", ["salt"], "2", 2, 40, "Tribunal.", "no", "yes", "import", 10),
    ("primary", ["salt"], "5", 9, 4, None, None, "yes", "entered", 20),
]
STORIES = [p[5] for p in PARENTS if p[5]]


def survey_form(folder: Path, form_id: str = "family_2026", previous: str = "") -> Path:
    settings = [["form_title", "form_id", "forumkit_previous"], [form_id, form_id, previous]]
    return write_rows(folder / f"{form_id}.xlsx", SURVEY_ROWS, CHOICE_ROWS, settings)


def answers_of(parent: tuple[object, ...]) -> dict[str, object]:
    names = ("phase", "services", "satisfaction", "score", "weeks", "story", "plan_ok")
    answers = {name: value for name, value in zip(names, parent, strict=False) if value}
    answers["score"] = parent[3]  # 0 is an answer
    answers["consent_quote"] = "yes"
    answers["consent_share"] = parent[7]
    return answers


def family_survey(workspace: Workspace, folder: Path) -> Survey:
    """The survey with the ten parents' complete responses and two drafts."""
    survey = import_xlsform(workspace, survey_form(folder)).survey
    imported = []
    with workspace.transaction("test_responses"):
        for number, parent in enumerate(PARENTS):
            day = dt.datetime(2026, 3, int(str(parent[9])), 10, 0, tzinfo=dt.UTC).isoformat()
            if parent[8] == "import":
                imported.append(
                    IncomingResponse(
                        answers=check_response(survey, answers_of(parent)).answers,
                        source="import:googleforms:family.csv",
                        source_key=f"row:{number}",
                        started=day,
                        finished=day,
                    )
                )
                continue
            add_response(
                workspace,
                survey,
                answers_of(parent),
                status="complete",
                source=str(parent[8]),
                started=day,
                finished=day,
            )
        for _ in range(2):
            add_response(workspace, survey, {"phase": "early", "score": 1}, status="draft")
        add_incoming(workspace, survey, imported)
    return survey
