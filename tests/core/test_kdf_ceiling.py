"""The key derivation a forum file's header may ask for, and what the command line says while it
runs and when the test-only variable weakens a file (issue 14)."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import time
from pathlib import Path

import pytest

from forumkit import cli
from forumkit.cli import terminal
from forumkit.errors import DamagedFile, WrongPassphrase
from forumkit.vault import keys as vault_keys
from forumkit.vault.keys import DEFAULT_KDF, MAX_ITERATIONS, MAX_LANES, MAX_MEMORY_KIB, KdfParams
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.test_vault import make_forum

MIB = 1024
_SLOT_KDF = 8 + 2 + 2 + 4 + 16 + 8 + 2 + 32 + 12 + 1 + 3 + 1
"""Where the passphrase slot's Argon2id settings start: after the fixed header (87 bytes, see
forumkit.vault.format), the slot's type and length (3) and its KDF id (1)."""


def header_asking_for(data: bytes, params: KdfParams) -> bytes:
    """The file ``data`` with its passphrase slot asking for ``params``, and its header checksum
    made right again, as a careful attacker would."""
    edited = bytearray(data)
    (length,) = struct.unpack_from("<I", edited, 12)
    struct.pack_into("<III", edited, _SLOT_KDF, params.memory_kib, params.iterations, params.lanes)
    edited[length - 32 : length] = hashlib.sha256(bytes(edited[: length - 32])).digest()
    return bytes(edited)


def test_the_ceiling_is_twice_what_forumkit_writes() -> None:
    assert (
        2 * DEFAULT_KDF.memory_kib,
        2 * DEFAULT_KDF.iterations,
        2 * DEFAULT_KDF.lanes,
    ) == (MAX_MEMORY_KIB, MAX_ITERATIONS, MAX_LANES)
    assert not KdfParams(MAX_MEMORY_KIB, MAX_ITERATIONS, MAX_LANES).is_absurd()


@pytest.mark.parametrize(
    "params",
    [
        KdfParams(memory_kib=2048 * MIB, iterations=10, lanes=64),  # the old ceiling: 42-72 s
        KdfParams(memory_kib=1024 * MIB, iterations=3, lanes=4),
        KdfParams(memory_kib=256 * MIB, iterations=7, lanes=4),
        KdfParams(memory_kib=256 * MIB, iterations=3, lanes=9),
    ],
)
def test_a_header_past_the_ceiling_is_refused_before_deriving(
    forum_path: Path, params: KdfParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_forum(forum_path)
    forum_path.write_bytes(header_asking_for(forum_path.read_bytes(), params))

    def must_not_derive(*args: object) -> bytes:
        raise AssertionError("key derivation ran past the ceiling")

    monkeypatch.setattr(vault_keys, "derive_passphrase_kek", must_not_derive)
    began = time.monotonic()
    with pytest.raises(DamagedFile, match="impossible"):
        Workspace.open(forum_path, PASSPHRASE)
    assert time.monotonic() - began < 1


def test_a_header_at_the_ceiling_is_derived(
    forum_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to twice forumkit's settings is derived (a later forumkit may write that much); the
    edited settings give another key, so the passphrase is then wrong."""
    make_forum(forum_path)
    at_ceiling = KdfParams(MAX_MEMORY_KIB, MAX_ITERATIONS, MAX_LANES)
    forum_path.write_bytes(header_asking_for(forum_path.read_bytes(), at_ceiling))
    asked: list[KdfParams] = []

    def derive(passphrase: str, salt: bytes, params: KdfParams) -> bytearray:
        asked.append(params)
        return bytearray(32)  # a stand-in: deriving 512 MiB for real is the benchmark's job

    monkeypatch.setattr(vault_keys, "derive_passphrase_kek", derive)
    with pytest.raises(WrongPassphrase):
        Workspace.open(forum_path, PASSPHRASE)
    assert asked == [at_ceiling]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_slow_key_derivation_says_what_it_waits_for(
    forum_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_forum(forum_path)
    real = vault_keys.derive_passphrase_kek

    def slow(passphrase: str, salt: bytes, params: KdfParams) -> bytearray:
        time.sleep(1.5)  # as a file made with heavy settings takes on a slow laptop
        return real(passphrase, salt, params)

    monkeypatch.setattr(vault_keys, "derive_passphrase_kek", slow)
    monkeypatch.setattr(terminal, "SLOW_AFTER_S", 0.2)
    monkeypatch.setenv("FORUMKIT_PASSPHRASE", PASSPHRASE)
    stderr = _Terminal()
    monkeypatch.setattr("sys.stderr", stderr)
    assert cli.main(["info", str(forum_path)]) == 0
    said = stderr.getvalue()
    assert "Unlocking “forum.forumkit”: working out the key from the passphrase… 0 s" in said
    assert "… 1 s" in said and said.endswith("\n")


def test_quick_derivation_and_no_terminal_say_nothing(
    forum_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_forum(forum_path)
    monkeypatch.setenv("FORUMKIT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr(terminal, "SLOW_AFTER_S", 0.0)
    assert cli.main(["info", str(forum_path)]) == 0  # captured stderr is no terminal
    assert "Unlocking" not in capsys.readouterr().err
    stderr = _Terminal()
    monkeypatch.setattr("sys.stderr", stderr)
    monkeypatch.setattr(terminal, "SLOW_AFTER_S", 5.0)
    assert cli.main(["info", str(forum_path)]) == 0
    assert stderr.getvalue() == ""


def test_the_test_variable_warns_loudly_and_info_says_test_strength(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "weak.forumkit"
    monkeypatch.setenv("FORUMKIT_PASSPHRASE", PASSPHRASE)
    assert cli.main(["new", str(path), "--forum", "Weak", "--json"]) == 0
    made = capsys.readouterr()
    assert "WARNING: “weak.forumkit” now has a TEST-STRENGTH KEY" in made.err
    assert "forumkit recover weak.forumkit" in made.err
    key = json.loads(made.out)["recovery_key"]

    assert cli.main(["info", str(path)]) == 0
    assert "64 KiB, 1 pass, 1 lane — a test-strength key" in capsys.readouterr().out
    assert cli.main(["info", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["kdf"]["test_strength"] is True

    monkeypatch.setenv("FORUMKIT_NEW_PASSPHRASE", "another good passphrase")
    assert cli.main(["passphrase", str(path)]) == 0
    assert "TEST-STRENGTH KEY" in capsys.readouterr().err

    # The way out the warning gives: without the variable, the recovery key still opens the
    # file, and recover writes a full-strength key (the passphrase alone is refused).
    monkeypatch.delenv("FORUMKIT_INSECURE_TEST_KDF")
    monkeypatch.setenv("FORUMKIT_PASSPHRASE", "another good passphrase")
    assert cli.main(["info", str(path)]) == 4
    assert "weaker than forumkit ever writes" in capsys.readouterr().err
    monkeypatch.setenv("FORUMKIT_RECOVERY_KEY", key)
    monkeypatch.setenv("FORUMKIT_NEW_PASSPHRASE", "a strong new passphrase")
    assert cli.main(["recover", str(path)]) == 0
    assert "TEST-STRENGTH" not in capsys.readouterr().err
    monkeypatch.setenv("FORUMKIT_PASSPHRASE", "a strong new passphrase")
    assert cli.main(["info", str(path), "--json"]) == 0
    kdf = json.loads(capsys.readouterr().out)["kdf"]
    assert kdf["test_strength"] is False and kdf["memory_kib"] == DEFAULT_KDF.memory_kib
