"""Storing a checked plan's responses: all or nothing, and nothing twice.

The plan has already checked every row; this only refuses a plan with problems or one made for
another version of the survey (or, unless asked to skip them, one with problem rows), and hands
the rows to ``forumkit.responses.add_incoming``, which inserts them in one transaction (one save
of the encrypted file), changes the responses whose rows were edited in the source since they
were imported (purging the replaced answers), and skips rows the survey already holds (the same
source key, or for a forumkit export the same response id), older versions of responses held,
and rows whose response was deleted or erased before. ``already_held`` tells a dry run the same,
row by row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlite_utils

from forumkit.importers.errors import ImportRejected, StalePlan
from forumkit.importers.plan import ImportPlan
from forumkit.responses import AddedResponses, SortedIncoming, add_incoming, sort_incoming
from forumkit.surveys import Survey

if TYPE_CHECKING:
    from forumkit.workspace import Workspace


def run_import(
    workspace: Workspace,
    survey: Survey,
    plan: ImportPlan,
    *,
    captured_by: str | None = None,
    skip_bad_rows: bool = False,
) -> AddedResponses:
    """Store the plan's responses; raises ImportRejected if the plan has any problem, unless
    ``skip_bad_rows``: then the rows that passed are stored and those with problems are left
    out (``forumkit.importers.prepare_set_aside`` writes them to a file to correct)."""
    if plan.survey_id != survey.id or plan.survey_version_id != survey.version_id:
        raise StalePlan(
            f"The import of “{plan.file_name}” was checked against another version of the survey "
            f"“{survey.form_id}”; check the file again before importing."
        )
    if plan.problems and not skip_bad_rows:
        raise ImportRejected(plan.file_name, len(plan.problems), str(plan.problems[0]))
    return add_incoming(workspace, survey, plan.rows, captured_by=captured_by)


def already_held(db: sqlite_utils.Database, plan: ImportPlan) -> SortedIncoming:
    """Which of the plan's rows are new, which change a response held (``changed``, with their
    row numbers in ``changed_rows``: what a dry run shows as "changed"), and which the survey
    already holds, holds in a later version, or had deleted; decided exactly as the import
    will decide it."""
    return sort_incoming(db, plan.survey_id, plan.rows)


def count_duplicates(db: sqlite_utils.Database, plan: ImportPlan) -> int:
    """How many of the plan's rows the survey already holds."""
    return already_held(db, plan).duplicates
