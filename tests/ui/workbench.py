"""Shared by the quotes workbench's tests: the Quotes page over a forum file, and a keyboard that
counts what it presses."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from forumkit.quotes import Quote, get_quote
from ui.app import Shell
from ui.pages.quotes import QuotesPage

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier
DIGITS = {n: getattr(Qt.Key, f"Key_{n}") for n in range(10)}


def quotes_page(shell: Shell) -> QuotesPage:
    """The main window showing its Quotes page, focus in the answer's text."""
    main = shell.main
    assert main is not None
    page = main.page("Quotes")
    assert isinstance(page, QuotesPage)
    main.show_page(main.pages.index(page))
    main.activateWindow()
    QApplication.processEvents()
    page.panel.view.setFocus()
    return page


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


@dataclass
class Keyboard:
    """Presses keys on whatever has focus, as a person would, counting each press (a chord such
    as Ctrl+A is one press) and timing each step."""

    qtbot: QtBot
    presses: int = 0
    steps: dict[str, list[float]] = field(default_factory=dict)

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = NONE, *, step: str = "") -> None:
        began = time.perf_counter()
        self.qtbot.keyClick(focused(), key, modifier)
        self.presses += 1
        if step:
            self.steps.setdefault(step, []).append((time.perf_counter() - began) * 1000)

    def digit(self, number: int, *, step: str = "") -> None:
        self.press(DIGITS[number], step=step)

    def select_right(self, characters: int) -> None:
        for _ in range(characters):
            self.press(Qt.Key.Key_Right, SHIFT)

    def right(self, characters: int) -> None:
        for _ in range(characters):
            self.press(Qt.Key.Key_Right)


def current_quote(page: QuotesPage) -> Quote:
    """The quote the workbench has chosen, as the forum file holds it now."""
    quote = page.panel.current
    assert quote is not None, page.panel.at_cursor.text()
    return get_quote(page.context.workspace.db, quote.id)
