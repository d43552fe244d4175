"""Data entry on the Responses page, by keyboard: skip logic, a constraint fixed, drafts, undo,
and everything still there after closing and reopening the forum file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from forumkit.paths import resource_path
from forumkit.responses import add_response, count_responses, find_respondent, list_responses
from forumkit.surveys import get_survey, import_xlsform, list_surveys
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from ui.app import Shell
from ui.form.choices import ComboField
from ui.pages.responses import ResponsesPage

DEMO_FORM = ("demo", "parent-survey-2026.xlsx")


def _responses_page(shell: Shell) -> ResponsesPage:
    main = shell.main
    assert main is not None
    for row, page in enumerate(main.pages):
        if isinstance(page, ResponsesPage):
            main.show_page(row)
            return page
    raise AssertionError("no Responses page")


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _key(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(_focused(), key, modifier)


def _type(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(_focused(), text)


def _tab(qtbot: QtBot, times: int = 1) -> None:
    for _ in range(times):
        _key(qtbot, Qt.Key.Key_Tab)


def _open(shell: Shell, qtbot: QtBot, path: Path) -> ResponsesPage:
    shell.opened(Workspace.open(path, PASSPHRASE))
    assert shell.main is not None
    qtbot.waitExposed(shell.main)
    page = _responses_page(shell)
    shell.main.activateWindow()
    qtbot.waitUntil(shell.main.isActiveWindow, timeout=5_000)
    assert page.form is not None
    page.form.focus_first()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)
    return page


def test_three_responses_by_keyboard_survive_closing(
    shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "forum.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Test Forum", area="Testshire") as workspace:
        import_xlsform(workspace, resource_path(*DEMO_FORM))
    page = _open(shell, qtbot, path)
    form = page.form
    assert form is not None and not form.is_shown("ehcp_process")

    # 1: primary age, an age that breaks the rule (then fixed), EHCP (the skip-logic branch).
    _type(qtbot, "2")
    _tab(qtbot)
    _type(qtbot, "30")
    _tab(qtbot)
    assert form.blocks["child_age"].problem == "Enter an age from 0 to 25."
    assert "Enter an age from 0 to 25." in form.status.text()
    _key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    _key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, "9")
    _tab(qtbot)
    assert form.blocks["child_age"].problem is None
    _type(qtbot, "1")  # need: communication
    _tab(qtbot)
    _type(qtbot, "1")  # support: EHCP, so the EHCP questions appear
    assert form.is_shown("ehcp_process")
    # Saving now lists what is missing, and focus goes to the first problem.
    _key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.entered_this_sitting == 0
    assert form.blocks["ehcp_process"].problem == "An answer is required."
    form.blocks["ehcp_process"].field.inputs()[0].setFocus()  # type: ignore[union-attr]
    _type(qtbot, "2")
    form.blocks["services_score"].field.inputs()[0].setFocus()  # type: ignore[union-attr]
    _type(qtbot, "3")
    form.blocks["consent_quote"].field.inputs()[0].setFocus()  # type: ignore[union-attr]
    _type(qtbot, "1")
    _tab(qtbot)
    _type(qtbot, "2")
    _key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.entered_this_sitting == 1
    fresh = page.form
    assert fresh is not None and fresh is not form and fresh.is_empty()
    assert _focused() is fresh.first_input()

    # 2 and 3: SEN support (the EHCP questions stay hidden), minimal answers.
    for phase in ("3", "4"):
        form = page.form
        assert form is not None
        _type(qtbot, phase)
        _tab(qtbot, 2)
        _type(qtbot, "3")
        _tab(qtbot)
        _type(qtbot, "2")
        assert not form.is_shown("ehcp_process")
        form.blocks["services_score"].field.inputs()[0].setFocus()  # type: ignore[union-attr]
        _type(qtbot, "7")
        form.blocks["consent_quote"].field.inputs()[0].setFocus()  # type: ignore[union-attr]
        _type(qtbot, "2")
        _tab(qtbot)
        _type(qtbot, "2")
        _key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.entered_this_sitting == 3
    assert "Entered this sitting: 3" in page.count_label.text()

    shell.close_file()
    with Workspace.open(path, PASSPHRASE) as reopened:
        survey_id = list_surveys(reopened.db)[0].id
        saved = list_responses(reopened.db, survey_id, status="complete")
        assert [r.answers["age_phase"] for r in saved] == ["primary", "secondary", "post16"]
        assert saved[0].answers["child_age"] == 9
        assert saved[0].answers["ehcp_process"] == "2"
        assert "ehcp_process" not in saved[1].answers
        assert {r.source for r in saved} == {"entered"}
        assert count_responses(reopened.db, survey_id, status="draft") == 0


def test_undo_and_redo_of_a_saved_response(opened_shell: Shell, qtbot: QtBot) -> None:
    context = opened_shell.context
    context.change(lambda: import_xlsform(context.workspace, resource_path(*DEMO_FORM)))
    page = _responses_page(opened_shell)
    form = page.form
    assert form is not None
    form.set_answers(
        {
            "age_phase": "primary",
            "need_areas": ("semh",),
            "support": "none",
            "services_score": 4,
            "consent_quote": "no",
            "consent_share": "no",
        }
    )
    page.save_and_next()
    survey_id = list_surveys(context.workspace.db)[0].id
    [saved] = list_responses(context.workspace.db, survey_id)
    page.undo_action.trigger()
    assert count_responses(context.workspace.db, survey_id) == 0
    assert page.entered_this_sitting == 0
    page.redo_action.trigger()
    [again] = list_responses(context.workspace.db, survey_id, status="complete")
    assert again == saved  # the very same response, id included, not a copy
    page.undo_action.trigger()
    page.redo_action.trigger()
    assert list_responses(context.workspace.db, survey_id) == [saved]


def test_undo_of_a_discarded_draft_brings_back_the_same_response(
    opened_shell: Shell, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = opened_shell.context
    context.change(lambda: import_xlsform(context.workspace, resource_path(*DEMO_FORM)))
    survey = list_surveys(context.workspace.db)[0]
    draft = add_response(
        context.workspace, get_survey(context.workspace.db, survey.id), {"child_age": 6}
    )
    page = _responses_page(opened_shell)
    page.refresh(None)
    assert page.drafts.count() == 1
    monkeypatch.setattr(page, "confirm_discard", lambda response: True)
    page.discard_selected()
    assert count_responses(context.workspace.db, survey.id) == 0
    page.undo_action.trigger()
    assert list_responses(context.workspace.db, survey.id) == [draft]
    page.redo_action.trigger()
    page.undo_action.trigger()
    assert list_responses(context.workspace.db, survey.id) == [draft]
    assert page.drafts.count() == 1


def test_half_typed_response_is_kept_as_draft_on_lock_and_resumed(
    opened_shell: Shell, qtbot: QtBot
) -> None:
    context = opened_shell.context
    main = opened_shell.main
    assert main is not None
    context.change(lambda: import_xlsform(context.workspace, resource_path(*DEMO_FORM)))
    page = _responses_page(opened_shell)
    assert page.form is not None
    page.form.focus_first()
    _type(qtbot, "5")
    _tab(qtbot)
    _type(qtbot, "21")
    main.lock()
    assert main.is_locked and page.form is None
    qtbot.keyClicks(main.lock_screen.passphrase, PASSPHRASE)
    qtbot.keyClick(main.lock_screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not main.is_locked, timeout=10_000)
    survey_id = list_surveys(context.workspace.db)[0].id
    drafts = list_responses(context.workspace.db, survey_id, status="draft")
    assert [dict(d.answers) for d in drafts] == [{"age_phase": "adult", "child_age": 21}]
    # Unlocking opens it in the form again (not listed: the open response never is).
    assert page.drafts.count() == 0
    assert page.form is not None
    assert page.form.typed_answers() == {"age_phase": "adult", "child_age": 21}
    assert page.draft_id == drafts[0].id


def test_half_typed_response_survives_closing_the_window(opened_shell: Shell, qtbot: QtBot) -> None:
    context = opened_shell.context
    main = opened_shell.main
    assert main is not None
    path = context.workspace.path
    context.change(lambda: import_xlsform(context.workspace, resource_path(*DEMO_FORM)))
    page = _responses_page(opened_shell)
    assert page.form is not None
    page.form.focus_first()
    _type(qtbot, "2")
    main.close()
    context.close_workspace()
    with Workspace.open(path, PASSPHRASE) as reopened:
        survey_id = list_surveys(reopened.db)[0].id
        drafts = list_responses(reopened.db, survey_id, status="draft")
        assert [dict(d.answers) for d in drafts] == [{"age_phase": "primary"}]


def test_data_entry_works_after_lock_and_unlock(opened_shell: Shell, qtbot: QtBot) -> None:
    """The blocker of a real sitting: after a lock the Enter tab said "no surveys" and Save and
    next was greyed out until the file was reopened."""
    context = opened_shell.context
    main = opened_shell.main
    assert main is not None
    context.change(lambda: import_xlsform(context.workspace, resource_path(*DEMO_FORM)))
    page = _responses_page(opened_shell)
    main.lock()
    qtbot.keyClicks(main.lock_screen.passphrase, PASSPHRASE)
    qtbot.keyClick(main.lock_screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not main.is_locked, timeout=10_000)
    assert page.form is not None and page.save_button.isEnabled()
    page.form.set_answers(
        {
            "age_phase": "primary",
            "need_areas": ("semh",),
            "support": "none",
            "services_score": 4,
            "consent_quote": "no",
            "consent_share": "no",
        }
    )
    page.save_and_next()
    survey_id = list_surveys(context.workspace.db)[0].id
    assert count_responses(context.workspace.db, survey_id, status="complete") == 1


def _unlock(shell: Shell, qtbot: QtBot) -> None:
    main = shell.main
    assert main is not None
    qtbot.keyClicks(main.lock_screen.passphrase, PASSPHRASE)
    qtbot.keyClick(main.lock_screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not main.is_locked, timeout=10_000)


def test_unlocking_comes_back_to_the_half_typed_response(opened_shell: Shell, qtbot: QtBot) -> None:
    """Issue 13: after a break the volunteer came back to the Surveys page and had to find
    their half-typed response among the drafts; now the form shows it again, to finish."""
    context = opened_shell.context
    main = opened_shell.main
    assert main is not None
    page = _responses_page(opened_shell)
    context.change(lambda: import_xlsform(context.workspace, resource_path(*DEMO_FORM)))
    assert page.form is not None
    page.form.focus_first()
    _type(qtbot, "5")
    main.lock()
    assert page.form is None
    main.show_page(0)  # a fresh process starts on the first page
    _unlock(opened_shell, qtbot)
    assert main.page_stack.currentWidget() is page
    assert page.tabs.currentWidget() is page.entry_tab
    assert page.form is not None and page.form.typed_answers() == {"age_phase": "adult"}
    assert page.draft_id is not None and page.draft_id not in _listed(page)
    page.form.set_answers(DEMO_ANSWERS)
    page.save_and_next()
    survey_id = list_surveys(context.workspace.db)[0].id
    assert count_responses(context.workspace.db, survey_id, status="draft") == 0
    assert count_responses(context.workspace.db, survey_id, status="complete") == 1


def test_unlocking_comes_back_to_the_browse_tab(opened_shell: Shell, qtbot: QtBot) -> None:
    context = opened_shell.context
    main = opened_shell.main
    assert main is not None
    page = _responses_page(opened_shell)
    context.change(lambda: import_xlsform(context.workspace, resource_path(*DEMO_FORM)))
    page.tabs.setCurrentWidget(page.browse)
    main.lock()
    main.show_page(0)
    _unlock(opened_shell, qtbot)
    assert main.page_stack.currentWidget() is page
    assert page.tabs.currentWidget() is page.browse
    assert page.form is not None  # the Enter tab is ready behind it


DEMO_ANSWERS = {
    "age_phase": "primary",
    "need_areas": ("semh",),
    "support": "none",
    "services_score": 4,
    "consent_quote": "no",
    "consent_share": "no",
}


def _demo_page(shell: Shell) -> ResponsesPage:
    context = shell.context
    context.change(lambda: import_xlsform(context.workspace, resource_path(*DEMO_FORM)))
    return _responses_page(shell)


def _listed(page: ResponsesPage) -> list[str]:
    return [
        str(page.drafts.item(row).data(Qt.ItemDataRole.UserRole))
        for row in range(page.drafts.count())
    ]


def test_the_unfinished_list_stays_current_and_never_lists_the_open_response(
    opened_shell: Shell, qtbot: QtBot
) -> None:
    """Issue 13: the list showed the response being typed, and was empty after "Keep as
    draft" said "finish it later from the list on the right"."""
    page = _demo_page(opened_shell)
    form = page.form
    assert form is not None
    form.set_answers({"age_phase": "primary"})
    page.dirty = True
    page.keep_draft()  # as the half-minute autosave does
    assert page.draft_id is not None and page.draft_id not in _listed(page)
    open_draft = page.draft_id
    page._keep_draft_clicked()
    assert _listed(page) == [open_draft]  # kept, and listed at once
    page.resume_selected()
    assert page.draft_id == open_draft and _listed(page) == []
    assert page.form is not None
    page.form.set_answers(DEMO_ANSWERS)
    page.save_and_next()
    assert _listed(page) == []
    page.undo_action.trigger()  # the finished draft is a draft again
    assert _listed(page) == [open_draft]
    page.redo_action.trigger()
    assert _listed(page) == []
    assert "Redone" in page.message.text()


