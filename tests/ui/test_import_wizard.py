"""The import wizard on a Google Forms export: a bad row is listed and nothing is imported until
it is fixed (by the mapping or in the file); a second import skips duplicates; Cancel while
reading imports nothing; mappings are saved and used again."""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from forumkit import audit
from forumkit.importers import SET_ASIDE
from forumkit.responses import count_responses
from forumkit.surveys import Survey, import_xlsform
from tests.core.importers.helpers import google_rows, make_survey, write_csv
from tests.core.surveys.helpers import write_form
from ui.app import Shell
from ui.import_wizard import ImportWizard
from ui.pages.surveys import SurveysPage

AGE = "How old is your child?"


@pytest.fixture
def survey(opened_shell: Shell, tmp_path: Path) -> Survey:
    survey = make_survey(opened_shell.context.workspace, tmp_path)
    return survey


@pytest.fixture
def wizard(opened_shell: Shell, survey: Survey, qtbot: QtBot) -> ImportWizard:
    wizard = ImportWizard(opened_shell.context, survey.id, opened_shell.main)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def write_export(folder: Path, *, age: object = 7, heading: str = AGE) -> Path:
    rows = google_rows()
    rows[0][4] = heading
    rows[1][4] = age
    return write_csv(folder / "online-form.csv", rows)


def go_next(wizard: ImportWizard, qtbot: QtBot) -> None:
    """Next, waiting for any reading or checking the page starts in the background."""
    before = wizard.currentPage()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.task is None, timeout=10_000)
    qtbot.waitUntil(lambda: wizard.currentPage() is not before, timeout=10_000)


def read(wizard: ImportWizard, path: Path, qtbot: QtBot) -> None:
    wizard.file_page.path_edit.setText(str(path))
    go_next(wizard, qtbot)
    assert wizard.currentPage() is wizard.mapping_page


def responses(shell: Shell, survey: Survey) -> int:
    return count_responses(shell.context.workspace.db, survey.id)


def test_a_bad_row_is_listed_then_corrected_in_the_file_and_imported(
    opened_shell: Shell, survey: Survey, wizard: ImportWizard, qtbot: QtBot, tmp_path: Path
) -> None:
    path = write_export(tmp_path, age=31)  # the survey allows 0 to 25
    read(wizard, path, qtbot)
    assert wizard.mapping_page.detected.text() == "Detected format: Google Forms"
    go_next(wizard, qtbot)
    page = wizard.check_page
    assert wizard.currentPage() is page
    assert page.problems.rowCount() == 1
    cells = [page.problems.item(0, column).text() for column in range(4)]
    assert cells == ["2", AGE, "31", "Age must be between 0 and 25."]  # the value shown too
    assert "nothing can be imported" in page.verdict.text()
    assert not page.isComplete()
    assert responses(opened_shell, survey) == 0

    write_export(tmp_path, age=9)  # the chair corrects the row and saves the file
    page.reread_button.click()
    qtbot.waitUntil(lambda: page.problems.rowCount() == 0, timeout=10_000)
    assert page.isComplete()
    assert page.verdict.text() == "3 responses ready to import"
    go_next(wizard, qtbot)
    assert wizard.currentPage() is wizard.summary_page
    assert "Imported 3 responses; 0 duplicates skipped" in wizard.summary_page.summary.text()
    assert responses(opened_shell, survey) == 3

    # The Surveys page heard of the change through the workspace's change record.
    assert opened_shell.main is not None
    surveys = opened_shell.main.page("Surveys")
    assert isinstance(surveys, SurveysPage)
    assert surveys.table.item(0, 4).text() == "3"


def test_a_column_mapped_by_hand_and_a_second_import_skips_duplicates(
    opened_shell: Shell, survey: Survey, wizard: ImportWizard, qtbot: QtBot, tmp_path: Path
) -> None:
    path = write_export(tmp_path, heading="Child's age in years")
    read(wizard, path, qtbot)
    mapping = wizard.mapping_page
    assert "E “Child's age in years”" in mapping.unmapped.text()
    go_next(wizard, qtbot)
    check = wizard.check_page
    # The age is required: without its column every row has a problem.
    assert check.problems.rowCount() == 3
    assert not check.isComplete()
    assert responses(opened_shell, survey) == 0

    wizard.back()
    assert wizard.currentPage() is mapping
    mapping.choose("Child's age in years", "child_age")
    assert "Every column is imported" in mapping.unmapped.text()
    saved = tmp_path / "mapping.json"
    mapping.save_mapping_to(saved)
    go_next(wizard, qtbot)
    assert check.problems.rowCount() == 0 and check.isComplete()
    go_next(wizard, qtbot)
    assert responses(opened_shell, survey) == 3

    # Next week: the same export again, with the saved mapping: all three are duplicates.
    assert json.loads(saved.read_text())["columns"]["Child's age in years"] == "child_age"
    again = ImportWizard(opened_shell.context, survey.id, opened_shell.main)
    qtbot.addWidget(again)
    again.show()
    read(again, path, qtbot)
    task = again.mapping_page.load_mapping_from(saved)
    assert task is not None
    qtbot.waitUntil(lambda: again.task is None, timeout=10_000)
    assert "mapping.json" in again.mapping_page.status.text()
    go_next(again, qtbot)
    # Nothing new: the page says so rather than offering to import 0 (issue 13, deliberate).
    assert not again.check_page.isComplete()
    assert "All 3 rows of “online-form.csv” are already in the forum file" in (
        again.check_page.counts.text()
    )
    assert responses(opened_shell, survey) == 3


