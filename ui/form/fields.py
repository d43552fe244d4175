"""One input widget per question type, all with the same small interface (:class:`Field`).

Fields only hold what was typed or picked and hand it back as a raw answer (text, a number,
choice names); the core (``forumkit.surveys.check_response``) decides whether it is acceptable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from forumkit.capture import range_scale, scale_text
from forumkit.surveys import Question, Survey

RADIO_LIMIT = 7
"""Up to this many choices show as radio buttons; longer lists as a drop-down."""
NUMBER_LIMIT = 999_999_999
EMPTY_DATE = QDate(1900, 1, 1)


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
        text = event.text()
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if (
            len(text) == 1
            and text.isdigit()
            and plain == Qt.KeyboardModifier.NoModifier
            and self.pick(int(text))
        ):
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
        self.int_spin = _BlankableSpinBox()
        self.double_spin = _BlankableDoubleSpinBox()
        self.double_spin.setDecimals(2)
        spin: QSpinBox | QDoubleSpinBox = self.int_spin if self.whole else self.double_spin
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
        if self.whole:
            self.int_spin.setValue(self.int_spin.minimum() if number is None else int(number))
        else:
            self.double_spin.setValue(self.double_spin.minimum() if number is None else number)

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


# -- choices --------------------------------------------------------------------------------------


class _ButtonsField(Field):
    """Choices as radio buttons or check boxes, one per line; number keys pick them."""

    exclusive = True

    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(self.exclusive)
        self.buttons: list[tuple[str, QAbstractButton]] = []
        for number, (name, text) in enumerate(self.choice_texts(), start=1):
            button: QAbstractButton = QRadioButton() if self.exclusive else QCheckBox()
            button.setText(self._text(number, text))
            self.group.addButton(button)
            self.box.addWidget(button)
            self.buttons.append((name, button))
        self.group.buttonToggled.connect(lambda *_: self.edited.emit())

    def _text(self, number: int, text: str) -> str:
        return f"{number}.  {text}" if number <= 9 else text

    def set_language(self, language: str | None) -> None:
        super().set_language(language)
        for number, ((_, text), (_, button)) in enumerate(
            zip(self.choice_texts(), self.buttons, strict=True), start=1
        ):
            button.setText(self._text(number, text))

    def inputs(self) -> list[QWidget]:
        return [button for _, button in self.buttons]

    def pick(self, number: int) -> bool:
        if not 1 <= number <= min(9, len(self.buttons)) or not self.isEnabled():
            return False
        button = self.buttons[number - 1][1]
        if not button.isEnabled():
            return False
        button.setChecked(not button.isChecked() if not self.exclusive else True)
        button.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def _set_checked(self, names: set[str]) -> None:
        self.group.blockSignals(True)
        self.group.setExclusive(False)
        for name, button in self.buttons:
            button.setChecked(name in names)
        self.group.setExclusive(self.exclusive)
        self.group.blockSignals(False)


class RadioField(_ButtonsField):
    exclusive = True

    def value(self) -> object | None:
        return next((name for name, button in self.buttons if button.isChecked()), None)

    def set_value(self, value: object | None) -> None:
        self._set_checked(set() if value is None else {str(value)})


class CheckField(_ButtonsField):
    exclusive = False

    def value(self) -> object | None:
        picked = tuple(name for name, button in self.buttons if button.isChecked())
        return picked or None

    def set_value(self, value: object | None) -> None:
        if isinstance(value, str):
            value = value.split()
        names = {str(v) for v in value} if isinstance(value, tuple | list | set) else set()
        self._set_checked(names)


class ComboField(Field):
    """A long list of choices as a drop-down, with "Choose…" for no answer."""

    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        self.combo = QComboBox()
        self.combo.setMaximumWidth(560)
        self._fill()
        self.combo.currentIndexChanged.connect(lambda _: self.edited.emit())
        self.box.addWidget(self.combo)

    def _fill(self) -> None:
        current = self.value() if self.combo.count() else None
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("Choose…", None)
        for name, text in self.choice_texts():
            self.combo.addItem(text, name)
        self.combo.blockSignals(False)
        self.set_value(current)

    def set_language(self, language: str | None) -> None:
        super().set_language(language)
        self._fill()

    def value(self) -> object | None:
        data = self.combo.currentData()
        return str(data) if data is not None else None

    def set_value(self, value: object | None) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))

    def inputs(self) -> list[QWidget]:
        return [self.combo]


class RangeField(Field):
    """A scale (0–10) as a row of buttons; the number keys pick a point directly."""

    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        self.scale = range_scale(question)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[tuple[float, QPushButton]] = []
        for point in self.scale.points():
            button = QPushButton(scale_text(point))
            button.setCheckable(True)
            button.setMinimumWidth(40)
            button.setAutoDefault(False)
            self.group.addButton(button)
            row.addWidget(button)
            self.buttons.append((point, button))
        row.addStretch(1)
        self.box.addLayout(row)
        self.group.buttonToggled.connect(lambda *_: self.edited.emit())

    def describe(self, name: str, description: str) -> None:
        for point, button in self.buttons:
            button.setAccessibleName(f"{scale_text(point)}")
            button.setAccessibleDescription(f"{name} {description}".strip())

    def value(self) -> object | None:
        for point, button in self.buttons:
            if button.isChecked():
                return int(point) if point.is_integer() else point
        return None

    def set_value(self, value: object | None) -> None:
        self.group.blockSignals(True)
        self.group.setExclusive(False)
        for point, button in self.buttons:
            button.setChecked(value is not None and _same_number(value, point))
        self.group.setExclusive(True)
        self.group.blockSignals(False)

    def inputs(self) -> list[QWidget]:
        return [button for _, button in self.buttons]

    def pick(self, number: int) -> bool:
        for point, button in self.buttons:
            if point == number and button.isEnabled():
                button.setChecked(True)
                button.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
        return False


class RankField(Field):
    """A ranking: the choices in a list, moved up and down, then confirmed with a tick."""

    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        self.list = QListWidget()
        self.list.setMaximumHeight(24 * (len(self.choice_texts()) + 1))
        self.up = QPushButton("Move up")
        self.down = QPushButton("Move down")
        self.ranked = QCheckBox("This is my order")
        for button in (self.up, self.down):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.up)
        buttons.addWidget(self.down)
        buttons.addStretch(1)
        self.box.addWidget(self.list)
        self.box.addLayout(buttons)
        self.box.addWidget(self.ranked)
        self._fill([name for name, _ in self.choice_texts()])
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.ranked.toggled.connect(lambda _: self.edited.emit())

    def _fill(self, order: list[str]) -> None:
        texts = dict(self.choice_texts())
        self.list.clear()
        for name in order:
            item = QListWidgetItem(texts.get(name, name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
        self.list.setCurrentRow(0)

    def _order(self) -> list[str]:
        return [
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())
        ]

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        if self.ranked.isChecked():
            self.edited.emit()

    def set_language(self, language: str | None) -> None:
        super().set_language(language)
        self._fill(self._order())

    def value(self) -> object | None:
        return tuple(self._order()) if self.ranked.isChecked() else None

    def set_value(self, value: object | None) -> None:
        names = [name for name, _ in self.choice_texts()]
        if isinstance(value, str):
            value = value.split()
        if isinstance(value, tuple | list) and value:
            given = [str(v) for v in value]
            self._fill(given + [n for n in names if n not in given])
            self.ranked.setChecked(True)
        else:
            self._fill(names)
            self.ranked.setChecked(False)

    def inputs(self) -> list[QWidget]:
        return [self.list, self.up, self.down, self.ranked]


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


def _same_number(value: object, point: float) -> bool:
    try:
        return float(str(value)) == point
    except ValueError:
        return False


FieldFactory = Callable[[Question, Survey], Field]


def field_for(question: Question, survey: Survey) -> Field | None:
    """The input widget for ``question``; None for rows with nothing to type (notes, metadata)."""
    kind = question.type
    if kind == "text":
        return TextField(question, survey)
    if kind in ("integer", "decimal"):
        return NumberField(question, survey)
    if kind == "date":
        return DateField(question, survey)
    if kind in ("time", "datetime"):
        return TextEntryField(question, survey)
    if kind == "select_one":
        choices = (
            survey.choices_for(question).names_with_other()
            if question.or_other
            else (survey.choices_for(question).names())
        )
        if len(choices) <= RADIO_LIMIT:
            return RadioField(question, survey)
        return ComboField(question, survey)
    if kind == "select_multiple":
        return CheckField(question, survey)
    if kind == "rank":
        return RankField(question, survey)
    if kind == "range":
        if len(range_scale(question).points()) <= 21:
            return RangeField(question, survey)
        return NumberField(question, survey)
    if kind == "acknowledge":
        return AcknowledgeField(question, survey)
    return None
