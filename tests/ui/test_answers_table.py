"""The workbench's answers grid: read a screenful at a time, never more than a few screens of
parents' words held, a quote change refreshed in place, and 100,000 answers that open, scroll
to the end and are tagged there."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from forumkit.paths import resource_path
from forumkit.quotes import AnswerQuery, create_quote
from forumkit.surveys import import_xlsform
from forumkit.workspace import Workspace
from tests.core.quotes.helpers import add_parent, add_quotes_survey
from tests.ui.test_responses_table import add_responses
from tests.ui.workbench import CTRL, Keyboard, quotes_page
from ui.app import Shell
from ui.models.answers_table import BLOCK, KEEP_BLOCKS, AnswersTableModel


def test_rows_are_read_in_blocks_and_few_are_held(workspace: Workspace, tmp_path: Path) -> None:
    survey = add_quotes_survey(workspace, tmp_path)
    for number in range(300):
        add_parent(workspace, survey, experience=f"Parent {number} waited.", difference=None)
    model = AnswersTableModel(lambda: workspace.db, dict)
    model.load(survey, AnswerQuery(survey.id))
    assert model.rowCount() == 300 and model.blocks_read == 0
    assert model.index(299, 0).data() == "Parent 299 waited."
    for row in range(0, 300, 7):
        model.index(row, 0).data()
    assert model.held_answers <= BLOCK * KEEP_BLOCKS
    model.clear()
    assert model.rowCount() == 0 and model.held_answers == 0


def test_a_quote_change_refreshes_its_row_in_place(workspace: Workspace, tmp_path: Path) -> None:
    survey = add_quotes_survey(workspace, tmp_path)
    parents = [add_parent(workspace, survey, difference=None) for _ in range(3)]
    model = AnswersTableModel(lambda: workspace.db, dict)
    model.load(survey, AnswerQuery(survey.id, progress="untagged"))
    codes = [c.key for c in model.columns].index("codes")
    assert model.index(1, codes).data() == "" and model.next_untagged(-1) == 0
    changed: list[int] = []
    model.dataChanged.connect(lambda first, _last: changed.append(first.row()))
    create_quote(workspace, parents[1].id, "experience", codes=["money"])
    row = model.row_at(1)
    assert row is not None
    model.refresh_rows({row})
    assert changed == [1] and model.rowCount() == 3  # still shown until the filters change
    assert model.index(1, codes).data() == "Make sure there is enough money and spend it well"
    assert model.next_untagged(0) == 2 and model.next_untagged(2, -1) == 0
    model.reload()
    assert model.rowCount() == 2


@pytest.mark.slow
def test_a_hundred_thousand_answers_open_scroll_and_are_tagged_at_the_end(
    opened_shell: Shell, qtbot: QtBot
) -> None:
    workspace = opened_shell.context.workspace
    survey = import_xlsform(workspace, resource_path("demo", "parent-survey-2026.xlsx")).survey
    add_responses(workspace, survey, 70_000)  # about 1.45 free-text answers each
    began = time.perf_counter()
    page = quotes_page(opened_shell)
    opened = time.perf_counter() - began
    total = page.model.rowCount()
    assert total > 100_000, total
    assert opened < 10, f"opening took {opened:.1f} s"
    page.table.scrollToBottom()
    QApplication.processEvents()
    last = page.model.index(total - 1, 0)
    assert page.table.visualRect(last).isValid()
    assert page.model.blocks_read <= 4 and page.model.held_answers <= BLOCK * KEEP_BLOCKS
    page.select_row(total - 1)
    page.panel.view.setFocus()
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_A, CTRL)
    keys.digit(7, step="tag")
    assert page.model.is_tagged(total - 1)
    assert page.progress.text() == f"1 of {total:,} answers tagged"
    assert keys.steps["tag"][0] < 1000, keys.steps
