"""Reading a quotes spreadsheet (``sheet_export``'s layout): decrypting it in memory when it is
password-protected, finding the ``Quotes`` sheet's columns by their headers, refusing a sheet of
another survey, and the digests of the redactions the export proposed.

Nothing here touches the forum file's data; ``sheet_import`` checks and applies what is read.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from forumkit.inputs import open_input, read_workbook
from forumkit.quotes.errors import QuotesSheetError
from forumkit.quotes.sheet_export import (
    CODES,
    MARKER,
    MARKER_SHEET,
    PROPOSALS_SHEET,
    QUESTION,
    QUOTE_ID,
    QUOTES_SHEET,
    REDACTED,
    RESPONSE_ID,
    REVIEWED,
    TEXT,
)
from forumkit.spreadsheets import OFFICE_ENCRYPTED, WrongSpreadsheetPassword, decrypt_xlsx
from forumkit.surveys import Survey
from forumkit.wording import listed, noun

REQUIRED = (QUOTE_ID, RESPONSE_ID, QUESTION, TEXT, REDACTED, CODES, REVIEWED)
"""The columns a quotes spreadsheet must have (found by their headers)."""


@dataclass(frozen=True)
class SheetRow:
    """One row of the Quotes sheet, its cells as text, by header."""

    number: int
    cells: dict[str, str] = field(repr=False)

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


def _cell_text(value: object) -> str:
    """A cell as text, as it was written: numbers without a spurious ``.0``, dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


MAX_SHEET_BYTES = 256 * 1024 * 1024
"""The largest quotes spreadsheet read: 100,000 answers of a few thousand characters fit well
under it; more means the file is not one forumkit wrote (or is made to exhaust memory)."""


def workbook_bytes(path: Path, password: str | None) -> bytes:
    """The plain xlsx bytes of ``path`` (an ordinary file only), decrypted in memory when it is
    password-protected."""
    with open_input(path, QuotesSheetError) as handle:
        data = handle.read(MAX_SHEET_BYTES + 1)
    if len(data) > MAX_SHEET_BYTES:
        raise QuotesSheetError(
            f"“{path.name}” is larger than any quotes spreadsheet forumkit writes "
            f"({MAX_SHEET_BYTES // 2**20} MiB)."
        )
    if data.startswith(OFFICE_ENCRYPTED):
        if password is None:
            raise QuotesSheetError(
                f"“{path.name}” is password-protected; give its password (--password-file)."
            )
        try:
            return decrypt_xlsx(data, password)
        except WrongSpreadsheetPassword:
            raise QuotesSheetError(
                f"The password does not open “{path.name}” (or it is not an encrypted workbook)."
            ) from None
    if not data.startswith(b"PK\x03\x04"):
        raise QuotesSheetError(f"“{path.name}” is not an xlsx workbook; save it as .xlsx.")
    return data


@dataclass(frozen=True)
class QuotesSheet:
    """What a quotes spreadsheet holds: its rows, and the digests of the redactions proposed
    when it was exported (by response id and question; empty for a sheet made otherwise)."""

    rows: list[SheetRow]
    proposals: dict[tuple[str, str], str] = field(repr=False)


def read_quotes_sheet(path: Path, survey: Survey, password: str | None = None) -> QuotesSheet:
    """The rows of a quotes spreadsheet's ``Quotes`` sheet (its first, when none is so named).

    Refused when the headers lack a required column, or when the hidden ``forumkit`` sheet
    says it was made for another survey.
    """
    data = workbook_bytes(Path(path), password)
    with read_workbook(io.BytesIO(data), path, QuotesSheetError) as workbook:
        names = workbook.sheetnames
        if not names:
            raise QuotesSheetError(f"“{path.name}” has no sheet.")
        _check_marker(workbook, names, path, survey)
        sheet = workbook[QUOTES_SHEET if QUOTES_SHEET in names else names[0]]
        values = sheet.iter_rows(values_only=True)
        header = [_cell_text(value).strip().lower() for value in next(values, ())]
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise QuotesSheetError(
                f"“{path.name}” is not a quotes spreadsheet: its first row lacks "
                f"{noun(len(missing), 'the column', 'the columns')} "
                f"{listed(f'“{c}”' for c in missing)}."
            )
        where = {column: header.index(column) for column in REQUIRED}
        rows: list[SheetRow] = []
        for number, row in enumerate(values, start=2):
            cells = {
                column: _cell_text(row[index]) if index < len(row) else ""
                for column, index in where.items()
            }
            if any(value.strip() for value in cells.values()):
                rows.append(SheetRow(number, cells))
        proposals: dict[tuple[str, str], str] = {}
        if PROPOSALS_SHEET in names:
            for found in workbook[PROPOSALS_SHEET].iter_rows(max_col=3, values_only=True):
                response_id, question, digest = (
                    _cell_text(value) for value in (*found, "", "")[:3]
                )
                proposals[(response_id, question)] = digest
        return QuotesSheet(rows, proposals)


def _check_marker(workbook: object, names: Sequence[str], path: Path, survey: Survey) -> None:
    if MARKER_SHEET not in names:
        return
    facts = {
        _cell_text(key): _cell_text(value)
        for key, value, *_ in workbook[MARKER_SHEET].iter_rows(  # type: ignore[index]
            min_col=1, max_col=2, values_only=True
        )
    }
    if MARKER in facts and facts.get("survey_id", survey.id) != survey.id:
        raise QuotesSheetError(
            f"“{path.name}” holds the quotes of another survey "
            f"(“{facts.get('form_id', '')}”), not of “{survey.form_id}”."
        )
