"""File → Merge a volunteer's file…: bring a volunteer's laptop copy into the open forum file.

The chair picks the file and types its passphrase (the volunteer's own); the file is decrypted
in a worker (its key derivation takes about half a second) and merged here in one transaction
(``ui.operations.merging``), and the dialog then shows what the merge did: added, updated,
unchanged, conflicts, erased. A file of another forum is merged only if the chair says so.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forumkit.merge import DecryptedCopy, MergeResult, another_forum, decrypt_copy
from ui.context import AppContext
from ui.merging.summary import MergeSummary
from ui.operations.merging import merge_copy
from ui.tasks import Progress
from ui.widgets import Heading, Paragraph, labelled, passphrase_field

FILE_FILTER = "Forum files (*.forumkit)"


class MergeDialog(QDialog):
    """Choose a volunteer's file and its passphrase, merge it, and see what it did.

    ``merged(MergeResult)`` once a merge is saved; ``review_requested`` when the chair asks to
    review the conflicts it kept.
    """

    merged = Signal(object)
    review_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.merge_result: MergeResult | None = None
        self.setWindowTitle("Merge a volunteer's file")
        self.setAccessibleName("Merge a volunteer's file")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading("Merge a volunteer's file", 1))
        layout.addWidget(
            Paragraph(
                "Bring the responses, quotes and changes made on a volunteer's laptop into this "
                "forum file. Nothing is lost: a record changed in both files keeps the later "
                "change, and the other is kept for you to review. Merging the same file twice "
                "changes nothing the second time."
            )
        )
        layout.addWidget(self._build_file_row())
        self.passphrase = passphrase_field("The volunteer file's passphrase")
        layout.addWidget(
            labelled(
                "Its &passphrase",
                self.passphrase,
                "The passphrase chosen for the volunteer's copy (not necessarily this file's).",
            )
        )
        self.drafts = QCheckBox("Bring the volunteer's unfinished &drafts too")
        self.drafts.setAccessibleDescription(
            "Drafts may lack consent; left unticked they stay on the laptop."
        )
        layout.addWidget(self.drafts)
        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.summary = MergeSummary(self)
        self.summary.review_requested.connect(self.review_requested)
        self.summary.hide()
        layout.addWidget(self.summary, 1)
        layout.addStretch(0)
        self.buttons = QDialogButtonBox()
        self.merge_button = self.buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.merge_button.clicked.connect(self.start_merge)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(680, 560)

    def _build_file_row(self) -> QWidget:
        row_widget = QWidget()
        row = QHBoxLayout(row_widget)
        row.setContentsMargins(0, 0, 0, 0)
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("The volunteer's forum file")
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.setAccessibleName("Choose the volunteer's forum file")
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self._choose)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        return labelled(
            "The volunteer's forum &file",
            row_widget,
            "The .forumkit file from the volunteer's laptop or USB stick.",
        )

    def _choose(self) -> None:
        start = self.path_edit.text() or str(self.context.workspace.path.parent)
        name, _ = QFileDialog.getOpenFileName(
            self, "The volunteer's forum file", start, FILE_FILTER
        )
        if name:
            self.path_edit.setText(name)
            self.passphrase.setFocus()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setAccessibleName(text)

    # -- merging -----------------------------------------------------------------------------

    def start_merge(self) -> None:
        """Decrypt the chosen file in a worker, then merge it (``merge_now``)."""
        self._show_problem("")
        path = Path(self.path_edit.text().strip()).expanduser()
        if not self.path_edit.text().strip() or not path.is_file():
            self._show_problem("Choose the volunteer's forum file first (Choose…).")
            self.path_edit.setFocus()
            return
        if not self.passphrase.text():
            self._show_problem("Type the passphrase of the volunteer's file.")
            self.passphrase.setFocus()
            return
        passphrase = self.passphrase.text()
        self.merge_button.setEnabled(False)

        def work(_progress: Progress) -> DecryptedCopy:
            return decrypt_copy(path, passphrase)

        def failed(error: BaseException) -> None:
            self.merge_button.setEnabled(True)
            self.context.errors.report(error, self)
            self.passphrase.setFocus()

        self.context.tasks.run(
            work,
            on_done=self.merge_now,
            on_error=failed,
            busy_parent=self,
            busy_text="Opening the volunteer's file…",
            cancellable=True,
            discard=lambda copy: copy.discard(),
        )

    def merge_now(self, copy: DecryptedCopy) -> None:
        """Merge a decrypted copy into the open file (asking first if it is another forum's)."""
        self.merge_button.setEnabled(True)
        if not self.context.has_workspace or not self.isVisible():
            copy.discard()
            return
        forum = another_forum(self.context.workspace, copy)
        if forum is not None and not self._merge_anyway(copy, forum):
            copy.discard()
            return
        op = merge_copy(
            self.context,
            self,
            copy,
            other_forum=forum is not None,
            include_drafts=self.drafts.isChecked(),
        )
        op.failure(copy.discard).success(self._show_result).run()

    def _merge_anyway(self, copy: DecryptedCopy, forum: str) -> bool:
        answer = QMessageBox.question(
            self,
            "A file of another forum",
            f"“{copy.path.name}” belongs to another forum ({forum}), not to this one. Merge its "
            "surveys, responses and quotes into this forum file anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_result(self, result: MergeResult) -> None:
        self.merge_result = result
        self.passphrase.clear()
        self.summary.show_result(result)
        self.summary.show()
        self.close_button.setDefault(True)
        self.summary.table.setFocus()
        self.merged.emit(result)

    def done(self, code: int) -> None:
        self.passphrase.clear()
        super().done(code)
