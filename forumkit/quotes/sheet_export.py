"""The quotes spreadsheet: every quote of a survey, and every answer still to quote, to tag in
Excel or LibreOffice and import back (``sheet_import``).

Layout (format 1):

Sheet ``Quotes`` (first), one header row, then one row per candidate: every existing quote, and
every non-empty free-text answer of a complete response that has no quote yet (the answer whole);
responses in the order they came, questions in form order, quotes along each answer. Columns:

- ``quote id`` (empty for an answer not yet quoted), ``response id``, ``question`` (its name),
  ``text`` (the quote's words, or the whole answer), ``redacted text`` (forumkit's proposal for
  an answer not yet quoted), ``codes`` (comma-separated keys; ``codebook/key`` outside the
  default codebook), ``reviewed`` (yes/no), ``consent to share`` (yes when the parent gave
  consent to quote and to share; read-only);
- with ``suggest``: ``suggested codes``, the three codes of the default codebook that best fit,
  best first;
- then the respondent's answers to single-choice questions (phase, type of need, …) as labels,
  headed by the questions' labels, to sort and filter by. The consent questions are left out.

Sheet ``Codes``: the codes a ``codes`` cell may name, with their labels and scope notes.
Sheet ``forumkit`` (hidden): ``forumkit-quotes``, the format, and the survey's id, so the sheet
is never applied to another survey. Sheet ``forumkit proposals`` (hidden): for each answer not
quoted yet, its response id, question and a digest of the redaction proposed, so an import
knows a row left as exported without running redaction over every answer again.

The workbook is built in memory and written as one export job (``forumkit.exports``):
formula-safe, Office-encrypted with a password, and audit-logged with the ids of the responses
it carried, since it holds parents' words (a later erasure names it among the disclosures).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from forumkit import audit
from forumkit.codebooks import Codebook, list_codebooks
from forumkit.exports import ExportJob, run_export
from forumkit.quotes.deny import deny_list
from forumkit.quotes.errors import QuotesSheetError
from forumkit.quotes.model import FREE_TEXT_TYPES, Quote
from forumkit.quotes.store import list_quotes
from forumkit.quotes.suggestions import suggested_codes, suggester_inputs
from forumkit.redaction import DenyTerm, propose
from forumkit.responses import Response, list_responses, survey_for_version, words_may_leave
from forumkit.spreadsheets import Cell, Sheet, encrypt_xlsx, xlsx_bytes
from forumkit.suggest import CodeProfile, Suggester, TaggedExample
from forumkit.surveys import Question, Survey

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

FORMAT = 1
MARKER = "forumkit-quotes"
QUOTES_SHEET = "Quotes"
CODES_SHEET = "Codes"
MARKER_SHEET = "forumkit"
PROPOSALS_SHEET = "forumkit proposals"
DIGEST_CHARS = 24
EXPORTED = "quotes_exported"
"""The audit-log action of a quotes spreadsheet (a disclosure: it holds parents' words)."""

QUOTE_ID = "quote id"
RESPONSE_ID = "response id"
QUESTION = "question"
TEXT = "text"
REDACTED = "redacted text"
CODES = "codes"
REVIEWED = "reviewed"
CONSENT = "consent to share"
SUGGESTED = "suggested codes"
COLUMNS = (QUOTE_ID, RESPONSE_ID, QUESTION, TEXT, REDACTED, CODES, REVIEWED, CONSENT)
"""The first columns, exactly and in this order."""
SUGGESTIONS = 3
YES, NO = "yes", "no"


@dataclass(frozen=True)
class QuotesExport:
    """What a quotes spreadsheet holds."""

    path: Path
    quotes: int
    """Rows of existing quotes."""
    answers: int
    """Rows of answers not quoted yet."""
    outdated: int
    """Quotes whose answer was corrected after they were made (their rows will not import
    until relocated)."""
    encrypted: bool
    suggested: bool


@dataclass(frozen=True)
class TableRow:
    """One row as read from the file: its first columns (``redacted text`` None for an answer
    not quoted yet, whose proposal is made when the sheet is rendered) and its attributes."""

    cells: tuple[Cell, ...] = field(repr=False)
    attributes: tuple[Cell, ...] = field(repr=False)


@dataclass(frozen=True)
class QuotesTable:
    """What the quotes spreadsheet holds, read on the database thread. Redaction proposals and
    suggestions are made from it by :func:`table_rows`, which touches no database (the app runs
    it in a worker with the rest of rendering)."""

    survey: Survey
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    codebooks: tuple[Codebook, ...]
    response_ids: tuple[str, ...]
    quotes: int
    answers: int
    outdated: int
    deny: tuple[DenyTerm, ...]
    suggest_from: tuple[tuple[CodeProfile, ...], tuple[TaggedExample, ...]] | None = field(
        default=None, repr=False
    )
    """The default codebook's codes and the forum's tagged quotes, with ``suggest``."""


def _versions(workspace: Workspace, responses: Sequence[Response]) -> dict[str, Survey]:
    found: dict[str, Survey] = {}
    for response in responses:
        if response.version_id not in found:
            found[response.version_id] = survey_for_version(workspace.db, response.version_id)
    return found


def attribute_questions(
    survey: Survey, versions: Sequence[Survey]
) -> list[tuple[Question, Survey, str]]:
    """Single-choice questions of the versions used (latest first), each with its version and
    a unique heading (its label, with its name when two labels are the same)."""
    consent = {survey.consent_quote, survey.consent_share}
    chosen: dict[str, tuple[Question, Survey]] = {}
    for version in sorted(versions, key=lambda v: -v.version):
        for question in version.questions:
            if question.type == "select_one" and question.name not in consent:
                chosen.setdefault(question.name, (question, version))
    labels = [version.label(question) or question.name for question, version in chosen.values()]
    return [
        (question, version, label if labels.count(label) == 1 else f"{label} ({question.name})")
        for (question, version), label in zip(chosen.values(), labels, strict=True)
    ]


def free_text_questions(version: Survey) -> list[Question]:
    """A version's free-text questions, in form order."""
    return [question for question in version.questions if question.type in FREE_TEXT_TYPES]


def build_quotes_table(workspace: Workspace, survey: Survey, *, suggest: bool) -> QuotesTable:
    """Every row of the quotes spreadsheet of ``survey`` (module docstring)."""
    db = workspace.db
    responses = list_responses(db, survey.id, status="complete", limit=None)
    versions = _versions(workspace, responses)
    attributes = attribute_questions(survey, list(versions.values()))
    quoted: dict[tuple[str, str], list[Quote]] = {}
    for quote in list_quotes(db, survey.id):
        quoted.setdefault((quote.response_id, quote.question), []).append(quote)
    labels = {question.name: version.choice_labels(question) for question, version, _ in attributes}
    rows: list[TableRow] = []
    carried: list[str] = []
    counts = {"quotes": 0, "answers": 0, "outdated": 0}
    for response in responses:
        consent = YES if words_may_leave(response) else NO
        extra = tuple(
            labels[question.name].get(str(answer), str(answer))
            if (answer := response.answers.get(question.name)) is not None
            else None
            for question, _, _ in attributes
        )
        before = len(rows)
        for question in free_text_questions(versions[response.version_id]):
            quotes = quoted.get((response.id, question.name), [])
            answer = response.answers.get(question.name)
            cells: list[tuple[Cell, ...]] = []
            for quote in quotes:
                counts["quotes"] += 1
                counts["outdated"] += quote.state != "current"
                cells.append(
                    (
                        quote.id,
                        response.id,
                        question.name,
                        quote.text,
                        quote.redacted_text,
                        ", ".join(quote.references),
                        YES if quote.reviewed else NO,
                        consent,
                    )
                )
            if not quotes and isinstance(answer, str) and answer.strip():
                counts["answers"] += 1
                cells.append((None, response.id, question.name, answer, None, None, NO, consent))
            rows.extend(TableRow(cell_row, extra) for cell_row in cells)
        if len(rows) > before:
            carried.append(response.id)
    header = (*COLUMNS, *((SUGGESTED,) if suggest else ()), *(h for _, _, h in attributes))
    return QuotesTable(
        survey,
        header,
        tuple(rows),
        tuple(list_codebooks(db)),
        tuple(carried),
        counts["quotes"],
        counts["answers"],
        counts["outdated"],
        deny_list(db),
        suggester_inputs(db) if suggest else None,
    )


def proposal_digest(response_id: str, question: str, redacted_text: str) -> str:
    """A short digest of the redaction proposed for an answer not quoted yet, kept in the hidden
    sheet so an import tells a row left as exported without running redaction again."""
    data = f"{response_id}\n{question}\n{redacted_text}".encode()
    return hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]


