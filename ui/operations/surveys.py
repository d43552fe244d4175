"""Operations on surveys: importing an XLSForm (read in a worker first, so a refused form is
reported without waiting on the database), renaming, archiving and removing one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from forumkit import responses, surveys
from forumkit.responses import SurveyRemoval
from forumkit.surveys import ImportResult, ReadResult, Survey, import_xlsform, read_xlsform
from ui.context import AppContext
from ui.operations import ForumOp
from ui.tasks import Progress, Task


def import_survey(
    context: AppContext,
    parent: QWidget,
    path: Path,
    on_imported: Callable[[ImportResult], object],
) -> Task[ReadResult]:
    """Import an XLSForm as a new survey or a new version (``forumkit.surveys.import_xlsform``).

    The form is read and checked in a worker (Cancel stops it), then stored on this thread.
    """

    def work(_progress: Progress) -> ReadResult:
        return read_xlsform(path)

    def store(_read: ReadResult) -> None:
        ForumOp(context, parent, lambda workspace: import_xlsform(workspace, path)).success(
            on_imported
        ).run()

    return context.tasks.run(
        work,
        on_done=store,
        on_error=lambda exc: context.errors.report(exc, parent),
        busy_parent=parent,
        busy_text=f"Reading “{path.name}”…",
        cancellable=True,
    )


def rename_survey(
    context: AppContext, parent: QWidget | None, survey_id: str, name: str
) -> ForumOp[Survey]:
    """The forum's own name for a survey; empty gives back its form's title
    (``forumkit.surveys.rename_survey``)."""
    return ForumOp(
        context, parent, lambda workspace: surveys.rename_survey(workspace, survey_id, name)
    )


def archive_survey(
    context: AppContext, parent: QWidget | None, survey_id: str, archived: bool
) -> ForumOp[Survey]:
    """Archive a survey, or bring it back (``forumkit.surveys.archive_survey``)."""
    return ForumOp(
        context,
        parent,
        lambda workspace: surveys.archive_survey(workspace, survey_id, archived=archived),
    )


def remove_survey(
    context: AppContext, parent: QWidget | None, survey_id: str, *, with_responses: bool
) -> ForumOp[SurveyRemoval]:
    """Remove a survey for good, its responses erased with it when ``with_responses``
    (``forumkit.responses.remove_survey``)."""
    return ForumOp(
        context,
        parent,
        lambda workspace: responses.remove_survey(
            workspace, survey_id, with_responses=with_responses
        ),
    )
