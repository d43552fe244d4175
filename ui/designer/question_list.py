"""The designer's question list: the survey's rows in order, sections indented, reordered by
dragging or with Alt+Up / Alt+Down. The list only asks; the core (``forumkit.surveys.move_to``
and ``move_by``) decides where a row lands, and the list is then drawn again from the survey."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from forumkit.surveys import KINDS, Survey, kind_of

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
POSITION_ROLE = Qt.ItemDataRole.UserRole + 2


def row_text(survey: Survey, index: int) -> str:
    """How one element reads in the list: a section's heading, a question with its kind and
    "(required)", or the end of a section."""
    element = survey.elements[index]
    indent = "    " * len(element.group)
    if element.type == "end_group":
        return f"{indent}— end of section —"
    label = survey.label(element)
    if element.type == "begin_group":
        return f"{indent}§ {label}"
    kind = KINDS.get(kind_of(survey, element))
    words = kind.words if kind is not None else element.type
    required = " (required)" if element.required else ""
    skip = " · shown only sometimes" if element.relevant else ""
    consent = " · consent" if element.name in (survey.consent_quote, survey.consent_share) else ""
    return f"{indent}{label}{required} — {words}{skip}{consent}"


class QuestionList(QListWidget):
    """Every row of the survey; ``move_requested(name, position)`` when one is dragged and
    ``step_requested(name, step)`` for Alt+Up (-1) and Alt+Down (+1)."""

    move_requested = Signal(str, int)
    step_requested = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("designerQuestions")
        self.setAccessibleName("Questions, in the order parents see them")
        self.setAccessibleDescription(
            "Alt+Up and Alt+Down move the selected question; sections move whole."
        )
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)

    def show_survey(self, survey: Survey, selected: str | None) -> None:
        """Draw the list from ``survey`` again, keeping ``selected`` selected."""
        self.blockSignals(True)
        self.clear()
        chosen: QListWidgetItem | None = None
        for index, element in enumerate(survey.elements):
            item = QListWidgetItem(row_text(survey, index))
            item.setData(NAME_ROLE, element.name)
            item.setData(POSITION_ROLE, index)
            if element.type == "end_group":
                # The end of a section is where it ends, not something to select or drag.
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            else:
                font = item.font()
                font.setBold(element.type == "begin_group")
                item.setFont(font)
                if element.name == selected:
                    chosen = item
            self.addItem(item)
        if chosen is not None:
            self.setCurrentItem(chosen)
        self.blockSignals(False)

    def selected_name(self) -> str | None:
        item = self.currentItem()
        if item is None or not item.isSelected():
            return None
        return str(item.data(NAME_ROLE)) or None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        name = self.selected_name()
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if name and alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step_requested.emit(name, -1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Ask the core to move the dragged row; Qt's own move is not used."""
        name = self.selected_name()
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if not name:
            return
        self.move_requested.emit(
            name, self.drop_position(self.indexAt(event.position().toPoint()), event)
        )

    def drop_position(self, index: QModelIndex, event: QDropEvent) -> int:
        """The element position a drop lands before: above the row under the pointer, or after
        it when the pointer is in its lower half; the end below the last row."""
        if not index.isValid():
            return self.count()
        rect = self.visualRect(index)
        below = event.position().toPoint().y() > rect.center().y()
        return index.row() + (1 if below else 0)
