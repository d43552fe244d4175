"""The answers a choice question offers: one row per choice with its words in each language
and its name (made from the words, editable), moved up or down or removed with buttons that
say so. Each change hands the whole new list to ``edited``; the designer stores it through
``forumkit.surveys.choices_changed``."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forumkit.surveys import Choice, name_from_label, with_text
from ui.widgets import Paragraph


class ChoicesEditor(QWidget):
    """Rows of choices; ``edited`` carries the new list after each change."""

    edited = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices: list[Choice] = []
        self.languages: list[str] = []
        self.label_edits: list[list[QLineEdit]] = []
        self.name_edits: list[QLineEdit] = []
        self._drawing = False
        self.kept: set[str] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.shared_note = Paragraph()
        self.shared_note.setObjectName("hint")
        layout.addWidget(self.shared_note)
        self.rows = QWidget()
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        layout.addWidget(self.rows)
        self.add_button = QPushButton("Add a &choice")
        self.add_button.clicked.connect(self.add_choice)
        layout.addWidget(self.add_button)

    def show_choices(
        self,
        choices: list[Choice],
        languages: list[str],
        shared_with: int,
        kept: set[str] | None = None,
    ) -> None:
        """Draw the rows again (focus stays on the same row and column where it was).
        ``kept`` are names that stay when their words change (answers already given use them)."""
        self.kept = kept or set()
        focused = self._focused_cell()
        self._drawing = True  # rows losing focus as they go must not count as edits
        self.choices = list(choices)
        self.languages = languages or [""]
        self.shared_note.setText(
            f"These answers are shared with {shared_with} other question"
            f"{'s' if shared_with > 1 else ''}: changing them changes those too."
            if shared_with
            else ""
        )
        self.shared_note.setVisible(bool(shared_with))
        while self.grid.count():
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.label_edits = []
        self.name_edits = []
        for column, language in enumerate(self.languages):
            self._place(QLabel(f"Answer ({language})" if language else "Answer"), 0, column)
        self._place(QLabel("Name"), 0, len(self.languages))
        for row, choice in enumerate(self.choices, start=1):
            edits = []
            for column, language in enumerate(self.languages):
                edit = QLineEdit(choice.labels.get(language, ""))
                edit.setMinimumWidth(100)
                where = f" ({language})" if language else ""
                edit.setAccessibleName(f"Choice {row}{where}")
                edit.editingFinished.connect(
                    lambda r=row - 1, lang=language, e=edit: self._label_edited(r, lang, e.text())
                )
                self._place(edit, row, column)
                edits.append(edit)
            self.label_edits.append(edits)
            name = QLineEdit(choice.name)
            name.setMinimumWidth(90)
            name.setAccessibleName(f"Name of choice {row}")
            name.editingFinished.connect(lambda r=row - 1, e=name: self._name_edited(r, e.text()))
            self._place(name, row, len(self.languages))
            self.name_edits.append(name)
            for offset, (text, spoken, step) in enumerate(
                (("↑", f"Move choice {row} up", -1), ("↓", f"Move choice {row} down", 1))
            ):
                button = QPushButton(text)
                button.setAccessibleName(spoken)
                button.setToolTip(spoken)
                button.setMaximumWidth(48)
                button.setEnabled(0 <= row - 1 + step < len(self.choices))
                button.clicked.connect(lambda _=False, r=row - 1, s=step: self.move_choice(r, s))
                self._place(button, row, len(self.languages) + 1 + offset)
            remove = QPushButton("Remove")
            remove.setAccessibleName(f"Remove choice {row}")
            remove.clicked.connect(lambda _=False, r=row - 1: self.remove(r))
            self._place(remove, row, len(self.languages) + 3)
        self._drawing = False
        # New rows sit last in the Tab order: put them before "Add a choice", where they show.
        cells: list[QWidget] = []
        for row_number in range(len(self.choices)):
            cells += [*self.label_edits[row_number], self.name_edits[row_number]]
            for column in range(len(self.languages) + 1, len(self.languages) + 4):
                item = self.grid.itemAtPosition(row_number + 1, column)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    cells.append(widget)
        chain = [self.rows, *cells, self.add_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        if focused is not None:
            self._focus_cell(*focused)

    def _place(self, widget: QWidget, row: int, column: int) -> None:
        """Add a cell and show it now (a layout shows new children only later, and focus
        cannot go to a hidden field)."""
        self.grid.addWidget(widget, row, column)
        widget.show()

    def _focused_cell(self) -> tuple[int, int] | None:
        for row, edits in enumerate(self.label_edits):
            for column, edit in enumerate([*edits, self.name_edits[row]]):
                if edit.hasFocus():
                    return row, column
        return None

    def _focus_cell(self, row: int, column: int) -> None:
        if not self.label_edits:
            self.add_button.setFocus()
            return
        row = min(row, len(self.label_edits) - 1)
        cells = [*self.label_edits[row], self.name_edits[row]]
        cells[min(column, len(cells) - 1)].setFocus()

    def _label_edited(self, row: int, language: str, text: str) -> None:
        if self._drawing or row >= len(self.choices):
            return
        choice = self.choices[row]
        if choice.labels.get(language, "") == text.strip():
            return
        name = choice.name
        first = self.languages[0]
        taken = {c.name for i, c in enumerate(self.choices) if i != row}
        generated = name_from_label(choice.labels.get(first, ""), taken)
        follows = name == generated or name.startswith("option_")
        if language == first and follows and name not in self.kept:
            # The name still follows the words (nobody chose it): keep it following them.
            name = name_from_label(text, taken)
        self._emit(row, Choice(name, with_text(choice.labels, language, text), choice.filters))

    def _name_edited(self, row: int, text: str) -> None:
        if self._drawing or row >= len(self.choices) or self.choices[row].name == text.strip():
            return
        choice = self.choices[row]
        self._emit(row, Choice(text.strip(), choice.labels, choice.filters))

    def _emit(self, row: int, choice: Choice) -> None:
        changed = list(self.choices)
        changed[row] = choice
        self.edited.emit(changed)

    def add_choice(self) -> None:
        taken = {c.name for c in self.choices}
        number = len(self.choices) + 1
        label = f"Option {number}"
        choice = Choice(name_from_label(label, taken), with_text({}, self.languages[0], label))
        self.edited.emit([*self.choices, choice])
        self._focus_cell(len(self.choices) - 1, 0)
        if self.label_edits:
            self.label_edits[-1][0].selectAll()

    def move_choice(self, row: int, step: int) -> None:
        target = row + step
        if not 0 <= target < len(self.choices):
            return
        changed = list(self.choices)
        changed[row], changed[target] = changed[target], changed[row]
        self.edited.emit(changed)
        self._focus_cell(target, 0)

    def remove(self, row: int) -> None:
        changed = [c for i, c in enumerate(self.choices) if i != row]
        self.edited.emit(changed)
        self._focus_cell(row, 0)
