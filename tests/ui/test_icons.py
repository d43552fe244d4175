"""The app's own icon set: every icon draws, in the palette's colours, and none of Qt's
built-in pixmaps is used any more (issue 13: they looked like errors)."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

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
