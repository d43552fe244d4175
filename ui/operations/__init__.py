"""The app's operations on the open forum file: one core call each, run the one way.

Anki's ``CollectionOp`` pattern: a page does not compose a use case, it asks for an op and says
what to do once it succeeded::

    remove_response(context, self, response.id).success(lambda _: self.reload()).run()

:class:`ForumOp` runs its core call through ``context.change`` on the database thread (the GUI
thread): the status bar says "Saving…", a ForumkitError or a bug becomes a dialog, the file is
left as it was on failure, and every page refreshes from the change record. Exports add a
worker between reading and recording (:func:`export_in_background`). The ops themselves live
in one module per domain: ``ui.operations.responses``, ``ui.operations.surveys`` and
``ui.operations.importers``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtWidgets import QWidget

from forumkit.exports import ExportJob, discard_export, record_export, write_export
from forumkit.workspace import Workspace
from ui.context import AppContext
from ui.tasks import Progress, Task

T = TypeVar("T")


class ForumOp(Generic[T]):
    """One change to the open forum file: ``change(workspace)`` is a core call.

    Build it, chain :meth:`success` (and :meth:`failure`), then :meth:`run` it.
    """

    def __init__(
        self, context: AppContext, parent: QWidget | None, change: Callable[[Workspace], T]
    ) -> None:
        self.context = context
        self.parent = parent
        self._change = change
        self._on_success: Callable[[T], object] | None = None
        self._on_failure: Callable[[], object] | None = None
        self._results: list[T] = []  # the change's result once saved (it may itself be None)

    def success(self, callback: Callable[[T], object]) -> ForumOp[T]:
        """Call ``callback(result)`` once the change is saved."""
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[], object]) -> ForumOp[T]:
        """Call ``callback()`` when the change failed (the dialog is already shown) or no forum
        file is open."""
        self._on_failure = callback
        return self

    def run(self) -> bool:
        """Run the change now, on this (the database) thread; True when it was saved."""
        if not self.context.has_workspace:
            if self._on_failure is not None:
                self._on_failure()
            return False
        workspace = self.context.workspace
        ok, _ = self.context.change(
            lambda: self._results.append(self._change(workspace)), self.parent
        )
        if not ok:
            if self._on_failure is not None:
                self._on_failure()
            return False
        if self._on_success is not None:
            self._on_success(self.result)
        return True

    @property
    def result(self) -> T:
        """What the core call returned; only once :meth:`run` returned True."""
        if not self._results:
            raise RuntimeError("the operation has not run, or it failed")
        return self._results[0]


def export_in_background(
    context: AppContext,
    parent: QWidget,
    job: ExportJob[T],
    on_exported: Callable[[T], object],
    busy_text: str,
) -> Task[Path]:
    """Write a prepared export in a worker (no database there), then record it here.

    If the forum file was closed or locked meanwhile, the written file is removed: an export
    the audit log cannot account for must not stay on disk.
    """

    def work(_progress: Progress) -> Path:
        return write_export(job)

    def written(_path: Path) -> None:
        if not context.has_workspace:
            discard_export(job)
            return
        ForumOp(context, parent, lambda workspace: record_export(workspace, job)).success(
            on_exported
        ).run()

    return context.tasks.run(
        work,
        on_done=written,
        on_error=lambda error: context.errors.report(error, parent),
        busy_parent=parent.window(),
        busy_text=busy_text,
    )
