"""Applying a quotes spreadsheet (``sheet_export``'s layout) that a chair tagged in Excel or
LibreOffice: codes, redacted texts and reviewed flags. All or nothing.

Each row of the ``Quotes`` sheet is read by its headers (the first columns; any other columns,
such as ``consent to share``, ``suggested codes`` and the attributes, are ignored):

- a row **with** a quote id updates that quote: its codes become the ``codes`` cell's (empty:
  none), its redacted text the ``redacted text`` cell's, its reviewed flag the ``reviewed``
  cell's. Its ``text`` must still be the words of the answer it quotes: if the answer was
  corrected meanwhile, a quote whose words now stand elsewhere follows them; a ``text`` that is
  now the whole corrected answer makes it a quote of the whole answer (to be redacted and
  reviewed again unless the row says otherwise); anything else is a problem.
- a row **without** one becomes a whole-answer quote of that response and question, once the
  chair did something with it: gave codes, said reviewed, or changed the redacted text. Its
  ``text`` must be the answer, or a part of it found exactly once (then that part is quoted).
  A row left as exported stays an answer to quote later. The same row imported twice is one
  quote (its id comes from the span), so importing a sheet again changes nothing more.

Every problem is reported by row and column (unknown code keys, unknown response ids, a text
that no longer matches the answer, a reviewed cell that is neither yes nor no, …), and with any
problem nothing is applied. Redacted texts are scanned again; what still looks identifying is
reported as a warning naming only its kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from forumkit import audit
from forumkit.codebooks import Code, CodebookError
from forumkit.quotes.deny import deny_list
from forumkit.quotes.edit import (
    NewQuote,
    check_span,
    clean_redacted_text,
    codes_for_tagging,
    insert_quote,
    nearest,
    new_quote_id,
    quotable_answer,
    same_span,
    write_review,
    write_span,
    write_tags,
)
from forumkit.quotes.errors import (
    QuoteError,
    QuotesSheetRejected,
    SheetProblem,
)
from forumkit.quotes.model import Quote
from forumkit.quotes.sheet_export import (
    CODES,
    NO,
    QUESTION,
    QUOTE_ID,
    REDACTED,
    RESPONSE_ID,
    REVIEWED,
    TEXT,
    YES,
    proposal_digest,
)
from forumkit.quotes.sheet_read import SheetRow, read_quotes_sheet
from forumkit.quotes.store import get_quote, quotes_by_id
from forumkit.redaction import DenyTerm, propose, rescan
from forumkit.responses import Response, responses_by_id, survey_for_version
from forumkit.surveys import Survey
from forumkit.wording import plural

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

IMPORTED = "quotes_imported"
YES_WORDS = frozenset({"yes", "y", "true", "1"})
NO_WORDS = frozenset({"no", "n", "false", "0", ""})
CODE_SEPARATORS = re.compile(r"[,;\n]")


@dataclass(frozen=True)
class QuotesImport:
    """What applying a quotes spreadsheet did."""

    created: int
    updated: int
    unchanged: int
    left: int
    """Answers not quoted yet whose rows were left as exported: still to quote."""
    quote_ids: tuple[str, ...]
    """The quotes made or changed."""
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _Planned:
    """What one row will do: update ``quote`` or make ``new``."""

    row: int
    codes: tuple[Code, ...]
    redacted_text: str = field(repr=False)
    reviewed: bool
    quote: Quote | None = None
    new: NewQuote | None = None
    span: tuple[int, int, str | None] | None = None
    """For an update: the quote's new start and end, and its new words (None: the same)."""


# -- checking each row --------------------------------------------------------------------------


def _same_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _places(answer: str, words: str) -> list[tuple[int, int]]:
    """Where ``words`` stand in ``answer`` (any line ending matching any other)."""
    pieces = _same_lines(words).split("\n")
    pattern = re.compile("(?=(" + r"(?:\r\n|\r|\n)".join(map(re.escape, pieces)) + "))")
    return [(m.start(1), m.end(1)) for m in pattern.finditer(answer)]


class _TextProblem(Exception):
    """A row's text that does not fit its quote, and why."""


