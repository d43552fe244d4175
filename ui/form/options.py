"""The buttons a question's options are picked with.

- :class:`OptionRadio` and :class:`OptionTick`: a radio button and a tick box whose words wrap
  onto further lines instead of being cut off (kiosk mode's large text, long options); a click
  anywhere on the words picks the option.
- :class:`ScalePoint`: one point of a 0–10 scale, a box with its number. The chosen point is
  filled and its number bold, with a heavier border, so it stands out by fill and weight, not by
  colour alone. Each point is a radio button, so a screen reader announces the scale as one
  exclusive group and the arrow keys move along it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

_WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_PREFERRED_CHARS = 48
_NARROWEST_CHARS = 12


class _Wrapped:
    """What :class:`OptionRadio` and :class:`OptionTick` add to a QRadioButton and a QCheckBox
    (a mixin, listed before the Qt class)."""

    control: QStyle.ControlElement
    contents: QStyle.SubElement
    indicator: QStyle.PixelMetric
    words = ""
    # Layouts ask for sizes thousands of times while a form is built; what they depend on (the
    # words, the font, the style) is measured once and kept until one of those changes.
    _frame: tuple[int, int, int, int, int] | None = None
    _heights: dict[int, int] | None = None

    def _button(self) -> QAbstractButton:
        assert isinstance(self, QAbstractButton)
        return self

    def set_words(self, words: str) -> None:
        """The option's words: painted wrapped, and (mnemonics escaped) the button's text, which
        is what screen readers announce."""
        button = self._button()
        self.words = words
        self._forget_sizes()
        button.setText(words.replace("&", "&&"))
        policy = button.sizePolicy()
        policy.setHeightForWidth(True)
        button.setSizePolicy(policy)
        button.updateGeometry()

    def _style_option(self) -> QStyleOptionButton:
        # Filled in here, field by field: the bindings of the button's initStyleOption and of
        # QStyleOption.initFrom each drop a reference to None when called from Python
        # (PySide6 6.12), which in time aborts the interpreter.
        button = self._button()
        State = QStyle.StateFlag
        option = QStyleOptionButton()
        option.rect = button.rect()
        option.palette = button.palette()
        option.fontMetrics = button.fontMetrics()
        option.direction = button.layoutDirection()
        state = State.State_On if button.isChecked() else State.State_Off
        if button.isEnabled():
            state |= State.State_Enabled
        if button.hasFocus():
            state |= State.State_HasFocus | State.State_KeyboardFocusChange
        if button.underMouse():
            state |= State.State_MouseOver
        if button.isDown():
            state |= State.State_Sunken
        if button.isActiveWindow():
            state |= State.State_Active
        option.state = state
        option.iconSize = button.iconSize()
        option.text = ""
        return option

    def _forget_sizes(self) -> None:
        self._frame = None
        self._heights = {}

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._forget_sizes()
        super().changeEvent(event)  # type: ignore[misc]  # the Qt class after this mixin

    def _measured(self) -> tuple[int, int, int, int, int]:
        """Left, top, right and bottom space around the words (indicator, padding, border),
        and the indicator's height."""
        if self._frame is None:
            button = self._button()
            option = self._style_option()
            option.rect = QRect(0, 0, 1000, 1000)
            inner = button.style().subElementRect(self.contents, option, button)
            indicator = button.style().pixelMetric(self.indicator, option, button)
            self._frame = (
                inner.left(),
                inner.top(),
                999 - inner.right(),
                999 - inner.bottom(),
                indicator,
            )
        return self._frame

    def _margins(self) -> tuple[int, int, int, int]:
        left, top, right, bottom, _indicator = self._measured()
        return left, top, right, bottom

    def heightForWidth(self, width: int) -> int:
        heights = self._heights if self._heights is not None else {}
        self._heights = heights
        if width not in heights:
            left, top, right, bottom, indicator = self._measured()
            room = QRect(0, 0, max(1, width - left - right), 100_000)
            text = QFontMetrics(self._button().font()).boundingRect(room, _WRAP, self.words)
            heights[width] = max(text.height(), indicator) + top + bottom
        return heights[width]

    def hasHeightForWidth(self) -> bool:
        return True

    def _size_for(self, chars: int) -> QSize:
        left, _top, right, _bottom = self._margins()
        metrics = QFontMetrics(self._button().font())
        words = metrics.horizontalAdvance(self.words) + 2
        width = left + min(words, metrics.averageCharWidth() * chars) + right
        return QSize(width, self.heightForWidth(width))

    def sizeHint(self) -> QSize:
        return self._size_for(_PREFERRED_CHARS)

    def minimumSizeHint(self) -> QSize:
        return self._size_for(_NARROWEST_CHARS)

    def hitButton(self, pos: QPoint) -> bool:
        return self._button().rect().contains(pos)

    def paintEvent(self, event: QPaintEvent) -> None:
        button = self._button()
        painter = QStylePainter(button)
        option = self._style_option()
        painter.drawControl(self.control, option)  # frame, focus border and indicator
        inner = button.style().subElementRect(self.contents, option, button)
        group = QPalette.ColorGroup.Active if button.isEnabled() else QPalette.ColorGroup.Disabled
        painter.setPen(button.palette().color(group, QPalette.ColorRole.WindowText))
        painter.drawText(inner, _WRAP, self.words)


class OptionRadio(_Wrapped, QRadioButton):
    """A radio button whose words wrap (see the module doc)."""

    control = QStyle.ControlElement.CE_RadioButton
    contents = QStyle.SubElement.SE_RadioButtonContents
    indicator = QStyle.PixelMetric.PM_ExclusiveIndicatorHeight


class OptionTick(_Wrapped, QCheckBox):
    """A tick box whose words wrap (see the module doc)."""

    control = QStyle.ControlElement.CE_CheckBox
    contents = QStyle.SubElement.SE_CheckBoxContents
    indicator = QStyle.PixelMetric.PM_IndicatorHeight


class ScalePoint(QRadioButton):
    """One point of a scale: a box with its number, filled and bold when chosen."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("scalePoint")

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self._bold())
        side = metrics.height() + 16
        return QSize(max(side, metrics.horizontalAdvance(self.text()) + 24), side)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        enabled = self.isEnabled()
        group = QPalette.ColorGroup.Active if enabled else QPalette.ColorGroup.Disabled
        chosen = self.isChecked()
        Role = QPalette.ColorRole
        fill = palette.color(group, Role.Highlight if chosen else Role.Button)
        border = palette.color(group, Role.WindowText if chosen else Role.Mid)
        width = 3.0 if chosen else 1.0
        if self.hasFocus():
            border, width = palette.color(group, Role.Highlight).darker(150), 3.0
            if chosen:
                border = palette.color(group, Role.WindowText)
        box = QRectF(self.rect()).adjusted(width / 2, width / 2, -width / 2, -width / 2)
        painter.setPen(QPen(border, width))
        painter.setBrush(fill)
        painter.drawRoundedRect(box, 4, 4)
        if self.hasFocus() and chosen:  # a second, inner ring: focus shows on the chosen point too
            painter.setPen(QPen(palette.color(group, Role.Base), 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(box.adjusted(3, 3, -3, -3), 3, 3)
        painter.setFont(self._bold() if chosen else self.font())
        painter.setPen(palette.color(group, Role.HighlightedText if chosen else Role.ButtonText))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.text())
