"""The workbench's centre: the chosen answer (large, its quotes highlighted), the codes' legend,
what is at the cursor, the list of the answer's quotes, and the redaction review.

It shows one :class:`~forumkit.quotes.QuotableAnswer` and says which quote is the current one
(the one whose words are selected, or the one the cursor stands in); the page does the tagging.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forumkit.codebooks import Code
from forumkit.quotes import QuotableAnswer, Quote
from forumkit.wording import listed
from ui.models.answers_table import short
from ui.pages.answer_view import UNTAGGED_CHIP, AnswerView, Chip
from ui.pages.redaction_review import RedactionReview
from ui.widgets import StatusLabel

QUOTE_PREVIEW = 70
REVIEW_HEIGHT = 270
QUOTES_HEIGHT = 76


def chip_of(quote: Quote, codes: Mapping[str, Code]) -> Chip:
    """A quote's highlight: its first code's colour and readable text colour (grey without)."""
    for tag in quote.tags:
        code = codes.get(tag.code_id)
        if code is not None:
            return code.colour, code.text_colour
    return UNTAGGED_CHIP


def code_names(quote: Quote, codes: Mapping[str, Code]) -> str:
    """A quote's codes in words, each with its number where it has one."""
    names = []
    for tag in quote.tags:
        code = codes.get(tag.code_id)
        shortcut = f"{code.shortcut} " if code is not None and code.shortcut else ""
        names.append(f"{shortcut}{tag.label.rstrip('.')}")
    return "; ".join(names) if names else "no code yet"


def quote_line(number: int, quote: Quote, codes: Mapping[str, Code]) -> str:
    state = "reviewed" if quote.reviewed else "not reviewed"
    if quote.state != "current":
        state += ", the answer was corrected since"
    return f"{number}. “{short(quote.text, QUOTE_PREVIEW)}” — {code_names(quote, codes)} ({state})"


def legend_html(answer: QuotableAnswer, codes: Mapping[str, Code]) -> str:
    """Each code used in the answer: its chip (number on colour) and its label beside it."""
    used: dict[str, Code] = {}
    for quote in answer.quotes:
        for tag in quote.tags:
            code = codes.get(tag.code_id)
            if code is not None:
                used.setdefault(code.id, code)
    parts = []
    for code in used.values():
        mark = html.escape(code.shortcut or "■")
        chip = (
            f'<span style="background-color:{code.colour}; color:{code.text_colour};">'
            f"&nbsp;{mark}&nbsp;</span>"
        )
        parts.append(f"{chip}&nbsp;{html.escape(code.label.rstrip('.'))}")
    untagged = any(not quote.tags for quote in answer.quotes)
    if untagged:
        grey = (
            f'<span style="background-color:{UNTAGGED_CHIP[0]}; color:{UNTAGGED_CHIP[1]};">'
            "&nbsp;–&nbsp;</span>"
        )
        parts.append(f"{grey}&nbsp;no code yet")
    return "Legend: " + " &nbsp; ".join(parts) if parts else ""


