"""The audit log: what was done to the forum's data, when, to how many records.

It answers a chair's and an inspector's "who saw what": which exports, packs, merges and
erasures happened, and which record ids they involved (so an erasure can tell the recipients of
packs that already left). It never holds personal data: actions, counts and opaque ids only.
The table is append-only; triggers in the schema refuse updates and deletes. Entries are written
and read with sqlite-utils (``insert``, ``rows_where``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils


@dataclass(frozen=True)
class AuditEntry:
    at: str
    action: str
    counts: dict[str, int]
    object_ids: list[str]


def now_iso() -> str:
    """The current UTC time as the ISO string used everywhere in a forum file."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def record(
    db: sqlite_utils.Database,
    action: str,
    counts: dict[str, int] | None = None,
    object_ids: Sequence[str] = (),
) -> None:
    """Append one entry; call inside ``workspace.transaction()`` so it saves with the change."""
    db.table("audit_log").insert(
        {
            "at": now_iso(),
            "action": action,
            "counts": json.dumps(counts or {}, sort_keys=True),
            "object_ids": json.dumps(list(object_ids)),
        }
    )


def entries(db: sqlite_utils.Database, action: str | None = None) -> list[AuditEntry]:
    """Every entry, oldest first, optionally only those of one action."""
    rows = db.table("audit_log").rows_where(
        None if action is None else "action = ?",
        None if action is None else [action],
        order_by="id",
        select="at, action, counts, object_ids",
    )
    return [
        AuditEntry(
            row["at"], row["action"], json.loads(row["counts"]), json.loads(row["object_ids"])
        )
        for row in rows
    ]
