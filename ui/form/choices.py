"""Fields for questions answered by picking: options, a drop-down, a scale, a ranking.

Each question's options sit in one group (a borderless QGroupBox) named with the question, so a
screen reader announces "Can we quote you? grouping, 1. Yes radio button" rather than two
consent questions that both read "1. Yes / 2. No". Number keys pick options (1–9) on every kind,
the drop-down included.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forumkit.capture import range_scale, scale_text
from forumkit.surveys import Question, Survey
from ui.form.fields import Field, digit_key
from ui.form.options import OptionRadio, OptionTick, ScalePoint


class _Grouped(Field):
    """A field whose inputs sit in one group named with the question."""

    def _group_box(self, horizontal: bool = False) -> QGroupBox:
        self.options = QGroupBox()
        self.options.setObjectName("options")
        self.options.setFlat(True)
        layout = QHBoxLayout(self.options) if horizontal else QVBoxLayout(self.options)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4 if horizontal else 0)
        self.box.addWidget(self.options)
        return self.options

    def describe(self, name: str, description: str) -> None:
        self.options.setAccessibleName(name)
        self.options.setAccessibleDescription(description)
        for widget in self.inputs():
            widget.setAccessibleDescription(description)


class _ButtonsField(_Grouped):
    """Choices as radio buttons or tick boxes, one per line; number keys pick them."""

    exclusive = True

    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        group_box = self._group_box()
        self.group = QButtonGroup(self)
        self.group.setExclusive(self.exclusive)
        self.buttons: list[tuple[str, OptionRadio | OptionTick]] = []
        layout = group_box.layout()
        assert layout is not None
        for number, (name, text) in enumerate(self.choice_texts(), start=1):
            button = OptionRadio() if self.exclusive else OptionTick()
            button.set_words(self._text(number, text))
            self.group.addButton(button)
            layout.addWidget(button)
            self.buttons.append((name, button))
        self.group.buttonToggled.connect(lambda *_: self.edited.emit())

    def _text(self, number: int, text: str) -> str:
        return f"{number}.  {text}" if number <= 9 else text

    def set_language(self, language: str | None) -> None:
        super().set_language(language)
        for number, ((_, text), (_, button)) in enumerate(
            zip(self.choice_texts(), self.buttons, strict=True), start=1
        ):
            button.set_words(self._text(number, text))

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
    """A long list of choices as a drop-down, with "Choose…" for no answer; number keys pick
    the first nine options, as on the other kinds of choice (the drop-down's own typing to
    find an option by its first letters still works)."""

    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        self.combo = QComboBox()
        self.combo.setMaximumWidth(560)
        self._fill()
        self.combo.currentIndexChanged.connect(lambda _: self.edited.emit())
        self.combo.installEventFilter(self)
        self.box.addWidget(self.combo)

    def _fill(self) -> None:
        current = self.value() if self.combo.count() else None
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("Choose…", None)
        for number, (name, text) in enumerate(self.choice_texts(), start=1):
            self.combo.addItem(f"{number}.  {text}" if number <= 9 else text, name)
        self.combo.blockSignals(False)
        self.set_value(current)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The drop-down takes every key it is given (to find an option by typing), so a digit
        # never reached the field: pick the option here first.
        if watched is self.combo and isinstance(event, QKeyEvent):
            number = digit_key(event) if event.type() == QEvent.Type.KeyPress else None
            if number is not None and self.pick(number):
                return True
        return super().eventFilter(watched, event)

    def pick(self, number: int) -> bool:
        if not 1 <= number <= min(9, self.combo.count() - 1) or not self.combo.isEnabled():
            return False
        self.combo.setCurrentIndex(number)
        return True

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


class RangeField(_Grouped):
    """A scale (0–10) as a row of points (see ``ui.form.options.ScalePoint``); the number keys
    pick a point directly and the arrow keys move along the scale."""

    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        self.scale = range_scale(question)
        group_box = self._group_box(horizontal=True)
        layout = group_box.layout()
        assert isinstance(layout, QHBoxLayout)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[tuple[float, ScalePoint]] = []
        for point in self.scale.points():
            button = ScalePoint(scale_text(point))
            self.group.addButton(button)
            layout.addWidget(button)
            self.buttons.append((point, button))
        layout.addStretch(1)
        self.group.buttonToggled.connect(lambda *_: self.edited.emit())

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


class RankField(_Grouped):
    """A ranking: the choices in a list, moved up and down, then confirmed with a tick."""

    def __init__(self, question: Question, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(question, survey, parent)
        group_box = self._group_box()
        layout = group_box.layout()
        assert isinstance(layout, QVBoxLayout)
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
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(self.ranked)
        self._fill([name for name, _ in self.choice_texts()])
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.ranked.toggled.connect(lambda _: self.edited.emit())

    def describe(self, name: str, description: str) -> None:
        super().describe(name, description)
        self.list.setAccessibleName(name)

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


def _same_number(value: object, point: float) -> bool:
    try:
        return float(str(value)) == point
    except ValueError:
        return False
