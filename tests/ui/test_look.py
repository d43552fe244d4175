"""What a volunteer sees: a drop-down's highlighted item readable, the chosen score unmistakable,
text size reaching every open window, and nothing cut off at 130 % and 150 % on a 1366-pixel
screen (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QStyle,
    QStyleOptionButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from forumkit.paths import resource_path
from forumkit.surveys import import_xlsform
from tests.conftest import PASSPHRASE
from ui.app import Shell, apply_text_scale
from ui.form.options import OptionRadio, ScalePoint
from ui.main_window import MainWindow
from ui.models.responses_table import all_columns
from ui.pages.response_dialogs import ColumnsDialog
from ui.pages.responses import ResponsesPage
from ui.widgets import WINDOW_FRAME_ALLOWANCE

SCREEN_WIDTH = 1366
WINDOW_FRAME = 16
SCREEN_HEIGHT = 768
TITLE_AND_TASKBAR = 70
"""A window manager's title bar and a taskbar (Windows' is 40 pixels) take this much."""
"""What a window manager's frame takes of the screen's width (two borders)."""


def _colours(image: QImage) -> list[QColor]:
    return [
        image.pixelColor(x, y)
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    ]


def _share(image: QImage, colour: QColor, tolerance: int = 24) -> float:
    found = _colours(image)

    def near(c: QColor) -> bool:
        return (
            abs(c.red() - colour.red())
            + abs(c.green() - colour.green())
            + abs(c.blue() - colour.blue())
            <= tolerance
        )

    return sum(near(c) for c in found) / len(found)


def test_the_highlighted_item_of_a_drop_down_is_readable(qapp: QApplication, qtbot: QtBot) -> None:
    """Issue 13: the item under the keyboard or mouse was white text on white."""
    holder = QWidget()
    qtbot.addWidget(holder)
    combo = QComboBox(holder)
    combo.addItems(["Primary school", "Secondary school", "College"])
    holder.show()
    combo.showPopup()
    view = combo.view()
    view.setCurrentIndex(combo.model().index(1, 0))
    qtbot.wait(20)
    rect = view.visualRect(combo.model().index(1, 0))
    image = view.viewport().grab(rect).toImage()
    palette = view.palette()
    assert _share(image, palette.color(QPalette.ColorRole.Highlight)) > 0.35  # was white
    assert _share(image, palette.color(QPalette.ColorRole.HighlightedText), 90) > 0.01  # words
    combo.hidePopup()


def test_the_chosen_score_is_filled_and_bold(qapp: QApplication, qtbot: QtBot) -> None:
    """Issue 13: the checked 0–10 button looked like the others."""
    row = QWidget()
    qtbot.addWidget(row)
    layout = QHBoxLayout(row)
    group = QButtonGroup(row)
    points = [ScalePoint(str(n)) for n in range(11)]
    for point in points:
        group.addButton(point)
        layout.addWidget(point)
    points[7].setChecked(True)
    row.show()
    qtbot.waitExposed(row)
    highlight = row.palette().color(QPalette.ColorRole.Highlight)
    chosen, other = points[7].grab().toImage(), points[6].grab().toImage()
    assert _share(chosen, highlight) > 0.5  # filled
    assert _share(other, highlight) < 0.05
    bold = points[7].sizeHint().width() >= points[6].sizeHint().width()
    assert bold and points[7]._bold().bold()


def test_a_new_text_size_reaches_the_windows_already_open(
    opened_shell: Shell, qapp: QApplication
) -> None:
    """Issue 13: Ctrl++ changed only windows opened afterwards; tick boxes and icons did not
    grow."""
    main = opened_shell.main
    assert main is not None
    button = main.findChild(QAbstractButton)
    assert button is not None
    start_button = opened_shell.start.open_button
    before = (button.font().pointSizeF(), start_button.font().pointSizeF())
    radio = OptionRadio(main)
    option = QStyleOptionButton()
    indicator = QStyle.PixelMetric.PM_ExclusiveIndicatorWidth
    small = radio.style().pixelMetric(indicator, option, radio)
    small_icon = start_button.iconSize().width()
    opened_shell.change_text_size(1)
    opened_shell.change_text_size(1)
    after = (button.font().pointSizeF(), start_button.font().pointSizeF())
    assert after[0] > before[0] and after[1] > before[1]
    assert radio.style().pixelMetric(indicator, option, radio) > small
    assert start_button.iconSize().width() > small_icon


def _cut_off(window: QWidget) -> list[str]:
    """Buttons squeezed below their size or reaching past the window's right edge."""
    found = []
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or button.objectName().startswith("qt_"):
            continue
        right = button.mapTo(window, button.rect().topRight()).x()
        if button.width() < button.minimumSizeHint().width() or right > window.width():
            found.append(f"{button.text() or button.accessibleName()!r} ({button.width()} px)")
    return found


