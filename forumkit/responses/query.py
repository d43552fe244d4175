"""Reading responses: the one query API the app, the command line and the other core modules use.

Every read of stored responses goes through here: one response (:func:`get_response`), some
by id (:func:`responses_by_id`), one respondent's (:func:`respondent_responses`), a survey's
responses in the order they were added (:func:`list_responses`, :func:`count_responses`), and,
for the app's table of up to 100,000, two cheap steps:

1. :func:`response_order` runs the query once and returns only the matching rows' ``seq``
   numbers (small integers) in display order;
2. :func:`responses_by_seq` reads the few responses a screen shows, by those numbers.

Which responses, in which order, is one value, :class:`ResponseQuery` (status, words to find,
answer filters, sort), and one function turns it into SQL, so a search finds the same responses
in the table, in a count, in the command line and in a test. :func:`list_responses` and
:func:`count_responses` take its common part (a status, words to find) as keywords.

Responses are read from the view ``responses_with_consent``, so their consent is derived afresh
(see ``forumkit.schema.m004_identity``). Answers live in one JSON object per response (see
``model``): filters and sorting read it with SQLite's JSON functions, and search and choice
filters use the indexes that are never saved (``forumkit.schema.derived``), so nothing is
decoded in Python until a row is shown. Every value is a bound parameter; only constant SQL and
checked question names are formatted in.

Rows are read with sqlite-utils (``rows_where``, ``count_where``). SQL is written by hand only
for what those cannot say: sorting (:func:`response_order` binds parameters in its ``ORDER BY``:
choices sort in the survey's order) and counting picks per choice (:func:`choice_counts`, a
``GROUP BY`` over the chosen-options index).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from forumkit.responses.errors import ResponseNotFound, ResponseSurveyMismatch
from forumkit.responses.model import Response, Status, decode_answers, respondent_key
from forumkit.schema import derived
from forumkit.surveys import Question, Survey, get_survey
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

_COLUMNS = (
    "id, survey_id, version_id, status, source, source_key, respondent, captured_by, device_id, "
    "started, finished, modified, consent_quote, consent_share, answers"
)
_READ_FROM = "responses_with_consent"
"""What responses are read from: the table with each response's consent derived afresh."""

_NAME = re.compile(r"^[^\W\d][\w.\-]*$")
_IN_BATCH = 500
_WORD = re.compile(r"[^\W_]+")


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


# -- one response, or one respondent's --------------------------------------------------------


def survey_for_version(db: sqlite_utils.Database, version_id: str) -> Survey:
    """The survey at the version a response was captured with."""
    rows = db.table("survey_versions").rows_where(
        "id = ?", [version_id], select="survey_id, version"
    )
    row = next(rows, None)
    if row is None:
        raise ResponseSurveyMismatch(
            f"The survey version “{version_id}” is not in this forum file."
        )
    return get_survey(db, str(row["survey_id"]), int(row["version"]))


def get_response(
    db: sqlite_utils.Database, response_id: str, *, survey: Survey | None = None
) -> Response:
    """One response by id; raises ResponseNotFound.

    ``survey``: the survey version the caller already holds (one just saved with), so it is not
    read again; a response of another version reads its own.
    """
    found = _read(db, "id = ?", [response_id], surveys=_SurveyCache(db, survey))
    if not found:
        raise ResponseNotFound(response_id)
    return found[0]


