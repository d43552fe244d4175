"""The Surveys page: import (with warnings, and a refused form), counts, export, preview,
consent questions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from forumkit.surveys import get_survey, read_xlsform
from ui.app import Shell
from ui.pages.surveys import ConsentDialog, SurveyPreview, SurveysPage, survey_as_html


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
    assert "<b>" in survey_as_html(survey)

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
