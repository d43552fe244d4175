"""Turning each data row into a checked response, or into problems naming row and column.

The column plan says which cells answer which question; each answer is converted for its
question type (labels to choice names, joined ticks split, dates in the file's order) and the
whole row then goes through ``forumkit.surveys.check_response``, the checks data entry uses.
Problems carry the row number a spreadsheet program shows, the column heading, the question's
wording, the reason and the cell as written, so the chair can see what to put right. The cell is
a parent's answer: it is shown (the wizard's table, the command line's report) but never put in
a problem's ``str()``, which exception messages quote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from forumkit.importers.formats import SourceFormat
from forumkit.importers.mapping import ColumnPlan
from forumkit.importers.tables import Cell
from forumkit.importers.values import (
    ChoiceMatcher,
    UnreadableDate,
    cell_text,
    is_ticked,
    normalise,
    numeric_date_order,
    read_datetime,
)
from forumkit.responses import IncomingResponse, check_answers
from forumkit.responses.errors import ResponseInvalid
from forumkit.responses.identity import FINGERPRINT, TOOL_ID, source_key
from forumkit.surveys import CheckedResponse, Question, Survey, SurveyChecker

DATE_TYPES = frozenset({"date", "today"})
DATETIME_TYPES = frozenset({"datetime", "start", "end"})
TIME_ROLES = frozenset({"started", "finished", "submitted", "edited"})
_IDENTITY_ROLES = ("email", "respondent", "name", "first_name", "last_name", "username")
_APOSTROPHE_ESCAPED = ("'=", "'+", "'-", "'@", "'\t", "'\r", "''")
VALUE_CHARS = 80
"""How much of a refused cell a problem shows (a long answer is cut with “…”)."""


@dataclass(frozen=True)
class ImportProblem:
    """Why one cell (or one row) cannot be imported: where it is and what is wrong."""

    row: int
    column: str
    reason: str
    question: str = ""
    """The wording of the question the column answers ("" for a column of the tool's own)."""
    value: str = ""
    """The cell as written, shortened ("" when the problem is a missing answer). Shown to the
    chair; never part of ``str()``, which error messages quote."""

    def __str__(self) -> str:
        where = f"row {self.row}, column “{self.column}”" if self.column else f"row {self.row}"
        return f"{where}: {self.reason}"


def shown_value(cell: Cell) -> str:
    """A refused cell as a problem shows it: its text on one line, at most VALUE_CHARS long."""
    text = " ".join(cell_text(cell).split())
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1].rstrip() + "…"


@dataclass
class RowResults:
    """What converting every row gave: responses, problems and counts for the summary."""

    incoming: list[IncomingResponse] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    cleared: int = 0
    stray_cells: int = 0