class _Checker:
    """Checks the rows one by one, collecting every problem and what each good row will do."""

    def __init__(
        self, workspace: Workspace, survey: Survey, proposals: dict[tuple[str, str], str]
    ) -> None:
        self.db = workspace.db
        self.survey = survey
        self.deny: tuple[DenyTerm, ...] = deny_list(self.db)
        self.problems: list[SheetProblem] = []
        self.planned: list[_Planned] = []
        self.left = 0
        self._seen_quotes: dict[str, int] = {}
        self._seen_spans: dict[tuple[str, str, int, int], int] = {}
        self._quotes: dict[str, Quote] = {}
        self._responses: dict[str, Response] = {}
        self._versions: dict[str, Survey] = {}
        self._proposals = proposals

    def preload(self, rows: Sequence[SheetRow]) -> None:
        """Read the quotes and responses the rows name in a few batches, not one by one."""
        self._quotes = quotes_by_id(self.db, (r[QUOTE_ID].strip() for r in rows))
        ids = [r[RESPONSE_ID].strip() for r in rows]
        ids += [quote.response_id for quote in self._quotes.values()]
        self._responses = responses_by_id(self.db, ids)

    def _answer(self, response: Response, question: str) -> str:
        version = self._versions.get(response.version_id)
        if version is None:
            version = survey_for_version(self.db, response.version_id)
            self._versions[response.version_id] = version
        return quotable_answer(self.db, response, question, version)

    def problem(self, row: SheetRow, column: str, reason: str) -> None:
        self.problems.append(SheetProblem(row.number, column, reason))

    def check(self, row: SheetRow) -> None:
        codes = self._codes(row)
        reviewed = self._reviewed(row)
        redacted = self._redacted(row)
        if row[QUOTE_ID].strip():
            self._existing(row, codes, reviewed, redacted)
        else:
            self._new(row, codes, reviewed, redacted)

    def _codes(self, row: SheetRow) -> tuple[Code, ...] | None:
        found: dict[str, Code] = {}
        ok = True
        for reference in (r.strip() for r in CODE_SEPARATORS.split(row[CODES])):
            if not reference:
                continue
            try:
                for code in codes_for_tagging(self.db, [reference]):
                    found.setdefault(code.id, code)
            except (CodebookError, QuoteError) as error:
                self.problem(row, CODES, str(error))
                ok = False
        return tuple(found.values()) if ok else None

    def _reviewed(self, row: SheetRow) -> bool | None:
        word = row[REVIEWED].strip().lower()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        self.problem(row, REVIEWED, f"must be {YES} or {NO}.")
        return None

    def _redacted(self, row: SheetRow) -> str | None:
        try:
            return clean_redacted_text(row[REDACTED])
        except QuoteError as error:
            self.problem(row, REDACTED, str(error))
            return None

    def _response(self, row: SheetRow) -> Response | None:
        reference = row[RESPONSE_ID].strip()
        if not reference:
            self.problem(row, RESPONSE_ID, "is empty: every row names the response it quotes.")
            return None
        response = self._responses.get(reference)
        if response is None:
            self.problem(
                row,
                RESPONSE_ID,
                f"no response {reference} is in this forum file (deleted or erased since?).",
            )
            return None
        if response.survey_id != self.survey.id:
            self.problem(
                row, RESPONSE_ID, f"is a response to another survey, not “{self.survey.form_id}”."
            )
            return None
        if response.status != "complete":
            self.problem(row, RESPONSE_ID, "is an unfinished draft; complete it first.")
            return None
        return response

    def _as_exported(self, response_id: str, question: str, answer: str, redacted: str) -> bool:
        """Whether a row's redacted text is still forumkit's proposal from the export (told by
        the digest the export kept; by proposing again for a sheet without one)."""
        digest = self._proposals.get((response_id, question))
        if digest is not None:
            return proposal_digest(response_id, question, redacted) == digest
        return redacted == propose(answer, self.deny).redacted_text

    def _existing(
        self,
        row: SheetRow,
        codes: tuple[Code, ...] | None,
        reviewed: bool | None,
        redacted: str | None,
    ) -> None:
        quote_id = row[QUOTE_ID].strip()
        quote = self._quotes.get(quote_id)
        if quote is None or quote.survey_id != self.survey.id:
            where = "in this forum file" if quote is None else f"of “{self.survey.form_id}”"
            self.problem(row, QUOTE_ID, f"no quote {quote_id} is {where} (deleted since?).")
            return
        if quote.id in self._seen_quotes:
            self.problem(row, QUOTE_ID, f"repeats row {self._seen_quotes[quote.id]}.")
            return
        self._seen_quotes[quote.id] = row.number
        if row[RESPONSE_ID].strip() != quote.response_id:
            self.problem(row, RESPONSE_ID, f"is not the response of quote {quote.id}.")
            return
        if row[QUESTION].strip() != quote.question:
            self.problem(row, QUESTION, f"is not the question of quote {quote.id}.")
            return
        try:
            span = self._existing_span(row, quote)
        except _TextProblem as error:
            self.problem(row, TEXT, str(error))
            return
        if codes is None or reviewed is None or redacted is None:
            return
        if span is not None and span[2] is not None and redacted == quote.redacted_text:
            # New words, and the row kept the old redaction: propose one for the new words.
            redacted = propose(span[2], self.deny).redacted_text
        self.planned.append(_Planned(row.number, codes, redacted, reviewed, quote=quote, span=span))

    def _existing_span(self, row: SheetRow, quote: Quote) -> tuple[int, int, str | None] | None:
        """None: the quote stays where it is; a span: it moves there (_TextProblem: neither)."""
        text = _same_lines(row[TEXT])
        if text == _same_lines(quote.text) and quote.state == "current":
            return None
        try:
            answer = self._answer(self._responses[quote.response_id], quote.question)
        except QuoteError:
            answer = ""
        if text == _same_lines(quote.text) and quote.state == "moved":
            start = nearest(answer, quote.text, quote.start)
            if start is not None:
                return (start, start + len(quote.text), None)
        if answer and text == _same_lines(answer):
            return (0, len(answer), answer)
        if text == _same_lines(quote.text):
            raise _TextProblem(
                "the answer was corrected after this quote was made and no longer holds it."
            )
        raise _TextProblem(
            "differs from the quote's words; to quote other words, add a row without a quote id."
        )

    def _new(
        self,
        row: SheetRow,
        codes: tuple[Code, ...] | None,
        reviewed: bool | None,
        redacted: str | None,
    ) -> None:
        response = self._response(row)
        if response is None:
            return
        question = row[QUESTION].strip()
        try:
            answer = self._answer(response, question)
        except QuoteError as error:
            self.problem(row, QUESTION, str(error))
            return
        text = row[TEXT]
        if _same_lines(text) == _same_lines(answer):
            start, end = 0, len(answer)
        else:
            places = _places(answer, text) if text.strip() else []
            if len(places) != 1:
                reason = (
                    "no longer matches the answer (corrected since the spreadsheet was made?)"
                    if not places
                    else f"is found {plural(len(places), 'time')} in the answer; quote the whole "
                    "answer or a part found once"
                )
                self.problem(row, TEXT, f"{reason}.")
                return
            start, end = places[0]
            try:
                check_span(answer, start, end)
            except QuoteError as error:
                self.problem(row, TEXT, str(error))
                return
        if codes is None or reviewed is None or redacted is None:
            return
        part = (start, end) != (0, len(answer))
        words = answer[start:end]
        if self._as_exported(response.id, question, answer, redacted):
            if not part and not codes and not reviewed:
                self.left += 1
                return
            # The reviewer kept forumkit's proposal: propose afresh for the words quoted, with
            # the deny-list as it is now.
            redacted = propose(words, self.deny).redacted_text
        key = (response.id, question, start, end)
        if key in self._seen_spans:
            self.problem(row, TEXT, f"quotes the same words as row {self._seen_spans[key]}.")
            return
        self._seen_spans[key] = row.number
        held = same_span(self.db, response.id, question, start, end)
        if held is not None:
            quote = get_quote(self.db, held)
            if quote.id in self._seen_quotes:
                self.problem(
                    row, TEXT, f"quotes the same words as row {self._seen_quotes[quote.id]}."
                )
                return
            self._seen_quotes[quote.id] = row.number
            self.planned.append(_Planned(row.number, codes, redacted, reviewed, quote=quote))
            return
        new = NewQuote(
            new_quote_id(self.db, response.id, question, start, end),
            response.id,
            question,
            start,
            end,
            words,
        )
        self.planned.append(_Planned(row.number, codes, redacted, reviewed, new=new))


