"""What was deleted stays deleted: tombstones, consulted by every path that adds responses
or surveys, and undo that puts back the very same response."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from forumkit import tombstones
from forumkit.responses import (
    IncomingResponse,
    ResponseAlreadyHeld,
    ResponseErased,
    add_incoming,
    add_response,
    count_responses,
    delete_response,
    get_response,
    remove_survey,
    restore_response,
)
from forumkit.responses.requests import erase_respondent
from forumkit.surveys import (
    Survey,
    SurveyHasResponses,
    SurveyNotFound,
    SurveyRemoved,
    get_survey,
    import_xlsform,
    list_surveys,
)
from forumkit.vault import backup_path
from forumkit.workspace import Workspace
from tests.conftest import decrypted
from tests.core.responses.helpers import complete_answers, write_survey_form

SECRET = "Our family was left without respite for nine months"


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return import_xlsform(workspace, write_survey_form(tmp_path / "family.xlsx")).survey


def _row(key: str, **answers: object) -> IncomingResponse:
    return IncomingResponse(
        complete_answers(**answers), source="import:googleforms:x.csv", source_key=key
    )


def test_a_deleted_import_is_not_brought_back_by_the_same_export(
    workspace: Workspace, survey: Survey
) -> None:
    first = add_incoming(workspace, survey, [_row("a"), _row("b")])
    delete_response(workspace, first.ids[0])
    again = add_incoming(workspace, survey, [_row("a"), _row("b"), _row("c")])
    assert (again.added, again.duplicates, again.removed_earlier) == (1, 1, 1)
    assert count_responses(workspace.db, survey.id) == 2


def test_a_forumkit_export_row_with_a_deleted_id_stays_out(
    workspace: Workspace, survey: Survey
) -> None:
    gone = add_response(workspace, survey, complete_answers(), status="complete")
    delete_response(workspace, gone.id)
    row = replace(_row("export:1"), response_id=gone.id)
    result = add_incoming(workspace, survey, [row])
    assert (result.added, result.removed_earlier) == (0, 1)


def test_restore_puts_back_the_same_response_and_forgets_its_tombstone(
    workspace: Workspace, survey: Survey
) -> None:
    draft = add_response(workspace, survey, {"rating": 3}, captured_by="Sam")
    delete_response(workspace, draft.id)
    assert tombstones.reason(workspace.db, draft.id) == "deleted"
    back = restore_response(workspace, draft)
    assert back == draft
    assert get_response(workspace.db, draft.id) == draft
    assert tombstones.reason(workspace.db, draft.id) is None
    with pytest.raises(ResponseAlreadyHeld):
        restore_response(workspace, draft)


def test_an_erased_response_can_never_be_restored_or_reimported(
    workspace: Workspace, survey: Survey
) -> None:
    added = add_incoming(
        workspace, survey, [replace(_row("a", experience=SECRET), respondent="ann@example.org")]
    )
    erased = get_response(workspace.db, added.ids[0])
    erase_respondent(workspace, "ann@example.org")
    assert tombstones.reason(workspace.db, erased.id) == "erased"
    with pytest.raises(ResponseErased, match="erased at its respondent's request"):
        restore_response(workspace, erased)
    again = add_incoming(workspace, survey, [_row("a", experience=SECRET)])
    assert (again.added, again.removed_earlier) == (0, 1)


def test_tombstones_hold_ids_and_dates_only(workspace: Workspace, survey: Survey) -> None:
    gone = add_response(
        workspace, survey, complete_answers(experience=SECRET), respondent="ann@example.org"
    )
    delete_response(workspace, gone.id)
    rows = workspace.db.execute("SELECT * FROM tombstones").fetchall()
    assert [row[:3] for row in rows] == [(gone.id, "response", "deleted")]
    columns = [c[1] for c in workspace.db.execute("PRAGMA table_info(tombstones)").fetchall()]
    assert columns == ["id", "kind", "reason", "at"]


def test_removing_a_survey_with_responses_needs_saying_so(
    workspace: Workspace, survey: Survey
) -> None:
    add_response(workspace, survey, complete_answers(), status="complete")
    generation = workspace.generation
    with pytest.raises(SurveyHasResponses, match="holds 1 response;"):
        remove_survey(workspace, survey.id)
    assert workspace.generation == generation
    assert len(list_surveys(workspace.db)) == 1


def test_a_removed_survey_and_its_responses_are_gone_for_good(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    response = add_response(
        workspace, survey, complete_answers(experience=SECRET), status="complete"
    )
    add_response(workspace, survey, {"rating": 2})  # pushes the secret into FILE.bak too
    removal = remove_survey(workspace, survey.id, with_responses=True)
    assert (removal.responses, removal.form_id) == (2, "family_2026")
    assert list_surveys(workspace.db) == []
    for path in (workspace.path, backup_path(workspace.path)):
        assert SECRET.encode() not in decrypted(path), path
    assert tombstones.reason(workspace.db, survey.id) == "removed"
    assert tombstones.reason(workspace.db, response.id) == "erased"
    form = write_survey_form(tmp_path / "again.xlsx")
    with pytest.raises(SurveyRemoved, match="--restore-removed"):
        import_xlsform(workspace, form)
    with pytest.raises(SurveyNotFound):
        get_survey(workspace.db, survey.id)
    back = import_xlsform(workspace, form, restore_removed=True).survey
    assert back.id == survey.id and count_responses(workspace.db, survey.id) == 0
    with pytest.raises(ResponseErased):
        restore_response(workspace, response)


def test_a_survey_without_responses_is_removed_quietly(
    workspace: Workspace, survey: Survey
) -> None:
    removal = remove_survey(workspace, "family_2026")
    assert removal.responses == 0
    assert list_surveys(workspace.db) == []
