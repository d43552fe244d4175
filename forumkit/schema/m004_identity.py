"""Schema version 4 (issue 9, identity): ids that survive copying and merging, consent that is
always current, and tombstones.

- ``forum.forum_id`` (shared by every copy of a forum's file) and ``forum.origin_id`` (this copy,
  recorded as ``device_id`` on what it captures). A file written before this version gets both
  from its file id, so two copies of one old file agree on their forum.
- Survey version ids come from the version's content (:func:`content_version_id`), no longer
  from a per-file ordinal, so every file that imports a form gives it the same id. The ordinal
  ``version`` stays, for display only. ``current_since`` says which version is current (the
  latest wins; a merge keeps the later of two), so files agree on it too. Versions that the new
  rule finds identical (the same form imported twice, A → B → A) become one.
- Consent questions move out of the version's definition onto the survey
  (``consent_quote`` / ``consent_share``), and a response's consent is no longer stored: the
  view ``responses_with_consent`` derives it from the current consent questions and the current
  answers whenever it is read.
- ``tombstones``: the opaque ids of deleted and erased responses and removed surveys, and when,
  so nothing deleted comes back by import or merge. Backfilled from the audit log.

A released migration is never edited: the id rule here is frozen as it was at version 4
(``forumkit.surveys`` computes new ids with its own copy, and a test checks they agree).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import sqlite_utils

from forumkit.schema.script import run_script

CONSENTING_ANSWERS = ("yes", "y", "true", "1", "agree", "agreed")
"""Answers to a consent question that give consent; anything else answered is a refusal."""


def _consent_sql(question: str) -> str:
    """SQL for one consent flag: NULL (not asked or not answered), 1 (consent) or 0 (refusal).

    Consent must be explicit: only a tick (stored as JSON true, read as 1) or a yes-like choice
    counts. This is the one place the rule lives.
    """
    answer = f"json_extract(r.answers, '$.\"' || s.{question} || '\"')"
    yes = ", ".join(f"'{word}'" for word in CONSENTING_ANSWERS)
    return (
        f"CASE WHEN s.{question} = '' OR {answer} IS NULL OR {answer} = '' THEN NULL "
        f"WHEN lower(trim({answer})) IN ({yes}) THEN 1 ELSE 0 END"
    )


SQL = """
ALTER TABLE forum ADD COLUMN forum_id TEXT NOT NULL DEFAULT '';
ALTER TABLE forum ADD COLUMN origin_id TEXT NOT NULL DEFAULT '';

ALTER TABLE surveys ADD COLUMN consent_quote TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN consent_share TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN consent_set_at TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN consent_set_by TEXT NOT NULL DEFAULT 'form'
    CHECK (consent_set_by IN ('form', 'forum'));
ALTER TABLE surveys ADD COLUMN renamed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE surveys ADD COLUMN archived TEXT;

ALTER TABLE survey_versions ADD COLUMN current_since TEXT NOT NULL DEFAULT '';

CREATE TABLE tombstones (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('response', 'survey')),
    reason TEXT NOT NULL CHECK (reason IN ('deleted', 'erased', 'removed')),
    at TEXT NOT NULL
) WITHOUT ROWID;

"""

VIEW_SQL = f"""
CREATE VIEW responses_with_consent AS
SELECT r.*,
       {_consent_sql("consent_quote")} AS consent_quote,
       {_consent_sql("consent_share")} AS consent_share
