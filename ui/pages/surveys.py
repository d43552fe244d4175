"""The Surveys page: the forum's surveys with their response counts; import an XLSForm, export
one, preview it as a parent would see it, choose its consent questions, rename, archive (kept,
out of the way of this year's data entry) or remove it for good (typing its name when it holds
responses, which are erased with it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forumkit.responses import SurveyRemoval, count_responses
from forumkit.surveys import (
    ImportResult,
    Survey,
    SurveySummary,
    export_xlsform,
    get_survey,
    list_surveys,
    set_consent_questions,
)
from forumkit.wording import plural
from forumkit.workspace import Change
from ui import icons
from ui.context import AppContext
from ui.designer import design_new_survey, design_survey
from ui.operations.surveys import archive_survey, import_survey, remove_survey, rename_survey
from ui.pages.survey_dialogs import ConsentDialog, RemoveDialog, RenameDialog, SurveyPreview
from ui.tasks import Progress
from ui.widgets import Heading, Paragraph, StatusLabel, action_button

XLSFORM_FILTER = "XLSForm spreadsheets (*.xlsx)"
COLUMNS = ("Survey", "Form id", "Version", "Questions", "Responses", "Drafts")
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def response_counts(context: AppContext, survey_id: str) -> tuple[int, int] | None:
    """(complete, drafts) of one survey."""
    db = context.workspace.db
    return (
        count_responses(db, survey_id, status="complete"),
        count_responses(db, survey_id, status="draft"),
    )


class SurveysPage(QWidget):
    title = "Surveys"
    nav_icon = "surveys"

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.setObjectName("surveysPage")
        self.summaries: list[SurveySummary] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(16)
        layout.addWidget(Heading("Surveys", 1))

        self._build_actions()
        self.buttons: dict[QAction, QPushButton] = {}
        # Two rows, so the page fits a 1366-pixel screen at 150 % text: the form, then the
        # selected survey's own settings.
        for row in (
            (self.import_action, self.export_action, self.preview_action),
            (self.consent_action, self.rename_action, self.archive_action, self.remove_action),
        ):
            toolbar = QHBoxLayout()
            toolbar.setSpacing(8)
            for action in row:
                self.buttons[action] = action_button(action)
                toolbar.addWidget(self.buttons[action])
            toolbar.addStretch(1)
            layout.addLayout(toolbar)
        self.status = StatusLabel("Surveys page status")
        layout.addWidget(self.status)
        self.table = self._build_table()
        layout.addWidget(self.table, 1)
        self.empty = Paragraph(
            "No surveys yet. Import your survey's XLSForm (a spreadsheet made in Excel, "
            "KoboToolbox or ODK Build) with “Import XLSForm…”, or build one here with "
            "“New survey…”."
        )
        layout.addWidget(self.empty)
        self._update_actions()

    def _build_actions(self) -> None:
        def action(icon: str, text: str, slot: object, key: str | None = None) -> QAction:
            made = QAction(icons.icon(icon), text, self)
            if key is not None:
                made.setShortcut(QKeySequence(key))
            made.triggered.connect(slot)
            return made

        self.import_action = action("import", "&Import XLSForm…", self.choose_and_import, "Ctrl+I")
        # Ctrl+Shift+E: Ctrl+E is Enter responses, and no two actions share a key.
        self.export_action = action(
            "export", "&Export XLSForm…", self.choose_and_export, "Ctrl+Shift+E"
        )
        self.preview_action = action("preview", "&Preview", self.preview, "Ctrl+P")
        self.consent_action = action("consent", "&Consent questions…", self.choose_consent)
        self.rename_action = action("rename", "Re&name…", self.rename)
        self.archive_action = action("archive", "&Archive", self.toggle_archive)
        self.remove_action = action("remove", "Re&move…", self.remove)
        self.new_survey_action = action("new", "Ne&w survey…", self.design_new, "Ctrl+Shift+N")
        self.design_action = action("surveys", "E&dit questions…", self.design_selected)

    def _build_table(self) -> QTableWidget:
        """The surveys, one row each, with their response and draft counts."""
        table = QTableWidget(0, len(COLUMNS))
        table.setObjectName("surveysTable")
        table.setAccessibleName("Surveys in this forum file")
        table.setHorizontalHeaderLabels(COLUMNS)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        table.itemSelectionChanged.connect(self._update_actions)
        table.doubleClicked.connect(lambda _index: self.preview())
        return table

    def page_actions(self) -> list[QAction]:
        return [
            self.new_survey_action,
            self.design_action,
            self.import_action,
            self.export_action,
            self.preview_action,
            self.consent_action,
            self.rename_action,
            self.archive_action,
            self.remove_action,
        ]

    # -- showing -----------------------------------------------------------------------------

    def refresh(self, change: Change | None) -> None:
        if not self.context.has_workspace:
            return
        if change is not None and not change.touches("surveys", "responses"):
            return
        selected = self.selected_id()
        self.summaries = list_surveys(self.context.workspace.db)
        self.table.setRowCount(len(self.summaries))
        for row, summary in enumerate(self.summaries):
            counts = response_counts(self.context, summary.id)
            values: list[Any] = [
                f"{summary.title} (archived)" if summary.archived else summary.title,
                summary.form_id,
                summary.version,
                summary.questions,
                "" if counts is None else counts[0],
                "" if counts is None else counts[1],
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                item.setData(ID_ROLE, summary.id)
                if isinstance(value, int):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
            if summary.id == selected or (selected is None and row == 0):
                self.table.selectRow(row)
        self.table.setVisible(bool(self.summaries))
        self.empty.setVisible(not self.summaries)
        self._update_actions()

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return str(item.data(ID_ROLE)) if item is not None else None

    def select(self, survey_id: str) -> None:
        for row, summary in enumerate(self.summaries):
            if summary.id == survey_id:
                self.table.selectRow(row)

    def selected_survey(self) -> Survey | None:
        survey_id = self.selected_id()
        if survey_id is None or not self.context.has_workspace:
            return None
        return get_survey(self.context.workspace.db, survey_id)

    def selected_summary(self) -> SurveySummary | None:
        survey_id = self.selected_id()
        return next((s for s in self.summaries if s.id == survey_id), None)

    def _update_actions(self) -> None:
        summary = self.selected_summary() if self.summaries else None
        has = summary is not None
        for action in (
            self.design_action,
            self.export_action,
            self.preview_action,
            self.consent_action,
            self.rename_action,
            self.archive_action,
            self.remove_action,
        ):
            action.setEnabled(has)
        archived = summary is not None and summary.archived
        self.archive_action.setText("Bring back from the &archive" if archived else "&Archive")
        self.buttons[self.archive_action].setText(self.archive_action.text())

    # -- import and export -------------------------------------------------------------------

    def choose_and_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import an XLSForm", str(Path.home()), XLSFORM_FILTER
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Read the form in a worker (errors found there), then store it on this thread."""
        import_survey(self.context, self, path, self._imported)

    def _imported(self, result: ImportResult) -> None:
        self.select(result.survey.id)
        what = {
            "added": f"“{result.survey.title}” was added.",
            "new_version": f"“{result.survey.title}” now has version {result.survey.version}.",
            "unchanged": f"“{result.survey.title}” was already here, unchanged; nothing was added.",
        }.get(result.status, "")
        self.show_import_result(what, list(result.warnings))

    def show_import_result(self, what: str, warnings: list[str]) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Information if not warnings else QMessageBox.Icon.Warning,
            "Survey imported",
            what,
            QMessageBox.StandardButton.Ok,
            self,
        )
        if warnings:
            box.setInformativeText(
                f"{plural(len(warnings), 'thing')} to check — forumkit skipped or cannot check "
                "these:\n\n" + "\n".join(f"• {warning}" for warning in warnings)
            )
        box.setAccessibleName("Survey imported")
        box.setAccessibleDescription(what)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog: QDialog = box
        box.open()
        return box

    def choose_and_export(self) -> None:
        survey = self.selected_survey()
        if survey is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export the survey as an XLSForm",
            str(Path.home() / f"{survey.form_id}.xlsx"),
            XLSFORM_FILTER,
        )
        if name:
            self.export_to(survey, Path(name if name.endswith(".xlsx") else name + ".xlsx"))

    def export_to(self, survey: Survey, path: Path) -> None:
        """Write the spreadsheet in a worker (the survey is plain data, no database needed)."""

        def work(_progress: Progress) -> Path:
            export_xlsform(survey, path)
            return path

        def done(written: Path) -> None:
            self.window().statusBar().showMessage(  # type: ignore[attr-defined]
                f"Exported “{survey.title}” to {written.name}", 8000
            )

        self.context.tasks.run(
            work,
            on_done=done,
            on_error=lambda exc: self.context.errors.report(exc, self),
            busy_parent=self,
            busy_text=f"Writing “{path.name}”…",
        )

    # -- preview and consent -----------------------------------------------------------------

    def preview(self) -> QDialog | None:
        survey = self.selected_survey()
        if survey is None:
            return None
        dialog = SurveyPreview(survey, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def choose_consent(self) -> QDialog | None:
        survey = self.selected_survey()
        if survey is None:
            return None
        dialog = ConsentDialog(survey, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def save() -> None:
            quote, share = dialog.choices()
            workspace = self.context.workspace
            if (quote, share) != (survey.consent_quote, survey.consent_share):
                self.context.change(
                    lambda: set_consent_questions(workspace, survey.id, quote=quote, share=share),
                    self,
                )

        dialog.accepted.connect(save)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    # -- designing (ui.designer) -------------------------------------------------------------

    def design_new(self) -> QDialog:
        """Start a survey from last year's, the template or a blank page, in the designer."""
        dialog = design_new_survey(self.context, self)
        self.last_dialog = dialog
        return dialog

    def design_selected(self) -> QDialog | None:
        """Open the selected survey in the designer (saving makes a new version)."""
        survey_id = self.selected_id()
        if survey_id is None:
            return None
        designer = design_survey(self.context, self, survey_id)
        self.last_dialog = designer
        return designer

    # -- rename, archive, remove -------------------------------------------------------------

    def rename(self) -> QDialog | None:
        survey = self.selected_survey()
        if survey is None:
            return None
        dialog = RenameDialog(survey, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def save() -> None:
            name = dialog.name.text()
            if " ".join(name.split()) != survey.title:
                rename_survey(self.context, self, survey.id, name).success(
                    lambda renamed: self.status.setText(f"Renamed to “{renamed.title}”.")
                ).run()

        dialog.accepted.connect(save)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def toggle_archive(self) -> None:
        summary = self.selected_summary()
        if summary is None:
            return
        archive = not summary.archived
        done = (
            f"“{summary.title}” is archived: kept with its responses, and no longer offered for "
            "entering responses. Bring it back from the archive at any time."
            if archive
            else f"“{summary.title}” is back from the archive."
        )
        archive_survey(self.context, self, summary.id, archive).success(
            lambda _survey: self.status.setText(done)
        ).run()

    def remove(self) -> QDialog | None:
        survey = self.selected_survey()
        if survey is None:
            return None
        counts = response_counts(self.context, survey.id)
        complete, drafts = counts if counts is not None else (0, 0)
        dialog = RemoveDialog(survey, complete + drafts, drafts, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def confirmed() -> None:
            if not dialog.confirmed():
                return
            removing = remove_survey(
                self.context, self, survey.id, with_responses=bool(complete + drafts)
            )
            removing.success(lambda removal: self._removed(survey.title, removal)).run()

        dialog.accepted.connect(confirmed)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def _removed(self, title: str, removal: SurveyRemoval) -> None:
        said = f"“{title}” was removed"
        if removal.responses:
            said += f", with its {plural(removal.responses, 'response')} (erased for good)"
        said += "."
        for disclosure in removal.disclosures:
            said += (
                f" {plural(disclosure.responses, 'response')} of it had left the file in "
                f"{disclosure.what} made {disclosure.at}; tell its recipients."
            )
        self.status.setText(said)
