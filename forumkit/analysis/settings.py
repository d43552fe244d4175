"""The forum's small-cell threshold, kept in the forum file (``forum.suppression_threshold``).

Counts from 1 to t−1 are published as "<t". The threshold belongs to the forum, not to one
laptop or one command, so every pack, export and dashboard of the file uses the same one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlite_utils

from forumkit import audit
from forumkit.analysis.errors import ThresholdError

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

DEFAULT_THRESHOLD = 5
"""Ofqual's rule: counts of 1 to 4 are shown as "<5"."""
LOWEST_THRESHOLD = 3
"""Below 3 a "<t" count would be known exactly (it could only be 1)."""
HIGHEST_THRESHOLD = 20


def suppression_threshold(db: sqlite_utils.Database) -> int:
    """The forum's threshold t: counts from 1 to t−1 are published as "<t"."""
    row = db.execute("SELECT suppression_threshold FROM forum").fetchone()
    return int(row[0]) if row is not None else DEFAULT_THRESHOLD


def check_threshold(threshold: int) -> int:
    """``threshold`` if forumkit allows it; ThresholdError saying what it allows if not."""
    if not LOWEST_THRESHOLD <= threshold <= HIGHEST_THRESHOLD:
        raise ThresholdError(
            f"The small-cell threshold must be a whole number from {LOWEST_THRESHOLD} to "
            f"{HIGHEST_THRESHOLD} (5 is the usual rule, 10 a stricter one), not {threshold}."
        )
    return threshold


def set_suppression_threshold(workspace: Workspace, threshold: int) -> int:
    """Set the forum's threshold (audit-logged); returns it."""
    check_threshold(threshold)
    db = workspace.db
    if suppression_threshold(db) == threshold:
        return threshold
    with workspace.transaction("suppression_threshold_set") as change:
        db.execute("UPDATE forum SET suppression_threshold = ?", [threshold])
        audit.record(db, "suppression_threshold_set", {"threshold": threshold})
        change.touch("settings")
    return threshold
