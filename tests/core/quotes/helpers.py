"""A forum survey with two free-text questions, and responses to quote from."""

from __future__ import annotations

from pathlib import Path

from forumkit.responses import Response, add_response
from forumkit.surveys import Survey, import_xlsform
from forumkit.workspace import Workspace
from tests.core.responses.helpers import CHOICE_ROWS, SETTINGS_ROWS, SURVEY_ROWS, write_rows

ROWS = [
    *SURVEY_ROWS,
    ["text", "difference", "What would make the biggest difference?", "", "", "", ""],
]

EXPERIENCE = (
    "Jamie waited two years for speech therapy at Oakwood Academy. "
    "Call me on 07700 900123 if you need more."
)
DIFFERENCE = "Someone who listens before it becomes a crisis."


def add_quotes_survey(workspace: Workspace, folder: Path) -> Survey:
    """The test survey with a second free-text question, ``difference``."""
    form = write_rows(folder / "family_quotes.xlsx", ROWS, CHOICE_ROWS, SETTINGS_ROWS)
    return import_xlsform(workspace, form).survey


def answers(**changes: object) -> dict[str, object]:
    """Complete answers with both consents given, and ``changes`` applied."""
    given: dict[str, object] = {
        "phase": "secondary",
        "services": ["salt"],
        "rating": 3,
        "experience": EXPERIENCE,
        "difference": DIFFERENCE,
        "plan_date": "2025-03-01",
        "consent_quote": "yes",
        "consent_share": "yes",
    }
    given.update(changes)
    return {name: value for name, value in given.items() if value is not None}


def add_parent(
    workspace: Workspace, survey: Survey, respondent: str | None = None, **changes: object
) -> Response:
    """A complete response (both consents given unless ``changes`` say otherwise)."""
    return add_response(
        workspace, survey, answers(**changes), status="complete", respondent=respondent
    )
