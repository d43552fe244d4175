"""Key derivation and key slots: how a passphrase or a recovery key unlocks the data key.

The data key (256 random bits) encrypts every save of the forum file. It is never stored in the
clear: each *key slot* wraps it with AES-256-GCM under a key-encryption key derived from a
passphrase (Argon2id) or from the printed recovery key (HKDF; the recovery key is random, so a
slow KDF adds nothing). Changing the passphrase rewrites only its slot, with a fresh salt.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import struct
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from forumkit.errors import WeakPassphrase, WrongRecoveryKey

DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
WRAPPED_KEY_BYTES = DATA_KEY_BYTES + 16  # AES-GCM appends a 16-byte tag

SLOT_PASSPHRASE = 1
SLOT_RECOVERY = 2
KDF_ARGON2ID = 1

MIB_IN_KIB = 1024
# Writer floor and reader ceiling for Argon2id (memory in KiB). Below the floor a stolen laptop's
# file could be brute-forced cheaply; above the ceiling a crafted file could exhaust memory or
# hang the app before it even asks whether the passphrase is right. The ceiling is what forumkit
# writes (DEFAULT_KDF: 256 MiB, 3 passes, 4 lanes) with a margin of twice each, so a later
# forumkit may raise its defaults that far: at most 512 MiB and about 4 times the default's
# time (2.4 s against 0.4 s measured; the old ceiling of 2 GiB and 10 passes cost 42-72 s).
MIN_MEMORY_KIB = 64 * MIB_IN_KIB
MIN_ITERATIONS = 3
MAX_MEMORY_KIB = 512 * MIB_IN_KIB
MAX_ITERATIONS = 6
MAX_LANES = 8

TEST_KDF_ENV = "FORUMKIT_INSECURE_TEST_KDF"
MIN_PASSPHRASE_CHARS = 8


def insecure_test_kdf_allowed() -> bool:
    """True only when the process runs the test suite's reduced key derivation."""
    return os.environ.get(TEST_KDF_ENV) == "1"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters as stored in a passphrase slot."""

    memory_kib: int
    iterations: int
    lanes: int

    def is_reduced(self) -> bool:
        """Below the production floor: allowed only in test mode."""
        return self.memory_kib < MIN_MEMORY_KIB or self.iterations < MIN_ITERATIONS

    def is_absurd(self) -> bool:
        """Values no forumkit ever writes; refused before any derivation is attempted."""
        return (
            self.memory_kib > MAX_MEMORY_KIB
            or self.iterations > MAX_ITERATIONS
            or self.lanes > MAX_LANES
            or self.lanes < 1
            or self.iterations < 1
            or self.memory_kib < 8 * self.lanes
        )

    def as_dict(self) -> dict[str, int | str]:
        return {
            "algorithm": "argon2id",
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }


DEFAULT_KDF = KdfParams(memory_kib=256 * MIB_IN_KIB, iterations=3, lanes=4)
TEST_KDF = KdfParams(memory_kib=64, iterations=1, lanes=1)


def kdf_for_new_slot() -> KdfParams:
    """The parameters a new passphrase slot gets: the defaults, or test ones in test mode."""
    return TEST_KDF if insecure_test_kdf_allowed() else DEFAULT_KDF


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC-normalise so the same passphrase typed on macOS and Windows gives the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def check_new_passphrase(passphrase: str) -> None:
    """Refuse passphrases too short to protect special category data."""
    if len(unicodedata.normalize("NFC", passphrase).strip()) < MIN_PASSPHRASE_CHARS:
        raise WeakPassphrase(
            f"The new passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} characters "
            "(a few unrelated words are easy to remember and hard to guess)."
        )


def derive_passphrase_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytearray:
    """Argon2id: the deliberately slow step (about a second with the default parameters).

    Written into a bytearray the caller overwrites once it has used it (see :func:`_wipe`).
    """
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    kek = bytearray(32)
    kdf.derive_into(normalise_passphrase(passphrase), kek)
    return kek


def _wipe(buffer: bytearray) -> None:
    """Overwrite key material in place (a passphrase's key, once it has unwrapped the data key)."""
    for index in range(len(buffer)):
        buffer[index] = 0


def derive_recovery_kek(recovery_key: bytes, salt: bytes, file_id: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=salt,
        info=b"forumkit recovery slot v1" + file_id,
    ).derive(recovery_key)


def _slot_aad(slot_type: int, file_id: bytes) -> bytes:
    # Binding the slot to its file and kind stops a slot being pasted into another file.
    return b"forumkit key slot v1" + bytes([slot_type]) + file_id


@dataclass(frozen=True)
class PassphraseSlot:
    params: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes

    LAYOUT = struct.Struct("<BIII16s12s48s")

    def pack(self) -> bytes:
        return self.LAYOUT.pack(
            KDF_ARGON2ID,
            self.params.memory_kib,
            self.params.iterations,
            self.params.lanes,
            self.salt,
            self.nonce,
            self.wrapped,
        )

    @classmethod
    def unpack(cls, payload: bytes) -> PassphraseSlot | None:
        """None when the payload is not a passphrase slot this version understands."""
        if len(payload) != cls.LAYOUT.size:
            return None
        kdf_id, memory, iterations, lanes, salt, nonce, wrapped = cls.LAYOUT.unpack(payload)
        if kdf_id != KDF_ARGON2ID:
            return None
        return cls(KdfParams(memory, iterations, lanes), salt, nonce, wrapped)

    @classmethod
    def seal(
        cls, data_key: bytes | bytearray, passphrase: str, file_id: bytes, params: KdfParams
    ) -> PassphraseSlot:
        """Wrap the data key under a new passphrase, with a fresh salt."""
        if params.is_reduced() and not insecure_test_kdf_allowed():
            raise ValueError("reduced key-derivation parameters are allowed only in test mode")
        salt = secrets.token_bytes(SALT_BYTES)
        nonce = secrets.token_bytes(NONCE_BYTES)
        kek = derive_passphrase_kek(passphrase, salt, params)
        try:
            wrapped = AESGCM(kek).encrypt(nonce, data_key, _slot_aad(SLOT_PASSPHRASE, file_id))
        finally:
            _wipe(kek)
        return cls(params, salt, nonce, wrapped)

    def unseal(self, passphrase: str, file_id: bytes) -> bytearray | None:
        """The data key (in a buffer the vault wipes on close), or None when the passphrase is
        wrong. The passphrase's own key is overwritten before this returns."""
        kek = derive_passphrase_kek(passphrase, self.salt, self.params)
        data_key = bytearray(len(self.wrapped) - 16)
        try:
            AESGCM(kek).decrypt_into(
                self.nonce, self.wrapped, _slot_aad(SLOT_PASSPHRASE, file_id), data_key
            )
        except InvalidTag:
            return None
        finally:
            _wipe(kek)
        return data_key


@dataclass(frozen=True)
class RecoverySlot:
    salt: bytes
    nonce: bytes
    wrapped: bytes

    LAYOUT = struct.Struct("<16s12s48s")

    def pack(self) -> bytes:
        return self.LAYOUT.pack(self.salt, self.nonce, self.wrapped)

    @classmethod
    def unpack(cls, payload: bytes) -> RecoverySlot | None:
        if len(payload) != cls.LAYOUT.size:
            return None
        return cls(*cls.LAYOUT.unpack(payload))

    @classmethod
    def seal(cls, data_key: bytes | bytearray, recovery_key: bytes, file_id: bytes) -> RecoverySlot:
        salt = secrets.token_bytes(SALT_BYTES)
        nonce = secrets.token_bytes(NONCE_BYTES)
        kek = derive_recovery_kek(recovery_key, salt, file_id)
        wrapped = AESGCM(kek).encrypt(nonce, data_key, _slot_aad(SLOT_RECOVERY, file_id))
        return cls(salt, nonce, wrapped)

    def unseal(self, recovery_key: bytes, file_id: bytes) -> bytes | None:
        kek = derive_recovery_kek(recovery_key, self.salt, file_id)
        try:
            return AESGCM(kek).decrypt(self.nonce, self.wrapped, _slot_aad(SLOT_RECOVERY, file_id))
        except InvalidTag:
            return None


# Recovery keys: 32 random bytes + a 3-byte SHA-256 checksum = 35 bytes = 56 base32 characters,
# shown in 14 groups of 4 for printing. The checksum catches typos before any decryption.
RECOVERY_KEY_BYTES = 32
_RECOVERY_CHECK_BYTES = 3
_RECOVERY_GROUP = 4
# Characters people misread on paper are accepted for the ones base32 means.
_MISREAD = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_recovery_key() -> bytes:
    return secrets.token_bytes(RECOVERY_KEY_BYTES)


def format_recovery_key(key: bytes) -> str:
    """The printable form: groups of four base32 characters joined by hyphens."""
    check = hashlib.sha256(key).digest()[:_RECOVERY_CHECK_BYTES]
    text = base64.b32encode(key + check).decode("ascii")
    return "-".join(text[i : i + _RECOVERY_GROUP] for i in range(0, len(text), _RECOVERY_GROUP))


def parse_recovery_key(text: str) -> bytes:
    """Read a typed or pasted recovery key; spacing, hyphens and case do not matter."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t\r\n").translate(_MISREAD)
    expected = (RECOVERY_KEY_BYTES + _RECOVERY_CHECK_BYTES) * 8 // 5
    if len(cleaned) != expected:
        raise WrongRecoveryKey(
            f"The recovery key should have {expected} letters and digits; "
            f"this one has {len(cleaned)}. Check it against the printed copy."
        )
    try:
        raw = base64.b32decode(cleaned)
    except ValueError as exc:
        raise WrongRecoveryKey(
            "The recovery key contains characters that are not in recovery keys "
            "(only A–Z and 2–7). Check it against the printed copy."
        ) from exc
    key, check = raw[:RECOVERY_KEY_BYTES], raw[RECOVERY_KEY_BYTES:]
    if hashlib.sha256(key).digest()[:_RECOVERY_CHECK_BYTES] != check:
        raise WrongRecoveryKey(
            "The recovery key has a typo (its checksum does not match). "
            "Check it against the printed copy."
        )
    return key
