"""What a merge did, shown to the chair: a table of counts per kind of record and a few plain
sentences (erased, deleted, drafts left on the laptop, exports to follow up). Counts only, never
a parent's words, so it may stay on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forumkit.merge import KIND_WORDS, MergeResult
from forumkit.wording import plural
from ui.widgets import Heading, Paragraph

COLUMNS = ("What", "Added", "Updated", "Unchanged", "Conflicts")


def merge_sentences(result: MergeResult) -> list[str]:
    """The news of a merge beyond the table, in the app's words."""
    lines: list[str] = []
    if not result.added and not result.updated and not result.survey_versions:
        lines.append("Nothing new: this file already held everything in it.")
    if result.survey_versions:
        lines.append(f"{plural(result.survey_versions, 'survey version')} added.")
    if result.conflicts:
        lines.append(
            f"{plural(result.conflicts, 'record')} had been changed in both files: the later "
            "change was kept, and the other waits for you under Conflicts to review."
        )
    if result.erased:
        lines.append(
            f"{plural(result.erased, 'response')} erased, as in the other file; this forum file "
            "and its backup were rewritten without them."
        )
        lines.extend(
            f"{d.responses} of them left the file in {d.what} made {d.at}: tell its recipients "
            "to delete them."
            for d in result.disclosures
        )
    if result.deleted:
        lines.append(f"{plural(result.deleted, 'record')} deleted, as in the other file.")
    if result.removed_earlier:
        lines.append(
            f"{plural(result.removed_earlier, 'record')} deleted or erased here before stayed out."
        )
    if result.drafts_left:
        lines.append(
            f"{plural(result.drafts_left, 'unfinished draft')} stayed on the volunteer's laptop."
        )
    lines.extend(result.warnings)
    return lines


class MergeSummary(QWidget):
    """A merge's counts as a table (one row per kind of record, a total row) and sentences."""

    review_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = Heading("", 2)
        layout.addWidget(self.heading)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("What the merge did")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.news = Paragraph()
        self.news.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.news)
        self.review_button = QPushButton("&Review conflicts…")
        self.review_button.setAutoDefault(False)
        self.review_button.clicked.connect(self.review_requested)
        layout.addWidget(self.review_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.review_button.hide()

    def show_result(self, result: MergeResult) -> None:
        self.heading.setText(f"Merged “{result.other}”")
        rows = [
            (KIND_WORDS[name][1].capitalize(), counts)
            for name, counts in sorted(result.by_kind.items(), key=lambda item: _order(item[0]))
            if any(counts.as_dict().values())
        ]
        self.table.setRowCount(len(rows) + 1)
        for row, (label, counts) in enumerate(rows):
            self._fill(row, label, counts.added, counts.updated, counts.unchanged, counts.conflicts)
        self._fill(
            len(rows),
            "All records",
            result.added,
            result.updated,
            result.unchanged,
            result.conflicts,
        )
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(row) for row in range(self.table.rowCount()))
        self.table.setMinimumHeight(min(height, 320))
        self.news.setText("\n".join(merge_sentences(result)))
        self.review_button.setVisible(result.conflicts > 0)

    def _fill(self, row: int, label: str, *counts: int) -> None:
        self.table.setItem(row, 0, QTableWidgetItem(label))
        for column, count in enumerate(counts, start=1):
            item = QTableWidgetItem(f"{count:,}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)


_KIND_ORDER = ("response", "quote", "survey", "codebook", "code", "deny_term")


def _order(kind: str) -> int:
    return _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)


class MergeSummaryDialog(QDialog):
    """The summary on its own, after the app merged in the newer file another program saved."""

    def __init__(self, result: MergeResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merged")
        self.setAccessibleName("Merged the newer file")
        layout = QVBoxLayout(self)
        layout.addWidget(
            Paragraph(
                "Another program had saved this forum file. Its changes and yours are now "
                "together in the file, and saved."
            )
        )
        self.summary = MergeSummary(self)
        self.summary.show_result(result)
        self.summary.heading.setText(f"Brought in the newer “{result.other}”")
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 420)
