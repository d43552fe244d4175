"""The responses table's model: a survey's responses, read from the core a screenful at a time.

Opening the table asks the core once for the matching responses' row numbers in display order
(``forumkit.responses.response_order``: small integers, about 70 ms for 100,000
responses); the responses themselves are read in blocks of :data:`BLOCK` rows only when a view
asks for a row, and at most :data:`KEEP_BLOCKS` blocks are kept. Jumping to the last row of
100,000 reads one block, not 100,000 rows. Sorting and filtering re-run the one order query.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlite_utils
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from forumkit.responses import (
    AnswerText,
    Response,
    ResponseQuery,
    response_order,
    responses_by_seq,
)
from forumkit.surveys import Survey

BLOCK = 100
KEEP_BLOCKS = 40

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class TableColumn:
    """One column the chair may show: a response field, or a question's answer."""

    key: str
    """A field of ``forumkit.responses.FIELDS``, or a question's name."""
    header: str
    question: bool = False
    label: str = ""
    """The question's whole label (the header may be shortened)."""

    @property
    def title(self) -> str:
        return self.label or self.header


FIELD_COLUMNS = (
    TableColumn("started", "Started"),
    TableColumn("status", "Status"),
    TableColumn("source", "Source"),
    TableColumn("captured_by", "Captured by"),
    TableColumn("finished", "Finished"),
    TableColumn("modified", "Last changed"),
    TableColumn("respondent", "Respondent reference"),
)
DEFAULT_FIELDS = frozenset({"started", "status", "source"})
HEADER_CHARS = 40


def question_columns(survey: Survey) -> list[TableColumn]:
    """One column per question that takes an answer (metadata such as start/end left out)."""
    columns = []
    for question in survey.questions:
        if not question.takes_answer or question.is_metadata:
            continue
        label = " ".join(survey.label(question).split())
        header = label
        if len(header) > HEADER_CHARS:
            header = header[: HEADER_CHARS - 1].rstrip() + "…"
        columns.append(TableColumn(question.name, header, question=True, label=label))
    return columns


def all_columns(survey: Survey) -> list[TableColumn]:
    return [*FIELD_COLUMNS, *question_columns(survey)]


def default_columns(survey: Survey) -> list[TableColumn]:
    return [c for c in all_columns(survey) if c.question or c.key in DEFAULT_FIELDS]


def when_text(iso: str | None) -> str:
    """An ISO time as "2026-03-02 10:00" (what a person reads; seconds and zone left out)."""
    return (iso or "")[:16].replace("T", " ")


def source_text(source: str) -> str:
    """Where a response came from, in words."""
    if source == "entered":
        return "Typed in"
    if source == "kiosk":
        return "Kiosk"
    if source.startswith("import:"):
        _, kind, *name = source.split(":", 2)
        return f"Import: {name[0]}" if name and name[0] else f"Import ({kind})"
    return source


def status_text(response: Response) -> str:
    if response.status == "complete":
        return "Complete"
    return "Unfinished (kiosk)" if response.source == "kiosk" else "Draft"


def describe(response: Response) -> str:
    """A response named for a confirmation: "the response from <date>, source <source>"."""
    when = when_text(response.started or response.modified)
    return f"the response from {when}, source {source_text(response.source)}"


class ResponsesTableModel(QAbstractTableModel):
    """A survey's responses matching a query, one row each, in the query's order."""

    def __init__(self, database: Callable[[], sqlite_utils.Database]) -> None:
        super().__init__()
        self._database = database
        self.survey: Survey | None = None
        self.query = ResponseQuery()
        self.columns: list[TableColumn] = []
        self._order: list[int] = []
        self._blocks: OrderedDict[int, list[Response | None]] = OrderedDict()
        self._text: AnswerText | None = None
        self.blocks_read = 0
        """How many blocks were read from the core (for tests and the benchmark)."""

    # -- what is shown ------------------------------------------------------------------------

    def load(
        self,
        survey: Survey | None,
        query: ResponseQuery | None = None,
        columns: Sequence[TableColumn] | None = None,
    ) -> None:
        """Show ``survey``'s responses matching ``query`` (re-reads the order from the core)."""
        self.beginResetModel()
        try:
            if survey is None or self.survey is None or survey.version_id != self.survey.version_id:
                self._text = AnswerText(survey) if survey is not None else None
            self.survey = survey
            if query is not None:
                self.query = query
            if columns is not None:
                self.columns = list(columns)
            self._blocks.clear()
            self._order = (
                response_order(self._database(), survey, self.query) if survey is not None else []
            )
        finally:
            self.endResetModel()

    def reload(self) -> None:
        """Read the order again (after responses were added, changed or deleted)."""
        self.load(self.survey)

    def clear(self) -> None:
        """Forget every response (the file is locking or closing)."""
        self.beginResetModel()
        self.survey = None
        self._text = None
        self._order = []
        self._blocks.clear()
        self.endResetModel()

    def set_columns(self, columns: Sequence[TableColumn]) -> None:
        self.beginResetModel()
        self.columns = list(columns)
        self.endResetModel()

    def response_at(self, row: int) -> Response | None:
        """The response on ``row`` (None when out of range or deleted since)."""
        if not 0 <= row < len(self._order):
            return None
        number, offset = divmod(row, BLOCK)
        block = self._blocks.get(number)
        if block is None:
            block = self._read_block(number)
        else:
            self._blocks.move_to_end(number)
        return block[offset]

    def _read_block(self, number: int) -> list[Response | None]:
        seqs = self._order[number * BLOCK : (number + 1) * BLOCK]
        found = responses_by_seq(self._database(), seqs)
        block = [found.get(seq) for seq in seqs]
        self._blocks[number] = block
        self.blocks_read += 1
        while len(self._blocks) > KEEP_BLOCKS:
            self._blocks.popitem(last=False)
        return block

    def cell_text(self, response: Response, column: TableColumn) -> str:
        if column.question:
            text = self._text
            return text(column.key, response.answers.get(column.key)) if text else ""
        key = column.key
        if key == "status":
            return status_text(response)
        if key == "source":
            return source_text(response.source)
        if key in ("started", "finished", "modified"):
            return when_text(getattr(response, key))
        value = getattr(response, key, None)
        return "" if value is None else str(value)

    # -- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        response = self.response_at(index.row())
        if response is None:
            return "(deleted)" if index.column() == 0 else ""
        text = self.cell_text(response, self.columns[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) > 30 else None
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and not 0 <= section < len(self.columns):
            return None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole) and horizontal:
            return self.columns[section].title  # the whole question, not the shortened header
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.columns[section].header if horizontal else str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (the core orders; no answer comes last)."""
        if self.survey is None or not 0 <= column < len(self.columns):
            return
        chosen = self.columns[column]
        query = replace(
            self.query,
            sort_field=chosen.key if not chosen.question else "added",
            sort_question=chosen.key if chosen.question else "",
            descending=order == Qt.SortOrder.DescendingOrder,
        )
        if query != self.query:
            self.load(self.survey, query)
