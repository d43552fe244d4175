"""Redaction review beside the answer: what forumkit found in the quote's words, the redacted text
the reviewer edits (scanned again as they type), accept, mark reviewed, and whether the quote
may leave the forum file at all, in words.

The widget only shows and asks: saving goes through the page's quote ops, and the rules
(``forumkit.redaction.propose`` and ``rescan``, ``forumkit.quotes.reasons_to_stay``) are the
core's; ``propose`` is called through its package (``redaction.propose``): its module has the
same name, and the app imports packages' public faces only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from forumkit import redaction
from forumkit.quotes import Quote
from forumkit.redaction import DenyTerm, Redaction, RedactionKind
from forumkit.responses import Response
from forumkit.wording import listed
from ui.text_units import display_text, to_utf16
from ui.widgets import Heading, StatusLabel

DETECTED_CHIP = ("#FFE08A", "#000000")
"""Where an identifying detail was found: a pale amber behind black text (about 17 : 1)."""

KIND_WORDS = {
    RedactionKind.NAME: ("a name", "names"),
    RedactionKind.SCHOOL: ("a school", "schools"),
    RedactionKind.PLACE: ("a place", "places"),
    RedactionKind.PHONE: ("a phone number", "phone numbers"),
    RedactionKind.EMAIL: ("an email address", "email addresses"),
    RedactionKind.POSTCODE: ("a postcode", "postcodes"),
    RedactionKind.NHS_NUMBER: ("an NHS number", "NHS numbers"),
    RedactionKind.DATE: ("a date", "dates"),
    RedactionKind.LINK: ("a link", "links"),
}


def found_words(found: Redaction) -> str:
    """What redaction found, by kind and number: "a phone number and 2 names"."""
    counts: dict[RedactionKind, int] = {}
    for span in found.spans:
        counts[span.kind] = counts.get(span.kind, 0) + 1
    return listed(
        KIND_WORDS[kind][0] if count == 1 else f"{count:,} {KIND_WORDS[kind][1]}"
        for kind, count in counts.items()
    )


def consent_words(response: Response) -> str:
    def said(value: bool | None) -> str:
        return "not answered" if value is None else ("yes" if value else "no")

    return (
        f"Consent to quote: {said(response.consent_quote)}. "
        f"Consent to share with inspectors: {said(response.consent_share)}."
    )


def eligibility_words(reasons: Sequence[str]) -> str:
    """Whether a quote may leave in evidence packs, and why not, in words (never colour)."""
    if not reasons:
        return "✓ May leave the forum file in evidence packs, as the redacted words below."
    return "✗ Not eligible for evidence packs: " + "; ".join(reasons) + "."


def paint_spans(editor: QPlainTextEdit, text: str, found: Redaction) -> None:
    """Highlight ``found``'s spans of ``text`` shown in ``editor`` (underlined on amber)."""
    selections: list[QTextEdit.ExtraSelection] = []
    for span in found.spans:
        form = QTextCharFormat()
        form.setBackground(QColor(DETECTED_CHIP[0]))
        form.setForeground(QColor(DETECTED_CHIP[1]))
        form.setFontUnderline(True)
        cursor = QTextCursor(editor.document())
        cursor.setPosition(to_utf16(text, span.start))
        cursor.setPosition(to_utf16(text, span.end), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = form
        selections.append(selection)
    editor.setExtraSelections(selections)


class RedactionReview(QWidget):
    """The current quote's redaction and review (empty when no quote is chosen)."""

    accept_requested = Signal(str)
    """Save this redacted text (the reviewer's edit)."""
    review_requested = Signal(str, bool)
    """Save this redacted text and mark the quote reviewed (True) or not reviewed (False)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quote: Quote | None = None
        self._deny: tuple[DenyTerm, ...] = ()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(Heading("Redaction review", 3))
        # Status lines: a screen reader says what they hold, not only what they are for.
        self.eligibility = StatusLabel("May this quote leave the forum file")
        self.eligibility.setObjectName("eligibility")
        self.consent = StatusLabel("Consent")
        layout.addWidget(self.eligibility)
        layout.addWidget(self.consent)

        self.detected_label = StatusLabel("Identifying details found")
        self.detected = QPlainTextEdit()
        self.detected.setReadOnly(True)
        self.detected.setAccessibleName("The quote's words, identifying details highlighted")
        self.detected.setObjectName("reviewText")
        self.detected.setMaximumHeight(90)
        self.detected.setTabChangesFocus(True)
        layout.addWidget(self.detected_label)
        layout.addWidget(self.detected)

        redacted_label = QLabel("Redacted &words — the only words that may leave the file:")
        redacted_label.setWordWrap(True)
        self.redacted = QPlainTextEdit()
        self.redacted.setAccessibleName("Redacted words")
        self.redacted.setObjectName("reviewText")
        self.redacted.setMaximumHeight(100)
        self.redacted.setTabChangesFocus(True)
        redacted_label.setBuddy(self.redacted)
        self.still = StatusLabel("Redaction check of the redacted words")
        layout.addWidget(redacted_label)
        layout.addWidget(self.redacted)
        layout.addWidget(self.still)

        buttons = QHBoxLayout()
        self.accept_button = QPushButton("&Accept redaction")
        self.accept_button.setToolTip("Save the redacted words as edited")
        self.review_button = QPushButton("&Mark reviewed")
        for button in (self.accept_button, self.review_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.redacted.textChanged.connect(self._rescan)
        self.accept_button.clicked.connect(self._accept)
        self.review_button.clicked.connect(self.toggle_reviewed)
        self.show_quote(None, None, ())

    # -- showing ------------------------------------------------------------------------------

    def show_quote(
        self, quote: Quote | None, response: Response | None, reasons: Sequence[str]
    ) -> None:
        """Show ``quote`` (None: nothing) with its response's consent and the gate's reasons."""
        self.quote = quote
        enabled = quote is not None and response is not None
        for widget in (self.detected, self.redacted, self.accept_button, self.review_button):
            widget.setEnabled(enabled)
        if quote is None or response is None:
            self.eligibility.setText("Choose or make a quote to review its redaction.")
            self.consent.setText("")
            self.detected_label.setText("")
            self.detected.setPlainText("")
            self._set_redacted("")
            self.still.setText("")
            self.review_button.setText("&Mark reviewed")
            return
        self.eligibility.setText(eligibility_words(reasons))
        self.consent.setText(consent_words(response))
        found = redaction.propose(quote.text, self._deny)
        self.detected_label.setText(
            "Nothing identifying found in the parent's words."
            if found.is_clean
            else f"Found in the parent's words: {found_words(found)}."
        )
        self.detected.setPlainText(display_text(quote.text))
        paint_spans(self.detected, quote.text, found)
        self._set_redacted(quote.redacted_text)
        self.review_button.setText("&Mark not reviewed" if quote.reviewed else "&Mark reviewed")

    def set_deny_list(self, deny: Sequence[DenyTerm]) -> None:
        self._deny = tuple(deny)

    def _set_redacted(self, text: str) -> None:
        self.redacted.blockSignals(True)
        self.redacted.setPlainText(text)
        self.redacted.document().clearUndoRedoStacks()
        self.redacted.blockSignals(False)
        self._rescan()

    def clear(self) -> None:
        """Show nothing and keep nothing of the last quote (the file is locking)."""
        self.show_quote(None, None, ())
        self._deny = ()

    # -- editing ------------------------------------------------------------------------------

    def edited_text(self) -> str:
        return self.redacted.toPlainText()

    @property
    def is_edited(self) -> bool:
        return self.quote is not None and self.edited_text() != self.quote.redacted_text

    def _rescan(self) -> None:
        text = self.edited_text()
        self.accept_button.setEnabled(self.is_edited)
        if self.quote is None:
            self.redacted.setExtraSelections([])
            return
        if not text.strip():
            self.still.setText("The redacted words are empty: write the words that may leave.")
            self.redacted.setExtraSelections([])
            return
        still = redaction.rescan(text, self._deny)
        paint_spans(self.redacted, text, still)
        self.still.setText(
            "Nothing identifying detected in the redacted words."
            if still.is_clean
            else f"Still looks identifying: {found_words(still)} (highlighted). Edit the words, "
            "or accept them as they are if they identify nobody."
        )

    def _accept(self) -> None:
        if self.quote is not None and self.is_edited:
            self.accept_requested.emit(self.edited_text())

    def toggle_reviewed(self) -> None:
        """Mark the quote reviewed with the words as edited, or (when it is) not reviewed."""
        if self.quote is not None:
            self.review_requested.emit(self.edited_text(), not self.quote.reviewed)
