"""Moving codebooks in and out of a forum file as REFI-QDA ``.qdc`` files.

Export writes a codebook's codes, nesting, colours and scope notes. Import matches codes by
guid: a file whose codes are already in one codebook of the forum file (its own export coming
back from NVivo, say) updates that codebook (names, scope notes, colours, nesting) and adds the
codes that are new; any other file becomes a new codebook. Codes the file does not mention are
kept, never deleted by an import. Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from forumkit import __version__, audit
from forumkit.codebooks.colours import palette_colour
from forumkit.codebooks.errors import QdcFileError
from forumkit.codebooks.model import Code, Codebook
from forumkit.codebooks.qdc import MAX_QDC_BYTES, QdcCode, QdcCodebook, read_qdc, write_qdc
from forumkit.codebooks.store import code_uses, get_codebook, list_codebooks
from forumkit.codebooks.values import clean_label, key_from_label
from forumkit.vault import write_atomically
from forumkit.workspace import Workspace

ORIGIN = f"forumkit {__version__}"


@dataclass(frozen=True)
class QdcImport:
    """What importing a .qdc did."""

    codebook: Codebook
    created: bool
    """True when the file became a new codebook, False when it updated one."""
    added: int
    updated: int
    unchanged: int
    kept: int
    """Codes of the codebook that the file did not mention (kept as they were)."""
    warnings: tuple[str, ...]


def export_qdc(workspace: Workspace, reference: str, path: Path | str) -> Codebook:
    """Write the codebook ``reference`` (key or id) to ``path`` as a .qdc file.

    A codebook holds no parents' words, so the file is written plainly (atomically, so an
    interrupted export never leaves half a file) and no audit entry is needed.
    """
    book = get_codebook(workspace.db, reference)
    write_atomically(Path(path), write_qdc(book, ORIGIN), keep_backup=False)
    return book


def read_qdc_file(path: Path | str) -> QdcCodebook:
    """Read and check a .qdc file from disk (refusing an oversized one before reading it)."""
    path = Path(path)
    if path.stat().st_size > MAX_QDC_BYTES:
        raise QdcFileError(
            path, f"it is larger than {MAX_QDC_BYTES // (1024 * 1024)} MB, far more than a codebook"
        )
    return read_qdc(path.read_bytes(), path)


def import_qdc(workspace: Workspace, path: Path | str, *, name: str | None = None) -> QdcImport:
    """Import a .qdc file: update the codebook its codes come from, or make a new one named
    ``name`` (default: the file's name). All or nothing."""
    path = Path(path)
    incoming = read_qdc_file(path)
    db = workspace.db
    books = list_codebooks(db)
    owners = {code.id: book for book in books for code in book.codes}
    guids = [code.guid for _, code in incoming.walk()]
    matched = {owners[guid].id: owners[guid] for guid in guids if guid in owners}
    if len(matched) > 1:
        names = " and ".join(f"“{book.name}”" for book in matched.values())
        raise QdcFileError(
            path, f"its codes are spread over several codebooks of this forum file ({names})"
        )
    target = next(iter(matched.values()), None)
    created = target is None
    with workspace.transaction("codebook_imported") as change:
        if target is None:
            target = _new_codebook(workspace, books, name or path.stem, incoming.origin)
        counts, kept_codable = _apply(workspace, target, incoming)
        audit.record(
            db,
            "codebook_imported",
            {"added": counts[0], "updated": counts[1], "unchanged": counts[2]},
            [target.id],
        )
        change.touch("codebooks", target.id, *guids)
    stored = get_codebook(db, target.id)
    warnings = list(incoming.warnings)
    warnings.extend(
        f"“{label}” is used, so it stays usable for tagging although the file marks it as a "
        "heading only."
        for label in kept_codable
    )
    if incoming.sets:
        warnings.append(
            f"The file's {incoming.sets} code set{'s' if incoming.sets != 1 else ''} (groups of "
            "codes) were not imported: forumkit groups codes by nesting them."
        )
    kept = len(stored.codes) - len(guids)
    return QdcImport(stored, created, *counts, kept, tuple(warnings))


def _new_codebook(workspace: Workspace, books: list[Codebook], name: str, origin: str) -> Codebook:
    label = clean_label(name, "codebook")
    key = key_from_label(label, {book.key for book in books})
    book_id = str(uuid.uuid4())
    description = f"Imported from a REFI-QDA codebook written by {origin}." if origin else ""
    workspace.db.execute(
        "INSERT INTO codebooks (id, key, name, description, position, updated) "
        "VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM codebooks), ?)",
        [book_id, key, label, description, audit.now_iso()],
    )
    audit.record(workspace.db, "codebook_created", object_ids=[book_id])
    return get_codebook(workspace.db, book_id)


def _apply(
    workspace: Workspace, book: Codebook, incoming: QdcCodebook
) -> tuple[tuple[int, int, int], list[str]]:
    """Insert or update every code of ``incoming`` in ``book``, parents first: the numbers of
    codes added, updated and unchanged, and the labels of used codes kept usable for tagging
    although the file marks them as headings."""
    db = workspace.db
    held = {code.id: code for code in book.codes}
    taken = {code.key for code in book.codes}
    position = max((code.position for code in book.codes), default=-1) + 1
    added = updated = unchanged = 0
    kept_codable: list[str] = []
    now = audit.now_iso()
    for parent, incoming_code in incoming.walk():
        code = incoming_code
        description = code.description
        existing = held.get(code.guid)
        if existing is not None and not code.codable and code_uses(db, existing.id):
            kept_codable.append(existing.label)
            code = replace(code, codable=True)
        if existing is None:
            key = key_from_label(code.name, taken)
            taken.add(key)
            colour = code.colour or palette_colour(len(book.codes) + added)
            db.execute(
                "INSERT INTO codes (id, codebook_id, key, label, description, colour, keywords, "
                "parent_id, codable, position, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    code.guid,
                    book.id,
                    key,
                    code.name,
                    description,
                    colour,
                    json.dumps([]),
                    parent,
                    int(code.codable),
                    position,
                    now,
                ],
            )
            position += 1
            added += 1
        elif _differs(existing, code, parent):
            db.execute(
                "UPDATE codes SET label = ?, description = ?, colour = ?, parent_id = ?, "
                "codable = ?, updated = ? WHERE id = ?",
                [
                    code.name,
                    description,
                    code.colour or existing.colour,
                    parent,
                    int(code.codable),
                    now,
                    code.guid,
                ],
            )
            updated += 1
        else:
            unchanged += 1
    return (added, updated, unchanged), kept_codable


def _differs(held: Code, code: QdcCode, parent: str | None) -> bool:
    return (held.label, held.description, held.colour, held.parent_id, held.codable) != (
        code.name,
        code.description,
        code.colour or held.colour,
        parent,
        code.codable,
    )
