"""One rule says which incoming responses are already held; imports and dry runs share it."""

from __future__ import annotations

from pathlib import Path

from forumkit.importers import already_held, plan_import, run_import
from forumkit.responses import IncomingResponse, add_incoming, add_response, sort_incoming
from forumkit.responses.export import export_responses
from forumkit.responses.incoming import incoming_id
from forumkit.workspace import Workspace

from .helpers import add_test_survey, complete_answers


def _incoming(key: str, response_id: str | None = None) -> IncomingResponse:
    return IncomingResponse(
        complete_answers(), "import:googleforms:export.csv", key, response_id=response_id
    )


def test_held_keys_ids_and_repeats_within_a_batch(workspace: Workspace, tmp_path: Path) -> None:
    survey = add_test_survey(workspace, tmp_path)
    entered = add_response(workspace, survey, complete_answers())
    add_incoming(workspace, survey, [_incoming("row-1")])
    fresh_id = "5f0e8a4e-0000-4000-8000-000000000002"
    batch = [
        _incoming("row-1"),  # imported before
        _incoming("row-2"),  # new
        _incoming("row-2"),  # repeats the row before it
        _incoming("forumkit:a", response_id=entered.id),  # its id is in the file
        _incoming("forumkit:b", response_id=fresh_id),  # new
        _incoming("forumkit:c", response_id=fresh_id),  # repeats that id
    ]
    sorted_rows = sort_incoming(workspace.db, survey.id, batch)
    assert sorted_rows.duplicates == 4
    assert [rid for rid, _ in sorted_rows.new] == [incoming_id(survey.id, "row-2"), fresh_id]
    added = add_incoming(workspace, survey, batch)
    assert (added.added, added.duplicates) == (2, 4)
    assert sort_incoming(workspace.db, survey.id, batch).duplicates == len(batch)


def test_a_source_key_counts_only_in_its_own_survey(workspace: Workspace, tmp_path: Path) -> None:
    survey = add_test_survey(workspace, tmp_path)
    add_incoming(workspace, survey, [_incoming("row-1")])
    assert sort_incoming(workspace.db, "another-survey-id", [_incoming("row-1")]).duplicates == 0


def test_a_dry_run_reports_what_the_import_then_does(workspace: Workspace, tmp_path: Path) -> None:
    """A forumkit export with one row pasted twice: the dry run counts it as the import will."""
    survey = add_test_survey(workspace, tmp_path)
    for rating in (3, 7):
        add_response(workspace, survey, complete_answers(rating=rating))
    exported = tmp_path / "export.csv"
    export_responses(workspace, survey, exported, include_drafts=True)
    lines = exported.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    exported.write_text("".join([*lines, lines[-1]]), encoding="utf-8")

    other = tmp_path / "other"
    other.mkdir()
    target_file = Workspace.create(other / "b.forumkit", "correct horse battery", forum="B")
    try:
        target = add_test_survey(target_file, other)
        plan = plan_import(target, exported)
        assert plan.problems == () and len(plan.rows) == 3
        dry_run = already_held(target_file.db, plan)
        done = run_import(target_file, target, plan)
        assert (done.added, done.duplicates) == (2, 1)
        assert (len(dry_run.new), dry_run.duplicates) == (done.added, done.duplicates)
    finally:
        target_file.close()
