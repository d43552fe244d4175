"""Keeping responses in the forum file: capture, drafts, bulk insert for imports, queries.

One row per response, with its answers as one compact JSON text column (see ``model``). The
row has a small INTEGER PRIMARY KEY (``seq``, insertion order, cheap to page by) and a UNIQUE
UUID ``id`` that crosses files, so several laptops' files merge without collisions. Imported
responses carry a ``source_key`` (unique per survey) so importing the same export twice adds
nothing; their ids are derived from it, so two laptops importing the same export agree too.

A response's consent is never stored: it is read through the view ``responses_with_consent``,
which derives it from the survey's current consent questions and the response's current
answers. Deleted and erased responses leave a tombstone (:mod:`forumkit.tombstones`), so no
import brings them back; undo puts the very same response back with :func:`restore_response`.

Every change goes through ``workspace.transaction()`` and is audit-logged with counts and ids
only.
"""

from __future__ import annotations

import enum
import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import sqlite_utils

from forumkit import audit, tombstones
from forumkit.responses.errors import (
    ResponseAlreadyHeld,
    ResponseErased,
    ResponseInvalid,
    ResponseNotFound,
    ResponseSurveyMismatch,
)
from forumkit.responses.model import (
    STATUSES,
    AnswerEncoder,
    Response,
    Status,
    clean_respondent,
    decode_answers,
    encode_answers,
    respondent_key,
)
from forumkit.schema import derived
from forumkit.surveys import Survey, check_response, get_survey
from forumkit.surveys.validate import Answer, CheckedResponse

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

_RESPONSE_NAMESPACE = uuid.UUID("0b6d3c52-8f7e-4a51-b9a3-51d7e2c0f4a8")
_NAMESPACE_BYTES = _RESPONSE_NAMESPACE.bytes

_DRAFT_BLOCKING = frozenset({"type", "unknown", "choice"})
"""Problems a draft may not have: it keeps what was typed, but typed as the question says."""

COLUMNS = (
    "id, survey_id, version_id, status, source, source_key, respondent, captured_by, device_id, "
    "started, finished, modified, consent_quote, consent_share, answers"
)
"""The columns :func:`responses_from_rows` reads, selected ``FROM`` :data:`READ_FROM`."""

READ_FROM = "responses_with_consent"
"""What responses are read from: the table with each response's consent derived afresh."""


class _Unchanged(enum.Enum):
    UNCHANGED = enum.auto()


UNCHANGED = _Unchanged.UNCHANGED
"""Passed to :func:`update_response` for a field that should keep its value."""


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


# -- checking ---------------------------------------------------------------------------------


def _draft_rules(survey: Survey) -> Survey:
    """The survey without skip logic, requirements, constraints or calculations.

    A draft keeps whatever was typed: answers to questions that later turn out hidden are not
    cleared, missing answers and failed constraints wait until the response is completed.
    """
    elements = tuple(
        replace(q, relevant="", required="", constraint="", calculation="", choice_filter="")
        for q in survey.elements
    )
    return replace(survey, elements=elements)


def check_answers(
    survey: Survey, answers: Mapping[str, object], status: Status
) -> dict[str, Answer]:
    """The answers to store for ``status``; raises ResponseInvalid with every problem."""
    if status not in STATUSES:
        raise ValueError(f"a response's status is draft or complete, not {status!r}")
    checked: CheckedResponse
    if status == "complete":
        checked = check_response(survey, answers)
        problems = list(checked.problems)
    else:
        checked = check_response(_draft_rules(survey), answers)
        problems = [p for p in checked.problems if p.kind in _DRAFT_BLOCKING]
    if problems:
        raise ResponseInvalid(problems, complete=status == "complete")
    return checked.answers


