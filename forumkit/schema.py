"""Schema migrations of the forum database.

``MIGRATIONS[n]`` takes a database at version ``n`` to version ``n + 1``; the version lives in
``PRAGMA user_version``. Opening an older file applies the missing migrations (the previous
file is kept as ``FILE.bak`` by the save that follows); a newer file is refused. Later features
append their migrations here; a released migration is never edited.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import sqlite_utils

from forumkit.responses.store import migrate_responses
from forumkit.surveys.store import migrate_surveys

Migration = Callable[[sqlite_utils.Database], None]


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run several SQL statements inside the current transaction.

    ``sqlite3``'s own ``executescript`` commits first, which would break the all-or-nothing
    promise of ``workspace.transaction()``; this runs the statements one by one instead.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError("the SQL script ends with an incomplete statement")


def _v1_forum_and_audit(db: sqlite_utils.Database) -> None:
    """Forum metadata (one row) and the append-only audit log."""
    run_script(
        db,
        """
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
        """,
    )


MIGRATIONS: list[Migration] = [
    _v1_forum_and_audit,
    migrate_surveys,  # v2, issue 3 (Surveys): SQL lives in forumkit/surveys/store.py
    migrate_responses,  # v3, issue 4 (Responses): SQL lives in forumkit/responses/store.py
]


def latest_version() -> int:
    return len(MIGRATIONS)


def current_version(db: sqlite_utils.Database) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(db: sqlite_utils.Database) -> list[int]:
    """Apply every missing migration inside the caller's transaction; the versions applied."""
    applied = []
    for version in range(current_version(db), latest_version()):
        MIGRATIONS[version](db)
        db.execute(f"PRAGMA user_version = {version + 1}")
        applied.append(version + 1)
    return applied
