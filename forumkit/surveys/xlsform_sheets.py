"""Reading the sheets of an XLSForm workbook into rows of normalised text.

Real XLSForms are messy: upper-case sheet names, ``list name`` for ``list_name``, trailing
spaces in headers, ``label:english`` from older tools, Excel formulas such as ``=TRUE()``, and
sheets that claim a million rows. This module settles all of that once, so the survey builder
sees only ``{column: text}`` per row, with row numbers and column letters kept for messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forumkit.inputs import open_workbook
from forumkit.surveys.errors import XLSFormError

EMPTY_ROWS_BEFORE_STOP = 200
"""A run of this many blank rows ends a sheet (sheets may claim 1,048,576 rows)."""

TRANSLATABLE = frozenset(
    {"label", "hint", "constraint_message", "required_message", "guidance_hint", "image"}
    | {"audio", "video", "big-image", "media"}
)
COLUMN_ALIASES = {
    "jr:constraintmsg": "constraint_message",
    "constraint_msg": "constraint_message",
    "jr:requiredmsg": "required_message",
    "requiredmsg": "required_message",
    "relevance": "relevant",
    "calculate": "calculation",
    "caption": "label",
    "jr:count": "repeat_count",
}
SHEET_ALIASES = {
    "survey": {
        "tag": "name",
        "value": "name",
        "command": "type",
        "constraining_message": "constraint_message",
    },
    "choices": {"value": "name"},
}
"""Older spellings pyxform still reads on one sheet only (its ``survey_header`` and
``list_header``): a choices sheet headed ``list name, value, label`` is an ordinary one. Only
where the sheet lacks the usual column; a ``tag`` column of a choices sheet stays a column a
choice filter may read."""


@dataclass(frozen=True)
class SheetRow:
    """One non-blank row: its number in the sheet and its cells by normalised header."""

    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The cell's text, ``""`` when empty or absent."""
        return self.cells.get(column, "")

    def translations(self, base: str) -> dict[str, str]:
        """Texts of a translatable column by language (``""`` for the plain column)."""
        found: dict[str, str] = {}
        for key, text in self.cells.items():
            column, _, language = key.partition("::")
            if column == base and text:
                found[language] = text
        return found


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook: its title as written, its headers and its rows."""

    title: str
    letters: dict[str, str]
    """Column letter of each normalised header."""
    rows: list[SheetRow] = field(default_factory=list)

    def has(self, column: str) -> bool:
        """Whether the sheet has this (normalised) column header."""
        return column in self.letters

    def columns(self) -> list[str]:
        """Normalised headers, left to right."""
        return list(self.letters)


def normalise_header(text: str) -> str:
    """``LABEL::English (en)`` → ``label::English (en)``, ``list name`` → ``list_name``.

    The column part is case-insensitive; a language keeps its spelling because it is shown to
    people. Legacy single-colon languages (``label:english``) become ``label::english``.
    """
    text = text.strip()
    if "::" in text:
        column, _, language = text.partition("::")
    else:
        column, _, language = text.partition(":")
        if _column_key(column) not in TRANSLATABLE:
            column, language = text, ""
    column = _column_key(column)
    column = COLUMN_ALIASES.get(column, column)
    language = language.strip()
    return f"{column}::{language}" if language else column


def _column_key(text: str) -> str:
    return "_".join(text.strip().lower().split())


def cell_text(value: Any) -> str:
    """A cell as the text XLSForm tools see: ``TRUE``/``FALSE``, ``3`` not ``3.0``, dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def read_sheets(path: Path) -> dict[str, Sheet]:
    """Every sheet of the workbook, keyed by lower-case title, read with cached values.

    Raises ``XLSFormError`` when the path is not an ordinary file (a folder, a named pipe), the
    file is not a readable .xlsx workbook (its XML declaring entities included) or a sheet has
    the same column header twice.
    """
    with open_workbook(path, XLSFormError) as workbook:
        return {ws.title.strip().lower(): _read_sheet(ws) for ws in workbook.worksheets}


def _read_sheet(worksheet: Any) -> Sheet:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None)
    title = str(worksheet.title)
    if header is None:
        return Sheet(title, {})
    letters: dict[str, str] = {}
    positions: list[tuple[int, str]] = []
    keys = {index: normalise_header(cell_text(value)) for index, value in enumerate(header)}
    aliases = SHEET_ALIASES.get(title.strip().lower(), {})
    for index, key in keys.items():
        if not key:
            continue
        if key in aliases and aliases[key] not in keys.values():
            key = aliases[key]
        letter = get_column_letter(index + 1)
        if key in letters:
            raise XLSFormError(
                f"The {title} sheet has the column “{key}” twice (columns {letters[key]} and "
                f"{letter}); keep one of them.",
                sheet=title,
                row=1,
                column=letter,
            )
        letters[key] = letter
        positions.append((index, key))
    sheet = Sheet(title, letters)
    if not positions:
        return sheet
    blank_run = 0
    width = positions[-1][0] + 1
    for number, values in enumerate(
        worksheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2
    ):
        cells = {}
        for index, key in positions:
            if index < len(values):
                text = cell_text(values[index])
                if text:
                    cells[key] = text
        if not cells:
            blank_run += 1
            if blank_run >= EMPTY_ROWS_BEFORE_STOP:
                break
            continue
        blank_run = 0
        sheet.rows.append(SheetRow(number, cells))
    return sheet