FROM responses r JOIN surveys s ON s.id = r.survey_id;
"""  # noqa: S608 (constant SQL: column names and fixed words)

_BACKFILL_TOMBSTONES = """
INSERT OR IGNORE INTO tombstones (id, kind, reason, at)
SELECT json_extract(object_ids, '$[0]'), 'response', 'deleted', at
FROM audit_log WHERE action = 'response_deleted';
INSERT OR REPLACE INTO tombstones (id, kind, reason, at)
SELECT j.value, 'response', 'erased', a.at
FROM audit_log a, json_each(a.object_ids) j WHERE a.action = 'respondent_erased';
DELETE FROM tombstones WHERE id IS NULL OR id IN (SELECT id FROM responses);
"""


def fingerprint(definition: dict[str, Any]) -> str:
    """A digest of a version's content: what parents see and what the rules do.

    Row numbers (moving rows is not a change), the title (the survey's name, which the forum
    may rename) and the consent questions (a setting of the survey) are left out.
    """
    data = json.loads(json.dumps(definition))
    for key in ("title", "consent_quote", "consent_share", "previous_form_id"):
        data.pop(key, None)
    for element in data.get("elements", []):
        element.pop("row", None)
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def content_version_id(survey_id: str, definition: dict[str, Any]) -> str:
    """The id every forum file gives this version of this survey."""
    return str(uuid.uuid5(uuid.UUID(survey_id), f"version:{fingerprint(definition)}"))


def question_id(version_id: str, name: str) -> str:
    return str(uuid.uuid5(uuid.UUID(version_id), f"question:{name}"))


def _file_uuid(file_id_hex: str) -> str:
    try:
        return str(uuid.UUID(hex=file_id_hex))
    except ValueError:
        return str(uuid.uuid4())


def _move_consent_to_surveys(db: sqlite_utils.Database) -> None:
    """Each survey takes the consent questions of its latest version's definition."""
    rows = db.execute(
        "SELECT v.survey_id, v.definition, v.imported FROM survey_versions v "
        "WHERE v.version = (SELECT MAX(version) FROM survey_versions w "
        "WHERE w.survey_id = v.survey_id)"
    ).fetchall()
    for survey_id, definition, imported in rows:
        data = json.loads(definition)
        db.execute(
            "UPDATE surveys SET consent_quote = ?, consent_share = ?, consent_set_at = ? "
            "WHERE id = ?",
            [data.get("consent_quote", ""), data.get("consent_share", ""), imported, survey_id],
        )


def _content_ids(db: sqlite_utils.Database) -> None:
    """Give every version its content id, merging versions the new rule finds identical."""
    db.execute("PRAGMA defer_foreign_keys = ON")
    rows = db.execute(
        "SELECT id, survey_id, definition, imported FROM survey_versions "
        "ORDER BY survey_id, version DESC"
    ).fetchall()
    kept: set[str] = set()
    for old_id, survey_id, definition, imported in rows:
        data = json.loads(definition)
        for key in ("consent_quote", "consent_share"):
            data.pop(key, None)
        new_id = content_version_id(survey_id, data)
        stored = json.dumps(data, ensure_ascii=False, sort_keys=True)
        if new_id in kept:
            # An older copy of a version already kept (newest first): its responses join it.
            db.execute("UPDATE responses SET version_id = ? WHERE version_id = ?", [new_id, old_id])
            db.execute("DELETE FROM survey_questions WHERE version_id = ?", [old_id])
            db.execute("DELETE FROM survey_versions WHERE id = ?", [old_id])
            continue
        kept.add(new_id)
        db.execute(
            "UPDATE survey_versions SET id = ?, definition = ?, current_since = ? WHERE id = ?",
            [new_id, stored, imported, old_id],
        )
        db.execute("UPDATE responses SET version_id = ? WHERE version_id = ?", [new_id, old_id])
        for (name,) in db.execute(
            "SELECT name FROM survey_questions WHERE version_id = ?", [old_id]
        ).fetchall():
            db.execute(
                "UPDATE survey_questions SET id = ?, version_id = ? "
                "WHERE version_id = ? AND name = ?",
                [question_id(new_id, name), new_id, old_id, name],
            )


def upgrade(db: sqlite_utils.Database) -> None:
    run_script(db, SQL)
    for (file_id,) in db.execute("SELECT file_id FROM forum").fetchall():
        forum_id = _file_uuid(str(file_id))
        db.execute("UPDATE forum SET forum_id = ?, origin_id = ?", [forum_id, forum_id])
    _move_consent_to_surveys(db)
    _content_ids(db)
    # A response's consent is derived when read (responses_with_consent), never stored.
    db.execute("ALTER TABLE responses DROP COLUMN consent_quote")
    db.execute("ALTER TABLE responses DROP COLUMN consent_share")
    run_script(db, VIEW_SQL)
    run_script(db, _BACKFILL_TOMBSTONES)
