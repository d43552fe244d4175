"""The quotes workbench's answers grid: a survey's free-text answers, read a screenful at a time.

Opening the grid asks the core once for the matching answers' rows (``answer_order``: a
response's number and a question's name each, no words) and which answers are tagged; the
answers themselves, with their responses and quotes, are read in blocks of :data:`BLOCK` rows
only when a view asks for a row, and at most :data:`KEEP_BLOCKS` blocks are kept: the grid holds
no parents' words beyond about a screen, so 100,000 answers scroll smoothly and little of them
is ever in memory. A quote change refreshes only the rows it touched, in place: the order is read
again only when the filters change, so an answer tagged under "untagged only" stays on screen
until the chair moves on.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from forumkit.codebooks import Code
from forumkit.quotes import (
    AnswerQuery,
    AnswerRow,
    QuotableAnswer,
    answer_order,
    answers_at,
    free_text_questions,
    tagged_rows,
)
from forumkit.responses import CHOICE_TYPES, AnswerText
from forumkit.surveys import Survey

BLOCK = 32
KEEP_BLOCKS = 3
PREVIEW_CHARS = 160
HEADER_CHARS = 28

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class AnswerColumn:
    """One column of the grid: the answer, its question, codes, review, consent, or one of
    the parent's other answers (an attribute: phase, need, plan…)."""

    key: str
    header: str
    title: str
    attribute: bool = False


def short(text: str, limit: int) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def attribute_questions(survey: Survey) -> list[tuple[str, str]]:
    """The survey's choice questions that describe the parent and child (name, label): the
    grid's attribute columns and the workbench's attribute filter. Consent questions are left
    out (the grid has its own consent column)."""
    consent = {survey.consent_quote, survey.consent_share}
    return [
        (question.name, " ".join(survey.label(question).split()))
        for question in survey.questions
        if question.type in CHOICE_TYPES and question.name not in consent
    ]


def grid_columns(survey: Survey, questions: Iterable[str]) -> list[AnswerColumn]:
    """The answer, its question (when several are shown), codes, review, consent, then one
    column per attribute question."""
    shown = list(questions)
    columns = [AnswerColumn("answer", "Answer", "The parent's words")]
    if len(shown) != 1:
        columns.append(AnswerColumn("question", "Question", "The question answered"))
    columns += [
        AnswerColumn("codes", "Codes", "Codes of the answer's quotes"),
        AnswerColumn("review", "Review", "Whether the answer's quotes are reviewed"),
        AnswerColumn("consent", "Consent", "Consent to quote and to share with inspectors"),
    ]
    for name, label in attribute_questions(survey):
        columns.append(AnswerColumn(name, short(label, HEADER_CHARS), label, attribute=True))
    return columns


def codes_text(answer: QuotableAnswer, codes: dict[str, Code]) -> str:
    """The codes of an answer's quotes, each once, in the order first tagged."""
    labels: dict[str, None] = {}
    for quote in answer.quotes:
        for tag in quote.tags:
            code = codes.get(tag.code_id)
            shortcut = f"{code.shortcut} " if code is not None and code.shortcut else ""
            labels.setdefault(f"{shortcut}{tag.label}")
    return "; ".join(labels)


def review_text(answer: QuotableAnswer) -> str:
    if not answer.quotes:
        return ""
    waiting = sum(1 for quote in answer.quotes if not quote.reviewed)
    return "Reviewed" if not waiting else f"{waiting} to review"


