"""Who an imported row is: its source key, its submission, and the versions an import replaced.

An imported response carries a ``source_key``, unique in its survey, made by the importer as
``FORMAT:id:DIGEST`` when the tool gives each response an id (SurveyMonkey's Respondent ID,
KoboToolbox's ``_uuid``) and as ``FORMAT:fp:DIGEST`` when it does not (Google Forms): then the
digest is a fingerprint of the row itself, its times, respondent and answers, so an edited row
has a new key. Such a row is still known by its **submission**: its submission time and
respondent reference together, when that pair is found once in the export and once among the
survey's responses of that tool. Anonymous rows that share a submission time have no
submission, so they are never taken for one another.

Two kinds of tombstone (:mod:`forumkit.tombstones`, opaque ids only) come from here:

- a deleted or erased response's submission (:func:`submission_tombstones`), so an edited
  version of the row in a later export does not bring it back under a new key;
- a version of a response that an import replaced (:func:`replaced_version_id`: a digest of the
  response id and the replaced content, buried as erased), so re-importing an older export
  never writes the replaced text back.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence

import sqlite_utils

TOOL_ID = "id"
"""The key kind of a row the tool gave an id."""
FINGERPRINT = "fp"
"""The key kind of a row known only by its content (the tool gives no id)."""

_SUBMISSION_NAMESPACE = uuid.UUID("5f0c6b0e-3a1d-4a8e-9d3b-2f7e6c1a9b44")
_VERSION_NAMESPACE = uuid.UUID("c2a7d9e4-61b3-4f0a-8e5d-7b9c3f2a1d60")
_BATCH = 500


def source_key(fmt: str, kind: str, digest: str) -> str:
    """A source key: the tool's format, the kind (:data:`TOOL_ID` or :data:`FINGERPRINT`) and
    the digest the importer made."""
    return f"{fmt}:{kind}:{digest}"


def key_format(key: str) -> str:
    """The format a source key was made for (``googleforms``), "" if it names none."""
    parts = key.split(":", 2)
    return parts[0] if len(parts) == 3 else ""


def by_fingerprint(key: str | None) -> bool:
    """Whether a source key fingerprints the row's content (the tool gave no id)."""
    if not key:
        return False
    parts = key.split(":", 2)
    return len(parts) == 3 and parts[1] == FINGERPRINT


def submission(fmt: str, finished: str | None, respondent_key: str | None) -> str | None:
    """The submission a fingerprinted row stands for: its tool, submission time and
    respondent (case-folded reference, "" when anonymous); None without a submission time."""
    if not finished:
        return None
    return "\x1f".join((fmt, finished, respondent_key or ""))


def submission_tombstone_id(survey_id: str, found: str) -> str:
    """The tombstone id of a deleted or erased response's submission in a survey."""
    return str(uuid.uuid5(_SUBMISSION_NAMESPACE, f"{survey_id}\n{found}"))


def content_digest(answers_json: str, respondent: str | None) -> str:
    """A digest of what an import may change in a response: its answers (stored JSON text,
    compared whatever the order of its keys) and its respondent reference.

    Line breaks count as line breaks however they are written: a csv saved again on Windows
    turns every ``\n`` inside a cell into ``\r\n`` (the real Google Forms series did), which
    is no change to the answer.
    """
    answers = _same_line_breaks(json.loads(answers_json))
    canonical = json.dumps(answers, sort_keys=True, ensure_ascii=False)
    text = f"{canonical}\x1f{respondent or ''}"
    return hashlib.sha256(text.encode()).hexdigest()


def _same_line_breaks(value: object) -> object:
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, dict):
        return {key: _same_line_breaks(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_same_line_breaks(item) for item in value]
    return value


def replaced_version_id(response_id: str, digest: str) -> str:
    """The tombstone id of one version (``digest``, see :func:`content_digest`) of a
    response, buried when an import replaces that version."""
    return str(uuid.uuid5(_VERSION_NAMESPACE, f"{response_id}\n{digest}"))


def holds_replaced_version(db: sqlite_utils.Database, tombstone_ids: Iterable[str]) -> bool:
    """Whether a response this file holds is, as it stands, a version named by one of these
    tombstone ids: a version another copy's import replaced (merge then purges the file when
    it brings the newer one in, as that import did)."""
    wanted = set(tombstone_ids)
    if not wanted:
        return False
    rows = db.execute(
        "SELECT id, answers, respondent FROM responses WHERE source_key IS NOT NULL"
    ).fetchall()
    return any(
        replaced_version_id(str(row[0]), content_digest(str(row[1]), row[2])) in wanted
        for row in rows
    )


def submission_tombstones(db: sqlite_utils.Database, response_ids: Sequence[str]) -> list[str]:
    """The submission tombstone ids to bury with these responses, read before they go.

    Only fingerprinted imports have one, and only when no other response of the survey from
    that tool shares the submission: anonymous rows sharing a time are never matched.
    """
    going: list[tuple[str, str, str, str | None]] = []
    responses = db.table("responses")
    for start in range(0, len(response_ids), _BATCH):
        batch = list(response_ids[start : start + _BATCH])
        marks = ", ".join("?" * len(batch))
        rows = responses.rows_where(
            f"id IN ({marks}) AND finished IS NOT NULL AND source_key IS NOT NULL",
            batch,
            select="survey_id, source_key, finished, respondent_key",
        )
        going.extend(
            (
                str(row["survey_id"]),
                str(row["source_key"]),
                str(row["finished"]),
                row["respondent_key"],
            )
            for row in rows
            if by_fingerprint(row["source_key"])
        )
    found: list[str] = []
    for survey_id in sorted({survey for survey, *_ in going}):
        counts = unique_submissions((key, f, r) for _, key, f, r in held_submissions(db, survey_id))
        for survey, key, finished, respondent_key in going:
            pair = submission(key_format(key), finished, respondent_key)
            if survey == survey_id and pair is not None and counts.get(pair) == 1:
                found.append(submission_tombstone_id(survey_id, pair))
    return found


def held_submissions(
    db: sqlite_utils.Database, survey_id: str
) -> Iterable[tuple[str, str, str | None, str | None]]:
    """(response id, source key, finished, respondent key) of a survey's imported responses
    that have a submission time."""
    rows = db.table("responses").rows_where(
        "survey_id = ? AND source_key IS NOT NULL AND finished IS NOT NULL",
        [survey_id],
        select="id, source_key, finished, respondent_key",
    )
    for row in rows:
        yield str(row["id"]), str(row["source_key"]), row["finished"], row["respondent_key"]


def unique_submissions(
    items: Iterable[tuple[str, str | None, str | None]],
) -> dict[str, int]:
    """How often each submission occurs among (source key, finished, respondent key) rows
    that are fingerprinted; rows without a submission are left out."""
    counts: dict[str, int] = {}
    for key, finished, respondent_key in items:
        if not by_fingerprint(key):
            continue
        pair = submission(key_format(key), finished, respondent_key)
        if pair is not None:
            counts[pair] = counts.get(pair, 0) + 1
    return counts
