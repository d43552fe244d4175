"""The encrypted forum file (``.forumkit``): one file per forum, safe on a lost laptop.

A :class:`Vault` is an open forum file's key material and header; it turns a SQLite image
(bytes, kept in memory only) into the file on disk and back. It knows nothing of what the
database holds: that is :mod:`forumkit.workspace`'s business.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from forumkit.errors import (
    DamagedFile,
    DiskFull,
    FileChangedOnDisk,
    FileTooLarge,
    ForumFileExists,
    OlderCopyNotConfirmed,
    ReadOnlyWorkspace,
    SaveFailed,
    WrongPassphrase,
    WrongRecoveryKey,
)
from forumkit.vault.backup import (
    BackupCheck,
    BackupRepair,
    BackupState,
    check_backup,
    finish_erasure,
    tidy_beside,
)
from forumkit.vault.format import (
    FORMAT_MAJOR,
    MAX_HEADER_BYTES,
    SAVE_SALT_BYTES,
    TAG_BYTES,
    Header,
    open_body,
    parse_header,
    seal_body,
    seal_body_chunks,
)
from forumkit.vault.keys import (
    DATA_KEY_BYTES,
    MIN_PASSPHRASE_CHARS,
    NONCE_BYTES,
    KdfParams,
    PassphraseSlot,
    RecoverySlot,
    check_new_passphrase,
    format_recovery_key,
    insecure_test_kdf_allowed,
    kdf_for_new_slot,
    new_recovery_key,
    parse_recovery_key,
)
from forumkit.vault.lock import WriterLock
from forumkit.vault.storage import (
    CONFIG_DIR_ENV,
    NoRoom,
    backup_path,
    check_room,
    config_dir,
    marked_read_only,
    remove_stale_temps,
    write_atomically,
)
from forumkit.wording import plural

MAX_IMAGE_BYTES = 1024 * 1024 * 1024
WARN_IMAGE_BYTES = 512 * 1024 * 1024
FILE_ID_BYTES = 16

__all__ = [
    "CONFIG_DIR_ENV",
    "FORMAT_MAJOR",
    "MAX_IMAGE_BYTES",
    "MIN_PASSPHRASE_CHARS",
    "WARN_IMAGE_BYTES",
    "BackupCheck",
    "BackupRepair",
    "BackupState",
    "DiskVersion",
    "KdfParams",
    "OlderCopy",
    "PassphraseSlot",
    "SealedImage",
    "Vault",
    "WriterLock",
    "backup_path",
    "check_new_passphrase",
    "config_dir",
    "marked_read_only",
    "wipe",
    "write_atomically",
]


@dataclass(frozen=True)
class OlderCopy:
    """This copy of a forum file is older than one this computer has seen: saved
    ``generation`` times, against ``newest_seen``. Work saved in the newer copy is not in it."""

    generation: int
    newest_seen: int

    def as_dict(self) -> dict[str, int]:
        """A JSON-ready form, as ``forumkit verify --json`` prints it."""
        return {"generation": self.generation, "newest_seen": self.newest_seen}


@dataclass(frozen=True)
class SealedImage:
    """A database image encrypted under a file's key, held in memory instead of on disk.

    What the app keeps when it locks with changes it could not save: the same header and
    ciphertext a save would write, so only the file's passphrase (or recovery key) opens it.
    """

    path: Path
    header_bytes: bytes
    ciphertext: bytes
    disk_header: bytes | None
    """The header of the file on disk when it was sealed (what later saves must still find)."""
    purge_backup: bool
    """An erasure among the unsaved changes: the save that writes them also replaces FILE.bak."""


@dataclass(frozen=True)
class DiskVersion:
    """A forum file as it is on disk now, decrypted with the open file's key, not yet continued
    from: what another program saved over the version this forumkit last read or wrote."""

    header: Header
    header_bytes: bytes
    image: bytearray
    """The decrypted database image; wipe it once loaded."""


def wipe(buffer: bytearray) -> None:
    """Overwrite a buffer that held plaintext (a decrypted image) with zeros, in place.

    Freed memory keeps its contents until reused; a decrypted image is wiped as soon as SQLite
    has its own copy, so one fewer copy of the forum's answers lingers in the process.
    """
    if buffer:
        ctypes.memset((ctypes.c_char * len(buffer)).from_buffer(buffer), 0, len(buffer))


class Vault:
    """An open forum file: its path, current header and the data key (in memory only)."""

    def __init__(
        self,
        path: Path,
        header: Header,
        data_key: bytes | bytearray,
        *,
        disk_header: bytes | None = None,
        lock: WriterLock | None = None,
    ) -> None:
        self.path = path
        self.header = header
        """The header of the version last read or written (its generation, its key slots)."""
        # A bytearray, so that closing can overwrite it: an immutable bytes copy would stay in
        # freed memory until something happened to reuse it.
        self._data_key: bytearray | None = bytearray(data_key)
        self._chunk = bytearray()  # encryption's output, a chunk at a time, reused by every save
        self._disk_header = disk_header
        self._lock = lock
        self._staged_slot: PassphraseSlot | None = None
        # A newer copy of this file seen on this computer, and whether the user said to carry
        # on with this one all the same (see :meth:`note_newer_copy`).
        self._newest_seen: int | None = None
        self._older_copy_confirmed = False
        self.backup_repair: BackupRepair | None = None
        """What opening for writing found wrong with the backup, and whether it was put right."""

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        kdf: KdfParams | None = None,
        *,
        lock: WriterLock | None = None,
    ) -> tuple[Vault, str]:
        """A new vault (not yet on disk) and its recovery key, in printable form, shown once.

        Its first save refuses to overwrite a file that appears at ``path`` meanwhile.
        """
        check_new_passphrase(passphrase)
        params = kdf if kdf is not None else kdf_for_new_slot()
        file_id = secrets.token_bytes(FILE_ID_BYTES)
        data_key = secrets.token_bytes(DATA_KEY_BYTES)
        recovery_key = new_recovery_key()
        header = Header(
            file_id=file_id,
            generation=0,
            save_salt=secrets.token_bytes(SAVE_SALT_BYTES),
            nonce=secrets.token_bytes(NONCE_BYTES),
            passphrase_slot=PassphraseSlot.seal(data_key, passphrase, file_id, params),
            recovery_slot=RecoverySlot.seal(data_key, recovery_key, file_id),
        )
        return cls(path, header, data_key, lock=lock), format_recovery_key(recovery_key)

    @staticmethod
    @contextmanager
    def _mapped(path: Path) -> Iterator[tuple[Header, bytes, memoryview]]:
        """The file's header and a view of its body, mapped rather than read into memory.

        Mapping spares one full copy of the file on every open; the map is closed (and the
        file released, which matters on Windows) as soon as the body is decrypted.
        """
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise DamagedFile(path, "there is no file at that path.") from None
        except IsADirectoryError:
            raise DamagedFile(path, "it is a folder, not a forumkit file.") from None
        with handle:
            if os.fstat(handle.fileno()).st_size == 0:
                parse_header(path, b"")  # raises: an empty file is not a forumkit file
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                whole = memoryview(mapped)
                try:
                    header, header_bytes = parse_header(path, bytes(whole[:MAX_HEADER_BYTES]))
                    with whole[len(header_bytes) :] as body:
                        yield header, header_bytes, body
                finally:
                    whole.release()

    @staticmethod
    def _check_kdf(path: Path, params: KdfParams) -> None:
        # Checked before deriving: a crafted header must not make us allocate 100 GiB.
        if params.is_absurd():
            raise DamagedFile(path, "its key-derivation settings are impossible values.")
        if params.is_reduced() and not insecure_test_kdf_allowed():
            raise DamagedFile(
                path, "its key-derivation settings are weaker than forumkit ever writes."
            )

    @classmethod
    def open(
        cls, path: Path, passphrase: str, *, lock: WriterLock | None = None
    ) -> tuple[Vault, bytearray]:
        """Unlock with the passphrase; returns the vault and the decrypted SQLite image.

        With ``lock`` (this file's writer lock, which the vault then holds and releases on
        :meth:`close`) the vault can save; without, it is read-only.
        """
        with cls._mapped(path) as (header, header_bytes, body):
            data_key = cls._unseal_passphrase_slot(path, header, passphrase)
            try:
                image = open_body(path, data_key, header, header_bytes, body)
                vault = cls(path, header, data_key, disk_header=header_bytes, lock=lock)
            finally:
                wipe(data_key)  # the vault keeps its own copy, wiped when it closes
        if lock is not None:
            vault._tidy_beside()
        return vault, image

    @classmethod
    def _unseal_passphrase_slot(cls, path: Path, header: Header, passphrase: str) -> bytearray:
        cls._check_kdf(path, header.passphrase_slot.params)
        data_key = header.passphrase_slot.unseal(passphrase, header.file_id)
        if data_key is None:
            raise WrongPassphrase(path)
        return data_key

    @classmethod
    def open_with_data_key(
        cls, path: Path, data_key: bytes | bytearray, *, lock: WriterLock | None = None
    ) -> tuple[Vault, bytearray]:
        """Open with the data key itself, handed over by the process that had the file open.

        For the app's fresh process (kiosk mode between two parents): it continues with the file
        its predecessor had unlocked, without asking for the passphrase again and without the
        key ever touching the disk. A key that does not decrypt the file is refused as damage.
        """
        with cls._mapped(path) as (header, header_bytes, body):
            image = open_body(path, data_key, header, header_bytes, body)
        opened = cls(path, header, data_key, disk_header=header_bytes, lock=lock)
        if lock is not None:
            opened._tidy_beside()
        return opened, image

    @classmethod
    def open_with_recovery_key(
        cls, path: Path, recovery_key: str, *, lock: WriterLock | None = None
    ) -> tuple[Vault, bytearray]:
        """Unlock with the printed recovery key, for when the passphrase is forgotten."""
        key = parse_recovery_key(recovery_key)
        with cls._mapped(path) as (header, header_bytes, body):
            if header.recovery_slot is None:
                raise WrongRecoveryKey(f"“{path.name}” has no recovery key slot.")
            data_key = header.recovery_slot.unseal(key, header.file_id)
            if data_key is None:
                raise WrongRecoveryKey(
                    f"That recovery key does not open “{path.name}”: it belongs to another "
                    "forum file, or this file's recovery key was replaced."
                )
            image = open_body(path, data_key, header, header_bytes, body)
        opened = cls(path, header, data_key, disk_header=header_bytes, lock=lock)
        if lock is not None:
            opened._tidy_beside()
        return opened, image

    @classmethod
    def open_sealed(
        cls, sealed: SealedImage, passphrase: str, *, lock: WriterLock | None = None
    ) -> tuple[Vault, bytearray]:
        """Unlock an image kept sealed in memory (:meth:`seal`) with the file's passphrase.

        The vault continues from the file as it was on disk when the image was sealed, so its
        next save checks the file is still that version before writing.
        """
        path = sealed.path
        header, header_bytes = parse_header(path, sealed.header_bytes)
        data_key = cls._unseal_passphrase_slot(path, header, passphrase)
        image = open_body(path, data_key, header, header_bytes, memoryview(sealed.ciphertext))
        generation = header.generation - 1
        if sealed.disk_header is not None:
            generation = parse_header(path, sealed.disk_header)[0].generation
        vault = cls(
            path,
            replace(header, generation=generation),
            data_key,
            disk_header=sealed.disk_header,
            lock=lock,
        )
        return vault, image

    @staticmethod
    def read_header(path: Path) -> tuple[Header, bytes]:
        """The header of the file at ``path`` and its bytes, reading nothing else.

        FileNotFoundError when there is no file; DamagedFile when it is not a forumkit file.
        """
        with path.open("rb") as handle:
            start = handle.read(MAX_HEADER_BYTES)
        return parse_header(path, start)

    # -- the passphrase ----------------------------------------------------------------------

    @property
    def passphrase_slot(self) -> PassphraseSlot:
        """The passphrase slot the next save writes: the file's, or a new one not yet saved."""
        return self._staged_slot or self.header.passphrase_slot

    def check_passphrase(self, passphrase: str) -> None:
        """Raise WrongPassphrase unless ``passphrase`` unlocks this file.

        Only the key slot is unsealed (the slow key derivation), nothing is decrypted or read
        from disk: for asking the passphrase again while the file stays open (leaving kiosk
        mode). Safe to call from a worker thread: it touches no database.
        """
        slot = self.passphrase_slot
        data_key = slot.unseal(passphrase, self.header.file_id)
        if data_key is None:
            raise WrongPassphrase(self.path)
        same = secrets.compare_digest(data_key, self.data_key)
        wipe(data_key)
        if not same:
            raise WrongPassphrase(self.path)

    def stage_passphrase_slot(self, slot: PassphraseSlot) -> None:
        """Use ``slot`` (from :meth:`new_passphrase_slot`) from the next save on."""
        self._staged_slot = slot

    # -- saving ------------------------------------------------------------------------------

    @property
    def data_key(self) -> bytearray:
        """The data key, in the vault's own buffer (wiped on :meth:`close`): never copy it."""
        if self._data_key is None:
            raise RuntimeError("the vault is closed")
        return self._data_key

    def new_passphrase_slot(self, passphrase: str, kdf: KdfParams | None = None) -> PassphraseSlot:
        """A slot wrapping this file's data key under a new passphrase (fresh Argon2id salt)."""
        check_new_passphrase(passphrase)
        params = kdf if kdf is not None else kdf_for_new_slot()
        return PassphraseSlot.seal(self.data_key, passphrase, self.header.file_id, params)

    @property
    def read_only(self) -> bool:
        """True when this vault does not hold the file's writer lock: it may not save."""
        return self._lock is None or not self._lock.held

    @property
    def lock(self) -> WriterLock | None:
        return self._lock

    def save(self, image: bytes | bytearray | memoryview, purge_backup: bool = False) -> Header:
        """Encrypt and write ``image`` as the next generation; the header changes only on success.

        Refused (nothing written) when the vault is read-only, the image is too large, or the
        file on disk is no longer the version this vault last read or wrote (another program
        replaced it): FileChangedOnDisk. ``purge_backup`` also replaces ``FILE.bak`` with this
        version, so that data just erased does not live on in the backup.

        Past 1 GiB a save is refused (the file would be unwieldy to copy and back up, and memory
        use doubles while saving). Also refused, before anything is written: an older copy the
        user has not said to carry on with (OlderCopyNotConfirmed), a file marked read-only
        (SaveFailed) and a disk without room for the save (DiskFull).

        With ``purge_backup`` the save records itself in the header as the file's latest
        erasure before writing, so that if it is interrupted after writing the file but before
        the backup, the next open for writing finishes the job (:meth:`_tidy_beside`).
        """
        if self.read_only:
            raise ReadOnlyWorkspace(self.path)
        self.check_size(len(image))
        self.check_unchanged_on_disk()
        if self._newest_seen is not None and not self._older_copy_confirmed:
            generation, newest = self.header.generation, self._newest_seen
            raise OlderCopyNotConfirmed(
                self.path,
                generation,
                newest,
                f"it is an older copy (saved {plural(generation, 'time')}) of a forum file this "
                f"computer has seen saved {plural(newest, 'time')}, so work saved in the newer "
                "copy is not in it. Confirm to carry on with this copy, or find the newer one.",
            )
        if marked_read_only(self.path):
            raise SaveFailed(self.path, "it is marked read-only")
        slot = self._staged_slot
        header, header_bytes = self._next_header(slot, erasure=purge_backup)
        self._check_room(self.path, len(header_bytes) + len(image) + TAG_BYTES, keep_backup=True)
        write_atomically(self.path, header_bytes, self._sealed_chunks(header, header_bytes, image))
        self._saved(header, header_bytes, slot)
        if purge_backup:
            # If this fails, the header's erasure record has the next open finish it.
            finish_erasure(self.path, header.generation)
        return header

    def _check_room(self, path: Path, size: int, *, keep_backup: bool) -> None:
        try:
            check_room(path, size, keep_backup=keep_backup)
        except NoRoom as full:
            raise DiskFull(path, full.needed, full.free) from None

    def _tidy_beside(self) -> None:
        """On opening for writing: clear what crashed saves left beside the file, and put a
        damaged backup (or one still holding erased data) right."""
        remove_stale_temps(self.path)
        self.backup_repair = tidy_beside(self.path, self.header, self.data_key)

    def check_backup(self) -> BackupCheck:
        """Whether ``FILE.bak`` is sound, damaged or still holds data erased since: its header
        read and its whole body decrypted (a chunk at a time) with this file's key."""
        return check_backup(self.path, self.header, self.data_key)

    # -- an older copy -----------------------------------------------------------------------

    def note_newer_copy(self, newest_seen: int) -> None:
        """This computer has seen this file saved ``newest_seen`` times, more than this copy:
        refuse saves (OlderCopyNotConfirmed) until :meth:`confirm_older_copy`."""
        if newest_seen > self.header.generation:
            self._newest_seen = newest_seen

    def confirm_older_copy(self) -> None:
        """The user said to carry on with this older copy. Its next save is numbered on from
        the newest generation seen, so it never takes a number the newer copy already has,
        and from then on this copy is the newest this computer knows."""
        self._older_copy_confirmed = True

    @property
    def older_copy(self) -> OlderCopy | None:
        """Set while this is an older copy not yet saved past the newest one seen."""
        if self._newest_seen is None:
            return None
        return OlderCopy(self.header.generation, self._newest_seen)

    def save_as(self, path: Path, image: bytes | bytearray | memoryview, lock: WriterLock) -> None:
        """Write ``image`` as a new file at ``path`` (held by ``lock``) and carry on there.

        For changes the original file can no longer take (it was changed on disk by another
        program, or it cannot be written). The new file is a copy of the same forum file (same
        id and keys); it never overwrites an existing file.
        """
        if path.exists():
            raise ForumFileExists(
                f"“{path.name}” already exists; choose another name for the new file."
            )
        self.check_size(len(image))
        # Choosing to save an older copy's changes as a new file is carrying on with it.
        self._older_copy_confirmed = True
        slot = self._staged_slot
        header, header_bytes = self._next_header(slot)
        self._check_room(path, len(header_bytes) + len(image) + TAG_BYTES, keep_backup=False)
        chunks = self._sealed_chunks(header, header_bytes, image)
        write_atomically(path, header_bytes, chunks, keep_backup=False)
        old_lock, self._lock, self.path = self._lock, lock, path
        self._saved(header, header_bytes, slot)
        if old_lock is not None:
            old_lock.release()

    def seal(self, image: bytes | bytearray | memoryview, purge_backup: bool) -> SealedImage:
        """``image`` encrypted as the next save would write it, but kept in memory."""
        header, header_bytes = self._next_header(self._staged_slot)
        ciphertext = seal_body(self.data_key, header, header_bytes, image, bytearray())
        return SealedImage(
            self.path, header_bytes, bytes(ciphertext), self._disk_header, purge_backup
        )

    def reread(self) -> bytearray:
        """Decrypt the file as it is on disk now, with this vault's key, and continue from it.

        For discarding changes in memory in favour of the file (after FileChangedOnDisk). The
        file must be a version of the same forum file; another file needs its own passphrase.
        """
        version = self.read_disk_version()
        self.header, self._disk_header, self._staged_slot = (
            version.header,
            version.header_bytes,
            None,
        )
        return version.image

    def read_disk_version(self) -> DiskVersion:
        """Decrypt the file as it is on disk now with this vault's key, without continuing
        from it (see :meth:`continue_from`): for merging another program's save into the
        changes in memory. The file must be a version of the same forum file; another file
        needs its own passphrase (FileChangedOnDisk)."""
        with self._mapped(self.path) as (header, header_bytes, body):
            if header.file_id != self.header.file_id:
                raise FileChangedOnDisk(
                    self.path, "it is now a different forum file, which needs its passphrase."
                )
            image = open_body(self.path, self.data_key, header, header_bytes, body)
        return DiskVersion(header, header_bytes, image)

    def continue_from(self, version: DiskVersion) -> None:
        """Take ``version`` (read by :meth:`read_disk_version`) as the version on disk: the next
        save writes over it, and only over it. A new passphrase not yet saved stays staged.

        When ``version`` is older than this vault's (an older copy was put in place), the next
        save is numbered on from this vault's: what it writes holds both, so no copy this
        computer has seen is newer."""
        ours = self.header.generation
        self.header, self._disk_header = version.header, version.header_bytes
        if ours > version.header.generation:
            self._newest_seen = max(ours, self._newest_seen or 0)
            self._older_copy_confirmed = True

    def check_unchanged_on_disk(self) -> None:
        """Raise FileChangedOnDisk unless the file on disk is the version last read or written.

        Compares the whole header, which holds the generation and a salt fresh on every save,
        so another laptop's save of the same generation is told apart too.
        """
        try:
            header, header_bytes = self.read_header(self.path)
        except FileNotFoundError:
            if self._disk_header is None:
                return  # a new file, not yet written
            raise FileChangedOnDisk(
                self.path, "it is no longer there (it was moved, renamed or deleted)."
            ) from None
        except DamagedFile:
            raise FileChangedOnDisk(
                self.path, "something that is not this forum file was put in its place."
            ) from None
        if header_bytes == self._disk_header:
            return
        if self._disk_header is None:
            raise FileChangedOnDisk(self.path, "another file was created there meanwhile.")
        if header.file_id != self.header.file_id:
            raise FileChangedOnDisk(self.path, "another forum file was put in its place.")
        ours = self.header.generation
        if header.generation > ours:
            what = (
                f"it was saved by another program since forumkit opened it (saved "
                f"{plural(header.generation, 'time')} there, {ours:,} here)."
            )
        elif header.generation < ours:
            what = (
                f"an older copy was put in its place (saved {plural(header.generation, 'time')}, "
                f"against {ours:,} here)."
            )
        else:
            what = "a copy saved on another computer was put in its place."
        raise FileChangedOnDisk(self.path, what)

    def check_size(self, size: int) -> None:
        """Raise FileTooLarge when an image of ``size`` bytes is more than a file may hold."""
        if size > MAX_IMAGE_BYTES:
            raise FileTooLarge(
                f"“{self.path.name}” would grow past 1 GiB, more than one forum file may hold. "
                "Nothing was saved; remove old surveys or split them into another forum file."
            )

    def _next_header(
        self, slot: PassphraseSlot | None, *, erasure: bool = False
    ) -> tuple[Header, bytes]:
        at_least = 0
        if self._newest_seen is not None and self._older_copy_confirmed:
            at_least = self._newest_seen + 1
        header = self.header.for_next_save(
            secrets.token_bytes(SAVE_SALT_BYTES),
            secrets.token_bytes(NONCE_BYTES),
            erasure=erasure,
            at_least=at_least,
        )
        if slot is not None:
            header = replace(header, passphrase_slot=slot)
        return header, header.pack()

    def _sealed_chunks(
        self, header: Header, header_bytes: bytes, image: bytes | bytearray | memoryview
    ) -> Iterator[memoryview | bytes]:
        return seal_body_chunks(self.data_key, header, header_bytes, image, self._chunk)

    def _saved(self, header: Header, header_bytes: bytes, slot: PassphraseSlot | None) -> None:
        self.header, self._disk_header = header, header_bytes
        if self._newest_seen is not None and header.generation > self._newest_seen:
            self._newest_seen = None  # this copy is now the newest this computer knows
        if slot is not None and self._staged_slot is slot:
            self._staged_slot = None
        if self._lock is not None:
            self._lock.refresh()

    def close(self) -> None:
        """Overwrite the data key, forget it and let go of the writer lock. Safe to call twice.

        The key's own buffer is zeroed; copies the crypto library made while using it are
        beyond Python's reach (the app restarts its process on lock for that reason).
        """
        if self._data_key is not None:
            wipe(self._data_key)
        self._data_key = None
        self._chunk = bytearray()
        self._staged_slot = None
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()
