"""Schema version 8 (issue 19, merging): what several laptops' copies of a forum file need to be
brought together with nothing lost.

- ``conflicts``: a version of a record (a response, a quote with its tags, a code with its
  inspection areas, a codebook, a deny-list entry, a survey's settings) changed in two copies
  since they parted, which lost to the later change when they were merged: kept whole (its row
  as JSON) for the chair to review, inside the encrypted file like everything else. ``digest``
  identifies the version's content (:mod:`forumkit.schema.history`), ``stamp`` when it was made;
  the id is derived from the record and the digest, so every copy names a conflict alike.
- ``superseded``: for each record, the digests of versions it has replaced (recorded as it is
  changed, by the temporary triggers of :mod:`forumkit.schema.history`, and carried along by
  merges). A merge that meets one of them knows that copy has not changed the record since:
  this is what tells "changed in both" from "changed in one".
- ``tombstones`` may now hold codes, codebooks and deny-list entries too: deleting one leaves a
  tombstone (a trigger, whichever module deletes), so a merge does not bring it back from a copy
  made earlier; adding it again lifts a deletion's tombstone.
- Deleting a record deletes its conflicts and what it superseded (triggers), so an erasure
  leaves neither an earlier version of an answer nor a digest of one behind.

A released migration is never edited.
"""

from __future__ import annotations

import sqlite_utils

from forumkit.schema.script import run_script

_NOW = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"
"""The time as ``forumkit.audit.now_iso`` writes it, for triggers."""

SQL = """
CREATE TABLE conflicts (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (
        kind IN ('response', 'quote', 'code', 'codebook', 'deny_term', 'survey')
    ),
    record_id TEXT NOT NULL,
    digest INTEGER NOT NULL,
    stamp TEXT NOT NULL,
    version TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    found TEXT NOT NULL,
    UNIQUE (record_id, digest)
) WITHOUT ROWID;
CREATE INDEX conflicts_kind ON conflicts (kind, record_id);

CREATE TABLE superseded (
    id TEXT NOT NULL,
    digest INTEGER NOT NULL,
    PRIMARY KEY (id, digest)
) WITHOUT ROWID;

CREATE TABLE tombstones_widened (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (
        kind IN ('response', 'survey', 'quote', 'code', 'codebook', 'deny_term')
    ),
    reason TEXT NOT NULL CHECK (reason IN ('deleted', 'erased', 'removed')),
    at TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO tombstones_widened (id, kind, reason, at) SELECT id, kind, reason, at FROM tombstones;
DROP TABLE tombstones;
ALTER TABLE tombstones_widened RENAME TO tombstones;
"""

_FORGET = """
CREATE TRIGGER {table}_forget_versions AFTER DELETE ON {table} BEGIN
    DELETE FROM conflicts WHERE record_id = OLD.id;
    DELETE FROM superseded WHERE id = OLD.id;
END;
"""

_BURY = """
CREATE TRIGGER {table}_bury AFTER DELETE ON {table} BEGIN
    INSERT INTO tombstones (id, kind, reason, at) VALUES (OLD.id, '{kind}', 'deleted', {now})
    ON CONFLICT (id) DO NOTHING;
END;
CREATE TRIGGER {table}_unbury AFTER INSERT ON {table} BEGIN
    DELETE FROM tombstones WHERE id = NEW.id AND reason = 'deleted';
END;
"""

FORGETTING = ("responses", "quotes", "codes", "codebooks", "deny_terms", "surveys")
"""Tables whose rows take their conflicts and superseded versions with them when deleted."""
BURYING = {"codes": "code", "codebooks": "codebook", "deny_terms": "deny_term"}
"""Tables whose deletions leave a tombstone by trigger (responses, quotes and surveys are
buried by the modules that delete them, which know whether it is an erasure)."""


def upgrade(db: sqlite_utils.Database) -> None:
    run_script(db, SQL)
    for table in FORGETTING:
        run_script(db, _FORGET.format(table=table))
    for table, kind in BURYING.items():
        run_script(db, _BURY.format(table=table, kind=kind, now=_NOW))
