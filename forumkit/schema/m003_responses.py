"""Schema version 3 (issue 4, Responses): one row per response, its answers as compact JSON.

``seq`` is a small INTEGER PRIMARY KEY (insertion order, cheap to page by); ``id`` is the UUID
that crosses files. A released migration is never edited: later changes are new migrations.
"""

from __future__ import annotations

import sqlite_utils

from forumkit.schema.script import run_script

SQL = """
CREATE TABLE responses (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    survey_id TEXT NOT NULL REFERENCES surveys (id),
    version_id TEXT NOT NULL REFERENCES survey_versions (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'complete')),
    source TEXT NOT NULL,
    source_key TEXT,
    respondent TEXT,
    respondent_key TEXT,
    captured_by TEXT,
    device_id TEXT,
    started TEXT,
    finished TEXT,
    modified TEXT NOT NULL,
    consent_quote INTEGER,
    consent_share INTEGER,
    answers TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX responses_respondent ON responses (respondent_key);
CREATE INDEX responses_survey_status ON responses (survey_id, status);
CREATE UNIQUE INDEX responses_source_key ON responses (survey_id, source_key);
"""


def upgrade(db: sqlite_utils.Database) -> None:
    run_script(db, SQL)
