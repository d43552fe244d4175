"""Operations on evidence packs: make one in the background, with Cancel, and record it.

``forumkit.packs.prepare_pack`` reads what the pack holds on the database thread; laying it out,
attaching and encrypting (``job.render``) then run in a worker, and so does the atomic write;
the audit entry is recorded back here. Cancel before the write leaves no file; a cancel that
arrives once the file is written removes it (``discard_export``), so a pack the audit log does
not know of never stays on disk. The pack's preview is drawn in a worker too, in memory. The
forum's pack defaults are set here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from forumkit.exports import ExportJob, discard_export, record_export, write_export
from forumkit.packs import (
    PackContent,
    PackResult,
    PackSettings,
    preview_pages,
    set_pack_settings,
)
from ui.context import AppContext
from ui.operations import ForumOp
from ui.tasks import Progress, Task

STEPS = 2


def make_pack_in_background(
    context: AppContext,
    parent: QWidget,
    job: ExportJob[PackResult],
    on_made: Callable[[PackResult], object],
    on_stopped: Callable[[], object],
) -> Task[Path]:
    """Lay out, encrypt and write the prepared pack in a worker (progress, Cancel), then record
    it. ``on_made(result)`` once recorded; ``on_stopped()`` when it failed (already shown) or
    was cancelled (no file left)."""

    def work(progress: Progress) -> Path:
        progress.report(0, STEPS)
        sealed = job.render()
        progress.report(1, STEPS)  # Cancel up to here: nothing was written
        return write_export(replace(job, render=lambda: sealed))

    def written(_path: Path) -> None:
        if not context.has_workspace:
            discard_export(job)
            on_stopped()
            return
        op = ForumOp(context, parent, lambda workspace: record_export(workspace, job))
        op.success(on_made).failure(on_stopped).run()

    def failed(error: BaseException) -> None:
        on_stopped()
        context.errors.report(error, parent)

    task = context.tasks.run(
        work,
        on_done=written,
        on_error=failed,
        busy_parent=parent.window(),
        busy_text="Making the evidence pack…",
        cancellable=True,
        discard=lambda _path: discard_export(job),
    )
    task.finished.connect(lambda: on_stopped() if task.cancelled else None)
    return task


def keep_pack_settings(
    context: AppContext, parent: QWidget | None, *, title: str, contact: str
) -> ForumOp[PackSettings]:
    """Keep a pack title and contact as the forum's defaults for its next packs."""
    return ForumOp(
        context,
        parent,
        lambda workspace: set_pack_settings(workspace, title=title, contact=contact),
    )


@dataclass(frozen=True)
class PreviewPages:
    """The first pages of a pack's preview as images, and how many pages the pack has."""

    images: tuple[QImage, ...]
    total: int


def preview_pack_in_background(
    context: AppContext,
    content: PackContent,
    *,
    shown: int,
    on_pages: Callable[[PreviewPages], None],
    on_progress: Callable[[int, int], object],
    on_error: Callable[[BaseException], object],
) -> Task[PreviewPages]:
    """Draw the pack's pages (``forumkit.packs.preview_pages``: in memory, nothing written) in
    a worker and decode the first ``shown`` of them to images there (QImage, not a widget);
    ``on_pages`` then runs on the GUI thread."""

    def work(progress: Progress) -> PreviewPages:
        progress.report(0, 2)
        pages = preview_pages(content)
        progress.report(1, 2)
        images = tuple(QImage.fromData(page) for page in pages[:shown])
        progress.report(2, 2)
        return PreviewPages(images, len(pages))

    task = context.tasks.run(work, on_done=on_pages, on_error=on_error)
    task.progress.connect(on_progress)
    return task
