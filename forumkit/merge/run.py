"""Merging another copy of the forum file into the open one: one transaction, one save.

The order matters only for what depends on what: the audit log first (so an erasure brought in
can name the exports that carried its responses, wherever they were made), then what was
deleted, erased or removed in the other copy (so nothing gone comes back, and nothing gone is
compared), then surveys and their versions, codebooks, codes and the deny-list, responses, and
quotes with their tags. Everything happens inside one ``workspace.transaction()``: a failure
anywhere leaves the forum file exactly as it was, and an erasure brought in makes the save
vacuum the database and rewrite the backup, as an erasure made here does.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from forumkit import audit
from forumkit.merge.codes import fit_tags, merge_codebooks
from forumkit.merge.errors import OtherForumFile, SameFile
from forumkit.merge.gone import bring_tombstones, code_merges
from forumkit.merge.model import MergeResult
from forumkit.merge.records import Merging, merge_records, read_theirs
from forumkit.merge.source import DecryptedCopy, OtherCopy, decrypt_copy, load_copy
from forumkit.merge.surveys import merge_surveys
from forumkit.merge.trail import merge_audit_log
from forumkit.merge.versions import Version
from forumkit.responses import holds_replaced_version
from forumkit.schema import history
from forumkit.tombstones import buried
from forumkit.vault.lock import canonical
from forumkit.workspace import DiskVersion, Workspace

MERGED = "file_merged"
CHANGED_FILE_MERGED = "changed_file_merged"


def merge(
    workspace: Workspace,
    other_path: Path | str,
    other_passphrase: str,
    *,
    other_forum: bool = False,
    include_drafts: bool = False,
) -> MergeResult:
    """Bring another copy of the forum's file (a volunteer's laptop file) into this one.

    Surveys and their versions, responses, quotes with their tags, codebooks and codes with
    their inspection areas, the deny-list, tombstones and the audit log come across by id.
    Merging the same file twice changes nothing the second time, and merging several copies
    gives the same data in any order. A record changed in both copies since they parted keeps
    the later change and the other in the conflicts (``list_conflicts``); a record deleted or
    erased in either stays gone, and an erasure in the other copy erases here too. The other
    copy's unfinished drafts stay on that laptop unless ``include_drafts``.

    Raises WrongPassphrase or DamagedFile for the other file (nothing changes here),
    OtherForumFile for a file of another forum unless ``other_forum``.
    """
    _refuse_same_file(workspace, other_path)
    return merge_decrypted(
        workspace,
        decrypt_copy(other_path, other_passphrase),
        other_forum=other_forum,
        include_drafts=include_drafts,
    )


def merge_decrypted(
    workspace: Workspace,
    copy: DecryptedCopy,
    *,
    other_forum: bool = False,
    include_drafts: bool = False,
) -> MergeResult:
    """:func:`merge`, for another copy already decrypted by :func:`decrypt_copy` (the app
    decrypts in a worker, then merges here, on the database thread). The copy's image is
    wiped whatever happens."""
    try:
        _refuse_same_file(workspace, copy.path)
    except SameFile:
        copy.discard()
        raise
    other = load_copy(copy.path, copy.image)
    try:
        if other.forum_id != workspace.forum.forum_id and not other_forum:
            raise OtherForumFile(other.path, other.name)
        return merge_copy(workspace, other, include_drafts=include_drafts)
    finally:
        other.close()


def another_forum(workspace: Workspace, copy: DecryptedCopy) -> str | None:
    """The other forum's name when a decrypted copy belongs to another forum than the open
    file (merging it then needs ``other_forum=True``); None when it is a copy of this one."""
    if copy.forum_id and copy.forum_id != workspace.forum.forum_id:
        return copy.forum
    return None


def _refuse_same_file(workspace: Workspace, other_path: Path | str) -> None:
    if canonical(other_path) == canonical(workspace.path):
        raise SameFile(
            f"“{Path(other_path).name}” is the file open here; merge another copy into it."
        )


def merge_changed_file(workspace: Workspace, *_: object) -> MergeResult:
    """After a save was refused because another program saved the file meanwhile
    (FileChangedOnDisk): bring that version's changes into the changes made here, then save
    over it, so neither program's work is lost (as KeePassXC does with a changed database).

    The version on disk is read with this file's own key. Drafts come across too (they are
    this forum file's own). Raises FileChangedOnDisk when the file on disk is now another
    forum file (save the changes as a new file instead). Callable as the workspace's
    ``merge_when_changed_on_disk`` handler.
    """
    disk: DiskVersion = workspace.read_disk_version()
    other = load_copy(workspace.path, disk.image)
    try:
        return merge_copy(workspace, other, include_drafts=True, over=disk)
    finally:
        other.close()


def merge_copy(
    workspace: Workspace,
    other: OtherCopy,
    *,
    include_drafts: bool = False,
    over: DiskVersion | None = None,
) -> MergeResult:
    """Merge an opened copy (see :func:`merge`); with ``over``, the save writes over that
    version of this very file (see :func:`merge_changed_file`)."""
    result = MergeResult(other.path.name)
    action = MERGED if over is None else CHANGED_FILE_MERGED
    forum = workspace.forum
    db = workspace.db
    with workspace.transaction(action, purge=_erases(workspace, other)) as change:
        merging = Merging(
            db=db,
            other=other,
            target_name=workspace.path.name,
            target_origin=forum.origin_id,
            found=audit.now_iso(),
            result=result,
        )
        db.execute("PRAGMA defer_foreign_keys = ON")
        with history.paused(merging.conn):
            result.audit_entries = merge_audit_log(merging)
            bring_tombstones(merging)
            merge_surveys(merging)
            merge_codebooks(merging, _codes_their_quotes_use(merging))
            _merge_responses(merging, include_drafts=include_drafts)
            _merge_quotes(merging)
        audit.record(db, action, result.audit_counts(), [other.origin_id])
        for kind, ids in merging.touched.items():
            change.touch(kind, *ids)
        if over is not None:
            workspace.save_over(over)
    return result


def _erases(workspace: Workspace, other: OtherCopy) -> bool:
    """Whether the other copy erased anything this file holds (the save then purges): a
    response or quote, or the version of a response that an import there replaced with an
    edited one (the merge brings the edited one in, and the words it replaced must not stay in
    this file or its backup)."""
    erased = [
        str(row[0])
        for row in other.conn.execute(
            "SELECT id FROM tombstones WHERE reason = 'erased' AND kind IN ('response', 'quote')"
        ).fetchall()
    ]
    if not erased:
        return False
    db = workspace.db
    if holds_replaced_version(db, _not_buried_here(db, erased)):
        return True
    held = 0
    for start in range(0, len(erased), 500):
        batch = erased[start : start + 500]
        marks = ", ".join("?" * len(batch))
        sql = (
            f"SELECT (SELECT COUNT(*) FROM responses WHERE id IN ({marks})) + "  # noqa: S608
            f"(SELECT COUNT(*) FROM quotes WHERE id IN ({marks}))"
        )
        held += int(db.execute(sql, [*batch, *batch]).fetchone()[0])
    return held > 0


def _not_buried_here(db: sqlite_utils.Database, ids: list[str]) -> list[str]:
    """Those of ``ids`` this file has no tombstone for yet (what the other copy buried since)."""
    new: list[str] = []
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        marks = ", ".join("?" * len(batch))
        held = {
            str(row[0])
            for row in db.execute(
                f"SELECT id FROM tombstones WHERE id IN ({marks})",  # noqa: S608
                batch,
            ).fetchall()
        }
        new.extend(item for item in batch if item not in held)
    return new


def _codes_their_quotes_use(merging: Merging) -> set[str]:
    merges = code_merges(merging.conn)
    used = {
        str(row[0]) for row in merging.other.conn.execute("SELECT DISTINCT code_id FROM quote_tags")
    }
    return {merges.get(code, code) for code in used}


def _merge_responses(merging: Merging, *, include_drafts: bool) -> None:
    theirs = read_theirs(merging, "response")
    gone = buried(merging.db, set(theirs))
    surveys = {str(row[0]) for row in merging.conn.execute("SELECT id FROM main.surveys")}
    versions = {str(row[0]) for row in merging.conn.execute("SELECT id FROM main.survey_versions")}
    coming: dict[str, Version] = {}
    for response_id, version in theirs.items():
        if response_id in gone or version.row["survey_id"] not in surveys:
            merging.result.removed_earlier += 1
        elif version.row["status"] == "draft" and not include_drafts:
            merging.result.drafts_left += 1
        elif version.row["version_id"] in versions:
            coming[response_id] = version
    merge_records(merging, "response", coming)


def _merge_quotes(merging: Merging) -> None:
    theirs = read_theirs(merging, "quote")
    gone = buried(merging.db, set(theirs))
    responses = {str(row[0]) for row in merging.conn.execute("SELECT id FROM main.responses")}
    coming: dict[str, Version] = {}
    for quote_id, version in theirs.items():
        if quote_id in gone:
            merging.result.removed_earlier += 1
        elif version.row["response_id"] in responses:
            coming[quote_id] = version
    merges = code_merges(merging.conn)
    codes = {str(row[0]) for row in merging.conn.execute("SELECT id FROM main.codes")}
    merge_records(merging, "quote", coming, lambda version: fit_tags(version, merges, codes))
