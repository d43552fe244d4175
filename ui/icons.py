"""forumkit's icons: one small set of line drawings (``resources/icons``), used everywhere.

Qt's built-in pixmaps differ from platform to platform and some read as errors (a red corner on
"Open the demo"), so the app draws its own: 24 × 24 outlines with rounded ends, in the text
colour of the light or dark palette (greyed when disabled, light on a highlighted row), always
beside a word, never alone. Each is rendered from its SVG at the sizes asked for, so icons stay
sharp as the text size grows.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from forumkit.paths import resource_path
from ui.colours import colour

NAMES = (
    "archive",
    "back",
    "columns",
    "consent",
    "demo",
    "draft",
    "export",
    "file",
    "filter",
    "finish",
    "import",
    "info",
    "key",
    "kiosk",
    "lock",
    "new",
    "next",
    "open",
    "preview",
    "print",
    "quotes",
    "problem",
    "remove",
    "rename",
    "request",
    "responses",
    "save",
    "search",
    "surveys",
)
SIZES = (16, 20, 24, 32, 48, 64)


@cache
def _svg(name: str) -> str:
    if name not in NAMES:
        raise KeyError(f"forumkit has no icon named {name!r}")
    return resource_path("icons", f"{name}.svg").read_text(encoding="utf-8")


def pixmap(name: str, size: int, ink: QColor | str) -> QPixmap:
    """The icon ``name`` drawn ``size`` pixels square in ``ink``."""
    drawing = _svg(name).replace("currentColor", QColor(ink).name())
    renderer = QSvgRenderer(QByteArray(drawing.encode()))
    image = QPixmap(size, size)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def _palette() -> QPalette:
    app = QApplication.instance()
    return app.palette() if isinstance(app, QApplication) else QPalette()


def icon(name: str) -> QIcon:
    """The icon ``name`` in the palette's text colour, greyed when disabled, light on a
    highlighted (selected) row."""
    palette = _palette()
    Group, Role = QPalette.ColorGroup, QPalette.ColorRole
    return _icon(
        name,
        palette.color(Group.Active, Role.WindowText).name(),
        palette.color(Group.Disabled, Role.WindowText).name(),
        palette.color(Group.Active, Role.HighlightedText).name(),
    )


@cache
def _icon(name: str, normal: str, disabled: str, selected: str) -> QIcon:
    made = QIcon()
    for size in SIZES:
        made.addPixmap(pixmap(name, size, normal), QIcon.Mode.Normal)
        made.addPixmap(pixmap(name, size, disabled), QIcon.Mode.Disabled)
        made.addPixmap(pixmap(name, size, selected), QIcon.Mode.Selected)
    return made


class IconLabel(QLabel):
    """An icon as tall as the text beside it (a problem under a question, a note), redrawn when
    the text size or the palette changes. ``problem`` is drawn in the error colour."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._draw()

    def _draw(self) -> None:
        side = max(16, self.fontMetrics().height())
        ink = (
            colour("error", self.palette())
            if self.name == "problem"
            else self.palette().color(QPalette.ColorRole.WindowText).name()
        )
        self.setPixmap(pixmap(self.name, side, ink))
        self.setFixedSize(QSize(side, side))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self._draw()
        super().changeEvent(event)
