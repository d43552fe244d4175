"""Schema version 9 (issue 17, analysis): the forum's small-cell threshold.

``forum.suppression_threshold`` is the t of small-cell suppression: every count from 1 to t−1
that leaves the file is shown as "<t". 5 by default (Ofqual's rule), 10 as some statistics use;
forumkit takes any whole number from 3 (below that a "<t" count would be known exactly) to 20.

A released migration is never edited.
"""

from __future__ import annotations

import sqlite_utils

from forumkit.schema.script import run_script

SQL = """
ALTER TABLE forum ADD COLUMN suppression_threshold INTEGER NOT NULL DEFAULT 5
    CHECK (suppression_threshold BETWEEN 3 AND 20);
"""


def upgrade(db: sqlite_utils.Database) -> None:
    run_script(db, SQL)
