"""The Analysis page: a chart and a table for each question of a survey, from
``forumkit.analysis`` (suppressed as a pack would publish them, unless the chair asks to see
every figure "for the forum only"), with a filter bar on top.

Every figure comes from the core's published tables and their chart specifications; the page
counts nothing itself. The charts hold no parent's words, but the survey's counts are the
forum's data: the page drops them on lock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forumkit.analysis import (
    Analysis,
    Comparison,
    CrosstabResult,
    GroupedAnalysis,
    QuestionResult,
    Scope,
    TablesExport,
    analyse,
    analyse_by,
    compare_editions,
    earlier_editions,
    settings_for,
)
from forumkit.surveys import Survey, get_survey, list_surveys
from forumkit.wording import plural
from forumkit.workspace import Change
from ui.context import AppContext
from ui.operations.analysis import export_tables
from ui.pages.chart_view import ChartView, spoken
from ui.pages.comparison_card import ComparisonCard, not_compared
from ui.pages.tables_export import TablesExportDialog, suggested_path
from ui.widgets import Heading, Paragraph, labelled

SOURCES = (
    ("Every way", ()),
    ("Typed in", ("entered",)),
    ("Kiosk", ("kiosk",)),
    ("Imported", ("imported",)),
)
FORUM_ONLY = (
    "For the forum only: every figure is shown, small numbers too. Do not copy these into "
    "anything that leaves the forum; untick to see exactly what a pack would publish."
)
ANY_DAY = QDate(2000, 1, 1)
"""A date field at this day means "no limit" (it shows as "Any day")."""
NO_EDITION = (
    "There is no earlier edition of this survey to compare with: link last year's survey to "
    "it on the Surveys page first."
)


class AnalysisPage(QWidget):
    """Charts and tables for each question of the chosen survey."""

    title = "Analysis"
    nav_icon = "columns"

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.analysis: Analysis | GroupedAnalysis | None = None
        self.comparison: Comparison | None = None
        self.cards: list[QuestionCard | CrosstabCard | ComparisonCard] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(Heading(self.title, 1))
        layout.addLayout(self._build_filters())
        layout.addLayout(self._build_dates_and_editions())
        layout.addWidget(self.everything)
        self.forum_only = Paragraph(FORUM_ONLY)
        self.forum_only.setObjectName("error")
        self.forum_only.hide()
        layout.addWidget(self.forum_only)
        self.summary = Paragraph()
        layout.addWidget(self.summary)
        self.left_out = Paragraph()
        self.left_out.hide()
        layout.addWidget(self.left_out)
        self.export_button = QPushButton("E&xport the tables…")
        self.export_button.setAutoDefault(False)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export)
        self.exported_note = Paragraph()
        export_row = QHBoxLayout()
        export_row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        export_row.addWidget(self.exported_note, 1)
        layout.addLayout(export_row)
        self.cards_area = QScrollArea()
        self.cards_area.setWidgetResizable(True)
        self.cards_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.column = QWidget()
        self.column_layout = QVBoxLayout(self.column)
        self.column_layout.addStretch(1)
        self.cards_area.setWidget(self.column)
        layout.addWidget(self.cards_area, 1)

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.survey_box = QComboBox()
        self.source_box = QComboBox()
        for text, sources in SOURCES:
            self.source_box.addItem(text, sources)
        self.split_box = QComboBox()
        self.everything = QCheckBox("Show every figure, for the forum &only")
        row.addWidget(labelled("Surve&y", self.survey_box), 2)
        row.addWidget(labelled("How &collected", self.source_box), 1)
        row.addWidget(labelled("Split &by", self.split_box), 1)
        for box in (self.survey_box, self.source_box, self.split_box):
            # A long survey title or question must not widen the window past a small screen.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(8)
        self.survey_box.activated.connect(lambda _i: self.recompute())
        self.source_box.activated.connect(lambda _i: self.recompute())
        self.split_box.activated.connect(lambda _i: self.recompute())
        self.everything.toggled.connect(lambda _on: self.recompute())
        return row

    def _build_dates_and_editions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.from_date = self._date_field("Finished on or after this day (Any day: no limit)")
        self.to_date = self._date_field("Finished on or before this day (Any day: no limit)")
        self.edition_box = QComboBox()
        self.edition_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.edition_box.setMinimumContentsLength(8)
        row.addWidget(labelled("Fi&nished from", self.from_date), 1)
        row.addWidget(labelled("Finished &up to", self.to_date), 1)
        row.addWidget(labelled("Com&pare with an earlier year", self.edition_box), 2)
        self.from_date.dateChanged.connect(lambda _d: self.recompute())
        self.to_date.dateChanged.connect(lambda _d: self.recompute())
        self.edition_box.activated.connect(lambda _i: self.recompute())
        return row

    def _date_field(self, description: str) -> QDateEdit:
        field = QDateEdit()
        field.setCalendarPopup(True)
        field.setDisplayFormat("d MMM yyyy")
        field.setMinimumDate(ANY_DAY)
        field.setSpecialValueText("Any day")
        field.setDate(ANY_DAY)
        field.setAccessibleDescription(description)
        field.setToolTip(description)
        return field

    def page_actions(self) -> list[QAction]:
        return []

    def refresh(self, change: Change | None) -> None:
        if not self.context.has_workspace:
            return
        if change is None or change.touches("surveys"):
            self._load_surveys()
            self.recompute()
        elif change.touches("responses", "settings"):
            self.recompute()

    def _load_surveys(self) -> None:
        current = self.survey_box.currentData()
        self.survey_box.clear()
        for survey in list_surveys(self.context.workspace.db):
            self.survey_box.addItem(survey.title, survey.id)
        self.survey_box.setCurrentIndex(max(0, self.survey_box.findData(current)))

    def scope(self) -> Scope:
        """The filters as the core's scope: how collected, and the days finished."""
        return Scope(
            sources=tuple(self.source_box.currentData() or ()),
            since=self._day(self.from_date),
            until=self._day(self.to_date),
        )

    @staticmethod
    def _day(field: QDateEdit) -> dt.date | None:
        day = field.date()
        return None if day == ANY_DAY else dt.date(day.year(), day.month(), day.day())

    def recompute(self) -> None:
        """Ask the core for the survey's published tables and show them."""
        self._clear()
        survey_id = self.survey_box.currentData()
        if not self.context.has_workspace or survey_id is None:
            self.summary.setText("There is no survey to analyse yet.")
            return
        db = self.context.workspace.db
        survey = get_survey(db, str(survey_id))
        self._fill_splits(survey)
        self._fill_editions(survey)
        suppressed = not self.everything.isChecked()
        split = self.split_box.currentData()
        previous = self.edition_box.currentData()
        self.split_box.setEnabled(not previous)
        try:
            settings = settings_for(db, suppressed=suppressed)
            if previous:
                earlier = get_survey(db, str(previous))
                self.comparison = compare_editions(db, survey, earlier, self.scope(), settings)
                self._show_comparison(self.comparison)
                self.export_button.setEnabled(True)
                return
            if split:
                self.analysis = analyse_by(db, survey, str(split), self.scope(), settings)
            else:
                self.analysis = analyse(db, survey, self.scope(), settings)
        except Exception as exc:
            self.context.errors.report(exc, self)
            return
        self.forum_only.setVisible(not suppressed)
        threshold = self.analysis.settings.threshold
        analysis = self.analysis
        counted = (
            analysis.responses_figure
            if isinstance(analysis, Analysis)
            else analysis.attribute.chart()["base"]
        )
        self.summary.setText(
            f"Complete responses counted: {counted}. "
            f"Counts from 1 to {threshold - 1} show as “fewer than {threshold}”."
            if suppressed
            else f"Complete responses counted: {counted}."
        )
        cards: list[QuestionCard | CrosstabCard]
        if isinstance(self.analysis, GroupedAnalysis):
            labels = self.analysis.group_labels()
            cards = [CrosstabCard(result, labels, threshold) for result in self.analysis.questions]
        else:
            cards = [QuestionCard(result, threshold) for result in self.analysis.questions]
        for card in cards:
            self.cards.append(card)
            self.column_layout.insertWidget(self.column_layout.count() - 1, card)
        self.export_button.setEnabled(True)

    def _show_comparison(self, comparison: Comparison) -> None:
        self.analysis = comparison.current
        suppressed = comparison.current.settings.suppressed
        self.forum_only.setVisible(not suppressed)
        threshold = comparison.current.settings.threshold
        now, then = comparison.current, comparison.previous
        self.summary.setText(
            f"Complete responses counted: {now.responses_figure} in {now.survey.title}, "
            f"{then.responses_figure} in {then.survey.title} (the dates apply to "
            f"{now.survey.title} only)."
        )
        left_out = not_compared(comparison)
        self.left_out.setText("Not compared: " + " ".join(left_out) if left_out else "")
        self.left_out.setVisible(bool(left_out))
        for compared in comparison.questions:
            card = ComparisonCard(compared, threshold)
            self.cards.append(card)
            self.column_layout.insertWidget(self.column_layout.count() - 1, card)

    def _fill_editions(self, survey: Survey) -> None:
        """The survey's earlier editions (last year's first); none: disabled, saying why."""
        current = self.edition_box.currentData()
        self.edition_box.clear()
        editions = earlier_editions(self.context.workspace.db, survey)
        if not editions:
            self.edition_box.addItem("No earlier edition linked", "")
            self.edition_box.setEnabled(False)
            self.edition_box.setToolTip(NO_EDITION)
            self.edition_box.setAccessibleDescription(NO_EDITION)
            return
        self.edition_box.setEnabled(True)
        self.edition_box.setToolTip("")
        self.edition_box.setAccessibleDescription("Shows each question beside that year's")
        self.edition_box.addItem("None: this year only", "")
        for edition in editions:
            self.edition_box.addItem(edition.title, edition.id)
        self.edition_box.setCurrentIndex(max(0, self.edition_box.findData(current)))

    def _fill_splits(self, survey: Survey) -> None:
        """The single-choice questions that can split the parents into groups."""
        current = self.split_box.currentData()
        self.split_box.clear()
        self.split_box.addItem("Nothing: all parents together", "")
        for question in survey.questions:
            if question.type == "select_one" and not question.name.startswith("consent"):
                self.split_box.addItem(survey.label(question) or question.name, question.name)
        self.split_box.setCurrentIndex(max(0, self.split_box.findData(current)))

    def _clear(self) -> None:
        self.export_button.setEnabled(False)
        self.analysis = None
        self.comparison = None
        self.left_out.clear()
        self.left_out.hide()
        for card in self.cards:
            self.column_layout.removeWidget(card)
            card.deleteLater()
        self.cards.clear()

    def before_lock(self) -> None:
        """The counts are the forum's data: none stays on screen."""
        self._clear()
        self.summary.clear()
        self.exported_note.clear()

    def export_dialog(self) -> TablesExportDialog | None:
        """The "Export the tables" dialog for what the page shows (None when nothing is)."""
        tables = self.comparison or self.analysis
        if tables is None:
            return None
        survey = tables.current.survey if isinstance(tables, Comparison) else tables.survey
        what = f"“{survey.title}”"
        if isinstance(tables, GroupedAnalysis):
            what += f" split by “{tables.attribute.shown.table.measure.label}”"
        if isinstance(tables, Comparison):
            what += f" against “{tables.previous.survey.title}”"
        return TablesExportDialog(
            what,
            len(tables.questions),
            not self.everything.isChecked(),
            suggested_path(survey.form_id),
            self,
        )

    def export(self) -> None:
        dialog = self.export_dialog()
        if dialog is None or dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if dialog.choice is not None:
            self.start_export(dialog.choice.path, dialog.choice.password)

    def start_export(self, path: Path, password: str | None) -> None:
        """Read the tables here, write the workbook in a worker, record it here."""
        tables = self.comparison or self.analysis
        if tables is None:
            return
        export_tables(
            self.context, self, tables, path, password=password, on_exported=self._exported
        )

    def _exported(self, result: TablesExport) -> None:
        notes = ["protected with your password" if result.encrypted else "not encrypted"]
        if not result.suppressed:
            notes.append("every figure: for the forum only")
        self.exported_note.setText(
            f"Exported the tables of {plural(result.questions, 'question')} to "
            f"{result.path.name} ({'; '.join(notes)})."
        )


