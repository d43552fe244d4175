"""Saving one response: drafts, completing, corrections, deletion, and what is stored."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from forumkit.responses import (
    ResponseInvalid,
    ResponseNotFound,
    add_response,
    count_responses,
    delete_response,
    get_response,
    update_response,
)
from forumkit.surveys import Survey
from forumkit.workspace import Workspace

from .helpers import add_test_survey, complete_answers


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_test_survey(workspace, tmp_path)


def test_a_draft_keeps_what_was_typed_without_required_answers(
    workspace: Workspace, survey: Survey
) -> None:
    response = add_response(workspace, survey, {"rating": "12", "experience": "Long wait"})
    assert response.status == "draft"
    assert response.answers == {"rating": 12, "experience": "Long wait"}  # constraint waits
    assert get_response(workspace.db, response.id) == response
    assert response.source == "entered"
    assert response.finished is None


def test_a_draft_keeps_answers_that_skip_logic_would_hide(
    workspace: Workspace, survey: Survey
) -> None:
    response = add_response(workspace, survey, {"phase": "early", "plan_date": "2025-01-02"})
    assert response.answers["plan_date"] == dt.date(2025, 1, 2)


def test_a_draft_still_checks_types_and_choices(workspace: Workspace, survey: Survey) -> None:
    with pytest.raises(ResponseInvalid) as caught:
        add_response(workspace, survey, {"rating": "four", "phase": "college"})
    assert {p.question for p in caught.value.problems} == {"rating", "phase"}
    assert "four" not in str(caught.value)
    assert count_responses(workspace.db, survey.id) == 0


def test_completing_validates_fully(workspace: Workspace, survey: Survey) -> None:
    draft = add_response(workspace, survey, {"rating": "12"})
    with pytest.raises(ResponseInvalid) as caught:
        update_response(workspace, draft.id, status="complete")
    kinds = {(p.question, p.kind) for p in caught.value.problems}
    assert kinds == {("phase", "required"), ("rating", "constraint")}
    assert get_response(workspace.db, draft.id).status == "draft"
    done = update_response(workspace, draft.id, complete_answers(), status="complete")
    assert done.status == "complete"
    assert done.finished is not None
    assert done.answers["services"] == ("ot", "salt")  # stored sorted
    assert get_response(workspace.db, draft.id) == done


def test_complete_clears_answers_hidden_by_skip_logic(workspace: Workspace, survey: Survey) -> None:
    response = add_response(workspace, survey, complete_answers(phase="early"), status="complete")
    assert "plan_date" not in response.answers


def test_consent_flags_follow_the_consent_questions(workspace: Workspace, survey: Survey) -> None:
    yes_no = add_response(workspace, survey, complete_answers(), status="complete")
    assert (yes_no.consent_quote, yes_no.consent_share) == (True, False)
    unanswered = add_response(workspace, survey, {"rating": 3})
    assert (unanswered.consent_quote, unanswered.consent_share) == (None, None)
    withdrawn = update_response(workspace, yes_no.id, complete_answers(consent_quote="no"))
    assert withdrawn.consent_quote is False


def test_respondent_and_capture_details_are_kept(workspace: Workspace, survey: Survey) -> None:
    response = add_response(
        workspace,
        survey,
        {"rating": 5},
        source="kiosk",
        respondent="  Ann@Example.org ",
        captured_by="Volunteer Sam",
        device_id="laptop-2",
        started="2026-11-01T10:00:00+00:00",
    )
    stored = get_response(workspace.db, response.id)
    assert stored.respondent == "Ann@Example.org"
    assert (stored.source, stored.captured_by, stored.device_id) == (
        "kiosk",
        "Volunteer Sam",
        "laptop-2",
    )
    assert stored.started == "2026-11-01T10:00:00+00:00"
    assert stored.survey_id == survey.id and stored.version_id == survey.version_id
    cleared = update_response(workspace, response.id, respondent=None)
    assert cleared.respondent is None


def test_delete_response(workspace: Workspace, survey: Survey) -> None:
    response = add_response(workspace, survey, {"rating": 5})
    delete_response(workspace, response.id)
    with pytest.raises(ResponseNotFound):
        get_response(workspace.db, response.id)
    with pytest.raises(ResponseNotFound):
        delete_response(workspace, response.id)


def test_changes_are_saved_to_the_file(workspace: Workspace, survey: Survey) -> None:
    response = add_response(workspace, survey, complete_answers(), status="complete")
    # Read-only: the workspace still holds the file's writer lock.
    reopened = Workspace.open(workspace.path, "correct horse battery", read_only=True)
    try:
        assert get_response(reopened.db, response.id) == response
    finally:
        reopened.close()


def test_answers_are_stored_as_compact_json(workspace: Workspace, survey: Survey) -> None:
    response = add_response(workspace, survey, complete_answers(), status="complete")
    (text,) = workspace.db.execute(
        "SELECT answers FROM responses WHERE id = ?", [response.id]
    ).fetchone()
    assert json.loads(text)["services"] == ["ot", "salt"]
    assert json.loads(text)["plan_date"] == "2025-03-01"
    assert ", " not in text
