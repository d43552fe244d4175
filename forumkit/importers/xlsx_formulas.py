"""Formula cells of an xlsx that hold no saved result, found without reading the sheet twice.

Read with cached values (``data_only``, as imports read), a formula cell whose workbook was
saved by a program that does not calculate (openpyxl, some scripts and converters) is None,
just like an empty cell, so it would import as no answer without a word. Online forms' exports
hold no formulas at all, so the check costs nothing for them: :class:`FormulaWatch` looks for a
``<f>`` element in the bytes openpyxl is already decompressing and parsing, and only a sheet
that has formulas is parsed a second time, to find which rows lack their results.
"""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any

FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
"""The start of a ``<f>`` (formula) element, with or without a namespace prefix."""
_OVERLAP = 64
"""Bytes kept from one read to the next, so a tag split between two reads is still seen."""


class FormulaWatch:
    """Watches the XML openpyxl reads for one read-only sheet; ``saw_formula`` after reading.

    openpyxl's ``ReadOnlyWorksheet`` opens its XML through ``_get_source()`` (it has no public
    hook); this wraps that one method on the one sheet object.
    """

    def __init__(self, sheet: Any) -> None:
        self.saw_formula = False
        self._tail = b""
        opened = sheet._get_source

        def watched() -> _Watched:
            return _Watched(opened(), self)

        sheet._get_source = watched

    def saw(self, chunk: bytes) -> None:
        if not self.saw_formula and chunk:
            self.saw_formula = FORMULA_TAG.search(self._tail + chunk) is not None
            self._tail = chunk[-_OVERLAP:]


class _Watched:
    """A sheet's XML stream that shows every piece read to a :class:`FormulaWatch`."""

    def __init__(self, source: Any, watch: FormulaWatch) -> None:
        self._source = source
        self._watch = watch

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self._source.read(size)
        self._watch.saw(chunk)
        return chunk

    def close(self) -> None:
        self._source.close()

    def __enter__(self) -> _Watched:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def uncached_formula_rows(sheet: Any) -> list[int]:
    """Rows of a read-only openpyxl sheet holding a formula cell with no saved result."""
    # openpyxl's own XML parser, the one that has just read the sheet's values.
    from openpyxl.xml.functions import iterparse  # type: ignore[import-untyped]

    rows: list[int] = []
    with sheet._get_source() as source:
        for _, element in iterparse(source):
            if _local(element.tag) != "c":
                continue
            formula = value = None
            for child in element:
                name = _local(child.tag)
                if name == "f":
                    formula = child
                elif name == "v":
                    value = child.text
            if formula is not None and not value and element.get("t") != "inlineStr":
                row = _row_of(element.get("r", ""))
                if row is not None and (not rows or rows[-1] != row):
                    rows.append(row)
            element.clear()
    return rows


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _row_of(reference: str) -> int | None:
    digits = reference.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else None