@dataclass(frozen=True)
class RenderedRows:
    """The sheet's rows, and a digest of each proposal made (see :func:`proposal_digest`)."""

    rows: list[tuple[Cell, ...]]
    digests: list[tuple[Cell, ...]]


def table_rows(table: QuotesTable) -> RenderedRows:
    """The sheet's rows, each answer not quoted yet with forumkit's redaction proposed and,
    when asked, every row with its suggested codes. Touches no database."""
    suggester = None
    if table.suggest_from is not None:
        suggester = Suggester.train(*table.suggest_from)
    rows: list[tuple[Cell, ...]] = []
    digests: list[tuple[Cell, ...]] = []
    for row in table.rows:
        cells = row.cells
        if cells[4] is None:
            response_id, question, answer = str(cells[1]), str(cells[2]), str(cells[3])
            proposal = propose(answer, table.deny).redacted_text
            cells = (*cells[:4], proposal, *cells[5:])
            digests.append(
                (response_id, question, proposal_digest(response_id, question, proposal))
            )
        if suggester is not None:
            keys = suggested_codes(suggester, str(cells[3]), SUGGESTIONS)
            cells = (*cells, ", ".join(keys))
        rows.append((*cells, *row.attributes))
    return RenderedRows(rows, digests)


def _codes_sheet(codebooks: Sequence[Codebook]) -> Sheet:
    rows: list[Sequence[Cell]] = [("code", "label", "codebook", "scope note")]
    for book in codebooks:
        for code in book.codes:
            if code.codable:
                reference = code.key if book.is_default else f"{book.key}/{code.key}"
                rows.append((reference, code.label, book.name, code.description))
    return Sheet(CODES_SHEET, rows, bold_rows=1, freeze=(1, 1))


