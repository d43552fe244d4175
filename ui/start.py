"""The start screen: recent forum files, Open…, New forum file…, Open the demo. Nothing else."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import icons, recent
from ui.context import AppContext
from ui.widgets import Heading, Paragraph

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class StartWindow(QMainWindow):
    """The first window: choose or make a forum file. The shell (``ui.app``) does the opening."""

    open_path_requested = Signal(object)  # a Path from the recent list
    open_requested = Signal()
    new_requested = Signal()
    demo_requested = Signal()

    def __init__(
        self, context: AppContext, *, demo_available: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("startWindow")
        self.setWindowTitle("forumkit")
        self.resize(760, 560)
        self.demo_button: QPushButton | None = None
        self.setCentralWidget(self._build_body(demo_available))
        self._build_file_menu(demo_available)
        self.reload()

    # -- building -----------------------------------------------------------------------------

    def _build_body(self, demo_available: bool) -> QWidget:
        """A centred column: the heading, the recent files and the buttons."""
        column = QWidget()
        column.setMaximumWidth(720)
        layout = QVBoxLayout(column)
        layout.setSpacing(16)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addWidget(Heading("forumkit", 1))
        layout.addWidget(
            Paragraph(
                "Your forum's survey answers, kept in one encrypted forum file. Open the file "
                "you use, or make a new one."
            )
        )
        self._build_recent_files(layout)
        layout.addLayout(self._build_buttons(demo_available))
        body = QWidget()
        outer = QHBoxLayout(body)
        outer.addStretch(1)
        outer.addWidget(column, 6)
        outer.addStretch(1)
        return body

    def _build_recent_files(self, layout: QVBoxLayout) -> None:
        """The list of forum files opened on this computer, or a sentence when there are none."""
        self.recent_label = QLabel("&Recent forum files")
        layout.addWidget(self.recent_label)
        self.recent_list = QListWidget()
        self.recent_list.setObjectName("recentFiles")
        self.recent_list.setAccessibleName("Recent forum files")
        self.recent_list.setWordWrap(True)
        self.recent_list.setIconSize(self.recent_list.iconSize())
        self.recent_label.setBuddy(self.recent_list)
        self.recent_list.itemActivated.connect(self._open_item)
        layout.addWidget(self.recent_list, 1)
        self.no_recent = Paragraph(
            "No forum files opened on this computer yet. Use “Open the demo” to look around "
            "with made-up answers, or “New forum file…” to start your forum's own."
        )
        layout.addWidget(self.no_recent)

    def _build_buttons(self, demo_available: bool) -> QHBoxLayout:
        """Open…, New forum file… and (when the demo ships) Open the demo."""
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.open_button = QPushButton(icons.icon("open"), "&Open…")
        self.open_button.clicked.connect(self.open_requested.emit)
        self.new_button = QPushButton(icons.icon("new"), "&New forum file…")
        self.new_button.clicked.connect(self.new_requested.emit)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.new_button)
        if demo_available:
            self.demo_button = QPushButton(icons.icon("demo"), "Open the &demo")
            self.demo_button.clicked.connect(self.demo_requested.emit)
            buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        return buttons

    def _build_file_menu(self, demo_available: bool) -> None:
        """File: the same choices as the buttons, with the standard shortcuts, and Quit."""
        file_menu = self.menuBar().addMenu("&File")
        for text, signal, key in (
            ("&New forum file…", self.new_requested, QKeySequence.StandardKey.New),
            ("&Open forum file…", self.open_requested, QKeySequence.StandardKey.Open),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(signal.emit)
            file_menu.addAction(action)
        if demo_available:
            demo_action = QAction("Open the &demo", self)
            demo_action.triggered.connect(self.demo_requested.emit)
            file_menu.addAction(demo_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    # -- showing ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the recent files from the settings."""
        self.recent_list.clear()
        icon = icons.icon("file")
        for item in recent.load(self.context.settings):
            where = f" — {item.area}" if item.area else ""
            missing = "" if item.path.exists() else " (not found: moved, renamed or on a USB stick)"
            text = (
                f"{item.name or item.path.stem}{where}\n"
                f"{item.path.name}, last opened {item.opened_text}{missing}"
            )
            row = QListWidgetItem(icon, text)
            row.setData(PATH_ROLE, str(item.path))
            row.setToolTip(str(item.path))
            row.setData(Qt.ItemDataRole.AccessibleTextRole, text.replace("\n", ", "))
            self.recent_list.addItem(row)
        has_recent = self.recent_list.count() > 0
        self.recent_list.setVisible(has_recent)
        self.recent_label.setVisible(has_recent)
        self.no_recent.setVisible(not has_recent)
        if has_recent:
            self.recent_list.setCurrentRow(0)
            self.recent_list.setFocus()
        else:
            self.open_button.setFocus()

    def _open_item(self, item: QListWidgetItem) -> None:
        self.open_path_requested.emit(Path(str(item.data(PATH_ROLE))))
