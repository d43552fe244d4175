"""The open forum file: one ``Workspace`` per file, the one object the app and the CLI hold.

The decrypted database lives only in memory (``sqlite3`` ``deserialize``/``serialize``), with
temp storage in memory and ``secure_delete`` on, so neither temp files nor the free pages of
the saved image can leak deleted text. Every change goes through :meth:`Workspace.transaction`,
which commits and then saves the encrypted file; if anything fails, the database in memory and
the file on disk are both left exactly as they were.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, get_args

import sqlite_utils

from forumkit import audit, schema
from forumkit.errors import DamagedFile, ForumFileExists, UnsupportedVersion, WorkspaceClosed
from forumkit.vault import WARN_IMAGE_BYTES, KdfParams, Vault
from forumkit.vault.keys import PassphraseSlot
from forumkit.vault.storage import GenerationLog


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


ChangeKind = Literal["schema", "surveys", "responses", "codebooks", "audit"]
"""What a change can touch: the forum's schema (an upgrade), its surveys (a new survey or
version, consent questions), its responses (added, edited, deleted, erased), its codebooks
(codes added, edited, merged or deleted; the inspection-area mapping) or only its audit log
(an export). A closed set, so a view cannot wait for a kind the core never sends."""

CHANGE_KINDS: frozenset[ChangeKind] = frozenset(get_args(ChangeKind))


@dataclass
class Change:
    """What one transaction changed, so views can refresh only that.

    Domain code marks what it touched with :meth:`touch`; listeners registered with
    :meth:`Workspace.subscribe` receive the record after the change is safely saved.
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


@dataclass(frozen=True)
class UnlockedFile:
    """A forum file decrypted but not yet opened: safe to hand from a worker to the DB thread."""

    vault: Vault
    image: bytearray


@dataclass(frozen=True)
class SealedNew:
    """A new forum file's keys, derived but not yet written, and its recovery key."""

    vault: Vault
    recovery_key: str


def unlock(path: Path | str, passphrase: str) -> UnlockedFile:
    """Derive the key and decrypt (the slow part of opening); touches no database."""
    vault, image = Vault.open(Path(path), passphrase)
    return UnlockedFile(vault, image)


def unlock_with_recovery_key(path: Path | str, recovery_key: str) -> UnlockedFile:
    """As :func:`unlock`, with the printed recovery key."""
    vault, image = Vault.open_with_recovery_key(Path(path), recovery_key)
    return UnlockedFile(vault, image)


def seal_new(path: Path | str, passphrase: str, kdf: KdfParams | None = None) -> SealedNew:
    """Make a new file's data key and key slots (the slow part of creating); writes nothing."""
    path = Path(path)
    if path.exists():
        raise ForumFileExists(
            f"“{path.name}” already exists; choose another name or move the old file first."
        )
    vault, recovery_key = Vault.create(path, passphrase, kdf)
    return SealedNew(vault, recovery_key)


