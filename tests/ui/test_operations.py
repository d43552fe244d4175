"""The app's operations: a refused change says so once and leaves the file as it was; an export
finished after the file was locked is neither kept on disk nor logged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pytestqt.qtbot import QtBot

from forumkit import audit
from forumkit.paths import resource_path
from forumkit.responses import ExportResult, count_responses, list_responses
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from ui.app import Shell
from ui.operations import responses as operations
from ui.operations.surveys import import_survey


def _survey(shell: Shell, qtbot: QtBot) -> Survey:
    imported: list[Survey] = []
    form = resource_path("demo", "parent-survey-2026.xlsx")
    import_survey(shell.context, shell.active_window, form, lambda r: imported.append(r.survey))
    qtbot.waitUntil(lambda: bool(imported), timeout=10_000)
    return imported[0]


def test_a_refused_change_is_shown_once_and_changes_nothing(
    opened_shell: Shell, qtbot: QtBot
) -> None:
    context = opened_shell.context
    survey = _survey(opened_shell, qtbot)
    context.workspace.flush()  # saves run in the background: let the import's finish first
    saved_at = context.workspace.saved_at
    heard: list[str] = []
    now = dt.datetime.now().astimezone()
    refused = operations.complete_response(context, None, survey, {"age_phase": "x"}, started=now)
    refused.success(lambda _r: heard.append("saved")).failure(lambda: heard.append("failed"))
    assert not refused.run()
    assert heard == ["failed"]
    assert len(context.errors.open_dialogs) == 1
    assert "cannot be complete" in context.errors.open_dialogs[0].text()
    assert count_responses(context.workspace.db, survey.id) == 0
    assert context.workspace.saved_at == saved_at
    context.errors.close_all()

    kept = operations.keep_draft(context, None, survey, {"age_phase": "primary"})
    assert kept.run() and kept.result.response is not None
    held = list_responses(context.workspace.db, survey.id)
    assert [r.id for r in held] == [kept.result.response.id]


def test_an_export_written_after_the_file_locked_is_removed(
    opened_shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    context = opened_shell.context
    main = opened_shell.main
    assert main is not None
    survey = _survey(opened_shell, qtbot)
    operations.keep_draft(context, None, survey, {"age_phase": "primary"}).run()
    path = context.workspace.path
    out = tmp_path / "responses.csv"
    exported: list[ExportResult] = []
    task = operations.export_responses(
        context,
        main,
        survey,
        out,
        password=None,
        include_drafts=True,
        on_exported=exported.append,
    )
    assert task is not None
    main.lock()  # before the worker's result reaches the GUI thread
    qtbot.waitUntil(lambda: task.is_finished, timeout=20_000)
    assert not exported and not out.exists()
    with Workspace.open(path, PASSPHRASE) as reopened:
        assert audit.entries(reopened.db, "responses_exported") == []
