"""One writer at a time: the advisory lock beside a forum file.

Two forumkit processes saving one file would each overwrite the other's work, so opening a file
for writing takes a lock that every forumkit sees:

- a lock file beside the forum file (``.NAME.lock``) saying who holds it: the computer's name,
  the process id and since when, nothing about the forum or its people;
- an operating-system lock on that file (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on
  Windows), which the system drops by itself when the holder's process ends, so a lock can never
  outlive a crash unnoticed;
- a registry in this process, because a second open in the same process must be refused too
  (and must not rely on how each system treats two locks from one process).

Paths are resolved first (symbolic links, ``..``), so two paths to one file share one lock.

A lock whose holder is gone is *stale*: its process no longer runs on this computer (the system
lock is free), or, on a shared or synced folder where another computer's system lock cannot be
seen, that computer has not touched it for :data:`STALE_ELSEWHERE_AFTER`. A stale lock is
reported like any other (:class:`~forumkit.errors.FileLocked` with ``stale=True``) and broken
only when the caller asks, after asking the user.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import json
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from forumkit.errors import FileLocked, FolderNotWritable

if sys.platform != "win32":
    # Imported by name, not looked up at run time, so the app's installer bundles it.
    import fcntl
else:  # msvcrt is built into Python on Windows
    fcntl = None

STALE_ELSEWHERE_AFTER = timedelta(hours=1)
"""How long another computer's lock may go untouched (it is touched on every save) before it
counts as stale."""
_POLL_S = 0.1
_RECORD_MAX_BYTES = 4096
_SETTLE_ATTEMPTS = 5


def canonical(path: Path | str) -> Path:
    """The one absolute path of a file, symbolic links resolved: the lock's identity."""
    return Path(os.path.realpath(os.fspath(path)))


def lock_file_for(path: Path | str) -> Path:
    """Where the lock of the forum file at ``path`` lives."""
    target = canonical(path)
    return target.with_name(f".{target.name}.lock")


def this_computer() -> str:
    return socket.gethostname()


@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock, as its lock file says."""

    host: str
    pid: int
    since: datetime
    touched: datetime
    """When the holder last touched the lock (on opening and on every save)."""

    @property
    def on_this_computer(self) -> bool:
        return self.host == this_computer()

    def as_error(
        self, path: Path, *, stale: bool = False, in_this_process: bool = False
    ) -> FileLocked:
        idle = datetime.now(UTC) - self.touched
        return FileLocked(
            path,
            host=self.host,
            pid=self.pid,
            since=self.since,
            on_this_computer=self.on_this_computer,
            in_this_process=in_this_process,
            stale=stale,
            idle_hours=max(0, int(idle.total_seconds() // 3600)),
        )

    def record(self) -> bytes:
        return json.dumps(
            {"app": "forumkit", "host": self.host, "pid": self.pid, "since": self.since.isoformat()}
        ).encode("utf-8")


# -- the operating system's lock ------------------------------------------------------------


class OsLock(Protocol):
    """The system's own lock on an open file: held until released or the process ends."""

    def try_lock(self, fd: int) -> bool:
        """Lock ``fd`` without waiting; False when another holds it. OSError when the file
        system has no locks at all."""

    def unlock(self, fd: int) -> None: ...