def _canonical(survey: Survey, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers exactly as they will read back from the file (multi-selects sorted)."""
    return decode_answers(survey, encode_answers(survey, answers))


# -- single responses -------------------------------------------------------------------------


def add_response(
    workspace: Workspace,
    survey: Survey,
    answers: Mapping[str, object],
    *,
    status: Status = "draft",
    source: str = "entered",
    respondent: str | None = None,
    captured_by: str | None = None,
    device_id: str | None = None,
    started: str | None = None,
    finished: str | None = None,
) -> Response:
    """Save a new response (a draft, or complete after full validation) and return it."""
    if not survey.id or not survey.version_id:
        raise ResponseSurveyMismatch("The survey must be one stored in this forum file.")
    stored = _canonical(survey, check_answers(survey, answers, status))
    now = audit.now_iso()
    response = Response(
        id=str(uuid.uuid4()),
        survey_id=survey.id,
        version_id=survey.version_id,
        status=status,
        answers=stored,
        source=source,
        modified=now,
        respondent=clean_respondent(respondent),
        captured_by=captured_by or None,
        device_id=device_id or _origin_id(workspace.db),
        started=started or now,
        finished=finished if finished is not None else (now if status == "complete" else None),
    )
    with workspace.transaction("response_added") as change:
        _insert(workspace.db, [_row(survey, response)])
        audit.record(workspace.db, "response_added", object_ids=[response.id, survey.id])
        change.touch("responses", response.id)
    return _with_consent(workspace.db, response)


def restore_response(workspace: Workspace, response: Response) -> Response:
    """Put a deleted response back exactly as it was, with the same id (undo of a delete or a
    discarded draft, redo of a save). An erased response never comes back."""
    db = workspace.db
    if db.execute("SELECT 1 FROM responses WHERE id = ?", [response.id]).fetchone():
        raise ResponseAlreadyHeld(response.id)
    if tombstones.reason(db, response.id) == "erased":
        raise ResponseErased(response.id)
    survey = survey_for_version(db, response.version_id)
    with workspace.transaction("response_restored") as change:
        tombstones.raise_from_grave(db, response.id)
        _insert(db, [_row(survey, response)])
        audit.record(db, "response_restored", object_ids=[response.id, response.survey_id])
        change.touch("responses", response.id)
    return _with_consent(db, response)


def _origin_id(db: sqlite_utils.Database) -> str:
    """This copy of the forum file's id, recorded on what it captures."""
    row = db.execute("SELECT origin_id FROM forum").fetchone()
    return str(row[0]) if row is not None else ""


def _with_consent(db: sqlite_utils.Database, response: Response) -> Response:
    """``response`` with its consent as the forum file derives it now."""
    row = db.execute(
        f"SELECT consent_quote, consent_share FROM {READ_FROM} WHERE id = ?",  # noqa: S608
        [response.id],
    ).fetchone()
    if row is None:
        return response
    return replace(response, consent_quote=_flag(row[0]), consent_share=_flag(row[1]))


def update_response(
    workspace: Workspace,
    response_id: str,
    answers: Mapping[str, object] | None = None,
    *,
    status: Status | None = None,
    respondent: str | _Unchanged | None = UNCHANGED,
    finished: str | _Unchanged | None = UNCHANGED,
) -> Response:
    """Replace a response's answers and/or status; completing it validates it fully.

    ``answers`` is the whole set of answers (None keeps the stored ones), so clearing an answer
    is leaving it out.
    """
    db = workspace.db
    current = get_response(db, response_id)
    survey = survey_for_version(db, current.version_id)
    new_status: Status = status or current.status
    checked = check_answers(survey, current.answers if answers is None else answers, new_status)
    stored = _canonical(survey, checked)
    now = audit.now_iso()
    if isinstance(finished, _Unchanged):
        finished = current.finished
        if new_status == "complete" and finished is None:
            finished = now
    updated = replace(
        current,
        status=new_status,
        answers=stored,
        modified=now,
        respondent=current.respondent
        if isinstance(respondent, _Unchanged)
        else clean_respondent(respondent),
        finished=finished,
    )
    row = _row(survey, updated)
    with workspace.transaction("response_updated") as change:
        db.execute(
            "UPDATE responses SET status = :status, respondent = :respondent, "
            "respondent_key = :respondent_key, finished = :finished, modified = :modified, "
            "answers = :answers WHERE id = :id",
            row,
        )
        audit.record(db, "response_updated", object_ids=[response_id])
        change.touch("responses", response_id)
    return _with_consent(db, updated)


def delete_response(workspace: Workspace, response_id: str) -> None:
    """Delete one response (for a respondent's erasure use ``requests.erase_respondent``).

    Its tombstone keeps any import or merge from bringing it back; :func:`restore_response`
    (undo) can.
    """
    db = workspace.db
    current = get_response(db, response_id)
    with workspace.transaction("response_deleted") as change:
        db.execute("DELETE FROM responses WHERE id = ?", [response_id])
        tombstones.bury(db, "response", "deleted", [response_id])
        audit.record(db, "response_deleted", object_ids=[response_id, current.survey_id])
        change.touch("responses", response_id)


# -- bulk insert for imports ------------------------------------------------------------------


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
    rows = db.execute(
        "SELECT source_key FROM responses WHERE survey_id = ? AND source_key IS NOT NULL",
        [survey_id],
    ).fetchall()
    return {str(row[0]) for row in rows}


@dataclass(frozen=True)
class SortedIncoming:
    """Incoming rows sorted into the new ones and those skipped, with why."""

    new: tuple[tuple[str, IncomingResponse], ...]
    """(response id, row) for each row to add, in the order given."""
    duplicates: int
    """Rows already held (same source key, or same response id), or repeated in the batch."""
    removed_earlier: int
    """Rows whose response was deleted or erased in this file before: they stay gone."""


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


def held_response_ids(db: sqlite_utils.Database, wanted: Sequence[str]) -> set[str]:
    """Which of ``wanted`` are ids of responses in the file (looked up in batches, so a large
    import never reads every id the file holds)."""
    held: set[str] = set()
    unique = list(dict.fromkeys(wanted))
    for start in range(0, len(unique), 500):
        batch = unique[start : start + 500]
        marks = ", ".join("?" * len(batch))
        sql = f"SELECT id FROM responses WHERE id IN ({marks})"  # noqa: S608 (only ? marks)
        held.update(str(row[0]) for row in db.execute(sql, batch).fetchall())
    return held


def add_incoming(
    workspace: Workspace,
    survey: Survey,
    incoming: Sequence[IncomingResponse],
    *,
    captured_by: str | None = None,
) -> AddedResponses:
    """Insert imported responses (complete unless marked draft), all or nothing, skipping ones
    already held or deleted before (see :func:`sort_incoming`).

    One transaction and one save for the whole batch, so 10,000 rows cost one re-encryption
    rather than 10,000.
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
    origin = _origin_id(db)
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
        _insert(db, rows)
        audit.record(db, "responses_imported", counts, [survey.id, survey.version_id])
        change.touch("responses", *ids)
    return AddedResponses(len(rows), sorted_rows.duplicates, ids, sorted_rows.removed_earlier)


# -- rows -------------------------------------------------------------------------------------


def _row(survey: Survey, response: Response) -> dict[str, Any]:
    return {
        "id": response.id,
        "survey_id": response.survey_id,
        "version_id": response.version_id,
        "status": response.status,
        "source": response.source,
        "source_key": response.source_key,
        "respondent": response.respondent,
        "respondent_key": respondent_key(response.respondent),
        "captured_by": response.captured_by,
        "device_id": response.device_id,
        "started": response.started,
        "finished": response.finished,
        "modified": response.modified,
        "answers": encode_answers(survey, response.answers),
    }


def _insert(db: sqlite_utils.Database, rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    db.conn.executemany(
        "INSERT INTO responses (id, survey_id, version_id, status, source, source_key, "
        "respondent, respondent_key, captured_by, device_id, started, finished, modified, "
        "answers) VALUES (:id, :survey_id, :version_id, :status, :source, :source_key, "
        ":respondent, :respondent_key, :captured_by, :device_id, :started, :finished, "
        ":modified, :answers)",
        rows,
    )


def _flag(value: object) -> bool | None:
    return None if value is None else bool(value)


class _SurveyCache:
    """Survey versions by version id, loaded once per query."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.known: dict[str, Survey] = {}

    def get(self, version_id: str) -> Survey:
        if version_id not in self.known:
            self.known[version_id] = survey_for_version(self.db, version_id)
        return self.known[version_id]


def _response(row: Sequence[Any], surveys: _SurveyCache) -> Response:
    (rid, survey_id, version_id, status, source, source_key, respondent, captured_by) = row[:8]
    (device_id, started, finished, modified, quote, share, answers) = row[8:]
    return Response(
        id=rid,
        survey_id=survey_id,
        version_id=version_id,
        status=status,
        answers=decode_answers(surveys.get(version_id), answers),
        source=source,
        modified=modified,
        respondent=respondent,
        captured_by=captured_by,
        device_id=device_id,
        started=started,
        finished=finished,
        consent_quote=_flag(quote),
        consent_share=_flag(share),
        source_key=source_key,
    )


def responses_from_rows(db: sqlite_utils.Database, rows: Iterable[Sequence[Any]]) -> list[Response]:
    """Responses from rows selected with the columns ``COLUMNS`` (for sibling modules)."""
    surveys = _SurveyCache(db)
    return [_response(row, surveys) for row in rows]


# -- queries ----------------------------------------------------------------------------------


def survey_for_version(db: sqlite_utils.Database, version_id: str) -> Survey:
    """The survey at the version a response was captured with."""
    row = db.execute(
        "SELECT survey_id, version FROM survey_versions WHERE id = ?", [version_id]
    ).fetchone()
    if row is None:
        raise ResponseSurveyMismatch(
            f"The survey version “{version_id}” is not in this forum file."
        )
    return get_survey(db, str(row[0]), int(row[1]))


def get_response(db: sqlite_utils.Database, response_id: str) -> Response:
    """One response by id; raises ResponseNotFound."""
    sql = f"SELECT {COLUMNS} FROM {READ_FROM} WHERE id = ?"  # noqa: S608 (constant columns)
    row = db.execute(sql, [response_id]).fetchone()
    if row is None:
        raise ResponseNotFound(response_id)
    return responses_from_rows(db, [row])[0]


def _where(survey_id: str, status: Status | None, search: str | None) -> tuple[str, list[object]]:
    clauses = ["survey_id = ?"]
    params: list[object] = [survey_id]
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    text = " ".join((search or "").split())
    if text:
        # The words, from the search index (``forumkit.schema.derived``), or an exact id.
        found = ["id = ?"]
        params_found: list[object] = [text]
        words = derived.search_clause(text)
        if words is not None:
            found.append(words[0])
            params_found.extend(words[1])
        clauses.append("(" + " OR ".join(found) + ")")
        params.extend(params_found)
    return " AND ".join(clauses), params


def list_responses(
    db: sqlite_utils.Database,
    survey_id: str,
    *,
    status: Status | None = None,
    search: str | None = None,
    offset: int = 0,
    limit: int | None = 100,
) -> list[Response]:
    """A page of a survey's responses in the order they were added.

    ``search`` finds words (and the start of the last word) in the respondent reference, any
    answer, the source or who captured it, ignoring case and accents (see
    ``forumkit.schema.derived.search_query``); or a response id.
    """
    where, params = _where(survey_id, status, search)
    # Only constant SQL is formatted in; every value is a bound parameter.
    sql = f"SELECT {COLUMNS} FROM {READ_FROM} WHERE {where} ORDER BY seq LIMIT ? OFFSET ?"  # noqa: S608
    rows = db.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()
    return responses_from_rows(db, rows)


def count_responses(
    db: sqlite_utils.Database,
    survey_id: str,
    *,
    status: Status | None = None,
    search: str | None = None,
) -> int:
    """How many responses :func:`list_responses` would give without paging."""
    where, params = _where(survey_id, status, search)
    sql = f"SELECT COUNT(*) FROM responses WHERE {where}"  # noqa: S608 (values are bound)
    count: int = db.execute(sql, params).fetchone()[0]
    return count
