"""Reading a spreadsheet of responses into rows of cells: xlsx (first sheet) and csv.

Online tools export xlsx or csv, and csv comes in whatever encoding Excel or the tool wrote:
UTF-8 with or without a byte-order mark, UTF-16 with a mark (Excel's "Unicode text"), or
Windows-1252 from older Excel. A byte-order mark (or UTF-16's zero bytes) settles the encoding
for the whole file; otherwise each line is UTF-8 if it can be, else Windows-1252, never guessed
cell by cell, and a file whose rows come in both is read right and reported row by row. A csv
is read a line at a time with limits on a row and a cell, so a hostile file cannot fill the
memory; only ordinary files are read (a named pipe would wait for ever). The delimiter is
sniffed from the first records. xlsx is read with openpyxl in read-only mode with cached
formula values, which streams the sheet instead of building it in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from forumkit.importers.errors import ImportFileError
from forumkit.importers.xlsx_formulas import FormulaWatch, uncached_formula_rows
from forumkit.inputs import open_input, open_workbook
from forumkit.wording import noun, numbered
from forumkit.xls import OLE_SIGNATURE, XlsSheet

Cell = object
"""A cell as read: str, int, float, bool, datetime/date/time (xlsx only) or None."""

_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_BYTES = 65536

MAX_CELL_CHARS = 100_000
"""The longest cell a csv may hold: a long answer is a few thousand characters; more means the
file is not a form's export (or is made to exhaust memory)."""
MAX_ROW_CHARS = 16 * 1024 * 1024
"""The longest csv row, in characters: 16,384 columns of 1,000 characters each. A row is read
a bounded piece at a time, so a file with one 1 GB line is refused after reading this much."""


@dataclass(frozen=True)
class SourceTable:
    """Every non-empty row of a sheet, with the row number a spreadsheet program shows."""

    file_name: str
    sheet: str | None
    """The sheet read (xlsx), None for csv."""
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    encoding: str | None = None
    """The csv encoding detected (None for xlsx)."""
    warnings: tuple[str, ...] = ()
    """What the reading noticed (a csv mixing encodings, formulas with no saved value)."""

    def where(self) -> str:
        """“file” or “file”, sheet “name”, for messages."""
        if self.sheet is None:
            return f"“{self.file_name}”"
        return f"“{self.file_name}”, sheet “{self.sheet}”"


def read_table(path: Path) -> SourceTable:
    """Read ``path`` as xlsx or csv (by its contents, not only its extension)."""
    with open_input(path, ImportFileError) as handle:
        start = handle.read(4)
    if start.startswith(b"PK\x03\x04") or start == OLE_SIGNATURE[:4]:
        return read_xlsx(path)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise ImportFileError(
            f"“{path.name}” is not an Excel workbook forumkit can read (a damaged file?); save "
            "it from Excel as .xlsx or .csv."
        )
    return read_csv(path)


def read_xlsx(path: Path) -> SourceTable:
    """The first visible sheet of an xlsx (or old .xls) workbook, with cached formula values."""
    with open_workbook(path, ImportFileError) as workbook:
        sheets = [
            s for s in workbook.worksheets if getattr(s, "sheet_state", "visible") == "visible"
        ]
        if not sheets:
            raise ImportFileError(f"“{path.name}” has no visible sheet to import.")
        sheet = sheets[0]
        if isinstance(sheet, XlsSheet):
            # xlrd keeps every formula's last result; there is no XML to watch.
            rows = tuple(_numbered(sheet.iter_rows(values_only=True)))
            uncached: list[int] = []
        else:
            # Some tools write a wrong <dimension>; read-only mode would trust it and miss cells.
            sheet.reset_dimensions()
            watch = FormulaWatch(sheet)
            rows = tuple(_numbered(sheet.iter_rows(values_only=True)))
            uncached = uncached_formula_rows(sheet) if watch.saw_formula else []
    warnings: tuple[str, ...] = ()
    if uncached:
        warnings = (
            f"“{path.name}”: {numbered('row', uncached)} {noun(len(uncached), 'has', 'have')} "
            "formula cells with no saved result (the program that wrote the file did not "
            "calculate them), so those cells are read as empty. Open the file in Excel or "
            "LibreOffice, save it, and import it again to import their results.",
        )
    return SourceTable(path.name, str(sheet.title), rows, warnings=warnings)


def _numbered(rows: Iterator[Sequence[Cell]]) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    for number, row in enumerate(rows, start=1):
        cells = tuple(row)
        if any(cell is not None and cell != "" for cell in cells):
            yield number, cells


