"""The one way a file leaves the forum file for people outside it: prepare, write, record.

A responses export, a respondent's copy of their data and (later) an evidence pack all put
parents' answers in a file forumkit does not encrypt with the forum's key, so each is logged in
the audit log, and the log and the file must agree. Every such export is an :class:`ExportJob`
run in three steps:

1. **prepare**, on the thread that owns the database: a domain function (for example
   ``forumkit.responses.prepare_responses_export``) reads what goes in and returns the job.
   Nothing is written yet.
2. **write** (:func:`write_export`), anywhere: renders the file's bytes (building a workbook,
   encrypting it) and writes them atomically beside the target. It never touches the database,
   so the app runs it in a worker while the window stays responsive.
3. **record** (:func:`record_export`), on the database thread: the audit-log entry, in one
   transaction. If recording fails the written file is removed, so no export leaves the laptop
   unrecorded.

:func:`run_export` does all three in a row, for the command line and scripts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from forumkit import audit
from forumkit.vault import write_atomically

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

R = TypeVar("R")


@dataclass(frozen=True)
class ExportJob(Generic[R]):
    """One prepared export: where it goes, how to render it, and how to log it.

    ``render`` is pure (it closes over data read while preparing) and may run in a worker.
    ``result`` is what the caller reports once the export is written and recorded.
    """

    path: Path
    render: Callable[[], bytes]
    action: str
    """The audit-log action, e.g. ``responses_exported``."""
    counts: Mapping[str, int]
    """The audit entry's counts (numbers only, never content)."""
    object_ids: tuple[str, ...]
    """The ids the export carried, so a later erasure can tell whom they reached."""
    result: R
    touched_ids: tuple[str, ...] = field(default=())
    """Ids the change record names under ``audit`` (default: ``object_ids``)."""


def write_export(job: ExportJob[R]) -> Path:
    """Render the job's file and put it in place atomically (no backup of an older export is
    kept: it would be a second unencrypted copy). Touches no database."""
    write_atomically(job.path, job.render(), keep_backup=False)
    return job.path


def record_export(workspace: Workspace, job: ExportJob[R]) -> R:
    """Log a written export in the audit log, in one transaction; if that fails, remove the
    file (an export nobody can account for must not stay on disk) and re-raise."""
    try:
        with workspace.transaction(job.action) as change:
            audit.record(workspace.db, job.action, dict(job.counts), job.object_ids)
            change.touch("audit", *(job.touched_ids or job.object_ids))
    except BaseException:
        job.path.unlink(missing_ok=True)
        raise
    return job.result


def discard_export(job: ExportJob[R]) -> None:
    """Remove a written export that can no longer be recorded (the forum file was closed or
    locked while it was being written): unrecorded, it must not stay on disk."""
    job.path.unlink(missing_ok=True)


def run_export(workspace: Workspace, job: ExportJob[R]) -> R:
    """Write and record ``job`` on this thread (the command line's way)."""
    write_export(job)
    return record_export(workspace, job)
