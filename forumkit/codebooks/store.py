"""Reading a forum file's codebooks: list them, find a codebook or a code, the inspection-area
mapping, and where a code is used.

Where a code is used is found from the schema itself, not from a list kept here: every table
that refers to codes declares ``REFERENCES codes (id)`` on the column (the quotes store's tags
will), and :func:`code_references` finds each such column with ``PRAGMA foreign_key_list``. So
this package never imports the stores that use codes, and a new one is counted as soon as its
migration declares the reference.
"""

from __future__ import annotations

import json
import uuid

import sqlite_utils

from forumkit.codebooks.errors import CodebookNotFound, CodeNotFound
from forumkit.codebooks.model import INSPECTION_AREAS_ID, Code, Codebook

OWN_TABLES = frozenset({"codes", "code_inspection_areas"})
"""Tables of this package that refer to codes; they are not uses of a code."""

_CODE_COLUMNS = (
    "id, codebook_id, key, label, description, colour, shortcut, keywords, parent_id, codable, "
    "position"
)


def _code(row: tuple[object, ...]) -> Code:
    (
        code_id,
        book_id,
        key,
        label,
        description,
        colour,
        shortcut,
        keywords,
        parent,
        codable,
        pos,
    ) = row
    return Code(
        id=str(code_id),
        codebook_id=str(book_id),
        key=str(key),
        label=str(label),
        description=str(description),
        colour=str(colour),
        shortcut=str(shortcut),
        keywords=tuple(str(word) for word in json.loads(str(keywords))),
        parent_id=None if parent is None else str(parent),
        codable=bool(codable),
        position=int(str(pos)),
    )


def _tree_order(codes: list[Code]) -> tuple[Code, ...]:
    """Parents before their children, siblings by position."""
    below: dict[str | None, list[Code]] = {}
    for code in sorted(codes, key=lambda c: (c.position, c.key)):
        below.setdefault(code.parent_id, []).append(code)
    ordered: list[Code] = []
    stack = list(reversed(below.get(None, [])))
    while stack:
        code = stack.pop()
        ordered.append(code)
        stack.extend(reversed(below.get(code.id, [])))
    return tuple(ordered)


def list_codebooks(db: sqlite_utils.Database) -> list[Codebook]:
    """Every codebook in the forum file, in the forum's order, each with its codes."""
    codes: dict[str, list[Code]] = {}
    for row in db.execute(f"SELECT {_CODE_COLUMNS} FROM codes").fetchall():  # noqa: S608
        code = _code(row)
        codes.setdefault(code.codebook_id, []).append(code)
    rows = db.execute(
        "SELECT id, key, name, description, shipped, is_default FROM codebooks "
        "ORDER BY position, key"
    ).fetchall()
    return [
        Codebook(
            id=str(book_id),
            key=str(key),
            name=str(name),
            description=str(description),
            shipped=bool(shipped),
            is_default=bool(is_default),
            codes=_tree_order(codes.get(str(book_id), [])),
        )
        for book_id, key, name, description, shipped, is_default in rows
    ]


def get_codebook(db: sqlite_utils.Database, reference: str) -> Codebook:
    """The codebook with this key or id; CodebookNotFound otherwise."""
    wanted = reference.strip()
    for book in list_codebooks(db):
        if wanted in (book.key, book.id):
            return book
    raise CodebookNotFound(wanted)


def default_codebook(db: sqlite_utils.Database) -> Codebook:
    """The codebook tagging starts with (the seven key messages, unless the forum removed it)."""
    books = list_codebooks(db)
    if not books:
        raise CodebookNotFound("default")
    return next((book for book in books if book.is_default), books[0])


def get_code(db: sqlite_utils.Database, code_id: str) -> Code:
    """The code with this id; CodeNotFound otherwise."""
    row = db.execute(
        f"SELECT {_CODE_COLUMNS} FROM codes WHERE id = ?",  # noqa: S608 (constant columns)
        [code_id],
    ).fetchone()
    if row is None:
        raise CodeNotFound(f"This forum file has no code with the id {code_id}.")
    return _code(row)


