"""What every window and page of the app is given: the open forum file and the app's services.

There is no app-wide singleton: ``ui.app`` builds one ``AppContext`` and passes it explicitly to
the windows, which pass it to their pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from forumkit.errors import ForumkitError, SaveFailed, WorkspaceClosed
from forumkit.vault import SealedImage, config_dir
from forumkit.workspace import Change, SaveState, Workspace
from ui.errors import ErrorReporter
from ui.restart import FreshStart, InPlace, Restarter, Screen
from ui.tasks import TaskRunner

T = TypeVar("T")

# Settings keys (per machine, in QSettings) and their defaults.
IDLE_LOCK_MINUTES = "lock/idle_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 10
VOLUNTEER_NAME = "user/volunteer_name"
TEXT_SCALE = "view/text_scale_percent"
DEFAULT_TEXT_SCALE = 100
RECENT_FILES = "recent/files"


def make_settings() -> QSettings:
    """The app's settings: an INI file in forumkit's settings folder (never forum data)."""
    return QSettings(str(config_dir() / "forumkit-app.ini"), QSettings.Format.IniFormat)


class AppContext(QObject):
    """The open forum file (if any), settings, background tasks and the error reporter.

    Signals (all on the GUI thread):

    - ``workspace_opened(Workspace)``: a forum file was opened or unlocked again;
    - ``workspace_closed()``: the file was closed or locked (the key is gone);
    - ``saving()``: a change is about to be saved (the status bar says "Saving…");
    - ``changed(Change)``: a change was committed (views refresh what it touched); the
      workspace writes it in the background;
    - ``save_state_changed()``: the background write started, finished or failed (read
      ``workspace.save_state``).
    """

    workspace_opened = Signal(object)
    workspace_closed = Signal()
    saving = Signal()
    changed = Signal(object)
    save_state_changed = Signal()

    def __init__(
        self,
        settings: QSettings | None = None,
        tasks: TaskRunner | None = None,
        errors: ErrorReporter | None = None,
        restarter: Restarter | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings if settings is not None else make_settings()
        self.tasks = tasks or TaskRunner(parent=self)
        self.errors = errors or ErrorReporter()
        #: Replaces the process with a fresh one on lock, close and between kiosk parents
        #: (``ui.restart``); the app's own tests keep everything in one process.
        self.restarter: Restarter = restarter if restarter is not None else InPlace()
        self._workspace: Workspace | None = None
        #: The file that was open when the app locked itself, to unlock again.
        self.locked_path: Path | None = None
        #: Set when the app opened the demo forum: the passphrase shown on screen.
        self.demo_passphrase: str | None = None
        #: The demo forum's temporary folder, removed when the app quits.
        self.demo_dir: Path | None = None
        #: Changes the disk would not take when the file locked, sealed under the file's key
        #: (never plaintext, never on disk), and why they could not be saved.
        self.unsaved: SealedImage | None = None
        self.unsaved_reason = ""

    # -- the open forum file ---------------------------------------------------------------

    @property
    def workspace(self) -> Workspace:
        """The open forum file; WorkspaceClosed when none is open (or it is locked)."""
        if self._workspace is None or not self._workspace.is_open:
            raise WorkspaceClosed("No forum file is open; open one to continue.")
        return self._workspace

    @property
    def has_workspace(self) -> bool:
        return self._workspace is not None and self._workspace.is_open

    def set_workspace(self, workspace: Workspace) -> None:
        """Hold ``workspace`` as the open file (closing any other) and tell the windows.

        From now on it saves in the background: a change returns once committed, and the
        status bar follows the writer through ``save_state_changed``.
        """
        if self._workspace is not None and self._workspace is not workspace:
            self._workspace.close()
        self._workspace = workspace
        self.locked_path = None
        self.unsaved = None
        self.unsaved_reason = ""
        workspace.subscribe(self._on_change)
        # Called from the writer's thread: a signal emitted there reaches slots on this one.
        workspace.save_in_background(lambda _state: self.save_state_changed.emit())
        self.workspace_opened.emit(workspace)

    def close_workspace(self, *, lock: bool = False, discard_unsaved: bool = False) -> None:
        """Close the open file, dropping its key; with ``lock``, remember it to unlock again.

        A save in progress is finished first; changes whose save failed are dropped, so settle
        them first (``ui.saving``), or seal them with :meth:`lock_with_unsaved`.
        """
        workspace, self._workspace = self._workspace, None
        if workspace is None:
            return
        self.locked_path = workspace.path if lock else None
        workspace.close(discard_unsaved=discard_unsaved)
        self.workspace_closed.emit()

    def fresh_start(
        self,
        screen: Screen,
        *,
        path: Path | None = None,
        title: str = "",
        geometry: str = "",
        survey_id: str = "",
        locked_by: str = "",
        page: str = "",
        place: str = "",
    ) -> FreshStart:
        """What a fresh process needs to show ``screen`` (see ``ui.restart``)."""
        return FreshStart(
            screen,
            path=str(path) if path is not None else "",
            title=title,
            geometry=geometry,
            survey_id=survey_id,
            locked_by=locked_by,
            page=page,
            place=place,
            demo_dir=str(self.demo_dir) if self.demo_dir is not None else "",
            demo_passphrase=self.demo_passphrase or "",
        )

    def hand_over(self) -> bytearray:
        """Close the open file for this app's next process to continue with it: every change
        saved first (else the ForumkitError why not, the file staying open), then the data key
        returned for ``restarter.restart`` (which wipes it)."""
        workspace = self.workspace
        try:
            key = workspace.close_handing_over()
        except OSError as error:
            raise SaveFailed(workspace.path, error.strerror or type(error).__name__) from None
        self._workspace = None
        self.workspace_closed.emit()
        return key

    def flush(self) -> ForumkitError | None:
        """Write every change now; None once all is on disk, else why not (shown by callers)."""
        try:
            self.workspace.flush()
        except ForumkitError as problem:
            return problem
        except OSError as error:
            return SaveFailed(self.workspace.path, error.strerror or type(error).__name__)
        return None

    def lock_with_unsaved(self, problem: ForumkitError) -> None:
        """Lock although the disk would not take the latest changes: they are kept sealed under
        the file's key, in memory only, and offered again on unlocking."""
        self.unsaved = self.workspace.seal_unsaved()
        self.unsaved_reason = str(problem)
        self.close_workspace(lock=True, discard_unsaved=True)

    @property
    def save_state(self) -> SaveState | None:
        return self.workspace.save_state if self.has_workspace else None

    def _on_change(self, change: Change) -> None:
        self.changed.emit(change)

    # -- changing data -----------------------------------------------------------------------

    def change(
        self, action: Callable[[], T], parent: QWidget | None = None
    ) -> tuple[bool, T | None]:
        """Run ``action`` (a core call that changes the forum file) on the GUI thread.

        Announces "Saving…" first, and turns a ForumkitError or a bug into a dialog. Returns
        ``(True, result)`` on success, ``(False, None)`` when it failed (already shown).
        """
        self.saving.emit()
        try:
            return True, action()
        except Exception as exc:
            # The transaction left the file as it was; the status bar goes back to "saved".
            if self.has_workspace:
                self.changed.emit(Change("failed"))
            self.errors.report(exc, parent)
            return False, None

    # -- settings ----------------------------------------------------------------------------

    def int_setting(self, key: str, default: int) -> int:
        value = self.settings.value(key, default)
        try:
            return int(str(value))
        except (TypeError, ValueError):
            return default

    def str_setting(self, key: str, default: str = "") -> str:
        value = self.settings.value(key, default)
        return value if isinstance(value, str) else default
