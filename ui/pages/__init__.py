"""Pages of the main window, and the protocol they follow (see ``ui/README.md``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from forumkit.workspace import Change

if TYPE_CHECKING:
    from ui.context import AppContext


@runtime_checkable
class Page(Protocol):
    """A QWidget shown on the right of the main window, chosen in the navigation list.

    Required: ``title`` (the navigation word and the page's heading) and ``refresh(change)``,
    called with ``None`` when the forum file was opened or unlocked (reload everything) and with
    each saved :class:`~forumkit.workspace.Change` (reload what it touched, if anything).

    Optional, looked up with ``getattr``:

    - ``nav_icon: str`` — the name of the icon (``ui.icons``) beside the word in the navigation
      list;
    - ``page_actions() -> list[QAction]`` — put in a menu named after the page (keyboard users
      reach every action from the menu bar), enabled only while the page is showing;
    - ``before_lock() -> None`` — called just before the app locks itself after idle time
      (or closes the file): keep what was being typed as a draft. The forum file is still open.
    - ``place() -> str`` and ``return_to(place) -> None`` — where the page was when the app
      locked (after ``before_lock``), handed to the fresh process, and taken back to after
      unlocking. A place holds ids and names of tabs, never a parent's words.
    """

    title: str

    def refresh(self, change: Change | None) -> None: ...


PageFactory = Callable[["AppContext"], QWidget]
"""Builds a page (a QWidget that is also a :class:`Page`) for the given context."""


def nav_icon(page: QWidget) -> str:
    """The name of the page's icon in ``ui.icons`` (a sheet of paper when it names none)."""
    name = getattr(page, "nav_icon", None)
    return name if isinstance(name, str) else "file"


def page_actions(page: QWidget) -> list[QAction]:
    method = getattr(page, "page_actions", None)
    return list(method()) if callable(method) else []


def before_lock(page: QWidget) -> None:
    method = getattr(page, "before_lock", None)
    if callable(method):
        method()


def page_place(page: QWidget) -> str:
    """Where the page is (see :class:`Page`), or "" for a page that does not say."""
    method = getattr(page, "place", None)
    return str(method()) if callable(method) else ""


def return_to(page: QWidget, place: str) -> None:
    method = getattr(page, "return_to", None)
    if callable(method) and place:
        method(place)
