"""The survey designer, by keyboard: a five-question survey with a section, a skip rule built
from a choice and a consent question; saved; answered in data entry (the skip rule at work);
exported to an XLSForm that re-imports to the same survey; edited after responses exist (a new
version); and started from last year's survey or the template."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from forumkit.responses import list_responses
from forumkit.surveys import (
    Choice,
    Survey,
    blank_survey,
    choices_changed,
    get_survey,
    import_xlsform,
    list_surveys,
    next_edition,
    question_changed,
    read_xlsform,
    save_design,
)
from tests.core.surveys.test_design import five_questions
from ui.app import Shell
from ui.designer import NewSurveyDialog, SurveyDesigner
from ui.pages.responses import ResponsesPage
from ui.pages.surveys import SurveysPage

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


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


def _words(qtbot: QtBot, designer: SurveyDesigner, text: str) -> None:
    """Type a question's words where the designer put the focus, and finish with Enter."""
    assert _focused() is designer.editor.label_edits["English (en)"]
    _type(qtbot, text)
    _key(qtbot, Qt.Key.Key_Return)


def _kind(qtbot: QtBot, designer: SurveyDesigner, downs: int) -> None:
    """Pick the question's kind with the arrow keys (each step is a change, as for a person)."""
    designer.editor.kind_box.setFocus()
    for _ in range(downs):
        _key(qtbot, Qt.Key.Key_Down)


def _surveys_page(shell: Shell, qtbot: QtBot) -> SurveysPage:
    main = shell.main
    assert main is not None
    page = main.page("Surveys")
    assert isinstance(page, SurveysPage)
    main.show_page(main.pages.index(page))
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow, timeout=5_000)
    return page


def _designer(page: SurveysPage, qtbot: QtBot) -> SurveyDesigner:
    found: list[SurveyDesigner] = []

    def shown() -> bool:
        found[:] = [d for d in page.findChildren(SurveyDesigner) if d.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=5_000)
    designer = found[-1]
    designer.activateWindow()
    qtbot.waitUntil(designer.isActiveWindow, timeout=5_000)
    return designer


