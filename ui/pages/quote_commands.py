"""Undo and redo in the quotes workbench, through the core's change records.

Every change the workbench makes to a quote returns a ``QuoteChange`` (the quote before and
after). Once it is saved, a :class:`QuoteEdit` holding that record goes on the page's undo
stack: undo puts the quote back as it was before (``restore_quote``, or ``delete_quote`` for a
quote that was new), redo as it was after. Both run as quote ops, so they save the forum file
like any other change, keep the quote's id and its tags' authors and times, and say so when the
file no longer allows them (its response deleted since, say).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from forumkit.quotes import Quote, QuoteChange
from ui.context import AppContext
from ui.operations import ForumOp
from ui.operations import quotes as operations


def put_back(
    context: AppContext, parent: QWidget | None, gone: Quote | None, wanted: Quote | None
) -> ForumOp[QuoteChange] | None:
    """The op that makes the file hold ``wanted`` where it now holds ``gone`` (either may be
    None: a quote to delete, or one to bring back)."""
    if wanted is not None:
        return operations.restore_quote(context, parent, wanted)
    if gone is not None:
        return operations.delete_quote(context, parent, gone.id)
    return None


class QuoteEdit(QUndoCommand):
    """One saved change to one quote, to undo and redo."""

    def __init__(
        self,
        context: AppContext,
        parent: QWidget,
        text: str,
        change: QuoteChange,
        run: Callable[[ForumOp[QuoteChange]], bool],
        on_applied: Callable[[QuoteChange], None],
    ) -> None:
        super().__init__(text)
        self.context = context
        self.parent = parent
        self.change = change
        self.run = run
        """Runs an op the way the page runs its own (so it knows which answer changed)."""
        self.on_applied = on_applied
        self._saved = True
        """True until the first redo: the change was saved before it was pushed."""

    def redo(self) -> None:
        if self._saved:
            self._saved = False
            return
        self._apply(self.change.before, self.change.after)

    def undo(self) -> None:
        self._apply(self.change.after, self.change.before)

    def _apply(self, gone: Quote | None, wanted: Quote | None) -> None:
        op = put_back(self.context, self.parent, gone, wanted)
        if op is None or not self.context.has_workspace:
            self.setObsolete(True)
            return
        if self.run(op.failure(lambda: self.setObsolete(True))):
            self.on_applied(QuoteChange(gone, wanted))
