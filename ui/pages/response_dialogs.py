"""Dialogs of the responses table: one response to view and edit, the export, the delete question.

The response dialog uses the same ``SurveyForm`` as data entry (the survey version the response
was captured with) and saves through the core's ``correct_response``, so a complete response is
checked exactly as when it was first saved and keeps the times it was captured at. The export
dialog only asks; the page does the export.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from forumkit.errors import ForumkitError
from forumkit.responses import INCLUDE_DRAFTS, Response, Status, check_export, survey_for_version
from forumkit.surveys import Survey
from forumkit.wording import noun, plural
from ui.context import AppContext
from ui.form import FORM_WIDTH, SurveyForm
from ui.models.responses_table import describe, source_text, status_text, when_text
from ui.operations import responses as operations
from ui.widgets import Heading, Paragraph, labelled, passphrase_field


def confirm_delete(parent: QWidget, response: Response) -> bool:
    """Ask once, naming what will go; True when the chair chose Delete."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Delete this response?")
    what = describe(response)
    box.setText(
        f"Delete {what}? {_its_answers(len(response.answers))} removed from the forum file. "
        "This cannot be undone."
    )
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    return box.clickedButton() is delete


class ResponseDialog(QDialog):
    """One response in the data-entry form, to read and correct."""

    def __init__(self, context: AppContext, response: Response, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.context = context
        self.response = response
        self.saved: Response | None = None
        self.edited = False
        db = context.workspace.db
        self.survey: Survey = survey_for_version(db, response.version_id)
        self.setWindowTitle(f"Response from {when_text(response.started or response.modified)}")
        self.setAccessibleName("One response")
        self.resize(FORM_WIDTH + 96, 640)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(Heading(self.windowTitle(), 2))
        facts = [
            f"Status: {status_text(response)}.",
            f"Source: {source_text(response.source)}.",
        ]
        if response.captured_by:
            facts.append(f"Captured by {response.captured_by}.")
        if response.finished:
            facts.append(f"Finished {when_text(response.finished)}.")
        facts.append(f"Last changed {when_text(response.modified)}.")
        layout.addWidget(Paragraph(" ".join(facts)))

        self.form = SurveyForm(self.survey, parent=self)
        self.form.set_answers(response.answers)
        self.form.edited.connect(self._on_edited)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setAccessibleName("Answers")
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(8, 8, 8, 8)
        holder_layout.addWidget(self.form)
        area.setWidget(holder)
        layout.addWidget(area, 1)

        self.message = Paragraph()
        self.message.setAccessibleName("Messages")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.complete_button: QPushButton | None = None
        if response.status == "draft":
            self.complete_button = QPushButton("Save as &complete")
            self.save_button = QPushButton("&Save as draft")
            buttons.addButton(self.complete_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.complete_button.clicked.connect(lambda: self.save("complete"))
        else:
            self.save_button = QPushButton("&Save changes")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText("C&lose")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(lambda: self.save(response.status))
        close.clicked.connect(self.close)
        layout.addWidget(buttons)
        self.form.focus_first()

    def _on_edited(self) -> None:
        self.edited = True
        self.save_button.setEnabled(True)

    def save(self, status: Status) -> bool:
        """Check (fully for a complete response, as data entry does) and save; True if saved."""
        if status == "complete":
            checked = self.form.check(final=True)
            if checked.problems:
                count = len(self.form.problem_blocks())
                text = (
                    f"{plural(count, 'answer')} {noun(count, 'needs', 'need')} attention before "
                    "this response can be saved."
                )
                self.message.setText(text)
                self.form.announce(text)
                self.form.focus_problem()
                return False
        # The core keeps the times captured with the response (start, end, today) as they were.
        return (
            operations.correct_response(
                self.context, self, self.response.id, self.form.typed_answers(), status
            )
            .success(self._saved)
            .run()
        )

    def _saved(self, response: Response) -> None:
        self.saved = response
        self.edited = False
        self.accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.edited and self.context.has_workspace and not self._may_discard():
            event.ignore()
            return
        self.form.dispose()
        super().closeEvent(event)

    def reject(self) -> None:
        if self.edited and self.context.has_workspace and not self._may_discard():
            return
        super().reject()

    def _may_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Close without saving?",
            "Your changes to this response are not saved. Close and lose them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Discard:
            self.edited = False
            return True
        return False


@dataclass(frozen=True)
class ExportChoice:
    """What the chair asked for in the export dialog."""

    path: Path
    kind: str
    password: str | None
    include_drafts: bool = INCLUDE_DRAFTS


NOT_ENCRYPTED = (
    "Without a password this file is not encrypted: anyone who gets a copy can read every "
    "answer. Keep it somewhere safe and delete it when you are done."
)


class ExportDialog(QDialog):
    """Where to export a survey's responses, and whether to protect the file with a password."""

    def __init__(self, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export responses")
        self.setAccessibleName("Export responses")
        self.choice: ExportChoice | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(Heading(f"Export the responses to “{survey.title}”", 2))
        layout.addWidget(
            Paragraph(
                "An Excel workbook (.xlsx) can be protected with a password; a .csv file cannot."
            )
        )
        documents = QStandardPaths.StandardLocation.DocumentsLocation
        folder = Path(QStandardPaths.writableLocation(documents) or Path.home())
        if not folder.is_dir():
            folder = Path.home()
        self.path = QLineEdit(str(folder / f"{survey.form_id}-responses.xlsx"))
        row = QHBoxLayout()
        row.addWidget(labelled("Save &as", self.path), 1)
        choose = QPushButton("C&hoose…")
        choose.setAutoDefault(False)
        choose.clicked.connect(self._choose)
        row.addWidget(choose)
        layout.addLayout(row)

        self.protect = QCheckBox("&Protect the file with a password")
        self.protect.setChecked(True)
        layout.addWidget(self.protect)
        self.password = passphrase_field("Password")
        self.repeat = passphrase_field("Password again")
        layout.addWidget(labelled("Pass&word", self.password))
        layout.addWidget(labelled("Password a&gain", self.repeat))
        self.drafts = QCheckBox("&Leave out unfinished responses (drafts)")
        self.drafts.setChecked(not INCLUDE_DRAFTS)  # the core's default, as in the CLI
        layout.addWidget(self.drafts)
        self.warning = Paragraph()
        self.warning.setObjectName("error")
        self.warning.setAccessibleName("Warning")
        layout.addWidget(self.warning)
        self.problem = Paragraph()
        self.problem.setObjectName("error")
        self.problem.setAccessibleName("Problem")
        layout.addWidget(self.problem)

        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Cancel")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self._export)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.protect.toggled.connect(self._update)
        self.path.textChanged.connect(self._update)
        self._update()
        self.resize(560, self.sizeHint().height())

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export responses",
            self.path.text(),
            "Excel workbook (*.xlsx);;Comma-separated values (*.csv)",
        )
        if name:
            self.path.setText(name)

    def _is_csv(self) -> bool:
        return self.path.text().strip().lower().endswith(".csv")

    def _update(self) -> None:
        csv = self._is_csv()
        self.protect.setEnabled(not csv)
        protected = self.protect.isChecked() and not csv
        for field in (self.password, self.repeat):
            field.setEnabled(protected)
        self.warning.setText("" if protected else NOT_ENCRYPTED)

    def _export(self) -> None:
        path = Path(self.path.text().strip()).expanduser()
        password: str | None = None
        if self.protect.isChecked() and not self._is_csv():
            password = self.password.text()
            if not password:
                return self._refuse("Type a password, or untick “Protect the file”.", self.password)
            if password != self.repeat.text():
                return self._refuse("The two passwords are not the same.", self.repeat)
        if not path.parent.is_dir():
            return self._refuse(f"The folder “{path.parent}” does not exist.", self.path)
        try:
            kind = check_export(path, password)
        except ForumkitError as error:
            return self._refuse(str(error), self.path)
        self.choice = ExportChoice(path, kind, password, not self.drafts.isChecked())
        self.accept()

    def _refuse(self, text: str, field: QWidget) -> None:
        self.problem.setText(text)
        field.setFocus()


def _its_answers(count: int) -> str:
    """“Its 3 answers will be”, “Its one answer will be”: the deletion question's subject."""
    return "Its one answer will be" if count == 1 else f"Its {plural(count, 'answer')} will be"
