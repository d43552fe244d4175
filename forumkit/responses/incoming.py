"""Taking in many responses at once (an import): which rows are new, and adding them in bulk.

Imported responses carry a ``source_key`` (unique per survey) so importing the same export twice
adds nothing; their ids are derived from it (:func:`incoming_id`), so two laptops importing the
same export agree too. A forumkit export's rows keep their own response ids. Rows whose response
was deleted or erased in this file stay out (its tombstone, :mod:`forumkit.tombstones`).
:func:`sort_incoming` is the one place that decides all that, for a dry run and for the import.

The whole batch is one transaction and one save, so 10,000 rows cost one re-encryption rather
than 10,000. Rows go in through ``saving.insert_rows`` (sqlite-utils' ``insert_all``). Look-ups
use sqlite-utils' ``rows_where``; the ids asked about are bound in batches of
:data:`_ID_BATCH`, so a large import never reads every id the file holds.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlite_utils

from forumkit import audit, tombstones
from forumkit.responses.errors import ResponseSurveyMismatch
from forumkit.responses.model import STATUSES, AnswerEncoder, Status, clean_respondent
from forumkit.responses.saving import insert_rows
from forumkit.surveys import Survey

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

_RESPONSE_NAMESPACE = uuid.UUID("0b6d3c52-8f7e-4a51-b9a3-51d7e2c0f4a8")
_NAMESPACE_BYTES = _RESPONSE_NAMESPACE.bytes
_ID_BATCH = 500


@dataclass(frozen=True)
class IncomingResponse:
    """One response from a spreadsheet import, already checked by the importer."""

    answers: Mapping[str, object]
    """Cleaned answers as returned by ``forumkit.surveys.check_response(...).answers``."""
    source: str
    """e.g. ``import:googleforms:export.csv``."""
    source_key: str
    """The response's identity in its source, so a re-import is recognised."""
    respondent: str | None = None
    started: str | None = None
    """ISO 8601."""
    finished: str | None = None
    status: Status = "complete"
    """``draft`` only for forumkit's own exports of drafts (the importer then checks types only)."""
    response_id: str | None = None
    """The response's own id, when the source is a forumkit export (else derived from the key).
    A response whose id is already in the file counts as a duplicate."""


@dataclass(frozen=True)
class AddedResponses:
    """What :func:`add_incoming` did."""

    added: int
    duplicates: int
    ids: tuple[str, ...]
    removed_earlier: int = 0
    """Rows skipped because that response was deleted or erased in this file before."""


@dataclass(frozen=True)
class SortedIncoming:
    """Incoming rows sorted into the new ones and those skipped, with why."""

    new: tuple[tuple[str, IncomingResponse], ...]
    """(response id, row) for each row to add, in the order given."""
    duplicates: int
    """Rows already held (same source key, or same response id), or repeated in the batch."""
    removed_earlier: int
    """Rows whose response was deleted or erased in this file before: they stay gone."""


def incoming_id(survey_id: str, source_key: str) -> str:
    """The id an imported response gets: the same in every forum file that imports it."""
    # uuid.uuid5 spelled out (SHA-1 of namespace and name, version 5, RFC 4122 variant): the
    # same text, without building a UUID object for each of an import's thousands of rows.
    name = f"{survey_id}\n{source_key}".encode()
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name, usedforsecurity=False).digest())
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest[:16].hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def existing_source_keys(db: sqlite_utils.Database, survey_id: str) -> set[str]:
    """The source keys of the responses already imported into a survey."""
    rows = db.table("responses").rows_where(
        "survey_id = ? AND source_key IS NOT NULL", [survey_id], select="source_key"
    )
    return {str(row["source_key"]) for row in rows}


def held_response_ids(db: sqlite_utils.Database, wanted: Sequence[str]) -> set[str]:
    """Which of ``wanted`` are ids of responses in the file."""
    held: set[str] = set()
    unique = list(dict.fromkeys(wanted))
    responses = db.table("responses")
    for start in range(0, len(unique), _ID_BATCH):
        batch = unique[start : start + _ID_BATCH]
        marks = ", ".join("?" * len(batch))
        rows = responses.rows_where(f"id IN ({marks})", batch, select="id")
        held.update(str(row["id"]) for row in rows)
    return held


def sort_incoming(
    db: sqlite_utils.Database, survey_id: str, incoming: Sequence[IncomingResponse]
) -> SortedIncoming:
    """The one place that decides which incoming rows a survey does not hold yet.

    A row counts as held when its ``source_key`` is already in the survey (or earlier in the
    batch), or its given ``response_id`` is already in the file; it stays out when a tombstone
    says its response was deleted or erased. Imports' dry runs and :func:`add_incoming` both
    ask here, so what a dry run promises is what the import does.
    """
    seen = existing_source_keys(db, survey_id)
    held_ids = held_response_ids(db, [item.response_id for item in incoming if item.response_id])
    ids = [item.response_id or incoming_id(survey_id, item.source_key) for item in incoming]
    gone = tombstones.buried(db, ids)
    new: list[tuple[str, IncomingResponse]] = []
    duplicates = removed_earlier = 0
    for response_id, item in zip(ids, incoming, strict=True):
        if response_id in gone:
            removed_earlier += 1
        elif item.source_key in seen or response_id in held_ids:
            duplicates += 1
        else:
            seen.add(item.source_key)
            held_ids.add(response_id)
            new.append((response_id, item))
    return SortedIncoming(tuple(new), duplicates, removed_earlier)


def add_incoming(
    workspace: Workspace,
    survey: Survey,
    incoming: Sequence[IncomingResponse],
    *,
    captured_by: str | None = None,
) -> AddedResponses:
    """Insert imported responses (complete unless marked draft), all or nothing, skipping ones
    already held or deleted before (see :func:`sort_incoming`).

    One transaction and one save for the whole batch.
    """
    if not survey.id or not survey.version_id:
        raise ResponseSurveyMismatch("The survey must be one stored in this forum file.")
    db = workspace.db
    for item in incoming:
        if item.status not in STATUSES:
            raise ValueError(f"a response's status is draft or complete, not {item.status!r}")
    sorted_rows = sort_incoming(db, survey.id, incoming)
    encode = AnswerEncoder(survey)
    now = audit.now_iso()
    origin = workspace.forum.origin_id
    rows: list[dict[str, Any]] = []
    for response_id, item in sorted_rows.new:
        respondent = clean_respondent(item.respondent)
        rows.append(
            {
                "id": response_id,
                "survey_id": survey.id,
                "version_id": survey.version_id,
                "status": item.status,
                "source": item.source,
                "source_key": item.source_key,
                "respondent": respondent,
                "respondent_key": respondent.casefold() if respondent else None,
                "captured_by": captured_by or None,
                "device_id": origin,
                "started": item.started,
                "finished": item.finished,
                "modified": now,
                "answers": encode(item.answers),
            }
        )
    ids = tuple(response_id for response_id, _ in sorted_rows.new)
    counts = {
        "added": len(rows),
        "duplicates": sorted_rows.duplicates,
        "removed_earlier": sorted_rows.removed_earlier,
    }
    with workspace.transaction("responses_imported") as change:
        insert_rows(db, rows)
        audit.record(db, "responses_imported", counts, [survey.id, survey.version_id])
        change.touch("responses", *ids)
    return AddedResponses(len(rows), sorted_rows.duplicates, ids, sorted_rows.removed_earlier)