def test_build_a_survey_by_keyboard_enter_a_response_export_and_edit(
    opened_shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    page = _surveys_page(opened_shell, qtbot)
    workspace = opened_shell.context.workspace
    page.table.setFocus()
    _key(qtbot, Qt.Key.Key_N, CTRL | SHIFT)  # New survey…
    qtbot.waitUntil(lambda: isinstance(page.last_dialog, NewSurveyDialog), timeout=5_000)
    start = page.last_dialog
    assert isinstance(start, NewSurveyDialog) and not start.copy_button.isEnabled()
    start.activateWindow()
    qtbot.waitUntil(start.isActiveWindow, timeout=5_000)
    start.blank_button.setFocus()
    _key(qtbot, Qt.Key.Key_Space)
    start.title_edit.setFocus()
    _type(qtbot, "Short breaks survey 2026")
    _key(qtbot, Qt.Key.Key_Return)
    designer = _designer(page, qtbot)
    assert designer.survey.title == "Short breaks survey 2026"
    assert designer.problems.count() == 1  # no questions yet
    designer.question_list.setFocus()

    _key(qtbot, Qt.Key.Key_E, CTRL | SHIFT)  # a section
    _words(qtbot, designer, "About your child")
    _key(qtbot, Qt.Key.Key_Q, CTRL | SHIFT)  # 1: inside the section, a choice
    _words(qtbot, designer, "What support does your child have?")
    _kind(qtbot, designer, 2)  # Choose one
    assert designer.editor.choices_group.isVisible()
    for row, words in enumerate(("Yes, an EHCP", "SEN support")):
        designer.editor.choices.label_edits[row][0].setFocus()
        _key(qtbot, Qt.Key.Key_A, CTRL)
        _type(qtbot, words)
        _key(qtbot, Qt.Key.Key_Return)
    support = "what_support_your_child_have"
    assert designer.survey.choice_lists[designer.survey.question(support).list_name].names() == [
        "yes_an_ehcp",
        "sen_support",
    ]

    _key(qtbot, Qt.Key.Key_Q, CTRL | SHIFT)  # 2: a number with limits, required
    _words(qtbot, designer, "Your child's age")
    _kind(qtbot, designer, 6)  # Whole number
    designer.editor.minimum_edit.setFocus()
    _type(qtbot, "0")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "25")
    _key(qtbot, Qt.Key.Key_Tab)
    designer.editor.required_box.setFocus()
    _key(qtbot, Qt.Key.Key_Space)
    age = designer.survey.question("your_child_s_age")
    assert age.constraint == ". >= 0 and . <= 25" and age.required == "yes"

    _key(qtbot, Qt.Key.Key_Q, CTRL | SHIFT)  # 3: a 0-10 score shown only after an EHCP
    _words(qtbot, designer, "How good is the plan?")
    _kind(qtbot, designer, 5)  # Score on a scale
    designer.editor.skip_box.setFocus()
    _key(qtbot, Qt.Key.Key_Down)
    assert "Yes, an EHCP" in designer.editor.skip_box.currentText()
    plan = designer.survey.question("how_good_is_the_plan")
    assert plan.relevant == f"${{{support}}} = 'yes_an_ehcp'"
    assert designer.editor.relevant_edit.text() == plan.relevant
    designer.question_list.setFocus()
    _key(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # out of the section
    assert designer.survey.question("how_good_is_the_plan").group == ()
    assert designer.survey.elements[-1].name == "how_good_is_the_plan"

    _key(qtbot, Qt.Key.Key_Q, CTRL | SHIFT)  # 4: the parent's own words
    _words(qtbot, designer, "Tell us about your experience")
    _kind(qtbot, designer, 1)

    _key(qtbot, Qt.Key.Key_Q, CTRL | SHIFT)  # 5: the consent question
    _words(qtbot, designer, "May we quote your words anonymously?")
    _kind(qtbot, designer, 4)  # Yes or no
    assert designer.editor.consent_group.isVisible()
    designer.editor.quote_box.setFocus()
    _key(qtbot, Qt.Key.Key_Space)
    assert designer.survey.consent_quote == "may_we_quote_your_words"
    assert designer.problems.count() == 0
    assert designer.preview.volunteer_form is not None

    designer.question_list.setFocus()
    _key(qtbot, Qt.Key.Key_S, CTRL)  # Save
    [summary] = list_surveys(workspace.db)
    saved = get_survey(workspace.db, summary.id)
    assert "as a new survey" in designer.status.text()
    assert [q.name for q in saved.questions if q.takes_answer] == [
        support,
        "your_child_s_age",
        "how_good_is_the_plan",
        "tell_us_about_your_experience",
        "may_we_quote_your_words",
    ]
    assert saved == five_questions_as_built()

    # Data entry: SEN support hides the plan's score, an EHCP shows it.
    main = opened_shell.main
    assert main is not None
    responses = main.page("Responses")
    assert isinstance(responses, ResponsesPage)
    main.show_page(main.pages.index(responses))
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow, timeout=5_000)
    responses.survey_box.setCurrentIndex(responses.survey_box.findData(saved.id))
    form = responses.form
    assert form is not None
    form.focus_first()
    _type(qtbot, "2")
    assert not form.is_shown("how_good_is_the_plan")
    _type(qtbot, "1")
    assert form.is_shown("how_good_is_the_plan")
    form.blocks["your_child_s_age"].field.inputs()[0].setFocus()  # type: ignore[union-attr]
    _type(qtbot, "9")
    form.blocks["how_good_is_the_plan"].field.inputs()[0].setFocus()  # type: ignore[union-attr]
    _type(qtbot, "7")
    form.blocks["may_we_quote_your_words"].field.inputs()[0].setFocus()  # type: ignore[union-attr]
    _type(qtbot, "1")
    _key(qtbot, Qt.Key.Key_Return, CTRL)
    assert responses.entered_this_sitting == 1
    [response] = list_responses(workspace.db, saved.id, status="complete")
    assert response.answers[support] == "yes_an_ehcp"
    assert "how_good_is_the_plan" in response.answers

    # Export from the designer; the XLSForm re-imports to the same survey.
    path = tmp_path / "short-breaks.xlsx"
    designer.activateWindow()
    designer.export_to(path)
    opened_shell.context.tasks.wait()
    qtbot.waitUntil(lambda: "Exported" in designer.status.text(), timeout=5_000)
    assert read_xlsform(path).survey == saved
    assert import_xlsform(workspace, path).status == "unchanged"

    # An edit after responses exist: the designer says so, and saves a new version.
    designer.question_list.setFocus()
    _key(qtbot, Qt.Key.Key_Q, CTRL | SHIFT)
    _words(qtbot, designer, "Anything else?")
    asked: list[str] = []

    def answer_save() -> None:
        box = designer.last_dialog
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Save).click()

    QTimer.singleShot(50, answer_save)
    assert designer.save()
    assert "1 response" in asked[0] and "version 2" in asked[0]
    current = get_survey(workspace.db, saved.id)
    assert current.version == 2 and current.id == saved.id
    assert list_responses(workspace.db, saved.id)[0].version_id == saved.version_id
    designer.close()


