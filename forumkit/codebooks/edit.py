"""Changing a forum's codebooks: add and edit codes, merge or delete them, make codebooks, and
edit which inspection areas a code speaks to.

Every change is one ``workspace.transaction()``: it is saved whole or not at all, logged in the
audit log by ids only (names and scope notes are the forum's own words, but the log never needs
them), and marks ``"codebooks"`` in the change record with the ids it touched.

A code that is used cannot be deleted silently: :func:`delete_code` refuses (:class:`CodeInUse`)
unless ``merge_into`` names a code of the same codebook to take over its uses.
"""

from __future__ import annotations

import enum
import json
import uuid
from collections.abc import Sequence

from forumkit import audit
from forumkit.codebooks.colours import palette_colour
from forumkit.codebooks.errors import CodeInUse, CodeValueError
from forumkit.codebooks.model import (
    INSPECTION_AREAS_ID,
    Code,
    Codebook,
    CodeDeletion,
    code_id_for,
)
from forumkit.codebooks.store import (
    code_references,
    code_uses,
    get_code,
    get_codebook,
    list_codebooks,
    quote_name,
    resolve_code,
)
from forumkit.codebooks.values import (
    clean_colour,
    clean_description,
    clean_key,
    clean_keywords,
    clean_label,
    clean_shortcut,
    key_from_label,
)
from forumkit.workspace import Workspace


class _Unset(enum.Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET
"""Leave this field as it is (for ``parent``, where None means "move to the top level")."""


# -- codebooks ----------------------------------------------------------------------------------


def create_codebook(
    workspace: Workspace, name: str, *, key: str | None = None, description: str = ""
) -> Codebook:
    """Add an empty codebook of the forum's own (its key made from the name unless given)."""
    db = workspace.db
    label = clean_label(name, "codebook")
    taken = {book.key for book in list_codebooks(db)}
    book_key = clean_key(key, "codebook") if key is not None else key_from_label(label, taken)
    if book_key in taken:
        raise CodeValueError(f"This forum file already has a codebook with the key “{book_key}”.")
    book_id = str(uuid.uuid4())
    with workspace.transaction("codebook_created") as change:
        position = db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM codebooks").fetchone()
        db.execute(
            "INSERT INTO codebooks (id, key, name, description, position, updated) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                book_id,
                book_key,
                label,
                clean_description(description, "codebook"),
                position[0],
                audit.now_iso(),
            ],
        )
        audit.record(db, "codebook_created", object_ids=[book_id])
        change.touch("codebooks", book_id)
    return get_codebook(db, book_id)


def edit_codebook(
    workspace: Workspace,
    reference: str,
    *,
    name: str | None = None,
    description: str | None = None,
) -> Codebook:
    """Rename a codebook or change its description (its key stays: spreadsheets use it)."""
    db = workspace.db
    book = get_codebook(db, reference)
    new_name = book.name if name is None else clean_label(name, "codebook")
    new_description = (
        book.description if description is None else clean_description(description, "codebook")
    )
    with workspace.transaction("codebook_edited") as change:
        db.execute(
            "UPDATE codebooks SET name = ?, description = ?, updated = ? WHERE id = ?",
            [new_name, new_description, audit.now_iso(), book.id],
        )
        audit.record(db, "codebook_edited", object_ids=[book.id])
        change.touch("codebooks", book.id)
    return get_codebook(db, book.id)


def delete_codebook(workspace: Workspace, reference: str) -> None:
    """Delete a codebook and its codes; refused while any of its codes is used, and for the
    default codebook and the inspection areas (evidence packs rely on both)."""
    db = workspace.db
    book = get_codebook(db, reference)
    if book.is_default or book.id == INSPECTION_AREAS_ID:
        raise CodeValueError(
            f"The codebook “{book.name}” cannot be deleted: evidence packs rely on it."
        )
    for code in book.codes:
        uses = code_uses(db, code.id)
        if uses:
            raise CodeInUse(code.label, uses)
    ids = [code.id for code in book.codes]
    with workspace.transaction("codebook_deleted") as change:
        for code_id in ids:
            db.execute(
                "DELETE FROM code_inspection_areas WHERE code_id = ? OR area_id = ?",
                [code_id, code_id],
            )
        db.execute("UPDATE codes SET parent_id = NULL WHERE codebook_id = ?", [book.id])
        db.execute("DELETE FROM codes WHERE codebook_id = ?", [book.id])
        db.execute("DELETE FROM codebooks WHERE id = ?", [book.id])
        audit.record(db, "codebook_deleted", {"codes": len(ids)}, [book.id, *ids])
        change.touch("codebooks", book.id, *ids)


# -- codes --------------------------------------------------------------------------------------