class QuestionCard(QFrame):
    """One question: its chart, the base, the numbers as a table, and Copy as image."""

    def __init__(self, result: QuestionResult, threshold: int) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        spec = result.chart()
        self.spec = spec
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(spec["title"], 3))
        self.base = QLabel(f"Base: n = {spec['base']} ({spec['base_of']})")
        layout.addWidget(self.base)
        self.chart = ChartView.of(spec, threshold)
        layout.addWidget(self.chart)
        self.table = QTableWidget(len(spec["bars"]), 3)
        self.table.setHorizontalHeaderLabels(["Answer", "Count", "Per cent"])
        self.table.setAccessibleName(f"The numbers of “{spec['title']}”")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, bar in enumerate(spec["bars"]):
            figure = spoken(bar, threshold).split(" (")[0]
            percent = "" if bar["percent"] is None else f"{bar['percent']:.0f}%"
            for column, text in enumerate((bar["label"], figure, percent)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setFixedHeight(
            self.table.horizontalHeader().height()
            + sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
            + 2 * self.table.frameWidth()
        )
        layout.addWidget(self.table)
        self.copy_button = QPushButton("Copy the chart as an image")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_image)
        layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignLeft)

    def copy_image(self) -> None:
        QGuiApplication.clipboard().setImage(self.chart.grab().toImage())


