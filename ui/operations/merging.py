"""Operations on merging: for now, bringing in the newer file another program saved.

When a save is refused because another program saved the forum file meanwhile
(``FileChangedOnDisk``), the app offers to merge that newer version in and save, as KeePassXC
does when its database changes on disk: one core call (``forumkit.merge.merge_changed_file``)
run the one way (:class:`~ui.operations.ForumOp`). Reviewing the conflicts a merge keeps, and
merging volunteers' copies, come with the app's merge pages (issue 21).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from forumkit.merge import MergeResult, merge_changed_file
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
