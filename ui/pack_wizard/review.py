"""The wizard's quote review: the quotes that could go in, exactly as the core gathers them
(consented, reviewed, redacted, redacted again where need be), each with a tick box the chair
clears to leave it out (Space toggles the chosen row; ``PackRequest.leave_out``), why others
stay out, and a way to the Quotes page to fix one. The list holds parents' (redacted) words:
forgotten when the wizard closes, as it does when the app locks."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from forumkit.packs import PackContent, describe_left_out, gather, shown_count
from forumkit.wording import plural
from ui.widgets import Paragraph

if TYPE_CHECKING:
    from ui.pack_wizard.wizard import PackWizard

COLUMNS = (
    "Quote",
    "Key messages",
    "Answer to",
    "Words (as the pack shows them)",
    "About the family",
)
ID_ROLE = Qt.ItemDataRole.UserRole
LEFT_OUT = "left out"


class QuoteTable(QTableWidget):
    """The quotes, one a row; Space ticks or clears the chosen row's quote, whichever cell of
    the row has the focus (the tick box is in the first column)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentRow()
        if event.key() == Qt.Key.Key_Space and row >= 0:
            item = self.item(row, 0)
            if item is not None:
                ticked = item.checkState() == Qt.CheckState.Checked
                item.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)
            event.accept()
            return
        super().keyPressEvent(event)


class ReviewPage(QWizardPage):
    """The quotes that will go in, read by ``forumkit.packs.gather``."""

    show_quote_requested = Signal(str)

    def __init__(self, wizard: PackWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.content: PackContent | None = None
        self._left_out: set[str] = set()
        self._filling = False
        self.setTitle("The quotes that will go in")
        self.setSubTitle(
            "Only quotes whose parent agreed to be quoted and to share, and that someone has "
            "reviewed, go in; only their redacted words. Clear a quote's tick (Space) to leave "
            "it out. To change one, open it in the Quotes page (the wizard closes; start it "
            "again afterwards)."
        )
        layout = QVBoxLayout(self)
        self.counts = Paragraph()
        layout.addWidget(self.counts)
        label = QLabel("&Quotes:")
        self.table = QuoteTable(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Quotes that will go in")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((1, 170), (2, 170), (4, 150)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # Rows fit their words once the columns have their widths (after showing, resizing).
        self._fit_rows = QTimer(self, singleShot=True, interval=0)
        self._fit_rows.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_: self._fit_rows.start())
        label.setBuddy(self.table)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton("&Open in the Quotes page")
        self.open_button.setAccessibleName("Open the chosen quote in the Quotes page")
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self._open_chosen)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemChanged.connect(self._tick_changed)
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.notes = Paragraph()
        self.notes.setObjectName("hint")
        layout.addWidget(self.notes)

    def initializePage(self) -> None:
        wizard = self._wizard
        try:
            # Every quote that could go in is listed, the ones left out with their tick cleared.
            request = replace(wizard.request(), leave_out=frozenset())
            content = gather(wizard.context.workspace, request)
        except Exception as exc:
            self.forget()
            self.completeChanged.emit()
            wizard.context.errors.report(exc, wizard)
            return
        self.show_content(content)
        self.completeChanged.emit()

    def show_content(self, content: PackContent) -> None:
        self.content = content
        labels = {section.code_id: section.label for section in content.key_messages}
        # A quote left out earlier stays out if it is still listed (Back, then Next again).
        self._left_out &= {quote.quote_id for quote in content.quotes}
        self._filling = True
        self.table.setRowCount(len(content.quotes))
        for row, quote in enumerate(content.quotes):
            about = "; ".join(value for value in quote.attributes if value)
            cells = (
                quote.reference,
                ", ".join(labels.get(code, "") for code in quote.key_messages),
                quote.question,
                quote.text,
                about,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, quote.quote_id)
                if column == 0:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    left_out = quote.quote_id in self._left_out
                    item.setCheckState(
                        Qt.CheckState.Unchecked if left_out else Qt.CheckState.Checked
                    )
                self.table.setItem(row, column, item)
        self._filling = False
        self._number_rows()
        self.table.resizeRowsToContents()
        notes = [describe_left_out(content.left_out)]
        if content.redacted:
            notes.append(
                f"Redaction found identifying details again in "
                f"{plural(len(content.redacted), 'quote')}; the pack shows them redacted "
                "(as listed here)."
            )
        notes.extend(content.warnings)
        self.notes.setText("\n".join(note for note in notes if note))
        self.open_button.setEnabled(False)
        if content.quotes:
            self.table.selectRow(0)

    def _tick_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        quote_id = str(item.data(ID_ROLE))
        if item.checkState() == Qt.CheckState.Checked:
            self._left_out.discard(quote_id)
        else:
            self._left_out.add(quote_id)
        self._number_rows()

    def _number_rows(self) -> None:
        """Number the ticked quotes as the pack will (Q1, Q2, … without gaps), and count."""
        content = self.content
        if content is None:
            return
        self._filling = True
        number = 0
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is None:
                continue
            if item.checkState() == Qt.CheckState.Checked:
                number += 1
                item.setText(f"Q{number}")
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"Q{number}, goes in the pack")
            else:
                item.setText(LEFT_OUT)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, "Left out of the pack")
        self._filling = False
        kept = [q for q in content.quotes if q.quote_id not in self._left_out]
        parents = len({quote.response_id for quote in kept})
        t = content.threshold
        left = f" (you left {plural(len(self._left_out), 'quote')} out)" if self._left_out else ""
        self.counts.setText(
            f"{plural(len(kept), 'quote')} from {plural(parents, 'parent')} will go "
            f"in{left}. Responses counted (those of parents who agreed to share): "
            f"{shown_count(content.responses, t)}. Counts from 1 to {t - 1} "
            f"show as “fewer than {t}”."
        )

    def left_out(self) -> frozenset[str]:
        """The ids of the quotes the chair left out (their tick cleared)."""
        return frozenset(self._left_out) if self.content is not None else frozenset()

    def isComplete(self) -> bool:
        return self.content is not None

    def _selection_changed(self) -> None:
        self.open_button.setEnabled(bool(self.table.selectedItems()))

    def chosen_quote(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(ID_ROLE)) if items else None

    def _open_chosen(self) -> None:
        quote_id = self.chosen_quote()
        if quote_id is not None:
            self.show_quote_requested.emit(quote_id)

    def listed(self) -> list[tuple[str, str]]:
        """(reference, words) of each quote that will go in (ticked), as the chair sees them."""
        listed = []
        for row in range(self.table.rowCount()):
            reference, words = self.table.item(row, 0), self.table.item(row, 3)
            if (
                reference is not None
                and words is not None
                and reference.checkState() == Qt.CheckState.Checked
            ):
                listed.append((reference.text(), words.text()))
        return listed

    def forget(self) -> None:
        """Drop the quotes read (parents' words)."""
        self.content = None
        self._left_out.clear()
        self.table.setRowCount(0)
        self.counts.clear()
        self.notes.clear()
