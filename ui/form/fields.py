"""One input widget per question type, all with the same small interface (:class:`Field`).

Fields only hold what was typed or picked and hand it back as a raw answer (text, a number,
choice names); the core (``forumkit.surveys.check_response``) decides whether it is acceptable.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QDateEdit,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from forumkit.surveys import Question, Survey

RADIO_LIMIT = 7
"""Up to this many choices show as radio buttons; longer lists as a drop-down."""
NUMBER_LIMIT = 999_999_999
EMPTY_DATE = QDate(1900, 1, 1)


def digit_key(event: QKeyEvent) -> int | None:
    """The number a plain digit key stands for (top row or keypad), else None."""
    text = event.text()
    plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if len(text) == 1 and text.isdigit() and plain == Qt.KeyboardModifier.NoModifier:
        return int(text)
    return None


class Field(QWidget):
    """An input for one question: ``value()`` is the raw answer, None when unanswered."""

    edited = Signal()

    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.survey = survey
        self.language: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.box = layout

    # Every concrete field (one per question type, below) overrides these three; Field itself
    # is never built (Qt's metaclass rules out abc.ABC here).
    def value(self) -> object | None:
        """The raw answer as typed, None when unanswered."""
        raise NotImplementedError

    def set_value(self, value: object | None) -> None:
        """Show ``value`` (None clears the field)."""
        raise NotImplementedError

    def clear(self) -> None:
        self.set_value(None)

    def inputs(self) -> list[QWidget]:
        """The focusable widgets, in Tab order."""
        raise NotImplementedError

    def set_language(self, language: str | None) -> None:
        self.language = language

    def pick(self, number: int) -> bool:
        """A number key was pressed on the field: pick that option if there is one."""
        return False

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.inputs():
            widget.setEnabled(not read_only)

    def describe(self, name: str, description: str) -> None:
        """Give every input the question as its accessible name (options keep their text)."""
        for widget in self.inputs():
            if not isinstance(widget, QAbstractButton):
                widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)

    def choice_texts(self) -> list[tuple[str, str]]:
        """(name, label) of the question's choices in the current language, with "Other"."""
        return list(self.survey.choice_labels(self.question, self.language).items())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        number = digit_key(event)
        if number is not None and self.pick(number):
            event.accept()
            return
        super().keyPressEvent(event)


# -- text ---------------------------------------------------------------------------------------


class TextField(Field):
    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        self.multiline = "multi" in question.appearance
        self.editor: QLineEdit | QPlainTextEdit
        if self.multiline:
            editor = QPlainTextEdit()
            editor.setTabChangesFocus(True)
            editor.setMinimumHeight(96)
            editor.textChanged.connect(self.edited)
            self.editor = editor
        else:
            line = QLineEdit()
            line.textEdited.connect(self.edited)
            self.editor = line
        self.box.addWidget(self.editor)

    def value(self) -> object | None:
        text = (
            self.editor.toPlainText()
            if isinstance(self.editor, QPlainTextEdit)
            else self.editor.text()
        )
        return text if text.strip() else None

    def set_value(self, value: object | None) -> None:
        text = "" if value is None else str(value)
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.blockSignals(True)
            self.editor.setPlainText(text)
            self.editor.blockSignals(False)
        else:
            self.editor.setText(text)

    def inputs(self) -> list[QWidget]:
        return [self.editor]

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)


class TextEntryField(Field):
    """Times and date-times typed as text (the core reads HH:MM and YYYY-MM-DD HH:MM)."""

    PLACEHOLDERS: ClassVar[dict[str, str]] = {"time": "HH:MM", "datetime": "YYYY-MM-DD HH:MM"}

    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        self.editor = QLineEdit()
        self.editor.setPlaceholderText(self.PLACEHOLDERS.get(question.type, ""))
        self.editor.setMaximumWidth(240)
        self.editor.textEdited.connect(self.edited)
        self.box.addWidget(self.editor)

    def value(self) -> object | None:
        text = self.editor.text().strip()
        return text or None

    def set_value(self, value: object | None) -> None:
        if isinstance(value, dt.datetime):
            value = value.isoformat(sep=" ", timespec="minutes")
        elif isinstance(value, dt.time):
            value = value.isoformat(timespec="minutes")
        self.editor.setText("" if value is None else str(value))

    def inputs(self) -> list[QWidget]:
        return [self.editor]


