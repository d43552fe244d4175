"""The rows an import set aside: a spreadsheet of them, to correct and import again.

An import is all or nothing by default. A chair may instead import the rows that passed and set
the problem rows aside: they are written, exactly as the online form's export had them (its
header rows first, so the file imports as the same format), to a spreadsheet the chair corrects
and imports again; rows already imported are then recognised and skipped, as on any re-import.

Those rows are parents' answers, so the file leaves forumkit as a responses export does
(``forumkit.exports``): built in memory, encrypted in memory with a password if one is given
(xlsx only), written atomically and recorded in the audit log (how many rows, never what). An
xlsx also gets a second sheet saying what is wrong in each row; the importer reads only the
first sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from forumkit.exports import ExportJob
from forumkit.importers.plan import FORMATS, ImportPlan
from forumkit.importers.tables import Cell as SourceCell
from forumkit.responses import check_export
from forumkit.spreadsheets import Cell, Sheet, csv_bytes, encrypt_xlsx, xlsx_bytes

SET_ASIDE = "import_rows_set_aside"
"""The audit-log action of a set-aside file."""
ROWS_SHEET = "Rows to correct"
PROBLEMS_SHEET = "What to correct"


@dataclass(frozen=True)
class SetAside:
    """What a set-aside file holds."""

    path: Path
    rows: int
    encrypted: bool


def set_aside_rows(plan: ImportPlan) -> tuple[int, ...]:
    """The row numbers (as the file shows them) of the rows with problems, in file order."""
    return tuple(sorted({problem.row for problem in plan.problems}))


def _cell(cell: SourceCell) -> Cell:
    """A cell as read, written back so the importer reads it the same way again."""
    if isinstance(cell, bool):
        return int(cell)
    if cell is None or isinstance(cell, str | int | float):
        return cell
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ", timespec="seconds")
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    return str(cell)


def set_aside_sheets(plan: ImportPlan) -> tuple[Sheet, Sheet]:
    """The rows to correct (header rows, then each problem row as it was) and, for an xlsx, a
    sheet naming each problem by its row in the new file."""
    header_rows = FORMATS[plan.format].header_rows
    wanted = set(set_aside_rows(plan))
    head = [[_cell(c) for c in cells] for _, cells in plan.table.rows[:header_rows]]
    kept = [(n, cells) for n, cells in plan.table.rows[header_rows:] if n in wanted]
    new_row = {number: header_rows + index + 1 for index, (number, _) in enumerate(kept)}
    rows = [*head, *[[_cell(c) for c in cells] for _, cells in kept]]
    problems: list[list[Cell]] = [["Row", "Column", "Question", "In the file", "What is wrong"]]
    for problem in plan.problems:
        problems.append(
            [
                new_row.get(problem.row, problem.row),
                problem.column,
                problem.question,
                problem.value,
                problem.reason[:1].upper() + problem.reason[1:],
            ]
        )
    return (
        Sheet(ROWS_SHEET, rows, bold_rows=header_rows, freeze=(header_rows, 0)),
        Sheet(PROBLEMS_SHEET, problems, bold_rows=1, freeze=(1, 0)),
    )


def set_aside_bytes(plan: ImportPlan, kind: str, password: str | None = None) -> bytes:
    """The set-aside file's bytes (an encrypted xlsx when a password is given); pure."""
    rows, problems = set_aside_sheets(plan)
    if kind == "csv":
        return csv_bytes(rows.rows)
    data = xlsx_bytes([rows, problems])
    return encrypt_xlsx(data, password) if password is not None else data


def prepare_set_aside(
    plan: ImportPlan, path: Path, *, password: str | None = None
) -> ExportJob[SetAside]:
    """The export job writing ``plan``'s problem rows to ``path`` (.xlsx or .csv, encrypted
    with ``password``): write it (``forumkit.exports.write_export``), import the good rows, then
    record it (``record_export``), or ``discard_export`` if the import failed.

    Raises ExportError when the name or the password cannot work (a csv carries no password).
    """
    path = Path(path)
    kind = check_export(path, password)
    count = len(set_aside_rows(plan))
    encrypted = password is not None
    return ExportJob(
        path=path,
        render=lambda: set_aside_bytes(plan, kind, password),
        action=SET_ASIDE,
        counts={"rows": count, "encrypted": int(encrypted)},
        object_ids=(plan.survey_id,),
        result=SetAside(path, count, encrypted),
    )
