"""Taking in many responses at once (an import): which rows are new, changed or held, and
storing them in bulk.

Imported responses carry a ``source_key`` (unique per survey, see :mod:`.identity`) so
importing the same export twice adds nothing; their ids are derived from it
(:func:`incoming_id`), so two laptops importing the same export agree too. A forumkit export's
rows keep their own response ids. Rows whose response was deleted or erased in this file stay
out (its tombstone, :mod:`forumkit.tombstones`). :func:`sort_incoming` is the one place that
decides all that, for a dry run and for the import.

**Re-imports of edited exports.** A row is the same response as one held when it has the same
source key (a tool that gives ids) or, for a tool that gives none (Google Forms), the same
submission: submission time and respondent, each found once in the export and once in the
survey (:mod:`.identity`). When its answers or respondent differ from the held response, it
*changes* that response, unless

- the response was corrected in forumkit since it was imported (a person's correction is never
  overwritten: the row is counted as ``kept_corrected``), or
- the row is older than what is held (``outdated``): its content is a version an import
  replaced before (a tombstone remembers a digest of each replaced version), or it is not newer
  than the response's ``modified``. An imported response's ``modified`` is the row's
  ``as_of``: the tool's own edit time for the row where it gives one (Microsoft Forms' Last
  modified time), else when the export was made (the file's modification time, never later
  than the import). So a newer export updates and an older one never writes back what a newer
  one replaced, in whatever order the files come; and merge's "later ``modified`` wins" agrees,
  whichever laptop imported which export when.

A change replaces the answers in place (the response keeps its id, quotes and tags) and is
saved as an erasure is (``purge=True``: the database vacuumed, the backup rewritten), so the
replaced text survives in neither file.

The whole batch is one transaction and one save, so 10,000 rows cost one re-encryption rather
than 10,000. Rows go in through ``saving.insert_rows`` (sqlite-utils' ``insert_all``). Look-ups
use sqlite-utils' ``rows_where``; the ids asked about are bound in batches of
:data:`_ID_BATCH`, so a large import never reads every id the file holds. A change's
``UPDATE`` is written by hand, as ``saving``'s correction is (a response is found by its
``id``, not its primary key).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlite_utils

from forumkit import audit, tombstones
from forumkit.responses import identity
from forumkit.responses.errors import ResponseSurveyMismatch
from forumkit.responses.model import (
    STATUSES,
    AnswerEncoder,
    Status,
    clean_respondent,
    respondent_key,
)
from forumkit.responses.query import survey_for_version
from forumkit.responses.saving import insert_rows
from forumkit.surveys import Survey

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

_RESPONSE_NAMESPACE = uuid.UUID("0b6d3c52-8f7e-4a51-b9a3-51d7e2c0f4a8")
_NAMESPACE_BYTES = _RESPONSE_NAMESPACE.bytes
_ID_BATCH = 500

IMPORTED = "responses_imported"
"""The audit action of an import (counts only)."""
UPDATED_BY_IMPORT = "responses_updated_by_import"
"""The audit action naming the responses an import changed (ids only)."""
CORRECTED = "response_updated"
"""The audit action of a correction in forumkit (``saving.update_response``)."""


@dataclass(frozen=True)
class IncomingResponse:
    """One response from a spreadsheet import, already checked by the importer."""

    answers: Mapping[str, object]
    """Cleaned answers as returned by ``forumkit.surveys.check_response(...).answers``."""
    source: str
    """e.g. ``import:googleforms:export.csv``."""
    source_key: str
    """The response's identity in its source, so a re-import is recognised (made with
    ``identity.source_key``)."""
    respondent: str | None = None
    started: str | None = None
    """ISO 8601."""
    finished: str | None = None
    status: Status = "complete"
    """``draft`` only for forumkit's own exports of drafts (the importer then checks types only)."""
    response_id: str | None = None
    """The response's own id, when the source is a forumkit export (else derived from the key).
    A response whose id is already in the file counts as a duplicate."""
    row: int | None = None
    """The row number a spreadsheet program shows, for reports."""
    as_of: str | None = None
    """When the source last had the row as it is (UTC, ISO 8601): the tool's edit time for the
    row, else when the export was made; None for now. Stored as the response's ``modified``."""


@dataclass(frozen=True)
class ChangedResponse:
    """A held response that an incoming row changes (an edited export imported again)."""

    response_id: str
    incoming: IncomingResponse
    replaced_version: str
    """The tombstone id the version it replaces leaves (``identity.replaced_version_id``)."""


