"""The Evidence pack page: make a pack (the wizard, ``ui.pack_wizard``) and the packs made so
far, from the audit log (when, which survey, how many quotes and parents; never a password or a
file name, which the log does not keep)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forumkit.packs import PackRecord, list_packs
from forumkit.surveys import list_surveys
from forumkit.workspace import Change
from ui.context import AppContext
from ui.pack_wizard.wizard import PackWizard
from ui.widgets import Heading, Paragraph, action_button

COLUMNS = ("Made", "Survey", "Quotes", "Parents quoted", "Responses counted", "Pack")


def made_at(moment: str) -> str:
    """When a pack was made, in local time: 27 November 2026, 14:32."""
    try:
        when = dt.datetime.fromisoformat(moment).astimezone()
    except ValueError:
        return moment
    return f"{when.day} {when:%B %Y, %H:%M}"


class PacksPage(QWidget):
    """Make an evidence pack; the packs made from this file."""

    title = "Evidence pack"
    nav_icon = "export"

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.wizard: PackWizard | None = None
        self.make_action = QAction("&Make an evidence pack…", self)
        self.make_action.setShortcut("Ctrl+Shift+P")
        self.make_action.triggered.connect(self.open_wizard)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(Heading(self.title, 1))
        layout.addWidget(self._build_intro())
        button = action_button(self.make_action)
        button.setDefault(True)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(Heading("Packs made from this forum file", 2))
        layout.addWidget(self._build_table(), 1)
        self.empty = QLabel("No pack has been made from this forum file yet.")
        layout.addWidget(self.empty)

    def _build_intro(self) -> QWidget:
        return Paragraph(
            "An evidence pack is one PDF for the inspection team of a local area SEND "
            "inspection: parents' quotes by key message, how the survey was run, and the "
            "forum's statement, encrypted under a password you give them by phone. Send it to "
            "the inspectors directly, not through the local authority's portal."
        )

    def _build_table(self) -> QTableWidget:
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Packs made")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        return self.table

    def page_actions(self) -> list[QAction]:
        return [self.make_action]

    def refresh(self, change: Change | None) -> None:
        if not self.context.has_workspace:
            return
        if change is None or change.touches("audit", "surveys"):
            self.reload()

    def reload(self) -> None:
        db = self.context.workspace.db
        titles = {survey.id: survey.title for survey in list_surveys(db)}
        packs = list(reversed(list_packs(db)))
        self.table.setRowCount(len(packs))
        for row, pack in enumerate(packs):
            self._fill(row, pack, titles)
        self.empty.setVisible(not packs)
        self.make_action.setEnabled(bool(titles))

    def _fill(self, row: int, pack: PackRecord, titles: dict[str, str]) -> None:
        survey = ", ".join(titles.get(s, "a survey since removed") for s in pack.survey_ids)
        cells = (
            made_at(pack.created),
            survey,
            f"{pack.quotes:,}",
            f"{pack.responses:,}",
            f"{pack.counted:,}",
            pack.pack_id.split("-")[0],
        )
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column in (2, 3, 4):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)

    def open_wizard(self) -> PackWizard | None:
        """The wizard, over this window; None in a read-only window (a pack is recorded in
        the file's audit log, so the file must take changes)."""
        if self.context.workspace.read_only:
            self.context.errors.show_message(
                "Read-only",
                "This window opened the forum file read-only, and every pack is recorded in "
                "the file. Close the other forumkit that has it open, then open it again here.",
                self,
            )
            return None
        wizard = PackWizard(self.context, self.window())
        wizard.show_quote_requested.connect(self._show_quote)
        wizard.finished.connect(wizard.deleteLater)
        self.wizard = wizard
        wizard.open()
        return wizard

    def _show_quote(self, quote_id: str) -> None:
        from ui.main_window import MainWindow  # the page lives in it; imported late (cycle)
        from ui.pages.quotes import QuotesPage

        window = self.window()
        if not isinstance(window, MainWindow):
            return
        page = window.page("Quotes")
        if isinstance(page, QuotesPage):
            window.show_page(window.pages.index(page))
            page.show_quote(quote_id)

    def before_lock(self) -> None:
        """The survey titles shown are the forum's data: none stays on screen."""
        self.table.setRowCount(0)
