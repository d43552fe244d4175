"""Background work: slow pure functions run in a ``QThreadPool``, results come back as signals.

A worker only ever runs the function it is given (key derivation, reading a spreadsheet) and
hands its result to the GUI thread; it never touches a widget and never touches the forum
file's database, which belongs to the GUI thread alone (see ``forumkit.workspace``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")


class Cancelled(Exception):
    """Raised inside a worker's function when the user pressed Cancel."""


class Progress:
    """Given to the worker's function: report how far it got, and check for Cancel."""

    def __init__(self, emit: Callable[[int, int], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    def report(self, done: int, total: int) -> None:
        """Say ``done`` of ``total`` steps are finished; raises Cancelled if the user cancelled."""
        self.check()
        self._emit(done, total)

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _WorkerSignals(QObject):
    result = Signal(object)
    error = Signal(object)
    progress = Signal(int, int)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: _WorkerSignals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._signals = signals
        self.progress = Progress(signals.progress.emit)

    def run(self) -> None:
        try:
            value = self._work(self.progress)
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            self._signals.error.emit(exc)
        else:
            self._signals.result.emit(value)


class Task(QObject, Generic[T]):
    """One piece of background work, seen from the GUI thread.

    ``done(result)``, ``failed(exception)`` and ``progress(done, total)`` are emitted on the GUI
    thread. After :meth:`cancel`, neither ``done`` nor ``failed`` is emitted; the result, if the
    work still finished, goes to ``discard`` so it can be released (an unlocked file closed).
    """

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)
    finished = Signal()

    def __init__(self, work: Callable[[Progress], T], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _WorkerSignals()
        # Slots of an object living in the GUI thread: Qt queues the worker's emits to them.
        self._signals.result.connect(self._on_result, Qt.ConnectionType.QueuedConnection)
        self._signals.error.connect(self._on_error, Qt.ConnectionType.QueuedConnection)
        self._signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._runnable = _Runnable(work, self._signals)
        self.discard: Callable[[T], None] | None = None
        self.is_finished = False

    def cancel(self) -> None:
        self._runnable.progress._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._runnable.progress.cancelled

    @Slot(object)
    def _on_result(self, value: T) -> None:
        self.is_finished = True
        if self.cancelled:
            if self.discard is not None:
                self.discard(value)
        else:
            self.done.emit(value)
        self.finished.emit()

    @Slot(object)
    def _on_error(self, exc: BaseException) -> None:
        self.is_finished = True
        if not self.cancelled and not isinstance(exc, Cancelled):
            self.failed.emit(exc)
        self.finished.emit()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if not self.cancelled:
            self.progress.emit(done, total)


class TaskRunner(QObject):
    """Starts tasks on a thread pool and keeps them alive until they report back."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._running: set[Task[Any]] = set()

    def run(
        self,
        work: Callable[[Progress], T],
        *,
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], object] | None = None,
        busy_parent: QWidget | None = None,
        busy_text: str = "",
        cancellable: bool = False,
        discard: Callable[[T], None] | None = None,
    ) -> Task[T]:
        """Run ``work(progress)`` in a worker; ``on_done``/``on_error`` run on the GUI thread.

        With ``busy_parent``, a busy indicator (a progress bar once the work reports progress)
        shows over that window after a short moment, with Cancel when ``cancellable``.
        """
        task: Task[T] = Task(work)
        task.discard = discard
        task.done.connect(on_done)
        if on_error is not None:
            task.failed.connect(on_error)
        self._running.add(task)
        task.finished.connect(lambda: self._running.discard(task))
        if busy_parent is not None:
            _BusyIndicator(task, busy_parent, busy_text, cancellable)
        self._pool.start(task._runnable)
        return task

    @property
    def running(self) -> int:
        return len(self._running)

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for the pool's threads (for tests and shutdown); results still need events."""
        return self._pool.waitForDone(msecs)


class _BusyIndicator(QProgressDialog):
    def __init__(self, task: Task[Any], parent: QWidget, text: str, cancellable: bool) -> None:
        super().__init__(text, "Cancel" if cancellable else "", 0, 0, parent)
        self.setWindowTitle("Please wait")
        self.setAccessibleName(text or "Working")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        if not cancellable:
            self.setCancelButton(None)
        self.setMinimumDuration(400)
        self._task = task
        self.canceled.connect(task.cancel)
        task.progress.connect(self._on_progress)
        task.finished.connect(self._finish)
        # QProgressDialog shows itself after minimumDuration only when its value changes.
        self._timer = QTimer(self, singleShot=True, interval=400)
        self._timer.timeout.connect(self._show_if_running)
        self._timer.start()

    def _on_progress(self, done: int, total: int) -> None:
        self.setMaximum(total)
        self.setValue(done)

    def _show_if_running(self) -> None:
        if not self._task.is_finished:
            self.show()

    def _finish(self) -> None:
        self._timer.stop()
        self.hide()
        self.deleteLater()
