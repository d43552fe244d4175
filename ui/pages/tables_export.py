""" "Export the tables…" on the Analysis page: where the workbook goes, a password if wanted,
and, when every figure is shown, a plain warning that the tables are for the forum only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from forumkit.wording import plural
from ui.protected_file import ProtectedFile, ProtectedFileChooser, documents_folder
from ui.widgets import Heading, Paragraph, reading_width

FORUM_ONLY_TABLES = (
    "For the forum only: these tables hold every figure, small numbers too, and the workbook "
    "says so on its first sheet. Do not share it outside the forum; untick “Show every "
    "figure” first to export what a pack would publish."
)
PUBLISHED_TABLES = (
    "Small counts are suppressed as a pack publishes them. The workbook holds counts and "
    "labels only, never a parent's words."
)


class TablesExportDialog(QDialog):
    """What the workbook will hold, whether it is for the forum only, and where it goes."""

    def __init__(
        self,
        what: str,
        questions: int,
        suppressed: bool,
        suggested: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export the tables")
        self.setAccessibleName("Export the tables")
        self.choice: ProtectedFile | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(Heading("Export the tables", 2))
        layout.addWidget(
            Paragraph(
                f"The tables of {what} as the page shows them: {plural(questions, 'question')}."
            )
        )
        self.note = Paragraph(PUBLISHED_TABLES if suppressed else FORUM_ONLY_TABLES)
        if not suppressed:
            self.note.setObjectName("error")
        layout.addWidget(self.note)
        self.file = ProtectedFileChooser(suggested, "Export the tables")
        layout.addWidget(self.file)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Cancel")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self._export)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(reading_width(self, 80, 560), self.sizeHint().height())

    def _export(self) -> None:
        chosen = self.file.chosen()
        if chosen is None:
            return
        self.choice = chosen
        self.accept()


def suggested_path(form_id: str) -> Path:
    """Where the workbook goes unless the chair picks elsewhere."""
    return documents_folder() / f"{form_id}-tables.xlsx"
