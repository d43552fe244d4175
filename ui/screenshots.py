"""``python -m ui.screenshots OUTDIR``: render the app's main screens to PNG files, offscreen.

Each shot is a named function that builds a window from a :class:`ShotEnv` and returns it; the
runner shows it, grabs it (``widget.grab()``) and closes it. Add a shot by appending to
``SHOTS`` (data entry and kiosk shots come from the data-entry pages, the quotes workbench's from
``quotes_shots``, merging's and the pack wizard's from ``insights_shots``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from forumkit.demo import DEMO_PASSPHRASE
from forumkit.workspace import Workspace
from ui import designer_shots, entry_shots, import_shots, insights_shots, quotes_shots, recent
from ui.app import Shell, demo_welcome, setup_application
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.new_forum import NewForumWizard


@dataclass
class ShotEnv:
    """What shots share: the app, a context with private settings, a folder, the demo forum."""

    app: QApplication
    context: AppContext
    folder: Path
    _demo: Workspace | None = None
    windows: list[QWidget] = field(default_factory=list)

    def demo(self) -> Workspace:
        """The demo forum, open (made once per run)."""
        if self._demo is None or not self._demo.is_open:
            from forumkit.demo import create_demo

            self._demo = create_demo(self.folder / "demo-forum.forumkit")
        return self._demo

    def main_window(self, page: str) -> MainWindow:
        """The main window on the demo forum, showing ``page``."""
        self.context.set_workspace(self.demo())
        window = MainWindow(self.context)
        window.show_page([getattr(p, "title", "") for p in window.pages].index(page))
        return window


Shot = tuple[str, Callable[[ShotEnv], QWidget], QSize]


def start_screen(env: ShotEnv) -> QWidget:
    for name, area, file in (
        ("Riverside Parent Carer Forum", "Riverside", "riverside.forumkit"),
        ("Brookfield Parent Carer Forum", "Brookfield", "brookfield.forumkit"),
    ):
        path = env.folder / file
        path.touch()
        recent.remember(env.context.settings, path, name, area)
    shell = Shell(env.context, env.app)
    shell.start.reload()
    return shell.start


def recovery_key_page(env: ShotEnv) -> QWidget:
    wizard = NewForumWizard(env.context)
    wizard.setField("forum", "Brookfield Parent Carer Forum")
    wizard.setField("area", "Brookfield")
    wizard.workspace = Workspace.create(
        env.folder / "brookfield-new.forumkit",
        "screenshot passphrase",
        forum="Brookfield Parent Carer Forum",
        area="Brookfield",
    )
    wizard.show()
    # Jump to the last page as the wizard would after making the file.
    wizard.restart()
    wizard.forum_page.location.setText(str(env.folder / "x.forumkit"))
    wizard.next()
    wizard.next()
    return wizard


def surveys_page(env: ShotEnv) -> QWidget:
    return env.main_window("Surveys")


DEMO_SHOT = QSize(1000, 640)


def demo_welcome_box(env: ShotEnv) -> QWidget:
    """What Open the demo shows first: the demo forum, its welcome over it with the passwords
    and the volunteer copy to merge, the passwords also in the status bar."""
    env.context.demo_passphrase = DEMO_PASSPHRASE
    window = env.main_window("Surveys")
    window.show()
    window.resize(DEMO_SHOT)
    copy = Path(tempfile.gettempdir()) / "forumkit-demo-x1y2z3" / "demo-forum-volunteer.forumkit"
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "The demo forum",
        demo_welcome(DEMO_PASSPHRASE, copy),
        QMessageBox.StandardButton.Ok,
        window,
    )
    box.show()
    for _ in range(5):
        env.app.processEvents()
    # The dialog is a window of its own: drawn over the main window as it appears on screen.
    picture = window.grab()
    dialog = box.grab()
    painter = QPainter(picture)
    painter.drawPixmap(
        (picture.width() - dialog.width()) // 2, (picture.height() - dialog.height()) // 3, dialog
    )
    painter.end()
    # The main window keeps its own minimum size: the picture is fitted to the shot's.
    picture = picture.scaled(
        DEMO_SHOT, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    box.close()
    window.close()
    window.deleteLater()
    env.context.demo_passphrase = None
    shot = QLabel()
    shot.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    shot.setPixmap(picture)
    return shot


SHOTS: list[Shot] = [
    ("start-screen", start_screen, QSize(760, 520)),
    ("new-file-recovery-key", recovery_key_page, QSize(640, 520)),
    ("surveys-page", surveys_page, QSize(1000, 560)),
    ("demo-welcome", demo_welcome_box, DEMO_SHOT),
    ("data-entry", entry_shots.data_entry, QSize(1100, 760)),
    ("kiosk-welcome", entry_shots.kiosk_welcome, QSize(1024, 700)),
    ("kiosk-page", entry_shots.kiosk_page, QSize(1024, 700)),
    ("kiosk-scale", entry_shots.kiosk_scale, QSize(1024, 700)),
    ("responses-table", entry_shots.responses_table, QSize(1280, 760)),
    ("export-dialog", entry_shots.export_dialog, QSize(640, 720)),
    ("import-mapping", import_shots.import_mapping, QSize(900, 720)),
    ("import-dry-run", import_shots.import_dry_run, QSize(900, 720)),
    ("import-set-aside", import_shots.import_set_aside, QSize(900, 880)),
    ("quotes-workbench", quotes_shots.workbench, QSize(1400, 940)),
    ("codebook-editor", quotes_shots.codebook_editor, QSize(980, 940)),
    ("new-survey", designer_shots.new_survey, QSize(640, 560)),
    ("survey-designer", designer_shots.designer, QSize(1366, 768)),
    ("analysis-dashboard", insights_shots.analysis_dashboard, QSize(1366, 900)),
    ("pack-quote-review", insights_shots.pack_quote_review, QSize(1100, 720)),
    ("merge-summary", insights_shots.merge_summary, QSize(760, 640)),
    ("merge-conflicts", insights_shots.merge_conflicts, QSize(1100, 600)),
]


def take(outdir: Path, names: list[str] | None = None) -> list[Path]:
    """Render the shots (all, or those named) into ``outdir``; returns the files written."""
    outdir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["forumkit-screenshots"])
    assert isinstance(app, QApplication)
    setup_application(app)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="forumkit-shots-") as folder:
        previous = os.environ.get("FORUMKIT_CONFIG_DIR")
        os.environ["FORUMKIT_CONFIG_DIR"] = str(Path(folder) / "config")
        env = ShotEnv(app, AppContext(), Path(folder))
        try:
            for name, build, size in SHOTS:
                if names and name not in names:
                    continue
                window = build(env)
                window.resize(size)
                window.show()
                if env.context.has_workspace:
                    env.context.workspace.flush()  # saves run in the background: finish them
                for _ in range(5):
                    app.processEvents()
                target = outdir / f"{name}.png"
                window.grab().save(str(target))
                written.append(target)
                if isinstance(window, NewForumWizard) and window.workspace is not None:
                    window.workspace.close()
                    window.workspace = None
                window.close()
                window.deleteLater()
                app.processEvents()
        finally:
            env.context.close_workspace()
            if env._demo is not None:
                env._demo.close()
            if previous is None:
                os.environ.pop("FORUMKIT_CONFIG_DIR", None)
            else:
                os.environ["FORUMKIT_CONFIG_DIR"] = previous
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m ui.screenshots OUTDIR [SHOT ...]", file=sys.stderr)
        return 2
    for path in take(Path(args[0]), args[1:] or None):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
