"""The main window: navigation on the left, the chosen page on the right, "saved" status below.

When the app locks itself after idle time, the pages are replaced by an unlock screen and the
forum file is closed (its key dropped) until the passphrase is given again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from forumkit.demo import DEMO_PACK_PASSWORD
from forumkit.errors import FileChangedOnDisk
from forumkit.workspace import Change, Workspace
from ui import icons
from ui.context import DEFAULT_IDLE_LOCK_MINUTES, IDLE_LOCK_MINUTES, AppContext
from ui.lock import LOCKED_BY_YOU, IdleWatcher, LockScreen
from ui.merging.actions import MergeActions
from ui.pages import PageFactory, before_lock, nav_icon, page_actions, page_place, return_to
from ui.restart import encode_geometry, scrub_in_place
from ui.saving import SaveProblemBox, offer_choices, settle_before_leaving, status_text
from ui.widgets import StatusLabel

LOCK_TOUCH_MS = 10 * 60_000


def default_pages() -> list[PageFactory]:
    """The pages the app has, in navigation order (later issues add Quotes, Analysis, …).

    Imported here, not by name at run time, so that PyInstaller sees and bundles every page.
    """
    from ui.pages.analysis import AnalysisPage
    from ui.pages.packs import PacksPage
    from ui.pages.quotes import QuotesPage
    from ui.pages.responses import ResponsesPage
    from ui.pages.surveys import SurveysPage

    return [SurveysPage, ResponsesPage, QuotesPage, AnalysisPage, PacksPage]


class MainWindow(QMainWindow):
    """One open forum file. Built by the shell (``ui.app``) with the app's context."""

    new_requested = Signal()
    open_requested = Signal()
    close_requested = Signal()
    settings_requested = Signal()
    text_size_requested = Signal(int)  # +1 larger, -1 smaller, 0 back to normal

    def __init__(
        self,
        context: AppContext,
        pages: list[PageFactory] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("mainWindow")
        self.resize(1100, 720)
        self._return_to = ("", "")
        """The page, and where on it, to come back to after unlocking (see ``show_locked``)."""

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Pages")
        self.page_stack = QStackedWidget()
        self.page_stack.setAccessibleName("Page")

        self.pages: list[QWidget] = []
        for factory in pages if pages is not None else default_pages():
            page = factory(context)
            self.pages.append(page)
            self.page_stack.addWidget(page)
            title = str(getattr(page, "title", "Page"))
            item = QListWidgetItem(icons.icon(nav_icon(page)), title)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
            self.navigation.addItem(item)
        self._fit_navigation()

        work_area = QWidget()
        layout = QHBoxLayout(work_area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.page_stack, 1)

        self.lock_screen = LockScreen(context, self)
        self.screens = QStackedWidget()
        self.screens.addWidget(work_area)
        self.screens.addWidget(self.lock_screen)
        self.setCentralWidget(self.screens)

        # The demo's passphrase and pack password stay on screen while the demo is open.
        self.demo_note = StatusLabel("Demo forum passwords")
        self.demo_note.setObjectName("demoNote")
        self.demo_note.setWordWrap(False)
        self.demo_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_note.hide()
        self.statusBar().addPermanentWidget(self.demo_note)
        self.save_status = StatusLabel("Save status")
        self.save_status.setObjectName("saveStatus")
        self.save_status.setWordWrap(False)
        self.statusBar().addPermanentWidget(self.save_status)
        self.statusBar().setSizeGripEnabled(False)

        self._page_menus: list[QMenu] = []
        self._build_menus()
        self.navigation.currentRowChanged.connect(self._show_page)
        if self.pages:
            self.navigation.setCurrentRow(0)

        self.idle = IdleWatcher(self.idle_lock_ms(), self)
        self.idle.idle.connect(lambda: self.lock())
        # Other computers sharing the folder count a lock untouched for an hour as stale.
        self.lock_toucher = QTimer(self, interval=LOCK_TOUCH_MS)
        self.lock_toucher.timeout.connect(self._touch_lock)

        context.saving.connect(self._on_saving)
        context.changed.connect(self._on_changed)
        context.save_state_changed.connect(self._on_save_state)
        context.workspace_opened.connect(self._on_opened)
        if context.has_workspace:
            self._on_opened(context.workspace)

    def _fit_navigation(self) -> None:
        """The navigation list as wide as its longest word and icon, at any text size."""
        metrics = self.navigation.fontMetrics()
        titles = [str(getattr(page, "title", "")) for page in self.pages]
        widest = max((metrics.horizontalAdvance(title) for title in titles), default=0)
        self.navigation.setFixedWidth(max(160, widest + 2 * metrics.height() + 64))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_navigation()
        super().changeEvent(event)

    # -- menus -------------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_action = self._action(
            "&New forum file…", self.new_requested.emit, QKeySequence.StandardKey.New
        )
        self.new_action.setIcon(icons.icon("new"))
        self.open_action = self._action(
            "&Open forum file…", self.open_requested.emit, QKeySequence.StandardKey.Open
        )
        self.open_action.setIcon(icons.icon("open"))
        self.lock_action = self._action("&Lock now", lambda: self.lock(LOCKED_BY_YOU), "Ctrl+L")
        self.lock_action.setIcon(icons.icon("lock"))
        self.close_action = self._action(
            "&Close forum file", self.close_requested.emit, QKeySequence.StandardKey.Close
        )
        self.settings_action = self._action("&Settings…", self.settings_requested.emit)
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        for action in (self.new_action, self.open_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        self.merging = MergeActions(self.context, self)
        file_menu.addActions(self.merging.actions)
        file_menu.addSeparator()
        for action in (self.lock_action, self.close_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        view_menu = bar.addMenu("&View")
        text_menu = view_menu.addMenu("&Text size")
        text_menu.addAction(
            self._action(
                "&Larger", lambda: self.text_size_requested.emit(1), QKeySequence.StandardKey.ZoomIn
            )
        )
        text_menu.addAction(
            self._action(
                "&Smaller",
                lambda: self.text_size_requested.emit(-1),
                QKeySequence.StandardKey.ZoomOut,
            )
        )
        text_menu.addAction(
            self._action("&Normal", lambda: self.text_size_requested.emit(0), "Ctrl+0")
        )
        go_menu = bar.addMenu("&Go")
        for row, page in enumerate(self.pages):
            title = str(getattr(page, "title", "Page"))
            shortcut = f"Ctrl+{row + 1}" if row < 9 else None
            go_menu.addAction(
                self._action(f"&{title}", lambda _checked=False, r=row: self.show_page(r), shortcut)
            )
        self._page_groups: list[QActionGroup] = []
        for page in self.pages:
            actions = page_actions(page)
            # A page's actions work only while it shows; the group switches them off together
            # and the page still decides each one's state (an action it enables stays off
            # until the group is on again).
            group = QActionGroup(self)
            group.setExclusionPolicy(QActionGroup.ExclusionPolicy.None_)
            for action in actions:
                group.addAction(action)
            self._page_groups.append(group)
            if not actions:
                continue
            menu = bar.addMenu("&" + str(getattr(page, "title", "Page")))
            menu.addActions(actions)
            self._page_menus.append(menu)
        self._locked_actions: list[QAction | QMenu] = [
            self.lock_action,
            self.close_action,
            *self.merging.actions,
            *self._page_menus,
        ]
        self._go_menu = go_menu

    def show_page(self, row: int) -> None:
        self.navigation.setCurrentRow(row)
        page = self.page_stack.currentWidget()
        if page is not None:
            page.setFocus()

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        self.page_stack.setCurrentIndex(row)
        for index, group in enumerate(self._page_groups):
            group.setEnabled(index == row)

    def page(self, title: str) -> QWidget:
        """The page with this title (for the shell and for tests)."""
        for page in self.pages:
            if getattr(page, "title", None) == title:
                return page
        raise KeyError(title)

    # -- the open file -----------------------------------------------------------------------

    def _show_demo_note(self) -> None:
        passphrase = self.context.demo_passphrase
        self.demo_note.setVisible(bool(passphrase))
        self.demo_note.setText(
            f"Demo forum — passphrase: {passphrase} · evidence pack password: {DEMO_PACK_PASSWORD}"
            if passphrase
            else ""
        )

    def _on_opened(self, workspace: Workspace) -> None:
        forum = workspace.forum
        suffix = " (read-only)" if workspace.read_only else ""
        self.setWindowTitle(f"{forum.name}{suffix} — forumkit")
        self._show_demo_note()
        self.screens.setCurrentIndex(0)
        self._set_locked_ui(False)
        self.merging.set_writable(not workspace.read_only)
        for page in self.pages:
            page.refresh(None)  # type: ignore[attr-defined]
        self._come_back()
        self._show_save_state()
        self.idle.set_timeout_ms(self.idle_lock_ms())
        self.idle.start()
        self.lock_toucher.start()
        for warning in workspace.warnings:
            self.context.errors.show_message("Please note", warning, self)
        workspace.warnings.clear()
        if workspace.has_unsaved_changes:
            # Opened again with changes that could not be saved before it locked: ask now.
            problem = self.context.flush()
            if problem is not None:
                offer_choices(self.context, problem, self)

    def _come_back(self) -> None:
        """After unlocking: the page the volunteer was on, where they were on it (issue 13:
        they came back to the first page, their half-typed response among the drafts)."""
        title, place = self._return_to
        self._return_to = ("", "")
        for row, page in enumerate(self.pages):
            if title and getattr(page, "title", None) == title:
                self.show_page(row)
                return_to(page, place)

    def idle_lock_ms(self) -> int:
        minutes = self.context.int_setting(IDLE_LOCK_MINUTES, DEFAULT_IDLE_LOCK_MINUTES)
        return max(1, minutes) * 60_000

    def _on_saving(self) -> None:
        self.save_status.setText("Saving…")
        # The change is committed on this thread right after: paint the words before.
        self.save_status.repaint()

    def _on_changed(self, change: Change) -> None:
        if not self.context.has_workspace:
            return
        workspace = self.context.workspace
        self._show_save_state()
        if change.action == "failed":
            return
        for page in self.pages:
            page.refresh(change)  # type: ignore[attr-defined]
        for warning in workspace.warnings:
            self.context.errors.show_message("Please note", warning, self)
        workspace.warnings.clear()

    def _on_save_state(self) -> None:
        """The writer started, finished or failed a save (it works in the background)."""
        if not self.context.has_workspace or self.is_locked:
            return
        self._show_save_state()
        error = self.context.workspace.save_state.error
        if isinstance(error, FileChangedOnDisk) and not any(
            isinstance(box, SaveProblemBox) and box.isVisible()
            for box in self.findChildren(SaveProblemBox)
        ):
            offer_choices(self.context, error, self)

    def _show_save_state(self) -> None:
        if self.context.has_workspace:
            self.save_status.setText(status_text(self.context.workspace))

    def _touch_lock(self) -> None:
        if self.context.has_workspace:
            self.context.workspace.touch_lock()

    def settle_before_leaving(self, leaving: str) -> bool:
        """Before closing the file or quitting: every change on disk, or the user's say-so."""
        if not self.context.has_workspace:
            return True
        return settle_before_leaving(self.context, self, leaving)

    # -- locking -----------------------------------------------------------------------------

    def prepare_to_close_file(self) -> None:
        """Let pages keep what was being typed (as drafts) while the file is still open."""
        for page in self.pages:
            try:
                before_lock(page)
            except Exception as exc:
                self.context.errors.report(exc, self)

    def lock(self, locked_by: str = "") -> None:
        """Keep drafts, save, close the forum file (dropping its key) and ask for the passphrase.
        ``locked_by`` is :data:`LOCKED_BY_YOU` for Lock now (the lock screen says who locked).

        With everything saved, the app then replaces its process with a fresh one showing this
        lock screen (``ui.restart``), so nothing of the forum's answers stays in memory. When
        the disk will not take the latest changes, it locks in place instead: they are kept
        sealed under the file's key (never as plaintext, never on disk) and offered on
        unlocking.
        """
        if not self.context.has_workspace:
            return
        self.idle.stop()
        self.lock_toucher.stop()
        self.prepare_to_close_file()
        showing = self.page_stack.currentWidget()
        page = str(getattr(showing, "title", "")) if showing is not None else ""
        place = page_place(showing) if showing is not None else ""
        self.context.errors.close_all()
        _close_dialogs_over(self)
        problem = self.context.flush()
        if problem is None:
            path = self.context.workspace.path
            title = self.windowTitle()
            self.context.close_workspace(lock=True)
            fresh = self.context.fresh_start(
                "locked",
                path=path,
                title=title,
                geometry=encode_geometry(bytes(self.saveGeometry().data())),
                locked_by=locked_by,
                page=page,
                place=place,
            )
            self.context.restarter.restart(fresh)  # does not return when it restarts
        else:
            self.context.lock_with_unsaved(problem)
        self.show_locked(locked_by=locked_by, page=page, place=place)
        scrub_in_place()

    def show_locked(
        self, title: str = "", locked_by: str = "", page: str = "", place: str = ""
    ) -> None:
        """The lock screen for ``context.locked_path`` (also how a fresh process starts);
        unlocking comes back to ``page`` at ``place`` (where the volunteer was)."""
        self._return_to = (page, place)
        if title:
            self.setWindowTitle(title)
        self.idle.stop()
        self.lock_toucher.stop()
        self._set_locked_ui(True)
        self.screens.setCurrentIndex(1)
        self.lock_screen.start(locked_by)

    @property
    def is_locked(self) -> bool:
        return self.screens.currentIndex() == 1

    def _set_locked_ui(self, locked: bool) -> None:
        for item in self._locked_actions:
            action = item.menuAction() if isinstance(item, QMenu) else item
            action.setEnabled(not locked)
        self._go_menu.menuAction().setEnabled(not locked)
        self.new_action.setEnabled(not locked)
        self.open_action.setEnabled(not locked)
        if locked:
            self.save_status.setText(
                "Locked — not saved: your changes are kept, encrypted, until you unlock"
                if self.context.unsaved is not None
                else "Locked — all changes saved"
            )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.context.has_workspace:
            self.prepare_to_close_file()
            if not self.settle_before_leaving("Quit"):
                event.ignore()
                return
        self.idle.dispose()
        super().closeEvent(event)


def _close_dialogs_over(window: QWidget) -> None:
    """Close dialogs left open over the window, so nothing of the file shows while locked."""
    for child in window.findChildren(QDialog):
        if child.isVisible():
            child.reject()
