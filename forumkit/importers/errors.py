"""Errors a chair can cause when importing a spreadsheet of responses.

Each message is one plain sentence naming the file and, where it helps, the sheet, row and
column. None repeats what a parent wrote: a cell is identified by where it is, never by its text.
"""

from __future__ import annotations

from forumkit.errors import ForumkitError
from forumkit.wording import plural


class ImportFileError(ForumkitError):
    """The file cannot be read as a spreadsheet of responses (missing, empty, unknown layout)."""


class MappingFileError(ForumkitError):
    """A ``--mapping`` file that is not valid JSON of the documented shape, or names no question."""


class ImportRejected(ForumkitError):
    """At least one row has a problem, so nothing was imported (imports are all or nothing)."""

    def __init__(self, file_name: str, problems: int, first: str) -> None:
        self.problems = problems
        super().__init__(
            f"“{file_name}” has {plural(problems, 'problem')} ({first}), so nothing was imported."
        )


class StalePlan(ForumkitError):
    """The plan was made for another version of the survey than the one it is run against."""
