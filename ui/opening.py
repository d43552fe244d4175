"""Opening a forum file: passphrase, recovery key, the writer lock, and the background work.

The slow half (the lock, key derivation, decryption, loading the database and its search
indexes, a new passphrase slot) runs in a worker (``forumkit.workspace.unlock`` and friends);
``Workspace.from_unlocked`` finishes on the GUI thread, which owns the database from then on.

When another forumkit has the file open, the user is told who and since when, and may open it
read-only, or, when that forumkit is gone (a crash, another computer long unused), open it
anyway after confirming.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from forumkit.errors import (
    CannotOpenForWriting,
    FileLocked,
    FileReadOnly,
    WeakPassphrase,
    WrongPassphrase,
)
from forumkit.vault import SealedImage, WriterLock, check_new_passphrase, marked_read_only
from forumkit.workspace import (
    UnlockedFile,
    Workspace,
    unlock,
    unlock_sealed,
    unlock_with_recovery_key,
)
from ui.context import AppContext
from ui.tasks import Progress
from ui.widgets import Heading, Paragraph, ShowTyping, centre, labelled, passphrase_field

WRONG_PASSPHRASE = "The passphrase is not right. Check Caps Lock, or use your recovery key."

Opened = Callable[[Workspace], None]


def _discard(unlocked: UnlockedFile) -> None:
    unlocked.discard()


@dataclass(frozen=True)
class Access:
    """How to open: for writing (the default), read-only, or breaking a stale lock."""

    read_only: bool = False
    break_stale_lock: bool = False


Retry = Callable[[Access], None]


class PassphraseDialog(QDialog):
    """Asks for the passphrase of one forum file."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open forum file")
        self.setAccessibleName("Open forum file")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(f"Open “{path.name}”", 2))
        self.passphrase = passphrase_field("Passphrase")
        layout.addWidget(labelled("&Passphrase", self.passphrase))
        layout.addWidget(ShowTyping(self.passphrase))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def showEvent(self, event: QShowEvent) -> None:
        centre(self)
        super().showEvent(event)


