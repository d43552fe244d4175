"""The Analysis page shows exactly the suppressed figures ``forumkit analyse --json`` gives
(the same core call), every figure only when asked and labelled for the forum only, follows
its filters, and keeps no figure after a lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from forumkit.analysis import Scope, analyse, analyse_by, settings_for
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.analysis.helpers import family_survey
from ui.app import Shell
from ui.main_window import MainWindow
from ui.pages.analysis import AnalysisPage
from ui.pages.chart_view import spoken


@pytest.fixture
def page(shell: Shell, tmp_path: Path, qtbot: QtBot) -> AnalysisPage:
    path = tmp_path / "forum.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Testshire PCF", area="Testshire") as ws:
        family_survey(ws, tmp_path)
    shell.opened(Workspace.open(path, PASSPHRASE))
    main = shell.main
    assert isinstance(main, MainWindow)
    found = main.page("Analysis")
    assert isinstance(found, AnalysisPage)
    main.show_page(main.pages.index(found))
    return found


def figures(page: AnalysisPage) -> dict[str, list[tuple[str, str]]]:
    """Each card's table: (answer, count) as the page shows them."""
    shown: dict[str, list[tuple[str, str]]] = {}
    for card in page.cards:
        rows = []
        for row in range(card.table.rowCount()):
            answer, count = card.table.item(row, 0), card.table.item(row, 1)
            assert answer is not None and count is not None
            rows.append((answer.text(), count.text()))
        shown[card.spec["title"]] = rows
    return shown


def cli_figures(page: AnalysisPage, *, suppressed: bool) -> dict[str, list[tuple[str, str]]]:
    """The same from the analyse command's JSON document (``Analysis.data()``)."""
    db = page.context.workspace.db
    survey_id = page.survey_box.currentData()
    from forumkit.surveys import get_survey

    analysis = analyse(
        db, get_survey(db, str(survey_id)), Scope(), settings_for(db, suppressed=suppressed)
    )
    document = analysis.data()
    threshold = analysis.settings.threshold
    return {
        question["chart"]["title"]: [
            (bar["label"], spoken(bar, threshold).split(" (")[0])
            for bar in question["chart"]["bars"]
        ]
        for question in document["questions"]
    }


def test_the_page_shows_the_suppressed_figures_the_command_prints(page: AnalysisPage) -> None:
    assert page.cards and not page.everything.isChecked() and not page.forum_only.isVisible()
    shown = figures(page)
    assert shown == cli_figures(page, suppressed=True)
    assert any("fewer than" in count for rows in shown.values() for _, count in rows)
    for card in page.cards:
        assert card.chart.accessibleDescription() == card.spec["alt_text"]
        assert card.table.accessibleName()


def test_every_figure_only_when_asked_and_labelled_for_the_forum(page: AnalysisPage) -> None:
    page.everything.setChecked(True)
    assert page.forum_only.isVisibleTo(page) and "For the forum only" in page.forum_only.text()
    shown = figures(page)
    assert shown == cli_figures(page, suppressed=False)
    assert not any("fewer than" in count for rows in shown.values() for _, count in rows)
    page.everything.setChecked(False)
    assert not page.forum_only.isVisibleTo(page)


def test_a_filter_counts_fewer_responses(page: AnalysisPage) -> None:
    everyone = page.summary.text()
    page.source_box.setCurrentIndex(page.source_box.findText("Kiosk"))
    page.recompute()
    assert page.summary.text() != everyone
    assert page.analysis is not None and page.analysis.scope.sources == ("kiosk",)


def test_a_chart_copies_as_an_image(page: AnalysisPage) -> None:
    page.cards[0].copy_image()
    assert not QApplication.clipboard().image().isNull()


def test_no_figure_stays_after_a_lock(page: AnalysisPage) -> None:
    main = page.window()
    assert isinstance(main, MainWindow)
    main.lock()
    assert page.cards == [] and page.analysis is None


