"""Importing many responses at once: new rows only, idempotent, audited, all or nothing."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from forumkit import audit
from forumkit.responses import (
    IncomingResponse,
    add_incoming,
    add_response,
    count_responses,
    existing_source_keys,
    get_response,
    list_responses,
)
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.core.schema.test_derived import assert_indexes_agree

from .helpers import add_test_survey, incoming_row


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_test_survey(workspace, tmp_path)


def test_add_incoming_is_idempotent_and_audited(workspace: Workspace, survey: Survey) -> None:
    batch = [incoming_row(survey, f"row-{n}") for n in range(5)] + [incoming_row(survey, "row-0")]
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
    assert entries[0].counts == {
        "added": 5,
        "updated": 0,
        "duplicates": 1,
        "removed_earlier": 0,
        "outdated": 0,
        "kept_corrected": 0,
    }
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
        ours = add_incoming(workspace, survey, [incoming_row(survey, "k")])
        theirs = add_incoming(other, other_survey, [incoming_row(other_survey, "k")])
        assert ours.ids == theirs.ids
    finally:
        other.close()


def test_add_incoming_is_all_or_nothing(workspace: Workspace, survey: Survey) -> None:
    add_incoming(workspace, survey, [incoming_row(survey, "a")])
    before = workspace.path.read_bytes()
    elsewhere = replace(survey, version_id="not-in-this-file")  # the insert itself fails
    with pytest.raises(sqlite3.IntegrityError):
        add_incoming(workspace, elsewhere, [incoming_row(survey, f"b{n}") for n in range(3)])
    assert workspace.path.read_bytes() == before
    assert count_responses(workspace.db, survey.id) == 1


def test_a_failure_after_the_rows_went_in_takes_them_back_out(
    workspace: Workspace, survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are inserted before the audit entry; if that fails, the whole import goes."""
    add_incoming(workspace, survey, [incoming_row(survey, "a")])
    before = workspace.path.read_bytes()

    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit log refused")

    monkeypatch.setattr(audit, "record", refuse)
    with pytest.raises(RuntimeError, match="refused"):
        add_incoming(workspace, survey, [incoming_row(survey, f"b{n}") for n in range(250)])
    monkeypatch.undo()
    assert workspace.path.read_bytes() == before
    assert count_responses(workspace.db, survey.id) == 1
    assert existing_source_keys(workspace.db, survey.id) == {"a"}
    assert_indexes_agree(workspace)


def test_a_large_import_is_searchable_at_once(workspace: Workspace, survey: Survey) -> None:
    """Rows go in a hundred per statement; every one of them reaches the search indexes."""
    rows = []
    for n in range(250):
        row = incoming_row(survey, f"k{n}", f"parent{n}@example.org")
        told = {**row.answers, "experience": f"Waited {n} weeks for a plan"}
        rows.append(replace(row, answers=told))
    added = add_incoming(workspace, survey, rows)
    assert added.added == 250
    assert_indexes_agree(workspace)
    assert count_responses(workspace.db, survey.id, search="weeks for a") == 250
    assert [r.respondent for r in list_responses(workspace.db, survey.id, search="waited 249")] == [
        "parent249@example.org"
    ]
    assert count_responses(workspace.db, survey.id, search="parent12") == 11  # 12, 120-129
