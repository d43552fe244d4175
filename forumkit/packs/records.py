"""The packs made so far, from the audit log (``forumkit packs``).

A pack's audit entry (action ``pack_created``) holds counts and ids only: first the pack's id,
then its surveys' ids (``counts["surveys"]`` of them), then the ids of the responses whose words
it holds. Nothing else about a pack is kept: not its password, not its file name (a path can
name a person), not its words.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from forumkit import audit
from forumkit.responses import PACK_CREATED


@dataclass(frozen=True)
class PackRecord:
    """One pack made from this forum file, as the audit log remembers it."""

    pack_id: str
    created: str
    survey_ids: tuple[str, ...]
    quotes: int
    responses: int
    """Responses whose words it holds."""
    counted: int
    """Responses it counted (those whose parent agreed to share)."""


def list_packs(db: sqlite_utils.Database) -> list[PackRecord]:
    """Every pack made from this file, oldest first."""
    records: list[PackRecord] = []
    for entry in audit.entries(db, PACK_CREATED):
        surveys = entry.counts.get("surveys", 1)
        ids = entry.object_ids
        records.append(
            PackRecord(
                pack_id=ids[0] if ids else "",
                created=entry.at,
                survey_ids=tuple(ids[1 : 1 + surveys]),
                quotes=entry.counts.get("quotes", 0),
                responses=entry.counts.get("responses", 0),
                counted=entry.counts.get("counted", 0),
            )
        )
    return records
