"""Exporting a survey's responses to a spreadsheet (xlsx or csv), safely.

Safety, because responses are special category data:

- **No plaintext temp files.** openpyxl's writer spools every sheet through a temporary file,
  so the workbook is built with xlsxwriter in ``in_memory`` mode into a ``BytesIO``, encrypted
  in memory when a password is given (msoffcrypto-tool, standard Office "agile" encryption that
  Excel and LibreOffice open), then written beside the target and moved into place atomically.
- **No formula injection.** In xlsx every text is written as a string cell, never a formula.
  In csv a text starting with ``=``, ``+``, ``-``, ``@``, tab, CR or ``'`` gets one leading
  ``'`` (the usual defence, so Excel shows it as text).
- **Audit-logged** with the number of responses and their ids (so a later erasure can tell
  whom an exported response reached), never their content.

Layout (format 1), which the importers' ``forumkit`` format reads back to identical data:

Sheet ``Responses`` (csv: the same rows)
    Row 1: labels, for people. Row 2: names, for machines. Data from row 3.
    The first six columns are the response's metadata, named (row 2) ``forumkit:id``,
    ``forumkit:status`` (``draft``/``complete``), ``forumkit:respondent``,
    ``forumkit:started``, ``forumkit:finished`` and ``forumkit:source``. A name row whose first
    cell is ``forumkit:id`` marks a forumkit export (question names never contain ``:``).
    Then one column per question (named by the question), in form order, for the questions of
    every survey version the exported responses use (latest version first):

    - select_one: the choice's label; select_multiple and rank: the choices' labels joined
      with ``"; "`` (rank in rank order). A select_multiple also gets one column per choice,
      named ``question/choice``, holding 1 (picked) or 0, or empty when the question has no
      answer; these are exact, so readers should prefer them to the joined labels.
    - integer, decimal, range: numbers; acknowledge: ``OK``; date, time, datetime and the
      start/end metadata: ISO 8601 text; text and calculations: text.
    - Empty cell: no answer. In xlsx, line breaks are LF (a CR or CR LF becomes LF).

Sheet ``Questions``: one row per question: name, type, label, choices (``name = label``
    per line), required, relevant, constraint.
Sheet ``forumkit`` (hidden; xlsx only): ``A1`` = ``forumkit-responses``, ``B1`` = the
    format number, then ``key, value`` rows: ``survey_id``, ``form_id``, ``title``,
    ``version``, ``version_id``, ``exported`` and ``responses``.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from forumkit import audit
from forumkit.responses.errors import ExportError
from forumkit.responses.model import Response, Status
from forumkit.responses.store import list_responses, survey_for_version
from forumkit.surveys import Question, Survey
from forumkit.surveys.model import OTHER_CHOICE, pick_text

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

FORMAT = 1
MARKER = "forumkit-responses"
MARKER_SHEET = "forumkit"
RESPONSES_SHEET = "Responses"
QUESTIONS_SHEET = "Questions"
META_COLUMNS = (
    ("forumkit:id", "Response id"),
    ("forumkit:status", "Status"),
    ("forumkit:respondent", "Respondent"),
    ("forumkit:started", "Started"),
    ("forumkit:finished", "Finished"),
    ("forumkit:source", "Source"),
)
"""(name, label) of the metadata columns that open every export."""
JOIN = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Starts of a text that a spreadsheet could take for a formula."""

Cell = str | int | float | None


