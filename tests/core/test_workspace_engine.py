"""The workspace's engine: one writer, read-only openers, saving in the background, a save the
disk refuses (save as a new file, discard, lock with the changes sealed), passphrase checks."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from forumkit import audit, vault
from forumkit.errors import (
    FileChangedOnDisk,
    FileLocked,
    ForumFileExists,
    ReadOnlyWorkspace,
    SaveFailed,
    WrongPassphrase,
)
from forumkit.vault import WriterLock, backup_path
from forumkit.vault.writer import SaveState
from forumkit.workspace import Workspace, unlock, unlock_sealed
from tests.conftest import PASSPHRASE

MARKER = "Zebedee-Marker-5521 the panel said no without reading the report"


def notes(ws: Workspace) -> list[str]:
    if "notes" not in ws.db.table_names():
        return []
    return [str(r[0]) for r in ws.db.execute("SELECT text FROM notes ORDER BY rowid")]


def add_note(ws: Workspace, text: str) -> None:
    with ws.transaction("note_added"):
        ws.db["notes"].insert({"text": text})


def on_disk(path: Path, passphrase: str = PASSPHRASE) -> list[str]:
    with Workspace.open(path, passphrase, read_only=True) as ws:
        return notes(ws)


def test_a_second_opener_may_read_but_not_change(workspace: Workspace) -> None:
    add_note(workspace, "by the writer")
    with pytest.raises(FileLocked, match="already open in this forumkit"):
        Workspace.open(workspace.path, PASSPHRASE)
    before = workspace.path.read_bytes()
    with Workspace.open(workspace.path, PASSPHRASE, read_only=True) as reader:
        assert reader.read_only and not workspace.read_only
        assert notes(reader) == ["by the writer"]
        with pytest.raises(ReadOnlyWorkspace, match="open read-only"), reader.transaction():
            reader.db["notes"].insert({"text": "never"})
        with pytest.raises(ReadOnlyWorkspace):
            reader.change_passphrase("another passphrase here")
        assert notes(reader) == ["by the writer"]
    assert workspace.path.read_bytes() == before
    add_note(workspace, "the writer carries on")


def test_the_lock_is_taken_before_the_slow_key_derivation(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forumkit.vault import keys

    def never(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("derived a key for a file that could not be opened for writing")

    monkeypatch.setattr(keys, "derive_passphrase_kek", never)
    with pytest.raises(FileLocked):
        unlock(workspace.path, "whatever was typed")


def test_a_symbolic_link_shares_its_files_lock(workspace: Workspace, tmp_path: Path) -> None:
    link = tmp_path / "on the desktop.forumkit"
    link.symlink_to(workspace.path)
    with pytest.raises(FileLocked):
        Workspace.open(link, PASSPHRASE)
    workspace.close()
    with Workspace.open(link, PASSPHRASE) as through_link:
        assert through_link.path == workspace.path.resolve()
        add_note(through_link, "saved through the link")
    assert link.is_symlink()  # saving replaced the file, not the link
    assert on_disk(workspace.path) == ["saved through the link"]


def test_closing_lets_go_of_the_lock(forum_path: Path) -> None:
    ws = Workspace.create(forum_path, PASSPHRASE, forum="F")
    assert WriterLock.probe(forum_path) is not None
    ws.close()
    assert WriterLock.probe(forum_path) is None
    assert sorted(p.name for p in forum_path.parent.iterdir()) == ["forum.forumkit"]


def test_background_saving_returns_before_the_write_and_flush_waits(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    heard: list[SaveState] = []
    workspace.save_in_background(heard.append)
    gate = threading.Event()
    real = vault.write_atomically

    def slow_disk(*args: object, **kwargs: object) -> None:
        assert gate.wait(30)
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(vault, "write_atomically", slow_disk)
    started = time.monotonic()
    add_note(workspace, "committed at once")
    assert time.monotonic() - started < 5
    assert notes(workspace) == ["committed at once"]
    assert workspace.has_unsaved_changes and workspace.save_state.saving
    gate.set()
    workspace.flush()
    assert not workspace.has_unsaved_changes
    assert heard[-1].all_saved and heard[-1].generation == workspace.generation
    assert on_disk(workspace.path) == ["committed at once"]


def test_the_database_belongs_to_the_thread_that_opened_it(workspace: Workspace) -> None:
    with ThreadPoolExecutor(1) as worker, pytest.raises(RuntimeError, match="only by the thread"):
        worker.submit(lambda: workspace.db.execute("SELECT 1")).result()
    # The passphrase check touches no database: a worker may run it.
    with ThreadPoolExecutor(1) as worker:
        worker.submit(workspace.check_passphrase, PASSPHRASE).result()


def test_checking_the_passphrase_reads_nothing_from_disk(workspace: Workspace) -> None:
    workspace.check_passphrase(PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        workspace.check_passphrase("correct horse battery staple")
    moved = workspace.path.with_name("moved away.forumkit")
    workspace.path.rename(moved)  # the stick was pulled out: the check still works
    workspace.check_passphrase(PASSPHRASE)
    moved.rename(workspace.path)
    workspace.change_passphrase("a brand new passphrase")
    workspace.check_passphrase("a brand new passphrase")
    with pytest.raises(WrongPassphrase):
        workspace.check_passphrase(PASSPHRASE)


def test_a_change_refused_by_the_disk_can_be_saved_as_a_new_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    add_note(workspace, "one")
    add_note(workspace, "two")
    older = backup_path(workspace.path).read_bytes()
    workspace.path.write_bytes(older)  # another program put the older copy back
    with pytest.raises(FileChangedOnDisk, match="older copy"):
        add_note(workspace, MARKER)
    assert notes(workspace) == ["one", "two", MARKER]
    assert workspace.path.read_bytes() == older  # nothing written
    taken = tmp_path / "taken.forumkit"
    taken.write_bytes(b"")
    with pytest.raises(ForumFileExists):
        workspace.save_as(taken)
    original = workspace.path
    new_file = tmp_path / "forum (my changes).forumkit"
    workspace.save_as(new_file)
    assert workspace.path == new_file and not workspace.has_unsaved_changes
    assert WriterLock.probe(original) is None and WriterLock.probe(new_file) is not None
    add_note(workspace, "three, in the new file")
    assert on_disk(new_file) == ["one", "two", MARKER, "three, in the new file"]
    assert on_disk(original) == ["one"]
    with Workspace.open(new_file, PASSPHRASE, read_only=True) as copy:
        assert copy.forum.file_id == copy.vault.header.file_id.hex()


def test_discarding_carries_on_from_the_file_on_disk(workspace: Workspace) -> None:
    heard: list[str | None] = []
    workspace.subscribe(lambda change: heard.append(change.action))
    add_note(workspace, "one")
    add_note(workspace, "two")
    workspace.path.write_bytes(backup_path(workspace.path).read_bytes())
    with pytest.raises(FileChangedOnDisk):
        add_note(workspace, "refused")
    workspace.reload_from_disk()
    assert notes(workspace) == ["one"]
    assert heard[-1] == "file_reloaded"
    add_note(workspace, "after the discard")
    assert on_disk(workspace.path) == ["one", "after the discard"]


def test_locking_with_unsaved_changes_keeps_them_sealed_in_memory_only(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_note(workspace, "saved")
    workspace.save_in_background()

    def unplugged(*args: object, **kwargs: object) -> None:
        raise OSError(19, "No such device")

    monkeypatch.setattr(vault, "write_atomically", unplugged)
    add_note(workspace, MARKER)
    with pytest.raises(SaveFailed, match="no such device"):
        workspace.flush()
    sealed = workspace.seal_unsaved()
    assert sealed is not None
    assert MARKER.encode() not in sealed.ciphertext
    path = workspace.path
    workspace.close(discard_unsaved=True)
    monkeypatch.undo()
    for stray in path.parent.iterdir():
        assert MARKER.encode() not in stray.read_bytes(), stray
    assert on_disk(path) == ["saved"]

    with pytest.raises(WrongPassphrase):
        unlock_sealed(sealed, "not the passphrase at all")
    with Workspace.from_unlocked(unlock_sealed(sealed, PASSPHRASE)) as unlocked:
        assert notes(unlocked) == ["saved", MARKER]
        assert unlocked.has_unsaved_changes
        unlocked.flush()
        assert not unlocked.has_unsaved_changes
    assert on_disk(path) == ["saved", MARKER]


def test_everything_saved_means_nothing_to_seal(workspace: Workspace) -> None:
    add_note(workspace, "saved")
    assert workspace.seal_unsaved() is None


def test_recovery_sets_the_new_passphrase_in_the_same_opening(forum_path: Path) -> None:
    ws = Workspace.create(forum_path, PASSPHRASE, forum="F")
    key = ws.recovery_key or ""
    ws.close()
    with Workspace.recover(forum_path, key, "a passphrase after recovery") as recovered:
        assert [e.action for e in audit.entries(recovered.db)][-1] == "passphrase_recovered"
    with pytest.raises(WrongPassphrase):
        Workspace.open(forum_path, PASSPHRASE)
    Workspace.open(forum_path, "a passphrase after recovery").close()


def test_no_plaintext_lock_or_temp_files_are_left_by_a_session(forum_path: Path) -> None:
    with Workspace.create(forum_path, PASSPHRASE, forum="F") as ws:
        ws.save_in_background()
        for n in range(5):
            add_note(ws, f"{MARKER} {n}")
        ws.flush()
    names = sorted(p.name for p in forum_path.parent.iterdir())
    assert names == ["forum.forumkit", "forum.forumkit.bak"]
    for name in names:
        assert MARKER.encode() not in (forum_path.parent / name).read_bytes()
    assert forum_path.stat().st_mode & 0o077 == 0


def test_an_older_file_opened_read_only_is_upgraded_in_memory_only(
    forum_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite_utils

    from forumkit import schema

    Workspace.create(forum_path, PASSPHRASE, forum="F").close()
    before = forum_path.read_bytes()

    def later(db: sqlite_utils.Database) -> None:
        db.execute("CREATE TABLE later_feature (id TEXT PRIMARY KEY)")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, later])
    with Workspace.open(forum_path, PASSPHRASE, read_only=True) as reader:
        assert reader.schema_version == schema.latest_version()
        assert "later_feature" in reader.db.table_names()
    assert forum_path.read_bytes() == before
