"""The app's side of the engine: a file in use elsewhere, read-only windows, saves in the
background, a disk that refuses them (locking anyway, quitting), a file changed on disk."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from forumkit import vault
from forumkit.quotes import add_deny_term, list_deny_terms
from forumkit.vault import WriterLock, backup_path
from forumkit.vault.lock import lock_file_for
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from ui.app import Shell
from ui.main_window import MainWindow
from ui.opening import PassphraseDialog
from ui.saving import SaveProblemBox

MARKER = "Zebedee-Marker-8120 we were told there were no places left"


def _notes(path: Path) -> list[str]:
    with Workspace.open(path, PASSPHRASE, read_only=True) as ws:
        if "notes" not in ws.db.table_names():
            return []
        return [str(r[0]) for r in ws.db.execute("SELECT text FROM notes ORDER BY rowid")]


def _add_note(shell: Shell, text: str) -> bool:
    context = shell.context

    def change() -> None:
        with context.workspace.transaction("note_added"):
            context.workspace.db["notes"].insert({"text": text})

    ok, _ = context.change(change)
    return ok


def _visible(app: QApplication, kind: type, text: str = "") -> list[QMessageBox]:
    return [
        w
        for w in app.topLevelWidgets()
        if isinstance(w, kind) and w.isVisible() and text in getattr(w, "text", lambda: "")()
    ]


def _click(box: QMessageBox, label: str) -> None:
    next(b for b in box.buttons() if b.text() == label).click()


def _make_file(path: Path) -> None:
    ws = Workspace.create(path, PASSPHRASE, forum="Brookfield PCF", area="Brookfield")
    with ws, ws.transaction():
        ws.db["notes"].insert({"text": "first"})


def test_a_file_in_use_says_who_and_opens_read_only(
    shell: Shell, qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    path = tmp_path / "forum.forumkit"
    _make_file(path)
    held = WriterLock.acquire(path)  # as another window of forumkit would
    try:
        shell.show_start()
        shell.open_path(path)
        box = _visible(qapp, QMessageBox, "already open in this forumkit")[0]
        assert box.accessibleName() == "Forum file in use"
        assert "Open anyway" not in [b.text() for b in box.buttons()]  # not stale
        _click(box, "Open read-only")
        dialog = next(w for w in _visible(qapp, PassphraseDialog))
        dialog.passphrase.setText(PASSPHRASE)
        dialog.accept()
        qtbot.waitUntil(lambda: shell.main is not None, timeout=10_000)
        main = shell.main
        assert isinstance(main, MainWindow)
        assert main.windowTitle() == "Brookfield PCF (read-only) — forumkit"
        assert main.save_status.text() == "Read-only: changes cannot be saved"
        assert not _add_note(shell, "never saved")
        message = shell.context.errors.open_dialogs[-1]
        assert "open read-only" in message.text()
        message.close()
    finally:
        held.release()
    assert _notes(path) == ["first"]


def test_a_lock_left_by_a_crash_can_be_broken_after_asking(
    shell: Shell, qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    path = tmp_path / "forum.forumkit"
    _make_file(path)
    since = datetime.now(UTC) - timedelta(hours=5)
    record = {"app": "forumkit", "host": "volunteers-laptop", "pid": 77, "since": since.isoformat()}
    lock_file = lock_file_for(path)
    lock_file.write_text(json.dumps(record), encoding="utf-8")
    os.utime(lock_file, (since.timestamp(), since.timestamp()))
    shell.show_start()
    shell.open_path(path)
    box = _visible(qapp, QMessageBox, "volunteers-laptop")[0]
    assert "has not used it for 5 hours" in box.text()
    _click(box, "Open anyway")
    dialog = next(w for w in _visible(qapp, PassphraseDialog))
    dialog.passphrase.setText(PASSPHRASE)
    dialog.accept()
    qtbot.waitUntil(lambda: shell.main is not None, timeout=10_000)
    assert not shell.context.workspace.read_only
    assert _add_note(shell, "after breaking the lock")
    shell.context.workspace.flush()
    assert _notes(path) == ["first", "after breaking the lock"]


def test_a_refusing_disk_says_not_saved_then_locks_keeping_the_changes_sealed(
    opened_shell: Shell, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = opened_shell.main
    assert main is not None
    context = opened_shell.context
    path = context.workspace.path

    def unplugged(*args: object, **kwargs: object) -> None:
        raise OSError(19, "No such device")

    monkeypatch.setattr(vault, "write_atomically", unplugged)
    assert _add_note(opened_shell, MARKER)  # committed: the write fails in the background
    qtbot.waitUntil(lambda: main.save_status.text().startswith("Not saved"), timeout=10_000)
    assert "no such device" in main.save_status.text() and "kept" in main.save_status.text()

    main.lock()
    assert main.is_locked and not context.has_workspace
    assert context.unsaved is not None
    assert "could not be saved" in main.lock_screen.explanation.text()
    assert main.save_status.text().startswith("Locked — not saved")
    for stray in path.parent.iterdir():
        assert MARKER.encode() not in stray.read_bytes(), stray
    assert MARKER.encode() not in context.unsaved.ciphertext

    monkeypatch.undo()  # the stick is back
    main.lock_screen.passphrase.setText(PASSPHRASE)
    main.lock_screen.unlock()
    qtbot.waitUntil(lambda: not main.is_locked, timeout=10_000)
    qtbot.waitUntil(lambda: main.save_status.text().startswith("All changes saved"), timeout=10_000)
    assert MARKER in _notes(path)


def test_quitting_with_unsaved_changes_asks(
    opened_shell: Shell, qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = opened_shell.main
    assert main is not None
    path = opened_shell.context.workspace.path

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(vault, "write_atomically", full)
    assert _add_note(opened_shell, "cannot be written")
    answers = ["Try again", "Cancel"]

    def answer() -> None:
        boxes = [w for w in qapp.topLevelWidgets() if isinstance(w, SaveProblemBox)]
        visible = [box for box in boxes if box.isVisible()]
        if not visible:
            QTimer.singleShot(20, answer)
            return
        assert "is full: nothing was saved" in visible[0].text()
        _click(visible[0], answers.pop(0))
        if answers:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    main.close()  # asks (modally) until answered
    assert answers == []
    assert main.isVisible()  # Cancel: nothing was closed, nothing lost
    assert opened_shell.context.has_workspace

    QTimer.singleShot(20, lambda: _answer_with(qapp, "Quit without saving"))
    main.close()
    assert not main.isVisible()
    opened_shell.context.close_workspace()
    assert "cannot be written" not in _notes(path)


def _answer_with(qapp: QApplication, label: str) -> None:
    boxes = [w for w in qapp.topLevelWidgets() if isinstance(w, SaveProblemBox) and w.isVisible()]
    if not boxes:
        QTimer.singleShot(20, lambda: _answer_with(qapp, label))
        return
    _click(boxes[0], label)


def test_a_file_changed_on_disk_offers_discard_or_a_new_file(
    opened_shell: Shell, qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = opened_shell.main
    assert main is not None
    context = opened_shell.context
    path = context.workspace.path
    for text in ("one", "two"):  # two saves (back-to-back changes would make one)
        assert _add_note(opened_shell, text)
        context.workspace.flush()
    path.write_bytes(backup_path(path).read_bytes())  # an older copy is put back over it
    assert _add_note(opened_shell, "refused")

    def box() -> SaveProblemBox:
        found = [w for w in main.findChildren(SaveProblemBox) if w.isVisible()]
        assert found
        return found[0]

    qtbot.waitUntil(lambda: bool(box()), timeout=10_000)
    assert "older copy" in box().text()
    assert main.save_status.text() == "Not saved: the file was changed by another program"
    new_file = path.with_name("forum (my changes).forumkit")
    monkeypatch.setattr(
        "ui.saving.QFileDialog.getSaveFileName", lambda *a, **k: (str(new_file), "")
    )
    box().button_for(SaveProblemBox.SAVE_AS).click()
    qtbot.waitUntil(lambda: main.save_status.text().startswith("All changes saved"))
    assert context.workspace.path == new_file
    assert _notes(new_file) == ["one", "two", "refused"]
    assert _notes(path) == ["one"]

    # Once more, now choosing to discard: the file on disk wins.
    assert _add_note(opened_shell, "three")
    context.workspace.flush()
    new_file.write_bytes(backup_path(new_file).read_bytes())
    assert _add_note(opened_shell, "refused again")
    qtbot.waitUntil(lambda: bool(box()), timeout=10_000)
    box().button_for(SaveProblemBox.DISCARD).click()
    qtbot.waitUntil(lambda: main.save_status.text().startswith("All changes saved"))
    texts = [r[0] for r in context.workspace.db.execute("SELECT text FROM notes ORDER BY rowid")]
    assert texts == ["one", "two", "refused"]
    assert not context.workspace.has_unsaved_changes


def test_opening_the_file_already_open_shows_its_window(
    opened_shell: Shell, qapp: QApplication
) -> None:
    workspace = opened_shell.context.workspace
    opened_shell.open_path(workspace.path)
    assert opened_shell.context.workspace is workspace and not workspace.read_only
    assert not _visible(qapp, QMessageBox) and not _visible(qapp, PassphraseDialog)


def test_a_file_changed_on_disk_offers_to_merge_the_newer_file_in(
    opened_shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    main = opened_shell.main
    assert main is not None
    context = opened_shell.context
    path = context.workspace.path
    ok, _ = context.change(lambda: add_deny_term(context.workspace, "Brookfield Academy", "school"))
    assert ok
    context.workspace.flush()
    # Another program (a second laptop through a sync service) saves the file meanwhile.
    elsewhere = tmp_path / "elsewhere.forumkit"
    shutil.copyfile(path, elsewhere)
    with Workspace.open(elsewhere, PASSPHRASE) as other:
        add_deny_term(other, "Mrs Okafor", "person")
    shutil.copyfile(elsewhere, path)
    ok, _ = context.change(lambda: add_deny_term(context.workspace, "Hillside Park", "place"))
    assert ok  # committed here; the background save is refused

    def box() -> SaveProblemBox:
        found = [w for w in main.findChildren(SaveProblemBox) if w.isVisible()]
        assert found
        return found[0]

    qtbot.waitUntil(lambda: bool(box()), timeout=10_000)
    merge_button = box().button_for(SaveProblemBox.MERGE)
    assert box().defaultButton() is merge_button
    assert merge_button.text() == "Merge the newer file in"
    merge_button.click()
    qtbot.waitUntil(lambda: main.save_status.text().startswith("All changes saved"))
    with Workspace.open(path, PASSPHRASE, read_only=True) as saved:
        terms = sorted(e.text for e in list_deny_terms(saved.db))
    assert terms == ["Brookfield Academy", "Hillside Park", "Mrs Okafor"]
