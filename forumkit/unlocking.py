"""Opening a forum file, the slow half: the writer lock, key derivation, decryption, loading.

Each function here runs in a worker in the app (the command line calls them in turn): nothing
in it touches a database another thread uses. What it returns is handed to the thread that will
own the database, which finishes opening with ``Workspace.from_unlocked`` or
``Workspace.create_sealed`` (``forumkit.workspace``).

The database is loaded here too, on a connection made for handing over once
(``check_same_thread=False``; the workspace then checks that only its own thread uses it), so
that deserializing the image and building the derived indexes (``forumkit.schema.derived``,
about 3 s at 100,000 responses) happen off the GUI thread, rather than building them in chunks
on it or in a second database attached later.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from forumkit import schema
from forumkit.errors import DamagedFile, FileReadOnly, ForumFileExists, UnsupportedVersion
from forumkit.schema import derived
from forumkit.vault import KdfParams, SealedImage, Vault, WriterLock, marked_read_only, wipe
from forumkit.vault.keys import PassphraseSlot, check_new_passphrase, parse_recovery_key
from forumkit.vault.lock import canonical


@dataclass(frozen=True)
class UnlockedFile:
    """A forum file decrypted and loaded, not yet opened: made in a worker, handed to the thread
    that will own its database (:meth:`Workspace.from_unlocked`), which alone uses it from then.
    """

    vault: Vault
    connection: sqlite3.Connection
    new_passphrase_slot: PassphraseSlot | None = None
    """Recovery: the new passphrase, saved as the file opens."""
    unsaved: bool = False
    """Opened from changes kept sealed in memory (:meth:`Workspace.seal_unsaved`), not from
    the file: they still have to be written."""
    purge_backup: bool = False

    def discard(self) -> None:
        """Drop it unopened (the user cancelled): close the database, forget the key, unlock."""
        self.connection.close()
        self.vault.close()


@dataclass(frozen=True)
class SealedNew:
    """A new forum file's keys, derived but not yet written, and its recovery key."""

    vault: Vault
    recovery_key: str


def _writer_lock(
    path: Path, read_only: bool, wait_s: float, break_stale: bool
) -> WriterLock | None:
    if read_only:
        return None
    if marked_read_only(path):
        # Its permissions say so: respected even where writing would work (an administrator),
        # and said before the slow key derivation. The app then offers to open it read-only.
        raise FileReadOnly(path)
    return WriterLock.acquire(path, wait_s=wait_s, break_stale=break_stale)


def _release(lock: WriterLock | None) -> None:
    if lock is not None:
        lock.release()


def _locked_open(
    target: Path,
    lock_it: bool,
    wait_s: float,
    break_stale: bool,
    open_vault: Callable[[WriterLock | None], tuple[Vault, bytearray]],
) -> tuple[Vault, bytearray]:
    """Take the writer lock (unless ``lock_it`` is False), then open; the lock is let go again
    if opening fails."""
    lock = _writer_lock(target, not lock_it, wait_s, break_stale)
    try:
        return open_vault(lock)
    except BaseException:
        _release(lock)
        raise


def unlock(
    path: Path | str,
    passphrase: str,
    *,
    read_only: bool = False,
    wait_s: float = 0.0,
    break_stale_lock: bool = False,
) -> UnlockedFile:
    """Take the writer lock, derive the key, decrypt and load (the slow part of opening).

    Runs in a worker: the database it loads is used by no other thread until handed over.
    Raises FileLocked when another forumkit has the file open (after waiting up to ``wait_s``
    for it to let go), FileReadOnly when the file is marked read-only; ``read_only`` opens
    without the lock, and nothing can then be saved; ``break_stale_lock`` takes over a lock
    whose holder is gone (ask the user first). Opening for writing also tidies beside the
    file: a damaged backup, or one an interrupted erasure left, is put right.
    """
    target = canonical(path)
    opened, image = _locked_open(
        target,
        not read_only,
        wait_s,
        break_stale_lock,
        lambda lock: Vault.open(target, passphrase, lock=lock),
    )
    return UnlockedFile(opened, _load(opened, image))


