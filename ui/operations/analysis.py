"""The Analysis page's one operation on the forum file: exporting its tables (an audit-log
entry), read here, written in a worker, recorded here (``forumkit.analysis.workbook``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from forumkit.analysis import AnalysisTables, TablesExport, prepare_tables_export
from ui.context import AppContext
from ui.operations import export_in_background
from ui.tasks import Task


def export_tables(
    context: AppContext,
    parent: QWidget,
    tables: AnalysisTables,
    path: Path,
    *,
    password: str | None,
    on_exported: Callable[[TablesExport], object],
) -> Task[Path] | None:
    """Export the tables the page shows to ``path`` (xlsx); None when it could not start
    (shown)."""
    if not context.has_workspace:
        return None
    try:
        job = prepare_tables_export(tables, path, password=password)
    except Exception as error:
        context.errors.report(error, parent)
        return None
    return export_in_background(context, parent, job, on_exported, "Exporting the tables…")
