"""The Surveys page: the forum's surveys with their response counts; import an XLSForm, export
one, preview it as a parent would see it, and choose its consent questions."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from forumkit.responses import count_responses
from forumkit.surveys import (
    Choice,
    ImportResult,
    Question,
    Survey,
    SurveySummary,
    export_xlsform,
    get_survey,
    list_surveys,
    set_consent_questions,
)
from forumkit.workspace import Change
from ui.context import AppContext
from ui.operations.surveys import import_survey
from ui.tasks import Progress
from ui.widgets import Heading, Paragraph, action_button, labelled

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
        toolbar = QHBoxLayout()
        toolbar.setSpacing(8)
        self.buttons: dict[QAction, QPushButton] = {}
        for action in self.page_actions():
            self.buttons[action] = action_button(action)
            toolbar.addWidget(self.buttons[action])
        toolbar.addStretch(1)
        layout.addLayout(toolbar)
        self.table = self._build_table()
        layout.addWidget(self.table, 1)
        self.empty = Paragraph(
            "No surveys yet. Import your survey's XLSForm (a spreadsheet made in Excel, "
            "KoboToolbox or ODK Build) with “Import XLSForm…”."
        )
        layout.addWidget(self.empty)
        self._update_actions()

    def _build_actions(self) -> None:
        style = self.style()
        self.import_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton), "&Import XLSForm…", self
        )
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.choose_and_import)
        self.export_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton), "&Export XLSForm…", self
        )
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.choose_and_export)
        self.preview_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView), "&Preview", self
        )
        self.preview_action.setShortcut(QKeySequence("Ctrl+P"))
        self.preview_action.triggered.connect(self.preview)
        self.consent_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogYesButton),
            "&Consent questions…",
            self,
        )
        self.consent_action.triggered.connect(self.choose_consent)

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
        return [self.import_action, self.export_action, self.preview_action, self.consent_action]

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
                summary.title,
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

    def _update_actions(self) -> None:
        has = self.selected_id() is not None
        for action in (self.export_action, self.preview_action, self.consent_action):
            action.setEnabled(has)
            self.buttons[action].setEnabled(has)

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
                f"{len(warnings)} thing(s) to check — forumkit skipped or cannot check these:\n\n"
                + "\n".join(f"• {warning}" for warning in warnings)
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


class ConsentDialog(QDialog):
    """Which yes/no questions record consent to quote a parent and to share with inspectors."""

    def __init__(self, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Consent questions")
        self.setAccessibleName("Consent questions")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(f"Consent questions of “{survey.title}”", 2))
        layout.addWidget(
            Paragraph(
                "Parents' words leave the forum file only with their consent. Choose the "
                "questions where parents said yes or no."
            )
        )
        candidates = [q for q in survey.questions if q.type in ("select_one", "acknowledge")]
        self.quote = self._combo(survey, candidates, survey.consent_quote)
        self.share = self._combo(survey, candidates, survey.consent_share)
        layout.addWidget(labelled("May we &quote you anonymously?", self.quote))
        layout.addWidget(
            labelled("May your anonymised words be &shared with inspectors?", self.share)
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    @staticmethod
    def _combo(survey: Survey, candidates: list[Question], current: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem("(no consent question)", "")
        for question in candidates:
            label = survey.label(question)
            combo.addItem(f"{label} ({question.name})", question.name)
            if question.name == current:
                combo.setCurrentIndex(combo.count() - 1)
        return combo

    def choices(self) -> tuple[str, str]:
        return str(self.quote.currentData()), str(self.share.currentData())


def _survey_form_class() -> Any:
    """The data-entry form widget, imported here so that PyInstaller bundles it."""
    from ui.form import SurveyForm

    return SurveyForm


class SurveyPreview(QDialog):
    """The survey as a parent would see it, read-only."""

    def __init__(self, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Preview: {survey.title}")
        self.setAccessibleName(f"Preview of {survey.title}")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(survey.title, 1))
        layout.addWidget(
            Paragraph("This is how the survey looks to a parent. Nothing can be typed here.")
        )
        form_class = _survey_form_class()
        self.form: QWidget
        if form_class is not None:
            self.form = form_class(survey, read_only=True)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(self.form)
            scroll.setAccessibleName("Survey questions")
            layout.addWidget(scroll, 1)
        else:
            self.form = QTextBrowser()
            self.form.setAccessibleName("Survey questions")
            self.form.setHtml(survey_as_html(survey))
            layout.addWidget(self.form, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(780, 680)


def survey_as_html(survey: Survey, language: str | None = None) -> str:
    """A read-only rendering: sections, labels with "(required)", hints and choices."""

    def label(item: Question | Choice) -> str:
        return html.escape(survey.label(item, language))

    parts: list[str] = []
    for element in survey.elements:
        if element.type == "begin_group":
            parts.append(f"<h2>{label(element)}</h2>")
            continue
        if element.type in ("end_group", "calculate") or element.is_metadata:
            continue
        text = label(element)
        if element.type == "note":
            parts.append(f"<p>{text}</p>")
            continue
        required = " (required)" if element.required else ""
        parts.append(f"<p><b>{text}{required}</b>")
        hint = html.escape(survey.hint(element, language))
        if hint:
            parts.append(f"<br><i>{hint}</i>")
        parts.append("</p>")
        if element.list_name and element.list_name in survey.choice_lists:
            mark = "☐" if element.type == "select_multiple" else "○"
            items = "".join(
                f"<li>{mark} {label(choice)}</li>"
                for choice in survey.choice_lists[element.list_name].choices
            )
            if element.or_other:
                items += f"<li>{mark} Other</li>"
            parts.append(f"<ul style='list-style-type:none'>{items}</ul>")
        else:
            kind = {
                "integer": "a whole number",
                "decimal": "a number",
                "date": "a date",
                "time": "a time",
                "datetime": "a date and time",
                "range": "a number on a scale",
                "acknowledge": "a tick to say OK",
            }.get(element.type, "written answer")
            parts.append(f"<p><i>[{kind}]</i></p>")
    return "\n".join(parts)
