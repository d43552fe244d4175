"""Right of access and right to erasure: finding everything about a respondent, and erasing it
so that nothing of it stays in the forum file or its backup."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
import sqlite_utils

from forumkit import audit
from forumkit.responses import add_response, count_responses, get_response
from forumkit.responses import requests as dp_requests
from forumkit.responses.errors import ResponseNotFound
from forumkit.responses.export import export_responses
from forumkit.responses.requests import erase_respondent, find_respondent
from forumkit.surveys import Survey
from forumkit.vault.storage import backup_path
from forumkit.workspace import Workspace
from tests.conftest import decrypted

from .helpers import add_test_survey, complete_answers

SECRET = "Quokka-7731 my son Jaden at Hillside school"


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_test_survey(workspace, tmp_path)


def test_find_respondent_matches_trimmed_and_case_insensitive(
    workspace: Workspace, survey: Survey
) -> None:
    mine = add_response(
        workspace,
        survey,
        complete_answers(experience=SECRET),
        status="complete",
        respondent="Ann.Parent@Example.org",
    )
    add_response(workspace, survey, {"rating": 2}, respondent="ann.parent@example.org ")
    add_response(workspace, survey, {"rating": 9}, respondent="someone@else.org")
    held = find_respondent(workspace.db, "  ANN.PARENT@example.ORG ")
    assert [r.respondent for r in held.responses] == [
        "Ann.Parent@Example.org",
        "ann.parent@example.org",
    ]
    data = held.to_dict()
    first = data["responses"][0]
    assert first["id"] == mine.id and first["survey"] == "Family survey 2026"
    assert first["answers"]["experience"] == SECRET
    assert first["answers"]["services"] == ["ot", "salt"]
    assert first["answers"]["plan_date"] == "2025-03-01"
    assert first["consent_quote"] is True
    assert find_respondent(workspace.db, "nobody@example.org").responses == ()
    assert find_respondent(workspace.db, "   ").responses == ()


def test_erasure_leaves_no_trace_in_the_file_or_its_backup(
    workspace: Workspace, survey: Survey
) -> None:
    kept = add_response(workspace, survey, {"rating": 8}, respondent="other@example.org")
    gone = add_response(
        workspace,
        survey,
        complete_answers(experience=SECRET),
        status="complete",
        respondent="ann@example.org",
    )
    # Later saves push the secret into FILE.bak as well.
    add_response(workspace, survey, {"rating": 3})
    assert SECRET.encode() in decrypted(workspace.path)
    assert SECRET.encode() in decrypted(backup_path(workspace.path))

    erasure = erase_respondent(workspace, "ANN@example.org")
    assert (erasure.responses, erasure.response_ids) == (1, (gone.id,))
    for path in (workspace.path, backup_path(workspace.path)):
        image = decrypted(path)
        assert SECRET.encode() not in image, path
        assert b"ann@example.org" not in image, path
    with pytest.raises(ResponseNotFound):
        get_response(workspace.db, gone.id)
    assert get_response(workspace.db, kept.id).respondent == "other@example.org"
    assert count_responses(workspace.db, survey.id) == 2


def test_erasure_is_audited_with_counts_and_ids_only(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    gone = add_response(workspace, survey, {"experience": SECRET}, respondent="ann@example.org")
    export_responses(workspace, survey, tmp_path / "sent.xlsx", include_drafts=True)
    erasure = erase_respondent(workspace, "ann@example.org")
    [disclosure] = erasure.disclosures
    assert (disclosure.action, disclosure.responses) == ("responses_exported", 1)
    [entry] = audit.entries(workspace.db, "respondent_erased")
    assert entry.counts == {"responses": 1, "earlier_disclosures": 1}
    assert entry.object_ids == [gone.id]
    log = str(audit.entries(workspace.db))
    assert "ann@" not in log and SECRET not in log


def test_erasing_nobody_changes_nothing(workspace: Workspace, survey: Survey) -> None:
    add_response(workspace, survey, {"rating": 1}, respondent="ann@example.org")
    generation = workspace.generation
    erasure = erase_respondent(workspace, "bob@example.org")
    assert erasure.responses == 0
    assert workspace.generation == generation
    assert audit.entries(workspace.db, "respondent_erased") == []


def test_later_erasers_run_first_in_the_same_transaction(
    workspace: Workspace, survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = add_response(workspace, survey, {"rating": 1}, respondent="ann@example.org")
    seen: list[tuple[str, ...]] = []

    def erase_quotes(db: sqlite_utils.Database, ids: Sequence[str]) -> dict[str, int]:
        assert count_responses(db, survey.id) == 1  # derived data goes before the responses
        seen.append(tuple(ids))
        return {"quotes": 2}

    monkeypatch.setattr(dp_requests, "ERASERS", [erase_quotes, *dp_requests.ERASERS])
    erasure = erase_respondent(workspace, "ann@example.org")
    assert seen == [(gone.id,)]
    assert erasure.counts == {"quotes": 2, "responses": 1}


def test_a_failed_erasure_changes_nothing(
    workspace: Workspace, survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_response(workspace, survey, {"experience": SECRET}, respondent="ann@example.org")
    before = workspace.path.read_bytes()

    def broken(db: sqlite_utils.Database, ids: Sequence[str]) -> dict[str, int]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(dp_requests, "ERASERS", [*dp_requests.ERASERS, broken])
    with pytest.raises(RuntimeError):
        erase_respondent(workspace, "ann@example.org")
    assert workspace.path.read_bytes() == before
    assert len(find_respondent(workspace.db, "ann@example.org").responses) == 1


def test_an_access_copy_is_written_as_json_or_text_and_logged(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    mine = add_response(
        workspace,
        survey,
        complete_answers(experience=SECRET),
        status="complete",
        respondent="ann@example.org",
    )
    written = dp_requests.export_respondent(workspace, "ANN@example.org", tmp_path / "ann.json")
    assert (written.format, written.responses) == ("json", 1)
    data = json.loads((tmp_path / "ann.json").read_text(encoding="utf-8"))
    assert data == find_respondent(workspace.db, "ann@example.org").to_dict()
    dp_requests.export_respondent(workspace, "ann@example.org", tmp_path / "ann.txt")
    text = (tmp_path / "ann.txt").read_text(encoding="utf-8")
    assert SECRET in text and text.startswith("1 response is held")
    entries = audit.entries(workspace.db, dp_requests.ACCESS_EXPORTED)
    assert [e.object_ids for e in entries] == [[mine.id], [mine.id]]
    assert "ann" not in json.dumps([e.counts for e in entries])  # counts and ids only
    # A copy for the respondent is not a disclosure the recipients of which must be told.
    assert dp_requests.disclosures_of(workspace.db, [mine.id]) == []
    with pytest.raises(dp_requests.ExportError, match=r"\.json or \.txt"):
        dp_requests.export_respondent(workspace, "ann@example.org", tmp_path / "ann.pdf")
    assert len(audit.entries(workspace.db, dp_requests.ACCESS_EXPORTED)) == 2


def test_the_erasure_summary_and_its_audit_entry(workspace: Workspace, survey: Survey) -> None:
    add_response(workspace, survey, {"rating": 8}, respondent="ann@example.org")
    erasure = erase_respondent(workspace, "ann@example.org")
    text = dp_requests.erasure_text(erasure)
    assert text.startswith("Erased 1 response;")
    entry = dp_requests.erasure_entry(workspace.db, erasure)
    assert entry is not None and entry.counts["responses"] == 1
    nothing = erase_respondent(workspace, "ann@example.org")
    assert dp_requests.erasure_entry(workspace.db, nothing) is None
    assert "nothing was erased" in dp_requests.erasure_text(nothing)
