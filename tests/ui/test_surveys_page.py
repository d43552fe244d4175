"""The Surveys page: import (with warnings, and a refused form), counts, export, preview,
consent questions, rename, archive and remove."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from forumkit import audit
from forumkit.paths import resource_path
from forumkit.responses import add_response, count_responses
from forumkit.surveys import get_survey, import_xlsform, list_surveys, read_xlsform
from ui.app import Shell
from ui.pages.responses import ResponsesPage
from ui.pages.survey_dialogs import RemoveDialog, RenameDialog
from ui.pages.surveys import ConsentDialog, SurveyPreview, SurveysPage


def surveys_page(shell: Shell) -> SurveysPage:
    assert shell.main is not None
    page = shell.main.page("Surveys")
    assert isinstance(page, SurveysPage)
    return page


def import_and_wait(page: SurveysPage, qtbot: QtBot, path: Path) -> None:
    before = len(page.summaries)
    page.import_file(path)
    qtbot.waitUntil(lambda: len(page.summaries) > before, timeout=10_000)


def test_import_an_xlsform(opened_shell: Shell, qtbot: QtBot, shared_dir: Path) -> None:
    page = surveys_page(opened_shell)
    assert page.empty.isVisible() and not page.table.isVisible()
    assert not page.export_action.isEnabled()
    form = shared_dir / "fixtures" / "xlsform" / "yes_or_no_question.xlsx"
    import_and_wait(page, qtbot, form)
    assert page.table.rowCount() == 1
    assert page.table.item(0, 0).text() == read_xlsform(form).survey.title
    assert page.table.item(0, 4).text() == "0"  # responses
    assert page.export_action.isEnabled()
    assert isinstance(page.last_dialog, QMessageBox)
    assert "was added" in page.last_dialog.text()
    page.last_dialog.close()
    assert opened_shell.main is not None
    main = opened_shell.main
    # Saved in the background: the status bar follows the writer.
    qtbot.waitUntil(lambda: main.save_status.text().startswith("All changes saved"), timeout=10_000)


def test_import_lists_warnings(opened_shell: Shell, qtbot: QtBot, shared_dir: Path) -> None:
    page = surveys_page(opened_shell)
    form = shared_dir / "fixtures" / "xlsform" / "extra_sheet_names.xlsx"
    warnings = read_xlsform(form).warnings
    assert warnings
    import_and_wait(page, qtbot, form)
    box = page.last_dialog
    assert isinstance(box, QMessageBox)
    assert all(warning in box.informativeText() for warning in warnings)
    box.close()


def test_a_bad_xlsform_is_a_plain_error_dialog(
    opened_shell: Shell, qtbot: QtBot, qapp: QApplication, shared_dir: Path
) -> None:
    page = surveys_page(opened_shell)
    errors = opened_shell.context.errors
    page.import_file(shared_dir / "fixtures" / "xlsform" / "duplicate_columns.xlsx")
    qtbot.waitUntil(lambda: bool(errors.open_dialogs), timeout=10_000)
    box = errors.open_dialogs[0]
    assert "Traceback" not in box.text() and "Error" not in box.windowTitle()
    assert "column" in box.text().lower()
    assert not any(b.text() == "Copy details" for b in box.buttons())  # not a bug
    assert page.table.rowCount() == 0
    assert not errors.log_path.exists()
    box.close()


def test_preview_consent_and_export(
    opened_shell: Shell, qtbot: QtBot, shared_dir: Path, tmp_path: Path
) -> None:
    page = surveys_page(opened_shell)
    context = opened_shell.context
    form = shared_dir / "fixtures" / "xlsform" / "yes_or_no_question.xlsx"
    import_and_wait(page, qtbot, form)
    page.last_dialog.close()
    survey = page.selected_survey()
    assert survey is not None

    preview = page.preview()
    assert isinstance(preview, SurveyPreview) and preview.isVisible()
    preview.close()

    dialog = page.choose_consent()
    assert isinstance(dialog, ConsentDialog)
    yes_no = next(q.name for q in survey.questions if q.type == "select_one")
    dialog.quote.setCurrentIndex(dialog.quote.findData(yes_no))
    dialog.accept()
    assert get_survey(context.workspace.db, survey.id).consent_quote == yes_no

    target = tmp_path / "out.xlsx"
    page.export_to(survey, target)
    qtbot.waitUntil(target.exists, timeout=10_000)
    context.tasks.wait()
    qtbot.wait(20)
    assert read_xlsform(target).survey.form_id == survey.form_id


def test_the_preview_is_the_survey_as_a_parent_sees_it(opened_shell: Shell, qtbot: QtBot) -> None:
    """Issue 13: the preview was greyed out; it is live (skip logic, checks), saves nothing."""
    context = opened_shell.context
    survey = import_xlsform(
        context.workspace, resource_path("demo", "parent-survey-2026.xlsx")
    ).survey
    page = surveys_page(opened_shell)
    page.refresh(None)
    preview = page.preview()
    assert isinstance(preview, SurveyPreview)
    form = preview.form
    assert not form.is_shown("ehcp_process")
    support = form.blocks["support"].field
    assert support is not None and all(w.isEnabled() for w in support.inputs())
    support.pick(1)  # an EHCP: the EHCP questions appear, as they would for a parent
    assert form.is_shown("ehcp_process")
    assert form.contact_edit is not None  # the contact field a parent is offered
    preview.close()
    assert count_responses(context.workspace.db, survey.id) == 0


def test_rename_archive_and_remove_a_survey(
    opened_shell: Shell, qtbot: QtBot, shared_dir: Path
) -> None:
    """Issue 13: a survey imported by mistake stayed for ever."""
    context = opened_shell.context
    workspace = context.workspace
    page = surveys_page(opened_shell)
    kept = import_xlsform(workspace, resource_path("demo", "parent-survey-2026.xlsx")).survey
    mistake = import_xlsform(
        workspace, shared_dir / "fixtures" / "xlsform" / "yes_or_no_question.xlsx"
    ).survey
    page.refresh(None)
    main = opened_shell.main
    assert main is not None
    responses = main.page("Responses")
    assert isinstance(responses, ResponsesPage)

    page.select(kept.id)
    rename = page.rename()
    assert isinstance(rename, RenameDialog)
    rename.name.setText("Parent survey, spring 2026")
    rename.accept()
    assert get_survey(workspace.db, kept.id).title == "Parent survey, spring 2026"
    assert "Renamed" in page.status.text()

    page.select(kept.id)
    page.archive_action.trigger()
    assert [s.archived for s in list_surveys(workspace.db) if s.id == kept.id] == [True]
    assert responses.survey_box.findData(kept.id) < 0  # out of the way of data entry
    assert page.archive_action.text() == "Bring back from the &archive"
    page.archive_action.trigger()
    assert responses.survey_box.findData(kept.id) >= 0

    add_response(workspace, mistake, {}, status="draft")
    page.select(mistake.id)
    remove = page.remove()
    assert isinstance(remove, RemoveDialog)
    assert not remove.remove_button.isEnabled()  # it holds a response: type its name first
    remove.typed.setText("  " + mistake.title.upper())
    assert remove.remove_button.isEnabled()
    remove.remove_button.click()
    assert [s.id for s in list_surveys(workspace.db)] == [kept.id]
    assert "removed, with its 1 response" in page.status.text()
    assert audit.entries(workspace.db, "survey_removed")