def resolve_code(db: sqlite_utils.Database, reference: str, codebook: str | None = None) -> Code:
    """The code a person or a spreadsheet means by ``reference``.

    ``reference`` is a code's id, ``codebook-key/code-key``, or a code key: looked up in
    ``codebook`` when given, else in the default codebook, else in whichever single codebook
    has it. A key that several other codebooks share must be written with its codebook.
    """
    text = reference.strip()
    if _is_uuid(text):
        return get_code(db, str(uuid.UUID(text)))
    if "/" in text:
        book_key, _, key = text.partition("/")
        return _in_book(get_codebook(db, book_key), key.strip())
    if codebook is not None:
        return _in_book(get_codebook(db, codebook), text)
    books = list_codebooks(db)
    default = next((book for book in books if book.is_default), None)
    if default is not None and (found := default.code(text)) is not None:
        return found
    matches = [(book, code) for book in books if (code := book.code(text)) is not None]
    if len(matches) == 1:
        return matches[0][1]
    if not matches:
        raise CodeNotFound(
            f"No codebook in this forum file has a code “{text}”; "
            "`forumkit codebook list FILE` shows the codes."
        )
    names = ", ".join(f"{book.key}/{text}" for book, _ in matches)
    raise CodeNotFound(
        f"The code key “{text}” is in several codebooks; write which one you mean ({names})."
    )


def _in_book(book: Codebook, key: str) -> Code:
    found = book.code(key)
    if found is None:
        raise CodeNotFound(f"The codebook “{book.name}” has no code “{key}”.")
    return found


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def inspection_area_map(db: sqlite_utils.Database) -> dict[str, tuple[Code, ...]]:
    """For each code mapped to inspection areas (by id), the areas it speaks to, in order.

    Evidence packs use it to read quotes along the five areas inspectors evaluate; the forum
    edits it with :func:`~forumkit.codebooks.edit.set_inspection_areas`.
    """
    areas = {code.id: code for code in get_codebook(db, INSPECTION_AREAS_ID).codes}
    mapping: dict[str, list[Code]] = {}
    for code_id, area_id in db.execute(
        "SELECT code_id, area_id FROM code_inspection_areas"
    ).fetchall():
        mapping.setdefault(str(code_id), []).append(areas[str(area_id)])
    return {
        code_id: tuple(sorted(found, key=lambda area: area.position))
        for code_id, found in mapping.items()
    }


def inspection_areas_of(db: sqlite_utils.Database, code_id: str) -> tuple[Code, ...]:
    """The inspection areas one code speaks to (empty when none is mapped)."""
    return inspection_area_map(db).get(code_id, ())


def code_references(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """Every (table, column) outside this package that refers to ``codes (id)``: the uses."""
    found: list[tuple[str, str]] = []
    tables = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    for (table,) in tables:
        if table in OWN_TABLES:
            continue
        # PRAGMA foreign_key_list rows: id, seq, table, from, to, on_update, on_delete, match.
        for row in db.execute(f"PRAGMA foreign_key_list({quote_name(str(table))})").fetchall():
            if row[2] == "codes" and row[4] in (None, "id"):
                found.append((str(table), str(row[3])))
    return found


def code_uses(db: sqlite_utils.Database, code_id: str) -> dict[str, int]:
    """How many rows of each table (``table.column``) use the code; empty when none does."""
    uses: dict[str, int] = {}
    for table, column in code_references(db):
        sql = f"SELECT COUNT(*) FROM {quote_name(table)} WHERE {quote_name(column)} = ?"  # noqa: S608
        count = int(db.execute(sql, [code_id]).fetchone()[0])
        if count:
            uses[f"{table}.{column}"] = count
    return uses


def quote_name(name: str) -> str:
    """An SQL identifier, quoted (names come from the schema, never from a person)."""
    return '"' + name.replace('"', '""') + '"'
