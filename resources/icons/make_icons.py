"""Render forumkit's app icon, ``forumkit.svg`` (drawn for the project), to the files the app
and the installers use: ``forumkit.png`` (256 px, the window icon) and ``forumkit.ico``
(Windows executables). Run after changing the drawing:

    python resources/icons/make_icons.py

macOS builds convert the PNG to ``.icns`` themselves (PyInstaller, with Pillow installed).
``tests/ui/test_app_icon.py`` checks the committed PNG still matches the drawing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

FOLDER = Path(__file__).resolve().parent
SIZE = 256


def render(size: int = SIZE, svg: Path = FOLDER / "forumkit.svg") -> QImage:
    """The drawing as a ``size`` × ``size`` image with a transparent background."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a drawing Qt can read")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def write_icons(folder: Path = FOLDER) -> list[Path]:
    written = []
    for name in ("forumkit.png", "forumkit.ico"):
        path = folder / name
        if not render().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)
    return written


if __name__ == "__main__":
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0], "-platform", "offscreen"])
    for written in write_icons():
        print(written)
