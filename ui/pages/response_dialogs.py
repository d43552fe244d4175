"""Dialogs of the responses table: one response to view and edit, the export, the delete
question, the columns to show.

The response dialog uses the same ``SurveyForm`` as data entry (the survey version the response
was captured with) and saves through the core's ``correct_response``, so a complete response is
checked exactly as when it was first saved and keeps the times it was captured at. The export
dialog only asks; the page does the export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from forumkit.responses import (
    INCLUDE_DRAFTS,
    ExportResult,
    Response,
    ResponseQuery,
    Status,
    survey_for_version,
)
from forumkit.surveys import Survey
from forumkit.wording import plural
from ui import icons
from ui.context import AppContext
from ui.form import FORM_WIDTH, SurveyForm
from ui.models.responses_table import (
    TableColumn,
    describe,
    source_text,
    status_text,
    when_text,
)
from ui.operations import responses as operations
from ui.protected_file import ProtectedFileChooser, documents_folder
from ui.widgets import Heading, Paragraph, StatusLabel, reading_width


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
    """One response in the data-entry form, to read and correct.

    Building a survey's form is most of the time opening a response takes, so the responses
    table keeps one dialog per survey version and shows the next response in it
    (:meth:`show_response`): its fields are refilled, which also empties their undo histories.
    """

    def __init__(self, context: AppContext, response: Response, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.context = context
        self.response = response
        self.saved: Response | None = None
        self.edited = False
        db = context.workspace.db
        self.survey: Survey = survey_for_version(db, response.version_id)
        self.setAccessibleName("One response")
        self.resize(FORM_WIDTH + 96, 640)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        self.heading = Heading("", 2)
        layout.addWidget(self.heading)
        self.facts = Paragraph()
        layout.addWidget(self.facts)

        self.form = SurveyForm(self.survey, contact="volunteer", parent=self)
        self.form.edited.connect(self._on_edited)
        self.form.problems_changed.connect(self._problems_changed)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the answers
        self.area.setAccessibleName("Answers")
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(8, 8, 8, 8)
        holder_layout.addWidget(self.form)
        self.area.setWidget(holder)
        layout.addWidget(self.area, 1)

        self.message = StatusLabel("Messages")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.complete_button = QPushButton("Save as co&mplete")
        buttons.addButton(self.complete_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.complete_button.clicked.connect(lambda: self.save("complete"))
        self.save_button = QPushButton(icons.icon("save"), "&Save changes")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText("Clos&e")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Ctrl+Enter")
        self.save_button.clicked.connect(lambda: self.save(self.response.status))
        close.clicked.connect(self.close)
        layout.addWidget(buttons)
        # Ctrl+Enter saves here as it does in data entry (the button Enter alone would press).
        self.save_action = QAction("Save", self)
        self.save_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.save_action.triggered.connect(lambda: self.save(self.response.status))
        self.addAction(self.save_action)
        self.show_response(response)

    def shows_version_of(self, response: Response) -> bool:
        """Whether ``response`` fits this dialog's form (the same survey version)."""
        return response.version_id == self.survey.version_id

    def show_response(self, response: Response) -> None:
        """Show ``response`` (of this dialog's survey version), nothing changed yet."""
        self.response = response
        self.saved = None
        title = f"Response from {when_text(response.started or response.modified)}"
        self.setWindowTitle(title)
        self.heading.setText(title)
        facts = [
            f"Status: {status_text(response)}.",
            f"Source: {source_text(response.source)}.",
        ]
        if response.captured_by:
            facts.append(f"Captured by {response.captured_by}.")
        if response.finished:
            facts.append(f"Finished {when_text(response.finished)}.")
        facts.append(f"Last changed {when_text(response.modified)}.")
        self.facts.setText(" ".join(facts))
        self.form.set_answers(response.answers)
        self.form.set_contact(response.respondent)
        self.message.clear()
        draft = response.status == "draft"
        self.complete_button.setVisible(draft)
        self.save_button.setText("&Save as draft" if draft else "&Save changes")
        self.edited = False
        self.save_button.setEnabled(False)
        self.area.verticalScrollBar().setValue(0)
        self.form.focus_first()

    def dispose(self) -> None:
        """Let go of the form and the dialog (another survey, or the file is locking)."""
        self.form.dispose()
        self.deleteLater()

    def _on_edited(self) -> None:
        self.edited = True
        self.save_button.setEnabled(True)

    def save(self, status: Status) -> bool:
        """Check (fully for a complete response, as data entry does) and save; True if saved."""
        if not self.edited:
            return False
        if status == "complete":
            checked = self.form.check(final=True)
            if checked.problems and self.form.problem_blocks():
                text = self.form.problems_text()
                self.message.setText(text)
                self.form.announce(text)
                self.form.focus_problem()
                return False
        # The core keeps the times captured with the response (start, end, today) as they were.
        return (
            operations.correct_response(
                self.context,
                self,
                self.response.id,
                self.form.typed_answers(),
                status,
                respondent=self.form.contact(),
            )
            .success(self._saved)
            .run()
        )

    def _problems_changed(self, count: int) -> None:
        if not self.message.text():
            return
        self.message.setText(self.form.problems_text() if count else "")

    def _saved(self, response: Response) -> None:
        self.saved = response
        self.edited = False
        self.accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.edited and self.context.has_workspace and not self._may_discard():
            event.ignore()
            return
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
    query: ResponseQuery | None = None
    """Only the responses the table shows (its search, filters and order); None: all."""