class _BadCell(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Converter = Callable[[Cell], object]

Progress = Callable[[int, int], None]
"""Called with (rows checked, rows in all); to cancel, raise from it (nothing is changed)."""


def date_evidence(
    rows: Iterable[tuple[int, tuple[Cell, ...]]], indexes: Sequence[int]
) -> Iterable[str | None]:
    """The order each text date in the given columns allows (see ``numeric_date_order``)."""
    for _, cells in rows:
        for index in indexes:
            if index < len(cells) and isinstance(cells[index], str):
                yield numeric_date_order(str(cells[index]))


class RowReader:
    """Converts rows for one survey, format and column plan (built once per plan)."""

    def __init__(
        self,
        survey: Survey,
        fmt: SourceFormat,
        columns: Sequence[ColumnPlan],
        date_order: str,
        source: str,
        *,
        unescape: bool = False,
        made: str | None = None,
    ) -> None:
        self.survey = survey
        self.made = made
        """When the export was made (UTC ISO): each row's ``as_of`` unless the tool gives
        the row's own edit time."""
        self.checker = SurveyChecker(survey)
        self.unescape = unescape
        self.fmt = fmt
        self.date_order = date_order
        self.source = source
        self.width = max((column.index for column in columns), default=-1) + 1
        self.answers: list[tuple[int, str, str, Converter]] = []
        self.choices: list[tuple[int, str, str, str]] = []
        self.places: list[tuple[int, str, str, Converter]] = []
        """(column, heading, ranking, the cell's choice) for a ranking's places, in order."""
        self.single = {q.name for q in survey.questions if q.type == "select_one"}
        self.meta: list[tuple[int, str, str]] = []
        self.header_of: dict[str, str] = {}
        self.index_of: dict[str, int] = {}
        """The column a whole answer comes from (not one of 0/1 option columns)."""
        self.wording = {q.name: " ".join(survey.label(q).split()) for q in survey.questions}
        """Each question's wording, for problems (the chair knows questions by their words)."""
        for column in columns:
            if column.role == "answer" and column.question:
                question = survey.question(column.question)
                convert = self._converter(question)
                self.answers.append((column.index, column.header, question.name, convert))
                self.header_of.setdefault(question.name, column.header)
                self.index_of.setdefault(question.name, column.index)
            elif column.role == "choice" and column.question and column.choice:
                self.choices.append((column.index, column.header, column.question, column.choice))
                self.header_of.setdefault(column.question, column.header)
            elif column.role == "place" and column.question:
                question = survey.question(column.question)
                matcher = ChoiceMatcher.for_list(survey, survey.choices_for(question), False)
                self.places.append((column.index, column.header, question.name, _one(matcher)))
                self.header_of.setdefault(column.question, column.header)
            elif column.role not in ("ignore", "covered", "unmapped"):
                self.meta.append((column.index, column.header, column.role))
        self.start_question = next((q.name for q in survey.questions if q.type == "start"), None)
        self.end_question = next((q.name for q in survey.questions if q.type == "end"), None)
        self.date_words = "DD/MM/YYYY" if date_order == "dmy" else "MM/DD/YYYY"

    def _converter(self, question: Question) -> Converter:
        kind = question.type
        if kind in ("select_one", "select_multiple", "rank"):
            matcher = ChoiceMatcher.for_list(
                self.survey, self.survey.choices_for(question), question.or_other
            )
            if kind == "select_one":
                return _remembered(lambda cell: matcher.one(cell_text(cell)))
            separators = self.fmt.separators
            return _remembered(lambda cell: matcher.many(cell_text(cell), separators))
        if kind in DATE_TYPES:
            return _remembered(lambda cell: self._datetime(cell, "date").date())
        if kind in DATETIME_TYPES:
            return _remembered(lambda cell: self._datetime(cell, "date and time"))
        if kind == "time":
            return _time
        if kind == "text":
            return self._text
        return _plain

    def _text(self, cell: Cell) -> object:
        if isinstance(cell, str):
            # Kept exactly as written (no trimming): a forumkit export must come back identical.
            if self.unescape and cell.startswith(_APOSTROPHE_ESCAPED):
                return cell[1:]
            return cell
        return cell_text(cell) if not isinstance(cell, dt.datetime) else cell.isoformat()

    def _datetime(self, cell: Cell, what: str) -> dt.datetime:
        try:
            return read_datetime(cell, self.date_order)
        except UnreadableDate:
            raise _BadCell(
                f"the answer is not a {what} forumkit can read (write it as {self.date_words} "
                "or YYYY-MM-DD)."
            ) from None

    def read(
        self,
        rows: Sequence[tuple[int, tuple[Cell, ...]]],
        results: RowResults,
        progress: Progress | None = None,
    ) -> None:
        """Convert and check every row, adding to ``results``; report progress every 250 rows."""
        occurrences: Counter[str] = Counter()
        total = len(rows)
        empties = self.fmt.not_applicable
        for done, (number, cells) in enumerate(rows):
            if progress is not None and done % 250 == 0:
                progress(done, total)
            if len(cells) > self.width and any(
                cell is not None and cell != "" for cell in cells[self.width :]
            ):
                results.stray_cells += 1
            cells = (
                cells + (None,) * (self.width - len(cells)) if len(cells) < self.width else cells
            )
            if empties:
                cells = tuple(None if cell in empties else cell for cell in cells)
            self._row(number, cells, results, occurrences)
        if progress is not None:
            progress(total, total)

    def _row(
        self,
        number: int,
        cells: tuple[Cell, ...],
        results: RowResults,
        occurrences: Counter[str],
    ) -> None:
        problems = results.problems
        before = len(problems)
        answers: dict[str, object] = {}
        unreadable: set[str] = set()
        for index, header, name, convert in self.answers:
            cell = cells[index]
            if cell is None or cell == "":
                continue
            try:
                answers[name] = convert(cell)
            except _BadCell as bad:
                problems.append(self._problem(number, header, bad.reason, name, cell))
                unreadable.add(name)
        ticks: dict[str, list[str]] = {}
        for index, header, name, choice in self.choices:
            ticked = is_ticked(cells[index], self.fmt.option_text)
            if ticked is None:
                reason = "the cell should be 1 (ticked) or 0 (not)."
                problems.append(self._problem(number, header, reason, name, cells[index]))
            elif ticked:
                ticks.setdefault(name, []).append(choice)
        for name, picked in ticks.items():
            if name not in self.single:
                answers[name] = tuple(picked)
            elif len(picked) == 1:
                answers[name] = picked[0]
            else:
                reason = "more than one option is ticked, but the question takes one."
                problems.append(ImportProblem(number, self.header_of[name], reason))
                unreadable.add(name)
        ranked: dict[str, list[str]] = {}
        for index, _, name, convert in self.places:
            cell = cells[index]
            if cell is not None and cell != "":
                ranked.setdefault(name, []).append(str(convert(cell)))
        answers.update((name, tuple(order)) for name, order in ranked.items())
        meta = self._meta(number, cells, problems)
        started, finished, source_id, respondent, status, edited = meta
        if status == "draft":
            checked = _check_draft(self.survey, answers)
        else:
            checked = self.checker.check(answers)
        for problem in checked.problems:
            if problem.question in unreadable:
                continue  # already reported as unreadable; "required" would only repeat it
            header = self.header_of.get(problem.question, problem.question)
            column = self.index_of.get(problem.question)
            cell = cells[column] if column is not None and problem.kind != "required" else None
            problems.append(self._problem(number, header, problem.message, problem.question, cell))
        if len(problems) > before:
            return
        results.cleared += len(checked.cleared)
        if started is None and self.start_question in checked.answers:
            started = _iso(checked.answers[self.start_question])
        if finished is None and self.end_question in checked.answers:
            finished = _iso(checked.answers[self.end_question])
        key = self._source_key(source_id, started, finished, respondent, checked.answers)
        occurrences[key] += 1
        if occurrences[key] > 1:
            key = f"{key}#{occurrences[key]}"
        results.incoming.append(
            IncomingResponse(
                answers=checked.answers,
                source=self.source,
                source_key=key,
                respondent=respondent,
                started=started,
                finished=finished,
                status="draft" if status == "draft" else "complete",
                # A forumkit export's rows keep their ids, so the data comes back identical and
                # a forum's own export re-imported into it is recognised as already held.
                response_id=_forumkit_id(source_id) if self.fmt.name == "forumkit" else None,
                row=number,
                as_of=edited or self.made,
            )
        )

    def _problem(
        self, number: int, header: str, reason: str, question: str, cell: Cell
    ) -> ImportProblem:
        return ImportProblem(
            number, header, reason, self.wording.get(question, ""), shown_value(cell)
        )

    def _meta(
        self, number: int, cells: tuple[Cell, ...], problems: list[ImportProblem]
    ) -> tuple[str | None, str | None, str | None, str | None, str, str | None]:
        """(started, finished, the source's id, respondent reference, status, when the tool
        says the row was last edited, in UTC) of one row."""
        times: dict[str, str] = {}
        status = "complete"
        ids: list[str] = []
        identity: dict[str, str] = {}
        for index, header, role in self.meta:
            cell = cells[index]
            if cell is None or cell == "":
                continue
            if role in TIME_ROLES:
                try:
                    times[role] = read_datetime(cell, self.date_order).isoformat()
                except UnreadableDate:
                    problems.append(
                        ImportProblem(
                            number,
                            header,
                            f"this is not a date and time forumkit can read "
                            f"(expected {self.date_words} HH:MM or YYYY-MM-DD HH:MM).",
                            value=shown_value(cell),
                        )
                    )
            elif role == "id":
                ids.append(cell_text(cell))
            elif role == "status":
                status = cell_text(cell).casefold()
                if status not in ("draft", "complete"):
                    problems.append(
                        ImportProblem(
                            number,
                            header,
                            "the status must be draft or complete.",
                            value=shown_value(cell),
                        )
                    )
            else:
                text = cell_text(cell)
                if text and normalise(text) not in self.fmt.placeholders:
                    identity.setdefault(role, text)
        finished = times.get("finished") or times.get("submitted")
        respondent = identity.get("email") or identity.get("respondent") or identity.get("name")
        if respondent is None:
            full = " ".join(
                part for part in (identity.get("first_name"), identity.get("last_name")) if part
            )
            respondent = full or identity.get("username")
        source_id = "|".join(ids) if ids else None
        edited = utc_text(times["edited"]) if "edited" in times else None
        return times.get("started"), finished, source_id, respondent, status, edited

    def _source_key(
        self,
        source_id: str | None,
        started: str | None,
        finished: str | None,
        respondent: str | None,
        answers: Mapping[str, object],
    ) -> str:
        """The response's identity in its source, the same however often it is imported."""
        parts = [self.survey.id, self.fmt.name, started or "", finished or ""]
        if source_id is not None:
            digest = hashlib.sha256("\x1f".join([*parts, source_id]).encode()).hexdigest()
            return source_key(self.fmt.name, TOOL_ID, digest)
        # Tick order is the tool's own (form order) and the format is part of the key, so the
        # answers need no sorting; json's C encoder keeps this cheap for 10,000 rows.
        canonical = _FINGERPRINT_JSON.encode(answers)
        text = "\x1f".join([*parts, respondent or "", canonical])
        return source_key(self.fmt.name, FINGERPRINT, hashlib.sha256(text.encode()).hexdigest())


def utc_text(moment: str) -> str:
    """An ISO date and time in UTC as a forum file writes times (a time without a zone is this
    computer's local time, as a spreadsheet shows it)."""
    parsed = dt.datetime.fromisoformat(moment)
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()
    return parsed.astimezone(dt.UTC).isoformat(timespec="seconds")


def _one(matcher: ChoiceMatcher) -> Converter:
    """A cell holding one choice (by name or label), converted once per distinct cell."""
    return _remembered(lambda cell: matcher.one(cell_text(cell)))


def _remembered(convert: Converter) -> Converter:
    """``convert`` with its results kept per distinct cell.

    Choice and date columns repeat a few values over thousands of rows, so each distinct cell
    is converted once per import; failures are not kept and are raised again.
    """
    seen: dict[object, object] = {}

    def remembered(cell: Cell) -> object:
        try:
            return seen[cell]
        except KeyError:
            result = seen[cell] = convert(cell)
            return result
        except TypeError:  # an unhashable cell value
            return convert(cell)

    return remembered


def _check_draft(survey: Survey, answers: Mapping[str, object]) -> CheckedResponse:
    """A draft's answers checked as data entry checks drafts: types and choices only."""
    try:
        cleaned = check_answers(survey, answers, "draft")
    except ResponseInvalid as invalid:
        return CheckedResponse({}, invalid.problems, (), (), ())
    # A draft keeps every answer: its check has no skip logic, so nothing is hidden or cleared.
    return CheckedResponse(cleaned, (), (), (), ())


def _forumkit_id(source_id: str | None) -> str | None:
    """A forumkit export's response id, if it is one (an edited cell falls back to the key)."""
    if source_id is None:
        return None
    try:
        return str(uuid.UUID(source_id))
    except ValueError:
        return None


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)


_FINGERPRINT_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=_iso)


def _plain(cell: Cell) -> object:
    return cell.strip() if isinstance(cell, str) else cell


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
"""A time as ODK Collect and Enketo write it: ``13:45:00.000+02:00`` (the time of day is kept,
as the respondent saw it; the offset says only where)."""


def _time(cell: Cell) -> object:
    if isinstance(cell, dt.datetime):
        return cell.time()
    if isinstance(cell, dt.time):
        return cell
    if isinstance(cell, float) and 0 <= cell < 1:
        seconds = round(cell * 86400)
        return dt.time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    if isinstance(cell, str):
        match = _CLOCK.fullmatch(cell.strip())
        if match is not None and int(match[1]) < 24 and int(match[2]) < 60:
            return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))
    return _plain(cell)
