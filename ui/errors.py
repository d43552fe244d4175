"""One place that turns exceptions into what the user sees.

Errors the user can cause (``forumkit.errors.ForumkitError``) carry a plain sentence: it is shown
as is. Anything else is a bug: the app logs where it happened and shows an apology with "Copy
details", and keeps running. The log holds the exception's type and the file, line and function
of each traceback frame — never the exception's message or local variables, which could quote a
parent's answers or a passphrase.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

import platformdirs
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from forumkit.errors import ForumkitError
from forumkit.vault import CONFIG_DIR_ENV

LOG_NAME = "forumkit-app.log"
_MAX_LOG_BYTES = 512 * 1024


def log_dir() -> Path:
    """Where the app's error log lives: the user's data folder (the test folder under tests)."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override) / "logs"
    return Path(platformdirs.user_data_dir("forumkit", appauthor=False)) / "logs"


def describe(exc: BaseException) -> str:
    """Type and traceback frames (file, line, function) only: safe to log and to copy."""
    lines = [f"{type(exc).__module__}.{type(exc).__qualname__}"]
    for frame in traceback.extract_tb(exc.__traceback__):
        lines.append(f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}")
    cause = exc.__cause__ or exc.__context__
    if cause is not None and cause is not exc:
        lines.append("caused by " + describe(cause))
    return "\n".join(lines)


class ErrorReporter:
    """Shows errors as dialogs and logs unexpected ones. One per app, held by the AppContext."""

    def __init__(self, log_path: Path | None = None) -> None:
        self.log_path = log_path or log_dir() / LOG_NAME
        self._open: list[QMessageBox] = []
        #: The window dialogs are shown over when the caller gives none.
        self.default_parent: QWidget | None = None

    # -- showing ---------------------------------------------------------------------------

    def report(self, exc: BaseException, parent: QWidget | None = None) -> QMessageBox:
        """Show ``exc`` to the user (and log it if it is a bug); returns the dialog."""
        if isinstance(exc, ForumkitError):
            return self.show_message("That did not work", str(exc), parent)
        details = self.log(exc)
        box = self._box(
            "Something went wrong",
            "Something went wrong inside forumkit. Your forum file is safe: every change is saved "
            "as you make it, and this one was not half-done.\n\nYou can carry on. If it happens "
            "again, copy the details and send them to whoever supports forumkit for your forum; "
            "they contain no answers or names.",
            parent,
            QMessageBox.Icon.Critical,
        )
        # Made by the box (a button made here would be deleted with its Python wrapper).
        copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
        copy.setAccessibleName("Copy details")
        # ActionRole buttons would close the box; disconnect that and copy instead.
        copy.clicked.disconnect()
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        box.setDetailedText(details)
        box.open()
        return box

    def show_message(self, title: str, text: str, parent: QWidget | None = None) -> QMessageBox:
        """A plain dialog with one sentence or two and an OK button, for something that went
        wrong or needs care (a warning icon)."""
        box = self._box(title, text, parent, QMessageBox.Icon.Warning)
        box.open()
        return box

    def show_note(self, title: str, text: str, parent: QWidget | None = None) -> QMessageBox:
        """Like :meth:`show_message`, for friendly information nothing went wrong with (an
        information icon: a warning sign on good news reads as an error)."""
        box = self._box(title, text, parent, QMessageBox.Icon.Information)
        box.open()
        return box

    def _box(
        self, title: str, text: str, parent: QWidget | None, icon: QMessageBox.Icon
    ) -> QMessageBox:
        parent = parent or self.default_parent or QApplication.activeWindow()
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        box.setAccessibleName(title)
        box.setAccessibleDescription(text)
        self._open.append(box)
        box.finished.connect(lambda _result: self._forget(box))
        return box

    def _forget(self, box: QMessageBox) -> None:
        if box in self._open:
            self._open.remove(box)
        box.deleteLater()

    @property
    def open_dialogs(self) -> list[QMessageBox]:
        return list(self._open)

    def close_all(self) -> None:
        for box in list(self._open):
            box.done(0)

    # -- logging ---------------------------------------------------------------------------

    def log(self, exc: BaseException) -> str:
        """Append the safe description of ``exc`` to the log file; returns that description."""
        details = describe(exc)
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            if self.log_path.exists() and self.log_path.stat().st_size > _MAX_LOG_BYTES:
                self.log_path.replace(self.log_path.with_suffix(".old.log"))
            with self.log_path.open("a", encoding="utf-8") as handle:
                handle.write(f"{stamp} unexpected error\n{details}\n\n")
        except OSError:
            logging.getLogger(__name__).warning("could not write the error log")
        return details

    def excepthook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """For ``sys.excepthook``: errors escaping a slot become a dialog, not a crash."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        try:
            self.report(exc)
        except Exception:  # never let the error handler itself bring the app down
            self.log(exc)