class Workspace:
    """One open forum file. Build it with :meth:`create`, :meth:`open` or
    :meth:`open_with_recovery_key`; call :meth:`close` when done."""

    def __init__(self, vault: Vault, conn: sqlite3.Connection, generations: GenerationLog) -> None:
        self._vault: Vault | None = vault
        self._conn: sqlite3.Connection | None = conn
        self._db = sqlite_utils.Database(conn)
        self._generations = generations
        self._saved_image: bytes | bytearray = b""
        self._current_change: Change | None = None
        self._purge_requested = False
        self._pending_slot: PassphraseSlot | None = None
        self._listeners: list[ChangeListener] = []
        self.path = vault.path
        self.saved_at: datetime | None = None
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
        path = sealed.vault.path
        if path.exists():
            raise ForumFileExists(
                f"“{path.name}” already exists; choose another name or move the old file first."
            )
        if not forum.strip():
            raise ValueError("a forum file needs the forum's name")
        vault = sealed.vault
        workspace = cls(vault, _memory_connection(), generations or GenerationLog())
        workspace.recovery_key = sealed.recovery_key
        try:
            with workspace.transaction("forum_created"):
                schema.migrate(workspace.db)
                first_id = str(uuid.UUID(bytes=vault.header.file_id))
                workspace.db.execute(
                    "INSERT INTO forum (id, name, area, created, file_id, forum_id, origin_id) "
                    "VALUES (1, ?, ?, ?, ?, ?, ?)",
                    [
                        forum.strip(),
                        area.strip(),
                        audit.now_iso(),
                        vault.header.file_id.hex(),
                        first_id,
                        first_id,
                    ],
                )
                audit.record(workspace.db, "forum_created")
        except BaseException:
            workspace.close()
            raise
        return workspace

    @classmethod
    def open(
        cls, path: Path | str, passphrase: str, *, generations: GenerationLog | None = None
    ) -> Workspace:
        """Open with the passphrase. Raises WrongPassphrase or DamagedFile."""
        return cls.from_unlocked(unlock(path, passphrase), generations=generations)

    @classmethod
    def open_with_recovery_key(
        cls, path: Path | str, recovery_key: str, *, generations: GenerationLog | None = None
    ) -> Workspace:
        """Open with the printed recovery key (then set a new passphrase with
        :meth:`change_passphrase`). Raises WrongRecoveryKey or DamagedFile."""
        return cls.from_unlocked(
            unlock_with_recovery_key(path, recovery_key), generations=generations
        )

    @classmethod
    def from_unlocked(
        cls, unlocked: UnlockedFile, *, generations: GenerationLog | None = None
    ) -> Workspace:
        """Second half of :meth:`open`, on the thread that will own the database.

        :func:`unlock` (key derivation and decryption, no database) can run in a worker; the
        SQLite connection is made here, so exactly one thread ever touches it.
        """
        return cls._from_image(unlocked.vault, unlocked.image, generations or GenerationLog())

    @classmethod
    def _from_image(
        cls, vault: Vault, image: bytes | bytearray, generations: GenerationLog
    ) -> Workspace:
        conn = _memory_connection()
        try:
            conn.deserialize(image)
            _configure(conn)
            version: int = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            conn.close()
            vault.close()
            raise DamagedFile(vault.path, "its database is not readable.") from None
        if version > schema.latest_version():
            conn.close()
            vault.close()
            raise UnsupportedVersion(
                vault.path,
                f"it was saved by a newer forumkit (data version {version}; this forumkit "
                f"knows up to {schema.latest_version()}). Update forumkit to open it.",
            )
        workspace = cls(vault, conn, generations)
        workspace._saved_image = image
        workspace._check_generation()
        if version < schema.latest_version():
            # The save below keeps the pre-upgrade file as FILE.bak.
            with workspace.transaction("schema_upgraded") as change:
                applied = schema.migrate(workspace.db)
                audit.record(workspace.db, "schema_upgraded", {"to_version": applied[-1]})
                change.touch("schema", *(str(v) for v in applied))
        return workspace

    def _check_generation(self) -> None:
        header = self.vault.header
        seen = self._generations.highest_seen(header.file_id)
        if seen is not None and seen > header.generation:
            self.warnings.append(
                f"This copy of “{self.path.name}” is older than one opened on this computer "
                f"before (saved {header.generation} times, against {seen}). Work added since "
                "then is not in it; look for the newer copy before adding more."
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

    def close(self) -> None:
        """Drop the decrypted database and the key from memory. Safe to call twice."""
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
        self._saved_image = b""
        self._listeners.clear()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one change path -----------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            raise WorkspaceClosed(f"“{self.path.name}” is closed; open it again to continue.")
        return self._vault

    @property
    def db(self) -> sqlite_utils.Database:
        """The forum database (sqlite-utils), for the domain modules."""
        if self._conn is None:
            raise WorkspaceClosed(f"“{self.path.name}” is closed; open it again to continue.")
        return self._db

    def subscribe(self, listener: ChangeListener) -> None:
        """Call ``listener`` with each :class:`Change` once it is saved."""
        self._listeners.append(listener)

    @contextmanager
    def transaction(self, action: str | None = None, *, purge: bool = False) -> Iterator[Change]:
        """Group changes: commit and save the encrypted file on success, undo all on failure.

        Nested use joins the outer transaction (and its change record). On any exception (in
        the block, the commit or the save) the in-memory database returns to the last saved
        state and the file on disk is untouched, so a failed operation never leaves a
        half-change behind.

        ``purge=True`` is for erasure: the database is vacuumed before saving and ``FILE.bak``
        is replaced by the new version, so deleted text survives in neither file.
        """
        if self._current_change is not None:
            self._purge_requested |= purge
            yield self._current_change
            return
        conn = self._connection()
        change = Change(action)
        self._current_change = change
        self._purge_requested = purge
        try:
            conn.execute("BEGIN")
            yield change
            conn.execute("COMMIT")
            if self._purge_requested:
                conn.execute("VACUUM")
            self._save(purge_backup=self._purge_requested)
        except BaseException:
            self._restore_saved()
            raise
        finally:
            self._current_change = None
            self._purge_requested = False
        for listener in list(self._listeners):
            listener(change)

    def change_passphrase(self, new_passphrase: str, kdf: KdfParams | None = None) -> None:
        """Rewrap the data key under a new passphrase (new salt); nothing else changes.

        The app can split it: ``slot = workspace.vault.new_passphrase_slot(p)`` (the slow
        part, no database) in a worker, then :meth:`apply_passphrase_slot` here.
        """
        self.apply_passphrase_slot(self.vault.new_passphrase_slot(new_passphrase, kdf))

    def apply_passphrase_slot(self, slot: PassphraseSlot) -> None:
        """Save the file with a new passphrase slot made by ``vault.new_passphrase_slot``."""
        with self.transaction("passphrase_changed"):
            audit.record(self.db, "passphrase_changed")
            self._pending_slot = slot  # written by the save that ends the transaction

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise WorkspaceClosed(f"“{self.path.name}” is closed; open it again to continue.")
        return self._conn

    def _save(self, purge_backup: bool = False) -> None:
        image = self._connection().serialize()
        slot, self._pending_slot = self._pending_slot, None
        self.vault.save(image, passphrase_slot=slot, purge_backup=purge_backup)
        self._saved_image = image
        self.saved_at = datetime.now().astimezone()
        if len(image) > WARN_IMAGE_BYTES:
            self.warnings.append(
                f"“{self.path.name}” holds over 512 MiB; at 1 GiB forumkit will refuse to save. "
                "Consider moving old surveys to another forum file."
            )

    def _restore_saved(self) -> None:
        self._pending_slot = None
        conn = self._conn
        if conn is None:
            return
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if self._saved_image:
            conn.deserialize(self._saved_image)
            _configure(conn)

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


def _memory_connection() -> sqlite3.Connection:
    # isolation_level=None: transactions are ours (BEGIN/COMMIT in Workspace.transaction).
    conn = sqlite3.connect(":memory:", isolation_level=None)
    _configure(conn)
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA foreign_keys = ON")