def add_code(
    workspace: Workspace,
    codebook: str,
    label: str,
    *,
    key: str | None = None,
    description: str = "",
    colour: str | None = None,
    shortcut: str = "",
    keywords: Sequence[str] = (),
    parent: str | None = None,
    codable: bool = True,
) -> Code:
    """Add a code to ``codebook`` (key or id), at the end; its key is made from the label
    unless given, and its colour is the next of the Okabe–Ito palette unless given."""
    db = workspace.db
    book = get_codebook(db, codebook)
    clean = clean_label(label)
    taken = {code.key for code in book.codes}
    code_key = clean_key(key) if key is not None else key_from_label(clean, taken)
    if code_key in taken:
        raise CodeValueError(f"The codebook “{book.name}” already has a code “{code_key}”.")
    code_id = code_id_for(book.id, code_key)
    if db.execute("SELECT 1 FROM codes WHERE id = ?", [code_id]).fetchone() is not None:
        raise CodeValueError(f"The code “{code_key}” is already in another codebook.")
    parent_id = _parent_in(book, parent, moving=None)
    chip = clean_colour(colour) if colour is not None else palette_colour(len(book.codes))
    key_press = _free_shortcut(book, clean_shortcut(shortcut), None)
    with workspace.transaction("code_added") as change:
        position = db.execute(
            "SELECT COALESCE(MAX(position), -1) + 1 FROM codes WHERE codebook_id = ?", [book.id]
        ).fetchone()[0]
        db.execute(
            "INSERT INTO codes (id, codebook_id, key, label, description, colour, shortcut, "
            "keywords, parent_id, codable, position, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                code_id,
                book.id,
                code_key,
                clean,
                clean_description(description),
                chip,
                key_press,
                json.dumps(list(clean_keywords(keywords)), ensure_ascii=False),
                parent_id,
                int(codable),
                position,
                audit.now_iso(),
            ],
        )
        audit.record(db, "code_added", object_ids=[code_id, book.id])
        change.touch("codebooks", book.id, code_id)
    return get_code(db, code_id)


def edit_code(
    workspace: Workspace,
    reference: str,
    *,
    label: str | None = None,
    description: str | None = None,
    colour: str | None = None,
    shortcut: str | None = None,
    keywords: Sequence[str] | None = None,
    parent: str | _Unset | None = UNSET,
    codable: bool | None = None,
) -> Code:
    """Change what the forum gave: label, scope note, colour, shortcut, keywords, parent (None
    for the top level), whether it can be used for tagging. The key and id never change."""
    db = workspace.db
    code = resolve_code(db, reference)
    book = get_codebook(db, code.codebook_id)
    values = {
        "label": code.label if label is None else clean_label(label),
        "description": code.description if description is None else clean_description(description),
        "colour": code.colour if colour is None else clean_colour(colour),
        "shortcut": code.shortcut
        if shortcut is None
        else _free_shortcut(book, clean_shortcut(shortcut), code),
        "keywords": json.dumps(
            list(code.keywords if keywords is None else clean_keywords(keywords)),
            ensure_ascii=False,
        ),
        "parent_id": code.parent_id
        if isinstance(parent, _Unset)
        else _parent_in(book, parent, moving=code),
        "codable": int(code.codable if codable is None else codable),
    }
    if codable is False and code_uses(db, code.id):
        raise CodeValueError(
            f"The code “{code.label}” is used, so it must stay usable for tagging."
        )
    with workspace.transaction("code_edited") as change:
        assignments = ", ".join(f"{column} = ?" for column in values)
        db.execute(
            f"UPDATE codes SET {assignments}, updated = ? WHERE id = ?",  # noqa: S608 (constant)
            [*values.values(), audit.now_iso(), code.id],
        )
        audit.record(db, "code_edited", object_ids=[code.id])
        change.touch("codebooks", code.codebook_id, code.id)
    return get_code(db, code.id)


def delete_code(
    workspace: Workspace, reference: str, *, merge_into: str | None = None
) -> CodeDeletion:
    """Delete a code; with ``merge_into``, first hand its uses, sub-codes and inspection areas
    to that code (of the same codebook).

    Without ``merge_into`` a code that is used is refused (:class:`CodeInUse`), and so is one
    with sub-codes. Uses are rows of any table whose column ``REFERENCES codes (id)``
    (:func:`~forumkit.codebooks.store.code_references`): each moves to the other code, and a row
    that would then repeat one already there (a quote tagged with both) is dropped as a
    duplicate. To record more (for example to mark quotes changed in the same change record),
    call this inside your own ``workspace.transaction()``: it joins it.
    """
    db = workspace.db
    code = resolve_code(db, reference)
    book = get_codebook(db, code.codebook_id)
    target = _merge_target(book, code, merge_into)
    uses = code_uses(db, code.id)
    children = book.children(code.id)
    if target is None:
        if uses:
            raise CodeInUse(code.label, uses)
        if children:
            raise CodeValueError(
                f"The code “{code.label}” has {len(children)} sub-code"
                f"{'s' if len(children) != 1 else ''}; move or delete "
                f"{'them' if len(children) != 1 else 'it'} first, or merge it into another code."
            )
    moved: dict[str, int] = {}
    dropped: dict[str, int] = {}
    action = "code_merged" if target is not None else "code_deleted"
    with workspace.transaction(action) as change:
        if target is not None:
            for table, column in code_references(db):
                # Names from the schema (code_references), quoted; values as parameters.
                table_sql, column_sql = quote_name(table), quote_name(column)
                shifted = db.execute(
                    f"UPDATE OR IGNORE {table_sql} SET {column_sql} = ? WHERE {column_sql} = ?",  # noqa: S608
                    [target.id, code.id],
                ).rowcount
                left = db.execute(
                    f"DELETE FROM {table_sql} WHERE {column_sql} = ?",  # noqa: S608
                    [code.id],
                ).rowcount
                if shifted:
                    moved[f"{table}.{column}"] = shifted
                if left:
                    dropped[f"{table}.{column}"] = left
            db.execute("UPDATE codes SET parent_id = ? WHERE parent_id = ?", [target.id, code.id])
            for column in ("code_id", "area_id"):
                db.execute(
                    f"UPDATE OR IGNORE code_inspection_areas SET {column} = ? "  # noqa: S608
                    f"WHERE {column} = ?",
                    [target.id, code.id],
                )
        db.execute(
            "DELETE FROM code_inspection_areas WHERE code_id = ? OR area_id = ?",
            [code.id, code.id],
        )
        db.execute("DELETE FROM codes WHERE id = ?", [code.id])
        counts = {"moved": sum(moved.values()), "dropped": sum(dropped.values())}
        ids = [code.id] if target is None else [code.id, target.id]
        audit.record(db, action, counts if target is not None else None, ids)
        change.touch("codebooks", book.id, *ids)
    return CodeDeletion(code.id, None if target is None else target.id, moved, dropped)


