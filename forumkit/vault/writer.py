"""Saving off the database thread: one writer that encrypts and writes, newest image first.

Serializing the database must happen on the thread that owns it, but encrypting and writing
the image need only the bytes, so the app hands each image to a :class:`SaveWriter` and carries
on. The writer holds at most one image waiting: a newer image replaces one not yet started
(every image is the whole database, so the newer one holds everything the older one did), and
it starts writing once the images stop coming for a moment (:data:`SETTLE_S`), so a burst of
changes costs one write, not one each, and the GUI thread finishes a change without sharing
the interpreter with the writer. The file on disk is always a complete old or
new version (see ``storage``).

A failed write (disk full, stick unplugged, permission, the file replaced by another program)
is kept: the image stays waiting, the failure is reported in :attr:`SaveWriter.state`, and, for
failures that may pass by themselves, it is tried again after a pause, or at once when a newer
image arrives or :meth:`SaveWriter.flush` is called.

Without ``background`` (the command line, tests, scripts) there is no thread: :meth:`submit`
writes before it returns and raises what went wrong, so a command ends only once its change is
on disk.
"""

from __future__ import annotations

import atexit
import errno
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from forumkit.errors import DiskFull, ForumkitError, SaveFailed
from forumkit.vault import Vault

T = TypeVar("T")

RETRY_DELAYS_S: tuple[float, ...] = (2.0, 5.0, 15.0, 30.0, 60.0)
"""Pauses before trying a failed write again (the last one repeats)."""
SETTLE_S = 0.05
"""In the background, a write starts once no newer image has come for this long: the GUI thread
finishes the change and repaints without sharing the interpreter with the writer, and a burst
of changes is written once."""
MAX_DELAY_S = 0.5
"""…but never later than this after the oldest change waiting, however busy the user is."""


@dataclass(frozen=True)
class SaveState:
    """Where saving stands: what the status bar says."""

    saving: bool
    """A change is waiting to be written or being written."""
    error: Exception | None
    """Why the latest attempt failed (a ForumkitError for anything a user can act on); None
    when it succeeded or nothing was tried yet."""
    saved_at: datetime | None
    """When this forumkit last wrote the file."""
    generation: int
    """The file's save generation on disk, as last written or read."""

    @property
    def all_saved(self) -> bool:
        return not self.saving and self.error is None


StateListener = Callable[[SaveState], None]


@dataclass
class _Job:
    image: bytes | bytearray
    purge_backup: bool
    since: float
    """When the oldest change this image carries was handed over (``time.monotonic``)."""


def _as_save_error(vault: Vault, exc: Exception) -> Exception:
    """What went wrong, in words naming the forum file (never a temporary file beside it)."""
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return DiskFull(vault.path)  # the disk filled up during the write after all
        reason = exc.strerror or type(exc).__name__
        return SaveFailed(vault.path, reason[:1].lower() + reason[1:])
    return exc


def _retryable(exc: Exception) -> bool:
    """Failures that may pass by themselves (a full disk, a stick plugged back in)."""
    return isinstance(exc, SaveFailed)


_background_writers: weakref.WeakSet[SaveWriter] = weakref.WeakSet()


@atexit.register
def _flush_at_exit() -> None:
    # A safety net for a program that forgot to close: write what is waiting before the
    # interpreter stops the writer threads (daemon threads die mid-work otherwise).
    for writer in list(_background_writers):
        writer.close()


