"""The open forum file: one ``Workspace`` per file, the one object the app and the CLI hold.

The decrypted database lives only in memory (``sqlite3`` ``deserialize``/``serialize``), with
temp storage in memory and ``secure_delete`` on, so neither temp files nor the free pages of
the saved image can leak deleted text.

Every change goes through :meth:`Workspace.transaction`: all of it reaches the database in
memory or none of it does, and once committed it is serialized (on the database's thread) and
handed to the file's :class:`~forumkit.vault.writer.SaveWriter`, which encrypts and writes it.
The command line writes before ``transaction()`` returns; the app writes in the background
(:meth:`Workspace.save_in_background`) and calls :meth:`Workspace.flush` before anything that
needs the file on disk. A change that could not be written stays in memory and is written by
the next attempt; the file on disk is always a whole old or a whole new version.

Opening for writing takes the file's writer lock (``forumkit.vault.lock``), so two forumkit
processes never write one file; a second opener may open it read-only. Before every write the
vault checks the file on disk is still the version it last read or wrote, and refuses
(:class:`~forumkit.errors.FileChangedOnDisk`) rather than overwrite another program's save.

The indexes that make search and counts fast (``forumkit.schema.derived``) live in the
connection's ``temp`` schema, never saved. Opening builds them in the worker that decrypts the
file, on the connection it then hands to the database thread; reloading, upgrading and creating
build them on the database thread.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, get_args

import sqlite_utils

from forumkit import audit, schema
from forumkit.errors import (
    DamagedFile,
    FileChangedOnDisk,
    ForumFileExists,
    OlderCopyNotConfirmed,
    ReadOnlyWorkspace,
    UnsupportedVersion,
    WorkspaceClosed,
)
from forumkit.schema import derived
from forumkit.unlocking import (
    SealedNew,
    UnlockedFile,
    configure_connection,
    memory_connection,
    seal_new,
    unlock,
    unlock_sealed,
    unlock_with_data_key,
    unlock_with_recovery_key,
)
from forumkit.vault import (
    WARN_IMAGE_BYTES,
    BackupCheck,
    DiskVersion,
    KdfParams,
    OlderCopy,
    SealedImage,
    Vault,
    WriterLock,
    wipe,
)
from forumkit.vault.keys import PassphraseSlot
from forumkit.vault.lock import canonical
from forumkit.vault.storage import GenerationLog
from forumkit.vault.writer import SaveState, SaveWriter, StateListener
from forumkit.wording import plural

__all__ = [
    "Change",
    "ChangeListener",
    "ChangedOnDiskHandler",
    "DiskVersion",
    "Forum",
    "SaveState",
    "SealedNew",
    "UnlockedFile",
    "Workspace",
    "seal_new",
    "unlock",
    "unlock_sealed",
    "unlock_with_data_key",
    "unlock_with_recovery_key",
]


@dataclass(frozen=True)
class Forum:
    """Who this file belongs to."""

    name: str
    area: str
    created: str
    file_id: str
    forum_id: str
    """Shared by every copy of this forum's file (volunteer copies inherit it)."""
    origin_id: str
    """This copy's own id, recorded (as ``device_id``) on every response captured in it."""


ChangeKind = Literal["schema", "settings", "surveys", "responses", "codebooks", "quotes", "audit"]
"""What a change can touch: the forum's schema (an upgrade), its settings (the evidence
packs' title and contact, the small-cell threshold), its surveys (a new survey or
version, consent questions), its responses (added, edited, deleted, erased), its codebooks
(codes added, edited, merged or deleted; the inspection-area mapping), its quotes (made, tagged,
redacted, reviewed, deleted; the deny-list) or only its audit log (an export). A closed set, so a
view cannot wait for a kind the core never sends."""

CHANGE_KINDS: frozenset[ChangeKind] = frozenset(get_args(ChangeKind))


@dataclass
class Change:
    """What one transaction changed, so views can refresh only that.

    Domain code marks what it touched with :meth:`touch`; listeners registered with
    :meth:`Workspace.subscribe` receive the record once the change is committed and on its way
    to disk (written, unless the workspace saves in the background).
    """

    action: str | None = None
    touched: dict[ChangeKind, set[str]] = field(default_factory=dict)

    def touch(self, kind: ChangeKind, *ids: str) -> None:
        """Record that this change touched ``kind`` (the ids of what it touched, if any)."""
        if kind not in CHANGE_KINDS:
            raise ValueError(f"a change touches one of {sorted(CHANGE_KINDS)}, not {kind!r}")
        self.touched.setdefault(kind, set()).update(ids)

    def touches(self, *kinds: ChangeKind) -> bool:
        """Whether this change touched any of ``kinds`` (what a view reloads on)."""
        return any(kind in self.touched for kind in kinds)


