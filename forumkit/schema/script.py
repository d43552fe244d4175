"""Running a migration's SQL inside the caller's transaction."""

from __future__ import annotations

import sqlite3

import sqlite_utils


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
