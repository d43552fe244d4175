"""The answers a chair quotes from: every free-text answer of a survey, one row each, for the
app's tagging workbench, filtered by what the chair is working through.

A row is one complete response's answer to one free-text question (``AnswerRow``: the
response's ``seq`` and the question's name, small and free of words). Like the responses table,
browsing is two cheap steps, so a workbench of 100,000 answers stays quick:

1. :func:`answer_order` runs an :class:`AnswerQuery` once and returns only the matching rows,
   responses in the order they came and questions in form order;
2. :func:`answers_at` reads the few answers a screen shows, each with its response (attributes,
   consent) and its quotes.

Which answers are tagged (:func:`tagged_rows`), how far tagging has got
(:func:`tagging_progress`) and how many quotes each code has (:func:`code_counts`) are read
without decoding any answer. Consent is judged by the one gate
(``forumkit.responses.words_may_leave``), never by a second copy of its rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import sqlite_utils

from forumkit.codebooks import resolve_code
from forumkit.quotes.errors import QuoteNotFound
from forumkit.quotes.gate import reasons_to_stay
from forumkit.quotes.model import FREE_TEXT_TYPES, Quote
from forumkit.quotes.search import with_sub_codes
from forumkit.quotes.store import COLUMNS, FROM, ORDER, quotes_from_rows
from forumkit.responses import Response, holds_words, responses_by_seq, words_may_leave
from forumkit.schema.derived import chosen_clause, search_clause
from forumkit.surveys import Question, Survey, get_survey

AnswerProgress = Literal["untagged", "tagged", "unreviewed", "reviewed"]
"""Where an answer stands in the chair's work:

- ``untagged``: none of its quotes has a code (or it has no quote yet);
- ``tagged``: at least one of its quotes has a code;
- ``unreviewed``: at least one of its quotes still waits for a person's review;
- ``reviewed``: it has quotes and every one of them is reviewed."""

ANSWER_PROGRESS: tuple[AnswerProgress, ...] = ("untagged", "tagged", "unreviewed", "reviewed")

_BATCH = 500
_NAME = re.compile(r"^[^\W\d][\w.\-]*$")


class AnswerRow(NamedTuple):
    """One answer in the workbench: the response's ``seq`` and the free-text question."""

    seq: int
    question: str