@dataclass(frozen=True)
class Column:
    """One exported column: its machine name, its label and how to fill it from a response."""

    name: str
    label: str
    question: Question | None = None
    choice: str | None = None
    """For a select_multiple's 0/1 column: the choice it stands for."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    format: str
    responses: int
    encrypted: bool


@dataclass(frozen=True)
class ExportTable:
    survey: Survey
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    response_ids: tuple[str, ...]
    questions: tuple[tuple[Question, Survey], ...]


def _label(survey: Survey, question: Question) -> str:
    return pick_text(question.labels, None, survey.default_language) or question.name


def _choice_labels(survey: Survey, question: Question) -> dict[str, str]:
    choice_list = survey.choices_for(question)
    labels = {
        choice.name: pick_text(choice.labels, None, survey.default_language) or choice.name
        for choice in choice_list.choices
    }
    if question.or_other:
        labels.setdefault(OTHER_CHOICE, "Other")
    return labels


def _exported_questions(
    db: sqlite_utils.Database, survey: Survey, responses: Sequence[Response]
) -> tuple[tuple[Question, Survey], ...]:
    """Questions of every version used, latest first, each with the version that defines it."""
    versions = {survey.version_id: survey}
    for response in responses:
        if response.version_id not in versions:
            versions[response.version_id] = survey_for_version(db, response.version_id)
    ordered = sorted(versions.values(), key=lambda s: -s.version)
    seen: dict[str, tuple[Question, Survey]] = {}
    for version in ordered:
        for question in version.questions:
            if question.name not in seen and (
                question.takes_answer or question.type == "calculate"
            ):
                seen[question.name] = (question, version)
    return tuple(seen.values())


def _columns(questions: Sequence[tuple[Question, Survey]]) -> tuple[Column, ...]:
    columns = [Column(name, label) for name, label in META_COLUMNS]
    for question, version in questions:
        label = _label(version, question)
        columns.append(Column(question.name, label, question))
        if question.type == "select_multiple":
            for choice, choice_label in _choice_labels(version, question).items():
                columns.append(
                    Column(
                        f"{question.name}/{choice}", f"{label}: {choice_label}", question, choice
                    )
                )
    return tuple(columns)


def _cell(column: Column, response: Response, labels: dict[str, dict[str, str]]) -> Cell:
    question = column.question
    if question is None:
        value: object = {
            "forumkit:id": response.id,
            "forumkit:status": response.status,
            "forumkit:respondent": response.respondent,
            "forumkit:started": response.started,
            "forumkit:finished": response.finished,
            "forumkit:source": response.source,
        }[column.name]
        return None if value is None else str(value)
    answer = response.answers.get(question.name)
    if answer is None:
        return None
    if column.choice is not None:
        return int(isinstance(answer, tuple) and column.choice in answer)
    if question.name in labels:
        names = answer if isinstance(answer, tuple) else (str(answer),)
        known = labels[question.name]
        return JOIN.join(known.get(name, name) for name in names)
    if isinstance(answer, bool):
        return "OK" if answer else None
    if isinstance(answer, int | float):
        return answer
    if isinstance(answer, tuple):
        return " ".join(answer)
    if isinstance(answer, str):
        return answer
    return answer.isoformat()


def build_table(
    workspace: Workspace, survey: Survey, *, status: Status | None = None
) -> ExportTable:
    """The columns and rows of an export of ``survey``'s responses (all versions)."""
    db = workspace.db
    responses = list_responses(db, survey.id, status=status, limit=None)
    questions = _exported_questions(db, survey, responses)
    columns = _columns(questions)
    labels = {
        question.name: _choice_labels(version, question)
        for question, version in questions
        if question.list_name
    }
    rows = tuple(tuple(_cell(column, r, labels) for column in columns) for r in responses)
    return ExportTable(survey, columns, rows, tuple(r.id for r in responses), questions)


# -- writers ----------------------------------------------------------------------------------


