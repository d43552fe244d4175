"""Storing a checked plan's responses: all or nothing, and nothing twice.

The plan has already checked every row; this only refuses a plan with problems or one made for
another version of the survey, and hands the rows to ``forumkit.responses.add_incoming``, which
inserts them in one transaction (one save of the encrypted file) and skips source keys the
survey already holds. Rows of a forumkit export whose response id the file already holds are
duplicates too (re-importing a forum's own export changes nothing), and rows the export marks
as drafts become drafts again, in the same transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlite_utils

from forumkit.importers.errors import ImportRejected, StalePlan
from forumkit.importers.plan import ImportPlan
from forumkit.responses.store import (
    AddedResponses,
    add_incoming,
    existing_source_keys,
    incoming_id,
    update_response,
)
from forumkit.surveys import Survey

if TYPE_CHECKING:
    from forumkit.workspace import Workspace


def run_import(
    workspace: Workspace, survey: Survey, plan: ImportPlan, *, captured_by: str | None = None
) -> AddedResponses:
    """Store the plan's responses; raises ImportRejected if the plan has any problem."""
    if plan.survey_id != survey.id or plan.survey_version_id != survey.version_id:
        raise StalePlan(
            f"The import of “{plan.file_name}” was checked against another version of the survey "
            f"“{survey.form_id}”; check the file again before importing."
        )
    if plan.problems:
        raise ImportRejected(plan.file_name, len(plan.problems), str(plan.problems[0]))
    held = _held_originals(workspace.db, plan)
    rows = [row for row in plan.rows if row.source_key not in held]
    with workspace.transaction("responses_imported"):
        added = add_incoming(workspace, survey, rows, captured_by=captured_by)
        new_ids = set(added.ids)
        for key in sorted(plan.drafts):
            response_id = incoming_id(survey.id, key)
            if response_id in new_ids:
                update_response(workspace, response_id, status="draft")
    return AddedResponses(added.added, added.duplicates + len(held), added.ids)


def count_duplicates(db: sqlite_utils.Database, plan: ImportPlan) -> int:
    """How many of the plan's rows the survey already holds (what a dry run reports)."""
    held = existing_source_keys(db, plan.survey_id) | _held_originals(db, plan)
    return sum(1 for row in plan.rows if row.source_key in held)


def _held_originals(db: sqlite_utils.Database, plan: ImportPlan) -> set[str]:
    """Source keys of forumkit-export rows whose original response is in the file."""
    if not plan.origins:
        return set()
    held: set[str] = set()
    keys = list(plan.origins.items())
    for start in range(0, len(keys), 500):
        batch = keys[start : start + 500]
        marks = ", ".join("?" * len(batch))
        found = {
            str(row[0])
            for row in db.execute(
                f"SELECT id FROM responses WHERE id IN ({marks})",  # noqa: S608 (only ? marks)
                [origin for _, origin in batch],
            ).fetchall()
        }
        held.update(key for key, origin in batch if origin in found)
    return held
