"""Putting bytes on disk so that a forum file is always a whole old or a whole new version.

A save writes a temporary file beside the target, flushes it to the device, swaps it in with
``os.replace`` (atomic on every platform we support) and flushes the folder so the swap itself
survives a power cut. The version that was replaced is kept as ``FILE.bak``: it is already
encrypted, so keeping it costs no privacy.

Before writing, a save checks that the disk has room for it (:func:`check_room`): a full disk
is refused up front, so the backup is not half-overwritten and what little room is left is not
used up. Errors name the file being written, never forumkit's temporary files beside it.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import platformdirs

CONFIG_DIR_ENV = "FORUMKIT_CONFIG_DIR"
COPY_CHUNK_BYTES = 4 * 1024 * 1024

Chunk = bytes | bytearray | memoryview
Part = Chunk | Iterable[Chunk]
"""What :func:`write_atomically` writes: bytes, or chunks made as they are written (an
encryption running alongside the write), so a whole second copy never has to exist."""
_REPLACE_RETRIES = 20
_REPLACE_PAUSE_S = 0.05


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


TEMP_MARK = ".tmp-"
"""Part of the name of every temporary file forumkit writes beside a file (``.NAME.tmp-…``)."""
ROOM_MARGIN_BYTES = 64 * 1024
"""Room a save leaves for the file system's own bookkeeping (folder entries, block maps)."""


def marked_read_only(path: Path) -> bool:
    """Whether the file's permissions say the user running forumkit may not write it.

    Read from the mode bits (on Windows, the read-only attribute), never by trying: an
    administrator, or root, can write a file marked read-only, and forumkit must respect the
    mark all the same. The owner's bit counts for the owner (and for an administrator), the
    group's for its members, the others' for everyone else. False when there is no file.
    """
    try:
        info = path.stat()
    except OSError:
        return False
    mode = info.st_mode
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: only the owner's bit is meaningful
        return not mode & stat.S_IWUSR
    uid = getuid()
    if uid in (0, info.st_uid):
        return not mode & stat.S_IWUSR
    if info.st_gid in (os.getgid(), *os.getgroups()):
        return not mode & stat.S_IWGRP
    return not mode & stat.S_IWOTH


def _allocated(path: Path) -> int:
    """The bytes the file occupies on its disk (0 when there is none)."""
    try:
        info = path.stat()
    except OSError:
        return 0
    blocks = getattr(info, "st_blocks", None)
    return blocks * 512 if blocks is not None else info.st_size


def room_needed(path: Path, size: int, *, keep_backup: bool = True) -> int:
    """The free room writing ``size`` bytes to ``path`` needs, with a margin.

    A save that keeps a backup writes into the backup's own file when it can
    (:func:`_save_by_swapping`), so it needs only the room by which that file grows; otherwise
    a whole new file.
    """
    if keep_backup and path.is_file() and _backup_inode_reusable(path, backup_path(path)):
        grows_by = size - _allocated(backup_path(path))
    else:
        grows_by = size
    return max(0, grows_by) + ROOM_MARGIN_BYTES


def free_room(folder: Path) -> int:
    """Bytes free for this user on the disk holding ``folder``."""
    return shutil.disk_usage(folder).free


class NoRoom(OSError):
    """The disk has too little room for a write; raised before anything is written."""

    def __init__(self, path: Path, needed: int, free: int) -> None:
        super().__init__(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        self.needed = needed
        self.free = free


def check_room(path: Path, size: int, *, keep_backup: bool = True) -> None:
    """Raise NoRoom unless the disk holding ``path`` has room to write ``size`` bytes there."""
    needed = room_needed(path, size, keep_backup=keep_backup)
    try:
        free = free_room(path.parent)
    except OSError:
        return  # no way to tell (a network share may not say); the write itself will tell
    if free < needed:
        raise NoRoom(path, needed, free)


def _flush_to_device(fd: int) -> None:
    if sys.platform == "darwin":
        import fcntl

        # macOS fsync only reaches the drive's cache; F_FULLFSYNC reaches the platter/flash.
        try:
            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
            return
        except OSError:
            pass
    os.fsync(fd)


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a folder for fsync; NTFS journals the rename itself.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(source: Path, target: Path) -> None:
    # On Windows an antivirus scanner or the search indexer may hold the target open for a
    # moment after we wrote it; a brief retry beats failing the save.
    for attempt in range(_REPLACE_RETRIES):
        try:
            source.replace(target)
            return
        except PermissionError:
            if os.name != "nt" or attempt == _REPLACE_RETRIES - 1:
                raise
            time.sleep(_REPLACE_PAUSE_S)


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}{TEMP_MARK}{secrets.token_hex(6)}")


def _each_chunk(parts: tuple[Part, ...]) -> Iterator[Chunk]:
    for part in parts:
        if isinstance(part, bytes | bytearray | memoryview):
            yield part
        else:
            yield from part


def _write_chunks(fd: int, chunks: tuple[Part, ...], durable: bool) -> int:
    """Write everything to ``fd``; the number of bytes written."""
    written = 0
    with os.fdopen(fd, "wb", closefd=False) as out:
        for chunk in _each_chunk(chunks):
            out.write(chunk)
            written += len(chunk)
        out.flush()
        if durable:
            _flush_to_device(fd)
    return written


def file_chunks(path: Path) -> Iterator[bytes]:
    """The bytes of ``path`` a few MiB at a time (to copy a large file without holding it)."""
    with path.open("rb") as handle:
        while chunk := handle.read(COPY_CHUNK_BYTES):
            yield chunk


def _write_new_file(path: Path, chunks: tuple[Part, ...], durable: bool = True) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        _write_chunks(fd, chunks, durable)
    finally:
        os.close(fd)


