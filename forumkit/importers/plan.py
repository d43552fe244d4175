"""Planning an import: what the file is, which column is which question, and every row checked.

``plan_import`` reads nothing from the forum file and changes nothing, so the import wizard can
show its pages (detected format, column mapping, problems) from a plan, let the chair change the
mapping and plan again with ``ImportPlan.remap``, and only then call ``run_import``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from forumkit.importers import (
    forumkit_export,
    googleforms,
    kobo,
    msforms,
    odkcentral,
    plain,
    surveymonkey,
)
from forumkit.importers.errors import ImportFileError
from forumkit.importers.formats import SourceFormat
from forumkit.importers.mapping import (
    ANSWER_ROLES,
    ColumnMapping,
    ColumnPlan,
    MappingTarget,
    load_mapping,
    map_columns,
)
from forumkit.importers.rows import (
    DATE_TYPES,
    DATETIME_TYPES,
    TIME_ROLES,
    ImportProblem,
    Progress,
    RowReader,
    RowResults,
    date_evidence,
)
from forumkit.importers.tables import SourceTable, read_table
from forumkit.importers.values import choose_date_order
from forumkit.responses import IncomingResponse
from forumkit.surveys import Survey
from forumkit.wording import LISTED_AT_MOST, listed, noun, plural

FORMATS: dict[str, SourceFormat] = {
    fmt.name: fmt
    for fmt in (
        forumkit_export.FORMAT,
        msforms.FORMAT,
        surveymonkey.FORMAT,
        googleforms.FORMAT,
        odkcentral.FORMAT,
        kobo.FORMAT,
        plain.FORMAT,
    )
}
"""Every source format, in the order detection tries them (plain csv last: it fits anything)."""

FORMAT_CHOICES = ("auto", *FORMATS)


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import would do, worked out without touching the forum file."""

    survey_id: str
    survey_version_id: str
    file_name: str
    format: str
    format_title: str
    columns: tuple[ColumnPlan, ...]
    rows: tuple[IncomingResponse, ...]
    problems: tuple[ImportProblem, ...]
    warnings: tuple[str, ...]
    date_order: str | None
    """``dmy`` or ``mdy`` when the file has dates written as text, else None."""
    encoding: str | None
    row_count: int
    """Data rows read (rows with problems included)."""
    table: SourceTable = field(repr=False, compare=False)
    made: str | None = None
    """When the export was made, as far as forumkit can tell (UTC ISO): the file's
    modification time, never later than the plan. Each row's ``as_of`` unless the tool gives
    the row's own edit time; a re-import changes a response only with a newer row."""

    @property
    def ok(self) -> bool:
        """Whether the import can go ahead (it is all or nothing)."""
        return not self.problems

    @property
    def unmapped(self) -> tuple[str, ...]:
        """Headings of the columns no question takes (their cells are not imported)."""
        return tuple(column.header for column in self.columns if column.role == "unmapped")

    @property
    def mapping(self) -> dict[str, MappingTarget]:
        """The column mapping in force, in the mapping file's terms; edit it and ``remap``."""
        mapping: dict[str, MappingTarget] = {}
        for column in self.columns:
            if column.role == "answer":
                mapping[column.header] = column.question
            elif column.role == "choice" and column.question and column.choice:
                mapping[column.header] = (column.question, column.choice)
            elif column.role in ("respondent", "started", "finished", "id"):
                mapping[column.header] = f"@{column.role}"
            elif column.role in ("ignore", "unmapped"):
                mapping[column.header] = None
        return mapping

    def remap(
        self, survey: Survey, mapping: ColumnMapping, progress: Progress | None = None
    ) -> ImportPlan:
        """The plan again with ``mapping`` settling the columns it names (no re-reading)."""
        return _plan(survey, self.table, FORMATS[self.format], mapping, "", progress, self.made)