def test_split_by_an_attribute_shows_the_cross_tabs_the_command_prints(
    page: AnalysisPage,
) -> None:
    from forumkit.surveys import get_survey
    from ui.pages.analysis import CrosstabCard

    page.split_box.setCurrentIndex(page.split_box.findData("phase"))
    page.recompute()
    assert page.cards and all(isinstance(card, CrosstabCard) for card in page.cards)
    db = page.context.workspace.db
    survey = get_survey(db, str(page.survey_box.currentData()))
    grouped = analyse_by(db, survey, "phase", Scope(), settings_for(db))
    labels = grouped.group_labels()
    threshold = grouped.settings.threshold
    for card, result in zip(page.cards, grouped.questions, strict=True):
        assert isinstance(card, CrosstabCard)
        series = result.chart(labels)["series"]
        for column, group in enumerate(series, start=1):
            for row, bar in enumerate(group["bars"]):
                item = card.table.item(row, column)
                assert item is not None and item.text() == spoken(bar, threshold)
        assert [chart.accessibleDescription() for chart in card.charts] == [
            group["alt_text"] for group in series
        ]


def test_no_earlier_edition_disables_year_on_year_saying_why(page: AnalysisPage) -> None:
    assert not page.edition_box.isEnabled()
    assert "no earlier edition" in page.edition_box.accessibleDescription().lower()
    assert page.edition_box.toolTip() == page.edition_box.accessibleDescription()


@pytest.fixture
def two_years(shell: Shell, tmp_path: Path, qtbot: QtBot) -> AnalysisPage:
    """This year's family survey linked to last year's edition, with responses to both."""
    from forumkit.responses import add_response
    from forumkit.surveys import import_xlsform, set_previous_edition
    from tests.core.analysis.test_editions import LAST_YEAR, LAST_YEAR_CHOICES, LAST_YEAR_ROWS
    from tests.core.responses.helpers import write_rows

    path = tmp_path / "forum.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Testshire PCF", area="Testshire") as ws:
        settings = [["form_title", "form_id"], ["Family survey 2025", "family_2025"]]
        form = write_rows(tmp_path / "2025.xlsx", LAST_YEAR_ROWS, LAST_YEAR_CHOICES, settings)
        previous = import_xlsform(ws, form).survey
        with ws.transaction("last_year"):
            for phase, satisfaction, share in LAST_YEAR:
                answers = {"phase": phase, "satisfaction": satisfaction, "consent_share": share}
                add_response(ws, previous, answers, status="complete")
        current = family_survey(ws, tmp_path)
        set_previous_edition(ws, current.id, previous.form_id)
    shell.opened(Workspace.open(path, PASSPHRASE))
    main = shell.main
    assert isinstance(main, MainWindow)
    found = main.page("Analysis")
    assert isinstance(found, AnalysisPage)
    found.survey_box.setCurrentIndex(found.survey_box.findText("family_2026"))
    main.show_page(main.pages.index(found))
    found.recompute()
    return found


def test_year_on_year_shows_each_question_against_last_year_as_the_core_compares(
    two_years: AnalysisPage,
) -> None:
    from forumkit.analysis import compare_editions, earlier_editions
    from forumkit.surveys import get_survey
    from ui.pages.chart_view import edition_figure
    from ui.pages.comparison_card import ComparisonCard

    page = two_years
    assert page.edition_box.isEnabled()
    page.edition_box.setCurrentIndex(page.edition_box.findText("Family survey 2025"))
    page.recompute()
    db = page.context.workspace.db
    survey = get_survey(db, str(page.survey_box.currentData()))
    (previous,) = earlier_editions(db, survey)
    comparison = compare_editions(db, survey, previous, Scope(), settings_for(db))
    assert page.cards and not page.split_box.isEnabled()
    assert len(page.cards) == len(comparison.questions)
    threshold = comparison.current.settings.threshold
    for card, compared in zip(page.cards, comparison.questions, strict=True):
        assert isinstance(card, ComparisonCard)
        spec = compared.chart()
        assert card.chart.accessibleDescription() == spec["alt_text"]
        for row, bar in enumerate(spec["bars"]):
            texts = [card.table.item(row, column) for column in range(4)]
            assert [item.text() for item in texts if item is not None] == [
                bar["label"],
                edition_figure(bar["previous"], threshold),
                edition_figure(bar["current"], threshold),
                "" if bar["change"] is None else f"{bar['change']:+g}",
            ]
    left_out = page.left_out.text()
    assert page.left_out.isVisibleTo(page) and "A question dropped this year" in left_out
    for result, reason in comparison.not_comparable:
        assert f"“{result.shown.table.measure.label}”: {reason}." in left_out
    page.edition_box.setCurrentIndex(0)
    page.recompute()
    assert page.comparison is None and page.split_box.isEnabled()
    assert not page.left_out.isVisibleTo(page)


