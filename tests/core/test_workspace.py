"""One change path: all or nothing, saved atomically, never leaking plaintext to disk."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from pathlib import Path

import pytest
import sqlite_utils

from forumkit import audit, schema, vault
from forumkit.errors import (
    FileTooLarge,
    ForumFileExists,
    SaveFailed,
    UnsupportedVersion,
)
from forumkit.vault import Vault, backup_path
from forumkit.vault import storage as vault_storage
from forumkit.workspace import Change, Workspace
from tests.conftest import PASSPHRASE

MARKER = "Zebedee-Marker-7731 our son waited 74 weeks for speech therapy"


def note_texts(ws: Workspace) -> list[str]:
    if "notes" not in ws.db.table_names():
        return []
    return [r[0] for r in ws.db.execute("SELECT text FROM notes ORDER BY rowid")]


def test_create_records_forum_and_audit(workspace: Workspace) -> None:
    forum = workspace.forum
    assert (forum.name, forum.area) == ("Test Forum", "Testshire")
    assert forum.file_id == workspace.vault.header.file_id.hex()
    assert workspace.schema_version == schema.latest_version()
    assert [e.action for e in audit.entries(workspace.db)] == ["forum_created"]
    assert workspace.recovery_key is not None


def test_create_refuses_to_overwrite(forum_path: Path) -> None:
    forum_path.write_bytes(b"someone's precious file")
    with pytest.raises(ForumFileExists):
        Workspace.create(forum_path, PASSPHRASE, forum="F")
    assert forum_path.read_bytes() == b"someone's precious file"


def test_failed_transaction_leaves_memory_and_file_unchanged(workspace: Workspace) -> None:
    with workspace.transaction():
        workspace.db["notes"].insert({"text": "kept"})
    before = workspace.path.read_bytes()
    with pytest.raises(RuntimeError), workspace.transaction():
        workspace.db["notes"].insert({"text": "lost"})
        workspace.db["other"].insert({"x": 1})
        raise RuntimeError("volunteer pressed cancel")
    assert note_texts(workspace) == ["kept"]
    assert "other" not in workspace.db.table_names()
    assert workspace.path.read_bytes() == before


def test_failed_save_leaves_the_file_unchanged_and_keeps_the_change(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A committed change is never dropped because the disk refused it: the next save writes it.

    (Until the engine issue a failed save also undid the change in memory.)
    """
    with workspace.transaction():
        workspace.db["notes"].insert({"text": "kept"})
    before = workspace.path.read_bytes()
    generation = workspace.generation

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(vault, "write_atomically", disk_full)
    # A disk that fills up during the write (after the room was checked) reads as full.
    with pytest.raises(SaveFailed, match="is full: nothing was saved"), workspace.transaction():
        workspace.db["notes"].insert({"text": "not saved yet"})
    assert note_texts(workspace) == ["kept", "not saved yet"]
    assert workspace.path.read_bytes() == before
    assert workspace.generation == generation
    assert workspace.has_unsaved_changes
    assert isinstance(workspace.save_state.error, SaveFailed)
    monkeypatch.undo()
    workspace.flush()
    assert not workspace.has_unsaved_changes
    with Workspace.open(workspace.path, PASSPHRASE, read_only=True) as reopened:
        assert note_texts(reopened) == ["kept", "not saved yet"]


def test_nested_transactions_join_the_outer_one(workspace: Workspace) -> None:
    generation = workspace.generation
    with workspace.transaction():
        workspace.db["notes"].insert({"text": "a"})
        with workspace.transaction():
            workspace.db["notes"].insert({"text": "b"})
    assert workspace.generation == generation + 1
    with pytest.raises(KeyError), workspace.transaction():
        with workspace.transaction():
            workspace.db["notes"].insert({"text": "c"})
        raise KeyError("outer fails")
    assert note_texts(workspace) == ["a", "b"]


def test_listeners_hear_saved_changes_only(workspace: Workspace) -> None:
    heard: list[Change] = []
    workspace.subscribe(heard.append)
    with workspace.transaction("note_added") as change:
        workspace.db["notes"].insert({"text": "a"})
        change.touch("responses", "1")
    with pytest.raises(ValueError), workspace.transaction("note_added"):
        raise ValueError
    assert [(c.action, c.touched) for c in heard] == [("note_added", {"responses": {"1"}})]


def test_a_change_touches_only_kinds_views_know(workspace: Workspace) -> None:
    with workspace.transaction("note_added") as change:
        change.touch("surveys", "s1")
        with pytest.raises(ValueError, match="survey_versions"):
            change.touch("survey_versions", "v1")  # mypy refuses it too: not a ChangeKind
        assert change.touches("responses", "surveys") and not change.touches("responses")


