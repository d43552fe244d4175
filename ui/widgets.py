"""Small widgets shared by several screens: headings that follow the text size, passphrase
fields, a labelled form row, a button for an action."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

_HEADING_SCALE = {1: 1.6, 2: 1.25, 3: 1.1}


class Heading(QLabel):
    """A heading: larger and bold, scaling with View → Text size (never a different colour)."""

    def __init__(self, text: str, level: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._level = level
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setAccessibleName(text)
        self._apply_font()

    def _apply_font(self) -> None:
        font = QFont(QApplication.font())
        size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        font.setPointSizeF(size * _HEADING_SCALE.get(self._level, 1.0))
        font.setBold(True)
        self.setFont(font)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setAccessibleName(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ApplicationFontChange:
            self._apply_font()
        super().changeEvent(event)


class Paragraph(QLabel):
    """Body text that wraps."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)


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


def action_button(action: QAction) -> QPushButton:
    """A push button that triggers ``action`` and follows its enabled state."""
    button = QPushButton(action.icon(), action.text())
    button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
    button.setAutoDefault(False)
    button.clicked.connect(action.trigger)
    action.enabledChanged.connect(button.setEnabled)
    button.setEnabled(action.isEnabled())
    return button
