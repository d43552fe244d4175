"""Keeping surveys in the forum file: import, versions, look-up by id or form_id, listing,
and the forum's own settings of a survey (its name, consent questions, archive).

A survey is one ``form_id``; re-importing a changed XLSForm adds a version, and importing the
same form again changes nothing. Ids are UUIDs derived from the form itself: a survey's from its
``form_id``, a version's from its content, so two laptops that import the same XLSForm, in any
order, hold the same survey and version ids and their files merge without duplicates. The
ordinal ``version`` (1, 2, 3 in the order this file met them) is for people, never an identity.
Each version keeps its whole definition as JSON, plus one indexed row per question for queries.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from forumkit import audit, tombstones
from forumkit.schema.m004_identity import content_version_id, question_id
from forumkit.surveys.errors import (
    ConsentQuestionError,
    SurveyNameError,
    SurveyNotFound,
    SurveyRemoved,
)
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
    """``added`` (a new survey), ``new_version``, ``made_current`` (an earlier version imported
    again), ``updated`` (the same content with a new title or consent questions) or
    ``unchanged``."""


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
    archived: bool = False


def _definition(survey: Survey) -> dict[str, Any]:
    """The version's definition as stored: the form's content, without the survey's settings
    (its previous edition and consent questions live on the survey, not in a version)."""
    data = survey_to_dict(survey)
    for key in ("previous_form_id", "consent_quote", "consent_share"):
        data.pop(key)
    return data


def _definition_json(survey: Survey) -> str:
    return json.dumps(_definition(survey), ensure_ascii=False, sort_keys=True)


def version_id_for(survey_id: str, survey: Survey) -> str:
    """The id every forum file gives this version of a survey: derived from its content.

    The rule is the one schema version 4 introduced (:func:`content_version_id`), kept in one
    place; rows moved, a new title or other consent questions are not a new version.
    """
    return content_version_id(survey_id, _definition(survey))


def survey_id_for(form_id: str) -> str:
    """The survey id every forum file gives a ``form_id``."""
    return str(uuid.uuid5(_SURVEY_NAMESPACE, f"survey:{form_id}"))


def version_stamp() -> str:
    """When a version is made, for ``current_since`` (an import's and a designed survey's)."""
    # Microseconds: which version is current is decided by this, and a form may be imported
    # twice within a second.
    return datetime.now(UTC).isoformat(timespec="microseconds")


_CURRENT_ORDER = "ORDER BY current_since DESC, version DESC, id DESC"
"""Which version is current: the one made current last (import, or merge keeping the later)."""


@dataclass
class HeldSurvey:
    """What the file holds of a survey before an import changes it."""

    title: str
    renamed: bool
    previous_form_id: str
    consent: tuple[str, str]
    consent_set_by: str
    current_version_id: str
    versions: dict[str, int]
    """Version id → ordinal."""


def held_survey(db: sqlite_utils.Database, survey_id: str) -> HeldSurvey | None:
    """What the file holds of a survey before a change (an import, a saved design) makes a
    version of it; None for a survey it does not hold."""
    row = db.execute(
        "SELECT title, renamed, previous_form_id, consent_quote, consent_share, consent_set_by "
        "FROM surveys WHERE id = ?",
        [survey_id],
    ).fetchone()
    if row is None:
        return None
    versions = db.execute(
        f"SELECT id, version FROM survey_versions WHERE survey_id = ? {_CURRENT_ORDER}",  # noqa: S608
        [survey_id],
    ).fetchall()
    return HeldSurvey(
        title=row[0],
        renamed=bool(row[1]),
        previous_form_id=row[2],
        consent=(row[3], row[4]),
        consent_set_by=row[5],
        current_version_id=versions[0][0],
        versions={str(vid): int(number) for vid, number in versions},
    )


def import_xlsform(
    workspace: Workspace, path: Path, *, restore_removed: bool = False
) -> ImportResult:
    """Read an XLSForm and store it as a new survey or a version of its ``form_id``.

    Importing the current version again changes nothing; importing an earlier version again
    makes it current (A → B → A). A removed survey's form is refused unless
    ``restore_removed``. The title and consent questions follow the form, except where the
    forum renamed the survey or chose its consent questions in forumkit. The forum file is
    changed in one transaction (a refused form leaves it exactly as it was) and the import is
    audit-logged with ids only.
    """
    read = read_xlsform(Path(path))
    incoming = read.survey
    warnings = list(read.warnings)
    db = workspace.db
    survey_id = survey_id_for(incoming.form_id)
    buried = tombstones.reason(db, survey_id)
    if buried is not None and not restore_removed:
        raise SurveyRemoved(incoming.form_id)
    held = held_survey(db, survey_id)
    version_id = version_id_for(survey_id, incoming)
    updates: dict[str, object] = {}
    if held is None:
        status = "added"
    else:
        status, updates = _plan(held, incoming, version_id, warnings)
    if status == "unchanged":
        return ImportResult(get_survey(db, survey_id), tuple(warnings), status)
    now = version_stamp()
    with workspace.transaction("survey_imported") as change:
        if buried is not None:
            tombstones.raise_from_grave(db, survey_id, removed=True)
        if held is None:
            db.execute(
                "INSERT INTO surveys (id, form_id, title, previous_form_id, created, "
                "consent_quote, consent_share, consent_set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    survey_id,
                    incoming.form_id,
                    incoming.title,
                    incoming.previous_form_id,
                    now,
                    incoming.consent_quote,
                    incoming.consent_share,
                    now,
                ],
            )
            insert_version(db, survey_id, version_id, 1, incoming, now)
        elif status == "new_version":
            ordinal = max(held.versions.values()) + 1
            insert_version(db, survey_id, version_id, ordinal, incoming, now)
        elif status == "made_current":
            db.execute(
                "UPDATE survey_versions SET current_since = ? WHERE id = ?", [now, version_id]
            )
        if "consent_quote" in updates:
            updates["consent_set_at"] = now
        if updates:
            assignments = ", ".join(f"{column} = ?" for column in updates)
            db.execute(
                f"UPDATE surveys SET {assignments} WHERE id = ?",  # noqa: S608 (constant columns)
                [*updates.values(), survey_id],
            )
        stored = get_survey(db, survey_id)
        audit.record(
            db,
            "survey_imported",
            {"version": stored.version, "questions": len(stored.questions)},
            [survey_id, version_id],
        )
        change.touch("surveys", survey_id)
        if "consent_quote" in updates:
            change.touch("responses")
    return ImportResult(stored, tuple(warnings), status)


def _plan(
    held: HeldSurvey, incoming: Survey, version_id: str, warnings: list[str]
) -> tuple[str, dict[str, object]]:
    """What importing ``incoming`` over a held survey changes: a status and survey columns."""
    if version_id not in held.versions:
        status = "new_version"
    elif version_id != held.current_version_id:
        status = "made_current"
    else:
        status = "unchanged"
    updates: dict[str, object] = {}
    if not held.renamed and incoming.title != held.title:
        updates["title"] = incoming.title
    if incoming.previous_form_id and incoming.previous_form_id != held.previous_form_id:
        updates["previous_form_id"] = incoming.previous_form_id
    declared = (incoming.consent_quote, incoming.consent_share)
    if declared != held.consent:
        if held.consent_set_by == "form":
            updates.update(consent_quote=declared[0], consent_share=declared[1])
        elif any(declared):
            warnings.append(
                "The form names other consent questions than the ones chosen in forumkit; "
                "forumkit kept its own (change them on the Surveys page)."
            )
    if updates and status == "unchanged":
        status = "updated"
    return status, updates


def insert_version(
    db: sqlite_utils.Database,
    survey_id: str,
    version_id: str,
    version: int,
    survey: Survey,
    imported: str,
) -> None:
    """Store one version of a survey, made current now (imports and saved designs alike)."""
    db.execute(
        "INSERT INTO survey_versions (id, survey_id, version, title, form_version, imported, "
        "definition, current_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            version_id,
            survey_id,
            version,
            survey.title,
            survey.form_version,
            imported,
            _definition_json(survey),
            imported,
        ],
    )
    db.conn.executemany(
        "INSERT INTO survey_questions (id, version_id, position, name, type, list_name, "
        "label) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                question_id(version_id, question.name),
                version_id,
                position,
                question.name,
                question.type,
                question.list_name,
                pick_text(question.labels, None, survey.default_language),
            )
            for position, question in enumerate(survey.questions)
        ],
    )


@dataclass(frozen=True)
class _SurveyRow:
    id: str
    form_id: str
    title: str
    previous_form_id: str
    consent_quote: str
    consent_share: str


def _find_survey_row(db: sqlite_utils.Database, reference: str) -> _SurveyRow:
    row = db.execute(
        "SELECT id, form_id, title, previous_form_id, consent_quote, consent_share FROM surveys "
        "WHERE id = ? OR form_id = ? ORDER BY id = ? DESC LIMIT 1",
        [reference, reference, reference],
    ).fetchone()
    if row is None:
        raise SurveyNotFound(reference)
    return _SurveyRow(*(str(value) for value in row))


def get_survey(db: sqlite_utils.Database, reference: str, version: int | None = None) -> Survey:
    """The survey named by id or ``form_id``, at version ``version`` (the number shown beside
    it), or at its current version when None.

    The survey's own settings (its name, previous edition and consent questions) apply to
    every version.
    """
    held = _find_survey_row(db, reference)
    sql = "SELECT id, version, definition FROM survey_versions WHERE survey_id = ?"
    params: list[object] = [held.id]
    if version is not None:
        sql += " AND version = ?"
        params.append(version)
    row = db.execute(f"{sql} {_CURRENT_ORDER} LIMIT 1", params).fetchone()
    if row is None:
        raise SurveyNotFound(reference, version)
    version_id, number, definition = row
    survey = survey_from_dict(json.loads(definition))
    return replace(
        survey,
        id=held.id,
        title=held.title,
        version=int(number),
        version_id=version_id,
        previous_form_id=held.previous_form_id,
        consent_quote=held.consent_quote,
        consent_share=held.consent_share,
    )


def list_surveys(db: sqlite_utils.Database) -> list[SurveySummary]:
    """Every survey in the forum file with its current version, by title, archived ones
    (marked) after the others: last year's surveys stay out of the way of this year's work, and
    a page showing the first survey shows one in use."""
    rows = db.execute(
        f"""
        SELECT s.id, s.form_id, s.title, s.previous_form_id, s.archived IS NOT NULL,
               (SELECT COUNT(*) FROM survey_versions WHERE survey_id = s.id),
               current.version,
               (SELECT COUNT(*) FROM survey_questions q
                WHERE q.version_id = current.id AND q.type NOT IN ('note', 'calculate'))
        FROM surveys s JOIN survey_versions current ON current.id = (
            SELECT id FROM survey_versions WHERE survey_id = s.id {_CURRENT_ORDER} LIMIT 1)
        ORDER BY s.archived IS NOT NULL, s.title COLLATE NOCASE, s.form_id
        """  # noqa: S608 (constant SQL)
    ).fetchall()
    return [
        SurveySummary(
            id=row[0],
            form_id=row[1],
            title=row[2],
            previous_form_id=row[3],
            archived=bool(row[4]),
            versions=int(row[5]),
            version=int(row[6]),
            questions=int(row[7]),
        )
        for row in rows
    ]


def set_consent_questions(
    workspace: Workspace,
    reference: str,
    *,
    quote: str | None = None,
    share: str | None = None,
) -> Survey:
    """Choose which questions record consent to quote a parent's words and to share their
    answers with inspectors ("" for none, None to keep), both in one change.

    Consent is a setting of the survey, applied to the responses of every version (a version
    without the chosen question counts as not asked), and read afresh whenever a response is
    read: changing it changes at once which parents' words may leave the file. The chosen
    questions must be yes/no questions of the current version. The forum's choice then wins
    over what later imports of the form declare.
    """
    db = workspace.db
    survey = get_survey(db, reference)
    chosen = {
        "quote": survey.consent_quote if quote is None else quote,
        "share": survey.consent_share if share is None else share,
    }
    for question in chosen.values():
        if question:
            _check_consent_question(survey, question)
    if (chosen["quote"], chosen["share"]) == (survey.consent_quote, survey.consent_share):
        return survey
    with workspace.transaction("survey_consent_set") as change:
        db.execute(
            "UPDATE surveys SET consent_quote = ?, consent_share = ?, consent_set_at = ?, "
            "consent_set_by = 'forum' WHERE id = ?",
            [chosen["quote"], chosen["share"], version_stamp(), survey.id],
        )
        audit.record(db, "survey_consent_set", object_ids=[survey.id])
        change.touch("surveys", survey.id)
        change.touch("responses")
    return replace(survey, consent_quote=chosen["quote"], consent_share=chosen["share"])


def _check_consent_question(survey: Survey, question: str) -> None:
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


MAX_TITLE = 200
"""The longest survey name forumkit takes (it has to fit in menus and on a pack's cover)."""


def rename_survey(workspace: Workspace, reference: str, title: str) -> Survey:
    """Give the survey the name the forum knows it by; re-importing its XLSForm keeps it.

    An empty name gives the survey back the title its form has.
    """
    db = workspace.db
    survey = get_survey(db, reference)
    name = " ".join(title.split())
    if len(name) > MAX_TITLE:
        raise SurveyNameError(
            f"A survey's name may be at most {MAX_TITLE} characters; this one has {len(name)}."
        )
    with workspace.transaction("survey_renamed") as change:
        if name:
            db.execute("UPDATE surveys SET title = ?, renamed = 1 WHERE id = ?", [name, survey.id])
        else:
            form_title = db.execute(
                f"SELECT title FROM survey_versions WHERE survey_id = ? {_CURRENT_ORDER} LIMIT 1",  # noqa: S608
                [survey.id],
            ).fetchone()[0]
            db.execute(
                "UPDATE surveys SET title = ?, renamed = 0 WHERE id = ?", [form_title, survey.id]
            )
        audit.record(db, "survey_renamed", object_ids=[survey.id])
        change.touch("surveys", survey.id)
    return get_survey(db, survey.id)


def archive_survey(workspace: Workspace, reference: str, *, archived: bool = True) -> Survey:
    """Archive a survey (kept with its responses, out of the way of this year's work), or bring
    it back with ``archived=False``."""
    db = workspace.db
    survey = get_survey(db, reference)
    with workspace.transaction("survey_archived" if archived else "survey_unarchived") as change:
        db.execute(
            "UPDATE surveys SET archived = ? WHERE id = ?",
            [audit.now_iso() if archived else None, survey.id],
        )
        audit.record(
            db, "survey_archived" if archived else "survey_unarchived", object_ids=[survey.id]
        )
        change.touch("surveys", survey.id)
    return survey


def is_archived(db: sqlite_utils.Database, reference: str) -> bool:
    """Whether the survey is archived."""
    held = _find_survey_row(db, reference)
    row = db.execute("SELECT archived FROM surveys WHERE id = ?", [held.id]).fetchone()
    return row is not None and row[0] is not None
