"""The pack's preview on the save step: its first pages as images, drawn from the same layout as
the PDF (``forumkit.packs.preview_pages``; PySide6-Essentials has no PDF viewer) in a worker,
with a progress bar. The images hold parents' words: they live in memory only, and the wizard
drops them when it closes, as it does when the app locks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from forumkit.packs import PackContent
from ui.context import AppContext
from ui.operations.packs import PreviewPages, preview_pack_in_background
from ui.tasks import Task
from ui.widgets import StatusLabel

SHOWN_PAGES = 6
"""The pages shown: the cover, how the evidence was gathered, the first figures and quotes."""


class PackPreview(QWidget):
    """The first :data:`SHOWN_PAGES` pages of the pack, one under the other, to scroll through."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.total = 0
        self._task: Task[PreviewPages] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = StatusLabel("How the preview stands")
        layout.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Drawing the preview")
        self.progress.setRange(0, 2)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.pages_area = QScrollArea()
        self.pages_area.setAccessibleName("Preview of the pack's pages")
        self.pages_area.setWidgetResizable(True)
        # Tab reaches it, so the arrow keys and Page Down scroll the pages.
        self.pages_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        sheet = QWidget()
        self.pages_layout = QVBoxLayout(sheet)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_area.setWidget(sheet)
        layout.addWidget(self.pages_area, 1)
        self.pages: list[QLabel] = []

    @property
    def drawing(self) -> bool:
        return self._task is not None

    def start(self, content: PackContent) -> None:
        """Draw the pages of ``content`` (gathered on the database thread) in a worker."""
        self.forget()
        self.status.setText("Drawing a preview of the pack's pages…")
        self.progress.setValue(0)
        self.progress.show()
        self._task = preview_pack_in_background(
            self.context,
            content,
            shown=SHOWN_PAGES,
            on_pages=self._show_pages,
            on_progress=self._progress,
            on_error=self._failed,
        )

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _show_pages(self, drawn: PreviewPages) -> None:
        self._task = None
        self.progress.hide()
        self.total = drawn.total
        for number, image in enumerate(drawn.images, start=1):
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(image))
            page.setAccessibleName(f"Page {number} of {drawn.total}")
            page.setFrameShape(QFrame.Shape.Box)
            self.pages_layout.addWidget(page)
            self.pages.append(page)
        shown = len(drawn.images)
        first = "Its only page" if drawn.total == 1 else f"Its first {shown} of {drawn.total} pages"
        if shown == drawn.total and drawn.total > 1:
            first = f"All {drawn.total} of its pages"
        self.status.setText(f"{first}, as inspectors will see them once they give the password.")

    def _failed(self, error: BaseException) -> None:
        self._task = None
        self.progress.hide()
        self.status.setText("The preview could not be drawn; the pack can still be made.")
        self.context.errors.report(error, self.window())

    def forget(self) -> None:
        """Drop the pages drawn (parents' words) and stop a preview being drawn."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        for page in self.pages:
            page.deleteLater()
        self.pages.clear()
        self.total = 0
        self.status.clear()
        self.progress.hide()