def responses_by_id(db: sqlite_utils.Database, ids: Iterable[str]) -> dict[str, Response]:
    """The responses with these ids that the file holds, by id (read in batches, so asking for
    many never binds more than a few hundred values at once)."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, Response] = {}
    surveys = _SurveyCache(db)
    for start in range(0, len(wanted), _IN_BATCH):
        batch: list[object] = list(wanted[start : start + _IN_BATCH])
        marks = ", ".join("?" for _ in batch)
        for response in _read(db, f"id IN ({marks})", batch, surveys=surveys):
            found[response.id] = response
    return found


def respondent_responses(db: sqlite_utils.Database, reference: str) -> list[Response]:
    """Every response recorded with this respondent reference (matched trimmed and
    case-insensitively), in the order they were added."""
    key = respondent_key(reference)
    if key is None:
        return []
    return _read(db, "respondent_key = ?", [key], order_by="seq")


# -- a survey's responses ---------------------------------------------------------------------


def list_responses(
    db: sqlite_utils.Database,
    survey_id: str,
    *,
    status: Status | None = None,
    search: str | None = None,
    offset: int = 0,
    limit: int | None = 100,
) -> list[Response]:
    """A page of a survey's responses in the order they were added (``limit=None``: all).

    ``status`` and ``search`` mean what they mean in :class:`ResponseQuery`.
    """
    query = ResponseQuery(status=status, search=search or "")
    where, params = _where(db, survey_id, query)
    return _read(db, where, params, order_by="seq", limit=limit, offset=offset or None)


def response_ids(db: sqlite_utils.Database, survey_id: str) -> list[str]:
    """The ids of all a survey's responses, in the order they were added (nothing decoded: for
    removing a survey with its responses)."""
    rows = db.table("responses").rows_where(
        "survey_id = ?", [survey_id], order_by="seq", select="id"
    )
    return [str(row["id"]) for row in rows]


def count_responses(
    db: sqlite_utils.Database,
    survey_id: str,
    *,
    status: Status | None = None,
    search: str | None = None,
) -> int:
    """How many responses :func:`list_responses` would give without paging."""
    query = ResponseQuery(status=status, search=search or "")
    return _count(db, *_where(db, survey_id, query))


def count_matching(db: sqlite_utils.Database, survey: Survey, query: ResponseQuery) -> int:
    """How many of ``survey``'s responses match ``query`` (its sort aside)."""
    return _count(db, *_where(db, survey.id, query, survey))


def response_order(db: sqlite_utils.Database, survey: Survey, query: ResponseQuery) -> list[int]:
    """The ``seq`` numbers of ``survey``'s responses that match ``query``, in display order.

    Raises ValueError for a question the survey does not have or an unknown sort field.
    """
    where, params = _where(db, survey.id, query, survey)
    order, order_params = _order_sql(survey, query)
    # By hand: the ORDER BY binds parameters of its own. Only constant SQL and checked names
    # are formatted in; every value is a bound parameter.
    sql = f"SELECT seq FROM responses WHERE {where} ORDER BY {order}"  # noqa: S608
    return [row[0] for row in db.execute(sql, [*params, *order_params]).fetchall()]


def responses_by_seq(db: sqlite_utils.Database, seqs: Sequence[int]) -> dict[int, Response]:
    """The responses with these ``seq`` numbers (those still in the file), by number."""
    found: dict[int, Response] = {}
    surveys = _SurveyCache(db)
    view = db.view(_READ_FROM)
    for start in range(0, len(seqs), _IN_BATCH):
        batch = list(seqs[start : start + _IN_BATCH])
        marks = ", ".join("?" for _ in batch)
        for row in view.rows_where(f"seq IN ({marks})", batch, select=f"seq, {_COLUMNS}"):
            found[int(row["seq"])] = _response(row, surveys)
    return found


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
    counts = dict.fromkeys(survey.choice_labels(wanted), 0)
    sql, params = derived.chosen_counts_sql(survey.id, wanted.name)
    if status is not None:
        sql = f"{sql} AND seq IN (SELECT seq FROM responses WHERE status = ?)"  # noqa: S608
        params.append(status)
    for choice, number in db.execute(f"{sql} GROUP BY choice", params).fetchall():
        counts[str(choice)] = int(number)
    return counts


# -- the one WHERE ----------------------------------------------------------------------------


