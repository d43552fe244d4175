"""The app and the file's surroundings: an older copy asks before its changes are saved, and a
file marked read-only is offered read-only."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from ui.app import Shell
from ui.opening import PassphraseDialog
from ui.saving import SaveProblemBox


def _notes(path: Path) -> list[str]:
    with Workspace.open(path, PASSPHRASE, read_only=True) as ws:
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


def _open(shell: Shell, qtbot: QtBot, qapp: QApplication, path: Path) -> None:
    shell.show_start()
    shell.open_path(path)
    dialog = next(w for w in _visible(qapp, PassphraseDialog))
    dialog.passphrase.setText(PASSPHRASE)
    dialog.accept()
    qtbot.waitUntil(lambda: shell.main is not None and shell.context.has_workspace, timeout=10_000)


def test_an_older_copy_asks_before_its_changes_are_saved(
    shell: Shell, qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    path = tmp_path / "forum.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Brookfield PCF") as ws:
        with ws.transaction():
            ws.db["notes"].insert({"text": "in both"})
        copy = tmp_path / "usb stick.forumkit"
        shutil.copyfile(path, copy)
        with ws.transaction():
            ws.db["notes"].insert({"text": "only in the newer copy"})
    before = copy.read_bytes()
    _open(shell, qtbot, qapp, copy)
    main = shell.main
    assert main is not None
    assert _visible(qapp, QMessageBox, "is an older copy")  # said on opening
    assert _add_note(shell, "typed into the older copy")

    def box() -> SaveProblemBox | None:
        found = [w for w in main.findChildren(SaveProblemBox) if w.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: box() is not None, timeout=10_000)
    assert main.save_status.text() == "Not saved: this is an older copy of the file"
    assert copy.read_bytes() == before  # nothing written before the user says so
    problem = box()
    assert problem is not None
    problem.button_for(SaveProblemBox.CARRY_ON).click()
    qtbot.waitUntil(lambda: main.save_status.text().startswith("All changes saved"))
    assert _notes(copy) == ["in both", "typed into the older copy"]


def test_a_file_marked_read_only_is_offered_read_only(
    shell: Shell, qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    path = tmp_path / "forum.forumkit"
    Workspace.create(path, PASSPHRASE, forum="Brookfield PCF").close()
    path.chmod(0o444)
    before = path.read_bytes()
    shell.show_start()
    shell.open_path(path)
    box = _visible(qapp, QMessageBox, "marked read-only")[0]
    assert box.accessibleName() == "Forum file is read-only"
    next(b for b in box.buttons() if b.text() == "Open read-only").click()
    dialog = next(w for w in _visible(qapp, PassphraseDialog))
    dialog.passphrase.setText(PASSPHRASE)
    dialog.accept()
    qtbot.waitUntil(lambda: shell.main is not None and shell.context.has_workspace, timeout=10_000)
    assert shell.context.workspace.read_only
    assert "(read-only)" in shell.main.windowTitle()
    assert path.read_bytes() == before
