"""The chair's view of a survey's responses: a table to browse, search, filter, sort and export.

The table's model reads from the core a screenful at a time (``ui.models.responses_table``),
so 100,000 responses scroll smoothly. Open a response (Enter or double-click) to read and
correct it in the data-entry form; delete one after a question that names it; export them all
(read here on the GUI thread, which owns the forum file; built, encrypted and written in a
worker; recorded here).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from forumkit.responses import (
    CHOICE_TYPES,
    AnswerFilter,
    ExportResult,
    Response,
    ResponseQuery,
    Status,
    count_matching,
    count_responses,
)
from forumkit.surveys import Survey
from forumkit.wording import noun, plural
from forumkit.workspace import Change
from ui import icons
from ui.context import AppContext
from ui.models.responses_table import (
    ResponsesTableModel,
    TableColumn,
    all_columns,
)
from ui.operations import responses as operations
from ui.pages.response_dialogs import (
    TIME_FIELDS,
    ColumnsDialog,
    ExportChoice,
    ExportCounts,
    ExportDialog,
    ResponseDialog,
    confirm_delete,
    exported_box,
)
from ui.pages.table_choices import keep_columns, keep_sort, saved_columns, saved_sort
from ui.widgets import Paragraph, StatusLabel

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 300
PREPARE_DELAY_MS = 400
"""After the table shows, the response dialog is built this much later (see _prepare_dialog)."""
NO_ANSWER = "(no answer)"
SHOW = (("All responses", None), ("Complete only", "complete"), ("Unfinished only", "draft"))


class BrowseView(QWidget):
    """Every response to one survey, as a table."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.survey: Survey | None = None
        self.filters: list[AnswerFilter] = []
        self.stale = False
        self.exported: QWidget | None = None
        """The last export's closing message (for tests)."""
        self.response_dialog: ResponseDialog | None = None
        """The dialog responses open in, kept for the next one of the same survey version."""
        self.model = ResponsesTableModel(lambda: self.context.workspace.db)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(self._build_search_bar())
        layout.addLayout(self._build_filter_bar())
        self.filter_summary = Paragraph()
        self.filter_summary.setAccessibleName("Filters in use")
        layout.addWidget(self.filter_summary)
        self.table = self._build_table()
        layout.addWidget(self.table, 1)
        layout.addLayout(self._build_bottom_bar())
        for button in (
            self.columns_button,
            self.export_button,
            self.add_filter_button,
            self.clear_filters_button,
            self.open_button,
            self.delete_button,
        ):
            button.setAutoDefault(False)
        self._connect()
        self._after_reset()

    # -- building -----------------------------------------------------------------------------

    def _build_search_bar(self) -> QHBoxLayout:
        """Find (words in any answer), Show (all, complete, unfinished), Columns…, Export…."""
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Words in any answer, a source or a volunteer")
        self.search.setClearButtonEnabled(True)
        for clear_button in self.search.findChildren(QToolButton):
            clear_button.setAccessibleName("Clear the search")
        search_label = QLabel("Fi&nd")
        search_label.setBuddy(self.search)
        self.search.setAccessibleName("Find responses")
        self.show_box = QComboBox()
        for text, status in SHOW:
            self.show_box.addItem(text, status)
        show_label = QLabel("S&how")
        show_label.setBuddy(self.show_box)
        self.show_box.setAccessibleName("Show")
        self.columns_button = QPushButton(icons.icon("columns"), "Colu&mns…")
        self.export_button = QPushButton(icons.icon("export"), "E&xport…")
        top.addWidget(search_label)
        top.addWidget(self.search, 2)
        top.addWidget(show_label)
        top.addWidget(self.show_box)
        top.addStretch(1)
        top.addWidget(self.columns_button)
        top.addWidget(self.export_button)
        return top

    def _build_filter_bar(self) -> QHBoxLayout:
        """Only where the answer to <question> is <value>: Add filter, Clear filters."""
        filters = QHBoxLayout()
        self.filter_question = QComboBox()
        self.filter_question.setAccessibleName("Filter by the answer to")
        # Minimums small enough that the bar fits a 1366-pixel screen at 150 % text beside the
        # navigation; both boxes stretch into any room there is.
        self.filter_question.setMinimumContentsLength(10)
        self.filter_question.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        filter_label = QLabel("Only where the &answer to")
        filter_label.setBuddy(self.filter_question)
        self.filter_value = QComboBox()
        self.filter_value.setAccessibleName("is or contains")
        self.filter_value.setMinimumContentsLength(7)
        self.filter_value.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        value_label = QLabel("&is")
        value_label.setBuddy(self.filter_value)
        self.add_filter_button = QPushButton(icons.icon("filter"), "Add fil&ter")
        self.clear_filters_button = QPushButton("C&lear filters")
        filters.addWidget(filter_label)
        filters.addWidget(self.filter_question, 2)
        filters.addWidget(value_label)
        filters.addWidget(self.filter_value, 1)
        filters.addWidget(self.add_filter_button)
        filters.addWidget(self.clear_filters_button)
        return filters

    def _build_table(self) -> QTableView:
        """The responses, one row each, sortable by any column; rows of fixed height so the
        view never measures 100,000 of them."""
        table = QTableView()
        table.setModel(self.model)
        table.setAccessibleName("Responses")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(160)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        table.setSortingEnabled(True)
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        return table

    def _fit(self) -> None:
        """Row heights and column widths for the text size: a date never cut short."""
        metrics = self.table.fontMetrics()
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
        header = self.table.horizontalHeader()
        padding = 2 * metrics.height()
        for column, shown in enumerate(self.model.columns):
            if shown.question:
                width = metrics.averageCharWidth() * 22
            else:
                sample = "2026-12-31 23:59" if shown.key in TIME_FIELDS else shown.header
                width = max(
                    metrics.horizontalAdvance(sample), metrics.horizontalAdvance(shown.header)
                )
            header.resizeSection(column, width + padding)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            # After the children took the new font too (they hear of it after this view).
            QTimer.singleShot(0, self._fit)
        super().changeEvent(event)

    def _build_bottom_bar(self) -> QHBoxLayout:
        bottom = QHBoxLayout()
        self.count_label = StatusLabel("How many responses are shown")
        self.open_button = QPushButton(icons.icon("preview"), "&Open…")
        self.delete_button = QPushButton(icons.icon("remove"), "&Delete…")
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.open_button)
        bottom.addWidget(self.delete_button)
        return bottom

    def _connect(self) -> None:
        self.prepare_timer = QTimer(self, singleShot=True, interval=PREPARE_DELAY_MS)
        self.prepare_timer.timeout.connect(self._prepare_dialog)
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply)
        self.search.textChanged.connect(lambda _: self.search_timer.start())
        self.search.returnPressed.connect(self.apply)
        self.show_box.currentIndexChanged.connect(lambda _: self.apply())
        self.filter_question.currentIndexChanged.connect(self._fill_filter_values)
        self.add_filter_button.clicked.connect(self.add_filter)
        self.clear_filters_button.clicked.connect(self.clear_filters)
        self.columns_button.clicked.connect(self.choose_columns)
        self.export_button.clicked.connect(self.export)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.model.modelReset.connect(self._after_reset)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._keep_sort)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete_selected)
        self.find_action = QAction(icons.icon("search"), "&Find responses", self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.triggered.connect(self.focus_search)
        self.addAction(self.find_action)
        self.export_action = QAction(icons.icon("export"), "E&xport responses…", self)
        self.export_action.triggered.connect(self.export)

    # -- what is shown ------------------------------------------------------------------------

    def set_survey(self, survey: Survey | None) -> None:
        """Show ``survey``'s responses (kept as they are if it is the same survey version)."""
        current = self.survey
        if survey is not None and current is not None and survey.version_id == current.version_id:
            return
        self.survey = survey
        self._drop_dialog()
        self.filters = []
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._fill_filter_questions()
        settings = self.context.settings
        columns = saved_columns(settings, survey) if survey is not None else []
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        query = ResponseQuery(status=self._status())
        sorted_by = saved_sort(settings, survey, columns) if survey is not None else None
        if sorted_by is not None:
            column, descending = sorted_by
            chosen = columns[column]
            query = replace(
                query,
                sort_field=chosen.key if not chosen.question else "added",
                sort_question=chosen.key if chosen.question else "",
                descending=descending,
            )
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(column, order)
        header.blockSignals(False)
        self._load(query, columns)
        self._fit()

    def refresh(self, change: Change | None) -> None:
        """Read again after responses changed (now if showing, else when next shown)."""
        if change is not None and not change.touches("responses"):
            return
        if self.isVisible():
            self.reload()
        else:
            self.stale = True

    def reload(self) -> None:
        self.stale = False
        if self.context.has_workspace and self.survey is not None:
            row = self.table.currentIndex().row()
            self._load(None, None)
            if 0 <= row < self.model.rowCount():
                self.table.selectRow(row)

    def clear(self) -> None:
        """Forget every response shown (the file is locking)."""
        self.survey = None
        self.model.clear()
        self._drop_dialog()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()
        if self.stale:
            self.reload()
        self.prepare_timer.start()

    def _load(self, query: ResponseQuery | None, columns: Sequence[TableColumn] | None) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.model.load(self.survey, query, columns)
        except ValueError as error:  # a question the survey no longer has
            log.warning("responses table query refused: %s", type(error).__name__)
            self.filters = []
            self.model.load(self.survey, ResponseQuery(status=self._status()), columns)
        finally:
            QApplication.restoreOverrideCursor()

    def _status(self) -> Status | None:
        data = self.show_box.currentData()
        return "draft" if data == "draft" else "complete" if data == "complete" else None

    def apply(self) -> None:
        """Run the search, the status choice and the filters (the sort is kept)."""
        self.search_timer.stop()
        if self.survey is None or not self.context.has_workspace:
            return
        query = replace(
            self.model.query,
            status=self._status(),
            search=self.search.text(),
            filters=tuple(self.filters),
        )
        self._load(query, None)

    def _after_reset(self) -> None:
        if self.isVisible():
            self.prepare_timer.start()
        shown = self.model.rowCount()
        query = self.model.query
        has_survey = self.survey is not None
        if not has_survey:
            self.count_label.setText("No survey chosen.")
        elif not (query.status or query.search.strip() or query.filters):
            self.count_label.setText(plural(shown, "response"))
        else:
            self.count_label.setText(
                f"{plural(shown, 'response')} {noun(shown, 'matches', 'match')}"
            )
        for button in (self.open_button, self.delete_button):
            button.setEnabled(shown > 0)
        controls: tuple[QWidget, ...] = (
            self.export_button,
            self.columns_button,
            self.search,
            self.show_box,
            self.add_filter_button,
        )
        for widget in controls:
            widget.setEnabled(has_survey)
        self.export_action.setEnabled(has_survey)
        self.clear_filters_button.setEnabled(bool(self.filters))
        if shown and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- filters ------------------------------------------------------------------------------

    def _fill_filter_questions(self) -> None:
        self.filter_question.blockSignals(True)
        self.filter_question.clear()
        if self.survey is not None:
            for column in all_columns(self.survey):
                if column.question:
                    self.filter_question.addItem(column.title, column.key)
        self.filter_question.blockSignals(False)
        self._fill_filter_values()
        self._describe_filters()

    def _fill_filter_values(self, _index: int = -1) -> None:
        self.filter_value.clear()
        name = self.filter_question.currentData()
        question = None
        if self.survey is not None and name:
            question = next((q for q in self.survey.questions if q.name == name), None)
        choices = question is not None and question.type in CHOICE_TYPES
        self.filter_value.setEditable(not choices)
        if question is not None and self.survey is not None and choices:
            for choice, label in self.survey.choice_labels(question).items():
                self.filter_value.addItem(label, choice)
        self.filter_value.addItem(NO_ANSWER, None)
        if not choices:
            self.filter_value.setCurrentIndex(-1)
            line = self.filter_value.lineEdit()
            if line is not None:
                line.setPlaceholderText("words or a number")
                line.setAccessibleName("is or contains")

    def add_filter(self) -> None:
        """Keep only responses whose answer to the chosen question matches the chosen value."""
        name = self.filter_question.currentData()
        if self.survey is None or not name:
            return
        text = self.filter_value.currentText().strip()
        index = self.filter_value.findText(text) if text else -1
        value: str | int | float | None
        if index >= 0:
            data = self.filter_value.itemData(index)
            value = data if isinstance(data, str) else None
        elif text:
            value = text
        else:
            self.filter_value.setFocus()
            return
        self.filters.append(AnswerFilter(str(name), value))
        self._describe_filters()
        self.apply()

    def clear_filters(self) -> None:
        self.filters = []
        self._describe_filters()
        self.apply()

    def _describe_filters(self) -> None:
        if not self.filters or self.survey is None:
            self.filter_summary.setText("")
            self.filter_summary.setVisible(False)
            return
        names = {c.key: c.title for c in all_columns(self.survey)}
        parts = []
        for wanted in self.filters:
            question = next(q for q in self.survey.questions if q.name == wanted.question)
            label = names.get(wanted.question, wanted.question)
            if wanted.value is None:
                parts.append(f"“{label}” has no answer")
            elif question.type in CHOICE_TYPES:
                shown = self.survey.choice_labels(question).get(str(wanted.value), wanted.value)
                parts.append(f"“{label}” is {shown}")
            else:
                parts.append(f"“{label}” is or contains {wanted.value}")
        self.filter_summary.setText("Only responses where " + "; and ".join(parts) + ".")
        self.filter_summary.setVisible(True)

    # -- columns ------------------------------------------------------------------------------

    def _keep_sort(self, section: int, order: Qt.SortOrder) -> None:
        if self.survey is None or not 0 <= section < len(self.model.columns):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        keep_sort(self.context.settings, self.survey, self.model.columns[section], descending)

    def choose_columns(self) -> None:
        if self.survey is None:
            return
        dialog = ColumnsDialog(all_columns(self.survey), self.model.columns, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.chosen()
        keep_columns(self.context.settings, self.survey, chosen)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_columns(chosen)
        self._fit()

    # -- one response -------------------------------------------------------------------------

    def selected(self) -> Response | None:
        index = self.table.currentIndex()
        return self.model.response_at(index.row()) if index.isValid() else None

    def open_selected(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.open_row(index.row())

    def open_row(self, row: int) -> ResponseDialog | None:
        """Open the response on ``row`` to read and correct it (in the dialog kept for its
        survey version, when there is one: see ``ResponseDialog``)."""
        response = self.model.response_at(row)
        if response is None or not self.context.has_workspace:
            return None
        dialog = self.response_dialog
        if dialog is not None and dialog.shows_version_of(response):
            dialog.show_response(response)
        else:
            self._drop_dialog()
            dialog = ResponseDialog(self.context, response, self)
            dialog.setModal(True)
            dialog.finished.connect(lambda _: self.table.setFocus())
            self.response_dialog = dialog
        dialog.show()
        return dialog

    def _prepare_dialog(self) -> None:
        """Build the response dialog for the survey shown while nobody is waiting (the table
        just appeared), so that opening the first response is as quick as the next."""
        if not self.isVisible() or self.survey is None or not self.context.has_workspace:
            return
        dialog = self.response_dialog
        if dialog is not None and dialog.survey.version_id == self.survey.version_id:
            return
        first = self.model.response_at(0)
        if first is None or first.version_id != self.survey.version_id:
            return
        self._drop_dialog()
        dialog = ResponseDialog(self.context, first, self)
        dialog.setModal(True)
        dialog.finished.connect(lambda _: self.table.setFocus())
        self.response_dialog = dialog

    def _drop_dialog(self) -> None:
        if self.response_dialog is not None:
            self.response_dialog.dispose()
            self.response_dialog = None

    def delete_selected(self) -> None:
        """Delete the selected response, after a question naming it (audit-logged by the core)."""
        response = self.selected()
        if response is None or not self.context.has_workspace:
            return
        if not confirm_delete(self, response):
            return
        operations.remove_response(self.context, self, response.id).run()

    # -- export -------------------------------------------------------------------------------

    def export_counts(self) -> ExportCounts:
        """How many responses an export of all, or of those shown, would hold."""
        assert self.survey is not None
        db = self.context.workspace.db
        query = self.model.query
        filtered = bool(query.status or query.search.strip() or query.filters)
        shown = self.model.rowCount()
        return ExportCounts(
            all=count_responses(db, self.survey.id),
            all_drafts=count_responses(db, self.survey.id, status="draft"),
            shown=shown,
            shown_drafts=count_matching(db, self.survey, replace(query, status="draft"))
            if query.status in (None, "draft")
            else 0,
            query=query if filtered else None,
        )

    def export(self) -> None:
        if self.survey is None or not self.context.has_workspace:
            return
        dialog = ExportDialog(self.survey, self.export_counts(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            return
        self.start_export(dialog.choice)

    def start_export(self, choice: ExportChoice) -> None:
        """Read the responses here (the GUI thread owns the file), write the file in a worker,
        then record the export in the audit log here (``forumkit.exports``)."""
        if self.survey is None:
            return
        operations.export_responses(
            self.context,
            self,
            self.survey,
            choice.path,
            password=choice.password,
            include_drafts=choice.include_drafts,
            query=choice.query,
            on_exported=self._exported,
        )

    def _exported(self, result: ExportResult) -> None:
        count = result.responses
        note = (
            "protected with your password"
            if result.encrypted
            else "not encrypted: keep it safe and delete it when done"
        )
        self.count_label.setText(
            f"Exported {plural(count, 'response')} to {result.path.name} ({note})."
        )
        self.exported = exported_box(self, result)
