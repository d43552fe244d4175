"""Versions of records as a merge handles them: read from a forum database, compared, written.

A :class:`Version` is one record's whole content as one copy of the forum file holds it: its
row (every stored column), its children (a quote's tags, a code's inspection areas), the digest
of its content and its stamp (when it was made), as defined per kind in
:mod:`forumkit.schema.history`. Versions with the same digest are the same version; among
several, :func:`decide` keeps what a merge keeps.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from forumkit.schema.history import KINDS, KindName, VersionedKind

BATCH = 500
CONFLICT_NAMESPACE = uuid.UUID("c2f1a8e4-5b7d-4e3a-9f6c-1d0b8a7e6c52")


def conflict_id(record_id: str, digest: int) -> str:
    """The id every copy of the forum's file gives the conflict keeping this version aside."""
    return str(uuid.uuid5(CONFLICT_NAMESPACE, f"{record_id}:{digest}"))


@dataclass(frozen=True)
class Version:
    """One record as one copy holds it. Its ``repr`` carries ids, digest and stamp only."""

    kind: KindName
    record_id: str
    digest: int
    stamp: str
    row: dict[str, Any] = field(repr=False)
    """Every stored column but the id (and a table's ``seq``)."""
    children: tuple[tuple[Any, ...], ...] = field(default=(), repr=False)
    """The child rows' own columns (``Children.columns``), sorted."""
    origin: str = ""
    """The copy (its origin id) that held this version when a merge kept it aside."""
    source: str = ""
    """That copy's file name then."""

    def as_json(self) -> str:
        return json.dumps(
            {"row": self.row, "children": [list(child) for child in self.children]},
            ensure_ascii=False,
            sort_keys=True,
        )

    def same_content(self, other: Version) -> bool:
        return self.row == other.row and self.children == other.children


def later(a: Version, b: Version) -> Version:
    """The one of two versions a merge keeps: the later stamp; for equal stamps the larger
    digest; for the same digest and stamp the larger JSON (rows that differ only in where
    they came from). Arbitrary in the last two steps, but the same on every laptop."""
    if (a.stamp, a.digest) != (b.stamp, b.digest):
        return a if (a.stamp, a.digest) > (b.stamp, b.digest) else b
    if a.same_content(b):
        return a
    return a if a.as_json() >= b.as_json() else b


@dataclass(frozen=True)
class Decision:
    """What a merge makes of one record's versions."""

    winner: Version
    losers: tuple[Version, ...]
    """Versions changed since the copies parted that lost to the winner: kept as conflicts."""
    superseded: frozenset[int]
    """The digests the record has replaced, from now on."""


def decide(versions: Sequence[Version], superseded: Iterable[int]) -> Decision:
    """Among the versions of one record (each copy's current one and the conflicts each kept),
    the winner and the losers to keep, given the digests either copy has replaced.

    A version some copy has replaced is out: that copy changed the record since (this is what
    makes a change in one copy win without a conflict). Of those left, the later wins (see
    :func:`later`) and the others are conflicts. If every version was replaced somewhere (two
    copies changed the record back and forth to each other's content), the later of all wins.
    The result depends only on the set of versions and digests, so merging in any order, or
    twice, gives the same.
    """
    replaced = set(superseded)
    by_digest: dict[int, Version] = {}
    for version in versions:
        held = by_digest.get(version.digest)
        by_digest[version.digest] = version if held is None else later(held, version)
    live = [v for v in by_digest.values() if v.digest not in replaced]
    if not live:
        live = list(by_digest.values())
        live = [max_version(live)]
    winner = max_version(live)
    losers = tuple(
        sorted((v for v in live if v.digest != winner.digest), key=lambda v: (v.stamp, v.digest))
    )
    return Decision(winner, losers, frozenset(replaced - {v.digest for v in live}))


def max_version(versions: Sequence[Version]) -> Version:
    best = versions[0]
    for version in versions[1:]:
        best = later(best, version)
    return best


# -- reading ------------------------------------------------------------------------------------


def stored_columns(conn: sqlite3.Connection, kind: VersionedKind) -> tuple[str, ...]:
    """The columns a version of ``kind`` carries: every column of its table but id and seq."""
    names = (str(row[1]) for row in conn.execute(f"PRAGMA main.table_info({kind.table})"))
    return tuple(name for name in names if name not in ("id", "seq"))


