"""Old Excel ``.xls`` workbooks (Excel 97–2003), read with xlrd and shaped like openpyxl's.

Many XLSForms in use were made years ago as ``.xls`` (pyxform, ODK and KoboToolbox still accept
them), and some online tools still export responses that way. xlrd, the reader pyxform itself
uses, reads the whole workbook into memory; this module gives its sheets the small part of
openpyxl's read-only interface forumkit uses (``worksheets``, ``title``, ``sheet_state``,
``iter_rows(values_only=True)``), with cells as openpyxl gives them: text, ``int`` for whole
numbers, ``float``, ``bool``, ``datetime`` for date cells, and None for empty or error cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of a compound document: an ``.xls`` workbook (or an encrypted ``.xlsx``)."""

MAX_XLS_BYTES = 64 * 1024 * 1024
"""The largest ``.xls`` read: xlrd holds the whole workbook in memory, and a form or an export of
answers is a few megabytes at most."""


class XlsSheet:
    """One worksheet of an ``.xls`` workbook, read like an openpyxl read-only worksheet."""

    def __init__(self, sheet: Any, datemode: int) -> None:
        self._sheet = sheet
        self._datemode = datemode
        self.title = str(sheet.name)
        # xlrd: 0 visible, 1 hidden, 2 very hidden.
        self.sheet_state = "visible" if getattr(sheet, "visibility", 0) == 0 else "hidden"

    def iter_rows(
        self, min_row: int = 1, max_col: int | None = None, values_only: bool = True
    ) -> Iterator[tuple[object, ...]]:
        """The rows from ``min_row`` (1-based) on, each a tuple of cell values."""
        width = self._sheet.ncols if max_col is None else min(max_col, self._sheet.ncols)
        for index in range(min_row - 1, self._sheet.nrows):
            yield tuple(self._value(index, column) for column in range(width))

    def _value(self, row: int, column: int) -> object:
        import xlrd

        cell = self._sheet.cell(row, column)
        kind, value = cell.ctype, cell.value
        if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
            return None
        if kind == xlrd.XL_CELL_BOOLEAN:
            return bool(value)
        if kind == xlrd.XL_CELL_DATE:
            try:
                moment: dt.datetime = xlrd.xldate_as_datetime(value, self._datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return value
            # A time of day alone is a date cell before 1900-01-01 in Excel's calendar.
            return moment.time() if value < 1 else moment
        if kind == xlrd.XL_CELL_NUMBER and float(value).is_integer():
            return int(value)
        return value


class XlsWorkbook:
    """An ``.xls`` workbook's sheets, in order (``worksheets``), as :class:`XlsSheet`."""

    def __init__(self, data: bytes) -> None:
        import xlrd

        book = xlrd.open_workbook(file_contents=data, formatting_info=False, on_demand=False)
        self.worksheets = [XlsSheet(sheet, book.datemode) for sheet in book.sheets()]

    def close(self) -> None:
        """Nothing to close: xlrd read the whole file at opening (openpyxl's interface)."""