def table_xlsx(table: QuotesTable) -> bytes:
    """The quotes spreadsheet as an xlsx workbook (built in memory, never a formula)."""
    facts: list[Sequence[Cell]] = [
        (MARKER, FORMAT),
        ("survey_id", table.survey.id),
        ("form_id", table.survey.form_id),
        ("exported", audit.now_iso()),
    ]
    rendered = table_rows(table)
    return xlsx_bytes(
        [
            Sheet(QUOTES_SHEET, [table.header, *rendered.rows], bold_rows=1, freeze=(1, 1)),
            _codes_sheet(table.codebooks),
            Sheet(MARKER_SHEET, facts, hidden=True),
            Sheet(PROPOSALS_SHEET, rendered.digests, hidden=True),
        ]
    )


def prepare_quotes_export(
    workspace: Workspace,
    survey: Survey,
    path: Path,
    *,
    suggest: bool = False,
    password: str | None = None,
) -> ExportJob[QuotesExport]:
    """Read what the quotes spreadsheet of ``survey`` holds (on the database thread); the job
    writes it to ``path`` (.xlsx, Office-encrypted when a password is given) and records it."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise QuotesSheetError(f"“{path.name}” must end in .xlsx: quotes are tagged in a workbook.")
    if password is not None and not password:
        raise QuotesSheetError("The spreadsheet's password is empty; give one, or leave it out.")
    table = build_quotes_table(workspace, survey, suggest=suggest)
    encrypted = password is not None

    def render() -> bytes:
        data = table_xlsx(table)
        return encrypt_xlsx(data, password) if password is not None else data

    return ExportJob(
        path=path,
        render=render,
        action=EXPORTED,
        counts={
            "quotes": table.quotes,
            "answers": table.answers,
            "responses": len(table.response_ids),
            "encrypted": int(encrypted),
        },
        object_ids=(survey.id, *table.response_ids),
        touched_ids=(survey.id,),
        result=QuotesExport(path, table.quotes, table.answers, table.outdated, encrypted, suggest),
    )


def export_quotes(
    workspace: Workspace,
    survey: Survey,
    path: Path,
    *,
    suggest: bool = False,
    password: str | None = None,
) -> QuotesExport:
    """Write the quotes spreadsheet of ``survey`` to ``path`` and record it (the CLI's way)."""
    job = prepare_quotes_export(workspace, survey, path, suggest=suggest, password=password)
    return run_export(workspace, job)
