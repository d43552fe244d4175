"""Undo commands of data entry: saving a response and discarding an unfinished one.

Both go through the response ops (``ui.operations.responses``, hence ``context.change``), so
undo and redo save the forum file like any other change. Undo and redo keep a response's
identity: what a delete took away comes back with the same id (``restore_response``), never as
a new response.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from forumkit.responses import Response, get_response
from forumkit.surveys import Survey
from forumkit.wording import plural
from ui.operations import responses as operations

if TYPE_CHECKING:
    from ui.pages.responses import ResponsesPage


def draft_title(response: Response) -> str:
    where = "kiosk, not finished" if response.source == "kiosk" else "draft"
    when = (response.started or response.modified or "")[:16].replace("T", " ")
    answered = len(response.answers)
    return f"{when} — {where}, {plural(answered, 'answer')}"


class SaveResponse(QUndoCommand):
    """Complete a response (a new one, or the draft being finished); undo removes it again
    (or makes it a draft again)."""

    def __init__(
        self,
        page: ResponsesPage,
        survey: Survey,
        answers: Mapping[str, object],
        started: dt.datetime,
        draft_id: str | None,
        respondent: str | None = None,
    ) -> None:
        super().__init__("Save response")
        self.page = page
        self.survey = survey
        self.answers = dict(answers)
        self.started = started
        self.draft_id = draft_id
        self.respondent = respondent
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
        if self.draft_id is not None and not self.draft_answers:
            self.draft_answers = dict(get_response(context.workspace.db, self.draft_id).answers)
        if self.draft_id is None and self.saved is not None:
            save = operations.restore_response(context, self.page, self.saved)
        else:
            save = operations.complete_response(
                context,
                self.page,
                self.survey,
                self.answers,
                started=self.started,
                draft_id=self.draft_id,
                captured_by=self.page._volunteer(),
                respondent=self.respondent,
            )
        save.success(self._saved).failure(lambda: self.setObsolete(True)).run()

    def _saved(self, response: Response) -> None:
        again = self.done or self.response_id is not None
        if self.draft_id is None and self.saved is None:
            self.saved = response
        self.response_id = response.id
        self.done = True
        if again:  # a redo: the page's own "saved" message is for the first time only
            self.page.entered_this_sitting += 1
            self.page._update_count()
            self.page._say("Redone: the response is saved again.")
            self.page._load_drafts()

    def undo(self) -> None:
        context = self.page.context
        if self.response_id is None or not context.has_workspace:
            return
        if self.draft_id is not None:
            operations.reopen_as_draft(
                context, self.page, self.response_id, self.draft_answers
            ).run()
        else:
            operations.remove_response(context, self.page, self.response_id).run()
        self.page.entered_this_sitting = max(0, self.page.entered_this_sitting - 1)
        self.page._update_count()
        self.page._say("Undone: the last saved response was taken back out.")
        self.page._load_drafts()


class DiscardDraft(QUndoCommand):
    """Discard an unfinished response; undo puts it back (as a draft, with the same id)."""

    def __init__(self, page: ResponsesPage, response: Response) -> None:
        super().__init__("Discard draft")
        self.page = page
        self.response = response

    def redo(self) -> None:
        context = self.page.context
        if not context.has_workspace:
            self.setObsolete(True)
            return
        if not operations.remove_response(context, self.page, self.response.id).run():
            self.setObsolete(True)
            return
        self.page._say("Unfinished response discarded. Ctrl+Z brings it back.")
        self.page._load_drafts()

    def undo(self) -> None:
        if not self.page.context.has_workspace:
            return
        restore = operations.restore_response(self.page.context, self.page, self.response)
        if restore.run():
            self.page._say("The unfinished response is back in the list.")
        self.page._load_drafts()