@dataclass(frozen=True)
class AnswerQuery:
    """Which of a survey's free-text answers to show; every filter given must hold."""

    survey_id: str
    questions: tuple[str, ...] = ()
    """The free-text questions whose answers to show (all of the survey's when empty)."""
    text: str = ""
    """Words the answer holds together and in order, the last one possibly unfinished, case and
    accents aside ("speech ther" finds "Speech therapy"), as the responses' search reads them."""
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Question name → choice names: the respondent picked any of them (the parent's phase,
    need, plan…)."""
    codes: tuple[str, ...] = ()
    """Code references (key, ``codebook/key`` or id): a quote of the answer is tagged with any
    of them or one of their sub-codes."""
    progress: AnswerProgress | None = None
    consent: bool | None = None
    """Whether the parent gave consent to quote and to share (``words_may_leave``)."""


@dataclass(frozen=True)
class QuotableAnswer:
    """One free-text answer as the workbench shows it: the response it belongs to (for the
    parent's other answers and consent), the words, and the quotes made from them."""

    row: AnswerRow
    response: Response = field(repr=False)
    text: str = field(repr=False)
    quotes: tuple[Quote, ...] = ()

    @property
    def question(self) -> str:
        return self.row.question

    @property
    def tagged(self) -> bool:
        """Whether any quote of this answer has a code."""
        return any(quote.tags for quote in self.quotes)

    @property
    def consent(self) -> bool:
        """Whether the parent's words may leave the file at all (``words_may_leave``)."""
        return words_may_leave(self.response)

    def reasons_to_stay(self, quote: Quote) -> tuple[str, ...]:
        """Why one of this answer's quotes may not leave the file (``reasons_to_stay``)."""
        return reasons_to_stay(quote, self.response)

    def quote(self, quote_id: str) -> Quote | None:
        return next((quote for quote in self.quotes if quote.id == quote_id), None)

    def quote_at(self, start: int, end: int) -> Quote | None:
        """This answer's quote of exactly characters ``start``–``end``, if there is one."""
        return next((q for q in self.quotes if (q.start, q.end) == (start, end)), None)

    def quotes_around(self, position: int) -> tuple[Quote, ...]:
        """The quotes that hold the character at ``position`` (most recently made last)."""
        return tuple(q for q in self.quotes if q.start <= position < q.end)


@dataclass(frozen=True)
class TaggingProgress:
    """How far tagging has got: ``tagged`` of ``answers`` answers have a tagged quote."""

    tagged: int
    answers: int


def free_text_questions(survey: Survey) -> list[Question]:
    """The survey's questions whose answers are parents' own words, in form order."""
    return [question for question in survey.questions if question.type in FREE_TEXT_TYPES]


def _questions(survey: Survey, wanted: Sequence[str]) -> list[str]:
    names = [question.name for question in free_text_questions(survey)]
    if not wanted:
        return names
    for name in wanted:
        if name not in names:
            raise ValueError(f"“{name}” is not a free-text question of “{survey.title}”")
    return [name for name in names if name in wanted]


def _base_rows(
    db: sqlite_utils.Database,
    survey: Survey,
    questions: Sequence[str],
    clauses: Sequence[str] = (),
    params: Sequence[object] = (),
    *,
    with_text: bool = False,
) -> list[tuple[int, str, str | None]]:
    """(seq, question, answer or None) of every complete response's non-blank answer to one of
    ``questions``, responses in the order they came, questions in form order."""
    if not questions:
        return []
    for name in questions:
        if not _NAME.match(name):
            raise ValueError(f"{name!r} is not a question name")
    values = ", ".join("(?, ?, ?)" for _ in questions)
    wanted: list[object] = []
    for position, name in enumerate(questions):
        wanted.extend([name, f'$."{name}"', position])
    extra = "".join(f" AND {clause}" for clause in clauses)
    text = "json_extract(r.answers, w.path)" if with_text else "NULL"
    # Only constant SQL and checked question names are formatted in; values are bound.
    sql = (
        f"WITH wanted(name, path, position) AS (VALUES {values}) "  # noqa: S608
        f"SELECT r.seq, w.name, {text} FROM responses r CROSS JOIN wanted w "
        "WHERE r.survey_id = ? AND r.status = 'complete' "
        "AND json_type(r.answers, w.path) = 'text' "
        f"AND trim(json_extract(r.answers, w.path)) <> ''{extra} "
        "ORDER BY r.seq, w.position"
    )
    rows = db.execute(sql, [*wanted, survey.id, *params]).fetchall()
    return [(int(seq), str(name), answer) for seq, name, answer in rows]


def _answer_states(db: sqlite_utils.Database, survey_id: str) -> dict[AnswerRow, tuple[bool, bool]]:
    """For every answer of the survey that has quotes: (tagged, every quote reviewed)."""
    rows = db.execute(
        "SELECT r.seq, q.question, "
        "MAX(EXISTS (SELECT 1 FROM quote_tags t WHERE t.quote_id = q.id)), MIN(q.reviewed) "
        "FROM quotes q JOIN responses r ON r.id = q.response_id WHERE r.survey_id = ? "
        "GROUP BY r.seq, q.question",
        [survey_id],
    ).fetchall()
    return {
        AnswerRow(int(seq), str(question)): (bool(tagged), bool(reviewed))
        for seq, question, tagged, reviewed in rows
    }


def _keeps_progress(state: tuple[bool, bool] | None, progress: AnswerProgress) -> bool:
    tagged = state is not None and state[0]
    if progress == "untagged":
        return not tagged
    if progress == "tagged":
        return tagged
    if progress == "unreviewed":
        return state is not None and not state[1]
    return state is not None and state[1]


def _coded_rows(
    db: sqlite_utils.Database, survey_id: str, references: Sequence[str]
) -> set[AnswerRow]:
    """Answers with a quote tagged with any of the codes (or their sub-codes)."""
    ids = [
        code_id
        for reference in references
        for code_id in with_sub_codes(db, resolve_code(db, reference))
    ]
    marks = ", ".join("?" * len(ids))
    rows = db.execute(
        "SELECT DISTINCT r.seq, q.question FROM quotes q JOIN responses r "  # noqa: S608 (marks)
        "ON r.id = q.response_id JOIN quote_tags t ON t.quote_id = q.id "
        f"WHERE r.survey_id = ? AND t.code_id IN ({marks})",
        [survey_id, *ids],
    ).fetchall()
    return {AnswerRow(int(seq), str(question)) for seq, question in rows}


def _consenting(db: sqlite_utils.Database, survey_id: str) -> set[int]:
    """The ``seq`` of every complete response whose words may leave the file, judged by
    ``words_may_leave`` on each response's consent as the file derives it now (no answer is
    decoded: the gate reads the consent alone)."""
    rows = db.execute(
        "SELECT seq, id, version_id, consent_quote, consent_share FROM responses_with_consent "
        "WHERE survey_id = ? AND status = 'complete'",
        [survey_id],
    ).fetchall()
    return {
        int(seq)
        for seq, response_id, version_id, quote, share in rows
        if words_may_leave(
            Response(
                id=str(response_id),
                survey_id=survey_id,
                version_id=str(version_id),
                status="complete",
                answers={},
                source="",
                modified="",
                consent_quote=None if quote is None else bool(quote),
                consent_share=None if share is None else bool(share),
            )
        )
    }


def answer_order(db: sqlite_utils.Database, query: AnswerQuery) -> list[AnswerRow]:
    """The answers ``query`` finds, responses in the order they came, questions in form order.

    Raises ValueError for a question that is not one of the survey's free-text questions.
    """
    survey = get_survey(db, query.survey_id)
    questions = _questions(survey, query.questions)
    clauses: list[str] = []
    params: list[object] = []
    search = " ".join(query.text.split())
    words = search_clause(search, "r.seq") if search else None
    if words is not None:
        clauses.append(words[0])
        params.extend(words[1])
    for question, choices in query.attributes.items():
        sql, values = chosen_clause(survey.id, question, list(choices), "r.seq")
        clauses.append(sql)
        params.extend(values)
    rows = _base_rows(db, survey, questions, clauses, params, with_text=words is not None)
    if words is not None:
        rows = [row for row in rows if row[2] is not None and holds_words(row[2], search)]
    found = [AnswerRow(seq, question) for seq, question, _ in rows]
    if query.consent is not None:
        consenting = _consenting(db, survey.id)
        found = [row for row in found if (row.seq in consenting) == query.consent]
    if query.codes:
        coded = _coded_rows(db, survey.id, query.codes)
        found = [row for row in found if row in coded]
    if query.progress is not None:
        states = _answer_states(db, survey.id)
        progress = query.progress
        found = [row for row in found if _keeps_progress(states.get(row), progress)]
    return found


def tagged_rows(db: sqlite_utils.Database, survey_id: str) -> set[AnswerRow]:
    """The survey's answers that have at least one tagged quote."""
    rows = db.execute(
        "SELECT DISTINCT r.seq, q.question FROM quotes q JOIN responses r "
        "ON r.id = q.response_id JOIN quote_tags t ON t.quote_id = q.id WHERE r.survey_id = ?",
        [survey_id],
    ).fetchall()
    return {AnswerRow(int(seq), str(question)) for seq, question in rows}


def tagging_progress(
    db: sqlite_utils.Database, survey_id: str, questions: Sequence[str] = ()
) -> TaggingProgress:
    """How many of the survey's answers (to ``questions``; all free-text ones when empty) have
    a tagged quote: "112 of 340 answers tagged"."""
    survey = get_survey(db, survey_id)
    rows = _base_rows(db, survey, _questions(survey, questions))
    tagged = tagged_rows(db, survey_id)
    return TaggingProgress(
        sum(1 for seq, question, _ in rows if AnswerRow(seq, question) in tagged), len(rows)
    )


def answers_at(
    db: sqlite_utils.Database, rows: Iterable[AnswerRow]
) -> dict[AnswerRow, QuotableAnswer]:
    """The answers at ``rows`` that the file still holds (a response deleted since, or an answer
    emptied since, is left out), each with its response and its quotes along the answer."""
    wanted = list(dict.fromkeys(rows))
    responses = responses_by_seq(db, sorted({row.seq for row in wanted}))
    quotes = _quotes_of(db, [response.id for response in responses.values()])
    found: dict[AnswerRow, QuotableAnswer] = {}
    for row in wanted:
        response = responses.get(row.seq)
        if response is None:
            continue
        text = response.answers.get(row.question)
        if not isinstance(text, str) or not text.strip():
            continue
        held = tuple(q for q in quotes.get(response.id, ()) if q.question == row.question)
        found[row] = QuotableAnswer(row, response, text, held)
    return found


def _quotes_of(db: sqlite_utils.Database, response_ids: Sequence[str]) -> dict[str, list[Quote]]:
    """The quotes of these responses, by response, along each answer (read in batches)."""
    found: dict[str, list[Quote]] = {}
    for begin in range(0, len(response_ids), _BATCH):
        batch = list(response_ids[begin : begin + _BATCH])
        marks = ", ".join("?" * len(batch))
        sql = (
            f"SELECT {COLUMNS} FROM {FROM} "  # noqa: S608 (constant SQL and marks)
            f"WHERE q.response_id IN ({marks}) ORDER BY {ORDER}"
        )
        for quote in quotes_from_rows(db, db.execute(sql, batch).fetchall()):
            found.setdefault(quote.response_id, []).append(quote)
    return found


def code_counts(db: sqlite_utils.Database, survey_id: str) -> dict[str, int]:
    """How many of the survey's quotes carry each code, by code id (codes unused are absent)."""
    rows = db.execute(
        "SELECT t.code_id, COUNT(*) FROM quote_tags t JOIN quotes q ON q.id = t.quote_id "
        "JOIN responses r ON r.id = q.response_id WHERE r.survey_id = ? GROUP BY t.code_id",
        [survey_id],
    ).fetchall()
    return {str(code_id): int(count) for code_id, count in rows}


def answer_row_of(db: sqlite_utils.Database, quote_id: str) -> tuple[str, AnswerRow]:
    """The survey and workbench row of the answer a quote was made from (so the app can take
    the chair from a pack's list of quotes to that answer); QuoteNotFound otherwise."""
    row = db.execute(
        "SELECT r.survey_id, r.seq, q.question FROM quotes q JOIN responses r "
        "ON r.id = q.response_id WHERE q.id = ?",
        [quote_id.strip()],
    ).fetchone()
    if row is None:
        raise QuoteNotFound(quote_id.strip())
    return str(row[0]), AnswerRow(int(row[1]), str(row[2]))