def plan_import(
    survey: Survey,
    path: Path,
    *,
    format: str = "auto",
    mapping: ColumnMapping | Path | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read ``path``, detect or apply ``format``, map columns and check every row.

    ``mapping`` is a mapping (heading → target) or the path of a mapping file (see
    ``forumkit.importers.mapping``). Raises ImportFileError for a file that cannot be read and
    MappingFileError for a mapping that names no such question; problems with rows are not
    raised but listed in the plan. Touching no forum file, it can run on a worker thread;
    ``progress`` (rows checked, rows in all) lets that worker show a bar and cancel by raising.
    """
    if format not in FORMAT_CHOICES:
        raise ImportFileError(
            f"“{format}” is not a source format; use one of {', '.join(FORMAT_CHOICES)}."
        )
    mapping_name = ""
    if isinstance(mapping, Path):
        mapping_name = mapping.name
        mapping = load_mapping(mapping)
    table = read_table(Path(path))
    fmt = detect_format(table, survey) if format == "auto" else FORMATS[format]
    return _plan(survey, table, fmt, mapping, mapping_name, progress, export_made(Path(path)))


def export_made(path: Path) -> str | None:
    """When the export at ``path`` was made, as far as the file tells: its modification time
    (a download's is the moment it was downloaded), never later than now, in UTC."""
    try:
        modified = path.stat().st_mtime
    except OSError:
        return None
    now = dt.datetime.now(dt.UTC)
    made = min(dt.datetime.fromtimestamp(modified, dt.UTC), now)
    return made.isoformat(timespec="seconds")


def detect_format(table: SourceTable, survey: Survey) -> SourceFormat:
    """The first format whose detection accepts the file's header rows."""
    if not table.rows:
        raise ImportFileError(f"{table.where()} is empty: there are no headings to read.")
    head = [cells for _, cells in table.rows[:3]]
    for fmt in FORMATS.values():
        if fmt.detect(head, survey):
            return fmt
    return plain.FORMAT


def _plan(
    survey: Survey,
    table: SourceTable,
    fmt: SourceFormat,
    mapping: ColumnMapping | None,
    mapping_name: str,
    progress: Progress | None = None,
    made: str | None = None,
) -> ImportPlan:
    header_rows = fmt.headers_in([cells for _, cells in table.rows[:3]])
    if len(table.rows) < header_rows:
        raise ImportFileError(
            f"{table.where()} has no {fmt.title} header rows: it needs {header_rows}."
        )
    head = [cells for _, cells in table.rows[:header_rows]]
    data = table.rows[header_rows:]
    columns, warnings = map_columns(survey, fmt, fmt.headings(head), mapping, mapping_name)
    if not any(column.role in ANSWER_ROLES for column in columns):
        raise ImportFileError(
            f"No column of {table.where()} matches a question of the survey "
            f"“{survey.form_id}”: is it the right survey? A mapping file can name the columns."
        )
    date_columns = _date_columns(survey, columns)
    evidence = list(date_evidence(data, date_columns))
    order, all_ambiguous = choose_date_order(evidence)
    has_text_dates = any(found is not None for found in evidence)
    source = f"import:{fmt.name}:{table.file_name}"
    unescape = fmt.unescape and table.sheet is None
    reader = RowReader(survey, fmt, columns, order, source, unescape=unescape, made=made)
    results = RowResults()
    reader.read(data, results, progress)
    warnings[:0] = table.warnings
    warnings.extend(_summary(survey, columns, results, order, all_ambiguous, has_text_dates))
    return ImportPlan(
        survey_id=survey.id,
        survey_version_id=survey.version_id,
        file_name=table.file_name,
        format=fmt.name,
        format_title=fmt.title,
        columns=tuple(columns),
        rows=tuple(results.incoming),
        problems=tuple(results.problems),
        warnings=tuple(warnings),
        date_order=order if has_text_dates else None,
        encoding=table.encoding,
        row_count=len(data),
        table=table,
        made=made,
    )


def _date_columns(survey: Survey, columns: Sequence[ColumnPlan]) -> list[int]:
    types = {question.name: question.type for question in survey.questions}
    found: list[int] = []
    for column in columns:
        if column.role in TIME_ROLES or (
            column.role == "answer"
            and types.get(column.question or "") in (DATE_TYPES | DATETIME_TYPES)
        ):
            found.append(column.index)
    return found


def _summary(
    survey: Survey,
    columns: Sequence[ColumnPlan],
    results: RowResults,
    order: str,
    all_ambiguous: bool,
    has_text_dates: bool,
) -> list[str]:
    warnings: list[str] = []
    if has_text_dates and all_ambiguous:
        warnings.append(
            "Every date in the file could be read day-first or month-first; they were read "
            "day-first (DD/MM/YYYY), as in the UK."
        )
    elif has_text_dates and order == "mdy":
        warnings.append(
            "Dates were read month-first (MM/DD/YYYY), as some dates in the file can only be "
            "read that way."
        )
    unmapped = [
        f"{column.letter} “{column.header}”" for column in columns if column.role == "unmapped"
    ]
    if len(unmapped) > LISTED_AT_MOST:
        # One line, not one per column: a 16,384-column file would print 16,000 warnings.
        warnings.append(
            f"{plural(len(unmapped), 'column')} match no question of the survey and were not "
            f"imported: {listed(unmapped)}."
        )
    else:
        warnings.extend(
            f"Column {column} matches no question of the survey and was not imported."
            for column in unmapped
        )
    taken = {column.question for column in columns if column.role in ANSWER_ROLES}
    missing = [
        f"“{' '.join(survey.label(question).split())}”"
        for question in survey.questions
        if question.takes_answer
        and question.type not in ("start", "end", "today")
        and question.name not in taken
    ]
    if missing:
        warnings.append(f"No column answers the questions: {listed(missing, most=20)}.")
    if results.cleared:
        warnings.append(
            f"{plural(results.cleared, 'answer')} to questions that the survey's skip logic hides "
            f"{noun(results.cleared, 'was', 'were')} left out."
        )
    if results.stray_cells:
        warnings.append(
            f"{plural(results.stray_cells, 'row')} {noun(results.stray_cells, 'has', 'have')} "
            "cells in columns without a heading; those cells were not imported."
        )
    return warnings