class CrosstabCard(QFrame):
    """One question by the groups of the chosen attribute: a chart per group and one table
    (answers down, groups across), the figures as published."""

    def __init__(self, result: CrosstabResult, labels: dict[str, str], threshold: int) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        spec = result.chart(labels)
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(spec["title"], 3))
        self.charts: list[ChartView] = []
        for series in spec["series"]:
            layout.addWidget(QLabel(f"{series['label']}: n = {series['base']}"))
            chart = ChartView(
                f"{spec['title']}, {series['label']}",
                series["bars"],
                series["alt_text"],
                spec["y_label"],
                threshold,
            )
            self.charts.append(chart)
            layout.addWidget(chart)
        answers = [bar["label"] for bar in spec["series"][0]["bars"]] if spec["series"] else []
        self.table = QTableWidget(len(answers), len(spec["series"]) + 1)
        self.table.setHorizontalHeaderLabels(["Answer", *(s["label"] for s in spec["series"])])
        self.table.setAccessibleName(f"The numbers of “{spec['title']}” by group")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, answer in enumerate(answers):
            self.table.setItem(row, 0, QTableWidgetItem(answer))
            for column, series in enumerate(spec["series"], start=1):
                bar = series["bars"][row]
                self.table.setItem(row, column, QTableWidgetItem(spoken(bar, threshold)))
        self.table.setFixedHeight(
            self.table.horizontalHeader().height()
            + sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
            + 2 * self.table.frameWidth()
        )
        layout.addWidget(self.table)
