"""The writer lock: who holds it, a second opener refused, stale locks, and the Windows branch.

Only Linux runs here: the Windows branch (``msvcrt.locking``) is tested with a stand-in for
``msvcrt`` that behaves as Windows documents it (one lock per byte range, refused to others).
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from forumkit.errors import FileLocked, FolderNotWritable
from forumkit.vault import lock as lock_module
from forumkit.vault.lock import LockHolder, WindowsLock, WriterLock, lock_file_for, this_computer
from tests.conftest import REPO_ROOT

_HOLDER = textwrap.dedent(
    """
    import sys, time
    from forumkit.vault.lock import WriterLock
    lock = WriterLock.acquire(sys.argv[1])
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    lock.release()
    """
)


def _hold_in_another_process(path: Path, seconds: float) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    return child


def _write_record(path: Path, host: str, pid: int, touched: datetime) -> Path:
    lock_file = lock_file_for(path)
    record = {"app": "forumkit", "host": host, "pid": pid, "since": touched.isoformat()}
    lock_file.write_text(json.dumps(record), encoding="utf-8")
    os.utime(lock_file, (touched.timestamp(), touched.timestamp()))
    return lock_file


def test_the_lock_file_names_the_holder_and_nothing_else(forum_path: Path) -> None:
    lock = WriterLock.acquire(forum_path)
    try:
        lock_file = lock_file_for(forum_path)
        assert lock_file.name == ".forum.forumkit.lock"
        record = json.loads(lock_file.read_text(encoding="utf-8"))
        assert set(record) == {"app", "host", "pid", "since"}
        assert (record["host"], record["pid"]) == (this_computer(), os.getpid())
        assert datetime.fromisoformat(record["since"]) <= datetime.now(UTC)
    finally:
        lock.release()
    assert not lock_file_for(forum_path).exists()
    lock.release()  # twice is harmless


def test_a_second_open_in_this_process_is_refused_even_by_another_path(
    forum_path: Path, tmp_path: Path
) -> None:
    forum_path.write_bytes(b"a forum file")
    alias = tmp_path / "shortcut.forumkit"
    alias.symlink_to(forum_path)
    lock = WriterLock.acquire(forum_path)
    try:
        for path in (forum_path, alias, tmp_path / "." / "forum.forumkit"):
            with pytest.raises(FileLocked, match="already open in this forumkit") as caught:
                WriterLock.acquire(path)
            assert caught.value.in_this_process and not caught.value.stale
        assert WriterLock.probe(alias) is not None
    finally:
        lock.release()
    WriterLock.acquire(alias).release()
    assert WriterLock.probe(forum_path) is None


def test_another_process_holds_it_then_lets_go(forum_path: Path) -> None:
    child = _hold_in_another_process(forum_path, 1.0)
    try:
        with pytest.raises(FileLocked) as caught:
            WriterLock.acquire(forum_path)
        locked = caught.value
        assert locked.on_this_computer and not locked.stale and locked.pid == child.pid
        assert f"process {child.pid}" in str(locked) and "open it read-only" in str(locked)
        probed = WriterLock.probe(forum_path)
        assert probed is not None and probed.pid == child.pid
        started = time.monotonic()
        lock = WriterLock.acquire(forum_path, wait_s=30)  # waits until the child lets go
        assert time.monotonic() - started < 20
        lock.release()
    finally:
        child.wait(timeout=30)


def test_a_crashed_holder_leaves_a_stale_lock_broken_only_when_asked(forum_path: Path) -> None:
    child = _hold_in_another_process(forum_path, 60)
    child.send_signal(signal.SIGKILL)
    child.wait()
    started = time.monotonic()
    with pytest.raises(FileLocked, match="no longer running") as caught:
        WriterLock.acquire(forum_path, wait_s=10)
    assert time.monotonic() - started < 5  # waiting cannot help a stale lock
    assert caught.value.stale and caught.value.pid == child.pid
    lock = WriterLock.acquire(forum_path, break_stale=True)
    assert lock.holder.pid == os.getpid()
    lock.release()


def test_another_computers_lock_counts_until_it_is_old(forum_path: Path) -> None:
    """On a synced or shared folder another computer's system lock is invisible: the record
    decides, and it is stale once that computer has not touched it for an hour."""
    now = datetime.now(UTC)
    _write_record(forum_path, "chairs-laptop", 4242, now - timedelta(minutes=5))
    with pytest.raises(FileLocked, match="open in forumkit on chairs-laptop") as caught:
        WriterLock.acquire(forum_path, break_stale=True)  # not stale: never broken
    assert not caught.value.stale and not caught.value.on_this_computer
    _write_record(forum_path, "chairs-laptop", 4242, now - timedelta(hours=3))
    with pytest.raises(FileLocked, match="has not used it for 3 hours") as caught:
        WriterLock.acquire(forum_path)
    assert caught.value.stale
    WriterLock.acquire(forum_path, break_stale=True).release()


class _NoLocks:
    """A file system without locks (some network shares): only the record can tell."""

    def try_lock(self, fd: int) -> bool:
        raise OSError(errno.ENOLCK, "No locks available")

    def unlock(self, fd: int) -> None:
        raise AssertionError("never locked")


def test_without_system_locks_the_record_and_the_process_table_decide(forum_path: Path) -> None:
    now = datetime.now(UTC)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _write_record(forum_path, this_computer(), sleeper.pid, now)
        with pytest.raises(FileLocked) as caught:
            WriterLock.acquire(forum_path, system=_NoLocks(), break_stale=True)
        assert not caught.value.stale
    finally:
        sleeper.kill()
        sleeper.wait()
    with pytest.raises(FileLocked) as caught:
        WriterLock.acquire(forum_path, system=_NoLocks())
    assert caught.value.stale
    lock = WriterLock.acquire(forum_path, system=_NoLocks(), break_stale=True)
    lock.release()


def test_a_folder_that_cannot_be_written_is_said_plainly(
    forum_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def read_only_stick(path: object, flags: int, *args: object) -> int:
        if str(path).endswith(".lock"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(lock_module.os, "open", read_only_stick)
    with pytest.raises(FolderNotWritable, match="read-only file system"):
        WriterLock.acquire(forum_path)
    assert WriterLock.probe(forum_path) is None


class _FakeMsvcrt:
    """``msvcrt.locking`` as Windows documents it: byte ranges of a file, locked by one open
    file at a time; LK_NBLCK fails at once with EACCES when another holds the range."""

    LK_UNLCK = 0
    LK_LOCK = 1
    LK_NBLCK = 2

    def __init__(self) -> None:
        self.held: dict[tuple[int, int, int], int] = {}  # (device, inode, offset) -> fd
        self.offsets: list[int] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        assert nbytes == 1
        offset = os.lseek(fd, 0, os.SEEK_CUR)
        self.offsets.append(offset)
        info = os.fstat(fd)
        key = (info.st_dev, info.st_ino, offset)
        if mode == self.LK_UNLCK:
            if self.held.get(key) != fd:
                raise OSError(errno.EACCES, "Permission denied")
            del self.held[key]
        elif key in self.held:
            raise OSError(errno.EACCES, "Permission denied")
        else:
            self.held[key] = fd


def test_the_windows_lock_takes_one_byte_past_the_record(forum_path: Path) -> None:
    fake = _FakeMsvcrt()
    windows = WindowsLock(fake)
    lock_file = lock_file_for(forum_path)
    lock_file.write_bytes(b"")
    first = os.open(lock_file, os.O_RDWR)
    second = os.open(lock_file, os.O_RDWR)
    try:
        assert windows.try_lock(first)
        assert not windows.try_lock(second)  # another open file (process) is refused
        assert os.lseek(first, 0, os.SEEK_CUR) == 0  # the record is read from the start
        assert set(fake.offsets) == {WindowsLock.OFFSET}
        windows.unlock(first)
        assert windows.try_lock(second)
        windows.unlock(second)
    finally:
        os.close(first)
        os.close(second)


def test_the_writer_lock_over_the_windows_branch(forum_path: Path) -> None:
    fake = _FakeMsvcrt()
    lock = WriterLock.acquire(forum_path, system=WindowsLock(fake))
    holder = json.loads(lock_file_for(forum_path).read_text(encoding="utf-8"))
    assert holder["pid"] == os.getpid()
    assert len(fake.held) == 1
    lock.release()
    assert fake.held == {}
    # Another process holds the byte (as Windows would refuse it): the record names it.
    _write_record(forum_path, this_computer(), 999_999, datetime.now(UTC))
    info = lock_file_for(forum_path).stat()
    fake.held[(info.st_dev, info.st_ino, WindowsLock.OFFSET)] = -1
    with pytest.raises(FileLocked, match="process 999999") as caught:
        WriterLock.acquire(forum_path, system=WindowsLock(fake), break_stale=True)
    assert not caught.value.stale


def test_holders_read_back_as_written() -> None:
    since = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    holder = LockHolder("laptop", 12, since, since)
    assert json.loads(holder.record()) == {
        "app": "forumkit",
        "host": "laptop",
        "pid": 12,
        "since": "2026-03-01T09:30:00+00:00",
    }