def start_encoding(start: bytes) -> str:
    """The encoding a csv file's first bytes declare: a byte-order mark, or UTF-16 without one
    (every other byte of ASCII text zero); otherwise ``utf-8``, which each line then confirms
    or not (see :class:`_Lines`)."""
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = start[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
        return "utf-16-le" if sample[1] == 0 else "utf-16-be"
    return "utf-8"


class _TooLong(Exception):
    """A row runs past :data:`MAX_ROW_CHARS` (raised inside the csv reader's line source)."""


class _Undecodable(Exception):
    """A line is neither UTF-8 nor Windows-1252 (raised inside the line source)."""


class _Lines:
    """The lines of a csv file for ``csv.reader``, read a bounded piece at a time.

    The file is never read whole: each line is read through a ``TextIOWrapper`` (universal
    newlines, as Excel on a Mac still writes lone CRs) with a size limit, so one 1 GB line costs
    :data:`MAX_ROW_CHARS`, not gigabytes, before it is refused. In a UTF-8 file (with or without
    a byte-order mark) bytes that are not UTF-8 arrive as surrogates; such a line is decoded
    again as Windows-1252 (older Excel), and the reader notes which rows needed it, so a file
    whose rows were pasted together from both is read right and reported.
    """

    def __init__(self, text: io.TextIOWrapper, per_line: bool) -> None:
        self.text = text
        self.per_line = per_line
        self.row_chars = 0
        self.saw_utf8 = False
        self.saw_cp1252 = False

    def next_row(self) -> None:
        """The reader finished a row: start counting the next one."""
        self.row_chars = 0
        self.saw_utf8 = self.saw_cp1252 = False

    def __iter__(self) -> Iterator[str]:
        readline = self.text.readline
        limit = MAX_ROW_CHARS + 1
        while True:
            line = readline(limit)
            if not line:
                return
            self.row_chars += len(line)
            if self.row_chars > MAX_ROW_CHARS:
                raise _TooLong
            if self.per_line and not line.isascii():
                line = self._decoded(line)
            yield line

    def _decoded(self, line: str) -> str:
        if _ESCAPED_BYTE.search(line) is None:
            self.saw_utf8 = True
            return line
        self.saw_cp1252 = True
        try:
            return line.encode("utf-8", "surrogateescape").decode("cp1252")
        except UnicodeDecodeError:
            raise _Undecodable from None


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
"""A byte that was not UTF-8, as ``surrogateescape`` decoding leaves it."""


def read_csv(path: Path) -> SourceTable:
    """A csv file read a line at a time, its encoding settled per line and its delimiter sniffed.

    Refused with one sentence: a row longer than :data:`MAX_ROW_CHARS` characters, a cell
    longer than :data:`MAX_CELL_CHARS`, text in no encoding Excel writes. A file mixing UTF-8
    and Windows-1252 rows is read row by row in each one's encoding, with a warning naming the
    rows in the smaller group.
    """
    with open_input(path, ImportFileError) as handle:
        start = handle.read(_SNIFF_BYTES)
        encoding = start_encoding(start)
        per_line = encoding in ("utf-8", "utf-8-sig")
        delimiter = sniff_delimiter(start.decode(encoding, "replace").removeprefix("\ufeff"))
        handle.seek(0)
        text = io.TextIOWrapper(
            handle,
            encoding=encoding,
            errors="surrogateescape" if per_line else "strict",
            newline="",
        )
        lines = _Lines(text, per_line)
        reader = csv.reader(lines, delimiter=delimiter)
        rows: list[tuple[int, tuple[Cell, ...]]] = []
        by_encoding: dict[str, list[int]] = {"utf-8": [], "cp1252": []}
        number = 0
        try:
            for number, record in enumerate(reader, start=1):
                if lines.saw_cp1252:
                    by_encoding["cp1252"].append(number)
                elif lines.saw_utf8:
                    by_encoding["utf-8"].append(number)
                lines.next_row()
                if any(cell.strip() for cell in record):
                    _check_cells(path, number, record)
                    rows.append((number, tuple(record)))
        except _TooLong:
            raise ImportFileError(
                f"Row {number + 1:,} of “{path.name}” is longer than {MAX_ROW_CHARS:,} "
                "characters, far more than any export of survey answers; is it the right file?"
            ) from None
        except (_Undecodable, UnicodeDecodeError):
            raise ImportFileError(
                f"“{path.name}” is not text in an encoding Excel writes (UTF-8, UTF-16 or "
                f"Windows-1252) at row {number + 1:,}; save it again as “CSV UTF-8”."
            ) from None
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _cell_too_long(path, number + 1, None) from None
            raise ImportFileError(
                f"“{path.name}” is not a well-formed csv file near record {reader.line_num} "
                f"({exc})."
            ) from None
    warnings = _mixed_encodings(path, by_encoding)
    if not per_line:
        name = encoding
    elif by_encoding["cp1252"] and by_encoding["utf-8"]:
        name = "utf-8 and cp1252 (mixed)"
    elif by_encoding["cp1252"]:
        name = "cp1252"
    else:
        name = "utf-8 with BOM" if encoding == "utf-8-sig" else "utf-8"
    return SourceTable(path.name, None, tuple(rows), encoding=name, warnings=warnings)


def _check_cells(path: Path, number: int, record: Sequence[str]) -> None:
    if max(map(len, record)) <= MAX_CELL_CHARS:
        return
    index = next(i for i, cell in enumerate(record) if len(cell) > MAX_CELL_CHARS)
    raise _cell_too_long(path, number, index)


def _cell_too_long(path: Path, number: int, index: int | None) -> ImportFileError:
    where = f"row {number:,}" if index is None else f"row {number:,}, column {_letter(index)}"
    return ImportFileError(
        f"“{path.name}”, {where}, holds a cell of more than {MAX_CELL_CHARS:,} characters, "
        "far more than any answer; is it the right file?"
    )


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _mixed_encodings(path: Path, by_encoding: dict[str, list[int]]) -> tuple[str, ...]:
    utf8, cp1252 = by_encoding["utf-8"], by_encoding["cp1252"]
    if not (utf8 and cp1252):
        return ()
    if len(cp1252) <= len(utf8):
        odd, what, rest = cp1252, "in Windows-1252 (older Excel)", "UTF-8"
    else:
        odd, what, rest = utf8, "in UTF-8", "Windows-1252"
    return (
        f"“{path.name}” mixes two text encodings: {numbered('row', odd)} "
        f"{noun(len(odd), 'is', 'are')} {what}, the other rows with accents in {rest}. "
        "Each row was read in its own encoding; check the accents in those rows.",
    )


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
