"""File → Conflicts to review…: the records two copies both changed since they parted.

A merge keeps the later change in the file and the other aside (``forumkit.merge``); here the
chair sees both versions side by side, the lines that differ highlighted (and said in words, for
screen readers), and keeps one. The versions hold parents' answers, so the dialog reads them one
conflict at a time and forgets them when it closes (the app closes it on locking).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forumkit.merge import (
    KIND_WORDS,
    Conflict,
    ConflictLine,
    Keep,
    get_conflict,
    list_conflicts,
    side_by_side,
)
from forumkit.wording import plural
from ui.context import AppContext
from ui.operations.merging import keep_version
from ui.widgets import Heading, Paragraph

ID_ROLE = Qt.ItemDataRole.UserRole
DIFFERS = " (differs)"


def when(stamp: str) -> str:
    """A version's time as people read it: 2026-11-27 21:25."""
    return stamp[:16].replace("T", " ") if stamp else "at an unknown time"


def conflict_title(conflict: Conflict, lines: tuple[ConflictLine, ...]) -> str:
    """One conflict in the list: what kind of record and what differs (the questions' or the
    fields' names, never the words)."""
    one = KIND_WORDS[conflict.kind][0]
    differs = ", ".join(line.label for line in lines if line.differs) or "nothing any more"
    return f"A {one} changed in both copies — differs in: {differs}"


class ConflictsDialog(QDialog):
    """The conflicts still to review, one shown side by side, and Keep this / Keep the other."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.current: Conflict | None = None
        self.lines: tuple[ConflictLine, ...] = ()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Conflicts to review")
        self.setAccessibleName("Conflicts to review")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading("Conflicts to review", 1))
        layout.addWidget(
            Paragraph(
                "Each of these was changed in two copies of the forum file since they parted. "
                "The later change is in the file now; the other was kept here so that nothing is "
                "lost. Compare them and keep one."
            )
        )
        self.count = QLabel()
        layout.addWidget(self.count)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_comparison())
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1000, 620)
        self.reload()

    # -- building ----------------------------------------------------------------------------

    def _build_list(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Conflicts:")
        self.conflicts = QListWidget()
        self.conflicts.setAccessibleName("Conflicts")
        self.conflicts.setWordWrap(True)
        label.setBuddy(self.conflicts)
        self.conflicts.currentItemChanged.connect(lambda item, _old: self._show(item))
        column.addWidget(label)
        column.addWidget(self.conflicts, 1)
        return box

    def _build_comparison(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.only_differences = QCheckBox("Show only what &differs")
        self.only_differences.setChecked(True)
        self.only_differences.toggled.connect(self._fill_table)
        column.addWidget(self.only_differences)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Both versions side by side")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 240)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.keep_mine = QPushButton("Keep &this file's version")
        self.keep_theirs = QPushButton("Keep the &other version")
        for button, keep in ((self.keep_mine, "mine"), (self.keep_theirs, "theirs")):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, k=keep: self.keep(k))
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        return box

    # -- showing -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the conflicts still to review (titles only) and show the first."""
        self.conflicts.clear()
        db = self.context.workspace.db if self.context.has_workspace else None
        found = list_conflicts(db) if db is not None else []
        for conflict in found:
            assert db is not None
            item = QListWidgetItem(conflict_title(conflict, side_by_side(db, conflict)))
            item.setData(ID_ROLE, conflict.id)
            self.conflicts.addItem(item)
        self.count.setText(
            f"{plural(len(found), 'conflict')} to review." if found else "No conflicts to review."
        )
        if found:
            self.conflicts.setCurrentRow(0)
        else:
            self._show(None)

    def _show(self, item: QListWidgetItem | None) -> None:
        self.current = None
        self.lines = ()
        if item is not None and self.context.has_workspace:
            db = self.context.workspace.db
            self.current = get_conflict(db, str(item.data(ID_ROLE)))
            self.lines = side_by_side(db, self.current)
        for button in (self.keep_mine, self.keep_theirs):
            button.setEnabled(self.current is not None)
        self._fill_table()

    def _fill_table(self) -> None:
        conflict = self.current
        mine_header = "In this file now"
        theirs_header = "Kept aside"
        if conflict is not None:
            mine_stamp = conflict.mine.stamp if conflict.mine is not None else ""
            mine_header += f"\n(changed {when(mine_stamp)})"
            source = conflict.theirs.source or "another copy"
            theirs_header = f"Kept aside, from “{source}”\n(changed {when(conflict.theirs.stamp)})"
        self.table.setHorizontalHeaderLabels(["What", mine_header, theirs_header])
        shown = [
            line
            for line in self.lines
            if (line.differs or not self.only_differences.isChecked())
            and (line.mine or line.theirs)
        ]
        self.table.setRowCount(len(shown))
        marked = QBrush(QColor("#fff1b8"))
        dark_text = QBrush(QColor("#1a1a1a"))
        for row, line in enumerate(shown):
            cells = (line.label + (DIFFERS if line.differs else ""), line.mine, line.theirs)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if line.differs:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                    item.setBackground(marked)
                    item.setForeground(dark_text)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.table.setEnabled(conflict is not None)

    # -- keeping one -------------------------------------------------------------------------

    def keep(self, keep: Keep) -> None:
        """Keep one version of the conflict shown; the next one is shown."""
        conflict = self.current
        if conflict is None:
            return
        row = self.conflicts.currentRow()
        if keep_version(self.context, self, conflict.id, keep).run():
            self.reload()
            if self.conflicts.count():
                self.conflicts.setCurrentRow(min(row, self.conflicts.count() - 1))
            self.conflicts.setFocus()

    def forget(self) -> None:
        """Drop every version read (parents' answers) from the widgets."""
        self.current = None
        self.lines = ()
        self.table.setRowCount(0)
        self.conflicts.clear()

    def done(self, code: int) -> None:
        self.forget()
        super().done(code)
