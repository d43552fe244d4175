"""Exporting a survey's responses to a spreadsheet (xlsx or csv), safely.

Safety, because responses are special category data: the workbook is built and encrypted in
memory and never holds a formula (``forumkit.spreadsheets``); the file is written atomically
and the export is audit-logged with the number of responses and their ids (so a later erasure
can tell whom an exported response reached), never their content (``forumkit.exports``).

An export is an ``ExportJob``: :func:`prepare_responses_export` reads the responses on the
database thread, the job's file is rendered and written anywhere (the app: in a worker), then
recorded on the database thread. :func:`export_responses` does all of it in a row (the CLI).
Both leave unfinished responses (drafts) out unless asked for them (:data:`INCLUDE_DRAFTS`), and
both take a :class:`~forumkit.responses.ResponseQuery` to export only the responses a search or a
filter found, in its order (the app's "only the responses shown").

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

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from forumkit import audit
from forumkit.exports import ExportJob, run_export
from forumkit.responses.errors import ExportError
from forumkit.responses.model import Response, Status
from forumkit.responses.query import (
    ResponseQuery,
    list_responses,
    response_order,
    responses_by_seq,
    survey_for_version,
)
from forumkit.spreadsheets import Cell, Sheet, csv_bytes, encrypt_xlsx, xlsx_bytes
from forumkit.surveys import Question, Survey

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

FORMAT = 1
MARKER = "forumkit-responses"
MARKER_SHEET = "forumkit"
RESPONSES_SHEET = "Responses"
QUESTIONS_SHEET = "Questions"
EXPORTED = "responses_exported"
"""The audit-log action of a responses export."""
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
INCLUDE_DRAFTS = False
"""Whether an export holds unfinished responses (drafts) unless told otherwise, in the CLI and
the app alike. An export is read by people and programs that count what is in it, and a draft is
a parent's or a volunteer's half-finished form: it goes only when asked for (the app's tick box,
the CLI's ``--include-drafts``), for instance to move a forum's data, since forumkit's importer
reads drafts back as drafts."""


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
        label = version.label(question)
        columns.append(Column(question.name, label, question))
        if question.type == "select_multiple":
            for choice, choice_label in version.choice_labels(question).items():
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


def exported_responses(
    db: sqlite_utils.Database,
    survey: Survey,
    *,
    include_drafts: bool = INCLUDE_DRAFTS,
    query: ResponseQuery | None = None,
) -> list[Response]:
    """The responses an export holds: every one of ``survey``'s (all versions) in the order they
    were added, or those matching ``query`` in its order; drafts only with ``include_drafts``."""
    if query is None:
        status: Status | None = None if include_drafts else "complete"
        return list_responses(db, survey.id, status=status, limit=None)
    order = response_order(db, survey, query)
    found = responses_by_seq(db, order)
    chosen = (found[seq] for seq in order if seq in found)
    return [r for r in chosen if include_drafts or r.status == "complete"]


def build_table(
    workspace: Workspace,
    survey: Survey,
    *,
    include_drafts: bool = INCLUDE_DRAFTS,
    query: ResponseQuery | None = None,
) -> ExportTable:
    """The columns and rows of an export of ``survey``'s responses (all versions), or of those
    matching ``query``."""
    db = workspace.db
    responses = exported_responses(db, survey, include_drafts=include_drafts, query=query)
    questions = _exported_questions(db, survey, responses)
    columns = _columns(questions)
    labels = {
        question.name: version.choice_labels(question)
        for question, version in questions
        if question.list_name
    }
    rows = tuple(tuple(_cell(column, r, labels) for column in columns) for r in responses)
    return ExportTable(survey, columns, rows, tuple(r.id for r in responses), questions)


# -- the file ---------------------------------------------------------------------------------


def table_csv(table: ExportTable) -> bytes:
    """The export as csv: a row of labels, a row of names, then one row per response."""
    return csv_bytes(
        [[c.label for c in table.columns], [c.name for c in table.columns], *table.rows]
    )


def _questions_sheet(table: ExportTable) -> Sheet:
    header: tuple[Cell, ...] = (
        "name",
        "type",
        "label",
        "choices",
        "required",
        "relevant",
        "constraint",
    )
    rows: list[Sequence[Cell]] = [header]
    for question, version in table.questions:
        choices = (
            "\n".join(f"{n} = {label}" for n, label in version.choice_labels(question).items())
            if question.list_name
            else ""
        )
        rows.append(
            (
                question.name,
                question.type,
                version.label(question),
                choices,
                question.required,
                question.relevant,
                question.constraint,
            )
        )
    return Sheet(QUESTIONS_SHEET, rows, bold_rows=1)


def _marker_sheet(table: ExportTable) -> Sheet:
    survey = table.survey
    facts: tuple[tuple[str, Cell], ...] = (
        ("survey_id", survey.id),
        ("form_id", survey.form_id),
        ("title", survey.title),
        ("version", survey.version),
        ("version_id", survey.version_id),
        ("exported", audit.now_iso()),
        ("responses", len(table.rows)),
    )
    return Sheet(MARKER_SHEET, [(MARKER, FORMAT), *facts], hidden=True)


def table_xlsx(table: ExportTable) -> bytes:
    """The export as an xlsx workbook (sheets described in this module's docstring)."""
    responses = Sheet(
        RESPONSES_SHEET,
        [[c.label for c in table.columns], [c.name for c in table.columns], *table.rows],
        bold_rows=1,
        freeze=(2, 1),
    )
    return xlsx_bytes([responses, _questions_sheet(table), _marker_sheet(table)])


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
    """The export file's bytes (encrypted when a password is given); touches no database."""
    if kind == "csv":
        return table_csv(table)
    data = table_xlsx(table)
    return encrypt_xlsx(data, password) if password is not None else data


def prepare_responses_export(
    workspace: Workspace,
    survey: Survey,
    path: Path,
    *,
    password: str | None = None,
    include_drafts: bool = INCLUDE_DRAFTS,
    query: ResponseQuery | None = None,
) -> ExportJob[ExportResult]:
    """Read ``survey``'s responses (all versions, or those matching ``query``) for an export to
    ``path`` (.xlsx or .csv, password-protected if asked), on the database thread; nothing is
    written yet.

    Raises ExportError before reading anything when the name or password cannot work.
    """
    path = Path(path)
    kind = check_export(path, password)
    table = build_table(workspace, survey, include_drafts=include_drafts, query=query)
    encrypted = password is not None
    return ExportJob(
        path=path,
        render=lambda: export_bytes(table, kind, password),
        action=EXPORTED,
        counts={"responses": len(table.rows), "encrypted": int(encrypted)},
        object_ids=(survey.id, *table.response_ids),
        touched_ids=(survey.id,),
        result=ExportResult(path, kind, len(table.rows), encrypted),
    )


def export_responses(
    workspace: Workspace,
    survey: Survey,
    path: Path,
    *,
    password: str | None = None,
    include_drafts: bool = INCLUDE_DRAFTS,
    query: ResponseQuery | None = None,
) -> ExportResult:
    """Write ``survey``'s responses (or those matching ``query``) to ``path`` (.xlsx or .csv),
    password-protected if asked, and record the export in the audit log. Nothing is written
    anywhere else."""
    job = prepare_responses_export(
        workspace, survey, path, password=password, include_drafts=include_drafts, query=query
    )
    return run_export(workspace, job)