@dataclass(frozen=True)
class AddedResponses:
    """What :func:`add_incoming` did."""

    added: int
    duplicates: int
    ids: tuple[str, ...]
    removed_earlier: int = 0
    """Rows skipped because that response was deleted or erased in this file before."""
    updated: int = 0
    """Held responses changed by the import (their earlier answers purged)."""
    updated_ids: tuple[str, ...] = ()
    outdated: int = 0
    """Rows older than the responses held (see :class:`SortedIncoming`), left as held."""
    kept_corrected: int = 0
    """Rows changed in the source whose response was corrected in forumkit: kept as corrected."""


@dataclass(frozen=True)
class SortedIncoming:
    """Incoming rows sorted into the new ones, the changes and those skipped, with why."""

    new: tuple[tuple[str, IncomingResponse], ...]
    """(response id, row) for each row to add, in the order given."""
    duplicates: int
    """Rows already held as they are (same source key, or same response id, and the same
    content), or repeated in the batch."""
    removed_earlier: int
    """Rows whose response was deleted or erased in this file before: they stay gone."""
    changed: tuple[ChangedResponse, ...] = ()
    """Held responses the rows change, in the order given."""
    outdated: int = 0
    """Rows that are older versions of responses held: a version an import replaced before, or
    not newer than the response's ``modified``. Left as held."""
    kept_rows: tuple[int | None, ...] = ()
    """The rows (numbers) that change a response corrected in forumkit since it was imported:
    the correction is kept and the row's changes are not taken."""

    @property
    def kept_corrected(self) -> int:
        """How many rows :attr:`kept_rows` holds."""
        return len(self.kept_rows)

    @property
    def changed_rows(self) -> tuple[int, ...]:
        """The row numbers of the changes, for a dry run to show as "changed"."""
        return tuple(c.incoming.row for c in self.changed if c.incoming.row is not None)


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


def _submissions(incoming: Sequence[IncomingResponse], pending: Sequence[int]) -> dict[int, str]:
    """The submission of each pending row (by index) that is fingerprinted and whose
    submission is found once among all the batch's rows."""
    found: dict[int, str] = {}
    counts: dict[str, int] = {}
    for index, item in enumerate(incoming):
        if not identity.by_fingerprint(item.source_key) or not item.finished:
            continue
        pair = identity.submission(
            identity.key_format(item.source_key), item.finished, respondent_key(item.respondent)
        )
        if pair is not None:
            counts[pair] = counts.get(pair, 0) + 1
            found[index] = pair
    return {
        index: found[index] for index in pending if index in found and counts[found[index]] == 1
    }


def _held_by_submission(db: sqlite_utils.Database, survey_id: str) -> dict[str, str]:
    """Submission → response id, for the survey's fingerprinted imports whose submission is
    theirs alone."""
    held = list(identity.held_submissions(db, survey_id))
    counts = identity.unique_submissions((key, f, r) for _, key, f, r in held)
    found: dict[str, str] = {}
    for response_id, key, finished, respondent in held:
        pair = _pair(key, finished, respondent)
        if pair is not None and counts.get(pair) == 1:
            found[pair] = response_id
    return found


def _pair(key: str, finished: str | None, respondent: str | None) -> str | None:
    if not identity.by_fingerprint(key):
        return None
    return identity.submission(identity.key_format(key), finished, respondent)


def _any_buried_response(db: sqlite_utils.Database) -> bool:
    """Whether any response (or submission) was ever deleted or erased in this file."""
    return bool(db.table("tombstones").count_where("kind = ?", ["response"]))


