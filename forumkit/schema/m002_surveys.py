"""Schema version 2 (issue 3, Surveys): surveys, their versions (definition as JSON) and their
questions (one indexed row each, for queries by later features).

A released migration is never edited: later changes are new migrations.
"""

from __future__ import annotations

import sqlite_utils

from forumkit.schema.script import run_script

SQL = """
CREATE TABLE surveys (
    id TEXT PRIMARY KEY,
    form_id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    previous_form_id TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
CREATE TABLE survey_versions (
    id TEXT PRIMARY KEY,
    survey_id TEXT NOT NULL REFERENCES surveys (id),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    form_version TEXT NOT NULL DEFAULT '',
    imported TEXT NOT NULL,
    definition TEXT NOT NULL,
    UNIQUE (survey_id, version)
);
CREATE TABLE survey_questions (
    id TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES survey_versions (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    list_name TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL DEFAULT '',
    UNIQUE (version_id, name)
);
CREATE INDEX survey_versions_survey ON survey_versions (survey_id, version);
CREATE INDEX survey_questions_version ON survey_questions (version_id, position);
"""


def upgrade(db: sqlite_utils.Database) -> None:
    run_script(db, SQL)
