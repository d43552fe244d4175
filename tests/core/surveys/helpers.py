"""Building small XLSForm workbooks in tests, the way a chair would type them into Excel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

Rows = Sequence[Sequence[object]]


def write_form(
    path: Path,
    survey: Rows,
    choices: Rows | None = None,
    settings: Rows | None = None,
    *,
    survey_title: str = "survey",
) -> Path:
    """Write an .xlsx with the given sheets (first row of each is its header) and return it."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in ((survey_title, survey), ("choices", choices), ("settings", settings)):
        if rows is None:
            continue
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


YES_NO = [["list_name", "name", "label"], ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"]]
