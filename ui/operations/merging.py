"""Operations on merging: bringing another copy of the forum file in, and settling conflicts.

- When a save is refused because another program saved the forum file meanwhile
  (``FileChangedOnDisk``), the app offers to merge that newer version in and save, as KeePassXC
  does when its database changes on disk (``forumkit.merge.merge_changed_file``).
- "Merge a volunteer's file…": the other file is decrypted in a worker
  (``forumkit.merge.decrypt_copy``: its key derivation), then merged here on the database
  thread (``merge_decrypted``).
- The conflicts view keeps one version of a record (``resolve_conflict``).

A volunteer copy changes nothing in the open file (it is only read), so it is not an op here:
``ui.merging.volunteer_copy`` calls the core directly.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from forumkit.merge import (
    DecryptedCopy,
    Keep,
    MergeResult,
    Resolution,
    merge_changed_file,
    merge_decrypted,
    resolve_conflict,
)
from ui.context import AppContext
from ui.operations import ForumOp


def merge_newer_file(context: AppContext, parent: QWidget | None) -> MergeResult | None:
    """Merge the version of the file on disk into the changes made here, then save over it.

    None when it failed (the dialog is shown already; nothing changed here).
    """
    op = ForumOp(context, parent, merge_changed_file)
    if not op.run():
        return None
    context.save_state_changed.emit()
    return op.result


def merge_copy(
    context: AppContext,
    parent: QWidget | None,
    copy: DecryptedCopy,
    *,
    other_forum: bool = False,
    include_drafts: bool = False,
) -> ForumOp[MergeResult]:
    """Merge another copy, decrypted in a worker, into the open file (one transaction)."""
    return ForumOp(
        context,
        parent,
        lambda workspace: merge_decrypted(
            workspace, copy, other_forum=other_forum, include_drafts=include_drafts
        ),
    )


def keep_version(
    context: AppContext, parent: QWidget | None, conflict_id: str, keep: Keep
) -> ForumOp[Resolution]:
    """Settle a conflict: keep this file's version (``mine``) or the other copy's."""
    return ForumOp(
        context, parent, lambda workspace: resolve_conflict(workspace, conflict_id, keep)
    )