# -- numbers --------------------------------------------------------------------------------------


class _BlankableSpinBox(QSpinBox):
    """A spin box whose lowest value stands for "no answer" and shows as empty."""

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if not text.strip():
            return QValidator.State.Acceptable, text, pos
        return super().validate(text, pos)

    def valueFromText(self, text: str) -> int:
        if not text.strip():
            return self.minimum()
        return super().valueFromText(text)


class _BlankableDoubleSpinBox(QDoubleSpinBox):
    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if not text.strip():
            return QValidator.State.Acceptable, text, pos
        return super().validate(text, pos)

    def valueFromText(self, text: str) -> float:
        if not text.strip():
            return self.minimum()
        return super().valueFromText(text)


class NumberField(Field):
    """Whole numbers or decimals in a spin box; empty means no answer."""

    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        self.whole = question.type == "integer"
        spin: QSpinBox | QDoubleSpinBox
        if self.whole:
            spin = _BlankableSpinBox()
        else:
            spin = _BlankableDoubleSpinBox()
            spin.setDecimals(2)
        spin.setRange(-NUMBER_LIMIT - 1, NUMBER_LIMIT)
        spin.setSpecialValueText(" ")
        spin.setMaximumWidth(200)
        spin.setMinimumWidth(120)
        spin.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        spin.setCorrectionMode(QSpinBox.CorrectionMode.CorrectToPreviousValue)
        spin.valueChanged.connect(lambda _: self.edited.emit())
        self.spin = spin
        self.clear()
        self.box.addWidget(spin)

    def value(self) -> object | None:
        if self.spin.value() == self.spin.minimum():
            return None
        return self.spin.value()

    def set_value(self, value: object | None) -> None:
        try:
            number = float(str(value)) if value is not None and value != "" else None
        except ValueError:
            number = None
        if isinstance(self.spin, QSpinBox):
            self.spin.setValue(self.spin.minimum() if number is None else int(number))
        else:
            self.spin.setValue(self.spin.minimum() if number is None else number)

    def inputs(self) -> list[QWidget]:
        return [self.spin]


class DateField(Field):
    """A date with a calendar pop-up; the earliest date stands for "no answer"."""

    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setMinimumDate(EMPTY_DATE)
        self.edit.setSpecialValueText(" ")
        self.edit.setDate(EMPTY_DATE)
        self.edit.setMaximumWidth(200)
        self.edit.dateChanged.connect(self.edited)
        self.box.addWidget(self.edit)

    def value(self) -> object | None:
        date = self.edit.date()
        if date == EMPTY_DATE:
            return None
        return dt.date(date.year(), date.month(), date.day())

    def set_value(self, value: object | None) -> None:
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value[:10])
            except ValueError:
                value = None
        if isinstance(value, dt.date):
            self.edit.setDate(QDate(value.year, value.month, value.day))
        else:
            self.edit.setDate(EMPTY_DATE)

    def inputs(self) -> list[QWidget]:
        return [self.edit]


class AcknowledgeField(Field):
    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        self.check = QCheckBox("OK")
        self.check.toggled.connect(lambda _: self.edited.emit())
        self.box.addWidget(self.check)

    def value(self) -> object | None:
        return True if self.check.isChecked() else None

    def set_value(self, value: object | None) -> None:
        self.check.setChecked(value is True or str(value).lower() in ("ok", "yes", "true", "1"))

    def inputs(self) -> list[QWidget]:
        return [self.check]
