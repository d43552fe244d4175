"""How the app ends, and what an app that could not end properly left behind.

Ctrl+Q closes the forum file (half-typed answers kept as drafts) and removes the demo forum's
temporary folder. A logout, ``kill`` or a closed terminal (SIGTERM, SIGHUP, SIGINT) ends the
app the same way: Qt's event loop runs C++ code, where a Python signal handler cannot run, so
the signal is written to a socket (``signal.set_wakeup_fd``) that the event loop watches, and
the handler asks the app to quit as Ctrl+Q does.

Only a SIGKILL or a power cut leaves a demo folder behind. Each demo folder holds a lock
(``QLockFile``) for as long as its app runs, so the next start can tell a folder whose app is
gone (removed) from one another running forumkit is using (left alone).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication

DEMO_PREFIX = "forumkit-demo-"
LOCK_NAME = ".in-use.lock"
NEW_FOLDER_GRACE_S = 60
"""A demo folder without a lock this young may be one another app is just making."""

QUIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)


def _lock(folder: Path) -> QLockFile:
    lock = QLockFile(str(folder / LOCK_NAME))
    lock.setStaleLockTime(0)  # stale only when its process is gone, however long it has run
    return lock


class DemoFolder:
    """The demo forum's temporary folder, locked while this app runs."""

    def __init__(self, parent: Path | None = None, *, existing: Path | None = None) -> None:
        self.path = existing or Path(tempfile.mkdtemp(prefix=DEMO_PREFIX, dir=parent))
        self._lock = _lock(self.path)
        self._lock.tryLock(0)

    @classmethod
    def adopt(cls, path: Path) -> DemoFolder:
        """The folder the previous process of this app made (``ui.restart``). Its lock file
        names this very process id (``execv`` keeps it), so other apps still see it in use
        even where the lock cannot be taken again."""
        return cls(existing=path)

    def __contains__(self, path: Path) -> bool:
        return Path(path).is_relative_to(self.path)

    def cleanup(self) -> None:
        """Remove the folder and everything in it (the demo forum file and its backup)."""
        self._lock.unlock()
        shutil.rmtree(self.path, ignore_errors=True)


def remove_stale_demo_folders(parent: Path | None = None) -> list[Path]:
    """Remove demo folders whose app is gone (killed, or from a crash); returns them.

    A folder is left alone when another running app holds its lock, when it belongs to another
    user, and when it has no lock yet and is less than a minute old.
    """
    where = Path(tempfile.gettempdir() if parent is None else parent)
    removed: list[Path] = []
    for folder in sorted(where.glob(f"{DEMO_PREFIX}*")):
        try:
            info = folder.lstat()
        except OSError:
            continue
        if not folder.is_dir() or folder.is_symlink():
            continue
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            continue
        if not (folder / LOCK_NAME).exists() and time.time() - info.st_mtime < NEW_FOLDER_GRACE_S:
            continue
        lock = _lock(folder)
        if not lock.tryLock(0):
            continue  # another forumkit is using it
        lock.unlock()
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
    return removed


class QuitOnSignals(QObject):
    """While it lives, SIGTERM, SIGHUP and SIGINT call ``quit`` (once) from the event loop."""

    def __init__(self, app: QApplication, quit: Callable[[], None]) -> None:
        super().__init__(app)
        self._quit = quit
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {number: signal.signal(number, self._received) for number in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._quitting = False

    def _received(self, number: int, _frame: object) -> None:
        # Runs on the main thread at the next Python step, which _drain's wake-up provides.
        if not self._quitting:
            self._quitting = True
            self._quit()

    def _drain(self) -> None:
        try:
            while self._reader.recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass

    def restore(self) -> None:
        """Put back the handlers that were there before."""
        self._notifier.setEnabled(False)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()
