"""Keeping surveys in the forum file: import, versions, look-up by id or form_id, listing.

A survey is one ``form_id``; re-importing a changed XLSForm adds a version, and importing the
same form again changes nothing. Ids are UUIDs derived from the form itself (``uuid5``), so two
laptops that import the same XLSForm hold the same survey and version ids and their files merge
without duplicates. Each version keeps its whole definition as JSON, plus one indexed row per
question for queries by later features.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from forumkit import audit
from forumkit.surveys.errors import ConsentQuestionError, SurveyNotFound
from forumkit.surveys.model import Survey, pick_text, survey_from_dict, survey_to_dict
from forumkit.surveys.xlsform_read import read_xlsform

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

_SURVEY_NAMESPACE = uuid.UUID("6f1c2b6e-5d8a-4f0e-9a57-3c1d2e4b7a90")


@dataclass(frozen=True)
class ImportResult:
    """What importing an XLSForm did: the stored survey, its status and the reader's warnings."""

    survey: Survey
    warnings: tuple[str, ...]
    status: str
    """``added`` (a new survey), ``new_version`` or ``unchanged`` (already imported)."""


@dataclass(frozen=True)
class SurveySummary:
    """One survey as lists show it: ids, title, latest version and how many questions."""

    id: str
    form_id: str
    title: str
    version: int
    versions: int
    questions: int
    previous_form_id: str


def _definition_json(survey: Survey) -> str:
    data = survey_to_dict(survey)
    data.pop("previous_form_id")  # a property of the survey, kept in the surveys table
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _fingerprint(survey: Survey) -> str:
    """A digest of the definition that ignores row numbers (moving rows is not a change)."""
    data = json.loads(_definition_json(survey))
    for element in data["elements"]:
        element.pop("row", None)
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def survey_id_for(form_id: str) -> str:
    """The survey id every forum file gives a ``form_id``."""
    return str(uuid.uuid5(_SURVEY_NAMESPACE, f"survey:{form_id}"))


def import_xlsform(workspace: Workspace, path: Path) -> ImportResult:
    """Read an XLSForm and store it as a new survey or a new version of its ``form_id``.

    Importing a form identical to the latest version stores nothing. The forum file is changed
    in one transaction (so a refused form leaves it exactly as it was) and the import is
    recorded in the audit log with the survey's ids only.
    """
    read = read_xlsform(Path(path))
    incoming = read.survey
    db = workspace.db
    survey_id = survey_id_for(incoming.form_id)
    row = db.execute("SELECT id FROM surveys WHERE form_id = ?", [incoming.form_id]).fetchone()
    latest: Survey | None = None
    if row is not None:
        survey_id = row[0]
        latest = get_survey(db, survey_id)
    same = latest is not None and _fingerprint(latest) == _fingerprint(incoming)
    if latest is not None and same and incoming.previous_form_id in ("", latest.previous_form_id):
        return ImportResult(latest, read.warnings, "unchanged")
    version = 1 if latest is None else latest.version + (0 if same else 1)
    version_id = str(
        uuid.uuid5(uuid.UUID(survey_id), f"version:{version}:{_fingerprint(incoming)}")
    )
    if latest is not None and same:
        version_id = latest.version_id
    now = audit.now_iso()
    with workspace.transaction("survey_imported") as change:
        if latest is None:
            db.execute(
                "INSERT INTO surveys (id, form_id, title, previous_form_id, created) "
                "VALUES (?, ?, ?, ?, ?)",
                [survey_id, incoming.form_id, incoming.title, incoming.previous_form_id, now],
            )
        else:
            previous = incoming.previous_form_id or latest.previous_form_id
            db.execute(
                "UPDATE surveys SET title = ?, previous_form_id = ? WHERE id = ?",
                [incoming.title, previous, survey_id],
            )
        if not same:
            _insert_version(db, survey_id, version_id, version, incoming, now)
        stored = get_survey(db, survey_id)
        audit.record(
            db,
            "survey_imported",
            {"version": stored.version, "questions": len(stored.questions)},
            [survey_id, version_id],
        )
        change.touch("surveys", survey_id)
    status = "added" if latest is None else ("unchanged" if same else "new_version")
    return ImportResult(stored, read.warnings, status)