def csv_text(value: Cell) -> str:
    """A cell as csv text, with the leading-apostrophe defence against formula injection."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith((*FORMULA_STARTS, "'")) else value
    return repr(value) if isinstance(value, float) else str(value)


def csv_bytes(table: ExportTable) -> bytes:
    """The export as UTF-8 csv with a byte-order mark (so Excel reads the accents right)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_text(c.label) for c in table.columns])
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_text(text: str) -> str:
    """Line breaks as spreadsheets keep them (LF): a CR would be stored as ``_x000D_``, which
    Excel shows as a break but other readers (openpyxl) return literally."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def xlsx_bytes(table: ExportTable) -> bytes:
    """The export as an xlsx workbook, built in memory (no temporary files)."""
    import xlsxwriter  # loaded only for xlsx exports, which keeps CLI start-up fast

    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    workbook = xlsxwriter.Workbook(buffer, options)
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet(RESPONSES_SHEET)
    for col, column in enumerate(table.columns):
        sheet.write_string(0, col, column.label, bold)
        sheet.write_string(1, col, column.name)
    for row_number, row in enumerate(table.rows, start=2):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row_number, col, _xlsx_text(value))
            else:
                sheet.write_number(row_number, col, value)
    sheet.freeze_panes(2, 1)

    questions = workbook.add_worksheet(QUESTIONS_SHEET)
    header = ("name", "type", "label", "choices", "required", "relevant", "constraint")
    for col, text in enumerate(header):
        questions.write_string(0, col, text, bold)
    for row_number, (question, version) in enumerate(table.questions, start=1):
        choices = (
            "\n".join(f"{n} = {label}" for n, label in _choice_labels(version, question).items())
            if question.list_name
            else ""
        )
        values = (
            question.name,
            question.type,
            _label(version, question),
            choices,
            question.required,
            question.relevant,
            question.constraint,
        )
        for col, text in enumerate(values):
            questions.write_string(row_number, col, text)

    marker = workbook.add_worksheet(MARKER_SHEET)
    marker.write_string(0, 0, MARKER)
    marker.write_number(0, 1, FORMAT)
    survey = table.survey
    facts: tuple[tuple[str, str | int], ...] = (
        ("survey_id", survey.id),
        ("form_id", survey.form_id),
        ("title", survey.title),
        ("version", survey.version),
        ("version_id", survey.version_id),
        ("exported", audit.now_iso()),
        ("responses", len(table.rows)),
    )
    for row_number, (key, fact) in enumerate(facts, start=1):
        marker.write_string(row_number, 0, key)
        if isinstance(fact, int):
            marker.write_number(row_number, 1, fact)
        else:
            marker.write_string(row_number, 1, fact)
    marker.hide()
    workbook.close()
    return buffer.getvalue()


def encrypt_xlsx(data: bytes, password: str) -> bytes:
    """An Office-encrypted copy of an xlsx, made in memory."""
    from msoffcrypto.format.ooxml import OOXMLFile  # loaded only for protected exports

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that it is either the old file or the complete new one."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def export_format(path: Path) -> str:
    """``xlsx`` or ``csv`` from the file name; anything else is refused."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ("xlsx", "csv"):
        raise ExportError(
            f"“{Path(path).name}” must end in .xlsx or .csv: those are the formats forumkit "
            "exports responses to."
        )
    return suffix


def check_export(path: Path, password: str | None) -> str:
    """The format (``xlsx`` or ``csv``) an export to ``path`` would have; raises ExportError when
    the name or the password cannot work (a csv cannot carry a password; no empty password)."""
    path = Path(path)
    kind = export_format(path)
    if password is not None and kind != "xlsx":
        raise ExportError(
            f"“{path.name}” is a csv file, which cannot carry a password; export to .xlsx "
            "to protect it."
        )
    if password is not None and not password:
        raise ExportError("The export password is empty; give one, or export without it.")
    return kind


def export_bytes(table: ExportTable, kind: str, password: str | None = None) -> bytes:
    """The export file's bytes (encrypted when a password is given); touches no database, so
    the desktop app runs it in a worker."""
    if kind == "csv":
        return csv_bytes(table)
    data = xlsx_bytes(table)
    return encrypt_xlsx(data, password) if password is not None else data


def _record(workspace: Workspace, table: ExportTable, encrypted: bool) -> None:
    audit.record(
        workspace.db,
        "responses_exported",
        {"responses": len(table.rows), "encrypted": int(encrypted)},
        [table.survey.id, *table.response_ids],
    )


def record_export(workspace: Workspace, table: ExportTable, *, encrypted: bool) -> None:
    """Audit-log an export whose file was written with :func:`export_bytes` and
    :func:`write_atomically` (the caller removes the file if this fails)."""
    with workspace.transaction("responses_exported") as change:
        _record(workspace, table, encrypted)
        change.touch("audit", table.survey.id)


def export_responses(
    workspace: Workspace,
    survey: Survey,
    path: Path,
    *,
    password: str | None = None,
    status: Status | None = None,
) -> ExportResult:
    """Write ``survey``'s responses to ``path`` (.xlsx or .csv), password-protected if asked.

    Nothing is written anywhere else; the export is recorded in the audit log.
    """
    path = Path(path)
    kind = check_export(path, password)
    table = build_table(workspace, survey, status=status)
    data = export_bytes(table, kind, password)
    with workspace.transaction("responses_exported") as change:
        _record(workspace, table, password is not None)
        # Written inside the transaction: if the file cannot be written, no export is logged.
        write_atomically(path, data)
        change.touch("audit", survey.id)
    return ExportResult(path, kind, len(table.rows), password is not None)