def sort_incoming(
    db: sqlite_utils.Database, survey_id: str, incoming: Sequence[IncomingResponse]
) -> SortedIncoming:
    """The one place that decides which incoming rows are new, which change a response held,
    and which stay out.

    A row counts as held when its ``source_key`` is already in the survey (or earlier in the
    batch), or its given ``response_id`` is already in the file; a held row whose content
    differs, or a fingerprinted row whose submission matches one held response (see the module
    docstring), changes that response unless it was corrected here or the row is outdated. A
    row stays out when a tombstone says its response (or its submission) was deleted or erased.
    Imports' dry runs and :func:`add_incoming` both ask here, so what a dry run promises is what
    the import does.
    """
    held_keys = existing_source_keys(db, survey_id)
    held_ids = held_response_ids(db, [item.response_id for item in incoming if item.response_id])
    ids = [item.response_id or incoming_id(survey_id, item.source_key) for item in incoming]
    gone = tombstones.buried(db, ids)
    seen = set(held_keys)
    claimed: set[str] = set()
    by_key: list[tuple[str, IncomingResponse]] = []
    pending: list[int] = []
    duplicates = removed_earlier = 0
    for index, (response_id, item) in enumerate(zip(ids, incoming, strict=True)):
        if response_id in gone:
            removed_earlier += 1
        elif item.source_key in seen or response_id in held_ids:
            if (
                item.response_id is None
                and item.source_key in held_keys
                and not identity.by_fingerprint(item.source_key)
                and item.source_key not in claimed
            ):
                # The tool's own id: the same response, perhaps edited since.
                claimed.add(item.source_key)
                by_key.append((item.source_key, item))
            else:
                duplicates += 1
        else:
            seen.add(item.source_key)
            held_ids.add(response_id)
            pending.append(index)
    # Rows held under no key and no id may still be a submission held (or deleted) before;
    # a first import into a survey with nothing buried in the file has none to look for.
    fingerprinted = any(identity.by_fingerprint(key) for key in held_keys)
    burying = bool(pending) and _any_buried_response(db)
    pairs = _submissions(incoming, pending) if pending and (fingerprinted or burying) else {}
    graves: dict[str, str] = {}
    if pairs and burying:
        wanted = {
            pair: identity.submission_tombstone_id(survey_id, pair) for pair in pairs.values()
        }
        buried = tombstones.buried(db, wanted.values())
        graves = {pair: grave for pair, grave in wanted.items() if grave in buried}
    held_pairs = _held_by_submission(db, survey_id) if pairs and fingerprinted else {}
    new: list[tuple[str, IncomingResponse]] = []
    by_id: list[tuple[str, IncomingResponse]] = []
    for index in pending:
        item, pair = incoming[index], pairs.get(index)
        if pair is not None and pair in graves:
            removed_earlier += 1
        elif pair is not None and pair in held_pairs and held_pairs[pair] not in claimed:
            claimed.add(held_pairs[pair])
            by_id.append((held_pairs[pair], item))
        else:
            new.append((ids[index], item))
    if not by_key and not by_id:
        return SortedIncoming(tuple(new), duplicates, removed_earlier)
    return _with_changes(db, survey_id, tuple(new), duplicates, removed_earlier, by_key, by_id)


@dataclass(frozen=True)
class _Held:
    id: str
    version_id: str
    answers: str
    respondent: str | None
    modified: str | None


def _held_rows(
    db: sqlite_utils.Database, survey_id: str, column: str, values: Sequence[str]
) -> dict[str, _Held]:
    """Held responses of the survey by ``column`` (``id`` or ``source_key``)."""
    found: dict[str, _Held] = {}
    responses = db.table("responses")
    for start in range(0, len(values), _ID_BATCH):
        batch = list(values[start : start + _ID_BATCH])
        marks = ", ".join("?" * len(batch))
        for row in responses.rows_where(
            f"survey_id = ? AND {column} IN ({marks})",
            [survey_id, *batch],
            select="id, source_key, version_id, answers, respondent, modified",
        ):
            found[str(row[column])] = _Held(
                str(row["id"]),
                str(row["version_id"]),
                str(row["answers"]),
                row["respondent"],
                row["modified"],
            )
    return found


def _with_changes(
    db: sqlite_utils.Database,
    survey_id: str,
    new: tuple[tuple[str, IncomingResponse], ...],
    duplicates: int,
    removed_earlier: int,
    by_key: list[tuple[str, IncomingResponse]],
    by_id: list[tuple[str, IncomingResponse]],
) -> SortedIncoming:
    """Decide, for the rows that match a held response, which change it (see sort_incoming)."""
    keyed = _held_rows(db, survey_id, "source_key", [key for key, _ in by_key])
    identified = _held_rows(db, survey_id, "id", [held for held, _ in by_id])
    matches = [(keyed[key], item) for key, item in by_key if key in keyed]
    matches += [(identified[held], item) for held, item in by_id if held in identified]
    duplicates += len(by_key) + len(by_id) - len(matches)  # held a moment ago: nothing to do
    encoders: dict[str, AnswerEncoder] = {}
    differing: list[tuple[_Held, IncomingResponse, str]] = []
    for held, item in matches:
        encode = encoders.get(held.version_id)
        if encode is None:
            encode = encoders[held.version_id] = AnswerEncoder(
                survey_for_version(db, held.version_id)
            )
        digest = identity.content_digest(encode(item.answers), clean_respondent(item.respondent))
        if digest == identity.content_digest(held.answers, held.respondent):
            duplicates += 1
        else:
            differing.append((held, item, digest))
    corrected = _corrected_here(db, {held.id for held, _, _ in differing})
    replaced = tombstones.buried(
        db, [identity.replaced_version_id(held.id, digest) for held, _, digest in differing]
    )
    changed: list[ChangedResponse] = []
    kept: list[int | None] = []
    outdated = 0
    for held, item, digest in differing:
        if held.id in corrected:
            kept.append(item.row)
        elif identity.replaced_version_id(held.id, digest) in replaced or not _newer(
            item.as_of, held.modified
        ):
            outdated += 1
        else:
            version = identity.content_digest(held.answers, held.respondent)
            changed.append(
                ChangedResponse(held.id, item, identity.replaced_version_id(held.id, version))
            )
    return SortedIncoming(new, duplicates, removed_earlier, tuple(changed), outdated, tuple(kept))


