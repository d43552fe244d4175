"""Typed errors a user can cause.

Each carries one plain sentence naming what is wrong and where. The command line prints that
sentence and exits with ``exit_code`` (see ``docs/cli.md``); the desktop app shows it in a
dialog. Messages never contain response text, quotes or passphrases.
"""

from __future__ import annotations

from pathlib import Path


class ForumkitError(Exception):
    """Base of every error a user can cause; exit code 1 (bad input or refused operation)."""

    exit_code = 1


class WrongPassphrase(ForumkitError):
    """The passphrase does not open this forum file."""

    exit_code = 3

    def __init__(self, path: Path | str) -> None:
        super().__init__(
            f"The passphrase does not open “{Path(path).name}”. Check it and try again "
            "(passphrases are case-sensitive and spaces count)."
        )


class WrongRecoveryKey(ForumkitError):
    """The recovery key is mistyped or belongs to another forum file."""

    exit_code = 3


class DamagedFile(ForumkitError):
    """The file is damaged, truncated, altered, of an unknown version, or not a forumkit file."""

    exit_code = 4

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"“{self.path.name}” cannot be opened: {reason}")


class UnsupportedVersion(DamagedFile):
    """The file was written by a newer forumkit (or is of a format this one does not know)."""


class WeakPassphrase(ForumkitError):
    """A new passphrase is too short to protect special category data."""


class ForumFileExists(ForumkitError):
    """Creating a forum file would overwrite an existing file."""


class FileTooLarge(ForumkitError):
    """The forum's data has grown past what one file may safely hold."""


class WorkspaceClosed(ForumkitError):
    """The forum file was closed (or locked) and must be opened again before use."""
