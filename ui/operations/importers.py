"""Operations of the import wizard: storing a checked import plan."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from forumkit.importers import ImportPlan, run_import
from forumkit.responses import AddedResponses
from forumkit.surveys import get_survey
from forumkit.workspace import Workspace
from ui.context import AppContext
from ui.operations import ForumOp


def import_responses(
    context: AppContext,
    parent: QWidget | None,
    survey_id: str,
    plan: ImportPlan,
    captured_by: str | None = None,
    *,
    skip_bad_rows: bool = False,
) -> ForumOp[AddedResponses]:
    """Store a checked plan's rows in one transaction, all or nothing (or, with
    ``skip_bad_rows``, the rows that passed); rows imported before are counted as duplicates
    (``forumkit.importers.run_import``)."""

    def store(workspace: Workspace) -> AddedResponses:
        # The survey as it is now: a plan checked against an older version is refused.
        current = get_survey(workspace.db, survey_id)
        return run_import(
            workspace, current, plan, captured_by=captured_by, skip_bad_rows=skip_bad_rows
        )

    return ForumOp(context, parent, store)