def _where(
    db: sqlite_utils.Database, survey_id: str, query: ResponseQuery, survey: Survey | None = None
) -> tuple[str, list[object]]:
    """The SQL condition (and its parameters) keeping ``survey_id``'s responses that match
    ``query``. Filters and search need the survey's questions: the current version is read
    when ``survey`` is not given."""
    clauses = ["survey_id = ?"]
    params: list[object] = [survey_id]
    if query.status is not None:
        clauses.append("status = ?")
        params.append(query.status)
    search = " ".join(query.search.split())
    if survey is None and (query.filters or search):
        survey = get_survey(db, survey_id)
    for wanted in query.filters:
        assert survey is not None  # read above
        sql, values = _filter_sql(survey, wanted)
        clauses.append(sql)
        params.extend(values)
    if search:
        assert survey is not None  # read above
        sql, values = _search_sql(survey, search)
        clauses.append(sql)
        params.extend(values)
    return " AND ".join(clauses), params


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
    index, ``forumkit.schema.derived``); words in the label of a choice picked; or an id."""
    clauses = ["id = ?"]
    params: list[object] = [search]
    words = derived.search_clause(search)
    if words is not None:
        clauses.append(words[0])
        params.extend(words[1])
    wanted = _words(search)
    for question in survey.questions:
        if question.type not in CHOICE_TYPES or not wanted:
            continue
        names = [
            name
            for name, label in survey.choice_labels(question).items()
            if _has_phrase(_words(label), wanted)
        ]
        if names:
            sql, values = derived.chosen_clause(survey.id, question.name, names)
            clauses.append(sql)
            params.extend(values)
    return "(" + " OR ".join(clauses) + ")", params


def _words(text: str) -> list[str]:
    """The words of ``text`` as the search index reads them: runs of letters and digits, case
    and accents aside (FTS5's ``unicode61`` tokenizer with ``remove_diacritics``).

    Choice labels are not in the index (it holds the names of the choices picked), so a label is
    matched here, by the same rule as the index's words.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def _has_phrase(words: Sequence[str], wanted: Sequence[str]) -> bool:
    """Whether ``wanted`` appears in ``words`` together and in order, its last word possibly
    unfinished (what ``derived.search_query`` asks of the index)."""
    *whole, last = wanted
    for start in range(len(words) - len(whole)):
        if list(words[start : start + len(whole)]) == whole and words[
            start + len(whole)
        ].startswith(last):
            return True
    return False


def holds_words(text: str, search: str) -> bool:
    """Whether ``text`` holds the words of ``search`` as a search finds them: together and in
    order, the last one possibly unfinished, case and accents aside. The index finds responses;
    this tells which of a found response's answers holds the words (the quotes workbench shows
    answers one by one)."""
    wanted = _words(search)
    return not wanted or _has_phrase(_words(text), wanted)


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
        names = list(survey.choice_labels(question))
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


# -- rows into responses ----------------------------------------------------------------------


def _count(db: sqlite_utils.Database, where: str, params: list[object]) -> int:
    return db.table("responses").count_where(where, params)


def _read(
    db: sqlite_utils.Database,
    where: str,
    params: list[object],
    *,
    order_by: str | None = None,
    limit: int | None = None,
    offset: int | None = None,
    surveys: _SurveyCache | None = None,
) -> list[Response]:
    rows = db.view(_READ_FROM).rows_where(
        where, params, order_by=order_by, select=_COLUMNS, limit=limit, offset=offset
    )
    known = surveys or _SurveyCache(db)
    return [_response(row, known) for row in rows]


class _SurveyCache:
    """Survey versions by version id, loaded once per query."""

    def __init__(self, db: sqlite_utils.Database, survey: Survey | None = None) -> None:
        self.db = db
        self.known: dict[str, Survey] = {}
        if survey is not None and survey.version_id:
            self.known[survey.version_id] = survey

    def get(self, version_id: str) -> Survey:
        if version_id not in self.known:
            self.known[version_id] = survey_for_version(self.db, version_id)
        return self.known[version_id]


def _flag(value: object) -> bool | None:
    return None if value is None else bool(value)


def _response(row: Mapping[str, Any], surveys: _SurveyCache) -> Response:
    version_id = row["version_id"]
    return Response(
        id=row["id"],
        survey_id=row["survey_id"],
        version_id=version_id,
        status=row["status"],
        answers=decode_answers(surveys.get(version_id), row["answers"]),
        source=row["source"],
        modified=row["modified"],
        respondent=row["respondent"],
        captured_by=row["captured_by"],
        device_id=row["device_id"],
        started=row["started"],
        finished=row["finished"],
        consent_quote=_flag(row["consent_quote"]),
        consent_share=_flag(row["consent_share"]),
        source_key=row["source_key"],
    )


# -- answers as a person reads them -----------------------------------------------------------


class AnswerText:
    """Answers as a person reads them: choice labels, not names; one line per answer."""

    def __init__(self, survey: Survey) -> None:
        self.labels = {
            question.name: survey.choice_labels(question)
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
