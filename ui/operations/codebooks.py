"""Operations on codebooks: codes added, edited, merged or deleted, codebooks made, the mapping
onto the inspection areas, and ``.qdc`` files in and out.

Changes run through ``context.change`` like every op. Exporting a codebook writes a file and
changes nothing in the forum file (a codebook holds no parents' words): it is a plain call whose
error, if any, is shown the one way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QWidget

from forumkit import codebooks, quotes
from forumkit.codebooks import Code, Codebook, CodeDeletion, QdcImport
from ui.context import AppContext
from ui.operations import ForumOp


def create_codebook(
    context: AppContext, parent: QWidget | None, name: str, description: str = ""
) -> ForumOp[Codebook]:
    """Add an empty codebook of the forum's own (``forumkit.codebooks.create_codebook``)."""
    return ForumOp(
        context,
        parent,
        lambda workspace: codebooks.create_codebook(workspace, name, description=description),
    )


def add_code(
    context: AppContext,
    parent: QWidget | None,
    codebook: str,
    label: str,
    *,
    under: str | None = None,
) -> ForumOp[Code]:
    """Add a code at the end of ``codebook``, optionally under another code
    (``forumkit.codebooks.add_code``)."""
    return ForumOp(
        context,
        parent,
        lambda workspace: codebooks.add_code(workspace, codebook, label, parent=under),
    )


def edit_code(
    context: AppContext,
    parent: QWidget | None,
    code_id: str,
    *,
    label: str,
    description: str,
    colour: str,
    shortcut: str,
    keywords: Sequence[str],
    under: str | None,
) -> ForumOp[Code]:
    """Save what the forum gave a code (``forumkit.codebooks.edit_code``)."""
    return ForumOp(
        context,
        parent,
        lambda workspace: codebooks.edit_code(
            workspace,
            code_id,
            label=label,
            description=description,
            colour=colour,
            shortcut=shortcut,
            keywords=keywords,
            parent=under,
        ),
    )


def delete_code(context: AppContext, parent: QWidget | None, code_id: str) -> ForumOp[CodeDeletion]:
    """Delete an unused code (``forumkit.codebooks.delete_code`` refuses a code in use)."""
    return ForumOp(context, parent, lambda workspace: codebooks.delete_code(workspace, code_id))


def merge_code(
    context: AppContext, parent: QWidget | None, code_id: str, into: str
) -> ForumOp[CodeDeletion]:
    """Merge a code into another of its codebook, its quotes with it
    (``forumkit.quotes.merge_code``)."""
    return ForumOp(context, parent, lambda workspace: quotes.merge_code(workspace, code_id, into))


def set_inspection_areas(
    context: AppContext, parent: QWidget | None, code_id: str, areas: Sequence[str]
) -> ForumOp[tuple[Code, ...]]:
    """Say which inspection areas a code speaks to (``forumkit.codebooks.set_inspection_areas``)."""
    return ForumOp(
        context,
        parent,
        lambda workspace: codebooks.set_inspection_areas(workspace, code_id, areas),
    )


def import_qdc(context: AppContext, parent: QWidget | None, path: Path) -> ForumOp[QdcImport]:
    """Import a REFI-QDA codebook (``forumkit.codebooks.import_qdc``)."""
    return ForumOp(context, parent, lambda workspace: codebooks.import_qdc(workspace, path))


def export_qdc(context: AppContext, parent: QWidget | None, codebook: str, path: Path) -> bool:
    """Write a codebook to ``path`` as a .qdc file (``forumkit.codebooks.export_qdc``); False
    when it could not be written (already shown)."""
    try:
        codebooks.export_qdc(context.workspace, codebook, path)
    except Exception as exc:
        context.errors.report(exc, parent)
        return False
    return True
