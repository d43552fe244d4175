"""Tombstones: what was deleted stays deleted.

When a response or a quote is deleted or erased, or a survey removed, its opaque id is kept here
with the reason and when — nothing else, no personal data. Every path that adds responses,
quotes or surveys (imports, merging several laptops' files) consults them, so re-importing
last month's export does not bring back a respondent who asked to be erased. Deleted codes,
codebooks and deny-list entries are buried too (by triggers of the schema, data version 8), so
a merge does not bring them back from a copy made before they went.

An erasure's tombstone is the "suppression" record the ICO allows for this purpose: it holds
an id that is meaningless outside the forum file, never the person's reference or answers.

Tombstones are read and deleted with sqlite-utils (``rows_where``, ``delete_where``). Two
statements are written by hand: burying, an upsert that keeps an erasure's reason over a later
deletion's (sqlite-utils' ``upsert`` replaces unconditionally), and the count per reason (a
``GROUP BY``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import sqlite_utils

from forumkit import audit

Kind = Literal["response", "survey", "quote", "code", "codebook", "deny_term"]
Reason = Literal["deleted", "erased", "removed"]


def bury(
    db: sqlite_utils.Database, kind: Kind, reason: Reason, ids: Iterable[str], at: str = ""
) -> None:
    """Record ``ids`` as gone; an erasure's reason outranks an earlier deletion's."""
    when = at or audit.now_iso()
    db.conn.executemany(
        "INSERT INTO tombstones (id, kind, reason, at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, at = excluded.at "
        "WHERE excluded.reason != 'deleted'",
        [(str(item), kind, reason, when) for item in ids],
    )


def buried(db: sqlite_utils.Database, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` have a tombstone."""
    wanted = list(dict.fromkeys(str(item) for item in ids))
    found: set[str] = set()
    table = db.table("tombstones")
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(str(row["id"]) for row in table.rows_where(f"id IN ({marks})", chunk))
    return found


def reason(db: sqlite_utils.Database, item: str) -> Reason | None:
    """Why ``item`` is gone (None when it has no tombstone)."""
    row = next(db.table("tombstones").rows_where("id = ?", [item], select="reason"), None)
    if row is None:
        return None
    found: Reason = row["reason"]
    return found


def raise_from_grave(db: sqlite_utils.Database, item: str, *, removed: bool = False) -> None:
    """Forget a deletion's tombstone, when an undo puts the very same record back (or, with
    ``removed``, when the forum brings a removed survey back on purpose). An erasure's
    tombstone is never forgotten."""
    reasons = ("deleted", "removed") if removed else ("deleted",)
    marks = ", ".join("?" * len(reasons))
    db.table("tombstones").delete_where(f"id = ? AND reason IN ({marks})", [item, *reasons])


def count(db: sqlite_utils.Database) -> dict[str, int]:
    """How many tombstones of each reason the file holds (for ``info`` and tests)."""
    rows = db.execute("SELECT reason, COUNT(*) FROM tombstones GROUP BY reason").fetchall()
    return {str(name): int(number) for name, number in rows}
