"""Merging in the app: a volunteer copy made from the File menu, two volunteers' files merged
through the dialog with a conflict settled in the conflicts view, the newer file another
program saved merged in with a summary, and nothing of the answers left on screen after a
lock."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from forumkit.merge import list_conflicts
from forumkit.quotes import add_deny_term
from forumkit.responses import count_responses, update_response
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.merge.helpers import VOLUNTEER_PASSPHRASE, story
from tests.core.responses.helpers import complete_answers
from tests.ui.merging_helpers import FIRST, SECOND, open_chair, two_laptops
from ui.app import Shell
from ui.main_window import MainWindow
from ui.merging.conflicts import DIFFERS, ConflictsDialog
from ui.merging.merge_dialog import MergeDialog
from ui.merging.summary import MergeSummaryDialog
from ui.saving import SaveProblemBox


def _main(shell: Shell) -> MainWindow:
    assert shell.main is not None
    return shell.main


def _merge_through_dialog(
    qtbot: QtBot, main: MainWindow, path: Path, passphrase: str = VOLUNTEER_PASSPHRASE
) -> MergeDialog:
    dialog = main.merging.open_merge()
    dialog.path_edit.setText(str(path))
    qtbot.keyClicks(dialog.passphrase, passphrase)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)  # Merge is the default button
    qtbot.waitUntil(lambda: dialog.merge_result is not None, timeout=10_000)
    return dialog


def _table(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def test_two_volunteers_files_merge_and_a_conflict_is_settled(
    shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    laptops = two_laptops(tmp_path)
    shell.opened(open_chair(laptops.chair))
    main = _main(shell)
    assert [a.text() for a in main.merging.actions] == [
        "&Merge a volunteer's file…",
        "Make a &volunteer copy…",
        "Con&flicts to review…",
    ]

    first = _merge_through_dialog(qtbot, main, laptops.first)
    assert first.summary.isVisible() and not first.passphrase.text()
    rows = _table(first.summary.table)
    assert rows[0] == ["Responses", "1", "0", "0", "0"]
    assert rows[-1][0] == "All records"
    assert not first.summary.review_button.isVisible()
    first.accept()

    second = _merge_through_dialog(qtbot, main, laptops.second)
    responses = _table(second.summary.table)[0]
    assert responses[0] == "Responses" and responses[4] == "1"  # one conflict kept
    assert "Conflicts to review" in second.summary.news.text()
    assert second.summary.review_button.isVisible()
    workspace = shell.context.workspace
    assert count_responses(workspace.db, laptops.survey.id) == 1

    second.summary.review_button.click()
    dialog = next(w for w in main.findChildren(ConflictsDialog) if w.isVisible())
    second.accept()
    assert dialog.conflicts.count() == 1 and dialog.count.text() == "1 conflict to review."
    assert "differs in: Tell us about your experience" in dialog.conflicts.item(0).text()
    differing = [row for row in _table(dialog.table) if row[0].endswith(DIFFERS)]
    assert len(differing) == 1
    assert {differing[0][1], differing[0][2]} == {FIRST, SECOND}
    now = story(workspace, laptops.response_id)
    other = SECOND if now == FIRST else FIRST
    assert differing[0][1] == now and differing[0][2] == other
    assert dialog.only_differences.isChecked() and dialog.table.rowCount() == 1
    dialog.only_differences.setChecked(False)
    assert dialog.table.rowCount() > 5  # every answer and field, the same ones unmarked

    dialog.keep_theirs.click()
    assert dialog.conflicts.count() == 0 and dialog.count.text() == "No conflicts to review."
    assert not dialog.keep_mine.isEnabled()
    assert story(workspace, laptops.response_id) == other
    assert list_conflicts(workspace.db) == []
    shell.context.flush()
    with Workspace.open(laptops.chair, PASSPHRASE, read_only=True) as saved:
        assert story(saved, laptops.response_id) == other


def test_a_wrong_passphrase_says_so_and_merges_nothing(
    shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    laptops = two_laptops(tmp_path)
    shell.opened(open_chair(laptops.chair))
    main = _main(shell)
    dialog = main.merging.open_merge()
    dialog.path_edit.setText(str(laptops.first))
    dialog.passphrase.setText("not the volunteer's passphrase")
    dialog.start_merge()
    qtbot.waitUntil(lambda: bool(shell.context.errors.open_dialogs), timeout=10_000)
    assert "passphrase" in shell.context.errors.open_dialogs[0].text().lower()
    assert dialog.merge_result is None and dialog.merge_button.isEnabled()
    assert count_responses(shell.context.workspace.db, laptops.survey.id) == 0
    dialog.path_edit.setText(str(tmp_path / "missing.forumkit"))
    dialog.start_merge()
    assert "Choose the volunteer's forum file" in dialog.problem.text()


def test_a_volunteer_copy_from_the_file_menu(shell: Shell, qtbot: QtBot, tmp_path: Path) -> None:
    laptops = two_laptops(tmp_path)
    shell.opened(open_chair(laptops.chair))
    main = _main(shell)
    dialog = main.merging.open_volunteer_copy()
    assert dialog.path_edit.text().endswith("chair (volunteer copy).forumkit")
    target = tmp_path / "event laptop.forumkit"
    dialog.path_edit.setText(str(target))
    dialog.passphrase.setText("event laptop words")
    dialog.repeat.setText("other words entirely")
    dialog.make()
    assert "not the same" in dialog.problem.text() and not target.exists()
    dialog.passphrase.setText("short")
    dialog.repeat.setText("short")
    dialog.make()
    assert "short" in dialog.problem.text().lower() and not target.exists()
    qtbot.keyClicks(dialog.passphrase, "")  # focus stays usable by keyboard
    dialog.passphrase.setText("event laptop words")
    dialog.repeat.setText("event laptop words")
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)  # Make the copy is the default button
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 1, timeout=10_000)
    key = dialog.key.text()
    assert key and dialog.made is not None and dialog.made.path == target
    assert not dialog.passphrase.text() and not dialog.done_button.isEnabled()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == key
    dialog.stored.setChecked(True)
    assert dialog.done_button.isEnabled()
    dialog.done_button.click()
    assert not dialog.key.text()  # forgotten once closed
    with Workspace.open(target, "event laptop words", read_only=True) as copy:
        assert copy.forum.forum_id == shell.context.workspace.forum.forum_id
        assert count_responses(copy.db, laptops.survey.id) == 0


def test_a_file_changed_on_disk_is_merged_in_with_a_summary(
    opened_shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    main = _main(opened_shell)
    context = opened_shell.context
    path = context.workspace.path
    ok, _ = context.change(lambda: add_deny_term(context.workspace, "Brookfield Academy", "school"))
    assert ok
    context.workspace.flush()
    elsewhere = tmp_path / "elsewhere.forumkit"
    shutil.copyfile(path, elsewhere)
    with Workspace.open(elsewhere, PASSPHRASE) as other:
        add_deny_term(other, "Mrs Okafor", "person")
    shutil.copyfile(elsewhere, path)
    ok, _ = context.change(lambda: add_deny_term(context.workspace, "Hillside Park", "place"))
    assert ok

    def box() -> SaveProblemBox:
        found = [w for w in main.findChildren(SaveProblemBox) if w.isVisible()]
        assert found
        return found[0]

    qtbot.waitUntil(lambda: bool(box()), timeout=10_000)
    assert "changed by another program" in main.save_status.text()
    box().button_for(SaveProblemBox.MERGE).click()
    qtbot.waitUntil(lambda: main.save_status.text().startswith("All changes saved"))
    summary = next(w for w in main.findChildren(MergeSummaryDialog) if w.isVisible())
    rows = _table(summary.summary.table)
    deny = next(row for row in rows if row[0] == "Deny-list entries")
    assert deny[1] == "1"  # Mrs Okafor came in; Hillside Park was only here
    assert "Another program had saved this forum file" in " ".join(
        label.text() for label in summary.findChildren(QLabel)
    )
    summary.accept()


def _texts_on_screen(app: QApplication) -> str:
    found: list[str] = []
    for window in app.topLevelWidgets():
        for widget in [window, *window.findChildren(QWidget)]:
            if isinstance(widget, QTableWidget):
                found += [cell for row in _table(widget) for cell in row]
            elif isinstance(widget, QLabel):
                found.append(widget.text())
    return json.dumps(found)


def test_the_conflicts_view_forgets_the_answers_on_lock(
    shell: Shell, qtbot: QtBot, tmp_path: Path, qapp: QApplication
) -> None:
    laptops = two_laptops(tmp_path)
    shell.opened(open_chair(laptops.chair))
    main = _main(shell)
    _merge_through_dialog(qtbot, main, laptops.first).accept()
    _merge_through_dialog(qtbot, main, laptops.second).accept()
    dialog = main.merging.open_conflicts()
    assert FIRST in _texts_on_screen(qapp) and SECOND in _texts_on_screen(qapp)
    ok, _ = shell.context.change(
        lambda: update_response(
            shell.context.workspace, laptops.response_id, complete_answers(experience="later")
        )
    )
    assert ok
    main.lock()
    assert main.is_locked and not dialog.isVisible()
    assert dialog.table.rowCount() == 0 and dialog.current is None
    shown = _texts_on_screen(qapp)
    assert FIRST not in shown and SECOND not in shown