def _insert_version(
    db: sqlite_utils.Database,
    survey_id: str,
    version_id: str,
    version: int,
    survey: Survey,
    imported: str,
) -> None:
    db.execute(
        "INSERT INTO survey_versions (id, survey_id, version, title, form_version, imported, "
        "definition) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            version_id,
            survey_id,
            version,
            survey.title,
            survey.form_version,
            imported,
            _definition_json(survey),
        ],
    )
    rows: list[dict[str, Any]] = [
        {
            "id": str(uuid.uuid5(uuid.UUID(version_id), f"question:{question.name}")),
            "version_id": version_id,
            "position": position,
            "name": question.name,
            "type": question.type,
            "list_name": question.list_name,
            "label": pick_text(question.labels, None, survey.default_language),
        }
        for position, question in enumerate(survey.questions)
    ]
    for row in rows:
        db.execute(
            "INSERT INTO survey_questions (id, version_id, position, name, type, list_name, "
            "label) VALUES (:id, :version_id, :position, :name, :type, :list_name, :label)",
            row,
        )


def _find_survey_row(db: sqlite_utils.Database, reference: str) -> tuple[str, str]:
    row = db.execute(
        "SELECT id, previous_form_id FROM surveys WHERE id = ? OR form_id = ? "
        "ORDER BY id = ? DESC LIMIT 1",
        [reference, reference, reference],
    ).fetchone()
    if row is None:
        raise SurveyNotFound(reference)
    return str(row[0]), str(row[1])


def get_survey(db: sqlite_utils.Database, reference: str, version: int | None = None) -> Survey:
    """The survey named by id or ``form_id``, at ``version`` (its latest when None)."""
    survey_id, previous = _find_survey_row(db, reference)
    sql = "SELECT id, version, definition FROM survey_versions WHERE survey_id = ?"
    params: list[object] = [survey_id]
    if version is not None:
        sql += " AND version = ?"
        params.append(version)
    row = db.execute(sql + " ORDER BY version DESC LIMIT 1", params).fetchone()
    if row is None:
        raise SurveyNotFound(reference, version)
    version_id, number, definition = row
    survey = survey_from_dict(json.loads(definition))
    return replace(
        survey, id=survey_id, version=int(number), version_id=version_id, previous_form_id=previous
    )


def list_surveys(db: sqlite_utils.Database) -> list[SurveySummary]:
    """Every survey in the forum file with its latest version, by title."""
    rows = db.execute(
        """
        SELECT s.id, s.form_id, s.title, s.previous_form_id, MAX(v.version), COUNT(v.id),
               (SELECT COUNT(*) FROM survey_questions q
                JOIN survey_versions lv ON lv.id = q.version_id
                WHERE lv.survey_id = s.id AND lv.version = MAX(v.version)
                  AND q.type NOT IN ('note', 'calculate'))
        FROM surveys s JOIN survey_versions v ON v.survey_id = s.id
        GROUP BY s.id ORDER BY s.title COLLATE NOCASE, s.form_id
        """
    ).fetchall()
    return [
        SurveySummary(
            id=row[0],
            form_id=row[1],
            title=row[2],
            previous_form_id=row[3],
            version=int(row[4]),
            versions=int(row[5]),
            questions=int(row[6]),
        )
        for row in rows
    ]


def set_consent_question(workspace: Workspace, reference: str, kind: str, question: str) -> Survey:
    """Mark which question records consent to ``quote`` or ``share`` ("" to clear it).

    This is a fact about the form, not a change to it, so the latest version is updated in
    place rather than becoming a new version.
    """
    if kind not in ("quote", "share"):
        raise ValueError(f"consent kind must be quote or share, not {kind!r}")
    db = workspace.db
    survey = get_survey(db, reference)
    if question:
        try:
            target = survey.question(question)
        except KeyError:
            raise ConsentQuestionError(
                f"The survey “{survey.form_id}” has no question “{question}”."
            ) from None
        if target.type not in ("select_one", "acknowledge"):
            raise ConsentQuestionError(
                f"“{question}” in the survey “{survey.form_id}” is not a yes/no question, so it "
                "cannot record consent."
            )
    if kind == "quote":
        updated = replace(survey, consent_quote=question)
    else:
        updated = replace(survey, consent_share=question)
    with workspace.transaction("survey_consent_set") as change:
        db.execute(
            "UPDATE survey_versions SET definition = ? WHERE id = ?",
            [_definition_json(updated), survey.version_id],
        )
        audit.record(db, "survey_consent_set", object_ids=[survey.id, survey.version_id])
        change.touch("surveys", survey.id)
    return updated


def set_previous_edition(workspace: Workspace, reference: str, previous_form_id: str) -> Survey:
    """Record which survey this one is next year's edition of (by ``form_id``; "" to clear)."""
    db = workspace.db
    survey = get_survey(db, reference)
    with workspace.transaction("survey_edition_set") as change:
        db.execute(
            "UPDATE surveys SET previous_form_id = ? WHERE id = ?", [previous_form_id, survey.id]
        )
        audit.record(db, "survey_edition_set", object_ids=[survey.id])
        change.touch("surveys", survey.id)
    return replace(survey, previous_form_id=previous_form_id)
