"""The shell: new file through the wizard, opening with wrong then right passphrase, the
recovery key path, saved status, auto-lock and unlock, error dialogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from forumkit.demo import create_demo
from forumkit.errors import ForumkitError
from forumkit.responses import list_responses
from forumkit.surveys import list_surveys
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from ui import recent
from ui.app import Shell
from ui.context import IDLE_LOCK_MINUTES, AppContext
from ui.errors import describe
from ui.new_forum import NewForumWizard, passphrase_strength, same_disk
from ui.opening import WRONG_PASSPHRASE, PassphraseDialog, RecoveryDialog
from ui.settings_dialog import SettingsDialog
from ui.widgets import ShowTyping

NEW_PASSPHRASE = "quiet river lantern"


def make_file(path: Path) -> str:
    """A closed forum file at ``path``; returns its recovery key."""
    with Workspace.create(path, PASSPHRASE, forum="Brookfield PCF", area="Brookfield") as ws:
        assert ws.recovery_key is not None
        return ws.recovery_key


def current_wizard(app: QApplication) -> NewForumWizard:
    found = [w for w in app.topLevelWidgets() if isinstance(w, NewForumWizard) and w.isVisible()]
    assert found, "the wizard is not showing"
    return found[0]


def test_new_forum_file_through_the_wizard(
    shell: Shell, qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    shell.show_start()
    shell.start.activateWindow()
    qtbot.waitUntil(lambda: qapp.activeWindow() is shell.start)
    qtbot.keyClick(shell.start, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wizard = current_wizard(qapp)
    page = wizard.forum_page
    qtbot.keyClicks(page.forum, "Brookfield Parent Carer Forum")
    qtbot.keyClicks(page.area, "Brookfield")
    page.location.setText(str(tmp_path / "brookfield.forumkit"))
    wizard.next()
    assert wizard.currentPage() is wizard.passphrase_page
    pp = wizard.passphrase_page
    qtbot.keyClicks(pp.passphrase, "short")
    assert "Too short" in pp.strength.text()
    qtbot.keyClicks(pp.repeat, "short")
    wizard.next()
    assert "too short" in pp.problem.text()
    assert wizard.currentPage() is pp
    pp.passphrase.clear()
    qtbot.keyClicks(pp.passphrase, NEW_PASSPHRASE)
    qtbot.keyClicks(pp.repeat, NEW_PASSPHRASE)
    assert pp.meter.value() >= 50
    wizard.next()  # derives the key in a worker, then moves on by itself
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=10_000)
    key_page = wizard.recovery_page
    assert key_page.key.text().count("-") >= 5
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    wizard.reject()  # Escape cannot skip storing the key
    assert wizard.isVisible()
    key_page.stored.setChecked(True)
    assert finish.isEnabled()
    finish.click()
    assert shell.main is not None
    assert shell.main.windowTitle().startswith("Brookfield Parent Carer Forum")
    assert (tmp_path / "brookfield.forumkit").exists()
    assert recent.load(shell.context.settings)[0].name == "Brookfield Parent Carer Forum"


def test_recovery_key_page_saves_the_key(
    shell: Shell, qtbot: QtBot, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = NewForumWizard(shell.context, shell.start)
    qtbot.addWidget(wizard)
    wizard.workspace = Workspace.create(
        tmp_path / "f.forumkit", PASSPHRASE, forum="Test Forum", area="Testshire"
    )
    wizard.recovery_page.initializePage()
    target = tmp_path / "key.txt"
    monkeypatch.setattr(
        "ui.new_forum.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), "")
    )
    # The test folder is on the forum file's own disk: the key belongs elsewhere (issue 13).
    asked: list[Path] = []
    answers = iter([False, True])

    def confirm(path: Path) -> bool:
        asked.append(path)
        return next(answers)

    monkeypatch.setattr(wizard.recovery_page, "confirm_same_disk", confirm)
    wizard.recovery_page.save_key()
    assert asked == [target] and not target.exists()  # "Choose another place"
    assert "USB stick" in wizard.recovery_page.status.text()
    wizard.recovery_page.save_key()  # "Save here anyway"
    assert wizard.workspace.recovery_key in target.read_text(encoding="utf-8")
    assert wizard.recovery_page.key_document().toPlainText().count("Test Forum") == 1
    wizard.workspace.close()


def test_the_recovery_key_warning_names_where_it_belongs(
    shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = NewForumWizard(shell.context, shell.start)
    qtbot.addWidget(wizard)
    page = wizard.recovery_page
    QTimer.singleShot(0, lambda: page.same_disk_box.reject())
    assert not page.confirm_same_disk(tmp_path / "key.txt")
    assert "USB stick" in page.same_disk_box.text()
    assert same_disk(tmp_path / "key.txt", tmp_path / "forum.forumkit")


def test_passphrase_strength_rewards_length_and_variety() -> None:
    assert passphrase_strength("abc")[1].startswith("Too short")
    assert passphrase_strength("abcdefgh")[0] < passphrase_strength("Quiet river 7 lantern!")[0]
    assert passphrase_strength("Quiet river 7 lantern!")[1] == "Strong"


def test_open_with_wrong_then_right_passphrase(
    shell: Shell, qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    path = tmp_path / "forum.forumkit"
    make_file(path)
    shell.show_start()
    shell.open_path(path)
    opener_dialog = [w for w in qapp.topLevelWidgets() if isinstance(w, PassphraseDialog)]
    dialog = next(d for d in opener_dialog if d.isVisible())
    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)

    def wrong_box() -> QMessageBox:
        boxes = [
            w
            for w in qapp.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible() and w.text() == WRONG_PASSPHRASE
        ]
        assert boxes
        return boxes[0]

    qtbot.waitUntil(lambda: bool(wrong_box()), timeout=10_000)
    box = wrong_box()
    try_again = next(b for b in box.buttons() if b.text() == "Try again")
    try_again.click()
    dialog = next(
        w for w in qapp.topLevelWidgets() if isinstance(w, PassphraseDialog) and w.isVisible()
    )
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.main is not None, timeout=10_000)
    assert shell.main is not None
    assert shell.main.windowTitle() == "Brookfield PCF — forumkit"
    assert not shell.start.isVisible()
    item = recent.load(shell.context.settings)[0]
    assert (item.name, item.area, item.path) == ("Brookfield PCF", "Brookfield", path.resolve())


def test_recovery_key_opens_and_sets_a_new_passphrase(
    shell: Shell, qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    path = tmp_path / "forum.forumkit"
    key = make_file(path)
    shell.show_start()
    opener = shell.opener()
    box = opener.wrong_passphrase(path, shell.opened)
    next(b for b in box.buttons() if b.text() == "Use recovery key…").click()
    dialog = opener.dialog
    assert isinstance(dialog, RecoveryDialog)
    dialog.recovery_key.setPlainText(key.lower().replace("-", " "))
    dialog.new_passphrase.setText(NEW_PASSPHRASE)
    dialog.repeat.setText("something else")
    dialog._check()
    assert dialog.isVisible() and "not the same" in dialog.problem.text()
    dialog.repeat.setText(NEW_PASSPHRASE)
    dialog._check()
    qtbot.waitUntil(lambda: shell.main is not None, timeout=10_000)
    shell.close_file()
    Workspace.open(path, NEW_PASSPHRASE).close()


def test_status_bar_says_saving_then_saved(opened_shell: Shell, qtbot: QtBot) -> None:
    main = opened_shell.main
    assert main is not None
    context = opened_shell.context
    assert main.save_status.text().startswith("All changes saved ")
    seen: list[str] = []
    context.saving.connect(lambda: seen.append(main.save_status.text()))

    def change() -> None:
        with context.workspace.transaction("test"):
            seen.append(main.save_status.text())

    ok, _ = context.change(change)
    assert ok
    assert "Saving…" in seen
    # The write happens in the background: the status follows it until it is on disk.
    qtbot.waitUntil(lambda: context.workspace.saved_at is not None, timeout=10_000)
    qtbot.waitUntil(lambda: main.save_status.text().startswith("All changes saved "))
    saved_at = context.workspace.saved_at
    assert saved_at is not None
    assert main.save_status.text() == f"All changes saved {saved_at:%H:%M}"


def test_auto_lock_and_unlock(opened_shell: Shell, qtbot: QtBot, qapp: QApplication) -> None:
    main = opened_shell.main
    assert main is not None
    context = opened_shell.context
    path = context.workspace.path
    kept: list[bool] = []
    page = main.pages[0]
    page.before_lock = lambda: kept.append(context.has_workspace)  # type: ignore[attr-defined]
    main.idle.set_timeout_ms(50)
    main.idle.start()
    qtbot.waitUntil(lambda: main.is_locked, timeout=5_000)
    assert kept == [True]  # pages saw the file still open, to keep drafts
    assert not context.has_workspace
    assert not main.open_action.isEnabled()
    assert context.locked_path == path
    screen = main.lock_screen
    qtbot.keyClicks(screen.passphrase, "wrong passphrase")
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, QMessageBox) and w.isVisible() and w.text() == WRONG_PASSPHRASE
            for w in qapp.topLevelWidgets() + main.findChildren(QMessageBox)
        ),
        timeout=10_000,
    )
    assert main.is_locked
    for box in main.findChildren(QMessageBox):
        box.close()
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not main.is_locked, timeout=10_000)
    assert context.has_workspace and context.workspace.path == path
    assert main.open_action.isEnabled()
    assert main.idle.active


def test_idle_time_comes_from_settings(shell: Shell, context: AppContext, tmp_path: Path) -> None:
    context.settings.setValue(IDLE_LOCK_MINUTES, 3)
    shell.opened(Workspace.create(tmp_path / "f.forumkit", PASSPHRASE, forum="F"))
    assert shell.main is not None
    assert shell.main.idle.timeout_ms == 3 * 60_000


def test_typed_error_is_a_plain_dialog(context: AppContext, qtbot: QtBot) -> None:
    box = context.errors.report(ForumkitError("The spreadsheet has no survey sheet."))
    assert box.text() == "The spreadsheet has no survey sheet."
    assert box.isVisible()
    box.close()
    assert not context.errors.log_path.exists()


def test_unexpected_error_is_logged_without_its_message(
    context: AppContext, qtbot: QtBot, qapp: QApplication
) -> None:
    secret = "my son Oliver was excluded"

    def fails(answer: str) -> None:
        raise ValueError(answer)

    try:
        fails(secret)
    except ValueError as exc:
        box = context.errors.report(exc)
    log = context.errors.log_path.read_text(encoding="utf-8")
    assert "builtins.ValueError" in log and "in fails" in log
    assert secret not in log and secret not in box.detailedText()
    copy = next(b for b in box.buttons() if b.text() == "Copy details")
    copy.click()
    assert box.isVisible()  # copying does not close the dialog
    assert QApplication.clipboard().text() == box.detailedText()
    box.close()


def test_excepthook_keeps_the_app_running(context: AppContext, qtbot: QtBot) -> None:
    try:
        raise RuntimeError("response text here")
    except RuntimeError as exc:
        context.errors.excepthook(RuntimeError, exc, exc.__traceback__)
    assert context.errors.open_dialogs
    assert "response text" not in context.errors.log_path.read_text(encoding="utf-8")
    context.errors.close_all()


def test_describe_names_type_and_frames_only() -> None:
    try:
        {}["Oliver"]
    except KeyError as exc:
        text = describe(exc)
    assert text.startswith("builtins.KeyError") and "Oliver" not in text


def test_open_the_demo(shell: Shell, qtbot: QtBot, tmp_path: Path) -> None:
    demo = shell.demo
    if demo is None:
        pytest.skip("this forumkit has no demo forum yet")
    shell.show_start()
    assert shell.start.demo_button is not None
    shell.start.demo_button.click()
    qtbot.waitUntil(lambda: shell.main is not None, timeout=30_000)
    assert shell.main is not None
    assert shell.main.windowTitle().startswith(demo.DEMO_FORUM)
    message = shell.context.errors.open_dialogs[-1]
    # Everything a newcomer types is on screen: the passphrases and the pack password.
    copy = demo.volunteer_copy_path(shell.context.workspace.path)
    for shown in (
        demo.DEMO_PASSPHRASE,
        demo.DEMO_VOLUNTEER_PASSPHRASE,
        demo.DEMO_PACK_PASSWORD,
        str(copy),
    ):
        assert shown in message.text()
    assert copy.is_file()  # the volunteer copy, ready to merge, in the demo's folder
    message.close()
    note = shell.main.demo_note
    assert note.isVisible() and demo.DEMO_PACK_PASSWORD in note.text()
    page = shell.main.page("Surveys")
    assert int(page.table.item(0, 4).text()) > 100  # type: ignore[attr-defined]
    # The app fills the demo with the core's own fill_demo: the same file `forumkit demo` makes.
    with create_demo(tmp_path / "cli-demo.forumkit", PASSPHRASE) as made:
        assert _held(shell.context.workspace) == _held(made)
    shell.main.lock()
    assert demo.DEMO_PASSPHRASE in shell.main.lock_screen.explanation.text()
    assert not recent.load(shell.context.settings)  # the temporary demo is not remembered


def _held(workspace: Workspace) -> list[tuple[str, str, dict[str, object]]]:
    survey_id = list_surveys(workspace.db)[0].id
    return [
        (r.status, r.source, dict(r.answers))
        for r in list_responses(workspace.db, survey_id, limit=None)
    ]


def test_command_line_arguments() -> None:
    from ui.app import parse_args

    args = parse_args(["--demo"])
    assert args.demo and args.file is None
    assert parse_args(["f.forumkit"]).file == Path("f.forumkit")


def test_the_lock_screen_says_who_locked_it(opened_shell: Shell, qtbot: QtBot) -> None:
    """Issue 13: Ctrl+L's lock screen said nobody had used forumkit for a while."""
    main = opened_shell.main
    assert main is not None
    main.lock_action.trigger()
    assert main.is_locked
    assert main.lock_screen.explanation.text().startswith("You locked forumkit.")
    qtbot.keyClicks(main.lock_screen.passphrase, PASSPHRASE)
    qtbot.keyClick(main.lock_screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not main.is_locked, timeout=10_000)
    main.idle.set_timeout_ms(30)
    main.idle.start()
    qtbot.waitUntil(lambda: main.is_locked, timeout=5_000)
    assert "because nobody used it for a while" in main.lock_screen.explanation.text()
    assert "You locked" not in main.lock_screen.explanation.text()


