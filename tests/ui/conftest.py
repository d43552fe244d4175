"""Fixtures for the desktop app's tests: an app context and the shell, closed after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from ui.app import Shell, apply_text_scale, setup_application
from ui.context import DEFAULT_TEXT_SCALE, AppContext


@pytest.fixture
def context(qapp: QApplication) -> Iterator[AppContext]:
    setup_application(qapp)
    ctx = AppContext()
    yield ctx
    ctx.tasks.wait()
    ctx.errors.close_all()
    ctx.close_workspace()
    apply_text_scale(qapp, DEFAULT_TEXT_SCALE)  # a test that changed the text size puts it back


@pytest.fixture
def shell(context: AppContext, qapp: QApplication, qtbot: QtBot) -> Iterator[Shell]:
    shell = Shell(context, qapp)
    yield shell
    context.tasks.wait()
    qtbot.wait(10)  # let queued results of finished workers arrive before closing
    shell.shutdown()
    for window in (shell.main, shell.start):
        if window is not None:
            window.close()
    close_all_windows(qapp)


def close_all_windows(app: QApplication) -> None:
    for widget in app.topLevelWidgets():
        if widget.isVisible():
            widget.close()
    for widget in app.topLevelWidgets():
        widget.deleteLater()
    app.processEvents()


@pytest.fixture
def opened_shell(shell: Shell, tmp_path: Path, qtbot: QtBot) -> Shell:
    """The shell showing a new forum file's main window."""
    workspace = Workspace.create(
        tmp_path / "forum.forumkit", PASSPHRASE, forum="Test Forum", area="Testshire"
    )
    shell.opened(workspace)
    assert shell.main is not None
    qtbot.waitExposed(shell.main)
    return shell


def visible_dialogs(app: QApplication) -> list[QWidget]:
    return [w for w in app.topLevelWidgets() if w.isVisible() and w.isModal()]
