"""Browsing a survey's responses: sort by any field or answer, filter by answers, search text.

The desktop app's responses table shows up to 100,000 responses and must scroll smoothly, so
browsing is split in two cheap steps:

1. :func:`response_order` runs the query once and returns only the matching rows' ``seq``
   numbers (small integers) in display order;
2. :func:`responses_by_seq` reads the few responses a screen shows, by those numbers.

Answers live in one JSON object per response (see ``model``); filters and sorting read it with
SQLite's JSON functions, so nothing is decoded in Python until a row is shown. Every value is a
bound parameter; only constant SQL and checked question names are formatted in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import sqlite_utils

from forumkit.responses.model import Response, Status
from forumkit.responses.store import COLUMNS, READ_FROM, responses_from_rows
from forumkit.schema import derived
from forumkit.surveys import Question, Survey
from forumkit.surveys.validate import Answer

FIELDS: Mapping[str, str] = {
    "added": "seq",
    "status": "status",
    "source": "source",
    "captured_by": "captured_by",
    "respondent": "respondent_key",
    "started": "started",
    "finished": "finished",
    "modified": "modified",
}
"""Response fields a view may sort by, and the column each reads."""

CHOICE_TYPES = frozenset({"select_one", "select_multiple", "rank"})
NUMBER_TYPES = frozenset({"integer", "decimal", "range"})

_NAME = re.compile(r"^[^\W\d][\w.\-]*$")
_IN_BATCH = 500


@dataclass(frozen=True)
class AnswerFilter:
    """Keep the responses whose answer to ``question`` matches ``value``.

    How it matches follows the question's type: a choice question matches when ``value`` (a
    choice name) is picked; a number question when the number is equal; any other question when
    its answer contains ``value`` (ignoring case for ASCII letters). ``value=None`` keeps the
    responses that have no answer to the question.
    """

    question: str
    value: str | int | float | None


@dataclass(frozen=True)
class ResponseQuery:
    """Which of a survey's responses to show, and in which order."""

    status: Status | None = None
    search: str = ""
    """Words to find in any answer (choice labels included), the respondent reference, the
    source or who captured it; or a response id. Words match whole or, the last one, by its
    start, ignoring case and accents: "key work" finds "key worker", not "monkey work"."""
    filters: tuple[AnswerFilter, ...] = ()
    """All must match."""
    sort_field: str = "added"
    """One of :data:`FIELDS`; used when ``sort_question`` is empty."""
    sort_question: str = ""
    """Sort by the answer to this question (choices in the survey's order; no answer last)."""
    descending: bool = False


def _path(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"{name!r} is not a question name")
    return f'$."{name}"'


def _question(survey: Survey, name: str) -> Question:
    for question in survey.questions:
        if question.name == name:
            return question
    raise ValueError(f"the survey “{survey.title}” has no question named {name!r}")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def choice_labels(survey: Survey, question: Question) -> dict[str, str]:
    """A choice question's choices, name → label in the survey's default language, in order."""
    return survey.choice_labels(question)


def _filter_sql(survey: Survey, wanted: AnswerFilter) -> tuple[str, list[object]]:
    question = _question(survey, wanted.question)
    path = _path(question.name)
    if wanted.value is None:
        return "json_type(answers, ?) IS NULL", [path]
    if question.type in CHOICE_TYPES:
        return derived.chosen_clause(survey.id, question.name, [str(wanted.value)])
    if question.type in NUMBER_TYPES:
        try:
            number = float(wanted.value)
        except ValueError as error:
            raise ValueError(f"{wanted.value!r} is not a number") from error
        return "json_extract(answers, ?) = ?", [path, number]
    return "json_extract(answers, ?) LIKE ? ESCAPE '\\'", [path, _like(str(wanted.value))]


def _search_sql(survey: Survey, search: str) -> tuple[str, list[object]]:
    """Words in any answer, the respondent reference, the source or who captured it (the search
    index, ``forumkit.schema.derived``); a choice whose label contains the text; or an id."""
    clauses = ["id = ?"]
    params: list[object] = [search]
    words = derived.search_clause(search)
    if words is not None:
        clauses.append(words[0])
        params.extend(words[1])
    folded = search.casefold()
    for question in survey.questions:
        if question.type not in CHOICE_TYPES:
            continue
        names = [
            n for n, label in choice_labels(survey, question).items() if folded in label.casefold()
        ]
        if names:
            sql, values = derived.chosen_clause(survey.id, question.name, names)
            clauses.append(sql)
            params.extend(values)
    return "(" + " OR ".join(clauses) + ")", params


def _where(survey: Survey, query: ResponseQuery) -> tuple[str, list[object]]:
    clauses = ["survey_id = ?"]
    params: list[object] = [survey.id]
    if query.status is not None:
        clauses.append("status = ?")
        params.append(query.status)
    for wanted in query.filters:
        sql, values = _filter_sql(survey, wanted)
        clauses.append(sql)
        params.extend(values)
    search = " ".join(query.search.split())
    if search:
        sql, values = _search_sql(survey, search)
        clauses.append(sql)
        params.extend(values)
    return " AND ".join(clauses), params


