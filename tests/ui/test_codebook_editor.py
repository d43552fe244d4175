"""The codebook editor (Quotes → Codebooks…): a code edited (label, colour with its contrast
check, shortcut, keywords, parent, inspection areas), codes and a codebook of the forum's own
added, a code in use merged rather than deleted, .qdc export and import, the deny-list."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from forumkit.codebooks import (
    INSPECTION_AREAS_ID,
    default_codebook,
    get_code,
    get_codebook,
    inspection_areas_of,
    list_codebooks,
    read_qdc_file,
)
from forumkit.quotes import create_quote, get_quote, list_deny_terms
from forumkit.workspace import Workspace
from tests.core.quotes.helpers import add_parent, add_quotes_survey
from tests.ui.conftest import visible_dialogs
from tests.ui.workbench import quotes_page
from ui.app import Shell
from ui.code_form import contrast_words
from ui.codebook_editor import CodebookEditor


@pytest.fixture
def editor(opened_shell: Shell, qtbot: QtBot) -> CodebookEditor:
    dialog = CodebookEditor(opened_shell.context, opened_shell.main)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def key_messages(workspace: Workspace) -> dict[str, str]:
    return {code.key: code.id for code in default_codebook(workspace.db).codes}


def test_the_editor_is_reached_from_the_quotes_menu(opened_shell: Shell, qtbot: QtBot) -> None:
    page = quotes_page(opened_shell)
    main = opened_shell.main
    assert main is not None
    menus = {m.text(): m.menu() for m in main.menuBar().actions() if m.menu()}
    quotes_menu = menus["&Quotes"]
    assert page.codebooks_action in quotes_menu.actions()
    tag_menu = page.tag_menu
    assert [a.shortcut().toString() for a in tag_menu.actions()] == [str(n) for n in range(1, 8)]


def test_a_code_edited_through_the_form(
    editor: CodebookEditor, opened_shell: Shell, qtbot: QtBot
) -> None:
    workspace = opened_shell.context.workspace
    money = key_messages(workspace)["money"]
    editor.select_code(money)
    form = editor.form
    assert form.label_edit.text() == "Make sure there is enough money and spend it well"
    assert list(form.area_checks) and form.areas_box.isVisibleTo(editor)
    form.label_edit.setText("Enough money, spent well")
    form.colour_edit.setText("#f0e442")
    assert form.contrast.text().startswith("The label is written in black on this colour")
    assert "meets WCAG AA" in form.contrast.text()
    form.shortcut_edit.setText("M")
    form.keywords_edit.setPlainText("funding\nwho pays\n\n")
    form.parent_box.setCurrentIndex(
        form.parent_box.findData(key_messages(workspace)["listen-early"])
    )
    areas = get_codebook(workspace.db, INSPECTION_AREAS_ID).codes
    for check in form.area_checks.values():
        check.setChecked(False)
    form.area_checks[areas[0].id].setChecked(True)
    editor.save_button.click()
    code = get_code(workspace.db, money)
    assert code.label == "Enough money, spent well" and code.colour == "#F0E442"
    assert code.shortcut == "m" and code.keywords == ("funding", "who pays")
    assert code.parent_id == key_messages(workspace)["listen-early"]
    assert [area.id for area in inspection_areas_of(workspace.db, money)] == [areas[0].id]
    assert editor.message.text() == "Saved “Enough money, spent well”."
    item = editor.tree.currentItem()
    assert item is not None and item.text(0).startswith("m  Enough money")


def test_a_colour_that_is_not_one_is_said_so_and_refused(
    editor: CodebookEditor, opened_shell: Shell, qtbot: QtBot
) -> None:
    assert contrast_words("#12").startswith("Not a colour")
    assert "white on this colour: contrast 5.2 : 1 (meets WCAG AA" in contrast_words("#0072B2")
    workspace = opened_shell.context.workspace
    coproduction = key_messages(workspace)["coproduction"]
    editor.select_code(coproduction)
    editor.form.colour_edit.setText("#12")
    assert editor.form.contrast.text().startswith("Not a colour")
    editor.save_button.click()
    qtbot.waitUntil(lambda: bool(opened_shell.context.errors.open_dialogs))
    assert get_code(workspace.db, coproduction).colour == "#CC79A7"  # as it was
    opened_shell.context.errors.close_all()


def test_a_codebook_of_the_forums_own_with_a_code_and_a_sub_code(
    editor: CodebookEditor, opened_shell: Shell
) -> None:
    book = editor.new_codebook("Transport and travel")
    assert book is not None and editor.book is not None and editor.book.id == book.id
    taxis = editor.add_code("School taxis")
    assert taxis is not None
    late = editor.add_code("Late pick-ups", under=True)
    assert late is not None
    held = get_codebook(opened_shell.context.workspace.db, book.id)
    assert [(c.label, c.parent_id) for c in held.codes] == [
        ("School taxis", None),
        ("Late pick-ups", taxis.id),
    ]
    assert not editor.form.area_checks or editor.form.areas_box.isVisibleTo(editor)


def test_a_code_in_use_is_merged_not_deleted(
    editor: CodebookEditor,
    opened_shell: Shell,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workspace = opened_shell.context.workspace
    survey = add_quotes_survey(workspace, tmp_path)
    parent = add_parent(workspace, survey)
    quote = create_quote(workspace, parent.id, "experience", codes=["incentives"]).after
    assert quote is not None
    codes = key_messages(workspace)
    editor.reload()
    editor.select_code(codes["incentives"])
    asked: list[str] = []

    def choose(_parent: object, _title: str, text: str, items: list[str], *_rest: object):
        asked.append(text)
        return next(item for item in items if item.startswith("Increased accountability")), True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    editor.delete_or_merge()
    assert "is used by 1 quote, so it cannot simply be deleted" in asked[0]
    assert get_quote(workspace.db, quote.id).references == ("accountability",)
    assert "incentives" not in key_messages(workspace)
    assert editor.message.text().startswith("Merged “Align incentives")
    assert not visible_dialogs(QApplication.instance())  # type: ignore[arg-type]


def test_an_unused_code_is_deleted(editor: CodebookEditor, opened_shell: Shell) -> None:
    book = editor.new_codebook("Scratch")
    assert book is not None
    code = editor.add_code("Not needed")
    assert code is not None
    assert editor.delete_code(code)
    assert get_codebook(opened_shell.context.workspace.db, book.id).codes == ()


def test_qdc_export_then_import_back(
    editor: CodebookEditor, opened_shell: Shell, tmp_path: Path
) -> None:
    workspace = opened_shell.context.workspace
    target = tmp_path / "key-messages.qdc"
    assert editor.export_file(target)
    assert editor.message.text().startswith("Exported “Seven key messages” (7 codes:")
    exported = read_qdc_file(target)
    assert len(list(exported.walk())) == 7
    editor.select_code(key_messages(workspace)["workforce"])
    editor.form.label_edit.setText("Staff")
    editor.save_button.click()
    result = editor.import_file(target)
    assert result is not None and not result.created and result.updated == 1
    assert editor.message.text().startswith("Imported into the codebook “Seven key messages”")
    assert get_code(workspace.db, key_messages(workspace)["workforce"]).label.startswith("Right")
    books = len(list_codebooks(workspace.db))
    other = editor.new_codebook("Our themes")
    assert other is not None and editor.add_code("Transport") is not None
    editor.export_file(tmp_path / "ours.qdc")
    assert editor.import_file(tmp_path / "ours.qdc") is not None
    assert len(list_codebooks(workspace.db)) == books + 1  # the same codebook, updated


def test_the_deny_list_tab(editor: CodebookEditor, opened_shell: Shell, tmp_path: Path) -> None:
    workspace = opened_shell.context.workspace
    survey = add_quotes_survey(workspace, tmp_path)
    parent = add_parent(workspace, survey)  # its answer names Oakwood Academy
    quote = create_quote(workspace, parent.id, "experience").after
    assert quote is not None and "Oakwood Academy" in quote.redacted_text
    deny = editor.deny
    editor.tabs.setCurrentWidget(deny)
    deny.term_edit.setText("Oakwood Academy")
    deny.kind_box.setCurrentIndex(deny.kind_box.findData("school"))
    deny.add_button.click()
    assert deny.message.text() == "Added to the deny-list. 1 quote redacted again."
    assert [deny.entries.item(n).text() for n in range(deny.entries.count())] == [
        "Oakwood Academy → [school]"
    ]
    assert "[school]" in get_quote(workspace.db, quote.id).redacted_text
    deny.remove_button.click()
    assert list_deny_terms(workspace.db) == [] and deny.entries.count() == 0
