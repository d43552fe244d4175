"""Undo commands of data entry: saving a response and discarding an unfinished one.

Both go through the core's one change path (``context.change``), so undo and redo save the
forum file like any other change. Undo and redo keep a response's identity: what a delete took
away comes back with the same id (``restore_response``), never as a new response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from forumkit.responses import (
    Response,
    add_response,
    delete_response,
    get_response,
    restore_response,
    update_response,
)
from forumkit.surveys import Survey

if TYPE_CHECKING:
    from ui.pages.responses import ResponsesPage


def draft_title(response: Response) -> str:
    where = "kiosk, not finished" if response.source == "kiosk" else "draft"
    when = (response.started or response.modified or "")[:16].replace("T", " ")
    answered = len(response.answers)
    return f"{when} — {where}, {answered} answer{'s' if answered != 1 else ''}"


class SaveResponse(QUndoCommand):
    """Complete a response (a new one, or the draft being finished); undo removes it again
    (or makes it a draft again)."""

    def __init__(
        self,
        page: ResponsesPage,
        survey: Survey,
        answers: Mapping[str, object],
        draft_id: str | None,
    ) -> None:
        super().__init__("Save response")
        self.page = page
        self.survey = survey
        self.answers = dict(answers)
        self.draft_id = draft_id
        self.draft_answers: dict[str, object] = {}
        self.response_id: str | None = None
        self.saved: Response | None = None
        """The response as first saved; a redo after an undo puts this very one back."""
        self.done = False

    def redo(self) -> None:
        context = self.page.context
        if not context.has_workspace:
            self.setObsolete(True)
            return
        workspace = context.workspace
        if self.draft_id is not None:
            draft_id = self.draft_id
            if not self.draft_answers:
                self.draft_answers = dict(get_response(workspace.db, draft_id).answers)
            ok, result = self.page._change(
                lambda: update_response(workspace, draft_id, self.answers, status="complete")
            )
        elif self.saved is not None:
            saved = self.saved
            ok, result = self.page._change(lambda: restore_response(workspace, saved))
        else:
            volunteer = self.page._volunteer()
            ok, result = self.page._change(
                lambda: add_response(
                    workspace, self.survey, self.answers, status="complete", captured_by=volunteer
                )
            )
            if ok and result is not None:
                self.saved = result
        if not ok or result is None:
            self.setObsolete(True)
            return
        self.response_id = result.id
        self.done = True

    def undo(self) -> None:
        context = self.page.context
        if self.response_id is None or not context.has_workspace:
            return
        workspace = context.workspace
        response_id = self.response_id
        if self.draft_id is not None:
            draft = self.draft_answers
            self.page._change(
                lambda: update_response(workspace, response_id, draft, status="draft")
            )
        else:
            self.page._change(lambda: delete_response(workspace, response_id))
        self.page.entered_this_sitting = max(0, self.page.entered_this_sitting - 1)
        self.page._update_count()
        self.page._say("Undone: the last saved response was taken back out.")
        self.page._load_drafts()


class DiscardDraft(QUndoCommand):
    """Discard an unfinished response; undo puts it back (as a draft)."""

    def __init__(self, page: ResponsesPage, response: Response) -> None:
        super().__init__("Discard draft")
        self.page = page
        self.response = response

    def redo(self) -> None:
        context = self.page.context
        if not context.has_workspace:
            self.setObsolete(True)
            return
        workspace, response_id = context.workspace, self.response.id
        ok, _ = self.page._change(lambda: delete_response(workspace, response_id))
        if not ok:
            self.setObsolete(True)
            return
        self.page._say("Unfinished response discarded. Ctrl+Z brings it back.")
        self.page._load_drafts()

    def undo(self) -> None:
        context = self.page.context
        if not context.has_workspace:
            return
        workspace, original = context.workspace, self.response
        ok, _ = self.page._change(lambda: restore_response(workspace, original))
        if ok:
            self.page._say("The unfinished response is back in the list.")
        self.page._load_drafts()