ChangeListener = Callable[[Change], None]

ChangedOnDiskHandler = Callable[["Workspace", FileChangedOnDisk], None]
"""Called when a save written before ``transaction()`` returns is refused because another
program saved the file meanwhile (the command line's ``--merge-if-changed``)."""


class Workspace:
    """One open forum file. Build it with :meth:`create`, :meth:`open`, :meth:`recover` or
    :meth:`from_unlocked`; call :meth:`close` when done.

    The thread that builds it owns its database: using it from another thread is a bug and
    raises RuntimeError.
    """

    def __init__(self, opened: Vault, conn: sqlite3.Connection, generations: GenerationLog) -> None:
        self._vault: Vault | None = opened
        self._conn: sqlite3.Connection | None = conn
        self._db = sqlite_utils.Database(conn)
        self._owner = threading.get_ident()
        self._generations = generations
        self._writer = SaveWriter(opened)
        self._current_change: Change | None = None
        self._purge_requested = False
        self._pending_slot: PassphraseSlot | None = None
        self._pending_disk: DiskVersion | None = None
        self._changed_on_disk: ChangedOnDiskHandler | None = None
        # A committed change not yet handed to the writer (its serialization failed), and
        # whether an erasure is among such changes: the next hand-off takes them.
        self._unsubmitted = False
        self._purge_unsubmitted = False
        self._listeners: list[ChangeListener] = []
        self.path = opened.path
        #: Plain sentences the user should see (an older copy opened, a file growing large).
        self.warnings: list[str] = []
        #: Set only on a workspace just made by :meth:`create`: show it once, then forget it.
        self.recovery_key: str | None = None

    # -- opening and closing -----------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path | str,
        passphrase: str,
        *,
        forum: str,
        area: str = "",
        kdf: KdfParams | None = None,
        generations: GenerationLog | None = None,
    ) -> Workspace:
        """Create a new encrypted forum file; its recovery key is in ``.recovery_key``."""
        return cls.create_sealed(
            seal_new(path, passphrase, kdf), forum=forum, area=area, generations=generations
        )

    @classmethod
    def create_sealed(
        cls,
        sealed: SealedNew,
        *,
        forum: str,
        area: str = "",
        generations: GenerationLog | None = None,
    ) -> Workspace:
        """Second half of :meth:`create`, on the thread that will own the database.

        :func:`seal_new` does the slow key derivation and touches no database, so the app runs
        it in a worker and calls this on its database thread.
        """
        made = sealed.vault
        if made.path.exists():
            made.close()
            raise ForumFileExists(
                f"“{made.path.name}” already exists; choose another name or move the old file "
                "first."
            )
        if not forum.strip():
            made.close()
            raise ValueError("a forum file needs the forum's name")
        workspace = cls(made, memory_connection(), generations or GenerationLog())
        workspace.recovery_key = sealed.recovery_key
        try:
            with workspace.transaction("forum_created"):
                schema.migrate(workspace.db)
                first_id = str(uuid.UUID(bytes=made.header.file_id))
                workspace.db.execute(
                    "INSERT INTO forum (id, name, area, created, file_id, forum_id, origin_id) "
                    "VALUES (1, ?, ?, ?, ?, ?, ?)",
                    [
                        forum.strip(),
                        area.strip(),
                        audit.now_iso(),
                        made.header.file_id.hex(),
                        first_id,
                        first_id,
                    ],
                )
                audit.record(workspace.db, "forum_created")
                derived.rebuild(workspace._connection())
        except BaseException:
            workspace.close()
            raise
        return workspace

    @classmethod
    def open(
        cls,
        path: Path | str,
        passphrase: str,
        *,
        read_only: bool = False,
        wait_s: float = 0.0,
        break_stale_lock: bool = False,
        accept_older_copy: bool = False,
        generations: GenerationLog | None = None,
    ) -> Workspace:
        """Open with the passphrase (see :func:`unlock` for the lock's options, and
        :meth:`from_unlocked` for an older copy). Raises WrongPassphrase, DamagedFile,
        FileLocked, FileReadOnly."""
        unlocked = unlock(
            path,
            passphrase,
            read_only=read_only,
            wait_s=wait_s,
            break_stale_lock=break_stale_lock,
        )
        return cls.from_unlocked(
            unlocked, accept_older_copy=accept_older_copy, generations=generations
        )

    @classmethod
    def recover(
        cls,
        path: Path | str,
        recovery_key: str,
        new_passphrase: str,
        kdf: KdfParams | None = None,
        *,
        wait_s: float = 0.0,
        break_stale_lock: bool = False,
        accept_older_copy: bool = False,
        generations: GenerationLog | None = None,
    ) -> Workspace:
        """Open with the printed recovery key and set a new passphrase, saved at once (the
        recovery key keeps working). Raises WrongRecoveryKey, WeakPassphrase, DamagedFile."""
        unlocked = unlock_with_recovery_key(
            path,
            recovery_key,
            new_passphrase,
            kdf,
            wait_s=wait_s,
            break_stale_lock=break_stale_lock,
        )
        return cls.from_unlocked(
            unlocked, accept_older_copy=accept_older_copy, generations=generations
        )

    @classmethod
    def from_unlocked(
        cls,
        unlocked: UnlockedFile,
        *,
        accept_older_copy: bool = False,
        generations: GenerationLog | None = None,
    ) -> Workspace:
        """Second half of opening, on the thread that will own the database.

        Upgrades an older file (the save keeps the old version as ``FILE.bak``; a read-only
        file is upgraded in memory only) and saves a recovered passphrase.

        An older copy (:attr:`older_copy`) opens with a warning, and its saves are refused
        (OlderCopyNotConfirmed) until :meth:`accept_older_copy`, or ``accept_older_copy``
        here: an upgrade or a recovered passphrase then waits in memory, unsaved.
        """
        workspace = cls(unlocked.vault, unlocked.connection, generations or GenerationLog())
        try:
            workspace._check_generation()
            if accept_older_copy:
                workspace.vault.confirm_older_copy()
            repair = workspace.vault.backup_repair
            if repair is not None:
                workspace.warnings.append(repair.sentence())
            try:
                workspace._upgrade()
                if unlocked.unsaved:
                    workspace._unsubmitted = True
                    workspace._purge_unsubmitted = unlocked.purge_backup
                if unlocked.new_passphrase_slot is not None:
                    workspace.apply_passphrase_slot(
                        unlocked.new_passphrase_slot, action="passphrase_recovered"
                    )
            except OlderCopyNotConfirmed:
                pass  # kept in memory until the user says to carry on with this copy
        except BaseException:
            workspace.close()
            raise
        return workspace

    def _upgrade(self) -> None:
        conn = self._connection()
        if schema.current_version(self.db) >= schema.latest_version():
            return
        derived.drop(conn)  # a migration may rebuild the tables its triggers hang on
        if self.read_only:
            # Upgraded in memory only, so the file can be read; nothing is saved.
            conn.execute("BEGIN")
            try:
                schema.migrate(self.db)
                derived.rebuild(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return
        with self.transaction("schema_upgraded") as change:
            applied = schema.migrate(self.db)
            audit.record(self.db, "schema_upgraded", {"to_version": applied[-1]})
            change.touch("schema", *(str(v) for v in applied))
            derived.rebuild(conn)

    def _check_generation(self) -> None:
        header = self.vault.header
        seen = self._generations.highest_seen(header.file_id)
        if seen is not None and seen > header.generation:
            self.vault.note_newer_copy(seen)
            self.warnings.append(
                f"“{self.path.name}” is an older copy: this computer has opened a copy of it "
                f"saved more often ({plural(seen, 'time')}; this one {header.generation:,}). "
                "Work saved in that copy is not in this one; look for it before adding more. "
                "forumkit saves changes to this copy only once told to carry on with it."
            )
        self._remember_generation()

    def _remember_generation(self) -> None:
        try:
            self._generations.record(self.vault.header.file_id, self.vault.header.generation)
        except OSError:
            # Only the older-copy warning depends on it; the forum's data is safe either way.
            self.warnings.append(
                "forumkit could not update its settings folder, so it cannot warn you later "
                "if an older copy of this file is opened."
            )

    def close(self, *, discard_unsaved: bool = False) -> None:
        """Drop the decrypted database and the key from memory and let go of the writer lock.
        Safe to call twice.

        A write in progress (or waiting, never tried) is finished first. Changes whose write
        failed are dropped, as are all unwritten changes with ``discard_unsaved``: call
        :meth:`flush` first to find out (the app asks the user).
        """
        if discard_unsaved:
            self._writer.discard_unsaved()
        self._writer.close()
        if self._vault is not None:
            # Remembered on open and close rather than on every save: it only drives the
            # older-copy warning, and saves should stay cheap.
            self._remember_generation()
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._vault is not None:
            self._vault.close()
            self._vault = None
        self._listeners.clear()

    def close_handing_over(self) -> bytearray:
        """Close, returning a copy of the data key for this app's next process to continue
        with (:func:`unlock_with_data_key`). Only with every change on disk: raises why not
        (as :meth:`flush` does), leaving the file open. The caller wipes the copy."""
        self.flush()
        key = bytearray(self.vault.data_key)
        self.close()
        return key

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one change path -----------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def read_only(self) -> bool:
        """Opened without the writer lock (another forumkit has the file): no change is saved."""
        return self.vault.read_only

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            raise WorkspaceClosed(f"“{self.path.name}” is closed; open it again to continue.")
        return self._vault

    @property
    def db(self) -> sqlite_utils.Database:
        """The forum database (sqlite-utils), for the domain modules."""
        self._connection()
        return self._db

    def subscribe(self, listener: ChangeListener) -> None:
        """Call ``listener`` with each :class:`Change` once it is committed and on its way to
        disk."""
        self._listeners.append(listener)

    @contextmanager
    def transaction(self, action: str | None = None, *, purge: bool = False) -> Iterator[Change]:
        """Group changes: all of them reach the database in memory, or (on any exception in
        the block or the commit) none do. Then save the encrypted file.

        Nested use joins the outer transaction (and its change record). Once committed, the
        database is serialized and handed to the writer: without background saving this
        returns once the file is written, or raises why not (SaveFailed, FileChangedOnDisk);
        either way the change stays in memory and the next save writes it, and the file on
        disk is a whole version, old or new. A database that would grow past what a forum file
        may hold is refused before committing (FileTooLarge).

        ``purge=True`` is for erasure: the database is vacuumed before saving and ``FILE.bak``
        is replaced by the new version, so deleted text survives in neither file.
        """
        if self._current_change is not None:
            self._purge_requested |= purge
            yield self._current_change
            return
        conn = self._connection()
        if self.read_only:
            raise ReadOnlyWorkspace(self.path)
        change = Change(action)
        self._current_change = change
        self._purge_requested = purge
        try:
            conn.execute("BEGIN")
            try:
                yield change
                page_size: int = conn.execute("PRAGMA main.page_size").fetchone()[0]
                pages: int = conn.execute("PRAGMA main.page_count").fetchone()[0]
                self.vault.check_size(page_size * pages)
                conn.execute("COMMIT")
            except BaseException:
                self._pending_slot = None
                self._pending_disk = None
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            purge = self._purge_requested
        finally:
            self._current_change = None
            self._purge_requested = False
        slot, self._pending_slot = self._pending_slot, None
        if slot is not None:
            self.vault.stage_passphrase_slot(slot)
        disk, self._pending_disk = self._pending_disk, None
        if disk is not None:
            purge |= self._continue_from(disk)
        self._hand_off(purge)
        for listener in list(self._listeners):
            listener(change)

    def _hand_off(self, purge: bool) -> None:
        """Serialize (here, on the database thread) and give the image to the writer."""
        self._unsubmitted = True
        self._purge_unsubmitted |= purge
        conn = self._connection()
        if self._purge_unsubmitted:
            conn.execute("VACUUM")
        image = conn.serialize()
        purge, self._purge_unsubmitted = self._purge_unsubmitted, False
        self._unsubmitted = False
        try:
            self._writer.submit(image, purge_backup=purge)
        except FileChangedOnDisk as refused:
            handler = self._changed_on_disk
            if handler is None:
                raise
            self._changed_on_disk = None  # a merge refused in turn is not merged again
            try:
                handler(self, refused)
            finally:
                self._changed_on_disk = handler
        finally:
            if len(image) > WARN_IMAGE_BYTES:
                self.warnings.append(
                    f"“{self.path.name}” holds over 512 MiB; at 1 GiB forumkit will refuse to "
                    "save. Consider moving old surveys to another forum file."
                )

    # -- saving ------------------------------------------------------------------------------

    def save_in_background(self, on_state: StateListener | None = None) -> None:
        """Encrypt and write in a thread of the workspace's own from now on (the app).

        ``transaction()`` then returns once the change is committed and serialized; the
        thread reports each change of :attr:`save_state` to ``on_state`` (from that thread).
        """
        self._writer.run_in_background(on_state)

    @property
    def save_state(self) -> SaveState:
        """Whether everything is on disk, and if not, why."""
        return self._writer.state

    @property
    def saved_at(self) -> datetime | None:
        """When this workspace last wrote the file (None before its first save)."""
        return self._writer.state.saved_at

    @property
    def has_unsaved_changes(self) -> bool:
        return self._unsubmitted or not self._writer.state.all_saved

    def flush(self, timeout_s: float | None = None) -> None:
        """Return once every change is on disk, or raise why it cannot be written (a failed
        write is tried once more first). Before closing, locking, quitting, or anything that
        reads the file from disk."""
        if self._unsubmitted:
            self._hand_off(False)
        self._writer.flush(timeout_s)

    def retry_save(self) -> None:
        """Try a failed write again now."""
        if self._unsubmitted:
            self._hand_off(False)
        else:
            self._writer.retry()

    def save_as(self, path: Path | str) -> None:
        """Write everything to a new forum file at ``path`` and carry on there.

        For changes the original file will not take (FileChangedOnDisk) or cannot take (its
        disk failed). The new file is a copy of this forum file (same keys and passphrase); the
        original is left as it is on disk and its lock is released.
        """
        target = canonical(path)
        if self.read_only:
            raise ReadOnlyWorkspace(self.path)
        lock = WriterLock.acquire(target)
        try:
            image = self._connection().serialize()
            self._writer.settle(lambda: self.vault.save_as(target, image, lock))
        except BaseException:
            if self.vault.lock is not lock:
                lock.release()
            raise
        self._unsubmitted = self._purge_unsubmitted = False
        self.path = target
        self._remember_generation()

    def read_disk_version(self) -> DiskVersion:
        """The file as another program saved it over this one's version (after a save was
        refused with FileChangedOnDisk), decrypted with this file's key, for merging into the
        changes in memory; nothing is discarded. Raises FileChangedOnDisk when the file on disk
        is now another forum file."""
        return self._writer.exclusive(self.vault.read_disk_version)

    def save_over(self, version: DiskVersion) -> None:
        """Inside a transaction that brought ``version``'s changes in (``forumkit.merge``):
        once it commits, its save writes over that version of the file, and only over it
        (another save meanwhile is refused again). The refused save waiting is dropped: the
        new one holds everything it held."""
        if self._current_change is None:
            raise RuntimeError("save_over is called inside a transaction")
        self._pending_disk = version

    def _continue_from(self, version: DiskVersion) -> bool:
        """Drop the refused save and continue from ``version``; whether the dropped save
        carried an erasure (the next save must then rewrite the backup too)."""
        waiting = self._writer.unsaved_image()
        purge = waiting is not None and waiting[1]
        self._writer.discard_unsaved()
        self._writer.exclusive(lambda: self.vault.continue_from(version))
        return purge

    def merge_when_changed_on_disk(self, handler: ChangedOnDiskHandler | None) -> None:
        """Without background saving: when a save is refused because another program saved
        the file meanwhile, call ``handler`` (which merges that version in and saves,
        ``forumkit.merge.merge_changed_file``) instead of raising. The workspace never merges
        by itself: the command line asks for it (``--merge-if-changed``)."""
        self._changed_on_disk = handler

    def reload_from_disk(self) -> None:
        """Discard the changes not yet written and carry on from the file as it is on disk now.

        For a save refused because another program changed the file: its version wins. Raises
        FileChangedOnDisk when the file is now another forum file (open it with its passphrase).
        Listeners hear a change with the action ``file_reloaded``.
        """
        old = self._connection()
        self._writer.discard_unsaved()
        image = self._writer.exclusive(self.vault.reread)
        # A new connection, never deserialize under the old one: SQLite (3.40) crashes using,
        # or even dropping, the temp schema's indexes once the database under them is replaced.
        conn = memory_connection()
        try:
            conn.deserialize(image)
            configure_connection(conn)
            version = schema.current_version(sqlite_utils.Database(conn))
        except sqlite3.DatabaseError:
            conn.close()
            raise DamagedFile(self.path, "its database is not readable.") from None
        finally:
            wipe(image)
        if version > schema.latest_version():
            conn.close()
            raise UnsupportedVersion(
                self.path,
                f"it was saved by a newer forumkit (data version {version}). Update forumkit to "
                "open it.",
            )
        old.close()
        self._conn, self._db = conn, sqlite_utils.Database(conn)
        self._unsubmitted = self._purge_unsubmitted = False
        derived.rebuild(conn)
        self._upgrade()
        self._remember_generation()
        change = Change("file_reloaded")
        for listener in list(self._listeners):
            listener(change)

    def touch_lock(self) -> None:
        """Tell forumkit on other computers (a shared or synced folder, where they cannot see
        this computer's system lock) that the file is still open here; every save does it too.
        """
        lock = self.vault.lock
        if lock is not None:
            lock.refresh()

    def seal_unsaved(self) -> SealedImage | None:
        """Everything not yet written, encrypted under the file's key and kept in memory.

        For locking when the disk will not take the changes: the decrypted database can then
        be closed without losing them or writing them anywhere in plaintext. None when
        everything is on disk.
        """
        if not self.has_unsaved_changes:
            return None
        waiting = self._writer.unsaved_image()
        purge = self._purge_unsubmitted or (waiting is not None and waiting[1])
        image = self._connection().serialize()
        return self._writer.exclusive(lambda: self.vault.seal(image, purge))

    # -- the passphrase ----------------------------------------------------------------------

    def check_passphrase(self, passphrase: str) -> None:
        """Raise WrongPassphrase unless ``passphrase`` opens this file; decrypts nothing.

        Only the key slot is unsealed (about a second): for asking the passphrase again while
        the file stays open, as leaving kiosk mode does. Touches no database, so it may run in
        a worker.
        """
        opened = self._vault
        if opened is None:
            raise WorkspaceClosed(f"“{self.path.name}” is closed; open it again to continue.")
        try:
            opened.check_passphrase(passphrase)
        except RuntimeError:  # the vault was closed meanwhile (the file locked)
            raise WorkspaceClosed(
                f"“{self.path.name}” is closed; open it again to continue."
            ) from None

    def change_passphrase(self, new_passphrase: str, kdf: KdfParams | None = None) -> None:
        """Rewrap the data key under a new passphrase (new salt); nothing else changes.

        The app can split it: ``slot = workspace.vault.new_passphrase_slot(p)`` (the slow
        part, no database) in a worker, then :meth:`apply_passphrase_slot` here.
        """
        self.apply_passphrase_slot(self.vault.new_passphrase_slot(new_passphrase, kdf))

    def apply_passphrase_slot(
        self, slot: PassphraseSlot, *, action: str = "passphrase_changed"
    ) -> None:
        """Save the file with a new passphrase slot made by ``vault.new_passphrase_slot``."""
        with self.transaction(action):
            audit.record(self.db, action)
            self._pending_slot = slot  # staged once the transaction commits

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise WorkspaceClosed(f"“{self.path.name}” is closed; open it again to continue.")
        if threading.get_ident() != self._owner:
            raise RuntimeError("a forum file's database is used only by the thread that opened it")
        return self._conn

    # -- facts about the forum ---------------------------------------------------------------

    @property
    def forum(self) -> Forum:
        row = self.db.execute(
            "SELECT name, area, created, file_id, forum_id, origin_id FROM forum"
        ).fetchone()
        return Forum(*row)

    @property
    def schema_version(self) -> int:
        return schema.current_version(self.db)

    @property
    def generation(self) -> int:
        return self.vault.header.generation

    # -- the file's surroundings: an older copy, the backup ----------------------------------

    @property
    def older_copy(self) -> OlderCopy | None:
        """Set when this is an older copy of the file than one this computer has opened (and
        not yet saved past it): work saved in the newer copy is not in this one."""
        return self.vault.older_copy

    def accept_older_copy(self) -> None:
        """The user chose to carry on with this older copy: from now on its changes are saved,
        numbered on from the newest save seen (so the older-copy warning moves to the other
        copy, which now lacks this one's work). Changes waiting are written now (in the app:
        soon)."""
        self.vault.confirm_older_copy()
        if self.has_unsaved_changes:
            self.retry_save()

    @property
    def backup_repair(self) -> BackupCheck | None:
        """What opening for writing found wrong with ``FILE.bak`` and put right (a damaged
        backup, or one an interrupted erasure left holding erased data); None when nothing."""
        repair = self.vault.backup_repair
        return repair.found if repair is not None else None

    def check_backup(self) -> BackupCheck:
        """Whether ``FILE.bak`` is sound, damaged, absent or still holds data erased since
        (decrypting it a chunk at a time: about as long as reading the file). For ``verify``
        and ``info``; a read-only workspace reports and changes nothing."""
        return self._writer.exclusive(self.vault.check_backup)