@pytest.mark.parametrize("scale", [130, 150])
def test_the_main_window_fits_a_1366_pixel_screen(
    opened_shell: Shell, qapp: QApplication, scale: int, tmp_path: Path
) -> None:
    """Issue 13: at 150 % the main window was wider than a 1366-pixel screen (the Quotes page's
    filter bar too, with an answer quoted and tagged), and taller than a 768-pixel one."""
    from tests.core.quotes.helpers import add_parent, add_quotes_survey
    from ui.pages.quotes import QuotesPage

    context = opened_shell.context
    context.change(
        lambda: import_xlsform(context.workspace, resource_path("demo", "parent-survey-2026.xlsx"))
    )
    workspace = context.workspace
    quoted = add_quotes_survey(workspace, tmp_path)
    context.change(lambda: add_parent(workspace, quoted))
    main = opened_shell.main
    assert isinstance(main, MainWindow)
    quotes = main.page("Quotes")
    assert isinstance(quotes, QuotesPage)
    main.show_page(main.pages.index(quotes))
    quotes.filters.survey_box.setCurrentIndex(quotes.filters.survey_box.findData(quoted.id))
    quotes._survey_chosen(quoted.id)
    quotes.panel.select_whole()
    quotes.press_code(next(iter(quotes.tags.buttons)))
    apply_text_scale(qapp, scale)
    main.resize(SCREEN_WIDTH - WINDOW_FRAME, 740)
    responses = main.page("Responses")
    assert isinstance(responses, ResponsesPage)
    for row, page in enumerate(main.pages):
        main.show_page(row)
        for tab in (responses.entry_tab, responses.browse) if page is responses else (None,):
            if tab is not None:
                responses.tabs.setCurrentWidget(tab)
            qapp.processEvents()
            assert main.minimumSizeHint().width() <= SCREEN_WIDTH - WINDOW_FRAME
            assert main.width() <= SCREEN_WIDTH - WINDOW_FRAME
            # Nor taller: the status bar (whether it is saved) went below the screen's edge.
            assert main.minimumSizeHint().height() <= SCREEN_HEIGHT - TITLE_AND_TASKBAR, page
            assert not _cut_off(main), _cut_off(main)


@pytest.mark.parametrize("scale", [130, 150])
def test_the_lock_screen_and_the_columns_dialog_cut_nothing_off(
    opened_shell: Shell, qapp: QApplication, qtbot: QtBot, scale: int
) -> None:
    """Issue 13: "Use recovery key…" and the Columns dialog were cut off at 130 %."""
    context = opened_shell.context
    survey = import_xlsform(
        context.workspace, resource_path("demo", "parent-survey-2026.xlsx")
    ).survey
    apply_text_scale(qapp, scale)
    columns = ColumnsDialog(all_columns(survey), [])
    qtbot.addWidget(columns)
    columns.show()
    widest = max(columns.list.visualItemRect(columns.list.item(row)).width() for row in range(1))
    needed = max(columns.list.fontMetrics().horizontalAdvance(c.title) for c in all_columns(survey))
    assert columns.list.viewport().width() >= needed or widest >= needed
    main = opened_shell.main
    assert isinstance(main, MainWindow)
    main.resize(SCREEN_WIDTH - WINDOW_FRAME, 740)
    main.lock()
    qapp.processEvents()
    assert not _cut_off(main.lock_screen)
    recovery = main.lock_screen.recovery_button
    assert recovery.width() >= recovery.sizeHint().width()
    qtbot.keyClicks(main.lock_screen.passphrase, PASSPHRASE)
    main.lock_screen.unlock()
    qtbot.waitUntil(lambda: not main.is_locked, timeout=10_000)


