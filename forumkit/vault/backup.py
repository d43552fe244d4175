"""The backup beside a forum file (``FILE.bak``): is it sound, and what is wrong when it is not.

Every save keeps the version it replaced as ``FILE.bak`` (see ``storage``). A save killed while
writing into the backup's file (or a disk that failed under it) leaves it damaged; an erasure
killed between writing the file and rewriting the backup leaves the erased data in it. Neither
touches the forum file itself, so both are easy to miss: this module finds them, for
``forumkit verify`` and ``info`` to report and for the next open for writing to put right
(``Vault.open``). Checking decrypts the backup a chunk at a time with the file's data key
(a changed passphrase keeps the data key), so a backup damaged anywhere is found.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from forumkit.errors import DamagedFile
from forumkit.vault import storage
from forumkit.vault.format import MAX_HEADER_BYTES, Header, body_is_whole, parse_header
from forumkit.vault.storage import backup_path, temps_beside
from forumkit.wording import plural

BackupState = Literal["none", "sound", "damaged", "holds_erased_data"]
"""``none``: no backup yet (a new file; the next save makes one). ``sound``: a whole earlier
version of this file. ``damaged``: unreadable, incomplete, altered, newer than the file (a save
interrupted while writing it) or another file's. ``holds_erased_data``: saved before the file's
latest erasure, so it may hold what was erased."""


@dataclass(frozen=True)
class BackupCheck:
    """What was found at ``FILE.bak``."""

    path: Path
    state: BackupState
    generation: int | None = None
    """The backup's save generation, when its header could be read."""
    why: str = ""
    """For a damaged backup: what is wrong with it, in words."""

    @property
    def needs_repair(self) -> bool:
        """Damaged, or holding erased data: to be rewritten from the forum file."""
        return self.state in ("damaged", "holds_erased_data")

    def sentence(self) -> str:
        """What was found, in one plain sentence."""
        name = f"“{self.path.name}”"
        if self.state == "none":
            return f"There is no backup {name} yet; the next save makes one."
        if self.state == "sound":
            return f"The backup {name} is sound (saved {plural(self.generation or 0, 'time')})."
        if self.state == "damaged":
            return (
                f"The backup {name} is damaged ({self.why}); the next save, or opening the "
                "file for changes, replaces it."
            )
        return (
            f"The backup {name} still holds data erased since it was saved (an erasure was "
            "interrupted); opening the file for changes rewrites it without that data."
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form, as ``forumkit verify --json`` and ``info --json`` print it."""
        return {"state": self.state, "generation": self.generation, "path": str(self.path)}


@dataclass(frozen=True)
class BackupRepair:
    """What opening for writing found wrong with the backup, and whether it was put right."""

    found: BackupCheck
    done: bool
    """The bad backup was rewritten from the file, or at least removed."""

    def sentence(self) -> str:
        """What was done, in one plain sentence or two."""
        found = self.found
        name = f"“{found.path.name}”"
        if not self.done:
            return (
                f"{found.sentence()} forumkit could not replace or remove it; it will try again "
                "at the next save."
            )
        if found.state == "holds_erased_data":
            return (
                f"An interrupted erasure is now finished: the backup {name} still held data "
                "erased from the forum file, and has been rewritten without it."
            )
        return (
            f"The backup {name} was damaged ({found.why}); it has been replaced with a copy of "
            "the forum file as it is now."
        )


def check_backup(path: Path, header: Header, data_key: bytes | bytearray) -> BackupCheck:
    """The state of the backup of the forum file at ``path``, whose current header is
    ``header``: read from its header, then its whole body decrypted and authenticated."""
    backup = backup_path(path)
    try:
        handle = backup.open("rb")
    except FileNotFoundError:
        return BackupCheck(backup, "none")
    except OSError as exc:
        return BackupCheck(backup, "damaged", why=f"it cannot be read: {_words(exc)}")
    with handle:
        size = os.fstat(handle.fileno()).st_size
        try:
            found, found_bytes = parse_header(backup, handle.read(MAX_HEADER_BYTES))
        except DamagedFile as exc:
            return BackupCheck(backup, "damaged", why=exc.reason.rstrip("."))
        generation = found.generation
        if found.file_id != header.file_id:
            return BackupCheck(backup, "damaged", generation, "it is another forum file")
        if header.last_erasure is not None and generation < header.last_erasure:
            return BackupCheck(backup, "holds_erased_data", generation)
        if generation > header.generation:
            return BackupCheck(backup, "damaged", generation, "a save was interrupted writing it")
        handle.seek(len(found_bytes))
        if not body_is_whole(data_key, found, found_bytes, handle, size - len(found_bytes)):
            return BackupCheck(backup, "damaged", generation, "its contents are incomplete")
    return BackupCheck(backup, "sound", generation)


def tidy_beside(path: Path, header: Header, data_key: bytes | bytearray) -> BackupRepair | None:
    """For the holder of the writer lock, on opening: temporary files that may hold a version
    from before the file's latest erasure are deleted, and a backup that is damaged or still
    holds erased data is rewritten from the file. What was put right, or None."""
    if header.last_erasure is not None:
        remove_temps_before(path, header.last_erasure)
    found = check_backup(path, header, data_key)
    if not found.needs_repair:
        return None
    return BackupRepair(found, rewrite_backup(path))


def finish_erasure(path: Path, generation: int) -> None:
    """After the save of generation ``generation`` erased data: nothing older may stay beside
    the file, neither the backup (rewritten from the file) nor a temporary file a crashed save
    left (it may be another name for an older version)."""
    rewrite_backup(path)
    remove_temps_before(path, generation)


def rewrite_backup(path: Path) -> bool:
    """Make ``FILE.bak`` a copy of the file as it is now (after an erasure, or when it was
    found damaged); when it cannot be written (no room, say), remove it. True when the old one
    is gone. A copy written beside and renamed over it, so the backup is whole at every moment.
    """
    backup = backup_path(path)
    try:
        storage.check_room(backup, path.stat().st_size, keep_backup=False)
        storage.write_atomically(backup, storage.file_chunks(path), keep_backup=False)
    except OSError:
        return remove_backup(path)
    return True


def remove_temps_before(path: Path, generation: int) -> int:
    """Delete temporary files beside ``path`` that may hold a version saved before
    ``generation`` (a save or an erasure killed half-way leaves them): after an erasure, they
    may hold what was erased. Only the holder of the writer lock calls this, so no save of ours
    is in progress. Returns how many were deleted."""
    removed = 0
    for temp in temps_beside(path):
        try:
            with temp.open("rb") as handle:
                start = handle.read(MAX_HEADER_BYTES)
            try:
                older = parse_header(temp, start)[0].generation < generation
            except DamagedFile:
                older = True  # not even a whole header: nothing worth keeping
            if older:
                temp.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def remove_backup(path: Path) -> bool:
    """Delete ``FILE.bak`` when it cannot be rewritten (the disk is full, say); True when it is
    gone. A missing backup is better than one holding erased data or one that is damaged."""
    with contextlib.suppress(FileNotFoundError):
        try:
            backup_path(path).unlink()
        except OSError:
            return False
    return True


def _words(exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return reason[:1].lower() + reason[1:]
