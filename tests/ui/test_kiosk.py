"""Kiosk mode: respondents one after another see nothing of each other; a parent walking away
leaves an unfinished kiosk draft; leaving needs the passphrase."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from forumkit.paths import resource_path
from forumkit.responses import list_responses
from forumkit.surveys import import_xlsform, list_surveys
from tests.conftest import PASSPHRASE
from tests.core.surveys.helpers import write_form
from ui.app import Shell
from ui.context import VOLUNTEER_NAME
from ui.form.options import OptionRadio
from ui.kiosk import TARGET_PX, KioskWindow
from ui.pages.responses import ResponsesPage

ANSWERS = {
    "age_phase": "secondary",
    "need_areas": ("semh",),
    "support": "ehcp",
    "ehcp_process": "1",
    "services_score": 2,
    "biggest_difference": "Someone who answers emails.",
    "consent_quote": "yes",
    "consent_share": "no",
}

CALL_SURVEY = [
    ["type", "name", "label"],
    ["text", "story", "What happened?"],
    ["time", "call_time", "When may we call you?"],
    ["integer", "age", "How old is your child?"],
]
CALL_SETTINGS = [["form_title", "form_id"], ["Call-back survey", "call_back"]]


def _kiosk(shell: Shell, qtbot: QtBot) -> tuple[KioskWindow, ResponsesPage]:
    context = shell.context
    context.change(
        lambda: import_xlsform(context.workspace, resource_path("demo", "parent-survey-2026.xlsx"))
    )
    main = shell.main
    assert main is not None
    page = next(p for p in main.pages if isinstance(p, ResponsesPage))
    page.start_kiosk()
    kiosk = page.kiosk
    assert isinstance(kiosk, KioskWindow)
    qtbot.waitExposed(kiosk)
    return kiosk, page


def _fill_and_send(kiosk: KioskWindow, qtbot: QtBot) -> None:
    qtbot.mouseClick(kiosk.start_button, Qt.MouseButton.LeftButton)
    form = kiosk.form
    assert form is not None
    assert kiosk.progress.text() == "Page 1 of 6"  # the last page asks for a contact
    form.set_answers(ANSWERS)
    # The parent copies some of their text: the app now owns the clipboard.
    editor = form.blocks["biggest_difference"].field.inputs()[0]  # type: ignore[union-attr]
    assert isinstance(editor, QPlainTextEdit)
    editor.selectAll()
    editor.copy()
    pages = 0
    while kiosk.stack.currentWidget() is kiosk.questions:
        pages += 1
        qtbot.mouseClick(kiosk.next_button, Qt.MouseButton.LeftButton)
    assert pages == 7  # with an EHCP, the EHCP section is a page too
    assert kiosk.stack.currentWidget() is kiosk.thanks


def test_two_respondents_see_nothing_of_each_other(opened_shell: Shell, qtbot: QtBot) -> None:
    kiosk, page = _kiosk(opened_shell, qtbot)
    main = opened_shell.main
    assert main is not None and not main.isVisible()
    assert kiosk.isFullScreen() and kiosk.font().pointSizeF() >= 16
    assert page.undo_stack.count() == 0
    first_form = kiosk.form
    _fill_and_send(kiosk, qtbot)
    assert kiosk.form is None  # the first parent's widgets are gone
    assert QGuiApplication.clipboard().text() == ""
    kiosk.thanks_timer.setInterval(10)
    kiosk.thanks_timer.start()
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.welcome, timeout=2_000)
    qtbot.mouseClick(kiosk.start_button, Qt.MouseButton.LeftButton)
    second = kiosk.form
    assert second is not None and second is not first_form and second.is_empty()
    assert kiosk.progress.text() == "Page 1 of 6"
    for block in second.blocks.values():
        for widget in block.field.inputs() if block.field else []:
            if isinstance(widget, QPlainTextEdit | QLineEdit):
                assert (
                    not widget.document().isUndoAvailable()
                    if isinstance(widget, QPlainTextEdit)
                    else not widget.isUndoAvailable()
                )
    context = opened_shell.context
    survey_id = list_surveys(context.workspace.db)[0].id
    saved = list_responses(context.workspace.db, survey_id)
    assert [(r.source, r.status) for r in saved] == [("kiosk", "complete")]
    assert saved[0].answers["biggest_difference"] == "Someone who answers emails."


def test_walking_away_keeps_a_kiosk_draft_and_resets(opened_shell: Shell, qtbot: QtBot) -> None:
    kiosk, _page = _kiosk(opened_shell, qtbot)
    kiosk.idle_timer.setInterval(20)
    kiosk.prompt_timer.setInterval(20)
    qtbot.mouseClick(kiosk.start_button, Qt.MouseButton.LeftButton)
    assert kiosk.form is not None
    kiosk.form.set_answers({"age_phase": "primary", "child_age": 7})
    kiosk.idle_timer.start()
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.still_there, timeout=2_000)
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.welcome, timeout=2_000)
    assert kiosk.form is None
    context = opened_shell.context
    survey_id = list_surveys(context.workspace.db)[0].id
    drafts = list_responses(context.workspace.db, survey_id, status="draft")
    assert [(d.source, dict(d.answers)) for d in drafts] == [
        ("kiosk", {"age_phase": "primary", "child_age": 7})
    ]


def test_leaving_needs_the_passphrase(
    opened_shell: Shell, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forumkit.vault import Vault

    def no_decrypting(*args: object, **kwargs: object) -> None:
        raise AssertionError("leaving kiosk mode decrypted the forum file")

    # Only the key slot is unsealed: the file is neither read nor decrypted again.
    monkeypatch.setattr(Vault, "_mapped", no_decrypting)
    kiosk, page = _kiosk(opened_shell, qtbot)
    ended: list[bool] = []
    kiosk.finished.connect(lambda: ended.append(True))
    kiosk.close()  # Alt+F4 and the like only lead to the passphrase page
    assert kiosk.isVisible() and kiosk.stack.currentWidget() is kiosk.leave
    qtbot.keyClicks(kiosk.passphrase, "not the passphrase")
    qtbot.keyClick(kiosk.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not right" in kiosk.leave_message.text(), timeout=10_000)
    assert kiosk.isVisible() and not ended
    qtbot.keyClicks(kiosk.passphrase, PASSPHRASE)
    qtbot.keyClick(kiosk.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(ended), timeout=10_000)
    main = opened_shell.main
    assert main is not None and main.isVisible() and page.kiosk is None


def test_data_entry_and_kiosk_keep_drafts_by_the_same_rule(
    opened_shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    """The same half-filled answers, one of them unreadable (a time written in words), make the
    same draft whether a volunteer typed them or a parent walked away from the kiosk."""
    context = opened_shell.context
    form_path = write_form(tmp_path / "call.xlsx", CALL_SURVEY, settings=CALL_SETTINGS)
    context.change(lambda: import_xlsform(context.workspace, form_path))
    context.settings.setValue(VOLUNTEER_NAME, "Volunteer A")
    main = opened_shell.main
    assert main is not None
    page = next(p for p in main.pages if isinstance(p, ResponsesPage))
    typed = {"story": "We waited a year.", "call_time": "half three", "age": 7}

    assert page.form is not None
    page.form.set_answers(typed)
    page._keep_draft_clicked()
    assert "could not be read" in page.message.text()

    page.start_kiosk()
    kiosk = page.kiosk
    assert isinstance(kiosk, KioskWindow)
    qtbot.waitExposed(kiosk)
    qtbot.mouseClick(kiosk.start_button, Qt.MouseButton.LeftButton)
    assert kiosk.form is not None
    kiosk.form.set_answers(typed)
    kiosk.walked_away()

    survey_id = list_surveys(context.workspace.db)[0].id
    drafts = list_responses(context.workspace.db, survey_id, status="draft")
    assert [(d.source, d.captured_by) for d in drafts] == [
        ("entered", "Volunteer A"),
        ("kiosk", None),
    ]
    assert drafts[0].answers == drafts[1].answers == {"story": "We waited a year.", "age": 7}
    assert all(d.started for d in drafts)


def test_closing_by_accident_then_cancel_returns_to_the_same_page(
    opened_shell: Shell, qtbot: QtBot
) -> None:
    """Issue 13: Alt+F4 then Cancel threw the parent back to the welcome page, their answers
    hidden as a chair-only draft."""
    kiosk, _page = _kiosk(opened_shell, qtbot)
    qtbot.mouseClick(kiosk.start_button, Qt.MouseButton.LeftButton)
    form = kiosk.form
    assert form is not None
    form.set_answers({"age_phase": "secondary", "child_age": 13})
    kiosk.next()
    page_shown = kiosk.progress.text()
    assert page_shown == "Page 2 of 6"
    kiosk.close()  # Alt+F4
    assert kiosk.stack.currentWidget() is kiosk.leave
    kiosk.cancel_leave_button.click()
    assert kiosk.stack.currentWidget() is kiosk.questions
    assert kiosk.form is form and kiosk.progress.text() == page_shown
    assert form.typed_answers() == {"age_phase": "secondary", "child_age": 13}
    survey_id = list_surveys(opened_shell.context.workspace.db)[0].id
    assert list_responses(opened_shell.context.workspace.db, survey_id) == []  # no draft
    kiosk.close()
    qtbot.keyClick(kiosk.passphrase, Qt.Key.Key_Escape)  # Esc is Cancel too
    assert kiosk.stack.currentWidget() is kiosk.questions and kiosk.form is form


def test_a_parent_can_use_it_by_keyboard_and_with_large_targets(
    opened_shell: Shell, qtbot: QtBot
) -> None:
    """Issue 13: Enter presses the focused button; every target is at least 44 pixels; the
    last page says Finish (nothing is sent)."""
    kiosk, _page = _kiosk(opened_shell, qtbot)
    kiosk.start_button.setFocus()
    qtbot.keyClick(kiosk.start_button, Qt.Key.Key_Return)
    assert kiosk.stack.currentWidget() is kiosk.questions
    form = kiosk.form
    assert form is not None
    for widget in kiosk.questions.findChildren(QWidget):
        if isinstance(widget, QAbstractButton | QLineEdit) and widget.isVisibleTo(kiosk):
            assert widget.height() >= TARGET_PX, widget
    form.set_answers(ANSWERS)
    kiosk.next_button.setFocus()
    qtbot.keyClick(kiosk.next_button, Qt.Key.Key_Return)
    assert kiosk.progress.text() == "Page 2 of 7"
    while kiosk.next_button.text() != "&Finish":
        kiosk.next()
    assert kiosk.progress.text() == "Page 7 of 7"  # the contact page, last
    assert form.contact_edit is not None and form.contact_edit.isVisibleTo(kiosk)
    qtbot.keyClicks(form.contact_edit, "07700 900123")
    kiosk.next()
    survey_id = list_surveys(opened_shell.context.workspace.db)[0].id
    [saved] = list_responses(opened_shell.context.workspace.db, survey_id)
    assert saved.respondent == "07700 900123" and saved.source == "kiosk"


def test_are_you_still_there_counts_down(opened_shell: Shell, qtbot: QtBot) -> None:
    kiosk, _page = _kiosk(opened_shell, qtbot)
    qtbot.mouseClick(kiosk.start_button, Qt.MouseButton.LeftButton)
    kiosk.prompt_timer.setInterval(5_000)
    kiosk._ask_still_there()
    assert kiosk.stack.currentWidget() is kiosk.still_there
    first = kiosk.seconds_left.text()
    assert first == "Starting again in 5 seconds."
    qtbot.waitUntil(lambda: kiosk.seconds_left.text() != first, timeout=3_000)
    assert kiosk.seconds_left.text() == "Starting again in 4 seconds."
    assert kiosk.seconds_left.accessibleName() == kiosk.seconds_left.text()
    kiosk.carry_on_button.click()
    assert not kiosk.countdown.isActive()


def test_long_options_wrap_in_kiosk_text_and_it_follows_the_text_size(
    opened_shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    """Issue 13: option labels were cut off at the kiosk's larger text."""
    context = opened_shell.context
    words = "Speech and language therapy, occupational therapy and physiotherapy at school"
    form_path = write_form(
        tmp_path / "long.xlsx",
        [["type", "name", "label"], ["select_one help", "help", "Which help?"]],
        [["list_name", "name", "label"], ["help", "long", words], ["help", "none", "None"]],
        [["form_title", "form_id"], ["Long options", "long_options"]],
    )
    context.change(lambda: import_xlsform(context.workspace, form_path))
    main = opened_shell.main
    assert main is not None
    page = next(p for p in main.pages if isinstance(p, ResponsesPage))
    page.survey_box.setCurrentIndex(page.survey_box.findText("Long options"))
    page.start_kiosk()
    kiosk = page.kiosk
    assert isinstance(kiosk, KioskWindow)
    kiosk.resize(1024, 768)
    qtbot.mouseClick(kiosk.start_button, Qt.MouseButton.LeftButton)
    qtbot.wait(10)
    assert kiosk.form is not None
    option = kiosk.form.blocks["help"].field.inputs()[0]  # type: ignore[union-attr]
    assert isinstance(option, OptionRadio)
    one_line = option.fontMetrics().height() + 8
    assert option.height() > one_line  # wrapped onto more lines, not cut
    needed = option.fontMetrics().boundingRect(
        0, 0, option.width() - option._margins()[0], 10_000, Qt.TextFlag.TextWordWrap, words
    )
    assert needed.height() <= option.height()
    before = kiosk.font().pointSizeF()
    opened_shell.change_text_size(1)
    assert kiosk.font().pointSizeF() > before