def _keep_backup_by_copy(path: Path) -> None:
    """Make FILE.bak the version about to be replaced, without a moment where neither exists."""
    if not path.exists():
        return
    backup = backup_path(path)
    staged = _temp_beside(backup)
    try:
        try:
            # A hard link costs nothing; the old inode lives on as the backup after the swap.
            os.link(path, staged)
        except OSError:
            # FAT-formatted USB sticks have no hard links: copy instead.
            shutil.copyfile(path, staged)
            with staged.open("rb+") as fh:
                _flush_to_device(fh.fileno())
        _replace(staged, backup)
    finally:
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()


def _backup_inode_reusable(path: Path, backup: Path) -> bool:
    """Whether FILE.bak is a separate file of ours that can be overwritten in place.

    Never when it is the same file as FILE or has other names (someone's own hard-linked
    copy): overwriting it would change those too.
    """
    try:
        info = backup.lstat()
        return (
            backup.is_file()
            and not backup.is_symlink()
            and info.st_nlink == 1
            and not path.samefile(backup)
        )
    except OSError:
        return False


def _save_by_swapping(path: Path, chunks: tuple[Part, ...]) -> bool:
    """Write the new version into the old backup's file, then swap names; False if not possible.

    Writing into an existing file is far cheaper than allocating a new one (and freeing the
    old backup's blocks). The name FILE always holds a whole version: the old one until a
    single atomic rename makes the freshly written file FILE; the old FILE then becomes the
    backup. A crash while writing can only damage FILE.bak, which the next save rewrites.
    """
    backup = backup_path(path)
    if not path.is_file() or not _backup_inode_reusable(path, backup):
        return False
    keep_old = _temp_beside(backup)
    try:
        os.link(path, keep_old)
    except OSError:
        return False  # no hard links here (e.g. FAT); the caller writes a new file instead
    try:
        fd = os.open(backup, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        try:
            written = _write_chunks(fd, chunks, durable=False)
            os.ftruncate(fd, written)
            _flush_to_device(fd)
        except BaseException:
            # The old backup is overwritten already and the new version incomplete: the file
            # is of no use, and on a full disk it holds the room the disk has left. The old
            # version of FILE stays the backup.
            os.close(fd)
            with contextlib.suppress(OSError):
                _replace(keep_old, backup)
            raise
        else:
            os.close(fd)
        _replace(backup, path)
        _replace(keep_old, backup)
    finally:
        with contextlib.suppress(FileNotFoundError):
            keep_old.unlink()
    return True


def write_atomically(
    path: Path, *chunks: Part, keep_backup: bool = True, durable: bool = True
) -> None:
    """Replace ``path`` with ``chunks`` so that a crash leaves the old or the new file, whole.

    A chunk may be an iterable of byte chunks, consumed once, as the file is written.

    With ``keep_backup`` the replaced version is kept as ``FILE.bak``. ``durable=False`` skips
    the flushes to the device, for small files whose loss in a power cut is harmless. An
    OSError names ``path``, never the temporary file beside it.
    """
    try:
        _write_atomically(path, chunks, keep_backup, durable)
    except OSError as exc:
        if exc.filename is not None and TEMP_MARK in Path(os.fsdecode(exc.filename)).name:
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


def _write_atomically(
    path: Path, chunks: tuple[Part, ...], keep_backup: bool, durable: bool
) -> None:
    if keep_backup and _save_by_swapping(path, chunks):
        _fsync_folder(path.parent)
        return
    temp = _temp_beside(path)
    try:
        _write_new_file(temp, chunks, durable)
        if keep_backup:
            _keep_backup_by_copy(path)
        _replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    if durable:
        _fsync_folder(path.parent)


STALE_TEMP_AGE_S = 300


def temps_beside(path: Path) -> list[Path]:
    """Temporary files saves of ``path`` (and of its backup) wrote beside it, e.g. left by a
    crash."""
    found: list[Path] = []
    for prefix in (f".{path.name}{TEMP_MARK}", f".{path.name}.bak{TEMP_MARK}"):
        # Escaped: a forum file may well be called "Survey [draft].forumkit".
        found.extend(path.parent.glob(f"{glob.escape(prefix)}*"))
    return found


def remove_stale_temps(path: Path) -> int:
    """Delete temp files a crashed save left beside ``path`` (they are encrypted, but clutter).

    Only files older than a few minutes go, so a save in progress elsewhere is not disturbed.
    """
    removed = 0
    now = time.time()
    for stray in temps_beside(path):
        try:
            if now - stray.stat().st_mtime > STALE_TEMP_AGE_S:
                stray.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def config_dir() -> Path:
    """Where forumkit keeps its own small settings (never forum data)."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("forumkit", appauthor=False))


class GenerationLog:
    """Remembers the highest save generation seen for each forum file id, to spot rollbacks.

    An older copy of a forum file (a USB stick from last month, a restored backup) opens fine
    but silently lacks later work; comparing generations lets forumkit warn the user first.
    Only random file ids and counters are stored here, nothing about the forum's contents.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else config_dir() / "generations.json"

    def _load(self) -> dict[str, int]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict):
            return {}
        return {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, int)}

    def highest_seen(self, file_id: bytes) -> int | None:
        return self._load().get(file_id.hex())

    def record(self, file_id: bytes, generation: int) -> None:
        """Raise the remembered generation; OSError if the config folder cannot be written."""
        seen = self._load()
        key = file_id.hex()
        if seen.get(key, -1) >= generation:
            return
        seen[key] = generation
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps(seen, indent=1).encode("utf-8"), keep_backup=False)
