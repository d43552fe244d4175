"""The data-protection requests dialog: find a respondent, save their copy, erase them (typed
confirmation), and every page's counts follow the change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from forumkit.importers import plan_import, run_import
from forumkit.responses import count_responses
from forumkit.responses.export import export_responses
from forumkit.surveys import Survey
from forumkit.workspace import Change
from tests.core.importers.helpers import google_rows, make_survey, write_csv
from ui.app import Shell
from ui.pages.surveys import SurveysPage
from ui.requests_dialog import RequestsDialog

PARENT = "parent0@example.org"  # the first Google Forms row's email address


@pytest.fixture
def survey(opened_shell: Shell, tmp_path: Path) -> Survey:
    workspace = opened_shell.context.workspace
    survey = make_survey(workspace, tmp_path)
    plan = plan_import(survey, write_csv(tmp_path / "online.csv", google_rows()))
    run_import(workspace, survey, plan)
    return survey


@pytest.fixture
def dialog(opened_shell: Shell, survey: Survey, qtbot: QtBot) -> RequestsDialog:
    dialog = RequestsDialog(opened_shell.context, opened_shell.main)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def surveys_count(shell: Shell) -> str:
    assert shell.main is not None
    page = shell.main.page("Surveys")
    assert isinstance(page, SurveysPage)
    return page.table.item(0, 4).text()


def test_find_and_save_a_copy(dialog: RequestsDialog, tmp_path: Path, qtbot: QtBot) -> None:
    dialog.reference_edit.setText("  PARENT0@example.org ")
    dialog.find_button.click()
    assert dialog.found.text() == "1 response held for this reference"
    assert "We waited two years, for everything." in dialog.details.toPlainText()
    assert dialog.erase_button.isEnabled() and not dialog.confirm_box.isVisible()

    written = dialog.copy_to(tmp_path / "copy.json")
    assert written is not None and written.responses == 1
    data = json.loads((tmp_path / "copy.json").read_text(encoding="utf-8"))
    assert data["responses"][0]["respondent"] == PARENT
    assert "not encrypted" in dialog.message.text()

    dialog.reference_edit.setText("nobody@example.org")
    dialog.find_button.click()
    assert dialog.found.text() == "Nothing is held for this reference"
    assert not dialog.erase_button.isEnabled()


def test_erase_with_typed_confirmation_and_the_counts_follow(
    opened_shell: Shell,
    survey: Survey,
    dialog: RequestsDialog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    context = opened_shell.context
    workspace = context.workspace
    export_responses(workspace, survey, tmp_path / "sent-to-the-la.csv")
    assert opened_shell.main is not None
    responses_page = opened_shell.main.page("Responses")
    heard: list[Change | None] = []
    original = responses_page.refresh  # type: ignore[attr-defined]

    def spy(change: Change | None) -> None:
        heard.append(change)
        original(change)

    monkeypatch.setattr(responses_page, "refresh", spy)
    surveys_page = opened_shell.main.page("Surveys")
    assert isinstance(surveys_page, SurveysPage)
    surveys_page.refresh(None)
    assert surveys_count(opened_shell) == "3"

    dialog.reference_edit.setText(PARENT)
    dialog.find_button.click()
    dialog.erase_button.click()
    assert dialog.confirm_box.isVisible()
    what = dialog.what_goes.text()
    assert "This response will be deleted for good" in what
    assert "SEND survey 2026: complete" in what
    assert "already left the file in an export" in what
    assert not dialog.confirm_button.isEnabled()
    dialog.confirm_edit.setText("erase")  # the word must be typed as shown
    assert not dialog.confirm_button.isEnabled()
    assert dialog.erase() is None
    assert count_responses(workspace.db, survey.id) == 3

    dialog.confirm_edit.setText("ERASE")
    assert dialog.confirm_button.isEnabled()
    dialog.confirm_button.click()
    assert dialog.erasure is not None and dialog.erasure.responses == 1
    summary = dialog.details.toPlainText()
    assert "Erased 1 response;" in summary
    assert "tell its recipients to delete them" in summary
    assert "respondent erased — earlier disclosures 1, responses 1; 1 response id." in summary
    assert PARENT not in summary
    assert count_responses(workspace.db, survey.id) == 2
    assert surveys_count(opened_shell) == "2"
    assert any(change is not None and "responses" in change.touched for change in heard)

    dialog.reference_edit.setText(PARENT)
    dialog.find_button.click()
    assert dialog.found.text() == "Nothing is held for this reference"


def test_editing_the_reference_forgets_what_was_found(dialog: RequestsDialog) -> None:
    dialog.reference_edit.setText(PARENT)
    dialog.find_button.click()
    dialog.erase_button.click()
    dialog.reference_edit.setFocus()
    dialog.reference_edit.textEdited.emit("parent2@example.org")
    assert dialog.held is None
    assert not dialog.erase_button.isEnabled() and not dialog.confirm_box.isVisible()
