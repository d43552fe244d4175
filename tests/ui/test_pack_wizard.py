"""The evidence pack wizard: from the Evidence pack page to an encrypted PDF holding exactly the
quotes the wizard listed; Cancel leaves no file; a quote opens in the Quotes page; the chair's
own password is checked; the packs made are listed; nothing read stays after a lock."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from forumkit import audit
from forumkit.packs import list_packs
from forumkit.quotes import create_quote, review_quote, tag_quote
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, require_tool
from tests.core.packs.helpers import (
    COPRODUCTION,
    POLISH,
    SECRET_WORD,
    UNREVIEWED,
    PackForum,
    make_pack_forum,
)
from tests.core.quotes.helpers import add_parent
from ui.app import Shell
from ui.main_window import MainWindow
from ui.pack_wizard.preview import SHOWN_PAGES
from ui.pack_wizard.wizard import PackWizard
from ui.pages.packs import PacksPage
from ui.pages.quotes import QuotesPage
from ui.requests_dialog import RequestsDialog


@pytest.fixture
def forum(tmp_path: Path) -> PackForum:
    return make_pack_forum(tmp_path)


@pytest.fixture
def main(shell: Shell, forum: PackForum, qtbot: QtBot) -> MainWindow:
    shell.opened(Workspace.open(forum.path, PASSPHRASE))
    assert shell.main is not None
    qtbot.waitExposed(shell.main)
    return shell.main


def packs_page(main: MainWindow) -> PacksPage:
    page = main.page("Evidence pack")
    assert isinstance(page, PacksPage)
    main.show_page(main.pages.index(page))
    return page


def to_review(main: MainWindow) -> PackWizard:
    wizard = packs_page(main).open_wizard()
    assert wizard is not None
    assert wizard.currentPage() is wizard.choices_page
    assert wizard.choices_page.survey_box.count() == 1
    assert len(wizard.choices_page.messages) == 7
    wizard.next()
    assert wizard.currentPage() is wizard.review_page
    return wizard


def tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require_tool(str(args[0])), *map(str, args[1:])],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_pack_holds_exactly_the_quotes_the_wizard_listed(
    main: MainWindow, forum: PackForum, qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = to_review(main)
    listed = wizard.review_page.listed()
    assert [reference for reference, _ in listed] == [f"Q{n}" for n in range(1, 9)]
    shown = " ".join(words for _, words in listed)
    assert COPRODUCTION in shown and UNREVIEWED not in shown and SECRET_WORD not in shown
    assert "8 quotes from" in wizard.review_page.counts.text()
    assert "not reviewed" in wizard.review_page.notes.text()  # why one stays out
    wizard.next()
    assert wizard.currentPage() is wizard.statement_page
    wizard.statement_page.statement.setPlainText("The forum met 40 families this year.")
    wizard.next()
    page = wizard.password_page
    assert wizard.currentPage() is page and page.generated_choice.isChecked()
    password = page.words.text()
    assert len(password.split("-")) == 5
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()  # noted first
    page.copy_button.click()
    assert QApplication.clipboard().text() == password and page.noted.isChecked()
    wizard.next()
    assert wizard.currentPage() is wizard.save_page
    pdf = tmp_path / "out" / "pack.pdf"
    pdf.parent.mkdir()
    wizard.save_page.path_edit.setText(str(pdf))
    make = wizard.button(wizard.WizardButton.NextButton)
    assert make.text() == "&Make the pack"
    make.click()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=30_000)
    assert wizard.pack is not None and wizard.pack.quotes == len(listed)
    assert pdf.name in wizard.done_page.made.text()
    assert "by phone" in wizard.done_page.how.text()
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["pack.pdf"]

    shown_encryption = tool("qpdf", f"--password={password}", "--show-encryption", pdf)
    assert "R = 6" in shown_encryption.stdout
    assert "AESv3" in shown_encryption.stdout
    text = tool("pdftotext", "-upw", password, pdf, "-").stdout
    flat = " ".join(text.split())
    for reference, words in listed:
        assert f"{reference} " in flat or f"{reference}\n" in text
        assert " ".join(words.split()) in flat
    assert UNREVIEWED not in flat and SECRET_WORD not in flat
    assert "The forum met 40 families this year." in flat
    assert tool("pdftotext", pdf, "-").returncode != 0  # nothing without the password

    wizard.button(wizard.WizardButton.FinishButton).click()
    assert not wizard.review_page.listed() and not wizard.password_page.words.text()
    table = packs_page(main).table
    assert table.rowCount() == 1
    assert table.item(0, 2).text() == "8"
    assert not packs_page(main).empty.isVisible()


def test_an_unticked_quote_stays_out_of_the_pack(
    main: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = to_review(main)
    review = wizard.review_page
    table = review.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 3).text() == POLISH)
    assert table.item(row, 0).checkState() == Qt.CheckState.Checked
    table.setFocus()
    table.setCurrentCell(row, 3)  # Space works from any cell of the row
    qtbot.keyClick(table, Qt.Key.Key_Space)
    first = table.item(row, 0)
    assert first.checkState() == Qt.CheckState.Unchecked
    assert first.text() == "left out"
    assert first.data(Qt.ItemDataRole.AccessibleTextRole) == "Left out of the pack"
    later = table.item(row + 1, 0)
    assert later.text() == f"Q{row + 1}"  # renumbered as the pack will number it
    assert later.data(Qt.ItemDataRole.AccessibleTextRole) == f"Q{row + 1}, goes in the pack"
    assert "7 quotes from" in review.counts.text() and "left 1 quote out" in review.counts.text()
    listed = review.listed()
    assert len(listed) == 7 and POLISH not in [words for _, words in listed]
    qtbot.keyClick(table, Qt.Key.Key_Space)  # Space again: back in
    assert first.checkState() == Qt.CheckState.Checked and len(review.listed()) == 8
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert review.left_out() == frozenset({str(first.data(Qt.ItemDataRole.UserRole))})

    wizard.next()
    wizard.back()  # the review is read again: the quote stays left out
    assert wizard.currentPage() is review and len(review.listed()) == 7
    wizard.next()
    wizard.next()
    password = wizard.password_page.words.text()
    wizard.password_page.noted.setChecked(True)
    wizard.next()
    pdf = tmp_path / "pack.pdf"
    wizard.save_page.path_edit.setText(str(pdf))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=30_000)
    assert wizard.pack is not None and wizard.pack.quotes == 7
    assert "7 quotes" in wizard.done_page.made.text()
    flat = " ".join(tool("pdftotext", "-upw", password, pdf, "-").stdout.split())
    assert "Zażółć" not in flat
    for reference, words in listed:
        assert f"{reference} " in flat and " ".join(words.split()) in flat
    (entry,) = audit.entries(main.context.workspace.db, "pack_created")
    assert entry.counts["left_out_by_chair"] == 1 and entry.counts["quotes"] == 7
    wizard.accept()


def test_the_save_step_previews_the_packs_pages(
    main: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = to_review(main)
    wizard.next()
    wizard.statement_page.statement.setPlainText("The forum met 40 families this year.")
    wizard.next()
    password = wizard.password_page.words.text()
    wizard.password_page.noted.setChecked(True)
    wizard.next()
    preview = wizard.save_page.preview
    assert wizard.currentPage() is wizard.save_page
    qtbot.waitUntil(lambda: bool(preview.pages), timeout=30_000)
    assert not preview.drawing and not preview.progress.isVisible()
    total = preview.total
    assert total > 1
    names = [page.accessibleName() for page in preview.pages]
    assert names == [f"Page {n} of {total}" for n in range(1, min(total, SHOWN_PAGES) + 1)]
    assert f"of {total} pages" in preview.status.text() or f"All {total}" in preview.status.text()
    cover = preview.pages[0].pixmap().toImage()
    assert cover.width() > 300 and cover.height() > cover.width()  # a portrait page
    # The cover is drawn, not blank: its title's dark text among the white.
    colours = {cover.pixel(x, y) for x in range(0, cover.width(), 4) for y in range(0, 200, 2)}
    assert len(colours) > 2
    preview.pages_area.setFocus()
    assert preview.pages_area.hasFocus()  # Tab stop: the arrow keys scroll the pages

    pdf = tmp_path / "pack.pdf"
    wizard.save_page.path_edit.setText(str(pdf))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=30_000)
    reader = PdfReader(pdf)
    assert reader.decrypt(password)
    assert len(reader.pages) == total
    assert not preview.pages  # the save step was left: the pages are dropped
    wizard.accept()


def test_closing_the_wizard_drops_the_preview(main: MainWindow, qtbot: QtBot) -> None:
    wizard = to_review(main)
    wizard.next()
    wizard.next()
    wizard.password_page.noted.setChecked(True)
    wizard.next()
    preview = wizard.save_page.preview
    qtbot.waitUntil(lambda: bool(preview.pages), timeout=30_000)
    main.lock()
    assert not wizard.isVisible() and not preview.pages and preview.total == 0


def test_cancel_leaves_no_file(main: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    wizard = to_review(main)
    wizard.next()
    wizard.next()
    wizard.password_page.noted.setChecked(True)
    wizard.next()
    # The preview is drawn first, so that only the pack's making is left to cancel.
    qtbot.waitUntil(lambda: bool(wizard.save_page.preview.pages), timeout=30_000)
    pdf = tmp_path / "cancelled.pdf"
    wizard.save_page.path_edit.setText(str(pdf))
    wizard.next()  # Make the pack
    assert wizard.save_page.busy
    busy = next(d for d in wizard.findChildren(QProgressDialog))
    cancel = next(b for b in busy.findChildren(QPushButton) if b.text() == "Cancel")
    cancel.click()
    qtbot.waitUntil(lambda: not wizard.save_page.busy, timeout=30_000)
    assert main.context.tasks.running == 0
    assert not pdf.exists() and list(tmp_path.glob("cancelled*")) == []
    assert wizard.currentPage() is wizard.save_page and wizard.pack is None
    assert list_packs(main.context.workspace.db) == []


def test_the_chairs_own_password_is_checked(main: MainWindow) -> None:
    wizard = to_review(main)
    wizard.next()
    wizard.next()
    page = wizard.password_page
    page.own_choice.setChecked(True)
    page.own.setText("short")
    page.repeat.setText("short")
    wizard.next()
    assert wizard.currentPage() is page and "too short" in page.problem.text()
    page.own.setText("a long enough password")
    page.repeat.setText("a different one altogether")
    wizard.next()
    assert wizard.currentPage() is page and "not the same" in page.problem.text()
    page.repeat.setText("a long enough password")
    wizard.next()
    assert wizard.currentPage() is wizard.save_page
    assert wizard.password == "a long enough password"
    wizard.reject()
    assert not page.own.text() and not page.words.text()


def test_a_listed_quote_opens_in_the_quotes_page(main: MainWindow, forum: PackForum) -> None:
    wizard = to_review(main)
    review = wizard.review_page
    review.table.selectRow(3)
    quote_id = review.chosen_quote()
    assert quote_id is not None
    review.open_button.click()
    assert not wizard.isVisible()
    page = main.page("Quotes")
    assert isinstance(page, QuotesPage)
    assert main.page_stack.currentWidget() is page
    answer = page.panel.answer
    assert answer is not None
    assert quote_id in {quote.id for quote in answer.quotes}


def test_the_wizard_forgets_the_quotes_when_the_app_locks(main: MainWindow, qtbot: QtBot) -> None:
    wizard = to_review(main)
    wizard.next()
    wizard.statement_page.statement.setPlainText("Our statement")
    wizard.next()
    assert wizard.review_page.listed() and wizard.password_page.words.text()
    main.lock()
    assert main.is_locked and not wizard.isVisible()
    assert wizard.review_page.listed() == [] and wizard.review_page.content is None
    assert not wizard.password_page.words.text()
    assert not wizard.statement_page.statement.toPlainText()
    assert packs_page(main).table.rowCount() == 0


def test_keyboard_reaches_the_wizard_from_the_menu(main: MainWindow, qtbot: QtBot) -> None:
    page = packs_page(main)
    assert page.make_action in page.page_actions()
    qtbot.keyClick(
        main, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: page.wizard is not None and page.wizard.isVisible())
    assert page.wizard is not None
    page.wizard.reject()


def test_the_erasure_dialog_names_a_pack_made_in_the_wizard(
    shell: Shell, tmp_path: Path, qtbot: QtBot
) -> None:
    forum = make_pack_forum(tmp_path)
    with Workspace.open(forum.path, PASSPHRASE) as workspace:
        parent = add_parent(workspace, forum.survey, respondent="jo@example.org")
        made = create_quote(workspace, parent.id, "experience").after
        assert made is not None
        tag_quote(workspace, made.id, ["coproduction"])
        review_quote(workspace, made.id, reviewed=True)
    shell.opened(Workspace.open(forum.path, PASSPHRASE))
    assert shell.main is not None
    wizard = to_review(shell.main)
    content = wizard.review_page.content
    assert content is not None and made.id in {quote.quote_id for quote in content.quotes}
    wizard.next()
    wizard.next()
    wizard.password_page.noted.setChecked(True)
    wizard.next()
    wizard.save_page.path_edit.setText(str(tmp_path / "pack.pdf"))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=30_000)
    wizard.accept()

    dialog = RequestsDialog(shell.context, shell.main)
    dialog.reference_edit.setText("jo@example.org")
    dialog.look_up()
    dialog.ask_to_erase()
    assert "evidence pack" in dialog.what_goes.text()
    assert "tell its recipients" in dialog.what_goes.text()
    dialog.reject()


def test_a_read_only_window_says_why_it_makes_no_pack(
    shell: Shell, forum: PackForum, qtbot: QtBot
) -> None:
    shell.opened(Workspace.open(forum.path, PASSPHRASE, read_only=True))
    assert shell.main is not None
    assert packs_page(shell.main).open_wizard() is None
    [box] = shell.context.errors.open_dialogs
    assert "read-only" in box.text()