class PosixLock:
    """``fcntl.flock``: one lock per open file, so a second open conflicts even in-process."""

    def __init__(self) -> None:
        self._fcntl: Any = fcntl

    def try_lock(self, fd: int) -> bool:
        try:
            self._fcntl.flock(fd, self._fcntl.LOCK_EX | self._fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True

    def unlock(self, fd: int) -> None:
        self._fcntl.flock(fd, self._fcntl.LOCK_UN)


class WindowsLock:
    """``msvcrt.locking`` of one byte far past the record, so others can still read who holds it
    (Windows locks are mandatory: a locked byte cannot be read by anyone else)."""

    OFFSET = 0x7FFFFFFF

    def __init__(self, msvcrt: Any = None) -> None:
        self._msvcrt: Any = msvcrt if msvcrt is not None else importlib.import_module("msvcrt")

    def _at_offset(self, fd: int, mode: int) -> None:
        os.lseek(fd, self.OFFSET, os.SEEK_SET)
        try:
            self._msvcrt.locking(fd, mode, 1)
        finally:
            os.lseek(fd, 0, os.SEEK_SET)

    def try_lock(self, fd: int) -> bool:
        try:
            self._at_offset(fd, self._msvcrt.LK_NBLCK)
        except OSError as exc:
            # LK_NBLCK fails with EACCES when another process holds the byte.
            if exc.errno in (errno.EACCES, errno.EDEADLOCK):
                return False
            raise
        return True

    def unlock(self, fd: int) -> None:
        self._at_offset(fd, self._msvcrt.LK_UNLCK)


def system_lock() -> OsLock:
    """The lock of the system forumkit runs on."""
    return WindowsLock() if sys.platform == "win32" else PosixLock()


# -- the lock file ----------------------------------------------------------------------------


def _read_holder(fd: int) -> LockHolder | None:
    """The holder a lock file names; None when it is empty or not a record (free)."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, _RECORD_MAX_BYTES)
        touched = datetime.fromtimestamp(os.fstat(fd).st_mtime, UTC)
        record = json.loads(data.decode("utf-8")) if data.strip() else None
        if not isinstance(record, dict):
            return None
        since = datetime.fromisoformat(str(record["since"]))
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return LockHolder(str(record["host"]), int(record["pid"]), since, max(since, touched))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_record(fd: int, holder: LockHolder) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, holder.record())


def _still_at(fd: int, lock_file: Path) -> bool:
    """Whether ``fd`` is still the file at ``lock_file`` (a releasing holder removes it)."""
    try:
        here, there = os.fstat(fd), lock_file.stat()
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _process_running(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return True  # no cheap check; the system lock answers this on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user
    return True


def _is_stale(holder: LockHolder, system_lock_works: bool) -> bool:
    """Whether a lock we could take at the system level was left by a holder that is gone."""
    if holder.on_this_computer:
        # With a working system lock, a running holder would still hold it: it is gone (its
        # process id may have been reused). Without one, only the process table can tell.
        return system_lock_works or not _process_running(holder.pid)
    return datetime.now(UTC) - holder.touched > STALE_ELSEWHERE_AFTER


def _left_by_us(holder: LockHolder) -> bool:
    """A record naming this very process, yet not in the registry: ours, already let go of (or
    an earlier process that had the same id); either way nobody holds it."""
    return holder.on_this_computer and holder.pid == os.getpid()


def _open_lock_file(lock_file: Path, target: Path, create: bool) -> int | None:
    flags = os.O_RDWR | getattr(os, "O_BINARY", 0) | (os.O_CREAT if create else 0)
    try:
        return os.open(lock_file, flags, 0o644)
    except FileNotFoundError:
        if create:
            raise FolderNotWritable(target, "the folder is not there") from None
        return None
    except OSError as exc:
        # Whatever the cause (permissions, a read-only or full disk, a name too long), the
        # sentence names the forum file, never the lock file beside it.
        reason = exc.strerror or "permission denied"
        raise FolderNotWritable(target, reason[:1].lower() + reason[1:]) from None


def _try_system_lock(system: OsLock, fd: int) -> bool | None:
    """True: locked; False: another holds it; None: this file system has no locks."""
    try:
        return system.try_lock(fd)
    except OSError as exc:
        if exc.errno in (errno.ENOLCK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
            return None
        raise


_registry_guard = threading.Lock()
_held: dict[str, WriterLock] = {}


def _key(target: Path) -> str:
    return os.path.normcase(str(target))


class WriterLock:
    """This process's claim to be the one writer of a forum file. Build with :meth:`acquire`."""

    def __init__(
        self, path: Path, lock_file: Path, fd: int, system: OsLock | None, holder: LockHolder
    ) -> None:
        self.path = path
        """The forum file's canonical path."""
        self.lock_file = lock_file
        self.holder = holder
        self._fd: int | None = fd
        self._system = system

    @classmethod
    def acquire(
        cls,
        path: Path | str,
        *,
        wait_s: float = 0.0,
        break_stale: bool = False,
        system: OsLock | None = None,
    ) -> WriterLock:
        """Take the lock of the forum file at ``path``, waiting up to ``wait_s`` for a holder to
        let go. Raises FileLocked (at once when the holder is stale: waiting will not help), or
        FolderNotWritable."""
        target = canonical(path)
        system = system if system is not None else system_lock()
        deadline = time.monotonic() + wait_s
        while True:
            try:
                return cls._try(target, break_stale, system)
            except FileLocked as locked:
                remaining = deadline - time.monotonic()
                if locked.stale or remaining <= 0:
                    raise
            time.sleep(min(_POLL_S, remaining))

    @classmethod
    def _try(cls, target: Path, break_stale: bool, system: OsLock) -> WriterLock:
        lock_file = target.with_name(f".{target.name}.lock")
        with _registry_guard:
            current = _held.get(_key(target))
            if current is not None:
                raise current.holder.as_error(target, in_this_process=True)
            holder: LockHolder | None = None
            for _ in range(_SETTLE_ATTEMPTS):
                fd = _open_lock_file(lock_file, target, create=True)
                assert fd is not None
                locked: bool | None = False
                try:
                    locked = _try_system_lock(system, fd)
                    holder = _read_holder(fd)
                    if locked is False:
                        raise _live_or_unknown(target, holder)
                    if not _still_at(fd, lock_file):
                        raise _Moved
                    if holder is not None and not _left_by_us(holder):
                        stale = _is_stale(holder, system_lock_works=locked is True)
                        if not (stale and break_stale):
                            raise holder.as_error(target, stale=stale)
                    now = datetime.now(UTC)
                    mine = LockHolder(this_computer(), os.getpid(), now, now)
                    _write_record(fd, mine)
                except _Moved:
                    _let_go(system if locked else None, fd)
                    continue
                except BaseException:
                    _let_go(system if locked else None, fd)
                    raise
                lock = cls(target, lock_file, fd, system if locked else None, mine)
                _held[_key(target)] = lock
                return lock
            raise _live_or_unknown(target, holder)

    @staticmethod
    def probe(path: Path | str, *, system: OsLock | None = None) -> FileLocked | None:
        """Who holds the lock of ``path`` (as the error opening for writing would raise), or
        None when it is free. Takes nothing and writes nothing."""
        target = canonical(path)
        system = system if system is not None else system_lock()
        with _registry_guard:
            current = _held.get(_key(target))
            if current is not None:
                return current.holder.as_error(target, in_this_process=True)
            try:
                fd = _open_lock_file(target.with_name(f".{target.name}.lock"), target, False)
            except FolderNotWritable:
                return None  # opening for writing will say so itself
            if fd is None:
                return None
            locked: bool | None = False
            try:
                locked = _try_system_lock(system, fd)
                holder = _read_holder(fd)
                if locked is False:
                    return _live_or_unknown(target, holder)
                if holder is None or _left_by_us(holder):
                    return None
                return holder.as_error(target, stale=_is_stale(holder, locked is True))
            finally:
                _let_go(system if locked else None, fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def refresh(self) -> None:
        """Touch the lock file, so other computers see the holder is still at work."""
        with contextlib.suppress(OSError):
            os.utime(self.lock_file)

    def release(self) -> None:
        """Let go: the lock file is removed and the system lock dropped. Safe to call twice."""
        with _registry_guard:
            fd, self._fd = self._fd, None
            if fd is None:
                return
            if _held.get(_key(self.path)) is self:
                del _held[_key(self.path)]
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            if os.name != "nt":
                # Removed while still locked: a waiter that opened this file finds it gone
                # (``_still_at``) and starts again on a new one.
                with contextlib.suppress(OSError):
                    if _still_at(fd, self.lock_file):
                        self.lock_file.unlink()
            _let_go(self._system, fd)
            if os.name == "nt":
                # Windows cannot remove a file someone has open; an empty lock file is free.
                with contextlib.suppress(OSError):
                    self.lock_file.unlink()


class _Moved(Exception):
    """The lock file was removed and made again while we opened it: start over."""


def _let_go(system: OsLock | None, fd: int) -> None:
    try:
        if system is not None:
            with contextlib.suppress(OSError):
                system.unlock(fd)
    finally:
        os.close(fd)


def _live_or_unknown(target: Path, holder: LockHolder | None) -> FileLocked:
    if holder is None:
        # Held at the system level but not yet named: a holder in the middle of starting.
        now = datetime.now(UTC)
        holder = LockHolder("another computer", 0, now, now)
    return holder.as_error(target)