def test_cancel_while_reading_imports_nothing(
    opened_shell: Shell, survey: Survey, wizard: ImportWizard, qtbot: QtBot, tmp_path: Path
) -> None:
    wizard.file_page.path_edit.setText(str(write_export(tmp_path)))
    wizard.next()
    task = wizard.task
    assert task is not None
    task.cancel()
    qtbot.waitUntil(lambda: task.is_finished, timeout=10_000)
    assert wizard.currentPage() is wizard.file_page
    assert wizard.plan is None
    assert "nothing was imported" in wizard.file_page.status.text()
    assert responses(opened_shell, survey) == 0


def test_a_missing_file_is_said_plainly(wizard: ImportWizard, tmp_path: Path) -> None:
    wizard.file_page.path_edit.setText(str(tmp_path / "nowhere.csv"))
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert "There is no file" in wizard.file_page.status.text()


def test_the_responses_menu_opens_the_wizard_and_the_requests_dialog(
    opened_shell: Shell, survey: Survey, qtbot: QtBot
) -> None:
    from ui.requests_dialog import RequestsDialog

    main = opened_shell.main
    assert main is not None
    main.show_page([p.title for p in main.pages].index("Responses"))  # type: ignore[attr-defined]
    menu = next(a.menu() for a in main.menuBar().actions() if a.text() == "&Responses")
    by_text = {a.text(): a for a in menu.actions()}
    by_text["Im&port responses…"].trigger()
    wizard = main.findChild(ImportWizard)
    assert wizard is not None and wizard.isVisible()
    assert wizard.file_page.survey_box.currentData() == survey.id
    wizard.reject()
    by_text["&Data-protection request…"].trigger()
    dialog = main.findChild(RequestsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_the_wizard_screenshots_render(qapp: object, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from ui.screenshots import take

    written = take(tmp_path, ["import-mapping", "import-dry-run"])
    assert [p.name for p in written] == ["import-mapping.png", "import-dry-run.png"]
    for path in written:
        image = QImage(str(path))
        assert image.width() >= 800 and image.height() >= 600


def test_the_mapping_is_used_by_keyboard_in_reading_order(
    survey: Survey, wizard: ImportWizard, qtbot: QtBot, tmp_path: Path
) -> None:
    read(wizard, write_export(tmp_path), qtbot)
    combos = [combo for _column, combo in wizard.mapping_page.combos]
    combos[0].setFocus()
    qtbot.waitUntil(combos[0].hasFocus)
    for expected in combos[1:4]:
        qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_Tab)
        assert wizard.focusWidget() is expected
    # Choosing with the keyboard: the first item is "(not imported)".
    qtbot.keyClick(combos[3], Qt.Key.Key_Home)
    assert combos[3].currentData() == ""
    assert "(not imported)" not in wizard.mapping_page.unmapped.text()
    assert "Not imported: D" in wizard.mapping_page.unmapped.text()


def test_a_column_of_the_forms_start_times_shows_as_imported(
    opened_shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    """The wizard offers what the core matches: a ``start`` column answers the form's start
    question, so changing another column does not quietly drop it."""
    rows = [["type", "name", "label"], ["start", "start", ""], ["integer", "child_age", AGE]]
    form = write_form(tmp_path / "timed.xlsx", rows, settings=[["form_id"], ["timed"]])
    workspace = opened_shell.context.workspace
    timed = import_xlsform(workspace, form).survey
    wizard = ImportWizard(opened_shell.context, timed.id, opened_shell.main)
    qtbot.addWidget(wizard)
    wizard.show()
    path = write_csv(tmp_path / "timed.csv", [["start", AGE], ["2026-03-02 10:00", 7]])
    read(wizard, path, qtbot)
    mapping = wizard.mapping_page
    shown = {column.header: combo.currentText() for column, combo in mapping.combos}
    assert shown == {"start": "start", AGE: AGE}  # questions in their words (issue 13)
    mapping.choose(AGE, "child_age")
    assert mapping.mapping() == {"start": "start", AGE: "child_age"}


def test_an_edited_export_updates_its_response_and_the_wizard_says_so(
    opened_shell: Shell, survey: Survey, wizard: ImportWizard, qtbot: QtBot, tmp_path: Path
) -> None:
    """The sheet edited after the first import (a name taken out of one story) and exported
    again: the check names the changed row and what will be erased, and the summary counts it
    as updated, not as a new response."""
    first = write_csv(tmp_path / "online-form.csv", google_rows())
    earlier = time.time() - 3600  # downloaded an hour ago
    os.utime(first, (earlier, earlier))
    read(wizard, first, qtbot)
    go_next(wizard, qtbot)
    go_next(wizard, qtbot)
    assert responses(opened_shell, survey) == 3

    rows = google_rows()
    rows[1][9] = "Told to wait; a name taken out."
    edited = write_csv(tmp_path / "online-form (1).csv", rows)  # downloaded now
    again = ImportWizard(opened_shell.context, survey.id, opened_shell.main)
    qtbot.addWidget(again)
    again.show()
    read(again, edited, qtbot)
    go_next(again, qtbot)
    check = again.check_page
    assert check.isComplete()
    assert check.verdict.text() == "0 responses ready to import, 1 to update"
    assert (
        "Row 2 changed since imported: its response would be updated, and the earlier answers "
        "would be erased from the forum file and its backup."
    ) in check.counts.text()
    go_next(again, qtbot)
    summary = again.summary_page
    assert summary.summary.text() == "Imported 0 responses; 1 updated; 2 duplicates skipped"
    assert "Row 2 changed since imported: its response updated" in summary.details.text()
    assert responses(opened_shell, survey) == 3


def test_the_good_rows_are_imported_and_the_bad_one_set_aside(
    opened_shell: Shell, survey: Survey, wizard: ImportWizard, qtbot: QtBot, tmp_path: Path
) -> None:
    """Issue 13: beside all or nothing, import the good rows and put the bad ones in a
    spreadsheet (with the export's password) to correct and import again."""
    path = write_export(tmp_path, age=31)
    read(wizard, path, qtbot)
    go_next(wizard, qtbot)
    page = wizard.check_page
    assert page.choice.isVisible() and page.all_or_nothing.isChecked()
    assert not page.isComplete()  # all or nothing stays the default
    assert "Import the 2 new rows that passed" in page.set_aside.text()
    page.set_aside.setChecked(True)
    assert page.isComplete() and page.set_aside_file.isVisible()
    aside = tmp_path / "to correct.csv"
    page.set_aside_file.path.setText(str(aside))
    go_next(wizard, qtbot)
    assert wizard.currentPage() is wizard.summary_page
    assert responses(opened_shell, survey) == 2
    assert "1 row with problems was set aside in “to correct.csv”" in (
        wizard.summary_page.set_aside.text()
    )
    rows = aside.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 2 and "31" in rows[1]  # the heading row, then the row as it was
    entries = audit.entries(opened_shell.context.workspace.db, SET_ASIDE)
    assert [entry.counts for entry in entries] == [{"rows": 1, "encrypted": 0}]


def test_a_file_imported_before_has_nothing_new_to_import(
    opened_shell: Shell, survey: Survey, wizard: ImportWizard, qtbot: QtBot, tmp_path: Path
) -> None:
    """Issue 13: a full re-import said "0 responses ready … Choose Import"."""
    path = write_export(tmp_path)
    read(wizard, path, qtbot)
    go_next(wizard, qtbot)
    go_next(wizard, qtbot)
    assert responses(opened_shell, survey) == 3
    again = ImportWizard(opened_shell.context, survey.id, opened_shell.main)
    qtbot.addWidget(again)
    again.show()
    read(again, path, qtbot)
    go_next(again, qtbot)
    page = again.check_page
    assert page.verdict.text() == "Nothing new to import"
    assert "Import" not in page.counts.text() and "already in the forum file" in page.counts.text()
    assert not page.isComplete()


def test_the_mapping_table_gives_each_row_room_and_words_not_names(
    survey: Survey, wizard: ImportWizard, qtbot: QtBot, tmp_path: Path
) -> None:
    read(wizard, write_export(tmp_path), qtbot)
    combos = [combo for _column, combo in wizard.mapping_page.combos]
    tops = [combo.mapTo(wizard, combo.rect().topLeft()).y() for combo in combos]
    gaps = [b - a - combos[0].height() for a, b in itertools.pairwise(tops)]
    assert min(gaps) >= 8
    texts = [combos[0].itemText(i) for i in range(combos[0].count())]
    assert "How old is your child?" in texts
    assert not any("(child_age)" in text for text in texts)  # its wording, not its name