# -- applying -----------------------------------------------------------------------------------


def import_quotes(
    workspace: Workspace,
    survey: Survey,
    path: Path,
    *,
    password: str | None = None,
    by: str | None = None,
) -> QuotesImport:
    """Apply a quotes spreadsheet to ``survey``'s quotes in one transaction (module
    docstring); raises QuotesSheetRejected with every problem, changing nothing.

    ``by`` is recorded as who tagged and reviewed (default ``spreadsheet:FILE``).
    """
    path = Path(path)
    sheet = read_quotes_sheet(path, survey, password)
    checker = _Checker(workspace, survey, sheet.proposals)
    checker.preload(sheet.rows)
    for row in sheet.rows:
        checker.check(row)
    if checker.problems:
        raise QuotesSheetRejected(path, checker.problems)
    who = by or f"spreadsheet:{path.name}"
    db = workspace.db
    changing = [planned for planned in checker.planned if _changes(planned)]
    unchanged = len(checker.planned) - len(changing)
    created = [p.new.id for p in changing if p.new is not None]
    updated = [p.quote.id for p in changing if p.quote is not None]
    warnings = [warning for p in changing for warning in _still_detected(p, checker.deny)]
    if changing:
        with workspace.transaction(IMPORTED) as change:
            for planned in changing:
                _apply(db, planned, who)
            audit.record(
                db,
                IMPORTED,
                {"created": len(created), "updated": len(updated), "unchanged": unchanged},
                [survey.id, *created, *updated],
            )
            change.touch("quotes", *created, *updated)
    return QuotesImport(
        len(created),
        len(updated),
        unchanged,
        checker.left,
        (*created, *updated),
        tuple(warnings),
    )


