"""Spreadsheets forumkit writes for people (xlsx and csv): in memory, never a formula.

What goes in them is special category data about disabled children, so:

- **No plaintext temporary files.** openpyxl's writer spools every sheet through a temporary
  file, so workbooks are built with xlsxwriter in ``in_memory`` mode into a ``BytesIO``, and
  encrypted in memory when a password is given (msoffcrypto-tool: standard Office "agile"
  encryption, which Excel and LibreOffice open with no add-on). The caller writes the bytes
  (``forumkit.exports``).
- **No formula injection.** In xlsx every text is written as a string cell, never a formula,
  number or link. In csv a text starting with ``=``, ``+``, ``-``, ``@``, tab, CR or ``'`` gets
  one leading ``'`` (the usual defence, so Excel shows it as text).
- **No raw NUL in csv**: it would cut the text short in Excel; it is written as U+FFFD.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Cell = str | int | float | None
"""One cell's value: text, a number, or empty."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Starts of a text that a spreadsheet could take for a formula."""

NUL_IN_CSV = "\ufffd"
"""What a NUL in an answer becomes in a csv export."""


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its rows of cells, how many of the first rows are bold headings, where
    the panes freeze (rows, columns) and whether it is hidden."""

    name: str
    rows: Sequence[Sequence[Cell]]
    bold_rows: int = 0
    freeze: tuple[int, int] | None = None
    hidden: bool = False


def _xlsx_text(text: str) -> str:
    """Line breaks as spreadsheets keep them (LF): a CR would be stored as ``_x000D_``, which
    Excel shows as a break but other readers (openpyxl) return literally."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An xlsx workbook of ``sheets``, built in memory (no temporary files)."""
    import xlsxwriter  # loaded only when a workbook is written, which keeps CLI start-up fast

    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    workbook = xlsxwriter.Workbook(buffer, options)
    bold = workbook.add_format({"bold": True})
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.name)
        for row_number, row in enumerate(sheet.rows):
            style = bold if row_number < sheet.bold_rows else None
            for col, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    worksheet.write_string(row_number, col, _xlsx_text(value), style)
                else:
                    worksheet.write_number(row_number, col, value, style)
        if sheet.freeze is not None:
            worksheet.freeze_panes(*sheet.freeze)
        if sheet.hidden:
            worksheet.hide()
    workbook.close()
    return buffer.getvalue()


def encrypt_xlsx(data: bytes, password: str) -> bytes:
    """An Office-encrypted copy of an xlsx workbook, made in memory."""
    from msoffcrypto.format.ooxml import OOXMLFile  # loaded only for protected files

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


OFFICE_ENCRYPTED = b"\xd0\xcf\x11\xe0"
"""How an Office-encrypted workbook starts (an OLE container, where a plain xlsx is a zip)."""


class WrongSpreadsheetPassword(ValueError):
    """The password does not open an encrypted workbook (or the file is not one)."""


def decrypt_xlsx(data: bytes, password: str) -> bytes:
    """The plain xlsx inside an Office-encrypted workbook, decrypted in memory (no temporary
    files); WrongSpreadsheetPassword when the password does not open it."""
    from msoffcrypto.exceptions import (
        DecryptionError,
        FileFormatError,
        InvalidKeyError,
        ParseError,
    )
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    try:
        encrypted = OOXMLFile(io.BytesIO(data))
        encrypted.load_key(password=password, verify_password=True)
        encrypted.decrypt(out)
    # olefile reports a damaged container as OSError; msoffcrypto its own errors.
    except (DecryptionError, InvalidKeyError, FileFormatError, ParseError, OSError) as error:
        raise WrongSpreadsheetPassword(type(error).__name__) from None
    return out.getvalue()


def csv_text(value: Cell) -> str:
    """A cell as csv text, with the leading-apostrophe defence against formula injection.

    A NUL (from a damaged file imported earlier) is written as U+FFFD, the replacement
    character: a raw NUL ends the text early in Excel and makes other csv readers refuse the
    whole file.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        if "\x00" in value:
            value = value.replace("\x00", NUL_IN_CSV)
        return "'" + value if value.startswith((*FORMULA_STARTS, "'")) else value
    return repr(value) if isinstance(value, float) else str(value)


def csv_bytes(rows: Iterable[Sequence[Cell]]) -> bytes:
    """Rows as UTF-8 csv with a byte-order mark (so Excel reads the accents right)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")
