"""``forumkit codebook list|export|import``: a forum file's codebooks, and REFI-QDA exchange.

``list`` shows every codebook with its codes as a tree (shortcut, key, label, colour, the
inspection areas a code speaks to); ``export`` writes one codebook as a ``.qdc`` file that
NVivo, MAXQDA, ATLAS.ti, QualCoder and Taguette read; ``import`` reads one back (updating the
codebook its codes came from, or adding a new one).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from forumkit.cli.common import add_file_arguments, add_json_argument, emit, open_workspace, warn
from forumkit.codebooks import (
    Code,
    Codebook,
    export_qdc,
    import_qdc,
    inspection_area_map,
    list_codebooks,
)
from forumkit.wording import plural


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``codebook list|export|import``."""
    codebook = commands.add_parser(
        "codebook", help="list codebooks; exchange them as REFI-QDA .qdc files"
    )
    actions = codebook.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="the codebooks in a forum file, with their codes")
    add_file_arguments(listing, writes=False)
    add_json_argument(listing)
    listing.set_defaults(run=run_list)

    export = actions.add_parser("export", help="write a codebook as a REFI-QDA .qdc file")
    add_file_arguments(export, writes=False)
    export.add_argument("codebook", metavar="CODEBOOK", help="the codebook's key or id")
    export.add_argument("out", metavar="OUT.qdc", type=Path, help="the file to write")
    add_json_argument(export)
    export.set_defaults(run=run_export)

    add = actions.add_parser(
        "import", help="read a REFI-QDA .qdc file into the codebook it came from, or a new one"
    )
    add_file_arguments(add)
    add.add_argument("qdc", metavar="IN.qdc", type=Path, help="the codebook file to read")
    add.add_argument(
        "--name",
        metavar="NAME",
        help="the name of a new codebook (default: the file's name); not used when the file "
        "updates a codebook it came from",
    )
    add_json_argument(add)
    add.set_defaults(run=run_import)


def _code_data(code: Code, depth: int, areas: dict[str, tuple[Code, ...]]) -> dict[str, Any]:
    return {
        "id": code.id,
        "key": code.key,
        "label": code.label,
        "description": code.description,
        "colour": code.colour,
        "text_colour": code.text_colour,
        "shortcut": code.shortcut,
        "keywords": list(code.keywords),
        "parent": code.parent_id,
        "depth": depth,
        "codable": code.codable,
        "inspection_areas": [area.key for area in areas.get(code.id, ())],
    }


def _book_data(book: Codebook, areas: dict[str, tuple[Code, ...]]) -> dict[str, Any]:
    return {
        "id": book.id,
        "key": book.key,
        "name": book.name,
        "description": book.description,
        "default": book.is_default,
        "shipped": book.shipped,
        "codes": [_code_data(code, depth, areas) for depth, code in book.walk()],
    }


def _book_text(book: Codebook, areas: dict[str, tuple[Code, ...]]) -> list[str]:
    default = ", the default" if book.is_default else ""
    count = len(book.codes)
    lines = [f"{book.key}  {book.name}  ({count} code{'s' if count != 1 else ''}{default})"]
    for depth, code in book.walk():
        shortcut = f"[{code.shortcut}]" if code.shortcut else "   "
        heading = "  (heading only)" if not code.codable else ""
        mapped = areas.get(code.id, ())
        towards = f"  → {', '.join(area.key for area in mapped)}" if mapped else ""
        lines.append(
            f"  {'  ' * depth}{shortcut} {code.key}  {code.label}  {code.colour}{heading}{towards}"
        )
    return lines


def run_list(args: argparse.Namespace) -> int:
    """List every codebook with its codes."""
    with open_workspace(args, read_only=True) as workspace:
        books = list_codebooks(workspace.db)
        areas = inspection_area_map(workspace.db)
    data = {"codebooks": [_book_data(book, areas) for book in books]}
    text = "\n\n".join("\n".join(_book_text(book, areas)) for book in books)
    emit(args, data, text or "This forum file has no codebooks.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write CODEBOOK to OUT.qdc."""
    with open_workspace(args, read_only=True) as workspace:
        book = export_qdc(workspace, args.codebook, args.out)
    data = {"id": book.id, "key": book.key, "codes": len(book.codes), "path": str(args.out)}
    emit(args, data, f"Wrote “{book.name}” ({plural(len(book.codes), 'code')}) to {args.out}.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import IN.qdc; a summary on stdout, the importer's warnings on stderr."""
    with open_workspace(args) as workspace:
        result = import_qdc(workspace, args.qdc, name=args.name)
    book = result.codebook
    data = {
        "id": book.id,
        "key": book.key,
        "name": book.name,
        "created": result.created,
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "kept": result.kept,
        "warnings": list(result.warnings),
    }
    if not args.json:
        for warning in result.warnings:
            warn(warning)
    verb = "Added the codebook" if result.created else "Updated the codebook"
    emit(
        args,
        data,
        f"{verb} “{book.name}” ({book.key}): {plural(result.added, 'code')} added, "
        f"{result.updated} updated, {result.unchanged} unchanged, {result.kept} not in the "
        "file kept as they were.",
    )
    return 0
