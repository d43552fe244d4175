"""Operations on surveys: importing an XLSForm (read in a worker first, so a refused form is
reported without waiting on the database)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from forumkit.surveys import ImportResult, ReadResult, import_xlsform, read_xlsform
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
