"""Reading a spreadsheet of responses into rows of cells: xlsx (first sheet) and csv.

Online tools export xlsx or csv, and csv comes in whatever encoding Excel or the tool wrote:
UTF-8 with or without a byte-order mark, UTF-16 with a mark (Excel's "Unicode text"), or
Windows-1252 from older Excel. The encoding is decided once for the whole file from its bytes,
never guessed cell by cell, so one odd character cannot turn other cells into mojibake. The
delimiter is sniffed from the first records. xlsx is read with openpyxl in read-only mode with
cached formula values, which streams the sheet instead of building it in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from forumkit.importers.errors import ImportFileError

Cell = object
"""A cell as read: str, int, float, bool, datetime/date/time (xlsx only) or None."""

_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class SourceTable:
    """Every non-empty row of a sheet, with the row number a spreadsheet program shows."""

    file_name: str
    sheet: str | None
    """The sheet read (xlsx), None for csv."""
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    encoding: str | None = None
    """The csv encoding detected (None for xlsx)."""

    def where(self) -> str:
        """“file” or “file”, sheet “name”, for messages."""
        if self.sheet is None:
            return f"“{self.file_name}”"
        return f"“{self.file_name}”, sheet “{self.sheet}”"


def read_table(path: Path) -> SourceTable:
    """Read ``path`` as xlsx or csv (by its contents, not only its extension)."""
    try:
        with path.open("rb") as handle:
            start = handle.read(4)
    except OSError as exc:
        raise ImportFileError(f"Cannot read “{path.name}”: {exc.strerror or exc}.") from None
    if start.startswith(b"PK\x03\x04"):
        return read_xlsx(path)
    if path.suffix.lower() in (".xlsx", ".xlsm") or start.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            f"“{path.name}” is not an xlsx workbook forumkit can read (an old .xls, or a "
            "password-protected file?); save it from Excel as .xlsx or .csv."
        )
    return read_csv(path)


def read_xlsx(path: Path) -> SourceTable:
    """The first visible sheet of an xlsx workbook, with cached formula values."""
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged zip/xml
        raise ImportFileError(
            f"“{path.name}” cannot be read as an xlsx workbook ({type(exc).__name__})."
        ) from None
    try:
        sheets = [
            s for s in workbook.worksheets if getattr(s, "sheet_state", "visible") == "visible"
        ]
        if not sheets:
            raise ImportFileError(f"“{path.name}” has no visible sheet to import.")
        sheet = sheets[0]
        if hasattr(sheet, "reset_dimensions"):
            # Some tools write a wrong <dimension>; read-only mode would trust it and miss cells.
            sheet.reset_dimensions()
        rows = tuple(_numbered(sheet.iter_rows(values_only=True)))
        return SourceTable(path.name, str(sheet.title), rows)
    finally:
        workbook.close()


def _numbered(rows: Iterator[Sequence[Cell]]) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    for number, row in enumerate(rows, start=1):
        cells = tuple(row)
        if any(cell is not None and cell != "" for cell in cells):
            yield number, cells


def detect_encoding(data: bytes) -> str:
    """The encoding of a csv file's bytes: by byte-order mark, else UTF-8 if valid, else cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
        # UTF-16 without a mark: every other byte of ASCII text is zero.
        return "utf-16-le" if sample[1] == 0 else "utf-16-be"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def read_csv(path: Path) -> SourceTable:
    """A csv file, its encoding detected once from its bytes and its delimiter sniffed."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Cannot read “{path.name}”: {exc.strerror or exc}.") from None
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise ImportFileError(
            f"“{path.name}” is not text in an encoding Excel writes (UTF-8, UTF-16 or "
            "Windows-1252); save it again as “CSV UTF-8”."
        ) from None
    text = text.removeprefix("\ufeff")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = tuple(
            (number, tuple(record))
            for number, record in enumerate(reader, start=1)
            if any(cell.strip() for cell in record)
        )
    except csv.Error as exc:
        raise ImportFileError(
            f"“{path.name}” is not a well-formed csv file near record {reader.line_num} ({exc})."
        ) from None
    return SourceTable(path.name, None, rows, encoding=encoding.replace("-sig", " with BOM"))


def sniff_delimiter(text: str) -> str:
    """The delimiter giving the most fields in the header, consistently over the first records.

    ``csv.Sniffer`` is easily fooled by commas inside quoted question labels; parsing a few
    records with each candidate and comparing field counts is not.
    """
    head = text[:65536]
    best, best_fields = ",", 1
    for delimiter in _DELIMITERS:
        try:
            records = []
            for record in csv.reader(io.StringIO(head, newline=""), delimiter=delimiter):
                records.append(len(record))
                if len(records) >= 5:
                    break
        except csv.Error:
            continue
        if not records or records[0] <= best_fields:
            continue
        fields = records[0]
        body = records[1:-1] if len(records) > 2 else records[1:]
        if all(count == fields for count in body):
            best, best_fields = delimiter, fields
    return best
