"""Saving one response: a new one, a correction, a deletion, and putting a deleted one back.

One row per response, with its answers as one compact JSON text column (see ``model``). The
row has a small INTEGER PRIMARY KEY (``seq``, insertion order, cheap to page by) and a UNIQUE
UUID ``id`` that crosses files, so several laptops' files merge without collisions.

A response's consent is never stored: it is read back through ``query`` (the view
``responses_with_consent``), which derives it from the survey's current consent questions and
the response's current answers. Deleted responses leave a tombstone
(:mod:`forumkit.tombstones`), and an imported one known only by its content its submission's
too (:mod:`.identity`), so no import brings them back; undo puts the very same response back with
:func:`restore_response`. Many imported responses at once go through ``incoming`` instead, which
shares :func:`insert_rows` with this module.

Every change goes through ``workspace.transaction()`` and is audit-logged with counts and ids
only. Rows are written with sqlite-utils (``insert_all``, ``delete_where``); the correction's
``UPDATE`` is written by hand because a response is found by its ``id`` while sqlite-utils'
``update`` finds a row by its primary key (``seq``), which would cost a look-up first.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import sqlite_utils

from forumkit import audit, tombstones
from forumkit.responses import identity
from forumkit.responses.errors import (
    ResponseAlreadyHeld,
    ResponseErased,
    ResponseInvalid,
    ResponseSurveyMismatch,
)
from forumkit.responses.model import (
    STATUSES,
    Response,
    Status,
    clean_respondent,
    decode_answers,
    encode_answers,
    respondent_key,
)
from forumkit.responses.query import get_response, survey_for_version
from forumkit.surveys import Survey, check_response
from forumkit.surveys.validate import Answer, CheckedResponse

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

_DRAFT_BLOCKING = frozenset({"type", "unknown", "choice"})
"""Problems a draft may not have: it keeps what was typed, but typed as the question says."""


class _Unchanged(enum.Enum):
    UNCHANGED = enum.auto()


UNCHANGED = _Unchanged.UNCHANGED
"""Passed to :func:`update_response` for a field that should keep its value."""
Unchanged = _Unchanged
"""The type of :data:`UNCHANGED`, for signatures that pass it on."""


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
        device_id=device_id or workspace.forum.origin_id,
        started=started or now,
        finished=finished if finished is not None else (now if status == "complete" else None),
    )
    with workspace.transaction("response_added") as change:
        insert_rows(workspace.db, [stored_row(survey, response)])
        audit.record(workspace.db, "response_added", object_ids=[response.id, survey.id])
        change.touch("responses", response.id)
    return get_response(workspace.db, response.id, survey=survey)


def restore_response(workspace: Workspace, response: Response) -> Response:
    """Put a deleted response back exactly as it was, with the same id (undo of a delete or a
    discarded draft, redo of a save). An erased response never comes back."""
    db = workspace.db
    if db.table("responses").count_where("id = ?", [response.id]):
        raise ResponseAlreadyHeld(response.id)
    if tombstones.reason(db, response.id) == "erased":
        raise ResponseErased(response.id)
    survey = survey_for_version(db, response.version_id)
    with workspace.transaction("response_restored") as change:
        tombstones.raise_from_grave(db, response.id)
        insert_rows(db, [stored_row(survey, response)])
        for grave in identity.submission_tombstones(db, [response.id]):
            tombstones.raise_from_grave(db, grave)
        audit.record(db, "response_restored", object_ids=[response.id, response.survey_id])
        change.touch("responses", response.id)
    return get_response(db, response.id, survey=survey)


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
    with workspace.transaction("response_updated") as change:
        db.execute(
            "UPDATE responses SET status = :status, respondent = :respondent, "
            "respondent_key = :respondent_key, finished = :finished, modified = :modified, "
            "answers = :answers WHERE id = :id",
            stored_row(survey, updated),
        )
        audit.record(db, "response_updated", object_ids=[response_id])
        change.touch("responses", response_id)
    return get_response(db, response_id, survey=survey)


def delete_response(workspace: Workspace, response_id: str) -> None:
    """Delete one response (for a respondent's erasure use ``requests.erase_respondent``).

    Its tombstone keeps any import or merge from bringing it back; :func:`restore_response`
    (undo) can.
    """
    db = workspace.db
    current = get_response(db, response_id)
    # An imported row known only by its content leaves its submission too, so an edited
    # version of it in a later export (a new key) stays out as well.
    submissions = identity.submission_tombstones(db, [response_id])
    with workspace.transaction("response_deleted") as change:
        db.table("responses").delete_where("id = ?", [response_id])
        tombstones.bury(db, "response", "deleted", [response_id, *submissions])
        audit.record(db, "response_deleted", object_ids=[response_id, current.survey_id])
        change.touch("responses", response_id)


# -- rows -------------------------------------------------------------------------------------


def stored_row(survey: Survey, response: Response) -> dict[str, Any]:
    """The ``responses`` row a response is stored as (consent is derived, never stored)."""
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


def insert_rows(db: sqlite_utils.Database, rows: Sequence[dict[str, Any]]) -> None:
    """Insert response rows (each with the keys of :func:`stored_row`), inside the caller's
    transaction.

    sqlite-utils' ``insert_all`` writes 100 rows per statement: at 10,000 rows that is about 1.5
    times as fast as a statement per row (``executemany``), because the full-text index kept by
    a temporary trigger writes out what it has gathered at the end of every statement
    (``benchmarks/RESULTS.md``). Inside an open transaction it works under a savepoint
    (sqlite-utils 4), so a failure later in the transaction still takes the rows back out.
    """
    if rows:
        db.table("responses").insert_all(rows)
