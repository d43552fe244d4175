"""Data-protection requests: a respondent's right of access and right to erasure (UK GDPR).

A respondent is found by the reference the chair recorded with their responses (e.g. the email
they gave), matched trimmed and case-insensitively. Erasure deletes the responses and
everything derived from them, then vacuums the database and rewrites the backup too
(``purge=True``), so the text survives in neither file. The audit log records the erasure with
counts and opaque ids only, and the erasure reports which earlier exports or packs carried the
erased responses, because their recipients must be told.

Later features that derive data from responses (quotes, tags) add their eraser to
:data:`ERASERS`, before the responses' own, so derived rows go first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlite_utils

from forumkit import audit
from forumkit.responses.model import Response, respondent_key
from forumkit.responses.store import COLUMNS, responses_from_rows

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

Eraser = Callable[[sqlite_utils.Database, Sequence[str]], dict[str, int]]
"""Deletes what one table holds about the given response ids; returns counts per kind."""

DISCLOSURE_ACTIONS = ("responses_exported", "pack_created")
"""Audit actions whose ids record responses that left the forum file."""


@dataclass(frozen=True)
class RespondentData:
    """Everything the forum file holds about one respondent (the answer to an access request)."""

    responses: tuple[Response, ...]
    surveys: dict[str, str]
    """Survey id → title, for the surveys those responses answer."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, as ``forumkit responses show --json`` prints it."""
        return {
            "responses": [
                {
                    "id": r.id,
                    "survey_id": r.survey_id,
                    "survey": self.surveys.get(r.survey_id, ""),
                    "version_id": r.version_id,
                    "status": r.status,
                    "respondent": r.respondent,
                    "source": r.source,
                    "captured_by": r.captured_by,
                    "device_id": r.device_id,
                    "started": r.started,
                    "finished": r.finished,
                    "modified": r.modified,
                    "consent_quote": r.consent_quote,
                    "consent_share": r.consent_share,
                    "answers": {name: _json_answer(value) for name, value in r.answers.items()},
                }
                for r in self.responses
            ]
        }


@dataclass(frozen=True)
class Disclosure:
    """An earlier export or pack that carried some of the erased responses."""

    at: str
    action: str
    responses: int


@dataclass(frozen=True)
class Erasure:
    """What an erasure deleted, and which earlier disclosures its recipients should hear of."""

    responses: int
    counts: dict[str, int]
    response_ids: tuple[str, ...]
    disclosures: tuple[Disclosure, ...]


def _json_answer(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if callable(isoformat) else str(value)


def _respondent_rows(db: sqlite_utils.Database, reference: str) -> list[Any]:
    key = respondent_key(reference)
    if key is None:
        return []
    sql = f"SELECT {COLUMNS} FROM responses WHERE respondent_key = ? ORDER BY seq"  # noqa: S608
    return list(db.execute(sql, [key]).fetchall())


def find_respondent(db: sqlite_utils.Database, reference: str) -> RespondentData:
    """Every response recorded with this respondent reference, with all its answers."""
    responses = tuple(responses_from_rows(db, _respondent_rows(db, reference)))
    survey_ids = sorted({r.survey_id for r in responses})
    titles = {
        str(row[0]): str(row[1])
        for sid in survey_ids
        for row in db.execute("SELECT id, title FROM surveys WHERE id = ?", [sid]).fetchall()
    }
    return RespondentData(responses, titles)


def _erase_responses(db: sqlite_utils.Database, response_ids: Sequence[str]) -> dict[str, int]:
    deleted = 0
    for response_id in response_ids:
        deleted += db.execute("DELETE FROM responses WHERE id = ?", [response_id]).rowcount
    return {"responses": deleted}


ERASERS: list[Eraser] = [_erase_responses]
"""What erasure runs, in order: derived data (quotes, tags) first, the responses last."""


def disclosures_of(db: sqlite_utils.Database, response_ids: Sequence[str]) -> list[Disclosure]:
    """Earlier exports and packs (from the audit log) that carried any of these responses."""
    if not response_ids:
        return []
    wanted = set(response_ids)
    found: list[Disclosure] = []
    for action in DISCLOSURE_ACTIONS:
        for entry in audit.entries(db, action):
            carried = len(wanted.intersection(entry.object_ids))
            if carried:
                found.append(Disclosure(entry.at, entry.action, carried))
    return sorted(found, key=lambda d: d.at)


def erase_respondent(workspace: Workspace, reference: str) -> Erasure:
    """Delete for good every response of this respondent and everything derived from them.

    The database is vacuumed and the backup rewritten in the same save, so nothing of the
    erased text stays in the forum file or its ``.bak``. With nothing to erase, nothing changes.
    """
    db = workspace.db
    ids = [str(row[0]) for row in _respondent_rows(db, reference)]
    if not ids:
        return Erasure(0, {}, (), ())
    disclosures = tuple(disclosures_of(db, ids))
    counts: dict[str, int] = {}
    with workspace.transaction("respondent_erased", purge=True) as change:
        for eraser in ERASERS:
            for kind, number in eraser(db, ids).items():
                counts[kind] = counts.get(kind, 0) + number
        audit.record(
            db,
            "respondent_erased",
            {**counts, "earlier_disclosures": len(disclosures)},
            ids,
        )
        change.touch("responses", *ids)
    return Erasure(counts.get("responses", 0), counts, tuple(ids), disclosures)