def _corrected_here(db: sqlite_utils.Database, wanted: set[str]) -> set[str]:
    """Which of ``wanted`` were corrected in forumkit (an audit-logged correction)."""
    if not wanted:
        return set()
    return {
        object_id
        for entry in audit.entries(db, CORRECTED)
        for object_id in entry.object_ids
        if object_id in wanted
    }


def _instant(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _newer(as_of: str | None, modified: str | None) -> bool:
    """Whether a row as of ``as_of`` is newer than a response last ``modified``; a row with no
    time of its own is taken as made now."""
    held = _instant(modified)
    if held is None:
        return True
    row = _instant(as_of) or dt.datetime.now(dt.UTC)
    return row > held


def add_incoming(
    workspace: Workspace,
    survey: Survey,
    incoming: Sequence[IncomingResponse],
    *,
    captured_by: str | None = None,
) -> AddedResponses:
    """Insert imported responses (complete unless marked draft) and apply the changes to held
    ones, all or nothing, skipping rows already held or deleted before (see
    :func:`sort_incoming`).

    One transaction and one save for the whole batch; with any change, a purging save (the
    replaced text leaves the file and its backup).
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
        rows.append(
            {
                "id": response_id,
                "survey_id": survey.id,
                "captured_by": captured_by or None,
                "device_id": origin,
                **_content(survey, encode, item, now),
            }
        )
    changes = [
        {"id": change.response_id, **_content(survey, encode, change.incoming, now)}
        for change in sorted_rows.changed
    ]
    ids = tuple(response_id for response_id, _ in sorted_rows.new)
    updated_ids = tuple(change.response_id for change in sorted_rows.changed)
    counts = {
        "added": len(rows),
        "updated": len(changes),
        "duplicates": sorted_rows.duplicates,
        "removed_earlier": sorted_rows.removed_earlier,
        "outdated": sorted_rows.outdated,
        "kept_corrected": sorted_rows.kept_corrected,
    }
    with workspace.transaction(IMPORTED, purge=bool(changes)) as change:
        insert_rows(db, rows)
        if changes:
            db.conn.executemany(
                "UPDATE responses SET version_id = :version_id, status = :status, "
                "source = :source, source_key = :source_key, respondent = :respondent, "
                "respondent_key = :respondent_key, started = :started, finished = :finished, "
                "modified = :modified, answers = :answers WHERE id = :id",
                changes,
            )
            # The replaced versions are gone for good: no older export brings them back.
            tombstones.bury(
                db, "response", "erased", [c.replaced_version for c in sorted_rows.changed]
            )
        audit.record(db, IMPORTED, counts, [survey.id, survey.version_id])
        if changes:
            audit.record(db, UPDATED_BY_IMPORT, {"responses": len(changes)}, list(updated_ids))
        change.touch("responses", *ids, *updated_ids)
    return AddedResponses(
        added=len(rows),
        duplicates=sorted_rows.duplicates,
        ids=ids,
        removed_earlier=sorted_rows.removed_earlier,
        updated=len(changes),
        updated_ids=updated_ids,
        outdated=sorted_rows.outdated,
        kept_corrected=sorted_rows.kept_corrected,
    )


def _content(
    survey: Survey, encode: AnswerEncoder, item: IncomingResponse, now: str
) -> dict[str, Any]:
    """The columns an imported row sets, whether it adds a response or changes one."""
    respondent = clean_respondent(item.respondent)
    return {
        "version_id": survey.version_id,
        "status": item.status,
        "source": item.source,
        "source_key": item.source_key,
        "respondent": respondent,
        "respondent_key": respondent.casefold() if respondent else None,
        "started": item.started,
        "finished": item.finished,
        "modified": item.as_of or now,
        "answers": encode(item.answers),
    }