def _changes(planned: _Planned) -> bool:
    """Whether applying the row would change anything."""
    quote = planned.quote
    if quote is None:
        return True
    return (
        planned.span is not None
        or {code.id for code in planned.codes} != quote.code_ids
        or planned.redacted_text != quote.redacted_text
        or planned.reviewed != quote.reviewed
    )


def _apply(db: sqlite_utils.Database, planned: _Planned, by: str) -> None:
    """Carry out one row inside the transaction."""
    if planned.new is not None:
        new = planned.new
        insert_quote(
            db,
            new,
            planned.redacted_text,
            edited=planned.redacted_text != propose(new.text, deny_list(db)).redacted_text,
            reviewed=planned.reviewed,
            by=by,
        )
        write_tags(db, new.id, planned.codes, [], by)
        return
    quote = planned.quote
    if quote is None:
        raise ValueError("a planned row updates a quote or makes one")
    wanted = {code.id for code in planned.codes}
    adding = [code for code in planned.codes if code.id not in quote.code_ids]
    removing = [code_id for code_id in quote.code_ids if code_id not in wanted]
    if planned.span is not None:
        write_span(db, quote.id, *planned.span)
        quote = get_quote(db, quote.id)
    if adding or removing:
        write_tags(db, quote.id, adding, removing, by)
    if planned.redacted_text != quote.redacted_text or planned.reviewed != quote.reviewed:
        write_review(db, quote, planned.redacted_text, planned.reviewed, by)


def _still_detected(planned: _Planned, deny: tuple[DenyTerm, ...]) -> list[str]:
    found = rescan(planned.redacted_text, deny)
    if found.is_clean:
        return []
    kinds = sorted({span.kind.token for span in found.spans})
    return [
        f"Row {planned.row}, column “{REDACTED}”: still holds what looks like "
        f"{', '.join(kinds)}; check it before the quote leaves the file."
    ]
