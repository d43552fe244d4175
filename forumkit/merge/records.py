"""Merging the records of one kind: each record's versions compared, the winner written, the
losers kept as conflicts, the superseded digests carried along.

This is the one loop every kind goes through (surveys' settings, codebooks, codes, deny-list
entries, responses, quotes). What differs between kinds is only which of the other copy's
records may come in at all (the caller's filter) and the small repairs a version may need to
fit this file (:data:`Fixer`: a tag on a code merged away here, a shortcut two codes now share).
A repaired version is a change made here: the version it repaired is recorded as superseded,
so every copy that meets both keeps the repaired one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import sqlite_utils

from forumkit.merge.model import KindCounts, MergeResult
from forumkit.merge.source import OtherCopy
from forumkit.merge.versions import (
    Version,
    current_digest,
    decide,
    read_conflicts,
    read_superseded,
    read_versions,
    set_conflicts,
    set_superseded,
    write_version,
)
from forumkit.schema.history import KindName
from forumkit.workspace import ChangeKind

Fixer = Callable[[Version], Version | None]
"""Given the version about to be written, the version to write instead (itself when it fits
as it is), or None to leave the record out of this file."""


@dataclass
class Merging:
    """One merge under way: the target's connection (inside its transaction) and the other
    copy, with what has been done so far."""

    db: sqlite_utils.Database
    other: OtherCopy
    target_name: str
    target_origin: str
    found: str
    """When this merge ran (stamped on the conflicts it keeps)."""
    result: MergeResult
    touched: dict[ChangeKind, set[str]] = field(default_factory=dict)
    repaired: set[str] = field(default_factory=set)
    """Records changed here by a repair during this merge (read again before they are merged)."""

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def touch(self, kind: ChangeKind, *ids: str) -> None:
        self.touched.setdefault(kind, set()).update(ids)


_TOUCHES: dict[KindName, ChangeKind] = {
    "response": "responses",
    "quote": "quotes",
    "code": "codebooks",
    "codebook": "codebooks",
    "deny_term": "quotes",
    "survey": "surveys",
}
"""The change kind a record of each kind touches (what views of it reload on)."""


def touches(kind: KindName) -> ChangeKind:
    return _TOUCHES[kind]


def merge_records(
    merging: Merging,
    kind: KindName,
    theirs: Mapping[str, Version],
    fix: Fixer | None = None,
) -> KindCounts:
    """Bring the other copy's records of ``kind`` (``theirs``, already filtered to those that
    may come in) into the target: see :func:`forumkit.merge.versions.decide`."""
    counts = merging.result.kind(kind)
    if not theirs:
        return counts
    conn = merging.conn
    ids = sorted(theirs)
    held = _read_held(conn, kind, ids, merging)
    held_conflicts = read_conflicts(conn, kind, ids)
    their_conflicts = read_conflicts(merging.other.conn, kind, ids)
    held_superseded = read_superseded(conn, ids)
    their_superseded = read_superseded(merging.other.conn, ids)
    for record_id in ids:
        if record_id in merging.repaired:
            held.update(_read_held(conn, kind, [record_id], merging))
            held_superseded.update(read_superseded(conn, [record_id]))
        ours = held.get(record_id)
        kept = held_conflicts.get(record_id, [])
        versions = [*([ours] if ours is not None else []), *kept, theirs[record_id]]
        versions.extend(their_conflicts.get(record_id, []))
        replaced_here = held_superseded.get(record_id, set())
        decision = decide(versions, replaced_here | their_superseded.get(record_id, set()))
        replaced = set(decision.superseded)
        winner = decision.winner
        if fix is not None:
            fixed = fix(winner)
            if fixed is None:
                continue
            winner = fixed
        if ours is None or not (winner.same_content(ours) and winner.stamp == ours.stamp):
            write_version(conn, winner, held=ours)
            merging.touch(touches(kind), record_id)
        digest = winner.digest
        if winner is not decision.winner:
            # Repaired to fit this file: a change made here, which supersedes what it repaired.
            digest = current_digest(conn, kind, record_id)
            if digest != decision.winner.digest:
                replaced.add(decision.winner.digest)
            replaced.discard(digest)
        if ours is None:
            counts.added += 1
        elif digest == ours.digest:
            counts.unchanged += 1
        else:
            counts.updated += 1
        counts.conflicts += set_conflicts(conn, record_id, kept, decision.losers, merging.found)
        set_superseded(conn, record_id, replaced_here, replaced)
    return counts


def _read_held(
    conn: sqlite3.Connection, kind: KindName, ids: list[str], merging: Merging
) -> dict[str, Version]:
    found = read_versions(conn, kind, ids)
    return {
        record_id: _labelled(version, merging.target_origin, merging.target_name)
        for record_id, version in found.items()
    }


def _labelled(version: Version, origin: str, source: str) -> Version:
    return Version(
        version.kind,
        version.record_id,
        version.digest,
        version.stamp,
        version.row,
        version.children,
        origin,
        source,
    )


def read_theirs(
    merging: Merging, kind: KindName, *, where: str = "", params: tuple[object, ...] = ()
) -> dict[str, Version]:
    """The other copy's current records of ``kind`` (filtered by ``where`` on ``r``), each
    labelled with the copy it came from (for the conflicts it may become)."""
    other = merging.other
    found = read_versions(other.conn, kind, where=where, params=params)
    return {
        record_id: _labelled(version, other.origin_id, other.path.name)
        for record_id, version in found.items()
    }
