"""The File menu's merging entries and the dialogs they open, for the main window."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from forumkit.merge import MergeResult
from ui.context import AppContext
from ui.merging.conflicts import ConflictsDialog
from ui.merging.merge_dialog import MergeDialog
from ui.merging.summary import MergeSummaryDialog
from ui.merging.volunteer_copy import VolunteerCopyDialog


class MergeActions(QObject):
    """ "Merge a volunteer's file…", "Make a volunteer copy…" and "Conflicts to review…"."""

    def __init__(self, context: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self.merge_action = QAction("&Merge a volunteer's file…", window)
        self.merge_action.triggered.connect(self.open_merge)
        self.copy_action = QAction("Make a &volunteer copy…", window)
        self.copy_action.triggered.connect(self.open_volunteer_copy)
        self.conflicts_action = QAction("Con&flicts to review…", window)
        self.conflicts_action.triggered.connect(self.open_conflicts)

    @property
    def actions(self) -> list[QAction]:
        return [self.merge_action, self.copy_action, self.conflicts_action]

    def set_writable(self, writable: bool) -> None:
        """Merging and resolving change the file: not in a read-only window."""
        self.merge_action.setEnabled(writable)
        self.conflicts_action.setEnabled(writable)

    def open_merge(self) -> MergeDialog:
        dialog = MergeDialog(self.context, self.window)
        dialog.review_requested.connect(self.open_conflicts)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_volunteer_copy(self) -> VolunteerCopyDialog:
        dialog = VolunteerCopyDialog(self.context, self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_conflicts(self) -> ConflictsDialog:
        dialog = ConflictsDialog(self.context, self.window)
        dialog.open()
        return dialog


def show_merge_summary(
    context: AppContext, result: MergeResult, parent: QWidget | None
) -> MergeSummaryDialog:
    """After the app merged in the newer file another program saved: what it brought, and
    the conflicts to review if it kept any."""
    dialog = MergeSummaryDialog(result, parent)

    def review() -> None:
        dialog.accept()
        ConflictsDialog(context, parent).open()

    dialog.summary.review_requested.connect(review)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