def test_ctrl_enter_names_the_problems_scrolls_to_the_first_and_the_message_goes_when_fixed(
    opened_shell: Shell, qtbot: QtBot
) -> None:
    """Issue 13: the view did not jump to the problem or name it, and the message stayed."""
    page = _demo_page(opened_shell)
    form = page.form
    assert form is not None
    page.resize(900, 500)
    answers = dict(DEMO_ANSWERS)
    del answers["consent_share"]  # required, and last in the form
    form.set_answers(answers)
    page.form_area.verticalScrollBar().setValue(0)
    page.survey_box.setFocus()  # outside the form and its tab: Ctrl+Enter still saves
    qtbot.keyClick(page.survey_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    block = form.blocks["consent_share"]
    assert page.message.text() == (
        f"1 answer needs attention before this response can be saved: “{block.label_text()}”."
    )
    assert page.message.accessibleName() == page.message.text()
    assert page.form_area.verticalScrollBar().value() > 0
    top = block.mapTo(page.form_area.viewport(), block.rect().topLeft()).y()
    assert 0 <= top < page.form_area.viewport().height()
    field = block.field
    assert field is not None
    field.pick(2)
    assert page.message.text() == "" and form.status.text() == ""
    assert page.new_action.shortcut() == QKeySequence("Ctrl+Return")  # shown in the menu


def test_number_keys_pick_an_option_of_a_drop_down(opened_shell: Shell, qtbot: QtBot) -> None:
    """Issue 13: number keys did nothing on a question shown as a drop-down."""
    page = _demo_page(opened_shell)
    form = page.form
    assert form is not None
    combo = next(b.field for b in form.blocks.values() if isinstance(b.field, ComboField))
    assert isinstance(combo, ComboField)
    combo.combo.setFocus()
    qtbot.keyClick(combo.combo, Qt.Key.Key_3)
    assert combo.value() == combo.choice_texts()[2][0]
    assert combo.combo.currentText().startswith("3.")


def test_the_contact_a_parent_gave_finds_their_response(opened_shell: Shell, qtbot: QtBot) -> None:
    """Issue 13: data-protection requests could not find typed-in responses."""
    page = _demo_page(opened_shell)
    form = page.form
    assert form is not None and form.contact_edit is not None
    form.set_answers(DEMO_ANSWERS)
    qtbot.keyClicks(form.contact_edit, " ann@example.org ")
    page.save_and_next()
    held = find_respondent(opened_shell.context.workspace.db, "Ann@Example.org")
    assert [r.respondent for r in held.responses] == ["ann@example.org"]
    assert page.form is not None and page.form.contact() is None  # a clean form again


def test_required_is_said_in_the_forms_language(opened_shell: Shell, qtbot: QtBot) -> None:
    page = _demo_page(opened_shell)
    form = page.form
    assert form is not None and form.language_box is not None
    form.language_box.setCurrentIndex(form.language_box.findData("Polski (pl)"))
    assert form.blocks["age_phase"].label.text().endswith("(wymagane)")


def test_each_questions_options_are_one_group_named_by_the_question(
    opened_shell: Shell, qtbot: QtBot
) -> None:
    """Issue 13: only option 1 carried its question, so the two consent questions both read
    "1. Yes / 2. No" to a screen reader."""
    page = _demo_page(opened_shell)
    form = page.form
    assert form is not None
    for name in ("consent_quote", "consent_share", "services_score"):
        block = form.blocks[name]
        assert block.field is not None
        for button in block.field.inputs():
            parent = QAccessible.queryAccessibleInterface(button).parent()
            assert parent.role() == QAccessible.Role.Grouping
            assert block.label_text() in parent.text(QAccessible.Text.Name)
    point = form.blocks["services_score"].field.inputs()[0]  # type: ignore[union-attr]
    assert QAccessible.queryAccessibleInterface(point).role() == QAccessible.Role.RadioButton