def test_audit_log_is_append_only(workspace: Workspace) -> None:
    with pytest.raises(sqlite3.DatabaseError, match="append-only"), workspace.transaction():
        workspace.db.execute("DELETE FROM audit_log")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"), workspace.transaction():
        workspace.db.execute("UPDATE audit_log SET action = 'nothing'")
    assert len(audit.entries(workspace.db)) == 1


def test_backup_holds_the_previous_version(workspace: Workspace, forum_path: Path) -> None:
    with workspace.transaction():
        workspace.db["notes"].insert({"text": "first"})
    with workspace.transaction():
        workspace.db["notes"].insert({"text": "second"})
    bak = backup_path(forum_path)
    with Workspace.open(bak, PASSPHRASE) as old:
        assert note_texts(old) == ["first"]
        assert old.generation == workspace.generation - 1


def test_older_copy_is_warned_about(workspace: Workspace, tmp_path: Path) -> None:
    copy = tmp_path / "usb-stick-copy.forumkit"
    copy.write_bytes(workspace.path.read_bytes())
    with workspace.transaction():
        workspace.db["notes"].insert({"text": "added after the copy"})
    with Workspace.open(workspace.path, PASSPHRASE, read_only=True) as current:
        assert current.warnings == []
    with Workspace.open(copy, PASSPHRASE) as old:
        assert len(old.warnings) == 1
        assert "older" in old.warnings[0] and "usb-stick-copy.forumkit" in old.warnings[0]