def _order_sql(survey: Survey, query: ResponseQuery) -> tuple[str, list[object]]:
    direction = "DESC" if query.descending else "ASC"
    if not query.sort_question:
        if query.sort_field not in FIELDS:
            raise ValueError(f"responses cannot be sorted by {query.sort_field!r}")
        column = FIELDS[query.sort_field]
        if column == "seq":
            return f"seq {direction}", []
        return f"{column} IS NULL, {column} {direction}, seq {direction}", []
    question = _question(survey, query.sort_question)
    path = _path(question.name)
    if question.type == "select_one":
        names = list(choice_labels(survey, question))
        if names:
            cases = " ".join("WHEN ? THEN ?" for _ in names)
            key = f"CASE json_extract(answers, ?) {cases} ELSE {len(names)} END"
            params: list[object] = [path]
            for position, name in enumerate(names):
                params.extend([name, position])
            return (
                f"json_type(answers, ?) IS NULL, {key} {direction}, "
                f"json_extract(answers, ?) {direction}, seq {direction}",
                [path, *params, path],
            )
    return (
        f"json_type(answers, ?) IS NULL, json_extract(answers, ?) {direction}, seq {direction}",
        [path, path],
    )


def response_order(db: sqlite_utils.Database, survey: Survey, query: ResponseQuery) -> list[int]:
    """The ``seq`` numbers of ``survey``'s responses that match ``query``, in display order.

    Raises ValueError for a question the survey does not have or an unknown sort field.
    """
    where, params = _where(survey, query)
    order, order_params = _order_sql(survey, query)
    # Only constant SQL and checked names are formatted in; every value is a bound parameter.
    sql = f"SELECT seq FROM responses WHERE {where} ORDER BY {order}"  # noqa: S608
    return [row[0] for row in db.execute(sql, [*params, *order_params]).fetchall()]


def count_matching(db: sqlite_utils.Database, survey: Survey, query: ResponseQuery) -> int:
    """How many of ``survey``'s responses match ``query``."""
    where, params = _where(survey, query)
    sql = f"SELECT COUNT(*) FROM responses WHERE {where}"  # noqa: S608 (values are bound)
    count: int = db.execute(sql, params).fetchone()[0]
    return count


def choice_counts(
    db: sqlite_utils.Database, survey: Survey, question: str, *, status: Status | None = "complete"
) -> dict[str, int]:
    """How many of ``survey``'s responses (complete ones by default) picked each choice of a
    choice question, in the survey's order of choices; choices nobody picked count 0.

    Read from the chosen-options index (``forumkit.schema.derived``), not from the answers'
    JSON, so it stays quick at 100,000 responses. A choice no longer in the survey but still in
    old answers is counted after the survey's own.
    """
    wanted = _question(survey, question)
    if wanted.type not in CHOICE_TYPES:
        raise ValueError(f"“{question}” is not a choice question")
    counts = dict.fromkeys(choice_labels(survey, wanted), 0)
    sql, params = derived.chosen_counts_sql(survey.id, wanted.name)
    if status is not None:
        sql = f"{sql} AND seq IN (SELECT seq FROM responses WHERE status = ?)"  # noqa: S608
        params.append(status)
    for choice, number in db.execute(f"{sql} GROUP BY choice", params).fetchall():
        counts[str(choice)] = int(number)
    return counts


def responses_by_seq(db: sqlite_utils.Database, seqs: Sequence[int]) -> dict[int, Response]:
    """The responses with these ``seq`` numbers (those still in the file), by number."""
    found: dict[int, Response] = {}
    for start in range(0, len(seqs), _IN_BATCH):
        batch = list(seqs[start : start + _IN_BATCH])
        marks = ", ".join("?" for _ in batch)
        sql = f"SELECT seq, {COLUMNS} FROM {READ_FROM} WHERE seq IN ({marks})"  # noqa: S608
        rows = db.execute(sql, batch).fetchall()
        responses = responses_from_rows(db, [row[1:] for row in rows])
        found.update(zip((int(row[0]) for row in rows), responses, strict=True))
    return found


class AnswerText:
    """Answers as a person reads them: choice labels, not names; one line per answer."""

    def __init__(self, survey: Survey) -> None:
        self.labels = {
            question.name: choice_labels(survey, question)
            for question in survey.questions
            if question.type in CHOICE_TYPES
        }

    def __call__(self, name: str, answer: Answer | None) -> str:
        if answer is None:
            return ""
        labels = self.labels.get(name)
        if labels is not None:
            names: Iterable[str] = answer if isinstance(answer, tuple) else (str(answer),)
            return "; ".join(labels.get(choice, choice) for choice in names)
        if isinstance(answer, bool):
            return "OK" if answer else ""
        if isinstance(answer, dt.datetime):
            return answer.strftime("%Y-%m-%d %H:%M")
        if isinstance(answer, dt.date | dt.time):
            return answer.isoformat()
        if isinstance(answer, tuple):
            return "; ".join(answer)
        return " ".join(str(answer).split())
