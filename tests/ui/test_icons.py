"""The app's own icon set: every icon draws, in the palette's colours, and none of Qt's
built-in pixmaps is used any more (issue 13: they looked like errors)."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QProxyStyle,
    QStyle,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)

from forumkit.paths import resource_path
from tests.conftest import REPO_ROOT
from ui import icons
from ui.context import AppContext
from ui.main_window import default_pages
from ui.pages import nav_icon


def test_every_icon_draws_in_the_colour_asked(qapp: QApplication) -> None:
    shipped = {path.stem for path in resource_path("icons").glob("*.svg")}
    assert shipped == set(icons.NAMES)
    for name in icons.NAMES:
        image = icons.pixmap(name, 32, "#0b57d0").toImage()
        inked = [
            image.pixelColor(x, y)
            for x in range(32)
            for y in range(32)
            if image.pixelColor(x, y).alpha() > 200
        ]
        assert len(inked) > 20, name
        assert all(c.blue() > c.red() for c in inked), name
        made = icons.icon(name)
        normal = made.pixmap(24).toImage()
        greyed = made.pixmap(24, QIcon.Mode.Disabled).toImage()
        assert normal != greyed, name  # a disabled button's icon is drawn greyed


def test_the_app_uses_no_built_in_pixmaps() -> None:
    sources = list((REPO_ROOT / "ui").rglob("*.py"))
    assert sources
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert "standardIcon" not in text and "StandardPixmap" not in text, source
    licence = resource_path("icons", "README.md").read_text(encoding="utf-8")
    assert "MIT" in licence and "drawn for forumkit" in licence


def test_every_page_names_an_icon_of_the_set(context: AppContext) -> None:
    """A page naming none (or one of Qt's pixmaps) got the sheet of paper in the navigation."""
    for factory in default_pages():
        page = factory(context)
        assert getattr(page, "nav_icon", None) in icons.NAMES, page
        assert nav_icon(page) != "file", page


def test_dialog_buttons_carry_no_qt_pixmaps(qapp: QApplication) -> None:
    """Under a Linux desktop, OK and Cancel came with Qt's green and red pixmaps (the desktop's
    style asks for them: played here by a style that does, under the app's style sheet)."""

    class DesktopStyle(QProxyStyle):
        def styleHint(
            self,
            hint: QStyle.StyleHint,
            option: QStyleOption | None = None,
            widget: QWidget | None = None,
            returnData: QStyleHintReturn | None = None,
        ) -> int:
            if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
                return 1
            return super().styleHint(hint, option, widget, returnData)

    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    desktop = DesktopStyle("Fusion")
    box.setStyle(desktop)
    hint = QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons
    assert desktop.styleHint(hint, None, box) == 1
    assert box.style().styleHint(hint, None, box) == 0
