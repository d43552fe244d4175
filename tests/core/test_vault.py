"""The encrypted file refuses every kind of damage clearly and opens only with the right secret."""

from __future__ import annotations

import hashlib
import random
import struct
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forumkit.errors import (
    DamagedFile,
    UnsupportedVersion,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from forumkit.vault import Vault
from forumkit.vault import keys as vault_keys
from forumkit.vault.format import CHECKSUM_BYTES, parse_header
from forumkit.vault.keys import DEFAULT_KDF, KdfParams, parse_recovery_key
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE

HEADER_FIXED = struct.Struct("<8sHHI16sQH32s12sB")


def make_forum(path: Path, rows: int = 3) -> str:
    """A closed forum file holding a few rows; returns its recovery key."""
    ws = Workspace.create(path, PASSPHRASE, forum="Test Forum", area="Testshire")
    with ws.transaction():
        ws.db["notes"].insert_all({"n": i, "text": f"note {i}"} for i in range(rows))
    key = ws.recovery_key or ""
    ws.close()
    return key


def header_length(data: bytes) -> int:
    return int(HEADER_FIXED.unpack_from(data)[3])


def rewrite_header(data: bytes, edit: bytes) -> bytes:
    """Replace the header's fields (not its checksum) and recompute the checksum, as an
    attacker or a buggy tool would: the file must still refuse to open."""
    length = header_length(data)
    body = edit[: length - CHECKSUM_BYTES]
    return body + hashlib.sha256(body).digest() + data[length:]


def test_round_trip_with_passphrase(forum_path: Path) -> None:
    make_forum(forum_path, rows=5)
    with Workspace.open(forum_path, PASSPHRASE) as ws:
        assert ws.forum.name == "Test Forum"
        assert ws.forum.area == "Testshire"
        assert [r["text"] for r in ws.db["notes"].rows] == [f"note {i}" for i in range(5)]


def test_round_trip_with_recovery_key(forum_path: Path) -> None:
    key = make_forum(forum_path)
    # Typed on paper: lower case, spaces instead of hyphens, a zero for the letter O.
    typed = key.lower().replace("-", " ").replace("o", "0")
    with Workspace.recover(forum_path, typed, "a new passphrase") as ws:
        assert ws.db["notes"].count == 3
    Workspace.open(forum_path, "a new passphrase").close()


@pytest.mark.parametrize(
    "attempt",
    [
        "",
        "correct horse battery ",
        " correct horse battery",
        "Correct horse battery",
        "CORRECT HORSE BATTERY",
        "correct horse batter",
        "correct  horse battery",
    ],
)
def test_wrong_passphrase_and_near_misses(forum_path: Path, attempt: str) -> None:
    make_forum(forum_path)
    with pytest.raises(WrongPassphrase) as caught:
        Workspace.open(forum_path, attempt)
    assert caught.value.exit_code == 3
    assert "forum.forumkit" in str(caught.value)


def test_passphrase_is_nfc_normalised(tmp_path: Path) -> None:
    composed, decomposed = "caf\u00e9 au lait", "cafe\u0301 au lait"
    ws = Workspace.create(tmp_path / "f.forumkit", composed, forum="F")
    ws.close()
    Workspace.open(tmp_path / "f.forumkit", decomposed).close()


def test_recovery_key_typo_is_caught_by_its_checksum(forum_path: Path) -> None:
    key = make_forum(forum_path)
    first = key[0]
    typo = ("B" if first != "B" else "C") + key[1:]
    with pytest.raises(WrongRecoveryKey, match="typo"):
        Workspace.recover(forum_path, typo, "a new passphrase")
    with pytest.raises(WrongRecoveryKey, match="letters and digits"):
        Workspace.recover(forum_path, key[:-5], "a new passphrase")


def test_recovery_key_of_another_file_is_refused(tmp_path: Path) -> None:
    make_forum(tmp_path / "a.forumkit")
    other_key = make_forum(tmp_path / "b.forumkit")
    with pytest.raises(WrongRecoveryKey, match="another forum file"):
        Workspace.recover(tmp_path / "a.forumkit", other_key, "a new passphrase")


def test_short_passphrase_refused(tmp_path: Path) -> None:
    with pytest.raises(WeakPassphrase):
        Workspace.create(tmp_path / "f.forumkit", "short", forum="F")
    assert not (tmp_path / "f.forumkit").exists()


def test_flipped_bit_at_every_header_byte_is_damage(forum_path: Path) -> None:
    make_forum(forum_path)
    data = forum_path.read_bytes()
    for offset in range(header_length(data)):
        for bit in (0, 7):
            damaged = bytearray(data)
            damaged[offset] ^= 1 << bit
            forum_path.write_bytes(bytes(damaged))
            with pytest.raises(DamagedFile):
                Workspace.open(forum_path, PASSPHRASE)


def test_flipped_bit_in_sampled_ciphertext_bytes_is_damage(forum_path: Path) -> None:
    make_forum(forum_path)
    data = forum_path.read_bytes()
    start = header_length(data)
    rng = random.Random(20261123)
    offsets = {start, len(data) - 1, *rng.sample(range(start, len(data)), 60)}
    for offset in sorted(offsets):
        damaged = bytearray(data)
        damaged[offset] ^= 1 << rng.randrange(8)
        forum_path.write_bytes(bytes(damaged))
        with pytest.raises(DamagedFile, match="damaged, truncated or were altered"):
            Workspace.open(forum_path, PASSPHRASE)


def test_truncation_anywhere_is_damage(forum_path: Path) -> None:
    make_forum(forum_path)
    data = forum_path.read_bytes()
    length = header_length(data)
    rng = random.Random(7)
    cuts = [*range(length + 1), *rng.sample(range(length + 1, len(data)), 40), len(data) - 1]
    for cut in cuts:
        forum_path.write_bytes(data[:cut])
        with pytest.raises(DamagedFile):
            Workspace.open(forum_path, PASSPHRASE)


def test_appended_bytes_are_damage(forum_path: Path) -> None:
    make_forum(forum_path)
    data = forum_path.read_bytes()
    for extra in (b"\x00", b"more", bytes(4096)):
        forum_path.write_bytes(data + extra)
        with pytest.raises(DamagedFile):
            Workspace.open(forum_path, PASSPHRASE)


def test_header_of_one_file_with_body_of_another_is_damage(tmp_path: Path) -> None:
    make_forum(tmp_path / "a.forumkit")
    make_forum(tmp_path / "b.forumkit")
    a = (tmp_path / "a.forumkit").read_bytes()
    b = (tmp_path / "b.forumkit").read_bytes()
    mixed = tmp_path / "mixed.forumkit"
    mixed.write_bytes(a[: header_length(a)] + b[header_length(b) :])
    with pytest.raises(DamagedFile):
        Workspace.open(mixed, PASSPHRASE)


def test_two_saves_of_one_file_do_not_mix(forum_path: Path) -> None:
    make_forum(forum_path)
    old = forum_path.read_bytes()
    with Workspace.open(forum_path, PASSPHRASE) as ws, ws.transaction():
        ws.db["notes"].insert({"n": 99, "text": "later"})
    new = forum_path.read_bytes()
    forum_path.write_bytes(new[: header_length(new)] + old[header_length(old) :])
    with pytest.raises(DamagedFile):
        Workspace.open(forum_path, PASSPHRASE)


def test_altered_header_with_recomputed_checksum_is_refused(forum_path: Path) -> None:
    make_forum(forum_path)
    data = forum_path.read_bytes()
    edited = bytearray(data)
    edited[32] ^= 1  # the save generation, e.g. to fake a newer copy
    forum_path.write_bytes(rewrite_header(data, bytes(edited)))
    with pytest.raises(DamagedFile, match="altered"):
        Workspace.open(forum_path, PASSPHRASE)


def _with_kdf(data: bytes, params: KdfParams) -> bytes:
    slot_offset = HEADER_FIXED.size + 3 + 1  # slot type, slot length, then the KDF id
    edited = bytearray(data)
    struct.pack_into(
        "<III", edited, slot_offset, params.memory_kib, params.iterations, params.lanes
    )
    return rewrite_header(data, bytes(edited))


@pytest.mark.parametrize(
    "params",
    [
        KdfParams(memory_kib=3 * 1024 * 1024, iterations=3, lanes=4),
        KdfParams(memory_kib=256 * 1024, iterations=11, lanes=4),
        KdfParams(memory_kib=256 * 1024, iterations=3, lanes=1000),
        KdfParams(memory_kib=256 * 1024, iterations=0, lanes=4),
    ],
)
def test_absurd_kdf_parameters_refused_before_deriving(
    forum_path: Path, params: KdfParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_forum(forum_path)
    forum_path.write_bytes(_with_kdf(forum_path.read_bytes(), params))

    def must_not_derive(*args: object) -> bytes:
        raise AssertionError("key derivation ran on absurd parameters")

    monkeypatch.setattr(vault_keys, "derive_passphrase_kek", must_not_derive)
    with pytest.raises(DamagedFile, match="impossible"):
        Workspace.open(forum_path, PASSPHRASE)


def test_weakened_kdf_refused_outside_test_mode(
    forum_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_forum(forum_path)  # written in test mode, with reduced parameters
    monkeypatch.delenv("FORUMKIT_INSECURE_TEST_KDF")
    with pytest.raises(DamagedFile, match="weaker than forumkit ever writes"):
        Workspace.open(forum_path, PASSPHRASE)
    # A header edited down from the defaults is refused the same way.
    weakened = KdfParams(memory_kib=32 * 1024, iterations=3, lanes=4)
    forum_path.write_bytes(_with_kdf(forum_path.read_bytes(), weakened))
    with pytest.raises(DamagedFile, match="weaker"):
        Workspace.open(forum_path, PASSPHRASE)


def test_writer_refuses_reduced_parameters_outside_test_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORUMKIT_INSECURE_TEST_KDF")
    with pytest.raises(ValueError, match="test mode"):
        Vault.create(tmp_path / "f.forumkit", PASSPHRASE, KdfParams(32 * 1024, 3, 4))
    assert vault_keys.kdf_for_new_slot() == DEFAULT_KDF


def test_default_parameters_are_the_documented_ones() -> None:
    assert KdfParams(memory_kib=256 * 1024, iterations=3, lanes=4) == DEFAULT_KDF
    assert not DEFAULT_KDF.is_reduced()
    assert not DEFAULT_KDF.is_absurd()


@pytest.mark.slow
def test_file_with_default_parameters_opens_outside_test_mode(
    forum_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workspace.create(forum_path, PASSPHRASE, forum="F", kdf=DEFAULT_KDF).close()
    monkeypatch.delenv("FORUMKIT_INSECURE_TEST_KDF")
    with Workspace.open(forum_path, PASSPHRASE) as ws:
        assert ws.vault.header.passphrase_slot.params == DEFAULT_KDF


def test_unknown_major_version_refused(forum_path: Path) -> None:
    make_forum(forum_path)
    data = forum_path.read_bytes()
    edited = bytearray(data)
    struct.pack_into("<H", edited, 8, 2)
    forum_path.write_bytes(rewrite_header(data, bytes(edited)))
    with pytest.raises(UnsupportedVersion, match="format version 2"):
        Workspace.open(forum_path, PASSPHRASE)


def test_not_a_forumkit_file(tmp_path: Path) -> None:
    other = tmp_path / "notes.forumkit"
    other.write_text("Minutes of the forum meeting\n", encoding="utf-8")
    with pytest.raises(DamagedFile, match="not a forumkit file"):
        Workspace.open(other, PASSPHRASE)
    with pytest.raises(DamagedFile, match="no file"):
        Workspace.open(tmp_path / "missing.forumkit", PASSPHRASE)


def test_salts_and_nonces(forum_path: Path) -> None:
    """Fresh nonce and save salt on every save; the Argon2id salt only on passphrase change."""
    make_forum(forum_path)
    headers = []
    with Workspace.open(forum_path, PASSPHRASE) as ws:
        for i in range(3):
            with ws.transaction():
                ws.db["notes"].insert({"n": i})
            headers.append(parse_header(forum_path, forum_path.read_bytes())[0])
        ws.change_passphrase("a brand new passphrase")
        headers.append(parse_header(forum_path, forum_path.read_bytes())[0])
    assert len({h.nonce for h in headers}) == len(headers)
    assert len({h.save_salt for h in headers}) == len(headers)
    assert [h.generation for h in headers] == [3, 4, 5, 6]
    kdf_salts = [h.passphrase_slot.salt for h in headers]
    assert kdf_salts[0] == kdf_salts[1] == kdf_salts[2] != kdf_salts[3]
    assert headers[2].recovery_slot == headers[3].recovery_slot


def test_passphrase_change_keeps_recovery_key(forum_path: Path) -> None:
    key = make_forum(forum_path)
    with Workspace.open(forum_path, PASSPHRASE) as ws:
        ws.change_passphrase("a brand new passphrase")
    with pytest.raises(WrongPassphrase):
        Workspace.open(forum_path, PASSPHRASE)
    Workspace.open(forum_path, "a brand new passphrase").close()
    Workspace.recover(forum_path, key, "recovered passphrase").close()
    Workspace.open(forum_path, "recovered passphrase").close()


def test_recovery_key_format() -> None:
    key = vault_keys.new_recovery_key()
    text = vault_keys.format_recovery_key(key)
    groups = text.split("-")
    assert len(groups) == 14 and all(len(g) == 4 for g in groups)
    assert parse_recovery_key(text) == key


@settings(deadline=None, max_examples=25)
@given(texts=st.lists(st.text(max_size=400), max_size=20))
def test_any_text_round_trips(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.forumkit"
        with Workspace.create(path, PASSPHRASE, forum="F") as ws, ws.transaction():
            ws.db.execute("CREATE TABLE t (i INTEGER PRIMARY KEY, body TEXT)")
            for i, text in enumerate(texts):
                ws.db.execute("INSERT INTO t VALUES (?, ?)", [i, text])
        with Workspace.open(path, PASSPHRASE) as ws:
            assert [r[0] for r in ws.db.execute("SELECT body FROM t ORDER BY i")] == texts


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 200, 1000])
def test_sealing_chunk_by_chunk_writes_the_same_bytes(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saves encrypt a few MiB at a time as they write; the file is what one-shot AES-GCM
    makes, so every reader (and every older forumkit) opens it."""
    import secrets

    from forumkit.vault import format as vault_format
    from forumkit.vault.keys import PassphraseSlot

    monkeypatch.setattr(vault_format, "SEAL_CHUNK_BYTES", 64)
    key = secrets.token_bytes(32)
    header = vault_format.Header(
        file_id=secrets.token_bytes(16),
        generation=3,
        save_salt=secrets.token_bytes(32),
        nonce=secrets.token_bytes(12),
        passphrase_slot=PassphraseSlot(DEFAULT_KDF, b"s" * 16, b"n" * 12, b"w" * 48),
        recovery_slot=None,
    )
    header_bytes = header.pack()
    image = secrets.token_bytes(size)
    whole = bytes(vault_format.seal_body(key, header, header_bytes, image, bytearray()))
    buffer = bytearray()
    chunked = b"".join(
        bytes(c) for c in vault_format.seal_body_chunks(key, header, header_bytes, image, buffer)
    )
    assert chunked == whole
    assert len(buffer) < 100  # one chunk's room, never the image's
    opened = vault_format.open_body(Path("f"), key, header, header_bytes, memoryview(chunked))
    assert bytes(opened) == image
