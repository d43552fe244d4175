"""What screen readers are told beyond Qt's defaults: headings are headings, kiosk mode a window.

Qt gives a QLabel the role "static text" and a plain top-level QWidget the role "client", so a
screen reader's list of headings was empty and kiosk mode was not announced as a window. A
widget class says what it is with a class attribute, ``accessible_role``
(``QAccessible.Role.Heading``, ``QAccessible.Role.Window``), and :func:`install` (called once by
``ui.app.setup_application``) makes Qt use that role for it; its name stays its accessible name.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QApplication, QWidget

_INSTALLED = "forumkit_accessible_roles"


def _interface(_key: str, obj: QObject) -> QAccessibleInterface | None:
    role = getattr(type(obj), "accessible_role", None)
    if isinstance(role, QAccessible.Role) and isinstance(obj, QWidget):
        return QAccessibleWidget(obj, role)
    return None


def install(app: QApplication) -> None:
    """Give widgets with an ``accessible_role`` that role (once per application)."""
    if app.property(_INSTALLED):
        return
    QAccessible.installFactory(_interface)
    app.setProperty(_INSTALLED, True)
