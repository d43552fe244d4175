"""Year on year on the Analysis page: one question against an earlier edition (a paired chart
from the core's ``ComparisonChartSpec`` and a table of the same figures), and the note naming
the questions that could not be compared and why (``forumkit.analysis.Comparison``)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from forumkit.analysis import ComparedQuestion, Comparison
from ui.pages.chart_view import PairedChartView, edition_figure
from ui.widgets import Heading


def base_text(value: int | str, threshold: int) -> str:
    """A published base as people read it."""
    if isinstance(value, int):
        return str(value)
    return f"fewer than {threshold}" if value.startswith("<") else "hidden"


class ComparisonCard(QFrame):
    """One question in both editions: bases, paired bars and the table (answer, last year,
    this year, change in percentage points)."""

    def __init__(self, compared: ComparedQuestion, threshold: int) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        spec = compared.chart()
        self.spec = spec
        then, now = spec["editions"]
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(spec["title"], 3))
        self.base = QLabel(
            f"Base: n = {base_text(spec['bases'][0], threshold)} in {then}, "
            f"n = {base_text(spec['bases'][1], threshold)} in {now} ({spec['base_of']})"
        )
        self.base.setWordWrap(True)
        layout.addWidget(self.base)
        self.chart = PairedChartView(
            spec["title"], spec["bars"], spec["editions"], spec["alt_text"], threshold
        )
        layout.addWidget(self.chart)
        self.table = QTableWidget(len(spec["bars"]), 4)
        self.table.setHorizontalHeaderLabels(["Answer", then, now, "Change (points)"])
        self.table.setAccessibleName(f"The numbers of “{spec['title']}” in {then} and {now}")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):  # an edition's title must not be cut short
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        for row, bar in enumerate(spec["bars"]):
            change = "" if bar["change"] is None else f"{bar['change']:+g}"
            cells = (
                bar["label"],
                edition_figure(bar["previous"], threshold),
                edition_figure(bar["current"], threshold),
                change,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setFixedHeight(
            self.table.horizontalHeader().height()
            + sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
            + 2 * self.table.frameWidth()
        )
        layout.addWidget(self.table)


def not_compared(comparison: Comparison) -> list[str]:
    """One plain sentence per question left out of the comparison, with the reason."""
    then = comparison.previous.survey.title
    now = comparison.current.survey.title
    lines = [
        f"“{result.shown.table.measure.label}”: {reason}."
        for result, reason in comparison.not_comparable
    ]
    lines += [
        f"“{result.shown.table.measure.label}”: only asked in {now}."
        for result in comparison.only_in_current
    ]
    lines += [
        f"“{result.shown.table.measure.label}”: only asked in {then}."
        for result in comparison.only_in_previous
    ]
    return lines