def _batches(ids: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), BATCH):
        yield list(ids[start : start + BATCH])


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def read_versions(
    conn: sqlite3.Connection,
    kind_name: KindName,
    ids: Iterable[str] | None = None,
    *,
    where: str = "",
    params: Sequence[object] = (),
) -> dict[str, Version]:
    """The current version of each record of a kind (those with ``ids``, or all; ``where``
    filters further, on the row alias ``r``)."""
    kind = KINDS[kind_name]
    columns = stored_columns(conn, kind)
    select = (
        f"SELECT r.id, {', '.join('r.' + c for c in columns)}, {kind.digest_sql('r')}, "  # noqa: S608
        f"coalesce({kind.stamp_sql('r')}, '') FROM main.{kind.table} r"
    )
    rows: list[Any] = []
    if ids is None:
        sql = select + (f" WHERE {where}" if where else "")
        rows = conn.execute(sql, list(params)).fetchall()
    else:
        for batch in _batches(list(dict.fromkeys(ids))):
            sql = f"{select} WHERE r.id IN ({_marks(len(batch))})" + (
                f" AND {where}" if where else ""
            )
            rows.extend(conn.execute(sql, [*batch, *params]).fetchall())
    found: dict[str, Version] = {}
    for row in rows:
        record_id = str(row[0])
        values = dict(zip(columns, row[1 : 1 + len(columns)], strict=True))
        found[record_id] = Version(kind_name, record_id, int(row[-2]), str(row[-1]), values)
    if kind.children is not None and found:
        children = read_children(conn, kind, list(found))
        found = {
            record_id: Version(
                version.kind,
                record_id,
                version.digest,
                version.stamp,
                version.row,
                children.get(record_id, ()),
            )
            for record_id, version in found.items()
        }
    return found


def read_children(
    conn: sqlite3.Connection, kind: VersionedKind, ids: Sequence[str]
) -> dict[str, tuple[tuple[Any, ...], ...]]:
    """Each record's child rows (their own columns), sorted."""
    child = kind.children
    assert child is not None
    found: dict[str, list[tuple[Any, ...]]] = {}
    columns = ", ".join(child.columns)
    for batch in _batches(ids):
        sql = (
            f"SELECT {child.parent}, {columns} FROM main.{child.table} "  # noqa: S608
            f"WHERE {child.parent} IN ({_marks(len(batch))})"
        )
        for row in conn.execute(sql, batch).fetchall():
            found.setdefault(str(row[0]), []).append(tuple(row[1:]))
    return {record_id: tuple(sorted(rows)) for record_id, rows in found.items()}


def read_conflicts(
    conn: sqlite3.Connection, kind_name: KindName, ids: Iterable[str] | None = None
) -> dict[str, list[Version]]:
    """The versions kept aside as conflicts, by record (all of a kind, or those of ``ids``)."""
    sql = (
        "SELECT record_id, digest, stamp, version, origin, source FROM main.conflicts "
        "WHERE kind = ?"
    )
    rows: list[Any] = []
    if ids is None:
        rows = conn.execute(sql, [kind_name]).fetchall()
    else:
        for batch in _batches(list(dict.fromkeys(ids))):
            rows.extend(
                conn.execute(
                    f"{sql} AND record_id IN ({_marks(len(batch))})", [kind_name, *batch]
                ).fetchall()
            )
    found: dict[str, list[Version]] = {}
    for record_id, digest, stamp, text, origin, source in rows:
        found.setdefault(str(record_id), []).append(
            from_json(kind_name, str(record_id), int(digest), str(stamp), str(text), origin, source)
        )
    return found


def from_json(
    kind: KindName,
    record_id: str,
    digest: int,
    stamp: str,
    text: str,
    origin: str = "",
    source: str = "",
) -> Version:
    data = json.loads(text)
    children = tuple(sorted(tuple(child) for child in data.get("children", [])))
    return Version(kind, record_id, digest, stamp, dict(data["row"]), children, origin, source)


