"""``forumkit-app [FILE] [--demo] [--self-test]``: the desktop app's entry point and its shell.

The shell owns the two top-level windows (the start screen and the main window of the open
forum file) and moves between them; there is no global main window.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import QByteArray, QObject, Qt
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QStyleFactory, QWidget

from forumkit import __version__
from forumkit import demo as forumkit_demo
from forumkit.paths import resource_path
from forumkit.vault import wipe
from forumkit.workspace import SealedNew, Workspace, seal_new, unlock_with_data_key
from ui import accessibility, recent
from ui.collector import collect_on_gui_thread
from ui.colours import COLOURS, is_dark
from ui.context import DEFAULT_TEXT_SCALE, TEXT_SCALE, AppContext
from ui.kiosk import KioskWindow
from ui.lifetime import DemoFolder, QuitOnSignals, remove_stale_demo_folders
from ui.main_window import MainWindow
from ui.new_forum import NewForumWizard
from ui.opening import Opener
from ui.pages.responses import ResponsesPage
from ui.refcounts import keep_singletons_alive
from ui.restart import (
    RESUME_FD_FLAG,
    RESUME_STDIN_FLAG,
    FreshProcess,
    FreshStart,
    decode_geometry,
    read_resume,
    scrub_in_place,
)
from ui.self_test import run_self_test
from ui.settings_dialog import TEXT_SCALES, SettingsDialog
from ui.start import StartWindow
from ui.tasks import Progress
from ui.widgets import fit_on_screen, heading_rules

FILE_FILTER = "Forum files (*.forumkit)"


__all__ = ["COLOURS", "Shell", "main", "setup_application", "stylesheet"]


def demo_module() -> ModuleType | None:
    """``forumkit.demo``, imported statically so that PyInstaller bundles it."""
    return forumkit_demo


def demo_welcome(passphrase: str, volunteer_copy: Path) -> str:
    """What the demo forum is, with everything a newcomer needs to type on screen at once:
    its passphrase, the volunteer copy's and the password for its evidence packs."""
    return (
        "This is the demo forum: made-up answers from a made-up area, half-way through its "
        "year. Its quotes are tagged with the seven key messages (some still to review; one "
        "holds a phone number to redact), and last year's survey is there for year on year.\n\n"
        f"Passphrase of the demo forum: {passphrase}\n"
        "(you need it if the app locks itself after a while)\n\n"
        f"A volunteer's copy to merge: {volunteer_copy}\n"
        f"Its passphrase: {forumkit_demo.DEMO_VOLUNTEER_PASSPHRASE}\n\n"
        f"Password for the demo's evidence packs: {forumkit_demo.DEMO_PACK_PASSWORD}\n"
        "(a real pack gets its own password, given to the inspector by phone)"
    )


def setup_application(app: QApplication) -> None:
    """Fusion style, the stylesheet and the app's name (also used by tests and screenshots)."""
    keep_singletons_alive()  # PySide6 6.12 on Python 3.11 (ui.refcounts)
    app.setApplicationName("forumkit")
    app.setOrganizationName("forumkit")
    app.setApplicationDisplayName("forumkit")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource_path("icons", "forumkit.png"))))
    collect_on_gui_thread(app)
    accessibility.install(app)
    # Set once: replacing the style of a running app (tests set the app up again and again)
    # deletes the old style under widgets still being deleted, which crashes Qt.
    if app.style().name().casefold() != "fusion":
        fusion = QStyleFactory.create("Fusion")
        if fusion is not None:
            app.setStyle(fusion)
    if app.property("forumkit_base_point_size") is None:
        size = app.font().pointSizeF()
        app.setProperty("forumkit_base_point_size", max(size, 10.0))
    restyle(app)


def stylesheet(dark: bool, point_size: float = 10.0) -> str:
    """The app's stylesheet with the light or dark set of its few fixed colours filled in, and
    headings sized from the body text's ``point_size``."""
    text = resource_path("ui", "forumkit.qss").read_text(encoding="utf-8")
    for name, (light_colour, dark_colour) in COLOURS.items():
        text = text.replace(f"@{name}@", dark_colour if dark else light_colour)
    return f"{text}\n{heading_rules(point_size)}\n"


