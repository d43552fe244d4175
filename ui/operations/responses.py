"""Operations on responses: drafts, saving, corrections, deleting, exports, access and erasure.

Data entry and kiosk mode keep drafts and complete responses through the same ops (and so the
same core functions), so a parent's half-filled kiosk form and a volunteer's half-typed paper
form are kept by one rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtWidgets import QWidget

from forumkit import responses
from forumkit.responses import (
    AccessExport,
    Erasure,
    ExportResult,
    KeptDraft,
    Response,
    ResponseQuery,
    Status,
)
from forumkit.surveys import Survey
from ui.context import AppContext
from ui.operations import ForumOp, export_in_background
from ui.tasks import Task


def keep_draft(
    context: AppContext,
    parent: QWidget | None,
    survey: Survey,
    answers: Mapping[str, object],
    *,
    draft_id: str | None = None,
    source: str = "entered",
    captured_by: str | None = None,
    started: dt.datetime | None = None,
    respondent: str | None = None,
) -> ForumOp[KeptDraft]:
    """Keep what was typed as a draft (``forumkit.responses.keep_draft``)."""
    return ForumOp(
        context,
        parent,
        lambda workspace: responses.keep_draft(
            workspace,
            survey,
            answers,
            draft_id=draft_id,
            source=source,
            captured_by=captured_by,
            started=started,
            respondent=respondent,
        ),
    )


def complete_response(
    context: AppContext,
    parent: QWidget | None,
    survey: Survey,
    answers: Mapping[str, object],
    *,
    started: dt.datetime,
    draft_id: str | None = None,
    source: str = "entered",
    captured_by: str | None = None,
    respondent: str | None = None,
) -> ForumOp[Response]:
    """Save a finished form (``forumkit.responses.complete_response``)."""
    return ForumOp(
        context,
        parent,
        lambda workspace: responses.complete_response(
            workspace,
            survey,
            answers,
            started=started,
            draft_id=draft_id,
            source=source,
            captured_by=captured_by,
            respondent=respondent,
        ),
    )


def correct_response(
    context: AppContext,
    parent: QWidget | None,
    response_id: str,
    answers: Mapping[str, object],
    status: Status | None = None,
    respondent: str | None = None,
) -> ForumOp[Response]:
    """Save a correction; the captured metadata stays (``forumkit.responses.correct_response``);
    ``respondent`` is the contact as the form now shows it."""
    return ForumOp(
        context,
        parent,
        lambda workspace: responses.correct_response(
            workspace, response_id, answers, status=status, respondent=respondent
        ),
    )


def reopen_as_draft(
    context: AppContext, parent: QWidget | None, response_id: str, answers: Mapping[str, object]
) -> ForumOp[Response]:
    """Make a completed response a draft again with ``answers`` (undoing "Save and next" on a
    draft that was being finished)."""
    return ForumOp(
        context,
        parent,
        lambda workspace: responses.update_response(
            workspace, response_id, answers, status="draft"
        ),
    )


def remove_response(context: AppContext, parent: QWidget | None, response_id: str) -> ForumOp[None]:
    """Delete one response (audit-logged by the core)."""
    return ForumOp(
        context, parent, lambda workspace: responses.delete_response(workspace, response_id)
    )


def restore_response(
    context: AppContext, parent: QWidget | None, response: Response
) -> ForumOp[Response]:
    """Put a deleted response back exactly as it was, with the same id (undo of a discard,
    redo of a save; ``forumkit.responses.restore_response``)."""
    return ForumOp(
        context, parent, lambda workspace: responses.restore_response(workspace, response)
    )


def export_responses(
    context: AppContext,
    parent: QWidget,
    survey: Survey,
    path: Path,
    *,
    password: str | None,
    include_drafts: bool,
    on_exported: Callable[[ExportResult], object],
    query: ResponseQuery | None = None,
) -> Task[Path] | None:
    """Export ``survey``'s responses (or those matching ``query``): read here, written in a
    worker, recorded here (``forumkit.responses.prepare_responses_export``). None when it could
    not start (shown)."""
    if not context.has_workspace:
        return None
    try:
        job = responses.prepare_responses_export(
            context.workspace,
            survey,
            path,
            password=password,
            include_drafts=include_drafts,
            query=query,
        )
    except Exception as error:
        context.errors.report(error, parent)
        return None
    return export_in_background(context, parent, job, on_exported, "Exporting responses…")


def export_respondent(
    context: AppContext, parent: QWidget | None, reference: str, path: Path
) -> ForumOp[AccessExport]:
    """Write a respondent's copy of everything held about them (right of access)."""
    return ForumOp(
        context,
        parent,
        lambda workspace: responses.export_respondent(workspace, reference, path),
    )


def erase_respondent(
    context: AppContext, parent: QWidget | None, reference: str
) -> ForumOp[Erasure]:
    """Erase every response of one respondent for good (right to erasure)."""
    return ForumOp(
        context, parent, lambda workspace: responses.erase_respondent(workspace, reference)
    )
