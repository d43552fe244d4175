"""Locking after idle time: a watcher of keyboard and mouse activity, and the unlock screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forumkit.workspace import Workspace
from ui import icons
from ui.context import AppContext
from ui.opening import Opener
from ui.widgets import Heading, Paragraph, ReadingColumn, ShowTyping, labelled, passphrase_field

if TYPE_CHECKING:
    from ui.main_window import MainWindow

LOCKED_BY_YOU = "you"
"""Why the file locked when someone chose Lock now (Ctrl+L), not the idle time."""

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.InputMethod,
    }
)


class IdleWatcher(QObject):
    """Emits ``idle`` after ``timeout_ms`` without keyboard, mouse or touch input in the app."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.idle)
        self._timer.setInterval(max(1, timeout_ms))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timer.setInterval(max(1, timeout_ms))
        if self._timer.isActive():
            self._timer.start()

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False

    def dispose(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()


class LockScreen(QWidget):
    """Shown in the main window while the forum file is locked: the passphrase unlocks it."""

    unlocked = Signal(object)

    def __init__(self, context: AppContext, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("lockScreen")
        self.context = context
        self._window = window
        self.opener = Opener(context, window)
        self.opener.on_try_again = self._try_again

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        # About 70 characters wide: at a large text size the column widens with the text
        # rather than cutting "Use recovery key…" short.
        column = ReadingColumn(70, 480)
        layout = QVBoxLayout(column)
        layout.setSpacing(16)
        layout.addWidget(Heading("Locked", 1))
        self.explanation = Paragraph()
        layout.addWidget(self.explanation)
        self.passphrase = passphrase_field("Passphrase")
        self.passphrase.returnPressed.connect(self.unlock)
        layout.addWidget(labelled("&Passphrase", self.passphrase))
        layout.addWidget(ShowTyping(self.passphrase))
        buttons = QHBoxLayout()
        self.unlock_button = QPushButton(icons.icon("lock"), "&Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        self.recovery_button = QPushButton(icons.icon("key"), "Use &recovery key…")
        self.recovery_button.clicked.connect(self._use_recovery_key)
        self.close_button = QPushButton("&Close forum file")
        self.close_button.clicked.connect(window.close_requested.emit)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.recovery_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def start(self, locked_by: str = "") -> None:
        """Say why the file is locked (Lock now, or nobody used forumkit for a while) and wait
        for the passphrase."""
        path = self.context.locked_path
        name = path.name if path is not None else "the forum file"
        why = (
            "You locked forumkit."
            if locked_by == LOCKED_BY_YOU
            else "forumkit locked itself because nobody used it for a while."
        )
        if self.context.unsaved is not None:
            what = (
                f"{why} “{name}” is locked, but the latest changes could not be saved: "
                f"{self.context.unsaved_reason} They are kept, encrypted, until you unlock; "
                "type the passphrase to carry on and save them."
            )
        else:
            what = (
                f"{why} “{name}” is locked: everything was saved, and anything half-typed was "
                "kept as a draft. Type the passphrase to carry on."
            )
        if self.context.demo_passphrase:
            what += (
                f" (This is the demo forum: its passphrase is “{self.context.demo_passphrase}”.)"
            )
        self.explanation.setText(what)
        self.passphrase.clear()
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def unlock(self) -> None:
        path = self.context.locked_path
        if path is None or not self.passphrase.text():
            return
        passphrase = self.passphrase.text()
        self.passphrase.clear()
        if self.context.unsaved is not None:
            self.opener.open_sealed(self.context.unsaved, passphrase, self._opened)
        else:
            self.opener.open(path, passphrase, self._opened)

    def _try_again(self) -> None:
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def _use_recovery_key(self) -> None:
        path = self.context.locked_path
        if path is None:
            return
        if self.context.unsaved is not None:
            answer = QMessageBox.question(
                self,
                "Use the recovery key",
                "The changes that could not be saved before forumkit locked open only with the "
                "passphrase. With the recovery key the file opens as it was last saved, without "
                "them. Use the recovery key anyway?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            self.context.unsaved = None
        self.opener.ask_recovery(path, self._opened)

    def _opened(self, workspace: Workspace) -> None:
        self.context.set_workspace(workspace)
        self.unlocked.emit(workspace)