class AnswersTableModel(QAbstractTableModel):
    """A survey's free-text answers matching a query, one row each, in the query's order."""

    def __init__(
        self,
        database: Callable[[], sqlite_utils.Database],
        codes: Callable[[], dict[str, Code]],
    ) -> None:
        super().__init__()
        self._database = database
        self._codes = codes
        self.survey: Survey | None = None
        self.query: AnswerQuery | None = None
        self.columns: list[AnswerColumn] = []
        self._order: list[AnswerRow] = []
        self._tagged: set[AnswerRow] = set()
        self._blocks: OrderedDict[int, list[QuotableAnswer | None]] = OrderedDict()
        self._text: AnswerText | None = None
        self._question_labels: dict[str, str] = {}
        self.blocks_read = 0
        """How many blocks were read from the core (for tests and the benchmark)."""

    # -- what is shown ------------------------------------------------------------------------

    def load(self, survey: Survey | None, query: AnswerQuery | None) -> None:
        """Show ``survey``'s answers matching ``query`` (reads the order from the core)."""
        self.beginResetModel()
        try:
            self._blocks.clear()
            self.survey, self.query = survey, query
            if survey is None or query is None:
                self._order, self._tagged, self.columns = [], set(), []
                self._text = None
                return
            db = self._database()
            self._order = answer_order(db, query)
            self._tagged = tagged_rows(db, survey.id)
            self._text = AnswerText(survey)
            self._question_labels = {
                question.name: " ".join(survey.label(question).split())
                for question in free_text_questions(survey)
            }
            shown = query.questions or tuple(self._question_labels)
            self.columns = grid_columns(survey, shown)
        finally:
            self.endResetModel()

    def reload(self) -> None:
        """Read the order again (responses or quotes changed outside the workbench)."""
        self.load(self.survey, self.query)

    def clear(self) -> None:
        """Forget every answer (the file is locking or closing)."""
        self.load(None, None)
        self._question_labels = {}

    def refresh_rows(self, rows: Iterable[AnswerRow]) -> dict[AnswerRow, bool]:
        """Read these answers again where they are (a quote of theirs changed); returns those
        that became tagged (True) or untagged (False)."""
        wanted = set(rows)
        if not wanted or self.survey is None:
            return {}
        fresh = answers_at(self._database(), wanted)
        flipped: dict[AnswerRow, bool] = {}
        for row in wanted:
            answer = fresh.get(row)
            tagged = answer is not None and answer.tagged
            if tagged != (row in self._tagged):
                flipped[row] = tagged
            if tagged:
                self._tagged.add(row)
            else:
                self._tagged.discard(row)
        for number, block in self._blocks.items():
            for offset in range(len(block)):
                row_number = number * BLOCK + offset
                if row_number < len(self._order) and self._order[row_number] in wanted:
                    block[offset] = fresh.get(self._order[row_number])
                    self.dataChanged.emit(
                        self.index(row_number, 0), self.index(row_number, len(self.columns) - 1)
                    )
        return flipped

    def row_of(self, row: AnswerRow) -> int | None:
        """Where ``row`` is in the grid (None when the filters leave it out)."""
        try:
            return self._order.index(row)
        except ValueError:
            return None

    def row_at(self, number: int) -> AnswerRow | None:
        return self._order[number] if 0 <= number < len(self._order) else None

    def answer_at(self, number: int) -> QuotableAnswer | None:
        """The answer on grid row ``number`` (None when out of range or gone since)."""
        if not 0 <= number < len(self._order):
            return None
        block_number, offset = divmod(number, BLOCK)
        block = self._blocks.get(block_number)
        if block is None:
            block = self._read_block(block_number)
        else:
            self._blocks.move_to_end(block_number)
        return block[offset]

    def _read_block(self, number: int) -> list[QuotableAnswer | None]:
        rows = self._order[number * BLOCK : (number + 1) * BLOCK]
        found = answers_at(self._database(), rows)
        block = [found.get(row) for row in rows]
        self._blocks[number] = block
        self.blocks_read += 1
        while len(self._blocks) > KEEP_BLOCKS:
            self._blocks.popitem(last=False)
        return block

    def is_tagged(self, number: int) -> bool:
        row = self.row_at(number)
        return row is not None and row in self._tagged

    def next_untagged(self, after: int, step: int = 1) -> int | None:
        """The nearest grid row past ``after`` (``step`` 1: below, -1: above) whose answer has
        no tagged quote."""
        number = after + step
        while 0 <= number < len(self._order):
            if self._order[number] not in self._tagged:
                return number
            number += step
        return None

    @property
    def held_answers(self) -> int:
        """How many answers the grid holds in memory now (at most a few screens)."""
        return sum(len(block) for block in self._blocks.values())

    # -- cells --------------------------------------------------------------------------------

    def cell_text(self, answer: QuotableAnswer, column: AnswerColumn) -> str:
        key = column.key
        if column.attribute:
            text = self._text
            return text(key, answer.response.answers.get(key)) if text is not None else ""
        if key == "answer":
            return short(answer.text, PREVIEW_CHARS)
        if key == "question":
            return self._question_labels.get(answer.question, answer.question)
        if key == "codes":
            return codes_text(answer, self._codes())
        if key == "review":
            return review_text(answer)
        return "Yes" if answer.consent else "No"

    # -- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        answer = self.answer_at(index.row())
        column = self.columns[index.column()]
        if answer is None:
            return "(no longer answered)" if column.key == "answer" else ""
        text = self.cell_text(answer, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) > 30 else None
        if role == Qt.ItemDataRole.AccessibleTextRole and not text:
            return f"{column.header}: none"
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.ToolTipRole and horizontal:
            return self.columns[section].title
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.columns[section].header if horizontal else str(section + 1)