def test_image_over_the_limit_is_refused(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = workspace.path.read_bytes()
    monkeypatch.setattr(vault, "MAX_IMAGE_BYTES", 64 * 1024)
    with pytest.raises(FileTooLarge, match="1 GiB"), workspace.transaction():
        workspace.db["notes"].insert_all({"text": "x" * 1000} for _ in range(100))
    assert workspace.path.read_bytes() == before
    assert note_texts(workspace) == []


def test_large_image_warns(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    import forumkit.workspace as workspace_module

    monkeypatch.setattr(workspace_module, "WARN_IMAGE_BYTES", 1024)
    with workspace.transaction():
        workspace.db["notes"].insert({"text": "a"})
    assert any("512 MiB" in w for w in workspace.warnings)


def test_older_schema_is_upgraded_after_backup(
    forum_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workspace.create(forum_path, PASSPHRASE, forum="F").close()
    older = forum_path.read_bytes()
    upgraded_to = schema.latest_version() + 1

    def v2(db: sqlite_utils.Database) -> None:
        db.execute("CREATE TABLE later_feature (id TEXT PRIMARY KEY)")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, v2])
    with Workspace.open(forum_path, PASSPHRASE) as ws:
        assert ws.schema_version == upgraded_to
        assert "later_feature" in ws.db.table_names()
        assert audit.entries(ws.db, "schema_upgraded")[0].counts == {"to_version": upgraded_to}
    assert backup_path(forum_path).read_bytes() == older


def test_newer_schema_is_refused(workspace: Workspace, forum_path: Path) -> None:
    with workspace.transaction():
        workspace.db.execute(f"PRAGMA user_version = {schema.latest_version() + 1}")
    workspace.close()
    before = forum_path.read_bytes()
    with pytest.raises(UnsupportedVersion, match="newer forumkit"):
        Workspace.open(forum_path, PASSPHRASE)
    assert forum_path.read_bytes() == before


def _modified_since(path: Path, moment: float) -> bool:
    try:
        return path.stat().st_mtime >= moment
    except OSError:  # another program removed it meanwhile
        return False


def _all_bytes_under(folder: Path) -> list[tuple[Path, bytes]]:
    """Every readable file's bytes; files other programs remove meanwhile are skipped."""
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            if path.is_symlink() or not path.is_file():  # never open a FIFO or a socket
                continue
            try:
                found.append((path, path.read_bytes()))
            except OSError:
                continue
    return found


def test_no_plaintext_reaches_the_disk(forum_path: Path) -> None:
    """Neither the forum folder nor the temp folder ever holds response text."""
    temp_root = Path(tempfile.gettempdir())
    started = time.time()
    with Workspace.create(forum_path, PASSPHRASE, forum="F") as ws:
        for i in range(5):
            with ws.transaction():
                ws.db["notes"].insert({"text": f"{MARKER} #{i}"})
        with ws.transaction():
            ws.db.execute("CREATE INDEX notes_text ON notes (text)")
        with ws.transaction():
            ws.db.execute("DELETE FROM notes WHERE rowid = 1")
    needles = [MARKER.encode("utf-8"), MARKER.encode("utf-16-le"), b"Zebedee-Marker"]
    recent = [(p, b) for p, b in _all_bytes_under(temp_root) if _modified_since(p, started - 1)]
    for path, data in [*_all_bytes_under(forum_path.parent), *recent]:
        assert not any(n in data for n in needles), f"plaintext found in {path}"


def test_deleted_text_is_absent_from_the_next_saved_image(workspace: Workspace) -> None:
    with workspace.transaction():
        workspace.db["notes"].insert_all({"text": f"{MARKER} {i}"} for i in range(50))
        workspace.db["notes"].insert({"text": "keep me"})
    _, image = Vault.open(workspace.path, PASSPHRASE)
    assert MARKER.encode() in image
    with workspace.transaction():
        workspace.db.execute("DELETE FROM notes WHERE text LIKE 'Zebedee%'")
    _, image = Vault.open(workspace.path, PASSPHRASE)
    assert MARKER.encode() not in image
    assert b"keep me" in image


def test_write_atomically_never_leaves_a_partial_target(tmp_path: Path) -> None:
    target = tmp_path / "f.bin"
    vault_storage.write_atomically(target, b"old")
    vault_storage.write_atomically(target, b"new", b"er")
    assert target.read_bytes() == b"newer"
    assert backup_path(target).read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.bin", "f.bin.bak"]


def test_stale_temp_files_are_cleared_on_open(workspace: Workspace, forum_path: Path) -> None:
    stale = forum_path.with_name(f".{forum_path.name}.tmp-deadbeef0000")
    fresh = forum_path.with_name(f".{forum_path.name}.tmp-0123456789ab")
    stale.write_bytes(b"encrypted leftovers")
    fresh.write_bytes(b"a save in progress elsewhere")
    old = time.time() - vault_storage.STALE_TEMP_AGE_S - 60
    os.utime(stale, (old, old))
    workspace.close()
    Workspace.open(forum_path, PASSPHRASE).close()
    assert not stale.exists()
    assert fresh.exists()


def test_saves_keep_one_previous_version_in_separate_files(workspace: Workspace) -> None:
    for text in ("one", "two", "three"):
        with workspace.transaction():
            workspace.db["notes"].insert({"text": text})
    path, bak = workspace.path, backup_path(workspace.path)
    assert path.stat().st_nlink == 1 and bak.stat().st_nlink == 1
    assert not path.samefile(bak)
    with Workspace.open(bak, PASSPHRASE) as old:
        assert note_texts(old) == ["one", "two"]


def test_a_backup_with_other_names_is_never_overwritten(
    workspace: Workspace, tmp_path: Path
) -> None:
    with workspace.transaction():
        workspace.db["notes"].insert({"text": "one"})
    own_copy = tmp_path / "chair's own link.forumkit"
    os.link(backup_path(workspace.path), own_copy)
    kept = own_copy.read_bytes()
    for text in ("two", "three"):
        with workspace.transaction():
            workspace.db["notes"].insert({"text": text})
    assert own_copy.read_bytes() == kept


def test_purge_removes_erased_text_from_file_and_backup(workspace: Workspace) -> None:
    with workspace.transaction():
        workspace.db["notes"].insert_all({"text": f"{MARKER} {i}"} for i in range(20))
        workspace.db["notes"].insert({"text": "keep me"})
    with workspace.transaction():
        workspace.db["notes"].insert({"text": "another save, so the backup holds the marker"})
    _, backup_image = Vault.open(backup_path(workspace.path), PASSPHRASE)
    assert MARKER.encode() in backup_image
    with workspace.transaction("erased") as change:
        with workspace.transaction(purge=True) as inner:
            workspace.db.execute("DELETE FROM notes WHERE text LIKE 'Zebedee%'")
            inner.touch("responses", "erased")
        assert change is inner
    for path in (workspace.path, backup_path(workspace.path)):
        _, image = Vault.open(path, PASSPHRASE)
        assert MARKER.encode() not in image
        assert b"keep me" in image


def test_slow_halves_run_in_a_worker_and_the_database_stays_on_one_thread(
    forum_path: Path,
) -> None:
    """The app derives keys in a worker; the SQLite connection is made on the owning thread."""
    from concurrent.futures import ThreadPoolExecutor

    from forumkit.workspace import seal_new, unlock

    with ThreadPoolExecutor(1) as worker:
        sealed = worker.submit(seal_new, forum_path, PASSPHRASE).result()
    with Workspace.create_sealed(sealed, forum="Threaded PCF") as ws:
        assert ws.recovery_key == sealed.recovery_key
        with ThreadPoolExecutor(1) as worker:
            slot = worker.submit(ws.vault.new_passphrase_slot, "passphrase two").result()
        ws.apply_passphrase_slot(slot)
    with ThreadPoolExecutor(1) as worker:
        unlocked = worker.submit(unlock, forum_path, "passphrase two").result()
    with Workspace.from_unlocked(unlocked) as ws:
        assert ws.forum.name == "Threaded PCF"
        with ws.transaction():
            ws.db["notes"].insert({"text": "same thread as the connection"})
