"""The workbench's right-hand pane: the codes to tag with (the key messages 1–7 by default), each
a button showing its colour **and** its number and label, with how many quotes carry it; the
codes suggested for the current words, with why; and a chooser for another codebook.

It only shows and asks: the page runs the tagging.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forumkit.codebooks import Code, Codebook
from forumkit.suggest import Suggestion
from forumkit.wording import listed, plural

LABEL_CHARS = 30
HINT = (
    "Select words, then press a code's number in the answer (or its button): that quotes and "
    "tags them. Press it again and the code comes off."
)
SUGGESTIONS = 3


def chip_icon(code: Code, size: int = 22) -> QIcon:
    """A square of the code's colour with its shortcut (if any) written in its readable text
    colour: the colour is never alone, the number and label stand beside it."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(code.colour))
    if code.shortcut:
        painter = QPainter(pixmap)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.7))
        painter.setFont(font)
        painter.setPen(QColor(code.text_colour))
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, code.shortcut)
        painter.end()
    return QIcon(pixmap)


def button_text(code: Code, count: int) -> str:
    """The label wrapped on two lines at most, and the count."""
    lines = textwrap.wrap(code.label.rstrip("."), LABEL_CHARS) or [code.key]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LABEL_CHARS, placeholder="…")]
    lines[-1] += f"  ({count:,})"
    return "\n".join(line.replace("&", "&&") for line in lines)


def spoken_code(code: Code) -> str:
    shortcut = f", key {code.shortcut}" if code.shortcut else ""
    return f"{code.label.rstrip('.')}{shortcut}"


class TagPanel(QWidget):
    """Code buttons for one codebook, suggestions, and the codebook chooser."""

    code_pressed = Signal(str)
    """A code's button was pressed (its id)."""
    suggestion_accepted = Signal(str)
    """A suggestion was chosen (the code's id)."""
    codebook_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.codebook: Codebook | None = None
        self.buttons: dict[str, QPushButton] = {}
        self.suggested: list[tuple[Code, Suggestion]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        book_row = QHBoxLayout()
        book_label = QLabel("Tag with code&book")
        self.codebook_box = QComboBox()
        self.codebook_box.setAccessibleName("Codebook")
        self.codebook_box.setAccessibleDescription(HINT)
        self.codebook_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.codebook_box.setMinimumContentsLength(12)
        book_label.setBuddy(self.codebook_box)
        book_row.addWidget(book_label)
        book_row.addWidget(self.codebook_box, 1)
        layout.addLayout(book_row)
        self.button_box = QVBoxLayout()
        self.button_box.setSpacing(4)
        layout.addLayout(self.button_box)

        suggestions_label = QLabel("S&uggestions for these words")
        suggestions_label.setWordWrap(True)
        self.suggestions = QListWidget()
        self.suggestions.setAccessibleName("Suggested codes")
        self.suggestions.setWordWrap(True)
        self.suggestions.setMaximumHeight(120)
        suggestions_label.setBuddy(self.suggestions)
        self.accept_button = QPushButton("Accept the first suggestion")
        self.accept_button.setToolTip("Enter, in the answer's text")
        self.accept_button.setAutoDefault(False)
        layout.addWidget(suggestions_label)
        layout.addWidget(self.suggestions)
        layout.addWidget(self.accept_button)
        layout.addStretch(1)

        self.codebook_box.activated.connect(self._codebook_activated)
        self.suggestions.itemActivated.connect(self._suggestion_activated)
        self.set_suggestions([])

    # -- codebooks and codes ------------------------------------------------------------------

    def set_codebooks(self, books: Sequence[Codebook], current: str) -> None:
        self.codebook_box.blockSignals(True)
        self.codebook_box.clear()
        for book in books:
            self.codebook_box.addItem(book.name, book.id)
        self.codebook_box.setCurrentIndex(max(0, self.codebook_box.findData(current)))
        self.codebook_box.blockSignals(False)

    def _codebook_activated(self, index: int) -> None:
        book_id = self.codebook_box.itemData(index)
        if book_id is not None:
            self.codebook_chosen.emit(str(book_id))

    def set_codes(self, codebook: Codebook | None, counts: Mapping[str, int]) -> None:
        """One button per code of ``codebook`` that can be used for tagging."""
        self.codebook = codebook
        for button in self.buttons.values():
            self.button_box.removeWidget(button)
            button.hide()  # until Qt deletes it, it would stay on top of the panel
            button.deleteLater()
        self.buttons = {}
        if codebook is None:
            return
        for depth, code in codebook.walk():
            if not code.codable:
                continue
            button = QPushButton(chip_icon(code), "")
            button.setObjectName("codeButton")
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setIconSize(QSize(22, 22))
            button.setStyleSheet(f"text-align: left; padding-left: {8 + 16 * depth}px;")
            button.setToolTip(HINT)
            button.clicked.connect(lambda _checked=False, c=code.id: self.code_pressed.emit(c))
            self.buttons[code.id] = button
            self.button_box.addWidget(button)
        self.set_counts(counts)

    def set_counts(self, counts: Mapping[str, int]) -> None:
        if self.codebook is None:
            return
        for code in self.codebook.codes:
            button = self.buttons.get(code.id)
            if button is None:
                continue
            count = counts.get(code.id, 0)
            button.setText(button_text(code, count))
            button.setAccessibleName(f"{spoken_code(code)}: {plural(count, 'quote')}")
            button.setAccessibleDescription(code.description)

    def show_codes_of(self, code_ids: frozenset[str]) -> None:
        """Check the buttons of the codes the current quote has (none: no quote)."""
        for code_id, button in self.buttons.items():
            button.setChecked(code_id in code_ids)

    # -- suggestions --------------------------------------------------------------------------

    def set_suggestions(self, suggested: Sequence[tuple[Code, Suggestion]], note: str = "") -> None:
        """Show up to three suggested codes, best first, each with the keywords that point to it
        (or ``note`` when there are none to show)."""
        self.suggested = list(suggested[:SUGGESTIONS])
        self.suggestions.clear()
        for number, (code, suggestion) in enumerate(self.suggested):
            why = f" — because of “{listed(suggestion.because)}”" if suggestion.because else ""
            first = " (Enter accepts it)" if number == 0 else ""
            label = code.label.rstrip(".")
            item = QListWidgetItem(chip_icon(code), f"{label}{why}{first}")
            item.setData(Qt.ItemDataRole.UserRole, code.id)
            self.suggestions.addItem(item)
        if not self.suggested:
            item = QListWidgetItem(note or "No suggestions: select words or choose an answer.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.suggestions.addItem(item)
        self.accept_button.setEnabled(bool(self.suggested))

    def _suggestion_activated(self, item: QListWidgetItem) -> None:
        code_id = item.data(Qt.ItemDataRole.UserRole)
        if code_id is not None:
            self.suggestion_accepted.emit(str(code_id))

    def accept_first(self) -> None:
        if self.suggested:
            self.suggestion_accepted.emit(self.suggested[0][0].id)
