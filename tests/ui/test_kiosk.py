"""Kiosk mode: respondents one after another see nothing of each other; a parent walking away
leaves an unfinished kiosk draft; leaving needs the passphrase."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from forumkit.paths import resource_path
from forumkit.responses import list_responses
from forumkit.surveys import import_xlsform, list_surveys
from tests.conftest import PASSPHRASE
from tests.core.surveys.helpers import write_form
from ui.app import Shell
from ui.context import VOLUNTEER_NAME
from ui.kiosk import KioskWindow
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