class RecoveryDialog(QDialog):
    """Open with the printed recovery key, and choose a new passphrase at the same time."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Use your recovery key")
        self.setAccessibleName("Use your recovery key")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(f"Open “{path.name}” with its recovery key", 2))
        layout.addWidget(
            Paragraph(
                "Type the recovery key you printed or saved when the forum file was made "
                "(spaces and dashes do not matter), then choose a new passphrase."
            )
        )
        self.recovery_key = QPlainTextEdit()
        self.recovery_key.setTabChangesFocus(True)
        self.recovery_key.setFixedHeight(64)
        layout.addWidget(labelled("&Recovery key", self.recovery_key))
        self.new_passphrase = passphrase_field("New passphrase")
        self.repeat = passphrase_field("New passphrase again")
        layout.addWidget(labelled("&New passphrase", self.new_passphrase, "At least 8 characters."))
        layout.addWidget(labelled("New passphrase &again", self.repeat))
        layout.addWidget(ShowTyping(self.new_passphrase, self.repeat))
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setObjectName("error")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def showEvent(self, event: QShowEvent) -> None:
        centre(self)
        super().showEvent(event)

    def _check(self) -> None:
        problem = ""
        if not self.recovery_key.toPlainText().strip():
            problem = "Type the recovery key."
        elif self.new_passphrase.text() != self.repeat.text():
            problem = "The two new passphrases are not the same."
        else:
            try:
                check_new_passphrase(self.new_passphrase.text())
            except WeakPassphrase as exc:
                problem = str(exc)
        if problem:
            self.problem.setText(problem)
            self.problem.setAccessibleName(problem)
            self.problem.show()
            return
        self.accept()


class Opener:
    """The open-a-file flows shared by the start screen and the lock screen."""

    def __init__(self, context: AppContext, parent: QWidget) -> None:
        self.context = context
        self.parent = parent
        #: The dialog last shown by these flows (for tests).
        self.dialog: QDialog | None = None
        #: What "Try again" does; by default the passphrase dialog is asked again.
        self.on_try_again: Callable[[], None] | None = None

    def ask_and_open(self, path: Path, on_opened: Opened) -> QDialog:
        """Ask for the passphrase in a dialog, then open. When another forumkit has the file,
        or it is marked read-only, say so first (before a passphrase is typed for nothing)."""
        locked: CannotOpenForWriting | None = WriterLock.probe(path)
        if locked is None and marked_read_only(path):
            locked = FileReadOnly(path)
        if locked is not None:

            def then(access: Access) -> None:
                self._ask(path, on_opened, access)

            return self.locked(path, locked, then)
        return self._ask(path, on_opened, Access())

    def _ask(self, path: Path, on_opened: Opened, access: Access) -> PassphraseDialog:
        dialog = PassphraseDialog(path, self.parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog

        def accepted() -> None:
            self.open(path, dialog.passphrase.text(), on_opened, access)

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def open(
        self, path: Path, passphrase: str, on_opened: Opened, access: Access | None = None
    ) -> None:
        """Unlock in a worker (busy indicator shown), then open on this thread."""
        access = access or Access()

        def work(_progress: Progress) -> UnlockedFile:
            return unlock(
                path,
                passphrase,
                read_only=access.read_only,
                break_stale_lock=access.break_stale_lock,
            )

        def done(unlocked: UnlockedFile) -> None:
            self._finish(lambda: Workspace.from_unlocked(unlocked), on_opened)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, WrongPassphrase):
                self.wrong_passphrase(path, on_opened)
            elif isinstance(exc, CannotOpenForWriting):
                self.locked(path, exc, lambda again: self.open(path, passphrase, on_opened, again))
            else:
                self.context.errors.report(exc, self.parent)

        self.context.tasks.run(
            work,
            on_done=done,
            on_error=failed,
            busy_parent=self.parent,
            busy_text=f"Opening “{path.name}”…",
            discard=_discard,
        )

    def open_sealed(
        self, sealed: SealedImage, passphrase: str, on_opened: Opened, access: Access | None = None
    ) -> None:
        """Unlock changes kept sealed in memory when the file locked unsaved, with the file."""
        access = access or Access()

        def work(_progress: Progress) -> UnlockedFile:
            return unlock_sealed(sealed, passphrase, break_stale_lock=access.break_stale_lock)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, WrongPassphrase):
                self.wrong_passphrase(sealed.path, on_opened)
            elif isinstance(exc, FileLocked) and exc.stale:
                self.locked(
                    sealed.path,
                    exc,
                    lambda again: self.open_sealed(sealed, passphrase, on_opened, again),
                    read_only=False,
                )
            else:
                self.context.errors.report(exc, self.parent)

        self._unlock_in_background(work, failed, on_opened, f"Unlocking “{sealed.path.name}”…")

    def _unlock_in_background(
        self,
        work: Callable[[Progress], UnlockedFile],
        failed: Callable[[BaseException], None],
        on_opened: Opened,
        busy_text: str,
    ) -> None:
        """Unlock in a worker; open the result on this thread (the database's own)."""
        self.context.tasks.run(
            work,
            on_done=lambda unlocked: self._finish(
                lambda: Workspace.from_unlocked(unlocked), on_opened
            ),
            on_error=failed,
            busy_parent=self.parent,
            busy_text=busy_text,
            discard=_discard,
        )

    def _finish(self, make: Callable[[], Workspace], on_opened: Opened) -> None:
        try:
            workspace = make()
        except Exception as exc:
            self.context.errors.report(exc, self.parent)
            return
        on_opened(workspace)

    def locked(
        self, path: Path, problem: CannotOpenForWriting, then: Retry, *, read_only: bool = True
    ) -> QMessageBox:
        """Another forumkit has the file (or it is marked read-only, or its folder cannot be
        written): say who and since when; offer to open it read-only, or anyway when that
        forumkit is gone."""
        stale = isinstance(problem, FileLocked) and problem.stale
        title = "Forum file in use"
        if isinstance(problem, FileReadOnly):
            title = "Forum file is read-only"
        box = QMessageBox(
            QMessageBox.Icon.Information,
            title,
            str(problem),
            QMessageBox.StandardButton.NoButton,
            self.parent,
        )
        box.setAccessibleName(title)
        box.setAccessibleDescription(str(problem))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        anyway = box.addButton("Open anyway", QMessageBox.ButtonRole.AcceptRole) if stale else None
        reading = (
            box.addButton("Open read-only", QMessageBox.ButtonRole.ActionRole)
            if read_only
            else None
        )
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(reading or cancel)
        box.setEscapeButton(cancel)

        def clicked(button: QAbstractButton) -> None:
            if anyway is not None and button is anyway:
                then(Access(break_stale_lock=True))
            elif reading is not None and button is reading:
                then(Access(read_only=True))

        box.buttonClicked.connect(clicked)
        self.dialog = box
        box.open()
        return box

    def wrong_passphrase(self, path: Path, on_opened: Opened) -> QMessageBox:
        """The plain "not right" dialog, with a way to use the recovery key instead."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Passphrase not right",
            WRONG_PASSPHRASE,
            QMessageBox.StandardButton.NoButton,
            self.parent,
        )
        box.setAccessibleName("Passphrase not right")
        box.setAccessibleDescription(WRONG_PASSPHRASE)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        try_again = box.addButton("Try again", QMessageBox.ButtonRole.AcceptRole)
        recovery = box.addButton("Use recovery key…", QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(try_again)

        def clicked(button: QAbstractButton) -> None:
            if button is recovery:
                self.ask_recovery(path, on_opened)
            elif self.on_try_again is not None:
                self.on_try_again()
            else:
                self.ask_and_open(path, on_opened)

        box.buttonClicked.connect(clicked)
        self.dialog = box
        box.open()
        return box

    def ask_recovery(self, path: Path, on_opened: Opened) -> RecoveryDialog:
        """Ask for the recovery key and a new passphrase, then open and save the new one."""
        dialog = RecoveryDialog(path, self.parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog

        def accepted() -> None:
            self.open_with_recovery_key(
                path,
                dialog.recovery_key.toPlainText(),
                dialog.new_passphrase.text(),
                on_opened,
            )

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def open_with_recovery_key(
        self,
        path: Path,
        recovery_key: str,
        new_passphrase: str,
        on_opened: Opened,
        access: Access | None = None,
    ) -> None:
        """Recovery, as the command line does it (``forumkit.workspace``'s one recovery path):
        the slow half in a worker, then the new passphrase is saved as the file opens."""
        access = access or Access()

        def work(_progress: Progress) -> UnlockedFile:
            return unlock_with_recovery_key(
                path, recovery_key, new_passphrase, break_stale_lock=access.break_stale_lock
            )

        def failed(exc: BaseException) -> None:
            if isinstance(exc, FileLocked) and exc.stale:
                self.locked(
                    path,
                    exc,
                    lambda again: self.open_with_recovery_key(
                        path, recovery_key, new_passphrase, on_opened, again
                    ),
                    read_only=False,
                )
            else:
                self.context.errors.report(exc, self.parent)

        self._unlock_in_background(
            work, failed, on_opened, f"Opening “{path.name}” with the recovery key…"
        )
