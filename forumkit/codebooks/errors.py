"""Errors a forum can cause with its codebooks: one plain sentence each, naming what and where.

Messages hold codebook and code names, keys and file names, never parents' words.
"""

from __future__ import annotations

from pathlib import Path

from forumkit.errors import ForumkitError


class CodebookError(ForumkitError):
    """Base of the codebook errors."""


class CodebookNotFound(CodebookError):
    """No codebook has that key or id."""

    def __init__(self, reference: str) -> None:
        self.reference = reference
        super().__init__(
            f"This forum file has no codebook “{reference}”; "
            "`forumkit codebook list FILE` shows the ones it has."
        )


class CodeNotFound(CodebookError):
    """No code has that key or id (or the key is in several codebooks)."""


class CodeValueError(CodebookError):
    """A code or codebook value forumkit refuses: a bad key, colour, shortcut, parent…"""


class CodeInUse(CodebookError):
    """A code that is used (by tags, for example) cannot be deleted without a code to merge into."""

    def __init__(self, label: str, uses: dict[str, int]) -> None:
        self.uses = dict(uses)
        total = sum(uses.values())
        super().__init__(
            f"The code “{label}” is used {total} time{'s' if total != 1 else ''}; merge it into "
            "another code instead of deleting it, so that nothing tagged with it loses its tag."
        )


class QdcFileError(CodebookError):
    """A REFI-QDA codebook file (.qdc) forumkit will not import, and why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"“{self.path.name}” cannot be imported as a codebook: {reason}.")
