"""Accessibility: every control has a name a screen reader can speak, a question's options are
one group named by the question, headings are headings, status lines say their value, forms'
scroll areas are no Tab stop, no shortcut is ambiguous and no window has a mnemonic twice,
menus have the standard shortcuts, focus is visible, and the stylesheet's colours meet WCAG AA
contrast."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAccessible,
    QAction,
    QActionGroup,
    QColor,
    QKeySequence,
    QShortcut,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from ui.app import COLOURS, Shell, stylesheet
from ui.form import SurveyForm
from ui.form.options import OptionRadio, OptionTick, ScalePoint
from ui.import_wizard import ImportWizard
from ui.main_window import MainWindow
from ui.new_forum import NewForumWizard
from ui.opening import PassphraseDialog, RecoveryDialog
from ui.pages.analysis import AnalysisPage
from ui.pages.survey_dialogs import RemoveDialog, RenameDialog
from ui.pages.surveys import ConsentDialog, SurveyPreview, SurveysPage
from ui.requests_dialog import RequestsDialog
from ui.settings_dialog import SettingsDialog
from ui.widgets import Heading, StatusLabel

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
)


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader announces (accessible name, button text or label buddy)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def is_qt_internal(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    ancestors = []
    while parent is not None:
        ancestors.append(parent.metaObject().className())
        parent = parent.parentWidget()
    return (
        widget.objectName().startswith("qt_")
        or type(widget).__name__ in ("QTableCornerButton",)
        or isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox)
        # a combo box's pop-up list and a table's headers belong to their (named) owner
        or "QComboBoxPrivateContainer" in ancestors
        or (
            isinstance(widget, QHeaderView) and isinstance(widget.parentWidget(), QAbstractItemView)
        )
    )


def unnamed_controls(window: QWidget) -> list[str]:
    found = []
    for widget in [window, *window.findChildren(QWidget)]:
        interactive = isinstance(widget, INTERACTIVE) and not is_qt_internal(widget)
        if interactive and not spoken_name(widget):
            found.append(f"{type(widget).__name__} {widget.objectName()!r} in {window}")
    return found


def ungrouped_options(window: QWidget) -> list[str]:
    """Options (radio buttons, tick boxes, scale points of a question) not inside a group a
    screen reader announces with the question's words."""
    found = []
    buttons = [b for b in window.findChildren(QAbstractButton)]
    for button in [b for b in buttons if isinstance(b, OptionRadio | OptionTick | ScalePoint)]:
        parent = QAccessible.queryAccessibleInterface(button).parent()
        if (
            parent is None
            or parent.role() != QAccessible.Role.Grouping
            or not parent.text(QAccessible.Text.Name).strip()
        ):
            found.append(f"option {button.text()!r} in {window}")
    return found


def headings_not_announced(window: QWidget) -> list[str]:
    found = []
    for heading in [window, *window.findChildren(Heading)]:
        if not isinstance(heading, Heading) or not heading.text():
            continue
        interface = QAccessible.queryAccessibleInterface(heading)
        if (
            interface.role() != QAccessible.Role.Heading
            or interface.text(QAccessible.Text.Name) != heading.text()
        ):
            found.append(f"heading {heading.text()!r} in {window}")
    return found


def silent_status_lines(window: QWidget) -> list[str]:
    """Status lines whose value a screen reader would not say (only what they are for)."""
    found = []
    for line in window.findChildren(StatusLabel):
        words = line.text()
        if line.textFormat() != Qt.TextFormat.PlainText:
            words = QTextDocumentFragment.fromHtml(words).toPlainText()
        if words.strip() and spoken_name(line) != words.strip():
            found.append(f"status {line.purpose!r} says {spoken_name(line)!r} in {window}")
    return found


def labels_hiding_their_words(window: QWidget) -> list[str]:
    """Lines of text whose accessible name is something else (what they are for): a screen
    reader says that instead of the words on screen, as the workbench's progress did."""
    found = []
    for label in window.findChildren(QLabel):
        name = label.accessibleName()
        if not name or not label.text() or not label.isVisibleTo(window.window()):
            continue
        if label.textFormat() == Qt.TextFormat.PlainText:
            words = label.text()
        else:
            words = QTextDocumentFragment.fromHtml(label.text()).toPlainText()
        if name.strip() != words.replace("&&", "&").strip():
            found.append(f"label showing {words[:40]!r} is named {name!r} in {window}")
    return found