class SaveWriter:
    """Encrypts and writes one vault's saves; see the module's description."""

    def __init__(
        self,
        vault: Vault,
        *,
        background: bool = False,
        on_state: StateListener | None = None,
        retry_delays_s: Sequence[float] = RETRY_DELAYS_S,
        settle_s: float = SETTLE_S,
        max_delay_s: float = MAX_DELAY_S,
    ) -> None:
        self._vault = vault
        self._background = background
        self._on_state = on_state
        self._retry_delays_s = tuple(retry_delays_s) or RETRY_DELAYS_S
        self._settle_s = settle_s
        self._max_delay_s = max_delay_s
        self._cond = threading.Condition()
        self._pending: _Job | None = None
        self._busy = False
        self._error: Exception | None = None
        # When the waiting image is to be written unless someone asks sooner (None: only when
        # asked, after a failure that will not pass by itself); and whether someone asked.
        self._due_at: float | None = None
        self._urgent = False
        self._failures = 0
        self._closed = False
        self._saved_at: datetime | None = None
        self._thread: threading.Thread | None = None
        if background:
            _background_writers.add(self)

    # -- what the app sees -------------------------------------------------------------------

    @property
    def state(self) -> SaveState:
        with self._cond:
            return self._state()

    def _state(self) -> SaveState:
        return SaveState(
            saving=self._busy or (self._pending is not None and self._error is None),
            error=self._error,
            saved_at=self._saved_at,
            generation=self._vault.header.generation,
        )

    def _tell(self) -> None:
        listener = self._on_state
        if listener is not None:
            listener(self.state)

    def run_in_background(self, on_state: StateListener | None = None) -> None:
        """From now on write in a thread of our own; ``on_state`` hears every change of state
        (called from that thread: marshal it to the GUI thread)."""
        with self._cond:
            self._background = True
            self._on_state = on_state
        _background_writers.add(self)

    @property
    def background(self) -> bool:
        return self._background

    # -- saving ------------------------------------------------------------------------------

    def submit(self, image: bytes | bytearray, *, purge_backup: bool = False) -> None:
        """Write ``image`` (the whole database) as the next version of the file.

        In the background, returns at once. Otherwise returns once it is on disk, or raises
        why not (SaveFailed, FileChangedOnDisk, …); the image is then kept for a later attempt.
        """
        with self._cond:
            if self._closed:
                raise ForumkitError(f"“{self._vault.path.name}” is closed; nothing was saved.")
            waiting = self._pending
            now = time.monotonic()
            purge_backup = purge_backup or (waiting is not None and waiting.purge_backup)
            since = waiting.since if waiting is not None else now
            self._pending = _Job(image, purge_backup, since)
            self._due_at = min(now + self._settle_s, since + self._max_delay_s)
            if self._background:
                self._ensure_thread()
                self._cond.notify_all()
        self._tell()
        if not self._background:
            self._write_pending(raise_error=True)

    def flush(self, timeout_s: float | None = None) -> None:
        """Write everything waiting now, and return once it is on disk.

        Raises why it could not be written (a failed earlier attempt is tried once more first).
        TimeoutError when the write takes longer than ``timeout_s``.
        """
        if not self._background:
            self._write_pending(raise_error=True)
            return
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        with self._cond:
            if self._pending is not None:
                self._urgent = True
                self._ensure_thread()
                self._cond.notify_all()
            while self._busy or (self._pending is not None and self._urgent):
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise TimeoutError(f"saving “{self._vault.path.name}” is taking too long")
                self._cond.wait(remaining)
            if self._error is not None:
                raise self._error

    def retry(self) -> None:
        """Try a failed write again now (in the background: soon)."""
        with self._cond:
            if self._pending is None:
                return
            self._urgent = True
            self._cond.notify_all()
        if not self._background:
            self._write_pending(raise_error=False)

    def unsaved_image(self) -> tuple[bytes | bytearray, bool] | None:
        """The newest image not yet on disk and whether it carries an erasure, or None."""
        with self._cond:
            job = self._pending
            return None if job is None else (job.image, job.purge_backup)

    def discard_unsaved(self) -> None:
        """Forget the image waiting (after the user chose to discard their changes)."""
        with self._cond:
            while self._busy:
                self._cond.wait()
            self._pending = None
            self._error = None
            self._due_at = None
            self._failures = 0
        self._tell()

    def exclusive(self, work: Callable[[], T]) -> T:
        """Run ``work`` (which uses the vault) on this thread while nothing else writes."""
        with self._cond:
            while self._busy:
                self._cond.wait()
            self._busy = True
        try:
            return work()
        finally:
            with self._cond:
                self._busy = False
                self._cond.notify_all()

    def settle(self, work: Callable[[], T]) -> T:
        """Run ``work``, which puts everything on disk another way (saving as a new file); once
        it succeeds nothing is waiting any more."""
        result = self.exclusive(work)
        with self._cond:
            self._pending = None
            self._error = None
            self._due_at = None
            self._failures = 0
            self._saved_at = datetime.now().astimezone()
        self._tell()
        return result

    def close(self) -> None:
        """Stop: a write in progress, or one waiting that was never tried, is finished first; a
        write that failed is dropped (its failure was reported). Safe to call twice."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        elif not self._background:
            with self._cond:
                untried = self._pending is not None and self._error is None
            if untried:
                self._write_pending(raise_error=False)
        _background_writers.discard(self)

    # -- the work ----------------------------------------------------------------------------

    def _ensure_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name=f"forumkit writer ({self._vault.path.name})", daemon=True
            )
            self._thread.start()

    def _ready(self) -> bool:
        if self._pending is None or self._busy:
            return False
        if self._urgent or (self._closed and self._error is None):
            return True
        return self._due_at is not None and time.monotonic() >= self._due_at

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._ready():
                    if self._closed:
                        return
                    timeout = None
                    if self._due_at is not None and self._pending is not None:
                        timeout = max(0.0, self._due_at - time.monotonic())
                    self._cond.wait(timeout)
                if self._closed and self._error is not None:
                    return
            self._write_pending(raise_error=False)

    def _write_pending(self, *, raise_error: bool) -> None:
        with self._cond:
            while self._busy:
                self._cond.wait()
            job = self._pending
            if job is None:
                if raise_error and self._error is not None:
                    raise self._error
                return
            self._pending = None
            self._busy = True
            self._urgent = False
        error: Exception | None = None
        try:
            self._vault.save(job.image, purge_backup=job.purge_backup)
        except Exception as exc:
            error = _as_save_error(self._vault, exc)
        with self._cond:
            self._busy = False
            if error is None:
                self._error = None
                if self._pending is None:
                    self._due_at = None
                self._failures = 0
                self._saved_at = datetime.now().astimezone()
            else:
                newer = self._pending
                if newer is None:
                    self._pending = job
                else:
                    newer.purge_backup = newer.purge_backup or job.purge_backup
                    newer.since = min(newer.since, job.since)
                self._error = error
                self._failures += 1
                delay = self._retry_delays_s[min(self._failures, len(self._retry_delays_s)) - 1]
                self._due_at = time.monotonic() + delay if _retryable(error) else None
            self._cond.notify_all()
        self._tell()
        if error is not None and raise_error:
            raise error
