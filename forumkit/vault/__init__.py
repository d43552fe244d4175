"""The encrypted forum file (``.forumkit``): one file per forum, safe on a lost laptop.

A :class:`Vault` is an open forum file's key material and header; it turns a SQLite image
(bytes, kept in memory only) into the file on disk and back. It knows nothing of what the
database holds: that is :mod:`forumkit.workspace`'s business.
"""

from __future__ import annotations

import mmap
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from forumkit.errors import DamagedFile, FileTooLarge, WrongPassphrase, WrongRecoveryKey
from forumkit.vault.format import (
    FORMAT_MAJOR,
    MAX_HEADER_BYTES,
    SAVE_SALT_BYTES,
    Header,
    open_body,
    parse_header,
    seal_body,
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
from forumkit.vault.storage import (
    CONFIG_DIR_ENV,
    backup_path,
    config_dir,
    remove_stale_temps,
    write_atomically,
)

MAX_IMAGE_BYTES = 1024 * 1024 * 1024
WARN_IMAGE_BYTES = 512 * 1024 * 1024
FILE_ID_BYTES = 16

__all__ = [
    "CONFIG_DIR_ENV",
    "FORMAT_MAJOR",
    "MAX_IMAGE_BYTES",
    "MIN_PASSPHRASE_CHARS",
    "WARN_IMAGE_BYTES",
    "KdfParams",
    "PassphraseSlot",
    "Vault",
    "backup_path",
    "check_new_passphrase",
    "config_dir",
    "write_atomically",
]


class Vault:
    """An open forum file: its path, current header and the data key (in memory only)."""

    def __init__(self, path: Path, header: Header, data_key: bytes) -> None:
        self.path = path
        self.header = header
        self._data_key: bytes | None = data_key
        self._ciphertext = bytearray()  # reused by every save

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str, kdf: KdfParams | None = None) -> tuple[Vault, str]:
        """A new vault (not yet on disk) and its recovery key, in printable form, shown once."""
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
        return cls(path, header, data_key), format_recovery_key(recovery_key)

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
    def open(cls, path: Path, passphrase: str) -> tuple[Vault, bytearray]:
        """Unlock with the passphrase; returns the vault and the decrypted SQLite image."""
        with cls._mapped(path) as (header, header_bytes, body):
            cls._check_kdf(path, header.passphrase_slot.params)
            data_key = header.passphrase_slot.unseal(passphrase, header.file_id)
            if data_key is None:
                raise WrongPassphrase(path)
            image = open_body(path, data_key, header, header_bytes, body)
        remove_stale_temps(path)
        return cls(path, header, data_key), image

    @classmethod
    def open_with_recovery_key(cls, path: Path, recovery_key: str) -> tuple[Vault, bytearray]:
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
        return cls(path, header, data_key), image

    # -- saving ------------------------------------------------------------------------------

    @property
    def data_key(self) -> bytes:
        if self._data_key is None:
            raise RuntimeError("the vault is closed")
        return self._data_key

    def new_passphrase_slot(self, passphrase: str, kdf: KdfParams | None = None) -> PassphraseSlot:
        """A slot wrapping this file's data key under a new passphrase (fresh Argon2id salt)."""
        check_new_passphrase(passphrase)
        params = kdf if kdf is not None else kdf_for_new_slot()
        return PassphraseSlot.seal(self.data_key, passphrase, self.header.file_id, params)

    def save(
        self,
        image: bytes,
        passphrase_slot: PassphraseSlot | None = None,
        purge_backup: bool = False,
    ) -> Header:
        """Encrypt and write ``image`` as the next generation; the header changes only on success.

        ``purge_backup`` also replaces ``FILE.bak`` with this version, so that data just
        erased does not live on in the backup.

        The image size is checked first: past 1 GiB a save is refused (the file would be
        unwieldy to copy and back up, and memory use doubles while saving).
        """
        if len(image) > MAX_IMAGE_BYTES:
            raise FileTooLarge(
                f"“{self.path.name}” would grow past 1 GiB, more than one forum file may hold. "
                "Nothing was saved; remove old surveys or split them into another forum file."
            )
        header = self.header.for_next_save(
            secrets.token_bytes(SAVE_SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
        )
        if passphrase_slot is not None:
            header = replace(header, passphrase_slot=passphrase_slot)
        header_bytes = header.pack()
        ciphertext = seal_body(self.data_key, header, header_bytes, image, self._ciphertext)
        write_atomically(self.path, header_bytes, ciphertext)
        if purge_backup:
            write_atomically(backup_path(self.path), header_bytes, ciphertext, keep_backup=False)
        self.header = header
        return header

    def close(self) -> None:
        """Forget the data key (as far as Python lets us drop a reference)."""
        self._data_key = None
        self._ciphertext = bytearray()
