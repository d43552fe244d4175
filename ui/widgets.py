"""Small widgets shared by several screens: headings, reading-width columns, passphrase fields
with a "show what I type" tick box, a labelled form row, a button for an action, centring a
dialog."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QAccessible,
    QAction,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QHideEvent,
    QKeySequence,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

HEADING_SCALE = {1: 1.6, 2: 1.25, 3: 1.1}
"""How much larger than body text each heading level is."""


def heading_rules(point_size: float) -> str:
    """Style-sheet rules sizing headings from the body text's ``point_size``.

    Headings are sized by the style sheet, not by fonts set in code, so that changing the text
    size (which sets the style sheet again) reaches every heading in every open window, and
    kiosk mode's larger text makes larger headings.
    """
    return "\n".join(
        f'QLabel[heading="{level}"] {{ font-size: {point_size * scale:.1f}pt; font-weight: bold; }}'
        for level, scale in HEADING_SCALE.items()
    )


class Heading(QLabel):
    """A heading: larger and bold (never a different colour), announced as a heading."""

    accessible_role = QAccessible.Role.Heading  # see ui.accessibility

    def __init__(self, text: str, level: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.level = level
        self.setProperty("heading", str(level))
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setAccessibleName(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setAccessibleName(text)


class Paragraph(QLabel):
    """Body text that wraps."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)


class StatusLabel(QLabel):
    """A line saying how something stands ("All changes saved 16:27", "157 responses match").

    Its value is its accessible name, so a screen reader says the value, not only what the line
    is for (``purpose``, kept as the description and used as the name while the line is empty).
    """

    def __init__(self, purpose: str, parent: QWidget | None = None, *, rich: bool = False) -> None:
        super().__init__(parent)
        self.purpose = purpose
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.setAccessibleDescription(purpose)
        self.setAccessibleName(purpose)

    def setText(self, text: str) -> None:
        super().setText(text)
        spoken = text
        if self.textFormat() == Qt.TextFormat.RichText:
            spoken = QTextDocumentFragment.fromHtml(text).toPlainText()
        self.setAccessibleName(spoken.strip() or self.purpose)

    def clear(self) -> None:
        self.setText("")


def reading_width(widget: QWidget, chars: int, at_least: int = 0) -> int:
    """The width of ``chars`` average characters of ``widget``'s font (at least ``at_least``):
    lines of text stay readable, and a column grows with the text size instead of cutting it."""
    return max(at_least, widget.fontMetrics().averageCharWidth() * chars)


class ReadingColumn(QWidget):
    """A column at most ``chars`` characters wide (at least ``at_least`` pixels), following its
    font: larger text makes a wider column rather than cut-off words."""

    def __init__(self, chars: int, at_least: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chars = chars
        self.at_least = at_least
        self._fit()

    def _fit(self) -> None:
        self.setMaximumWidth(reading_width(self, self.chars, self.at_least))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()
        super().changeEvent(event)


def passphrase_field(name: str) -> QLineEdit:
    """A masked line edit for a passphrase, never remembered by the platform's input methods."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setInputMethodHints(
        Qt.InputMethodHint.ImhSensitiveData
        | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhHiddenText
    )
    field.setAccessibleName(name)
    return field


class ShowTyping(QCheckBox):
    """A tick box that shows or masks what is typed in some passphrase fields (all those of one
    screen at once). It unticks itself whenever its screen hides, so a passphrase never stays
    readable on a screen left behind."""

    def __init__(self, *fields: QLineEdit, text: str = "Show what I t&ype") -> None:
        super().__init__(text)
        self.fields = fields
        self.toggled.connect(self._show)

    def _show(self, on: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        for field in self.fields:
            field.setEchoMode(mode)

    def hideEvent(self, event: QHideEvent) -> None:
        self.setChecked(False)
        super().hideEvent(event)


def labelled(label_text: str, field: QWidget, hint: str = "") -> QWidget:
    """A label above its field (the label is the field's buddy), with an optional hint below."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 8)
    layout.setSpacing(4)
    label = QLabel(label_text)
    label.setBuddy(field)
    layout.addWidget(label)
    layout.addWidget(field)
    if not field.accessibleName():
        field.setAccessibleName(label_text.replace("&", ""))
    if hint:
        hint_label = Paragraph(hint)
        hint_label.setObjectName("hint")
        layout.addWidget(hint_label)
        field.setAccessibleDescription(hint)
    return box


def redo_keys() -> list[QKeySequence]:
    """Redo's keys: Ctrl+Shift+Z and the platform's own (Ctrl+Y on Windows), each once. A key
    given twice to one action makes Qt call it ambiguous and do nothing (issue 13)."""
    keys = [QKeySequence("Ctrl+Shift+Z")]
    for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo):
        if key not in keys:
            keys.append(key)
    return keys


def action_button(action: QAction) -> QPushButton:
    """A push button that triggers ``action`` and follows its enabled state."""
    button = QPushButton(action.icon(), action.text())
    button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
    button.setAutoDefault(False)
    button.clicked.connect(action.trigger)
    action.enabledChanged.connect(button.setEnabled)
    button.setEnabled(action.isEnabled())
    return button


def centre(dialog: QWidget) -> None:
    """Put ``dialog`` in the middle of its parent window, or of the screen when it has none
    showing; call just before showing it. (Window managers mostly do this themselves, but not
    every one does, and a dialog left at the screen's top-left corner is easily missed.)"""
    dialog.adjustSize()
    parent = dialog.parentWidget()
    window = parent.window() if parent is not None else None
    if window is not None and window.isVisible():
        area = window.frameGeometry()
    else:
        screen = dialog.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
    frame = dialog.frameGeometry()
    frame.moveCenter(area.center())
    dialog.move(frame.topLeft())


WINDOW_FRAME_ALLOWANCE = QSize(16, 40)
"""What a window manager's borders and title bar take around a window, at most (so far)."""


def fit_on_screen(window: QWidget) -> None:
    """A new window no larger than its screen's free area (less the window manager's title bar
    and borders), in its middle; call before it first shows. At 1366 × 768 the main window
    otherwise opened partly below the screen's edge, its status bar out of sight."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    least = window.minimumSizeHint()
    width = max(least.width(), min(window.width(), area.width() - WINDOW_FRAME_ALLOWANCE.width()))
    height = max(
        least.height(), min(window.height(), area.height() - WINDOW_FRAME_ALLOWANCE.height())
    )
    window.resize(width, height)
    framed = QRect(QPoint(0, 0), QSize(width, height) + WINDOW_FRAME_ALLOWANCE)
    framed.moveCenter(area.center())
    window.move(max(area.left(), framed.left()), max(area.top(), framed.top()))


def recovery_key_label() -> QLabel:
    """Where a recovery key is shown once: large, fixed-width (56 characters told apart: 0 and O,
    1 and l), selectable, wrapping; the caller names it for screen readers."""
    label = QLabel()
    label.setObjectName("recoveryKey")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 12) * 1.2)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    return label
