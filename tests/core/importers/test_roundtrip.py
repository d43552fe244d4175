"""forumkit's own export imports back to identical data, into a fresh file or the same one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forumkit.importers import count_duplicates, plan_import, run_import
from forumkit.responses import add_response, list_responses
from forumkit.responses.export import export_responses
from forumkit.surveys import Survey, import_xlsform
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.importers.helpers import make_survey

ANSWERS = [
    (
        "complete",
        "jo@example.org",
        {
            "consent_share": "yes",
            "consent_quote": "yes",
            "child_age": 7,
            "services": ("respite", "camhs"),
            "ehcp": "yes",
            "ehcp_date": dt.date(2024, 3, 14),
            "school": "special",
            "story": '=HYPERLINK("http://x")  two spaces\nand a second line ',
        },
    ),
    (
        "complete",
        None,
        {
            "consent_share": "no",
            "child_age": 0,
            "services": ("salt", "ot", "respite"),
            "ehcp": "no",
            "story": "'quoted', +plus and -minus; @at",
        },
    ),
    ("draft", "Sam Parent", {"child_age": 30, "story": "-started, not finished"}),
    ("complete", "jo@example.org", {"consent_share": "yes", "child_age": 19, "ehcp": "no"}),
]


def fill(workspace: Workspace, survey: Survey) -> None:
    for status, respondent, answers in ANSWERS:
        add_response(workspace, survey, answers, status=status, respondent=respondent)  # type: ignore[arg-type]


def snapshot(workspace: Workspace, survey: Survey) -> list[str]:
    """Each response's status, respondent, times and answers, as comparable text."""
    return sorted(
        repr(
            (
                response.id,
                response.status,
                response.respondent,
                response.started,
                response.finished,
                sorted(response.answers.items()),
            )
        )
        for response in list_responses(workspace.db, survey.id, limit=None)
    )


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_into_a_fresh_file_gives_the_same_data(
    workspace: Workspace, tmp_path: Path, suffix: str
) -> None:
    survey = make_survey(workspace, tmp_path)
    fill(workspace, survey)
    exported = tmp_path / f"export{suffix}"
    export_responses(workspace, survey, exported, include_drafts=True)  # a whole copy

    fresh = Workspace.create(tmp_path / "fresh.forumkit", PASSPHRASE, forum="Other")
    try:
        target = import_xlsform(fresh, tmp_path / "send2026.xlsx").survey
        plan = plan_import(target, exported)
        assert plan.format == "forumkit"
        assert plan.problems == ()
        assert plan.unmapped == ()
        added = run_import(fresh, target, plan)
        assert added.added == len(ANSWERS)
        assert snapshot(fresh, target) == snapshot(workspace, survey)
        again = run_import(fresh, target, plan_import(target, exported))
        assert (again.added, again.duplicates) == (0, len(ANSWERS))
    finally:
        fresh.close()


def test_importing_a_forums_own_export_back_adds_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    survey = make_survey(workspace, tmp_path)
    fill(workspace, survey)
    exported = tmp_path / "export.xlsx"
    export_responses(workspace, survey, exported, include_drafts=True)  # a whole copy
    plan = plan_import(survey, exported)
    assert count_duplicates(workspace.db, plan) == len(ANSWERS)
    added = run_import(workspace, survey, plan)
    assert (added.added, added.duplicates) == (0, len(ANSWERS))
    assert len(list_responses(workspace.db, survey.id, limit=None)) == len(ANSWERS)