class AnswerPanel(QWidget):
    """The answer, its quotes and the redaction review of the current quote."""

    current_quote_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.answer: QuotableAnswer | None = None
        self.codes: Mapping[str, Code] = {}
        self.current: Quote | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        # Status lines: a screen reader says what they hold, not only what they are for.
        self.heading = StatusLabel("Answer shown")
        self.attributes = StatusLabel("The parent's other answers")
        self.attributes.setObjectName("hint")
        text_label = QLabel("Answer te&xt:")
        self.view = AnswerView()
        text_label.setBuddy(self.view)
        self.legend = StatusLabel("Legend of the codes in this answer", rich=True)
        self.at_cursor = StatusLabel("At the cursor")
        self.whole_button = QPushButton("Select the whole answer")
        self.whole_button.setToolTip("Ctrl+A, in the answer's text")
        self.delete_button = QPushButton("Delete the quote")
        self.delete_button.setToolTip("Delete, in the answer's text or the list of quotes")
        quotes_label = QLabel("Quotes &in this answer")
        self.quotes = QListWidget()
        self.quotes.setAccessibleName("Quotes in this answer")
        self.quotes.setWordWrap(True)
        self.quotes.setMaximumHeight(QUOTES_HEIGHT)
        quotes_label.setBuddy(self.quotes)
        self.review = RedactionReview()
        self.review.setMinimumHeight(REVIEW_HEIGHT)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(4)
        title = QHBoxLayout()
        title.addWidget(text_label)
        title.addWidget(self.heading, 1)
        top_layout.addLayout(title)
        top_layout.addWidget(self.attributes)
        top_layout.addWidget(self.view, 1)
        for widget in (self.legend, self.at_cursor, quotes_label):
            top_layout.addWidget(widget)
        quotes_row = QHBoxLayout()
        quotes_row.addWidget(self.quotes, 1)
        buttons = QVBoxLayout()
        for button in (self.whole_button, self.delete_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        quotes_row.addLayout(buttons)
        top_layout.addLayout(quotes_row)
        # One column (the page scrolls it on a small screen): a splitter here measured its
        # wrapped lines for a wider pane, and they overlapped at 1366 × 768 (issue 13).
        layout.addWidget(top, 3)
        layout.addWidget(self.review, 2)

        self.view.span_changed.connect(self._span_changed)
        self.quotes.currentRowChanged.connect(self._quote_chosen)
        self.whole_button.clicked.connect(self.select_whole)
        self.show_answer(None, "", "")

    # -- showing ------------------------------------------------------------------------------

    def show_answer(
        self,
        answer: QuotableAnswer | None,
        heading: str,
        attributes: str,
        *,
        keep_span: tuple[int, int] | None = None,
    ) -> None:
        """Show ``answer`` (None: nothing), selecting ``keep_span`` again if given."""
        self.answer = answer
        self.heading.setText(heading or "Choose an answer in the list on the left.")
        self.attributes.setText(attributes)
        self.view.show_answer(answer.text if answer is not None else "")
        self.view.setEnabled(answer is not None)
        self.whole_button.setEnabled(answer is not None)
        self._fill_quotes()
        if answer is not None and keep_span is not None:
            self.view.select_span(*keep_span)
        self._span_changed()

    def set_codes(self, codes: Mapping[str, Code]) -> None:
        self.codes = codes

    def _fill_quotes(self) -> None:
        answer = self.answer
        self.quotes.blockSignals(True)
        self.quotes.clear()
        if answer is not None:
            self.view.highlight(answer.quotes, lambda quote: chip_of(quote, self.codes))
            self.legend.setText(legend_html(answer, self.codes))
            for number, quote in enumerate(answer.quotes, start=1):
                item = QListWidgetItem(quote_line(number, quote, self.codes))
                item.setData(Qt.ItemDataRole.UserRole, quote.id)
                self.quotes.addItem(item)
        else:
            self.legend.setText("")
        self.quotes.blockSignals(False)

    def clear(self) -> None:
        """Show nothing and keep nothing of the last answer (the file is locking)."""
        self.show_answer(None, "", "")
        self.review.clear()

    # -- the current quote --------------------------------------------------------------------

    def _span_changed(self) -> None:
        answer = self.answer
        quote: Quote | None = None
        span = self.view.selected_span()
        if answer is not None:
            if span is not None:
                quote = answer.quote_at(*span)
            else:
                around = answer.quotes_around(self.view.cursor_index())
                quote = around[-1] if around else None
        self.current = quote
        self._say_at_cursor(span)
        self.delete_button.setEnabled(quote is not None)
        self.quotes.blockSignals(True)
        index = answer.quotes.index(quote) if answer is not None and quote is not None else -1
        self.quotes.setCurrentRow(index)
        self.quotes.blockSignals(False)
        self.review.show_quote(
            quote,
            answer.response if answer is not None else None,
            answer.reasons_to_stay(quote) if answer is not None and quote is not None else (),
        )
        self.current_quote_changed.emit()

    def _say_at_cursor(self, span: tuple[int, int] | None) -> None:
        answer = self.answer
        if answer is None:
            self.at_cursor.setText("")
            return
        if span is not None and self.current is None:
            self.at_cursor.setText(
                f"Selected: {span[1] - span[0]:,} characters, not yet a quote. Press a key "
                "message's number to quote and tag them."
            )
            return
        around = answer.quotes_around(self.view.cursor_index()) if span is None else ()
        if self.current is None:
            self.at_cursor.setText(
                "Select words to quote (Shift and the arrow keys, or Ctrl+A for the whole answer)."
            )
            return
        number = answer.quotes.index(self.current) + 1
        others = [q for q in around if q is not self.current]
        also = ""
        if others:
            also = " Also here: " + listed(
                f"quote {answer.quotes.index(q) + 1} ({code_names(q, self.codes)})" for q in others
            )
            also += "."
        self.at_cursor.setText(f"Quote {number}: {code_names(self.current, self.codes)}.{also}")

    def _quote_chosen(self, row: int) -> None:
        answer = self.answer
        if answer is None or not 0 <= row < len(answer.quotes):
            return
        quote = answer.quotes[row]
        self.view.select_span(quote.start, quote.end)

    def select_whole(self) -> None:
        if self.answer is not None:
            self.view.select_whole()
            self.view.setFocus()

    def words_for_suggestions(self) -> str:
        """The words suggestions are for: the selection, the current quote, or the answer."""
        answer = self.answer
        if answer is None:
            return ""
        span = self.view.selected_span()
        if span is not None:
            return answer.text[span[0] : span[1]]
        return self.current.text if self.current is not None else answer.text
