"""The bytes of a ``.forumkit`` file: header layout, checksum and body encryption.

::

    offset  size  field
    0       8     magic "FORUMKIT"
    8       2     format major version (a reader refuses majors it does not know)
    10      2     format minor version (additions an older reader may skip)
    12      4     header length H, checksum included
    16      16    file id (random, fixed for the life of the forum file)
    32      8     save generation (incremented on every save)
    40      2     cipher id (1: AES-256-GCM, per-save key by HKDF-SHA256 from the data key)
    42      32    save salt (fresh on every save)
    74      12    nonce (fresh on every save)
    86      1     number of key slots
    87      ...   key slots: type (1 byte), payload length (2 bytes), payload
    H-32    32    SHA-256 of bytes 0..H-32 (unkeyed: tells accidental damage from a wrong key)
    H       ...   AES-256-GCM ciphertext of the SQLite image, with bytes 0..H as associated data

All integers are little-endian. Because the whole header is the associated data of the body,
changing any byte of it makes the file refuse to open even if the checksum is recomputed.

Slot types: 1 the passphrase slot, 2 the recovery-key slot, 3 (format minor 1, not a key) the
*erasure record*: the 8-byte generation of the latest save that erased data. A version of the
file saved before that generation may hold what was erased, so forumkit never keeps one as the
backup beside it (an erasure interrupted between writing the file and rewriting its backup is
finished by the next open). It is a save count only, and only files that saw an erasure carry
it. Slots of types a reader does not know are kept byte for byte when it saves.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from io import BufferedReader
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from forumkit.errors import DamagedFile, UnsupportedVersion
from forumkit.vault.keys import (
    NONCE_BYTES,
    SLOT_PASSPHRASE,
    SLOT_RECOVERY,
    PassphraseSlot,
    RecoverySlot,
)

MAGIC = b"FORUMKIT"
FORMAT_MAJOR = 1
FORMAT_MINOR = 1
"""1: the erasure record (slot type 3); a minor-0 reader keeps it unread."""
SLOT_ERASURE = 3
CIPHER_AES256GCM_HKDF = 1
SAVE_SALT_BYTES = 32
CHECKSUM_BYTES = 32
MAX_HEADER_BYTES = 64 * 1024

_FIXED = struct.Struct("<8sHHI16sQH32s12sB")
_SLOT_HEAD = struct.Struct("<BH")


@dataclass(frozen=True)
class Header:
    """Everything before the ciphertext. Immutable: each save builds a new one."""

    file_id: bytes
    generation: int
    save_salt: bytes
    nonce: bytes
    passphrase_slot: PassphraseSlot
    recovery_slot: RecoverySlot | None
    minor: int = FORMAT_MINOR
    # Slots of kinds this version does not know, kept byte for byte so a newer minor version's
    # additions survive a save by this one.
    other_slots: tuple[tuple[int, bytes], ...] = field(default=())
    last_erasure: int | None = None
    """The generation of the latest save that erased data (the erasure record), if any."""

    def for_next_save(
        self, save_salt: bytes, nonce: bytes, *, erasure: bool = False, at_least: int = 0
    ) -> Header:
        """The header of the next save: one generation on (or ``at_least``), fresh salt and
        nonce; with ``erasure``, this save is recorded as the latest erasure."""
        generation = max(self.generation + 1, at_least)
        if not erasure:
            return replace(self, generation=generation, save_salt=save_salt, nonce=nonce)
        return replace(
            self,
            generation=generation,
            save_salt=save_salt,
            nonce=nonce,
            last_erasure=generation,
            minor=max(self.minor, FORMAT_MINOR),
        )

    def pack(self) -> bytes:
        slots: list[tuple[int, bytes]] = [(SLOT_PASSPHRASE, self.passphrase_slot.pack())]
        if self.recovery_slot is not None:
            slots.append((SLOT_RECOVERY, self.recovery_slot.pack()))
        if self.last_erasure is not None:
            slots.append((SLOT_ERASURE, self.last_erasure.to_bytes(8, "little")))
        slots.extend(self.other_slots)
        slot_bytes = b"".join(_SLOT_HEAD.pack(kind, len(p)) + p for kind, p in slots)
        length = _FIXED.size + len(slot_bytes) + CHECKSUM_BYTES
        body = (
            _FIXED.pack(
                MAGIC,
                FORMAT_MAJOR,
                self.minor,
                length,
                self.file_id,
                self.generation,
                CIPHER_AES256GCM_HKDF,
                self.save_salt,
                self.nonce,
                len(slots),
            )
            + slot_bytes
        )
        return body + hashlib.sha256(body).digest()


def parse_header(path: Path, data: bytes) -> tuple[Header, bytes]:
    """Split a file into its header and the raw header bytes; any inconsistency is DamagedFile."""
    if len(data) < len(MAGIC) or data[: len(MAGIC)] != MAGIC:
        raise DamagedFile(path, "it is not a forumkit file (or its first bytes are damaged).")
    if len(data) < _FIXED.size + CHECKSUM_BYTES:
        raise DamagedFile(path, "the file is truncated: its header is incomplete.")
    (_, major, minor, length, file_id, generation, cipher, save_salt, nonce, n_slots) = (
        _FIXED.unpack_from(data)
    )
    if length < _FIXED.size + CHECKSUM_BYTES or length > MAX_HEADER_BYTES:
        raise DamagedFile(path, "its header is damaged (impossible header length).")
    if len(data) < length:
        raise DamagedFile(path, "the file is truncated: its header is incomplete.")
    raw = data[:length]
    if hashlib.sha256(raw[:-CHECKSUM_BYTES]).digest() != raw[-CHECKSUM_BYTES:]:
        raise DamagedFile(path, "its header is damaged (the header checksum does not match).")
    if major != FORMAT_MAJOR:
        raise UnsupportedVersion(
            path,
            f"it uses file format version {major}, which this forumkit does not know; "
            "a newer forumkit may open it.",
        )
    if cipher != CIPHER_AES256GCM_HKDF:
        raise UnsupportedVersion(
            path, f"it uses cipher {cipher}, which this forumkit does not know."
        )

    passphrase_slot: PassphraseSlot | None = None
    recovery_slot: RecoverySlot | None = None
    last_erasure: int | None = None
    others: list[tuple[int, bytes]] = []
    offset = _FIXED.size
    end = length - CHECKSUM_BYTES
    for _ in range(n_slots):
        if offset + _SLOT_HEAD.size > end:
            raise DamagedFile(path, "its header is damaged (key slots run past the header).")
        kind, size = _SLOT_HEAD.unpack_from(raw, offset)
        offset += _SLOT_HEAD.size
        if offset + size > end:
            raise DamagedFile(path, "its header is damaged (key slots run past the header).")
        payload = raw[offset : offset + size]
        offset += size
        if kind == SLOT_PASSPHRASE and passphrase_slot is None:
            passphrase_slot = PassphraseSlot.unpack(payload)
            if passphrase_slot is None:
                raise DamagedFile(path, "its passphrase key slot is damaged.")
        elif kind == SLOT_RECOVERY and recovery_slot is None:
            recovery_slot = RecoverySlot.unpack(payload)
            if recovery_slot is None:
                raise DamagedFile(path, "its recovery key slot is damaged.")
        elif kind == SLOT_ERASURE and last_erasure is None:
            if size != 8:
                raise DamagedFile(path, "its header is damaged (the erasure record is malformed).")
            last_erasure = int.from_bytes(payload, "little")
        elif kind in (SLOT_PASSPHRASE, SLOT_RECOVERY, SLOT_ERASURE):
            raise DamagedFile(path, "its header is damaged (a slot appears twice).")
        else:
            others.append((kind, payload))
    if offset != end:
        raise DamagedFile(path, "its header is damaged (unexpected bytes after the key slots).")
    if passphrase_slot is None:
        raise DamagedFile(path, "it has no passphrase key slot.")
    header = Header(
        file_id=file_id,
        generation=generation,
        save_salt=save_salt,
        nonce=nonce,
        passphrase_slot=passphrase_slot,
        recovery_slot=recovery_slot,
        minor=minor,
        other_slots=tuple(others),
        last_erasure=last_erasure,
    )
    return header, raw


def _save_key(data_key: bytes | bytearray, header: Header) -> bytes:
    # A cheap per-save key: a fresh salt per save means a nonce is never reused under one key,
    # even across copies of the file saved on two laptops.
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=header.save_salt,
        info=b"forumkit body v1" + header.file_id + header.generation.to_bytes(8, "little"),
    ).derive(data_key)


TAG_BYTES = 16


def seal_body(
    data_key: bytes | bytearray,
    header: Header,
    header_bytes: bytes,
    image: bytes | bytearray | memoryview,
    out: bytearray,
) -> memoryview:
    """Encrypt ``image`` into ``out`` (resized as needed and reused between saves).

    Reusing one buffer avoids allocating a new image-sized object on every save, which costs
    more than the encryption itself on large files.
    """
    assert len(header.nonce) == NONCE_BYTES
    size = len(image) + TAG_BYTES
    if len(out) < size:
        # Headroom, so a file that grows a little on each save does not reallocate each time.
        out.extend(bytes(size + size // 8 - len(out)))
    view = memoryview(out)[:size]
    AESGCM(_save_key(data_key, header)).encrypt_into(header.nonce, image, header_bytes, view)
    return view


SEAL_CHUNK_BYTES = 1024 * 1024
_BLOCK_BYTES = 16


def seal_body_chunks(
    data_key: bytes | bytearray,
    header: Header,
    header_bytes: bytes,
    image: bytes | bytearray | memoryview,
    buffer: bytearray,
) -> Iterator[memoryview | bytes]:
    """The same bytes as :func:`seal_body`, made a chunk at a time as they are written.

    Each chunk is encrypted into ``buffer`` (1 MiB, reused between saves), so a save never
    holds a second image-sized copy, and the interpreter is never held for the whole image at
    once. Write each chunk before asking for the next: the next one overwrites it.
    """
    encryptor = Cipher(
        algorithms.AES(_save_key(data_key, header)), modes.GCM(header.nonce)
    ).encryptor()
    encryptor.authenticate_additional_data(header_bytes)
    # update_into's need: a chunk and a block's slack (no more than a small image needs).
    room = min(SEAL_CHUNK_BYTES, len(image)) + _BLOCK_BYTES - 1
    if len(buffer) < room:
        buffer.extend(bytes(room - len(buffer)))
    out = memoryview(buffer)
    source = memoryview(image)
    for start in range(0, len(source), SEAL_CHUNK_BYTES):
        written = encryptor.update_into(source[start : start + SEAL_CHUNK_BYTES], out)
        yield out[:written]
    encryptor.finalize()
    yield encryptor.tag


def open_body(
    path: Path,
    data_key: bytes | bytearray,
    header: Header,
    header_bytes: bytes,
    ciphertext: memoryview,
) -> bytearray:
    """Decrypt the SQLite image; a mismatch here means the file was damaged or altered."""
    if len(ciphertext) < TAG_BYTES:
        raise DamagedFile(path, "the file is truncated: its contents are missing.")
    image = bytearray(len(ciphertext) - TAG_BYTES)
    try:
        AESGCM(_save_key(data_key, header)).decrypt_into(
            header.nonce, ciphertext, header_bytes, image
        )
        return image
    except InvalidTag:
        raise DamagedFile(
            path, "its contents are damaged, truncated or were altered after it was saved."
        ) from None


def body_is_whole(
    data_key: bytes | bytearray,
    header: Header,
    header_bytes: bytes,
    source: BufferedReader,
    length: int,
) -> bool:
    """Whether the ``length`` bytes of body that ``source`` reads next decrypt and authenticate
    under ``header``: what checking a backup needs.

    Read a megabyte at a time, each chunk decrypted into one small buffer that is wiped at the
    end, so the check never holds the whole decrypted image (and never maps a file another
    forumkit may be writing into).
    """
    if length < TAG_BYTES:
        return False
    decryptor = Cipher(
        algorithms.AES(_save_key(data_key, header)), modes.GCM(header.nonce)
    ).decryptor()
    decryptor.authenticate_additional_data(header_bytes)
    chunk = memoryview(bytearray(SEAL_CHUNK_BYTES))
    plain = bytearray(SEAL_CHUNK_BYTES + _BLOCK_BYTES - 1)
    remaining = length - TAG_BYTES
    try:
        while remaining:
            got = source.readinto(chunk[: min(SEAL_CHUNK_BYTES, remaining)])
            if not got:
                return False
            decryptor.update_into(chunk[:got], plain)
            remaining -= got
        tag = source.read(TAG_BYTES)
        if len(tag) != TAG_BYTES:
            return False
        decryptor.finalize_with_tag(tag)
        return True
    except InvalidTag:
        return False
    finally:
        plain[:] = bytes(len(plain))