def test_the_date_range_narrows_the_count_as_the_core_filters(page: AnalysisPage) -> None:
    import datetime as dt

    from PySide6.QtCore import QDate

    from forumkit.analysis import parse_filters
    from forumkit.surveys import get_survey

    assert page.from_date.accessibleName() and page.to_date.accessibleName()
    assert page.from_date.specialValueText() == "Any day"
    page.from_date.setDate(QDate(2026, 3, 5))
    page.to_date.setDate(QDate(2026, 3, 10))
    assert page.analysis is not None
    assert page.analysis.scope.since == dt.date(2026, 3, 5)
    assert page.analysis.scope.until == dt.date(2026, 3, 10)
    db = page.context.workspace.db
    survey = get_survey(db, str(page.survey_box.currentData()))
    scope = parse_filters(survey, ["from=2026-03-05", "to=2026-03-10"])
    expected = analyse(db, survey, scope, settings_for(db))
    assert page.analysis.responses_figure == expected.responses_figure
    assert f"counted: {expected.responses_figure}." in page.summary.text()
    page.from_date.setDate(page.from_date.minimumDate())
    page.to_date.setDate(page.to_date.minimumDate())
    assert page.analysis.scope.since is None and page.analysis.scope.until is None


def exported_rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]


def test_the_tables_export_as_shown_and_is_logged(
    page: AnalysisPage, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forumkit import audit
    from forumkit.analysis import TablesExportError
    from forumkit.analysis.workbook import TABLES_EXPORTED

    dialog = page.export_dialog()
    assert dialog is not None and "suppressed" in dialog.note.text()
    assert page.export_button.isEnabled()
    out = tmp_path / "tables.xlsx"
    page.start_export(out, None)
    qtbot.waitUntil(lambda: bool(page.exported_note.text()), timeout=20_000)
    assert "tables.xlsx" in page.exported_note.text()
    rows = exported_rows(out, "Tables")
    for title, shown in figures(page).items():
        start = next(i for i, row in enumerate(rows) if row and row[0] == title)
        written = [(row[0], row[1]) for row in rows[start + 2 : start + 2 + len(shown)]]
        # The sheet has numbers as numbers and marks as the pack prints them (<5, *).
        assert [(a, str(c)) for a, c in written] == [
            (answer, "*" if count == "hidden" else count.replace("fewer than ", "<"))
            for answer, count in shown
        ]
    (entry,) = audit.entries(page.context.workspace.db, TABLES_EXPORTED)
    assert entry.counts["suppressed"] == 1
    errors: list[BaseException] = []
    monkeypatch.setattr(page.context.errors, "report", lambda error, _parent: errors.append(error))
    page.start_export(tmp_path / "tables.csv", None)
    assert errors and isinstance(errors[0], TablesExportError)


def test_every_figure_export_says_for_the_forum_only_in_the_dialog_and_the_sheet(
    page: AnalysisPage, tmp_path: Path, qtbot: QtBot
) -> None:
    from forumkit.analysis.published import FORUM_ONLY
    from forumkit.spreadsheets import decrypt_xlsx

    page.everything.setChecked(True)
    dialog = page.export_dialog()
    assert dialog is not None and "For the forum only" in dialog.note.text()
    out = tmp_path / "all.xlsx"
    page.start_export(out, "chair-only")
    qtbot.waitUntil(lambda: bool(page.exported_note.text()), timeout=20_000)
    assert "for the forum only" in page.exported_note.text()
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(decrypt_xlsx(out.read_bytes(), "chair-only"))
    assert exported_rows(plain, "About")[0][0] == FORUM_ONLY
