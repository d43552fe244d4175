"""Errors a volunteer or chair can cause with responses.

Messages name the response or the questions, never what the parent wrote, so they can be shown,
printed or logged without spreading personal data.
"""

from __future__ import annotations

from collections.abc import Sequence

from forumkit.errors import ForumkitError
from forumkit.surveys import Problem
from forumkit.wording import plural


class ResponseNotFound(ForumkitError):
    """No response with this id is in the forum file."""

    def __init__(self, response_id: str) -> None:
        self.response_id = response_id
        super().__init__(f"There is no response with the id “{response_id}” in this forum file.")


class ResponseAlreadyHeld(ForumkitError):
    """Putting back a response that is already in the file (an undo run twice)."""

    def __init__(self, response_id: str) -> None:
        self.response_id = response_id
        super().__init__(
            f"The response “{response_id}” is already in this forum file, so it cannot be put "
            "back again."
        )


class ResponseErased(ForumkitError):
    """An erased response cannot be put back: the respondent asked for it to go for good."""

    def __init__(self, response_id: str) -> None:
        self.response_id = response_id
        super().__init__(
            f"The response “{response_id}” was erased at its respondent's request and cannot "
            "be put back."
        )


class ResponseInvalid(ForumkitError):
    """Answers that cannot be saved: wrong types for a draft, any problem for a complete one."""

    def __init__(self, problems: Sequence[Problem], *, complete: bool) -> None:
        self.problems = tuple(problems)
        names = ", ".join(dict.fromkeys(p.question for p in self.problems))
        what = "complete" if complete else "saved as a draft"
        count = len(self.problems)
        super().__init__(
            f"The response cannot be {what}: {plural(count, 'answer')} "
            f"need{'' if count != 1 else 's'} attention ({names})."
        )


class ResponseSurveyMismatch(ForumkitError):
    """A response was given a survey that is not the one it belongs to."""


class ExportError(ForumkitError):
    """An export that cannot be written (unknown format, unreadable password file, ...)."""