def unlock_with_data_key(
    path: Path | str, data_key: bytes | bytearray, *, wait_s: float = 0.0
) -> UnlockedFile:
    """Continue with a file this app's previous process had open, with the key it handed over.

    The app restarts its process to leave nothing of one parent's answers in memory for the
    next (kiosk mode); the new process opens the file with the data key passed to it through a
    pipe, so the parent at the laptop is never asked for the forum's passphrase.
    """
    target = canonical(path)
    opened, image = _locked_open(
        target,
        True,
        wait_s,
        False,
        lambda lock: Vault.open_with_data_key(target, data_key, lock=lock),
    )
    return UnlockedFile(opened, _load(opened, image))


def unlock_with_recovery_key(
    path: Path | str,
    recovery_key: str,
    new_passphrase: str,
    kdf: KdfParams | None = None,
    *,
    wait_s: float = 0.0,
    break_stale_lock: bool = False,
) -> UnlockedFile:
    """Recovery, the slow half: open with the printed recovery key and make the new passphrase's
    key slot, which :meth:`Workspace.from_unlocked` saves as the file opens.

    The one way a forgotten passphrase is replaced, for the app and the command line alike
    (:meth:`Workspace.recover` does both halves). The new passphrase and the recovery key's
    form are checked before anything slow happens.
    """
    check_new_passphrase(new_passphrase)
    parse_recovery_key(recovery_key)
    target = canonical(path)
    opened, image = _locked_open(
        target,
        True,
        wait_s,
        break_stale_lock,
        lambda lock: Vault.open_with_recovery_key(target, recovery_key, lock=lock),
    )
    try:
        slot = opened.new_passphrase_slot(new_passphrase, kdf)
    except BaseException:
        wipe(image)
        opened.close()
        raise
    return UnlockedFile(opened, _load(opened, image), new_passphrase_slot=slot)


def unlock_sealed(
    sealed: SealedImage,
    passphrase: str,
    *,
    wait_s: float = 0.0,
    break_stale_lock: bool = False,
) -> UnlockedFile:
    """Open changes that were kept sealed in memory when the file locked unsaved.

    The writer lock is taken again; the first save checks the file on disk is still the version
    the changes were made on.
    """
    opened, image = _locked_open(
        sealed.path,
        True,
        wait_s,
        break_stale_lock,
        lambda lock: Vault.open_sealed(sealed, passphrase, lock=lock),
    )
    return UnlockedFile(
        opened, _load(opened, image), unsaved=True, purge_backup=sealed.purge_backup
    )


def seal_new(path: Path | str, passphrase: str, kdf: KdfParams | None = None) -> SealedNew:
    """Make a new file's data key and key slots (the slow part of creating); writes nothing
    but the writer lock, so nobody else creates the same file meanwhile."""
    target = canonical(path)
    lock = WriterLock.acquire(target)
    try:
        if target.exists():
            raise ForumFileExists(
                f"“{target.name}” already exists; choose another name or move the old file first."
            )
        made, recovery_key = Vault.create(target, passphrase, kdf, lock=lock)
    except BaseException:
        lock.release()
        raise
    return SealedNew(made, recovery_key)


def _load(opened: Vault, image: bytearray) -> sqlite3.Connection:
    """The decrypted image as a database in memory, with its derived indexes when current.

    The image is wiped once SQLite holds its copy. The connection may be handed to another
    thread once (``check_same_thread=False``); the workspace then checks who uses it.
    """
    conn = memory_connection(check_same_thread=False)
    try:
        conn.deserialize(image)
        configure_connection(conn)
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if version > schema.latest_version():
            raise UnsupportedVersion(
                opened.path,
                f"it was saved by a newer forumkit (data version {version}; this forumkit "
                f"knows up to {schema.latest_version()}). Update forumkit to open it.",
            )
        if version == schema.latest_version():
            derived.rebuild(conn)
    except sqlite3.DatabaseError:
        conn.close()
        opened.close()
        raise DamagedFile(opened.path, "its database is not readable.") from None
    except BaseException:
        conn.close()
        opened.close()
        raise
    finally:
        wipe(image)
    return conn


def memory_connection(*, check_same_thread: bool = True) -> sqlite3.Connection:
    """A database in memory as forum files use it (see :func:`configure_connection`)."""
    # isolation_level=None: transactions are ours (BEGIN/COMMIT in Workspace.transaction).
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=check_same_thread)
    configure_connection(conn)
    return conn


def configure_connection(conn: sqlite3.Connection) -> None:
    """Temp storage in memory, deleted content overwritten, foreign keys enforced; again after
    every ``deserialize``, which resets them."""
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA foreign_keys = ON")
