"""Capturing, completing, importing and finding responses in a forum file."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from forumkit import audit
from forumkit.responses import (
    IncomingResponse,
    ResponseInvalid,
    ResponseNotFound,
    add_incoming,
    add_response,
    count_responses,
    delete_response,
    existing_source_keys,
    get_response,
    list_responses,
    update_response,
)
from forumkit.surveys import Survey, check_response
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


def _incoming(survey: Survey, key: str, respondent: str | None = None) -> IncomingResponse:
    answers = check_response(survey, complete_answers()).answers
    return IncomingResponse(
        answers,
        "import:googleforms:export.csv",
        key,
        respondent,
        "2026-10-01T09:00:00",
        "2026-10-01T09:05:00",
    )


def test_add_incoming_is_idempotent_and_audited(workspace: Workspace, survey: Survey) -> None:
    batch = [_incoming(survey, f"row-{n}") for n in range(5)] + [_incoming(survey, "row-0")]
    first = add_incoming(workspace, survey, batch, captured_by="Chair")
    assert (first.added, first.duplicates, len(first.ids)) == (5, 1, 5)
    again = add_incoming(workspace, survey, batch)
    assert (again.added, again.duplicates, again.ids) == (0, 6, ())
    assert existing_source_keys(workspace.db, survey.id) == {f"row-{n}" for n in range(5)}
    stored = get_response(workspace.db, first.ids[0])
    assert stored.status == "complete"
    assert stored.source == "import:googleforms:export.csv"
    assert (stored.started, stored.finished) == ("2026-10-01T09:00:00", "2026-10-01T09:05:00")
    assert stored.consent_quote is True and stored.captured_by == "Chair"
    entries = audit.entries(workspace.db, "responses_imported")
    assert entries[0].counts == {"added": 5, "duplicates": 1, "removed_earlier": 0}
    assert "We waited" not in json.dumps([e.object_ids for e in entries])


def test_incoming_keeps_a_forumkit_export_s_ids_and_drafts(
    workspace: Workspace, survey: Survey
) -> None:
    entered = add_response(workspace, survey, {"rating": 3})
    again = IncomingResponse(
        {"rating": 3}, "import:forumkit:x.xlsx", f"forumkit:{entered.id}", response_id=entered.id
    )
    draft_id = "5f0e8a4e-0000-4000-8000-000000000001"
    new = IncomingResponse(
        {"rating": 5},
        "import:forumkit:x.xlsx",
        f"forumkit:{draft_id}",
        status="draft",
        response_id=draft_id,
    )
    added = add_incoming(workspace, survey, [again, new])
    assert (added.added, added.duplicates, added.ids) == (1, 1, (draft_id,))
    assert get_response(workspace.db, draft_id).status == "draft"


def test_incoming_ids_agree_between_forum_files(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other = Workspace.create(other_dir / "b.forumkit", "correct horse battery", forum="B")
    try:
        other_survey = add_test_survey(other, other_dir)
        ours = add_incoming(workspace, survey, [_incoming(survey, "k")])
        theirs = add_incoming(other, other_survey, [_incoming(other_survey, "k")])
        assert ours.ids == theirs.ids
    finally:
        other.close()


def test_add_incoming_is_all_or_nothing(workspace: Workspace, survey: Survey) -> None:
    add_incoming(workspace, survey, [_incoming(survey, "a")])
    before = workspace.path.read_bytes()
    elsewhere = replace(survey, version_id="not-in-this-file")  # the insert itself fails
    with pytest.raises(sqlite3.IntegrityError):
        add_incoming(workspace, elsewhere, [_incoming(survey, f"b{n}") for n in range(3)])
    assert workspace.path.read_bytes() == before
    assert count_responses(workspace.db, survey.id) == 1


def test_list_pages_filters_and_searches(workspace: Workspace, survey: Survey) -> None:
    add_incoming(
        workspace,
        survey,
        [_incoming(survey, f"k{n}", f"parent{n}@example.org") for n in range(25)],
    )
    draft = add_response(workspace, survey, {"experience": "Bus never came"})
    db = workspace.db
    assert count_responses(db, survey.id) == 26
    assert count_responses(db, survey.id, status="draft") == 1
    page = list_responses(db, survey.id, offset=10, limit=10)
    assert [r.respondent for r in page] == [f"parent{n}@example.org" for n in range(10, 20)]
    assert list_responses(db, survey.id, search="PARENT7@")[0].respondent == "parent7@example.org"
    assert [r.id for r in list_responses(db, survey.id, search="bus never")] == [draft.id]
    assert count_responses(db, survey.id, search="100%") == 0
    assert len(list_responses(db, survey.id, limit=None)) == 26
