"""Typed errors a user can cause.

Each carries one plain sentence naming what is wrong and where. The command line prints that
sentence and exits with ``exit_code`` (see ``docs/cli.md``); the desktop app shows it in a
dialog. Messages never contain response text, quotes or passphrases.
"""

from __future__ import annotations

from datetime import datetime
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


def _when(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


class CannotOpenForWriting(ForumkitError):
    """The forum file can be read but not written by this forumkit now; it may open read-only."""


class FileLocked(CannotOpenForWriting):
    """Another forumkit (or another window of this one) has the forum file open for writing.

    ``stale`` is True when that holder looks gone (its process no longer runs on this computer,
    or it has not touched the lock for a long time on another): the lock may then be broken,
    after asking the user.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        host: str,
        pid: int,
        since: datetime,
        on_this_computer: bool,
        in_this_process: bool = False,
        stale: bool = False,
        idle_hours: int = 0,
    ) -> None:
        self.path = Path(path)
        self.host = host
        self.pid = pid
        self.since = since
        self.on_this_computer = on_this_computer
        self.in_this_process = in_this_process
        self.stale = stale
        name = f"“{self.path.name}”"
        when = _when(since)
        if in_this_process:
            sentence = (
                f"{name} is already open in this forumkit (since {when}). Use that window, or "
                "open it read-only."
            )
        elif stale and on_this_computer:
            sentence = (
                f"{name} was left locked by forumkit on this computer (process {pid}, since "
                f"{when}), which is no longer running. If nobody is using the file, it can be "
                "opened anyway, which clears the lock."
            )
        elif stale:
            sentence = (
                f"{name} has been locked by forumkit on {host} since {when}, but that computer "
                f"has not used it for {idle_hours} hours. If nobody is using the file there, it "
                "can be opened anyway, which clears the lock."
            )
        elif on_this_computer:
            sentence = (
                f"{name} is open in another forumkit on this computer (process {pid}, since "
                f"{when}). Close it there first, or open it read-only."
            )
        else:
            sentence = (
                f"{name} is open in forumkit on {host} (since {when}). Close it there first, or "
                "open it read-only."
            )
        super().__init__(sentence)


class FolderNotWritable(CannotOpenForWriting):
    """forumkit cannot write beside the forum file (a read-only folder, stick or share)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        super().__init__(
            f"forumkit cannot write in the folder of “{self.path.name}” ({reason}), so it could "
            "not save changes there. Open it read-only, or copy it to a folder you can write to."
        )


class ReadOnlyWorkspace(ForumkitError):
    """A change was attempted on a forum file opened read-only."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        super().__init__(
            f"“{self.path.name}” is open read-only, so nothing in it can be changed. Close it "
            "and open it again for writing once nobody else has it open."
        )


class FileChangedOnDisk(ForumkitError):
    """The forum file on disk is no longer the version this forumkit last read or wrote.

    Another program (a forumkit that ignored the lock, a sync service, someone copying an older
    copy over it) replaced it. The save was refused: nothing was written, and the changes made
    here are still in memory.
    """

    def __init__(self, path: Path | str, what_happened: str) -> None:
        self.path = Path(path)
        self.what_happened = what_happened
        super().__init__(
            f"“{self.path.name}” was not saved: {what_happened} Nothing was written to it."
        )


class SaveFailed(ForumkitError):
    """Writing the forum file failed (disk full, stick unplugged, permission). The file on disk
    is as it was; the changes are kept in memory for the next attempt."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(
            f"“{self.path.name}” could not be saved ({reason}); the file on disk is as it "
            "was before."
        )


class FileReadOnly(CannotOpenForWriting):
    """The forum file is marked read-only (its permissions, or Windows' read-only attribute).

    Decided from the file's mode bits, never by trying to write: an administrator (and root on a
    server) may write a file marked read-only, and forumkit must respect the mark all the same.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        super().__init__(
            f"“{self.path.name}” is marked read-only, so forumkit will not change it. Open it "
            "read-only, or make it writable first if it should be changed."
        )


def _size(size: int) -> str:
    """Bytes as a person reads them: “0 kB”, “640 kB”, “12.4 MB”."""
    if size < 1_000_000:
        return f"{size / 1000:,.0f} kB"
    return f"{size / 1_000_000:,.1f} MB"


class DiskFull(SaveFailed):
    """The disk holding the forum file has too little room for a save. Checked before anything
    is written, so neither the file nor its backup is touched and the room left is not used up;
    the changes stay in memory and are tried again."""

    def __init__(
        self, path: Path | str, needed: int | None = None, free: int | None = None
    ) -> None:
        self.path = Path(path)
        self.reason = "the disk is full"
        self.needed = needed
        self.free = free
        detail = ""
        if needed is not None and free is not None:
            detail = f" (saving needs {_size(needed)}; {_size(free)} is free)"
        ForumkitError.__init__(
            self,
            f"The disk holding “{self.path.name}” is full: nothing was saved{detail}. Make room "
            "on it, or save to another disk.",
        )


class OlderCopyNotConfirmed(FileChangedOnDisk):
    """A save on an older copy of a forum file, before the user said to carry on with it.

    This computer has opened a copy saved more times than this one: work saved there is not in
    this copy. Saving on it silently would give its saves the numbers the newer copy already
    has, and the older-copy warning would stop. Nothing was written; the changes are in memory.
    """

    def __init__(
        self, path: Path | str, generation: int, newest_seen: int, what_happened: str
    ) -> None:
        self.generation = generation
        self.newest_seen = newest_seen
        super().__init__(path, what_happened)