def test_the_passphrase_dialog_opens_in_the_middle_of_its_window(
    shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    """Issue 13: it opened at the screen's top-left corner."""
    path = tmp_path / "f.forumkit"
    make_file(path)
    shell.show_start()
    shell.start.setGeometry(300, 200, 760, 560)
    qtbot.waitExposed(shell.start)
    dialog = shell.opener().ask_and_open(path, lambda _workspace: None)
    assert isinstance(dialog, PassphraseDialog)
    qtbot.waitExposed(dialog)
    middle = shell.start.frameGeometry().center()
    assert (dialog.frameGeometry().center() - middle).manhattanLength() <= 4
    assert dialog.findChild(QCheckBox) is not None  # "Show what I type"
    dialog.reject()


def test_show_what_i_type_unmasks_and_forgets_when_hidden(
    shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = RecoveryDialog(tmp_path / "f.forumkit", shell.start)
    qtbot.addWidget(dialog)
    dialog.show()
    show = dialog.findChild(ShowTyping)
    assert show is not None
    show.setChecked(True)
    assert dialog.new_passphrase.echoMode() == QLineEdit.EchoMode.Normal
    assert dialog.repeat.echoMode() == QLineEdit.EchoMode.Normal
    dialog.hide()
    assert not show.isChecked()
    assert dialog.new_passphrase.echoMode() == QLineEdit.EchoMode.Password


def test_settings_say_one_minute(context: AppContext, qtbot: QtBot) -> None:
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    dialog.idle_minutes.setValue(1)
    assert dialog.idle_minutes.text() == "1 minute"
    dialog.idle_minutes.setValue(10)
    assert dialog.idle_minutes.text() == "10 minutes"


def test_the_demo_notice_is_friendly(shell: Shell, qtbot: QtBot) -> None:
    """Issue 13: the demo's welcome came with a warning icon."""
    shell.show_start()
    assert shell.start.demo_button is not None
    shell.start.demo_button.click()
    qtbot.waitUntil(lambda: shell.main is not None, timeout=30_000)
    message = shell.context.errors.open_dialogs[-1]
    assert message.icon() == QMessageBox.Icon.Information
    message.close()
