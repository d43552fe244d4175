"""Schema migrations of the forum database: the lowest layer above the vault.

``MIGRATIONS[n]`` takes a database at version ``n`` to version ``n + 1``; the version lives in
``PRAGMA user_version``. Each migration is a numbered module of this package holding its own
SQL, and imports no domain module (surveys, responses, …): the domains sit above the schema,
never below it. Opening an older file applies the missing migrations (the previous file is kept
as ``FILE.bak`` by the save that follows); a newer file is refused. A released migration is
never edited.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from forumkit.schema import (
    m001_forum,
    m002_surveys,
    m003_responses,
    m004_identity,
    m005_codebooks,
    m006_quotes,
    m007_pack_settings,
    m008_merge,
    m009_analysis,
)
from forumkit.schema.script import run_script

Migration = Callable[[sqlite_utils.Database], None]

MIGRATIONS: list[Migration] = [
    m001_forum.upgrade,
    m002_surveys.upgrade,
    m003_responses.upgrade,
    m004_identity.upgrade,
    m005_codebooks.upgrade,
    m006_quotes.upgrade,
    m007_pack_settings.upgrade,
    m008_merge.upgrade,
    m009_analysis.upgrade,
]

__all__ = ["MIGRATIONS", "Migration", "current_version", "latest_version", "migrate", "run_script"]


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