def set_inspection_areas(
    workspace: Workspace, reference: str, areas: Sequence[str]
) -> tuple[Code, ...]:
    """Say which of the five inspection areas a code speaks to (replacing what was set).

    ``areas`` are keys or ids of the inspection-areas codebook's codes; an empty list unmaps
    the code. Packs read the key messages along these areas.
    """
    db = workspace.db
    code = resolve_code(db, reference)
    if code.codebook_id == INSPECTION_AREAS_ID:
        raise CodeValueError(
            f"“{code.label}” is itself an inspection area; map the codes of other codebooks "
            "onto it instead."
        )
    chosen = [resolve_code(db, area, INSPECTION_AREAS_ID) for area in areas]
    wanted = sorted({area.id: area for area in chosen}.values(), key=lambda a: a.position)
    with workspace.transaction("inspection_areas_set") as change:
        db.execute("DELETE FROM code_inspection_areas WHERE code_id = ?", [code.id])
        db.conn.executemany(
            "INSERT INTO code_inspection_areas (code_id, area_id) VALUES (?, ?)",
            [(code.id, area.id) for area in wanted],
        )
        audit.record(
            db, "inspection_areas_set", {"areas": len(wanted)}, [code.id, *(a.id for a in wanted)]
        )
        change.touch("codebooks", code.codebook_id, code.id)
    return tuple(wanted)


# -- checks -------------------------------------------------------------------------------------


def _free_shortcut(book: Codebook, shortcut: str, code: Code | None) -> str:
    """``shortcut`` when no other code of the codebook has it."""
    if not shortcut:
        return shortcut
    for other in book.codes:
        if other.shortcut == shortcut and (code is None or other.id != code.id):
            raise CodeValueError(
                f"The shortcut {shortcut} already belongs to “{other.label}” in “{book.name}”."
            )
    return shortcut


def _parent_in(book: Codebook, parent: str | None, *, moving: Code | None) -> str | None:
    """The id of ``parent`` (a code of ``book``), checking that no code becomes its own
    ancestor; None for the top level."""
    if parent is None:
        return None
    found = next((c for c in book.codes if parent.strip() in (c.key, c.id)), None)
    if found is None:
        raise CodeValueError(f"The codebook “{book.name}” has no code “{parent.strip()}”.")
    if moving is not None and _within(book, found, moving):
        raise CodeValueError(
            f"“{moving.label}” cannot go under “{found.label}”: a code cannot sit below itself."
        )
    return found.id


def _within(book: Codebook, code: Code, top: Code) -> bool:
    """Whether ``code`` is ``top`` or sits somewhere below it."""
    by_id = {c.id: c for c in book.codes}
    ancestor: Code | None = code
    while ancestor is not None:
        if ancestor.id == top.id:
            return True
        ancestor = by_id.get(ancestor.parent_id) if ancestor.parent_id else None
    return False


def _merge_target(book: Codebook, code: Code, merge_into: str | None) -> Code | None:
    if merge_into is None:
        return None
    target = next((c for c in book.codes if merge_into.strip() in (c.key, c.id)), None)
    if target is None:
        raise CodeValueError(
            f"“{code.label}” can only be merged into another code of “{book.name}”, which has no "
            f"code “{merge_into.strip()}”."
        )
    if target.id == code.id:
        raise CodeValueError(f"“{code.label}” cannot be merged into itself.")
    if _within(book, target, code):
        raise CodeValueError(
            f"“{code.label}” cannot be merged into “{target.label}”, one of its own sub-codes."
        )
    if not target.codable:
        raise CodeValueError(
            f"“{target.label}” only groups codes and cannot be used for tagging, so nothing can "
            "be merged into it."
        )
    return target
