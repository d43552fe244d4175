"""The answer being tagged, large and readable, with its quotes highlighted in their codes'
colours.

The chair selects words with the mouse or the keyboard (Shift and the arrow keys; Ctrl+A for
the whole answer), and the workbench's actions (1–7, Enter for the first suggestion) are given
to this view as widget shortcuts, so they work only while it has focus. Selections and the
cursor are given to the page in code points (the core's offsets), converted from Qt's UTF-16
positions at this edge (``ui.text_units``).

Colour is never the only signal: a quote's text is drawn in its chip's readable text colour
(WCAG AA), a region where quotes overlap is also underlined with a wave and bold, and the page
names the codes of the quotes at the cursor and lists every quote with its codes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit, QWidget

from forumkit.quotes import Quote
from ui.text_units import display_text, to_code_points, to_utf16

TEXT_SCALE = 1.3
TEXT_LINES = 4
"""The answer shows at least this many lines."""
UNTAGGED_CHIP = ("#E0E0E0", "#000000")
"""A quote without a code yet: light grey, black text."""

Chip = tuple[str, str]
"""A chip's background colour and the text colour readable on it."""


class AnswerView(QPlainTextEdit):
    """One free-text answer, read-only but selectable by keyboard and mouse."""

    span_changed = Signal()
    """The selection or the cursor moved."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("answerText")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setAccessibleName("Answer text")
        self.setAccessibleDescription(
            "Select words with Shift and the arrow keys, or Ctrl+A for the whole answer, then "
            "press a key message's number to quote and tag them."
        )
        self._answer = ""
        self._apply_font()
        # View → Text size sets the application's font: follow it, a step larger.
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.fontChanged.connect(self._apply_font)
        self.selectionChanged.connect(self.span_changed)
        self.cursorPositionChanged.connect(self.span_changed)

    # -- text size ------------------------------------------------------------------------------

    def _apply_font(self, _font: QFont | None = None) -> None:
        font = QFont(QApplication.font())
        size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        font.setPointSizeF(size * TEXT_SCALE)
        self.setFont(font)
        # The app sets its style sheet again after a new text size (ui.app.restyle), which
        # puts back the font this view had before: a size in its own sheet outlasts that. The
        # height too: the app's sheet gives text boxes one line, whatever was set in code.
        self.setStyleSheet(
            f"#answerText {{ font-size: {size * TEXT_SCALE:.1f}pt; min-height: {TEXT_LINES}em; }}"
        )

    # -- the answer ----------------------------------------------------------------------------

    @property
    def answer(self) -> str:
        return self._answer

    def show_answer(self, text: str) -> None:
        """Show ``text`` (an answer, or "" for none), the cursor at its start."""
        self._answer = text
        self.setPlainText(display_text(text))
        self.document().clearUndoRedoStacks()
        self.setExtraSelections([])

    def clear_answer(self) -> None:
        """Show nothing, and keep nothing of the last answer (the file is locking)."""
        self.show_answer("")

    def highlight(self, quotes: Sequence[Quote], chip_of: Callable[[Quote], Chip]) -> None:
        """Paint each quote in its chip's colours; where quotes overlap, also bold with a wave
        underline."""
        selections: list[QTextEdit.ExtraSelection] = []
        for quote in quotes:
            background, foreground = chip_of(quote)
            chip = QTextCharFormat()
            chip.setBackground(QColor(background))
            chip.setForeground(QColor(foreground))
            selections.append(self._selection(quote.start, quote.end, chip))
        for start, end in overlaps(quotes):
            both = QTextCharFormat()
            both.setFontWeight(QFont.Weight.Bold)
            both.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            selections.append(self._selection(start, end, both))
        self.setExtraSelections(selections)

    def _selection(self, start: int, end: int, form: QTextCharFormat) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = self._cursor(start, end)
        selection.cursor = cursor
        selection.format = form
        return selection

    # -- selections in code points ------------------------------------------------------------

    def selected_span(self) -> tuple[int, int] | None:
        """The selected characters (code points of the answer), or None when nothing is."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = to_code_points(self._answer, cursor.selectionStart())
        end = to_code_points(self._answer, cursor.selectionEnd())
        return (start, end) if start < end else None

    def cursor_index(self) -> int:
        """The code point the cursor stands before."""
        return to_code_points(self._answer, self.textCursor().position())

    def select_span(self, start: int, end: int) -> None:
        """Select characters ``start``–``end`` (code points) and show them."""
        self.setTextCursor(self._cursor(start, end))
        self.ensureCursorVisible()

    def _cursor(self, start: int, end: int) -> QTextCursor:
        """A cursor over characters ``start``–``end`` (code points), kept within the answer: a
        quote of an answer corrected since may point past its end."""
        length = len(self._answer)
        cursor = QTextCursor(self.document())
        cursor.setPosition(to_utf16(self._answer, min(start, length)))
        cursor.setPosition(
            to_utf16(self._answer, min(end, length)), QTextCursor.MoveMode.KeepAnchor
        )
        return cursor

    def select_whole(self) -> None:
        """Select the whole answer."""
        self.select_span(0, len(self._answer))


def overlaps(quotes: Sequence[Quote]) -> list[tuple[int, int]]:
    """The stretches (code points) covered by two quotes or more, merged and in order."""
    stretches = sorted(
        (max(a.start, b.start), min(a.end, b.end))
        for index, a in enumerate(quotes)
        for b in quotes[index + 1 :]
        if a.start < b.end and b.start < a.end
    )
    merged: list[tuple[int, int]] = []
    for start, end in stretches:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
