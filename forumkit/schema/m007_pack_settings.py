"""Schema version 7 (issue 18, evidence packs): the forum's defaults for its evidence packs.

- ``forum.pack_title``: the title a pack's cover carries unless the chair gives another
  ("" for forumkit's own: "Evidence from <forum> for the local area SEND inspection");
- ``forum.pack_contact``: who inspectors should contact about the evidence ("" for none).

Both are the forum's own words about itself, never a parent's. A released migration is never
edited.
"""

from __future__ import annotations

import sqlite_utils

from forumkit.schema.script import run_script

SQL = """
ALTER TABLE forum ADD COLUMN pack_title TEXT NOT NULL DEFAULT '';
ALTER TABLE forum ADD COLUMN pack_contact TEXT NOT NULL DEFAULT '';
"""


def upgrade(db: sqlite_utils.Database) -> None:
    run_script(db, SQL)
