"""Errors a forum can cause with its quotes: one plain sentence each, naming what and where.

Messages name quotes, responses, questions, codes, rows and columns, never a parent's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from forumkit.errors import ForumkitError
from forumkit.wording import plural


class QuoteError(ForumkitError):
    """Base of the quote errors: a quote forumkit will not make or change, and why."""


class QuoteNotFound(QuoteError):
    """No quote has that id (it may have been deleted, or its response erased)."""

    def __init__(self, quote_id: str) -> None:
        self.quote_id = quote_id
        super().__init__(f"This forum file has no quote with the id {quote_id}.")


class QuoteExists(QuoteError):
    """The same words of the same answer are already a quote."""


class DenyListError(QuoteError):
    """A deny-list entry forumkit will not add or remove, and why."""


@dataclass(frozen=True)
class SheetProblem:
    """One problem of a quotes spreadsheet: where (row, column) and why, never the cell's text."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row}, column “{self.column}”: {self.reason}"


class QuotesSheetRejected(QuoteError):
    """A quotes spreadsheet with problems: nothing of it was applied."""

    def __init__(self, path: Path | str, problems: Sequence[SheetProblem]) -> None:
        self.path = Path(path)
        self.problems = tuple(problems)
        count = len(self.problems)
        first = f" The first: {self.problems[0]}" if self.problems else ""
        super().__init__(
            f"“{self.path.name}” has {plural(count, 'problem')}, so nothing of "
            f"it was applied.{first}"
        )


class QuotesSheetError(QuoteError):
    """A file that cannot be read as a quotes spreadsheet at all (not xlsx, no Quotes sheet,
    wrong columns, a password missing or wrong)."""