@dataclass(frozen=True)
class ExportCounts:
    """How many responses an export could hold, for the dialog to say before anything leaves."""

    all: int
    all_drafts: int
    shown: int
    shown_drafts: int
    query: ResponseQuery | None
    """The table's search and filters, when it shows fewer than all (else None)."""

    def held(self, *, only_shown: bool, include_drafts: bool) -> int:
        total, drafts = (
            (self.shown, self.shown_drafts) if only_shown else (self.all, self.all_drafts)
        )
        return total if include_drafts else total - drafts


def _drafts_words(count: int) -> str:
    return (
        f"{count:,} of them unfinished (drafts)"
        if count != 1
        else "one of them unfinished (a draft)"
    )


class ExportDialog(QDialog):
    """What will leave (how many responses, which, drafts or not), where to, and whether the file
    is protected with a password. Drafts stay out unless ticked in: the core's default, the
    same as the command line's."""

    def __init__(self, survey: Survey, counts: ExportCounts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export responses")
        self.setAccessibleName("Export responses")
        self.counts = counts
        self.choice: ExportChoice | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(Heading(f"Export the responses to “{survey.title}”", 2))
        held = plural(counts.all, "response")
        layout.addWidget(
            Paragraph(
                f"The survey holds {held}"
                + (f", {_drafts_words(counts.all_drafts)}." if counts.all_drafts else ".")
            )
        )
        self.which = QGroupBox("Which responses")
        which = QVBoxLayout(self.which)
        self.everything = QRadioButton(f"A&ll {held}" if counts.all != 1 else "The &one response")
        self.only_shown = QRadioButton(
            f"&Only the {plural(counts.shown, 'response')} shown in the table (its search and "
            "filters)"
        )
        self.everything.setChecked(True)
        self.only_shown.setEnabled(counts.query is not None)
        which.addWidget(self.everything)
        which.addWidget(self.only_shown)
        layout.addWidget(self.which)
        self.drafts = QCheckBox("Leave out u&nfinished responses (drafts)")
        self.drafts.setChecked(not INCLUDE_DRAFTS)  # the core's default, as in the CLI
        layout.addWidget(self.drafts)
        self.what_leaves = StatusLabel("What the file will hold")
        layout.addWidget(self.what_leaves)
        layout.addWidget(
            Paragraph(
                "An Excel workbook (.xlsx) can be protected with a password; a .csv file cannot."
            )
        )
        self.file = ProtectedFileChooser(
            documents_folder() / f"{survey.form_id}-responses.xlsx", "Export responses"
        )
        layout.addWidget(self.file)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setIcon(icons.icon("export"))
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Cancel")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self._export)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)
        for control in (self.everything, self.only_shown, self.drafts):
            control.toggled.connect(self._say_what_leaves)
        self._say_what_leaves()
        self.resize(reading_width(self, 80, 560), self.sizeHint().height())

    def _say_what_leaves(self) -> None:
        only_shown = self.only_shown.isChecked()
        include = not self.drafts.isChecked()
        count = self.counts.held(only_shown=only_shown, include_drafts=include)
        drafts = self.counts.shown_drafts if only_shown else self.counts.all_drafts
        kept = f", {_drafts_words(drafts)}" if include and drafts else ""
        left = f" ({plural(drafts, 'draft')} left out)" if not include and drafts else ""
        self.what_leaves.setText(f"The file will hold {plural(count, 'response')}{kept}{left}.")

    def _export(self) -> None:
        chosen = self.file.chosen()
        if chosen is None:
            return
        query = self.counts.query if self.only_shown.isChecked() else None
        self.choice = ExportChoice(
            chosen.path, chosen.kind, chosen.password, not self.drafts.isChecked(), query
        )
        self.accept()


def exported_box(parent: QWidget, result: ExportResult) -> QMessageBox:
    """Where the export went, with "Open folder": the last thing the export says."""
    note = (
        "It is protected with your password."
        if result.encrypted
        else "It is not encrypted: keep it safe and delete it when you are done."
    )
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Responses exported",
        f"Exported {plural(result.responses, 'response')} to “{result.path.name}”, in "
        f"{result.path.parent}. {note}",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setAccessibleName("Responses exported")
    box.setAccessibleDescription(box.text())
    folder = box.addButton("Open &folder", QMessageBox.ButtonRole.ActionRole)
    folder.setIcon(icons.icon("open"))
    # An action button would close the box; it opens the folder and the box stays.
    folder.clicked.disconnect()
    folder.clicked.connect(
        lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path.parent)))
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


TIME_FIELDS = frozenset({"started", "finished", "modified"})


class ColumnsDialog(QDialog):
    """Which columns the table shows, ticked in a list (Space ticks, arrows move)."""

    def __init__(
        self,
        columns: Sequence[TableColumn],
        shown: Sequence[TableColumn],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Columns to show")
        self.columns = list(columns)
        layout = QVBoxLayout(self)
        label = QLabel("&Tick the columns to show in the table:")
        self.list = QListWidget()
        self.list.setAccessibleName("Columns to show")
        label.setBuddy(self.list)
        keys = {c.key for c in shown}
        for column in self.columns:
            item = QListWidgetItem(column.title)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = column.key in keys
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # As wide as the longest column name (nothing cut off at a large text size).
        widest = max(
            (self.list.fontMetrics().horizontalAdvance(c.title) for c in columns), default=0
        )
        self.resize(max(440, min(widest + 120, 1000)), 520)

    def chosen(self) -> list[TableColumn]:
        picked = [
            column
            for row, column in enumerate(self.columns)
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]
        return picked or self.columns[:1]


def _its_answers(count: int) -> str:
    """“Its 3 answers will be”, “Its one answer will be”: the deletion question's subject."""
    return "Its one answer will be" if count == 1 else f"Its {plural(count, 'answer')} will be"
