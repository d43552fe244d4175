"""The wizard's last two steps: where to save the pack, with a preview of its first pages (drawn
in the background), made in the background with a progress bar and Cancel; then what to send to
whom, and how."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from forumkit.packs import PackResult, gather, prepare_pack
from forumkit.wording import plural
from ui.operations.packs import keep_pack_settings, make_pack_in_background
from ui.pack_wizard.preview import PackPreview
from ui.pack_wizard.writing import PHONE_REMINDER
from ui.widgets import Paragraph, labelled

if TYPE_CHECKING:
    from ui.pack_wizard.wizard import PackWizard

PDF_FILTER = "PDF documents (*.pdf)"


def suggested_pack_name(forum: str, today: dt.date) -> str:
    """``Brookfield PCF evidence pack 2026-11-27.pdf``: the forum's name, no odd characters."""
    cleaned = re.sub(r"[^\w\- ]+", "", forum).strip() or "Forum"
    return f"{cleaned} evidence pack {today:%Y-%m-%d}.pdf"


class SavePage(QWizardPage):
    """Where the pack goes; "Make the pack" lays it out, encrypts and writes it."""

    def __init__(self, wizard: PackWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.busy = False
        self.setTitle("Save the pack")
        self.setSubTitle(
            "The pack is encrypted before anything is written: no readable copy touches the disk."
        )
        layout = QVBoxLayout(self)
        row_widget = QWidget()
        row = QHBoxLayout(row_widget)
        row.setContentsMargins(0, 0, 0, 0)
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Save the pack as")
        self.path_edit.textChanged.connect(lambda _text: self.completeChanged.emit())
        choose = QPushButton("&Choose…")
        choose.setAccessibleName("Choose where to save the pack")
        choose.setAutoDefault(False)
        choose.clicked.connect(self._choose)
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        layout.addWidget(labelled("&Save the pack as", row_widget))
        layout.addWidget(
            Paragraph(
                "Making a pack takes a few seconds. The audit log records it (when, how many "
                "quotes, whose words), never its password."
            )
        )
        self.preview = PackPreview(wizard.context)
        layout.addWidget(self.preview, 1)

    def initializePage(self) -> None:
        if not self.path_edit.text():
            folder = Path.home() / "Documents"
            if not folder.is_dir():
                folder = Path.home()
            forum = self._wizard.context.workspace.forum.name
            self.path_edit.setText(str(folder / suggested_pack_name(forum, dt.date.today())))
        self._wizard.setButtonText(self._wizard.WizardButton.NextButton, "&Make the pack")
        self.show_preview()

    def show_preview(self) -> None:
        """Read what the pack holds here (the database thread), then draw its pages."""
        wizard = self._wizard
        try:
            content = gather(wizard.context.workspace, wizard.request())
        except Exception as exc:
            self.preview.forget()
            wizard.context.errors.report(exc, wizard)
            return
        self.preview.start(content)

    def cleanupPage(self) -> None:
        self.preview.forget()
        self._wizard.setButtonText(self._wizard.WizardButton.NextButton, "&Next >")

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the pack as", self.path_edit.text(), PDF_FILTER
        )
        if name:
            self.path_edit.setText(name if name.lower().endswith(".pdf") else name + ".pdf")

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip()) and not self.busy

    def target(self) -> Path:
        path = Path(self.path_edit.text().strip()).expanduser()
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

    def validatePage(self) -> bool:
        wizard = self._wizard
        if wizard.pack is not None:
            return True
        if not self.busy:
            self.start()
        return False  # the wizard moves on by itself once the pack is recorded

    def start(self) -> None:
        """Read the pack's content here, then make it in the background."""
        wizard = self._wizard
        path = self.target()
        self.path_edit.setText(str(path))
        if not path.parent.is_dir():
            wizard.context.errors.show_message(
                "Folder not found",
                f"The folder {path.parent} does not exist: choose another.",
                self,
            )
            return
        if path.exists() and not self._replace(path):
            return
        choices = wizard.choices_page
        if choices.keep_defaults.isChecked():
            op = keep_pack_settings(
                wizard.context,
                wizard,
                title=choices.title_edit.text(),
                contact=choices.contact_edit.toPlainText(),
            )
            if not op.run():
                return
        try:
            job = prepare_pack(
                wizard.context.workspace, wizard.request(), path, password=wizard.password
            )
        except Exception as exc:
            wizard.context.errors.report(exc, wizard)
            return
        self.busy = True
        self.completeChanged.emit()
        make_pack_in_background(wizard.context, self, job, self._made, self._stopped)

    def _replace(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self,
            "Replace the file?",
            f"“{path.name}” already exists in {path.parent}. Replace it with the new pack?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _made(self, result: PackResult) -> None:
        self.busy = False
        self.preview.forget()  # no way back to this step: drop the pages (parents' words)
        self._wizard.pack = result
        self.completeChanged.emit()
        self._wizard.next()

    def _stopped(self) -> None:
        self.busy = False
        self.completeChanged.emit()


class DonePage(QWizardPage):
    """What was made, what to send and how, and the folder it is in."""

    def __init__(self, wizard: PackWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("The pack is ready")
        layout = QVBoxLayout(self)
        self.made = Paragraph()
        layout.addWidget(self.made)
        self.how = Paragraph()
        layout.addWidget(self.how)
        self.notes = Paragraph()
        self.notes.setObjectName("hint")
        layout.addWidget(self.notes)
        self.open_folder = QPushButton("&Open the folder")
        self.open_folder.setAccessibleName("Open the folder the pack is in")
        self.open_folder.setAutoDefault(False)
        self.open_folder.clicked.connect(self._open_folder)
        row = QHBoxLayout()
        row.addWidget(self.open_folder)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.status = QLabel(" ")
        self.status.setObjectName("hint")
        layout.addWidget(self.status)

    def initializePage(self) -> None:
        result = self._wizard.pack
        if result is None:
            return
        self.made.setText(
            f"“{result.path.name}” is saved in {result.path.parent}. It holds "
            f"{plural(result.quotes, 'quote')} from {plural(result.responses, 'parent')}, and "
            f"counts {plural(result.counted, 'response')} from parents who agreed to share."
        )
        self.how.setText(
            "Send the PDF to the inspection team's own address (the lead inspector gives it "
            "when the inspection is announced), not through the local authority's portal. "
            + PHONE_REMINDER
        )
        notes = []
        if result.redacted:
            notes.append(
                f"{plural(len(result.redacted), 'quote')} still held identifying details; the "
                "pack shows them redacted."
            )
        notes.extend(result.warnings)
        self.notes.setText("\n".join(notes))

    def _open_folder(self) -> None:
        result = self._wizard.pack
        if result is None:
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path.parent))):
            self.status.setText(f"The folder is {result.path.parent}.")
