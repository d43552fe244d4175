"""Schema version 5 (issue 16, codebooks): codebooks, their codes, and which of the five areas
inspectors evaluate each code speaks to.

- ``codebooks``: id, key, name, description; ``shipped`` names the resource a shipped codebook
  was seeded from ('' for the forum's own); one ``is_default`` codebook (the seven key
  messages).
- ``codes``: a tree per codebook (``parent_id``), each with a key unique in its codebook, a label,
  a scope note, a chip colour, a shortcut unique in its codebook, keywords (a JSON list) and
  whether it can be used for tagging (``codable``; false for headings imported from other tools).
- ``code_inspection_areas``: code → code of the inspection-areas codebook, the mapping evidence
  packs use to read the key messages along the five areas; editable by the forum.

Every table that uses codes refers to them with ``REFERENCES codes (id)``; ``forumkit.codebooks``
finds such tables that way when a code is deleted or merged (the quotes store's tags will be one).

The shipped codebooks are seeded here, from ``resources/codebooks/`` (read through
``forumkit.paths``); the seven key messages take their keywords from
``key-messages-keywords.json`` (drawn from the NNPCF's documents and the scope notes, the words
``forumkit.suggest`` matches), so the codes' own keywords, which the forum may edit, drive
suggestions in every file, for a new file (``Workspace.create`` runs the migrations) and for a file
written before this version alike: one path, inside the upgrade's transaction, so both get the
same codebooks with the same ids, and no read ever has to write. Ids are derived from the keys
(the rule below is frozen; ``forumkit.codebooks`` computes them with its own copy and a test
checks they agree). The resources are seeds: editing one later changes what files created or
upgraded afterwards get, never a file that already holds its codebooks (the forum may have
edited them); a change that existing files must get needs a migration of its own.

A released migration is never edited.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import sqlite_utils

from forumkit.paths import resource_path
from forumkit.schema.script import run_script

SQL = """
CREATE TABLE codebooks (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    shipped TEXT NOT NULL DEFAULT '',
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    position INTEGER NOT NULL,
    updated TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX codebooks_one_default ON codebooks (is_default) WHERE is_default = 1;

CREATE TABLE codes (
    id TEXT PRIMARY KEY,
    codebook_id TEXT NOT NULL REFERENCES codebooks (id),
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL CHECK (
        length(colour) = 7 AND colour GLOB '#[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]'
    ),
    shortcut TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '[]',
    parent_id TEXT REFERENCES codes (id),
    codable INTEGER NOT NULL DEFAULT 1 CHECK (codable IN (0, 1)),
    position INTEGER NOT NULL,
    updated TEXT NOT NULL DEFAULT '',
    UNIQUE (codebook_id, key)
);
CREATE UNIQUE INDEX codes_shortcut ON codes (codebook_id, shortcut) WHERE shortcut != '';
CREATE INDEX codes_parent ON codes (parent_id);

CREATE TABLE code_inspection_areas (
    code_id TEXT NOT NULL REFERENCES codes (id),
    area_id TEXT NOT NULL REFERENCES codes (id),
    PRIMARY KEY (code_id, area_id)
) WITHOUT ROWID;
CREATE INDEX code_inspection_areas_area ON code_inspection_areas (area_id);
"""

NAMESPACE = uuid.UUID("acbe6de2-3e01-4e25-acbe-64b0e30b2fa5")

SHIPPED = (
    "nnpcf-key-messages.json",
    "inspection-areas.json",
    "areas-of-need.json",
    "preparing-for-adulthood.json",
)
"""The codebooks a forum file starts with, in the order they are listed."""

INSPECTION_AREAS_KEY = "inspection-areas"

KEYWORDS = "key-messages-keywords.json"
"""Keywords by code key for the codebook it names (``"codebook"``), merged into that codebook's
codes when they are seeded."""


def codebook_id(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"codebook:{key}"))


def code_id(book_id: str, key: str) -> str:
    return str(uuid.uuid5(uuid.UUID(book_id), f"code:{key}"))


def _read(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        resource_path("codebooks", name).read_text(encoding="utf-8")
    )
    return document


def seed_shipped(db: sqlite_utils.Database) -> None:
    """Insert the shipped codebooks, their codes and the default inspection-area mapping."""
    links: list[tuple[str, str]] = []
    extra = _read(KEYWORDS)
    for position, name in enumerate(SHIPPED):
        book = _read(name)
        book_id = codebook_id(book["key"])
        keywords: dict[str, list[str]] = (
            extra["keywords"] if extra["codebook"] == book["key"] else {}
        )
        db.execute(
            "INSERT INTO codebooks (id, key, name, description, shipped, is_default, position) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                book_id,
                book["key"],
                book["name"],
                book["description"],
                name,
                1 if book.get("default") else 0,
                position,
            ],
        )
        for index, code in enumerate(book["codes"]):
            this_id = code_id(book_id, code["key"])
            db.execute(
                "INSERT INTO codes (id, codebook_id, key, label, description, colour, shortcut, "
                "keywords, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    this_id,
                    book_id,
                    code["key"],
                    code["label"],
                    code["scope"],
                    code["colour"],
                    code.get("shortcut", ""),
                    json.dumps(
                        [*code.get("keywords", []), *keywords.get(code["key"], [])],
                        ensure_ascii=False,
                    ),
                    index,
                ],
            )
            area_book = codebook_id(INSPECTION_AREAS_KEY)
            links.extend(
                (this_id, code_id(area_book, area)) for area in code.get("inspection_areas", [])
            )
    db.conn.executemany("INSERT INTO code_inspection_areas (code_id, area_id) VALUES (?, ?)", links)


def upgrade(db: sqlite_utils.Database) -> None:
    run_script(db, SQL)
    seed_shipped(db)
