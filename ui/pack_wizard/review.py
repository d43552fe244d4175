"""The wizard's quote review: the quotes that will go in, exactly as the core gathers them
(consented, reviewed, redacted, redacted again where need be), why others stay out, and a way
to the Quotes page to fix one. The list holds parents' (redacted) words: forgotten when the
wizard closes, as it does when the app locks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
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


class ReviewPage(QWizardPage):
    """The quotes that will go in, read by ``forumkit.packs.gather``."""

    show_quote_requested = Signal(str)

    def __init__(self, wizard: PackWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.content: PackContent | None = None
        self.setTitle("The quotes that will go in")
        self.setSubTitle(
            "Only quotes whose parent agreed to be quoted and to share, and that someone has "
            "reviewed, go in; only their redacted words. To change one, open it in the Quotes "
            "page (the wizard closes; start it again afterwards)."
        )
        layout = QVBoxLayout(self)
        self.counts = Paragraph()
        layout.addWidget(self.counts)
        label = QLabel("&Quotes:")
        self.table = QTableWidget(0, len(COLUMNS))
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
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.notes = Paragraph()
        self.notes.setObjectName("hint")
        layout.addWidget(self.notes)

    def initializePage(self) -> None:
        wizard = self._wizard
        try:
            content = gather(wizard.context.workspace, wizard.request())
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
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        parents = len(content.response_ids)
        t = content.threshold
        self.counts.setText(
            f"{plural(len(content.quotes), 'quote')} from {plural(parents, 'parent')} will go "
            f"in. Responses counted (those of parents who agreed to share): "
            f"{shown_count(content.responses, t)}. Counts from 1 to {t - 1} "
            f"show as “fewer than {t}”."
        )
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
        """(reference, words) of each quote listed, as the chair sees them."""
        listed = []
        for row in range(self.table.rowCount()):
            reference, words = self.table.item(row, 0), self.table.item(row, 3)
            if reference is not None and words is not None:
                listed.append((reference.text(), words.text()))
        return listed

    def forget(self) -> None:
        """Drop the quotes read (parents' words)."""
        self.content = None
        self.table.setRowCount(0)
        self.counts.clear()
        self.notes.clear()