def scroll_areas_in_tab_order(window: QWidget) -> list[str]:
    """A form's scroll area that takes Tab: one stop that does nothing before the questions."""
    return [
        f"scroll area {area.accessibleName()!r} in {window}"
        for area in window.findChildren(QScrollArea)
        if area.focusPolicy() & Qt.FocusPolicy.TabFocus
        and isinstance(area.widget(), QWidget)
        and area.widget().findChild(SurveyForm) is not None
    ]


def _shown(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisibleTo(top) and widget.isEnabled()


def mnemonic_clashes(window: QWidget) -> list[str]:
    """Alt+letters used twice among what one window shows (Qt then cycles between them instead
    of acting), or twice within one menu."""
    top = window.window()
    owners: dict[str, list[str]] = {}

    def add(text: str, where: str) -> None:
        key = QKeySequence.mnemonic(text).toString()
        if key:
            owners.setdefault(key, []).append(f"{where} {text!r}")

    for widget in top.findChildren(QWidget):
        if (
            widget.window() is not top  # a dialog parented here is a window of its own
            or not _shown(widget, top)
            or (is_qt_internal(widget) and not isinstance(widget, QAbstractButton))
        ):
            continue
        if isinstance(widget, QAbstractButton):
            add(widget.text(), "button")
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            buddy = widget.buddy()
            if buddy is not None and _shown(buddy, top):
                add(widget.text(), "label")
        elif isinstance(widget, QGroupBox):
            add(widget.title(), "group")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                add(widget.tabText(index), "tab")
    if isinstance(top, QMainWindow):
        for action in top.menuBar().actions():
            if action.isEnabled():
                add(action.text(), "menu")
    clashes = [f"{key}: {', '.join(names)}" for key, names in owners.items() if len(names) > 1]
    if isinstance(top, QMainWindow):
        for menu_action in top.menuBar().actions():
            menu = menu_action.menu()
            if menu is None:
                continue
            keys: dict[str, list[str]] = {}
            for action in menu.actions():
                key = QKeySequence.mnemonic(action.text()).toString()
                if key:
                    keys.setdefault(key, []).append(action.text())
            clashes += [
                f"{menu_action.text()} menu, {k}: {v}" for k, v in keys.items() if len(v) > 1
            ]
    return [f"{clash} in {top}" for clash in clashes]


Scope = tuple[QWidget | None, bool]
"""Where a key works: (None, _) the whole window; (widget, False) while that widget has focus;
(widget, True) while focus is in it or inside it."""


def _scopes(context: Qt.ShortcutContext, widgets: list[QWidget], top: QWidget) -> list[Scope]:
    shown = [w for w in widgets if w is top or w.isVisibleTo(top)]
    if context in (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut):
        return [(None, True)] if shown else []
    return [(w, context == Qt.ShortcutContext.WidgetWithChildrenShortcut) for w in shown]


def _overlap(a: Scope, b: Scope) -> bool:
    """Whether one focus can reach both: Qt then calls the key ambiguous and does nothing."""
    (wa, children_a), (wb, children_b) = a, b
    if wa is None or wb is None or wa is wb:
        return True
    return (children_a and wa.isAncestorOf(wb)) or (children_b and wb.isAncestorOf(wa))


def ambiguous_shortcuts(window: QWidget) -> list[str]:
    """Keys given to two actions (or twice to one) that work at the same time in a window, as
    it shows now: Qt calls them ambiguous and does nothing, as Ctrl+Shift+Z (Redo) and Ctrl+E
    did. An action counts unless its group is switched off (another page's actions) or none of
    its widgets shows; whether it is enabled now (Undo with nothing to undo) does not matter."""
    users: dict[str, list[tuple[str, Scope]]] = {}
    problems: list[str] = []
    for action in set(window.findChildren(QAction)):
        group = action.actionGroup()
        if group is not None and not group.isEnabled():
            continue
        keys = [key.toString() for key in action.shortcuts() if not key.isEmpty()]
        if len(keys) != len(set(keys)):
            problems.append(f"{keys} twice: {action.text()!r}")
        widgets = [
            w
            for w in action.associatedObjects()
            if isinstance(w, QWidget) and not isinstance(w, QMenu)
        ]
        in_menu = any(isinstance(w, QMenu) for w in action.associatedObjects())
        scopes = _scopes(action.shortcutContext(), widgets, window)
        if in_menu and action.shortcutContext() != Qt.ShortcutContext.WidgetShortcut:
            scopes = scopes or [(None, True)]
        for key in set(keys):
            users.setdefault(key, []).extend((action.text(), scope) for scope in scopes)
    for shortcut in window.findChildren(QShortcut):
        key = shortcut.key().toString()
        parent = shortcut.parent()
        if key and shortcut.isEnabled() and isinstance(parent, QWidget):
            for scope in _scopes(shortcut.context(), [parent], window):
                users.setdefault(key, []).append(("a QShortcut", scope))
    for key, owners in users.items():
        for index, (name, scope) in enumerate(owners):
            clashing = [
                other
                for other, other_scope in owners[index + 1 :]
                if _overlap(scope, other_scope) and (other != name or other_scope != scope)
            ]
            if clashing:
                problems.append(f"{key}: {[name, *clashing]}")
    return problems


WALK_CHECKS = (
    unnamed_controls,
    ungrouped_options,
    headings_not_announced,
    silent_status_lines,
    labels_hiding_their_words,
    scroll_areas_in_tab_order,
    mnemonic_clashes,
)


def windows_of_the_app(shell: Shell, folder: Path, shared: Path) -> Iterator[QWidget]:
    """Every window and dialog the app has so far, built over a forum file with a survey."""
    yield shell.start
    workspace = Workspace.create(folder / "f.forumkit", PASSPHRASE, forum="F", area="A")
    shell.opened(workspace)
    main = shell.main
    assert main is not None
    yield main
    page = main.page("Surveys")
    assert isinstance(page, SurveysPage)
    from forumkit.surveys import import_xlsform

    survey = import_xlsform(workspace, shared / "fixtures" / "xlsform" / "or_other.xlsx").survey
    page.refresh(None)
    yield ConsentDialog(survey, main)
    yield SurveyPreview(survey, main)
    yield RenameDialog(survey, main)
    yield RemoveDialog(survey, 3, 1, main)
    yield SettingsDialog(shell.context, main)
    yield PassphraseDialog(workspace.path, main)
    yield RecoveryDialog(workspace.path, main)
    wizard = NewForumWizard(shell.context, main)
    yield wizard
    yield wizard.passphrase_page
    yield wizard.recovery_page
    yield from import_wizard_pages(shell, main, folder)
    yield from requests_dialog_states(shell, main)
    yield from responses_table_dialogs(shell, main)
    yield from quotes_workbench_states(shell, main, folder)
    yield from designer_states(shell, main)
    yield from kiosk_pages(shell, main)
    yield from merging_dialogs(shell, main, folder)
    yield from pack_wizard_pages(shell, main, folder)
    yield from analysis_states(main, folder)
    main.lock()
    yield main.lock_screen


def import_wizard_pages(shell: Shell, main: QWidget, folder: Path) -> Iterator[QWidget]:
    """The import wizard's pages, filled from a Google Forms csv with a bad row."""
    from forumkit.importers import plan_import
    from tests.core.importers.helpers import google_rows, make_survey, write_csv

    survey = make_survey(shell.context.workspace, folder)
    rows = google_rows()
    rows[1][4] = 31
    rows[0].append("Notes")  # a column no question takes
    wizard = ImportWizard(shell.context, survey.id, main)
    yield wizard.file_page
    wizard.survey = survey
    wizard.plan = plan_import(survey, write_csv(folder / "online.csv", rows))
    wizard.mapping_page.show_plan(wizard.plan)
    assert wizard.mapping_page.combos
    yield wizard.mapping_page
    wizard.check_page.show_plan(wizard.plan)
    assert wizard.check_page.problems.rowCount() == 1
    yield wizard.check_page
    wizard.check_page.set_aside.setChecked(True)
    yield wizard.check_page
    yield wizard.summary_page
    yield wizard


def requests_dialog_states(shell: Shell, main: QWidget) -> Iterator[QWidget]:
    """The data-protection dialog, with something found and the erase confirmation open."""
    from forumkit.responses import add_response
    from forumkit.surveys import get_survey, list_surveys

    workspace = shell.context.workspace
    survey = get_survey(workspace.db, list_surveys(workspace.db)[0].id)
    add_response(workspace, survey, {}, status="draft", respondent="someone@example.org")
    dialog = RequestsDialog(shell.context, main)
    dialog.reference_edit.setText("someone@example.org")
    dialog.look_up()
    dialog.ask_to_erase()
    assert dialog.confirm_box.isVisibleTo(dialog)
    yield dialog


def responses_table_dialogs(shell: Shell, main: MainWindow) -> Iterator[QWidget]:
    """The responses table with rows, one response open, the export and the columns dialogs."""
    from forumkit.responses import add_response
    from forumkit.surveys import get_survey, list_surveys
    from ui.models.responses_table import all_columns
    from ui.pages.response_dialogs import ExportDialog, ResponseDialog
    from ui.pages.responses import ResponsesPage
    from ui.pages.responses_browse import ColumnsDialog

    workspace = shell.context.workspace
    survey = get_survey(workspace.db, list_surveys(workspace.db)[0].id)
    response = add_response(workspace, survey, {}, status="draft")
    page = main.page("Responses")
    assert isinstance(page, ResponsesPage)
    main.show_page(main.pages.index(page))
    page.tabs.setCurrentWidget(page.browse)
    page.survey_box.setCurrentIndex(page.survey_box.findData(survey.id))
    assert page.browse.model.rowCount() > 0
    yield page
    page.tabs.setCurrentWidget(page.entry_tab)
    assert page.form is not None
    yield page
    yield ResponseDialog(shell.context, response, main)
    yield ExportDialog(survey, page.browse.export_counts(), main)
    yield ColumnsDialog(all_columns(survey), [], main)


def quotes_workbench_states(shell: Shell, main: MainWindow, folder: Path) -> Iterator[QWidget]:
    """The Quotes page with an answer quoted and tagged (its redaction review open), and the
    codebook editor on each of its tabs."""
    from tests.core.quotes.helpers import add_parent, add_quotes_survey
    from ui.codebook_editor import CodebookEditor
    from ui.pages.quotes import QuotesPage

    workspace = shell.context.workspace
    survey = add_quotes_survey(workspace, folder)
    shell.context.change(lambda: add_parent(workspace, survey))
    page = main.page("Quotes")
    assert isinstance(page, QuotesPage)
    main.show_page(main.pages.index(page))
    page.filters.survey_box.setCurrentIndex(page.filters.survey_box.findData(survey.id))
    page._survey_chosen(survey.id)
    assert page.model.rowCount() == 2
    page.panel.select_whole()
    page.press_code(next(iter(page.tags.buttons)))
    assert page.panel.current is not None and page.panel.review.redacted.isEnabled()
    assert page.tags.buttons and page.tags.suggestions.count()
    yield page
    editor = CodebookEditor(shell.context, main)
    yield editor
    editor.tabs.setCurrentWidget(editor.deny)
    yield editor


def designer_states(shell: Shell, main: MainWindow) -> Iterator[QWidget]:
    """The new-survey dialog, and the designer on the template with each kind of question and
    a section chosen in turn (the editor shows different fields for each)."""
    from forumkit.surveys import QUESTION_KINDS, blank_survey
    from ui.designer import NewSurveyDialog, SurveyDesigner

    yield NewSurveyDialog(shell.context, main)
    designer = SurveyDesigner(shell.context, blank_survey("Every kind"), main)
    designer.show()
    designer.add_section()
    for kind in QUESTION_KINDS:
        designer.add_question(kind.key)
        yield designer
    designer.preview.redraw()
    designer.preview.setCurrentIndex(1)
    yield designer
    designer.last_dialog = None
    designer._leaving = True
    yield designer.ask_to_discard()
    designer.close()


def kiosk_pages(shell: Shell, main: MainWindow) -> Iterator[QWidget]:
    """Kiosk mode: its welcome page, a page of questions, the passphrase page."""
    from forumkit.surveys import get_survey, list_surveys
    from ui.kiosk import KioskWindow

    workspace = shell.context.workspace
    survey = get_survey(workspace.db, list_surveys(workspace.db)[0].id)
    kiosk = KioskWindow(shell.context, survey)
    kiosk.show_welcome()
    yield kiosk
    kiosk.start_respondent()
    yield kiosk
    kiosk.ask_passphrase()
    yield kiosk
    kiosk._leaving = True


def merging_dialogs(shell: Shell, main: MainWindow, folder: Path) -> Iterator[QWidget]:
    """File → Make a volunteer copy… (both steps), Merge a volunteer's file… with its summary,
    the summary after merging the newer file in, and the conflicts view with a conflict."""
    from forumkit.merge import decrypt_copy
    from tests.core.merge.helpers import VOLUNTEER_PASSPHRASE
    from tests.ui.merging_helpers import two_laptops
    from ui.merging.summary import MergeSummaryDialog
    from ui.operations.merging import merge_copy

    (folder / "laptops").mkdir()
    laptops = two_laptops(folder / "laptops")
    yield main.merging.open_volunteer_copy()
    copy = main.merging.open_volunteer_copy()
    copy.passphrase.setText("event laptop words")
    copy.repeat.setText("event laptop words")
    copy.path_edit.setText(str(folder / "event laptop.forumkit"))
    copy.make()
    deadline = time.monotonic() + 60
    while copy.steps.currentIndex() != 1 and time.monotonic() < deadline:
        shell.context.tasks.wait(100)
        QApplication.processEvents()
    assert copy.steps.currentIndex() == 1
    yield copy
    yield main.merging.open_merge()
    dialog = main.merging.open_merge()
    for path in (laptops.first, laptops.second):
        op = merge_copy(
            shell.context, main, decrypt_copy(path, VOLUNTEER_PASSPHRASE), other_forum=True
        )
        assert op.run()
        dialog._show_result(op.result)
    assert dialog.summary.review_button.isVisible()
    yield dialog
    yield MergeSummaryDialog(op.result, main)
    conflicts = main.merging.open_conflicts()
    assert conflicts.table.rowCount() > 0
    yield conflicts


def analysis_states(main: MainWindow, folder: Path) -> Iterator[QWidget]:
    """The Analysis page with its charts, as published and with every figure."""

    page = main.page("Analysis")
    assert isinstance(page, AnalysisPage)
    main.show_page(main.pages.index(page))
    page.recompute()
    assert page.cards
    yield page
    dialog = page.export_dialog()
    assert dialog is not None
    yield dialog
    page.everything.setChecked(True)
    yield page
    forum_only = page.export_dialog()
    assert forum_only is not None
    yield forum_only
    page.everything.setChecked(False)
    yield from analysis_year_on_year(page, folder)


def analysis_year_on_year(page: AnalysisPage, folder: Path) -> Iterator[QWidget]:
    """The Analysis page with a date range, then this year's survey against last year's."""
    from PySide6.QtCore import QDate

    from forumkit.surveys import import_xlsform, set_previous_edition
    from tests.core.analysis.helpers import family_survey, survey_form

    page.from_date.setDate(QDate(2026, 3, 1))
    page.to_date.setDate(QDate(2026, 3, 31))
    yield page
    (folder / "editions").mkdir()
    workspace = page.context.workspace
    last_year = import_xlsform(workspace, survey_form(folder / "editions", "family_2025"))
    this_year = family_survey(workspace, folder / "editions")
    set_previous_edition(workspace, this_year.id, last_year.survey.form_id)
    page.refresh(None)
    page.survey_box.setCurrentIndex(page.survey_box.findData(this_year.id))
    page.edition_box.setCurrentIndex(page.edition_box.findData(last_year.survey.id))
    page.recompute()
    assert page.comparison is not None and page.cards
    yield page


def pack_wizard_pages(shell: Shell, main: MainWindow, folder: Path) -> Iterator[QWidget]:
    """The Evidence pack page and every step of its wizard, over a forum with quotes (opened
    in place of the walk's file), the last after a pack was made."""
    from tests.core.packs.helpers import make_pack_forum
    from ui.pages.packs import PacksPage

    (folder / "packs").mkdir()
    forum = make_pack_forum(folder / "packs")
    shell.opened(Workspace.open(forum.path, PASSPHRASE))
    page = main.page("Evidence pack")
    assert isinstance(page, PacksPage)
    main.show_page(main.pages.index(page))
    yield page
    wizard = page.open_wizard()
    assert wizard is not None
    yield wizard.choices_page
    wizard.next()
    assert wizard.review_page.listed()
    yield wizard.review_page
    wizard.next()
    yield wizard.statement_page
    wizard.next()
    yield wizard.password_page
    wizard.password_page.own_choice.setChecked(True)
    yield wizard.password_page
    wizard.password_page.generated_choice.setChecked(True)
    wizard.password_page.noted.setChecked(True)
    wizard.next()
    yield wizard.save_page
    deadline = time.monotonic() + 60
    while not wizard.save_page.preview.pages and time.monotonic() < deadline:
        shell.context.tasks.wait(100)
        QApplication.processEvents()
    assert wizard.save_page.preview.pages
    yield wizard.save_page  # with the preview's pages drawn
    wizard.save_page.path_edit.setText(str(folder / "packs" / "pack.pdf"))
    wizard.next()
    deadline = time.monotonic() + 60
    while wizard.currentPage() is not wizard.done_page and time.monotonic() < deadline:
        shell.context.tasks.wait(100)
        QApplication.processEvents()
    assert wizard.currentPage() is wizard.done_page
    yield wizard
    page.refresh(None)
    assert page.table.rowCount() == 1
    yield page


def test_the_screen_reader_walk(
    shell: Shell, qtbot: QtBot, tmp_path: Path, shared_dir: Path
) -> None:
    """Every window and state: named controls, grouped options, announced headings, status
    lines that say their value, no scroll area as a Tab stop, no mnemonic twice (issue 13)."""
    problems: list[str] = []
    for window in windows_of_the_app(shell, tmp_path, shared_dir):
        for check in WALK_CHECKS:
            problems += check(window)
        if window.isWindow() and window not in (shell.start, shell.main):
            window.close()
            window.deleteLater()
    assert not problems, "\n".join(problems)


def test_the_quotes_workbench_follows_the_text_size(opened_shell: Shell) -> None:
    from ui.pages.quotes import QuotesPage

    main = opened_shell.main
    assert main is not None
    page = main.page("Quotes")
    assert isinstance(page, QuotesPage)
    before = page.panel.view.font().pointSizeF()
    assert before > QApplication.font().pointSizeF()  # the answer reads larger than the rest
    main.text_size_requested.emit(1)
    QApplication.processEvents()
    assert page.panel.view.font().pointSizeF() > before
    main.text_size_requested.emit(0)


def test_no_shortcut_is_ambiguous(opened_shell: Shell, qapp: QApplication) -> None:
    """Issue 13: Ctrl+Shift+Z (Redo) was set twice and Ctrl+E was two actions' key."""
    from forumkit.paths import resource_path
    from forumkit.surveys import import_xlsform

    context = opened_shell.context
    context.change(
        lambda: import_xlsform(context.workspace, resource_path("demo", "parent-survey-2026.xlsx"))
    )
    main = opened_shell.main
    assert isinstance(main, MainWindow)
    problems = ambiguous_shortcuts(opened_shell.start)
    for row, page in enumerate(main.pages):
        main.show_page(row)
        for tab in page.findChildren(QTabWidget):
            for index in range(tab.count()):
                tab.setCurrentIndex(index)
                problems += [f"{problem} ({page.title})" for problem in ambiguous_shortcuts(main)]
        problems += [f"{problem} ({page.title})" for problem in ambiguous_shortcuts(main)]
    assert not problems, "\n".join(problems)


def test_menus_have_standard_shortcuts(opened_shell: Shell) -> None:
    main = opened_shell.main
    assert isinstance(main, MainWindow)
    shortcuts = {action.shortcut() for action in main.findChildren(type(main.new_action))}
    for key in (
        QKeySequence.StandardKey.New,
        QKeySequence.StandardKey.Open,
        QKeySequence.StandardKey.Quit,
    ):
        assert QKeySequence(key) in shortcuts
    for window in (main, opened_shell.start):
        assert isinstance(window, QMainWindow)
        titles = [a.text() for a in window.menuBar().actions()]
        assert titles and all("&" in t for t in titles)  # Alt+letter opens each menu


def test_page_actions_are_in_the_menus(opened_shell: Shell) -> None:
    main = opened_shell.main
    assert main is not None
    page = main.page("Surveys")
    assert isinstance(page, SurveysPage)
    in_menus = {a for m in main.menuBar().actions() if m.menu() for a in m.menu().actions()}
    assert set(page.page_actions()) <= in_menus


def test_focus_is_visible_in_the_stylesheet() -> None:
    for dark in (False, True):
        sheet = stylesheet(dark)
        assert ":focus" in sheet and "@" not in sheet.split("*/", 1)[1]


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Fusion's light palette (window, base) and a typical dark one (Fusion/Windows dark mode).
BACKGROUNDS = {False: ("#efefef", "#ffffff"), True: ("#353535", "#2a2a2a")}
# WCAG AA: 4.5:1 for text, 3:1 for focus indicators and other non-text parts.
REQUIRED = {"focus": 3.0, "error": 4.5, "hint": 4.5}


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("name", sorted(COLOURS))
def test_stylesheet_colours_meet_wcag_aa(name: str, dark: bool) -> None:
    colour = QColor(COLOURS[name][1 if dark else 0])
    for background in BACKGROUNDS[dark]:
        ratio = contrast(colour, QColor(background))
        assert ratio >= REQUIRED[name], f"{name} on {background}: {ratio:.2f}"


def test_light_palette_matches_the_checked_backgrounds(qapp: QApplication) -> None:
    palette = qapp.palette()
    window = palette.color(palette.ColorRole.Window)
    if window.lightness() >= 128:
        for role in (palette.ColorRole.Window, palette.ColorRole.Base):
            for name in ("error", "hint"):
                ratio = contrast(QColor(COLOURS[name][0]), palette.color(role))
                assert ratio >= 4.5


def test_the_shortcut_check_knows_when_keys_meet(qtbot: QtBot) -> None:
    """The check above fails on a key two actions share in one window or one action has twice,
    and not on keys that work only in two different widgets, or on another page's actions."""
    window = QMainWindow()
    qtbot.addWidget(window)
    left, right = QLineEdit(), QLineEdit()
    holder = QWidget()
    holder_layout = QVBoxLayout(holder)
    holder_layout.addWidget(left)
    holder_layout.addWidget(right)
    window.setCentralWidget(holder)

    def action(text: str, keys: list[str], on: QWidget, context: Qt.ShortcutContext) -> QAction:
        made = QAction(text, window)
        made.setShortcuts([QKeySequence(key) for key in keys])
        made.setShortcutContext(context)
        on.addAction(made)
        return made

    widget_only = Qt.ShortcutContext.WidgetShortcut
    action("Delete left", ["Del"], left, widget_only)
    action("Delete right", ["Del"], right, widget_only)
    assert ambiguous_shortcuts(window) == []
    action("Enter responses", ["Ctrl+E"], window, Qt.ShortcutContext.WindowShortcut)
    export = action("Export", ["Ctrl+E"], holder, Qt.ShortcutContext.WidgetWithChildrenShortcut)
    assert [p for p in ambiguous_shortcuts(window) if p.startswith("Ctrl+E")]
    group = QActionGroup(window)
    group.addAction(export)
    group.setEnabled(False)  # another page's action
    assert ambiguous_shortcuts(window) == []
    action("Redo", ["Ctrl+Shift+Z", "Ctrl+Shift+Z"], window, Qt.ShortcutContext.WindowShortcut)
    assert [p for p in ambiguous_shortcuts(window) if "twice" in p]
