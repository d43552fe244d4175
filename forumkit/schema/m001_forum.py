"""Schema version 1 (issue 2, Foundation): forum metadata (one row) and the append-only audit log.

A released migration is never edited: later changes are new migrations.
"""

from __future__ import annotations

import sqlite_utils

from forumkit.schema.script import run_script

SQL = """
CREATE TABLE forum (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    area TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    file_id TEXT NOT NULL
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}',
    object_ids TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX audit_log_action ON audit_log (action);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def upgrade(db: sqlite_utils.Database) -> None:
    run_script(db, SQL)
