"""Merging: several laptops' copies of one forum file brought together, nothing lost.

At an event each volunteer captures responses in a copy of the forum's file on their own laptop
(``volunteer_copy``); the chair later merges every copy into the forum's main file (``merge``).
And when a save is refused because another forumkit saved the file meanwhile
(``FileChangedOnDisk``), the app, or the command line with ``--merge-if-changed``, merges that
newer version in and saves (``merge_changed_file``); the workspace itself never merges.

How copies are compared (decided for issue 19, and documented in the README):

- Records travel by id: surveys (their versions, by content), responses, quotes with their
  tags, codebooks, codes with their inspection areas, the deny-list, tombstones, audit entries.
- **Changed in both since they parted.** Every record has a version digest of its content, and
  each file records the digests of the versions its records replaced
  (``forumkit.schema.history``); merges carry them along. A version some copy replaced is out
  of date, so a change made in one copy wins silently. Versions neither copy replaced were
  changed in both: the later modification wins (equal times, or clocks that disagree so that
  times tie: the larger digest, an arbitrary choice every laptop makes alike), and the other
  goes into the conflicts table, kept whole inside the encrypted file for the chair to resolve
  (``list_conflicts``, ``resolve_conflict``). The result depends only on what the copies hold,
  so merging is idempotent and gives the same data in any order.
- **Gone stays gone.** A record deleted or erased in either copy does not come back; an erasure
  in the other copy erases here through the erasure path (the backup is rewritten too).
- **Drafts** (unfinished responses) stay on the volunteer's laptop unless asked for
  (``include_drafts``): they may lack consent, and the volunteer may still finish them.
- **Audit entries travel**, deduplicated by content, so an erasure in the chair's file can name
  an export a volunteer made.

The public API:

- ``merge(workspace, other_path, other_passphrase, *, other_forum=False,
  include_drafts=False)`` → ``MergeResult``; ``merge_changed_file(workspace)`` → ``MergeResult``;
  in two halves for the app: ``decrypt_copy(path, passphrase)`` → ``DecryptedCopy`` (the slow
  key derivation, no database: a worker runs it), then ``merge_decrypted(workspace, copy, …)``
  (``another_forum(workspace, copy)``: the other forum's name, to ask first)
- ``volunteer_copy(workspace, path, passphrase, *, kdf=None)`` → ``VolunteerCopy``; in two
  halves: ``forumkit.workspace.seal_new`` in a worker, then ``volunteer_copy_sealed``
- ``list_conflicts(db, kind=None)``, ``get_conflict(db, id)`` → ``Conflict``;
  ``resolve_conflict(workspace, id, keep="mine"|"theirs")`` → ``Resolution``;
  ``side_by_side(db, conflict)`` → ``ConflictLine`` per field or answer, in words
- errors: ``OtherForumFile``, ``SameFile``, ``ConflictNotFound``
- access: ``kept_versions_held``, gathered by ``forumkit.responses.find_respondent`` (added to
  ``forumkit.responses.requests.ACCESS_PARTS`` on import)
"""

from __future__ import annotations

from forumkit.merge.access import kept_versions_held
from forumkit.merge.conflicts import (
    Conflict,
    ConflictLine,
    Keep,
    Resolution,
    describe,
    get_conflict,
    list_conflicts,
    resolve_conflict,
    side_by_side,
)
from forumkit.merge.copy import VolunteerCopy, volunteer_copy, volunteer_copy_sealed
from forumkit.merge.errors import ConflictNotFound, OtherForumFile, SameFile
from forumkit.merge.model import KIND_WORDS, KindCounts, MergeResult
from forumkit.merge.run import another_forum, merge, merge_changed_file, merge_decrypted
from forumkit.merge.source import DecryptedCopy, decrypt_copy
from forumkit.merge.versions import Version
from forumkit.responses.requests import ACCESS_PARTS

if kept_versions_held not in ACCESS_PARTS:
    # Another laptop's version of a parent's response is theirs too (see ACCESS_PARTS).
    ACCESS_PARTS.append(kept_versions_held)

__all__ = [
    "KIND_WORDS",
    "Conflict",
    "ConflictLine",
    "ConflictNotFound",
    "DecryptedCopy",
    "Keep",
    "KindCounts",
    "MergeResult",
    "OtherForumFile",
    "Resolution",
    "SameFile",
    "Version",
    "VolunteerCopy",
    "another_forum",
    "decrypt_copy",
    "describe",
    "get_conflict",
    "kept_versions_held",
    "list_conflicts",
    "merge",
    "merge_changed_file",
    "merge_decrypted",
    "resolve_conflict",
    "side_by_side",
    "volunteer_copy",
    "volunteer_copy_sealed",
]