def read_superseded(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, set[int]]:
    """The digests each record has replaced."""
    found: dict[str, set[int]] = {}
    for batch in _batches(list(dict.fromkeys(ids))):
        sql = f"SELECT id, digest FROM main.superseded WHERE id IN ({_marks(len(batch))})"  # noqa: S608
        for record_id, digest in conn.execute(sql, batch).fetchall():
            found.setdefault(str(record_id), set()).add(int(digest))
    return found


# -- writing ------------------------------------------------------------------------------------


def write_version(conn: sqlite3.Connection, version: Version, *, held: Version | None) -> None:
    """Make ``version`` the record's current one in ``conn`` (``held``: what it holds now)."""
    kind = KINDS[version.kind]
    columns = list(version.row)
    if held is None:
        names = ", ".join(["id", *columns])
        conn.execute(
            f"INSERT INTO main.{kind.table} ({names}) VALUES ({_marks(len(columns) + 1)})",  # noqa: S608
            [version.record_id, *version.row.values()],
        )
    else:
        changed = [c for c in columns if held.row.get(c) != version.row[c]]
        if changed:
            assignments = ", ".join(f"{c} = ?" for c in changed)
            conn.execute(
                f"UPDATE main.{kind.table} SET {assignments} WHERE id = ?",  # noqa: S608
                [*(version.row[c] for c in changed), version.record_id],
            )
    child = kind.children
    if child is None or (held is not None and held.children == version.children):
        return
    if held is not None:
        conn.execute(
            f"DELETE FROM main.{child.table} WHERE {child.parent} = ?",  # noqa: S608
            [version.record_id],
        )
    names = ", ".join([child.parent, *child.columns])
    conn.executemany(
        f"INSERT INTO main.{child.table} ({names}) VALUES ({_marks(len(child.columns) + 1)})",  # noqa: S608
        [(version.record_id, *values) for values in version.children],
    )


def current_digest(conn: sqlite3.Connection, kind_name: KindName, record_id: str) -> int:
    """The digest of the record as ``conn`` holds it now."""
    kind = KINDS[kind_name]
    row = conn.execute(
        f"SELECT {kind.digest_sql('r')} FROM main.{kind.table} r WHERE r.id = ?",  # noqa: S608
        [record_id],
    ).fetchone()
    return int(row[0])


def set_superseded(
    conn: sqlite3.Connection, record_id: str, held: set[int], wanted: Iterable[int]
) -> None:
    """Make the record's superseded digests ``wanted`` (``held``: what ``conn`` holds now)."""
    target = set(wanted)
    conn.executemany(
        "INSERT OR IGNORE INTO main.superseded (id, digest) VALUES (?, ?)",
        [(record_id, digest) for digest in sorted(target - held)],
    )
    conn.executemany(
        "DELETE FROM main.superseded WHERE id = ? AND digest = ?",
        [(record_id, digest) for digest in sorted(held - target)],
    )


def _same(a: Version, b: Version) -> bool:
    return a.stamp == b.stamp and a.same_content(b)


def set_conflicts(
    conn: sqlite3.Connection,
    record_id: str,
    held: Sequence[Version],
    wanted: Sequence[Version],
    found: str,
) -> int:
    """Keep exactly ``wanted`` as the record's conflicts; how many of them are new here."""
    keep = {version.digest for version in wanted}
    have = {version.digest: version for version in held}
    conn.executemany(
        "DELETE FROM main.conflicts WHERE record_id = ? AND digest = ?",
        [(record_id, digest) for digest in sorted(have.keys() - keep)],
    )
    # The same version, as another copy holds it (a later stamp): kept as every copy keeps it.
    conn.executemany(
        "UPDATE main.conflicts SET stamp = ?, version = ? WHERE record_id = ? AND digest = ?",
        [
            (v.stamp, v.as_json(), record_id, v.digest)
            for v in wanted
            if v.digest in have
            and not (v.stamp == have[v.digest].stamp and v.same_content(have[v.digest]))
        ],
    )
    new = [version for version in wanted if version.digest not in have]
    conn.executemany(
        "INSERT INTO main.conflicts (id, kind, record_id, digest, stamp, version, origin, source, "
        "found) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                conflict_id(record_id, v.digest),
                v.kind,
                record_id,
                v.digest,
                v.stamp,
                v.as_json(),
                v.origin,
                v.source,
                found,
            )
            for v in new
        ],
    )
    return len(new)