def five_questions_as_built() -> Survey:
    """The survey the keyboard built, as the core builds it (``test_design.five_questions``,
    with the choice names the designer made from the words)."""
    survey = five_questions()
    support = survey.question("what_support_your_child_have")
    survey = choices_changed(
        survey,
        support.list_name,
        [
            Choice("yes_an_ehcp", {"English (en)": "Yes, an EHCP"}),
            Choice("sen_support", {"English (en)": "SEN support"}),
        ],
    )
    survey = question_changed(
        survey, "how_good_is_the_plan", relevant="${what_support_your_child_have} = 'yes_an_ehcp'"
    )
    survey = question_changed(survey, "your_child_s_age", constraint_messages={})
    return survey


def test_start_from_last_year_or_the_template(opened_shell: Shell, qtbot: QtBot) -> None:
    page = _surveys_page(opened_shell, qtbot)
    workspace = opened_shell.context.workspace
    last = save_design(workspace, five_questions()).survey
    page.refresh(None)
    dialog = page.design_new()
    assert isinstance(dialog, NewSurveyDialog) and dialog.copy_button.isChecked()
    assert dialog.title_edit.text() == "Short breaks survey 2027"
    assert dialog.chosen_survey() == next_edition(last, "Short breaks survey 2027")
    dialog.template_button.setChecked(True)
    template = dialog.chosen_survey()
    assert template.consent_quote and template.consent_share and not template.previous_form_id
    dialog.copy_button.setChecked(True)
    assert dialog.title_edit.text() == "Short breaks survey 2027"
    dialog.accept()
    designer = _designer(page, qtbot)
    assert designer.survey.previous_form_id == last.form_id
    # Last year's questions keep their names when their words change: the years stay comparable.
    designer.selected = "your_child_s_age"
    designer.show_survey()
    designer.editor.label_edits["English (en)"].setFocus()
    _key(qtbot, Qt.Key.Key_A, CTRL)
    _type(qtbot, "How old is your child?")
    _key(qtbot, Qt.Key.Key_Return)
    assert designer.survey.label(designer.survey.question("your_child_s_age")) == (
        "How old is your child?"
    )
    designer.question_list.setFocus()
    _key(qtbot, Qt.Key.Key_S, CTRL)
    [edition] = [s for s in list_surveys(workspace.db) if s.id != last.id]
    assert edition.previous_form_id == last.form_id
    copied = get_survey(workspace.db, edition.id)
    assert [e.name for e in copied.elements] == [e.name for e in last.elements]
    designer.close()


def test_unsaved_changes_are_asked_about_and_a_closing_file_takes_the_designer(
    opened_shell: Shell, qtbot: QtBot
) -> None:
    page = _surveys_page(opened_shell, qtbot)
    designer = SurveyDesigner(opened_shell.context, blank_survey("Spring survey"), page)
    designer.show()
    designer.add_question("select_one")
    designer.undo()
    assert designer.survey.elements == ()
    designer.redo()
    assert designer.survey.elements[0].name == "new_question"
    assert not designer.close()  # asks first
    box = designer.last_dialog
    assert isinstance(box, QMessageBox) and "not saved" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert designer.isVisible()
    opened_shell.close_file()
    assert not designer.isVisible()