def restyle(app: QApplication) -> None:
    """Set the stylesheet for the app's current font and palette. Setting it again is also what
    makes a new text size reach the windows already open: with a stylesheet in force, Qt does
    not pass a changed application font on to existing widgets, and sizes the sheet gives in
    ``em`` (tick boxes, radio buttons, icons) follow the font only when it is set again."""
    sheet = stylesheet(is_dark(app.palette()), app.font().pointSizeF())
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)


def apply_text_scale(app: QApplication, percent: int) -> None:
    """View → Text size: scale the app's font from the system size (body never below 10 pt), in
    every window at once (kiosk mode's larger text follows it: see ``ui.kiosk``)."""
    base = float(app.property("forumkit_base_point_size") or max(app.font().pointSizeF(), 10.0))
    font = QFont(app.font())
    font.setPointSizeF(max(10.0, base * percent / 100))
    app.setFont(font)
    restyle(app)


class Shell(QObject):
    """Moves between the start screen and the main window; holds the demo's temp folder."""

    def __init__(self, context: AppContext, app: QApplication) -> None:
        super().__init__()
        self.context = context
        self.app = app
        self.demo = demo_module()
        self.start = StartWindow(context, demo_available=self.demo is not None)
        self.start.open_requested.connect(self.choose_and_open)
        self.start.open_path_requested.connect(self.open_path)
        self.start.new_requested.connect(self.new_file)
        self.start.demo_requested.connect(self.open_demo)
        self.main: MainWindow | None = None
        self._demo_dir: DemoFolder | None = None
        self.context.errors.default_parent = self.start
        apply_text_scale(app, self.context.int_setting(TEXT_SCALE, DEFAULT_TEXT_SCALE))

    @property
    def active_window(self) -> QWidget:
        return self.main if self.main is not None else self.start

    def show_start(self) -> None:
        self.start.reload()
        self.start.show()

    # -- opening -----------------------------------------------------------------------------

    def choose_and_open(self) -> None:
        folder = (
            str(recent.load(self.context.settings)[0].path.parent)
            if recent.load(self.context.settings)
            else str(Path.home())
        )
        name, _ = QFileDialog.getOpenFileName(
            self.active_window, "Open forum file", folder, FILE_FILTER
        )
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> None:
        if not path.exists():
            self.context.errors.show_message(
                "Forum file not found",
                f"“{path.name}” is not where it was ({path.parent}). If it is on a USB stick, "
                "plug it in; otherwise use Open… to find it.",
                self.active_window,
            )
            return
        if self.context.has_workspace and path.resolve() == self.context.workspace.path:
            if self.main is not None:  # already open here: nothing to open, nor to lock out
                self.main.raise_()
                self.main.activateWindow()
            return
        self.opener().ask_and_open(path, self.opened)

    def opener(self) -> Opener:
        return Opener(self.context, self.active_window)

    def opened(self, workspace: Workspace, *, show: bool = True) -> None:
        """Show ``workspace`` in the main window and remember it as a recent file."""
        forum = workspace.forum
        if self._demo_dir is None or workspace.path not in self._demo_dir:
            recent.remember(self.context.settings, workspace.path, forum.name, forum.area)
        if self.main is not None and self.context.has_workspace:
            self.main.prepare_to_close_file()
            if not self.main.settle_before_leaving("Close"):
                workspace.close()
                return
        self.context.set_workspace(workspace)
        main = self._main_window()
        if show:
            if not main.isVisible():
                fit_on_screen(main)
            main.show()
        self.start.hide()

    def _main_window(self) -> MainWindow:
        if self.main is None:
            self.main = MainWindow(self.context)
            self.main.new_requested.connect(self.new_file)
            self.main.open_requested.connect(self.choose_and_open)
            self.main.close_requested.connect(self.close_file)
            self.main.settings_requested.connect(self.show_settings)
            self.main.text_size_requested.connect(self.change_text_size)
            self.main.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.main.destroyed.connect(self._main_destroyed)
        self.context.errors.default_parent = self.main
        return self.main

    def _main_destroyed(self) -> None:
        self.main = None

    def close_file(self) -> None:
        """File → Close forum file: keep drafts, save, close the file, back to the start
        screen (asking first if the latest changes cannot be saved)."""
        main = self.main
        if main is not None and self.context.has_workspace:
            main.prepare_to_close_file()
            if not main.settle_before_leaving("Close"):
                return
        self.context.demo_passphrase = None
        self.main = None
        if main is not None:
            self.context.close_workspace()
            main.close()
        self.context.errors.default_parent = self.start
        # A fresh process shows the start screen: nothing of the file stays in memory.
        self.context.restarter.restart(self.context.fresh_start("start"))
        self.show_start()
        scrub_in_place()

    # -- a fresh process ---------------------------------------------------------------------

    def resume(self, fresh: FreshStart, key: bytearray | None) -> None:
        """Show what the previous process of this app handed over (see ``ui.restart``)."""
        if fresh.demo_dir and Path(fresh.demo_dir).is_dir():
            self._demo_dir = DemoFolder.adopt(Path(fresh.demo_dir))
            self.context.demo_dir = self._demo_dir.path
        self.context.demo_passphrase = fresh.demo_passphrase or None
        path = Path(fresh.path) if fresh.path else None
        if fresh.screen == "locked" and path is not None:
            self.context.locked_path = path
            main = self._main_window()
            geometry = decode_geometry(fresh.geometry)
            if geometry:
                main.restoreGeometry(QByteArray(geometry))
            main.show_locked(fresh.title, fresh.locked_by, fresh.page, fresh.place)
            main.show()
            self.start.hide()
            return
        if fresh.screen == "kiosk" and path is not None and key is not None:
            try:
                workspace = Workspace.from_unlocked(unlock_with_data_key(path, key))
            except Exception as exc:
                self.show_start()
                self.context.errors.report(exc, self.start)
                return
            finally:
                wipe(key)
            self.opened(workspace, show=False)
            main = self._main_window()
            page = next((p for p in main.pages if isinstance(p, ResponsesPage)), None)
            if page is not None and page.open_kiosk(fresh.survey_id):
                return
            main.show()
            return
        if key is not None:
            wipe(key)
        self.show_start()

    def new_file(self) -> None:
        wizard = NewForumWizard(self.context, self.active_window)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.created.connect(self.opened)
        wizard.open()

    # -- the demo ----------------------------------------------------------------------------

    def open_demo(self) -> None:
        """Make the demo forum in a temporary folder and open it; its passphrase is shown."""
        demo = self.demo
        if demo is None:
            return
        if self._demo_dir is None:
            self._demo_dir = DemoFolder()
            self.context.demo_dir = self._demo_dir.path
        path = self._demo_dir.path / "demo-forum.forumkit"
        passphrase: str = demo.DEMO_PASSPHRASE
        if path.exists():
            self.opener().open(path, passphrase, self.opened)
            self.context.demo_passphrase = passphrase
            return

        def work(_progress: Progress) -> SealedNew:
            return seal_new(path, passphrase)

        def done(sealed: SealedNew) -> None:
            try:
                workspace = Workspace.create_sealed(
                    sealed, forum=demo.DEMO_FORUM, area=demo.DEMO_AREA
                )
            except Exception as exc:
                self.context.errors.report(exc, self.active_window)
                return
            self.context.demo_passphrase = passphrase
            copy = demo.volunteer_copy_path(path)
            ok, _ = self.context.change(lambda: demo.fill_demo(workspace, copy), self.active_window)
            if not ok:
                workspace.close()
                return
            self.opened(workspace)
            box = self.context.errors.show_note(
                "The demo forum", demo_welcome(passphrase, copy), self.active_window
            )
            box.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )

        self.context.tasks.run(
            work,
            on_done=done,
            on_error=lambda exc: self.context.errors.report(exc, self.active_window),
            busy_parent=self.active_window,
            busy_text="Making the demo forum…",
            discard=lambda sealed: sealed.vault.close(),
        )

    # -- settings and view -------------------------------------------------------------------

    def show_settings(self) -> None:
        dialog = SettingsDialog(self.context, self.active_window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._settings_changed)
        dialog.open()

    def _settings_changed(self) -> None:
        apply_text_scale(self.app, self.context.int_setting(TEXT_SCALE, DEFAULT_TEXT_SCALE))
        if self.main is not None and self.context.has_workspace:
            self.main.idle.set_timeout_ms(self.main.idle_lock_ms())

    def change_text_size(self, step: int) -> None:
        current = self.context.int_setting(TEXT_SCALE, DEFAULT_TEXT_SCALE)
        if step == 0:
            scale = DEFAULT_TEXT_SCALE
        else:
            larger = [s for s in TEXT_SCALES if s > current]
            smaller = [s for s in TEXT_SCALES if s < current]
            options = larger[:1] if step > 0 else smaller[-1:]
            scale = options[0] if options else current
        self.context.settings.setValue(TEXT_SCALE, scale)
        apply_text_scale(self.app, scale)

    def end_on_signal(self) -> None:
        """SIGTERM, SIGHUP or SIGINT: end as Ctrl+Q does, and end kiosk mode too (it asks for
        the passphrase when closed, which would keep the app running until it is killed)."""
        if self.main is not None:
            for page in self.main.pages:
                kiosk = getattr(page, "kiosk", None)
                if isinstance(kiosk, KioskWindow) and kiosk.isVisible():
                    kiosk.end_now()
        self.app.quit()

    def shutdown(self) -> None:
        """Close the forum file (drafts kept) and remove the demo's temporary folder."""
        if self.main is not None and self.context.has_workspace:
            self.main.prepare_to_close_file()
        self.context.close_workspace()
        if self._demo_dir is not None:
            self._demo_dir.cleanup()
            self._demo_dir = None
            self.context.demo_dir = None


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="forumkit-app", description="forumkit's desktop app for parent carer forums."
    )
    parser.add_argument("file", nargs="?", type=Path, help="a forum file to open")
    parser.add_argument("--demo", action="store_true", help="open the demo forum (made-up answers)")
    parser.add_argument("--version", action="version", version=f"forumkit-app {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check forumkit works on this computer (offscreen: create a forum file, import a "
        "survey, add a response through the form, save, reopen, tag a quote, make an evidence "
        "pack and read it back); exit status 0 only if every step worked",
    )
    # How the app's fresh process learns what to show (ui.restart); not for people.
    parser.add_argument(RESUME_FD_FLAG, type=int, dest="resume_fd", help=argparse.SUPPRESS)
    parser.add_argument(
        RESUME_STDIN_FLAG, action="store_true", dest="resume_stdin", help=argparse.SUPPRESS
    )
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app until its last window closes (or a SIGTERM, SIGHUP or SIGINT asks it to end,
    which it does as Ctrl+Q does); returns the exit status."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window is ever shown
    app = QApplication.instance() or QApplication([sys.argv[0], *[]])
    assert isinstance(app, QApplication)
    setup_application(app)
    if args.self_test:
        return run_self_test()
    remove_stale_demo_folders()
    context = AppContext(restarter=FreshProcess())
    previous_hook = sys.excepthook
    sys.excepthook = context.errors.excepthook
    shell = Shell(context, app)
    signals = QuitOnSignals(app, shell.end_on_signal)
    try:
        resumed = read_resume(args.resume_fd, args.resume_stdin)
        if resumed is not None:
            shell.resume(*resumed)
        else:
            shell.show_start()
            if args.demo:
                shell.open_demo()
            elif args.file is not None:
                shell.open_path(args.file)
        return app.exec()
    finally:
        signals.restore()
        shell.shutdown()
        sys.excepthook = previous_hook


def run() -> None:
    """Console script ``forumkit-app``."""
    sys.exit(main())


if __name__ == "__main__":
    run()
