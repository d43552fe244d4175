"""The forum's deny-list in the codebook editor: the schools, staff and places redaction always
takes out of quotes, added and removed through the quote ops (the core brings every quote's
redacted words in line, and says how many quotes must be reviewed again)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forumkit.quotes import DenyListChange, list_deny_terms
from forumkit.wording import plural
from ui.context import AppContext
from ui.operations import quotes as operations
from ui.widgets import Paragraph

KINDS = (
    ("A school", "school"),
    ("A member of staff or other person", "person"),
    ("A place", "place"),
)
TOKENS = {"school": "[school]", "person": "[name]", "place": "[place]"}


def change_words(change: DenyListChange, added: bool) -> str:
    """What a change to the deny-list did to the quotes, in words."""
    done = "Added to" if added else "Taken off"
    touched = len(change.reproposed) + len(change.redacted)
    text = f"{done} the deny-list. {plural(touched, 'quote')} redacted again"
    if change.unreviewed:
        text += f"; {plural(len(change.unreviewed), 'reviewed quote')} must be reviewed again"
    return text + "."


class DenyListEditor(QWidget):
    """The deny-list: entries with their kind, one to add, one to remove."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        layout.addWidget(
            Paragraph(
                "Names redaction always takes out of quotes, whatever else it finds: the local "
                "schools, staff and places that parents name. A school becomes [school], a "
                "person [name], a place [place]."
            )
        )
        entries_label = QLabel("&Words on the list")
        self.entries = QListWidget()
        self.entries.setAccessibleName("Deny-list entries")
        entries_label.setBuddy(self.entries)
        layout.addWidget(entries_label)
        layout.addWidget(self.entries, 1)
        self.remove_button = QPushButton("Remove the entr&y")
        self.remove_button.setAutoDefault(False)
        layout.addWidget(self.remove_button)

        add_row = QHBoxLayout()
        term_label = QLabel("Words to take out")
        self.term_edit = QLineEdit()
        self.term_edit.setAccessibleName("Words to take out")
        term_label.setBuddy(self.term_edit)
        kind_label = QLabel("What they name")
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName("What they name")
        for text, kind in KINDS:
            self.kind_box.addItem(text, kind)
        kind_label.setBuddy(self.kind_box)
        self.add_button = QPushButton("Add to the deny-list")
        self.add_button.setAutoDefault(False)
        for widget in (term_label, self.term_edit, kind_label, self.kind_box, self.add_button):
            add_row.addWidget(widget)
        layout.addLayout(add_row)
        self.message = Paragraph()
        self.message.setAccessibleName("Deny-list messages")
        layout.addWidget(self.message)

        self.add_button.clicked.connect(self.add_entry)
        self.term_edit.returnPressed.connect(self.add_entry)
        self.remove_button.clicked.connect(self.remove_entry)

    def reload(self) -> None:
        self.entries.clear()
        if not self.context.has_workspace:
            return
        for entry in list_deny_terms(self.context.workspace.db):
            item = QListWidgetItem(f"{entry.text} → {TOKENS[entry.kind.value]}")
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.entries.addItem(item)
        self.remove_button.setEnabled(self.entries.count() > 0)
        if self.entries.count():
            self.entries.setCurrentRow(0)

    def add_entry(self) -> None:
        text = self.term_edit.text()
        kind = str(self.kind_box.currentData())
        op = operations.add_deny_term(self.context, self, text, kind)
        if op.success(lambda change: self.message.setText(change_words(change, True))).run():
            self.term_edit.clear()
            self.reload()

    def remove_entry(self) -> None:
        item = self.entries.currentItem()
        if item is None:
            return
        entry_id = str(item.data(Qt.ItemDataRole.UserRole))
        op = operations.remove_deny_term(self.context, self, entry_id)
        if op.success(lambda change: self.message.setText(change_words(change, False))).run():
            self.reload()