def test_drag_problems_and_tab_order(opened_shell: Shell, qtbot: QtBot) -> None:
    page = _surveys_page(opened_shell, qtbot)
    designer = SurveyDesigner(opened_shell.context, five_questions(), page)
    designer.show()
    designer.activateWindow()
    qtbot.waitUntil(designer.isActiveWindow, timeout=5_000)
    listed = designer.question_list

    # Dragging the last question onto the top half of the first row puts it first.
    last = listed.item(listed.count() - 1)
    listed.setCurrentItem(last)
    target = listed.visualItemRect(listed.item(0)).topLeft() + QPoint(4, 2)
    mime = QMimeData()
    drop = QDropEvent(
        QPointF(target),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    listed.dropEvent(drop)
    assert designer.survey.elements[0].name == "may_we_quote_your_words"
    _key_on(qtbot, listed, Qt.Key.Key_Z, CTRL)  # undo puts it back
    assert designer.survey.elements[-1].name == "may_we_quote_your_words"

    # A skip rule reading a later question is listed, names the question, and stops Save.
    designer.selected = "your_child_s_age"
    designer.show_survey()
    designer.editor.relevant_edit.setFocus()
    _type(qtbot, "${tell_us_about_your_experience} = 'x'")
    _key(qtbot, Qt.Key.Key_Tab)
    assert designer.problems.count() == 1
    assert "later question" in designer.problems.item(0).text()
    assert designer.status.text() == designer.problems.item(0).text()  # said as it happened
    assert "Your child's age" in designer.problems.item(0).text()
    assert not designer.save_action.isEnabled() and not designer.save()
    assert list_surveys(opened_shell.context.workspace.db) == []
    designer.selected = "how_good_is_the_plan"
    designer.show_survey()
    designer.problems.setCurrentRow(0)
    designer.problems.itemActivated.emit(designer.problems.item(0))
    assert designer.editor.name == "your_child_s_age"

    # Tab goes from the kind of question to its words, hint and name, in reading order.
    designer.editor.kind_box.setFocus()
    order = []
    for _ in range(3):
        _key(qtbot, Qt.Key.Key_Tab)
        order.append(_focused())
    editor = designer.editor
    assert order == [
        editor.label_edits["English (en)"],
        editor.hint_edits["English (en)"],
        editor.name_edit,
    ]

    # Another language: its fields appear, and what is written in it is kept.
    assert not designer.add_language("English (en)")
    assert "already in English (en)" in designer.status.text()
    assert designer.add_language(" Polski  (pl) ")
    polish = designer.editor.label_edits["Polski (pl)"]
    polish.setFocus()
    _type(qtbot, "Ile lat ma Twoje dziecko?")
    _key(qtbot, Qt.Key.Key_Tab)
    assert designer.survey.languages == ["English (en)", "Polski (pl)"]
    age = designer.survey.question("your_child_s_age")
    assert designer.survey.label(age, "Polski (pl)") == "Ile lat ma Twoje dziecko?"
    designer._leaving = True
    designer.close()


def _key_on(qtbot: QtBot, widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, key, modifier)


def test_the_kiosk_preview_pages_the_survey_as_kiosk_mode_does(
    opened_shell: Shell, qtbot: QtBot
) -> None:
    context = opened_shell.context
    main = opened_shell.main
    assert main is not None
    ok, saved = context.change(lambda: save_design(context.workspace, five_questions()))
    assert ok and saved is not None
    designer = SurveyDesigner(context, saved.survey, main)
    designer.show()
    designer.preview.redraw()
    preview = designer.preview
    assert preview.kiosk_progress.text() == "Page 1 of 2"
    assert preview.kiosk_form is not None and preview.kiosk_form.font().pointSizeF() > (
        designer.font().pointSizeF()
    )
    preview.turn(1)
    assert preview.kiosk_progress.text() == "Page 2 of 2" and not preview.next_button.isEnabled()
    designer.close()

    responses = main.page("Responses")
    assert isinstance(responses, ResponsesPage)
    responses.survey_box.setCurrentIndex(responses.survey_box.findData(saved.survey.id))
    responses.start_kiosk()
    kiosk = responses.kiosk
    assert kiosk is not None
    qtbot.waitExposed(kiosk)
    qtbot.mouseClick(kiosk.start_button, Qt.MouseButton.LeftButton)
    assert kiosk.progress.text() == "Page 1 of 2"