def test_dates_in_the_table_fit_their_column_at_150(
    opened_shell: Shell, qapp: QApplication, tmp_path: Path
) -> None:
    context = opened_shell.context
    context.change(
        lambda: import_xlsform(context.workspace, resource_path("demo", "parent-survey-2026.xlsx"))
    )
    apply_text_scale(qapp, 150)
    main = opened_shell.main
    assert isinstance(main, MainWindow)
    page = main.page("Responses")
    assert isinstance(page, ResponsesPage)
    main.show_page(main.pages.index(page))
    page.tabs.setCurrentWidget(page.browse)
    qapp.processEvents()
    view = page.browse
    started = [c.key for c in view.model.columns].index("started")
    width = view.table.horizontalHeader().sectionSize(started)
    assert width >= view.table.fontMetrics().horizontalAdvance("2026-12-31 23:59") + 8


def _overlapping(parent: QWidget) -> list[str]:
    """Shown siblings drawn over each other, anywhere under ``parent``."""
    found = []
    for widget in [parent, *parent.findChildren(QWidget)]:
        shown = [
            child
            for child in widget.children()
            if isinstance(child, QWidget) and child.isVisibleTo(parent) and not child.isWindow()
        ]
        for index, child in enumerate(shown):
            for other in shown[index + 1 :]:
                if child.geometry().intersects(other.geometry()):
                    found.append(
                        f"{child.accessibleName() or child} / {other.accessibleName() or other}"
                    )
    return found


@pytest.mark.parametrize("scale", [100, 150])
def test_the_answer_being_tagged_reads_at_1366_by_768(
    opened_shell: Shell, qapp: QApplication, scale: int, tmp_path: Path
) -> None:
    """Issue 13 at the Quotes page: on a laptop screen the answer showed one line and its
    heading, buttons and the redaction review were drawn over each other."""
    from tests.core.quotes.helpers import add_parent, add_quotes_survey
    from ui.pages.quotes import QuotesPage

    context = opened_shell.context
    workspace = context.workspace
    quoted = add_quotes_survey(workspace, tmp_path)
    context.change(lambda: add_parent(workspace, quoted))
    main = opened_shell.main
    assert isinstance(main, MainWindow)
    quotes = main.page("Quotes")
    assert isinstance(quotes, QuotesPage)
    main.show_page(main.pages.index(quotes))
    quotes.filters.survey_box.setCurrentIndex(quotes.filters.survey_box.findData(quoted.id))
    quotes._survey_chosen(quoted.id)
    apply_text_scale(qapp, scale)
    main.resize(1100, SCREEN_HEIGHT - TITLE_AND_TASKBAR)
    main.show()
    qapp.processEvents()
    view = quotes.panel.view
    assert view.height() >= 4 * view.fontMetrics().lineSpacing()
    assert not _overlapping(quotes.panel), _overlapping(quotes.panel)
    main.hide()


def test_the_main_window_opens_within_the_screen(opened_shell: Shell) -> None:
    """Issue 13, by hand at 1366 × 768: the main window opened 720 pixels high below a window
    manager's chosen top, its status bar beyond the screen's edge (the tests' screen is
    800 × 800: no larger than it, unless the window cannot be smaller)."""
    main = opened_shell.main
    assert isinstance(main, MainWindow)
    screen = main.screen()
    assert screen is not None
    area = screen.availableGeometry()
    allowance = WINDOW_FRAME_ALLOWANCE
    least = main.minimumSizeHint()
    assert main.width() <= max(least.width(), area.width() - allowance.width())
    assert main.height() <= max(least.height(), area.height() - allowance.height())
    assert main.x() >= area.left() and main.y() >= area.top()