def test_the_kiosk_is_a_window_to_screen_readers(opened_shell: Shell, qtbot: QtBot) -> None:
    kiosk, _page = _kiosk(opened_shell, qtbot)
    interface = QAccessible.queryAccessibleInterface(kiosk)
    assert interface.role() == QAccessible.Role.Window
    assert interface.text(QAccessible.Text.Name) == kiosk.windowTitle()


def test_the_system_ending_the_app_keeps_the_parents_answers(
    opened_shell: Shell, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by hand: a SIGTERM (logging out, shutting down) reached kiosk mode as a close,
    which asks for the passphrase, so the app stayed until killed and the answers were lost."""
    kiosk, _page = _kiosk(opened_shell, qtbot)
    qtbot.mouseClick(kiosk.start_button, Qt.MouseButton.LeftButton)
    assert kiosk.form is not None
    kiosk.form.set_answers({"age_phase": "primary", "child_age": 7})
    quits: list[bool] = []
    monkeypatch.setattr(opened_shell.app, "quit", lambda: quits.append(True))
    opened_shell.end_on_signal()
    assert quits and not kiosk.isVisible()
    context = opened_shell.context
    survey_id = list_surveys(context.workspace.db)[0].id
    drafts = list_responses(context.workspace.db, survey_id, status="draft")
    assert [(d.source, dict(d.answers)) for d in drafts] == [
        ("kiosk", {"age_phase": "primary", "child_age": 7})
    ]
