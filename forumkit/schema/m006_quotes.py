"""Schema version 6 (issue 16, quotes): parents' words quoted from free-text answers, their tags,
the forum's deny-list for redaction, and tombstones for deleted quotes.

- ``quotes``: a span of one free-text answer (``response_id`` and the question's ``name``), in
  Unicode code points (``span_start`` ≤ i < ``span_end``), with a copy of the words it covered
  when it was made (``text``), so a later correction of the answer is noticed rather than
  silently shifting the quote; the ``redacted_text`` (the only text that may ever leave the
  file), whether a person edited that text (``redaction_edited``), the reviewed flag with who and
  when, and who made the quote and when. ``seq`` is a small INTEGER PRIMARY KEY (the derived
  search index's rowid); ``id`` the UUID that crosses files.
- ``quote_tags``: quote × code, with who tagged and when. ``code_id`` declares ``REFERENCES
  codes (id)``, which is how ``forumkit.codebooks`` finds the tags when a code is merged into
  another or refused deletion; the primary key over (quote, code) lets a merge drop a tag that
  would repeat.
- ``deny_terms``: the forum's own schools, staff and places to redact, editable; ids derived
  from the words, so two laptops adding the same school agree.
- ``tombstones`` may now hold ``quote`` ids (a deleted quote must not come back from another
  laptop's copy when files are merged). SQLite cannot change a CHECK, so the table is remade
  with the same rows.

A response's quotes go with it: the trigger ``quotes_go_with_their_response`` deletes them (and
their tags) whenever a response row is deleted, by whichever module, so a deleted or erased
response leaves none of its words behind in quotes. ``quotes.response_id`` also declares
``REFERENCES responses (id)`` without an action: a later migration that remakes ``responses``
(dropping the old table fires no trigger) fails loudly on the foreign key rather than losing
quotes; such a migration must move the quotes aside first.

A released migration is never edited.
"""

from __future__ import annotations

import sqlite_utils

from forumkit.schema.script import run_script

SQL = """
CREATE TABLE quotes (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    response_id TEXT NOT NULL REFERENCES responses (id),
    question TEXT NOT NULL,
    span_start INTEGER NOT NULL CHECK (span_start >= 0),
    span_end INTEGER NOT NULL CHECK (span_end > span_start),
    text TEXT NOT NULL,
    redacted_text TEXT NOT NULL,
    redaction_edited INTEGER NOT NULL DEFAULT 0 CHECK (redaction_edited IN (0, 1)),
    reviewed INTEGER NOT NULL DEFAULT 0 CHECK (reviewed IN (0, 1)),
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    modified TEXT NOT NULL
);
CREATE INDEX quotes_response ON quotes (response_id, question, span_start);

CREATE TABLE quote_tags (
    quote_id TEXT NOT NULL REFERENCES quotes (id),
    code_id TEXT NOT NULL REFERENCES codes (id),
    tagged_by TEXT NOT NULL DEFAULT '',
    tagged_at TEXT NOT NULL,
    PRIMARY KEY (quote_id, code_id)
) WITHOUT ROWID;
CREATE INDEX quote_tags_code ON quote_tags (code_id, quote_id);

CREATE TABLE deny_terms (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('school', 'person', 'place')),
    added TEXT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER quotes_go_with_their_response BEFORE DELETE ON responses BEGIN
    DELETE FROM quote_tags WHERE quote_id IN (SELECT id FROM quotes WHERE response_id = OLD.id);
    DELETE FROM quotes WHERE response_id = OLD.id;
END;

CREATE TABLE tombstones_widened (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('response', 'survey', 'quote')),
    reason TEXT NOT NULL CHECK (reason IN ('deleted', 'erased', 'removed')),
    at TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO tombstones_widened (id, kind, reason, at) SELECT id, kind, reason, at FROM tombstones;
DROP TABLE tombstones;
ALTER TABLE tombstones_widened RENAME TO tombstones;
"""


def upgrade(db: sqlite_utils.Database) -> None:
    run_script(db, SQL)
