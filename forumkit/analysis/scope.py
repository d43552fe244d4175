"""Which responses an analysis counts: complete ones of one survey, narrowed by filters.

Drafts never count. Filters narrow further, all of them at once (AND); several values of one
name are alternatives (``phase=primary`` and ``phase=secondary``: either):

- ``version=N``: responses to version N of the survey (the number ``survey list`` shows);
- ``from=YYYY-MM-DD`` / ``to=YYYY-MM-DD``: finished on or after / on or before that day (a
  response's day is when it was finished, else started, else last changed);
- ``source=entered|kiosk|imported`` or an import format (``msforms``, ``googleforms``,
  ``surveymonkey``, ``kobo``, ``csv``, ``forumkit``): how the response came in;
- ``consent=share``: only respondents who agreed to share their answers with inspectors (the
  survey's share-consent question answered yes) — what an evidence pack counts;
- ``QUESTION=CHOICE`` for any choice question (``phase=primary``); ``question:NAME=CHOICE`` when
  a question's name is one of the words above.

The matching responses' ``seq`` numbers go into a table in SQLite's ``temp`` schema (never
saved, numbers only), so the counting queries that follow read them without filtering again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import sqlite_utils

from forumkit.analysis.errors import FilterError
from forumkit.schema import derived
from forumkit.surveys import Question, Survey

CHOICE_TYPES = frozenset({"select_one", "select_multiple", "rank"})
TYPED_SOURCES = ("entered", "kiosk")
IMPORTED = "imported"
IMPORT_FORMATS = ("msforms", "googleforms", "surveymonkey", "kobo", "csv", "forumkit")
"""The formats ``responses import`` records in a response's source (``import:<format>:…``)."""
SHARE = "share"
WORDS = ("version", "from", "to", "source", "consent")
"""Filter names that are not questions."""

SCOPE_TABLE = "analysis_scope"


@dataclass(frozen=True)
class AnswerIs:
    """Keep responses that picked any of ``choices`` in the choice question ``question``."""

    question: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    """Which complete responses of a survey an analysis counts (all of them by default)."""

    versions: tuple[int, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    sources: tuple[str, ...] = ()
    """``entered``, ``kiosk``, ``imported`` or an import format; any of them."""
    answers: tuple[AnswerIs, ...] = field(default_factory=tuple)
    share_consent_only: bool = False
    """Only respondents whose share-consent question says yes (what a pack counts)."""

    def describe(self) -> dict[str, object]:
        """The filters as plain data (for ``--json`` and the pack's method note)."""
        described: dict[str, object] = {}
        if self.versions:
            described["version"] = list(self.versions)
        if self.since is not None:
            described["from"] = self.since.isoformat()
        if self.until is not None:
            described["to"] = self.until.isoformat()
        if self.sources:
            described["source"] = list(self.sources)
        for answer in self.answers:
            described[answer.question] = list(answer.choices)
        if self.share_consent_only:
            described["consent"] = SHARE
        return described

    def for_other_edition(self) -> Scope:
        """This scope for last year's edition: versions and dates belong to one survey's
        year, so they are dropped; sources, consent and answers carry over."""
        return replace(self, versions=(), since=None, until=None)


def _choice_question(survey: Survey, name: str) -> Question:
    try:
        question = survey.question(name)
    except KeyError:
        raise FilterError(
            f"The survey “{survey.form_id}” has no question “{name}” to filter on."
        ) from None
    if question.type not in CHOICE_TYPES:
        raise FilterError(
            f"“{name}” in the survey “{survey.form_id}” is not a choice question, so it "
            "cannot be used as a filter."
        )
    return question


def _choice_name(survey: Survey, question: Question, value: str) -> str:
    labels = survey.choice_labels(question)
    if value in labels:
        return value
    folded = value.casefold()
    for name, label in labels.items():
        if label.casefold() == folded:
            return name
    names = ", ".join(labels) or "none"
    raise FilterError(
        f"“{question.name}” in the survey “{survey.form_id}” has no choice “{value}” "
        f"(its choices: {names})."
    )


def _day(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"--filter {name}= takes a day as YYYY-MM-DD, not “{value}”.") from None


def _add(found: dict[str, list[str]], key: str, value: str) -> None:
    values = found.setdefault(key, [])
    if value not in values:
        values.append(value)


def parse_filters(survey: Survey, texts: Iterable[str]) -> Scope:
    """The scope that ``--filter NAME=VALUE`` texts describe (see the module's list)."""
    versions: list[int] = []
    since: dt.date | None = None
    until: dt.date | None = None
    sources: list[str] = []
    answers: dict[str, list[str]] = {}
    share = False
    for text in texts:
        name, equals, value = text.partition("=")
        name, value = name.strip(), value.strip()
        if not equals or not name or not value:
            raise FilterError(f"A filter is NAME=VALUE (e.g. phase=primary), not “{text}”.")
        if name.startswith("question:"):
            question = _choice_question(survey, name.removeprefix("question:"))
            _add(answers, question.name, _choice_name(survey, question, value))
        elif name == "version":
            if not value.isdigit() or int(value) < 1:
                raise FilterError(f"--filter version= takes a version number, not “{value}”.")
            versions.append(int(value))
        elif name == "from":
            since = _day(value, name)
        elif name == "to":
            until = _day(value, name)
        elif name == "source":
            if value not in (*TYPED_SOURCES, IMPORTED, *IMPORT_FORMATS):
                allowed = ", ".join((*TYPED_SOURCES, IMPORTED, *IMPORT_FORMATS))
                raise FilterError(f"--filter source= takes one of {allowed}; not “{value}”.")
            sources.append(value)
        elif name == "consent":
            if value != SHARE:
                raise FilterError(
                    "--filter consent=share keeps only respondents who agreed to share their "
                    f"answers with inspectors; “{value}” is not a consent filter."
                )
            share = True
        else:
            question = _choice_question(survey, name)
            _add(answers, question.name, _choice_name(survey, question, value))
    if since is not None and until is not None and since > until:
        raise FilterError(f"--filter from={since} is after to={until}: no response can match.")
    return Scope(
        versions=tuple(dict.fromkeys(versions)),
        since=since,
        until=until,
        sources=tuple(dict.fromkeys(sources)),
        answers=tuple(AnswerIs(q, tuple(c)) for q, c in answers.items()),
        share_consent_only=share,
    )


def _version_ids(db: sqlite_utils.Database, survey: Survey, versions: Sequence[int]) -> list[str]:
    ids = []
    for number in versions:
        row = db.execute(
            "SELECT id FROM survey_versions WHERE survey_id = ? AND version = ?",
            [survey.id, number],
        ).fetchone()
        if row is None:
            raise FilterError(f"The survey “{survey.form_id}” has no version {number}.")
        ids.append(str(row[0]))
    return ids


def _source_sql(sources: Sequence[str]) -> tuple[str, list[object]]:
    clauses = []
    params: list[object] = []
    for source in sources:
        if source in TYPED_SOURCES:
            clauses.append("source = ?")
            params.append(source)
        elif source == IMPORTED:
            clauses.append("source LIKE 'import:%'")
        else:
            clauses.append("source LIKE ? ESCAPE '\\'")
            params.append(f"import:{source}:%")
    return "(" + " OR ".join(clauses) + ")", params


def scope_sql(db: sqlite_utils.Database, survey: Survey, scope: Scope) -> tuple[str, list[object]]:
    """``SELECT seq FROM …`` for the responses ``scope`` keeps (with its parameters).

    Raises FilterError when a filter names what the survey does not have.
    """
    source = "responses_with_consent" if scope.share_consent_only else "responses"
    clauses = ["survey_id = ?", "status = 'complete'"]
    params: list[object] = [survey.id]
    if scope.versions:
        ids = _version_ids(db, survey, scope.versions)
        clauses.append(f"version_id IN ({', '.join('?' for _ in ids)})")
        params.extend(ids)
    day = "substr(coalesce(finished, started, modified), 1, 10)"
    if scope.since is not None:
        clauses.append(f"{day} >= ?")
        params.append(scope.since.isoformat())
    if scope.until is not None:
        clauses.append(f"{day} <= ?")
        params.append(scope.until.isoformat())
    if scope.sources:
        sql, values = _source_sql(scope.sources)
        clauses.append(sql)
        params.extend(values)
    for answer in scope.answers:
        question = _choice_question(survey, answer.question)
        for choice in answer.choices:
            _choice_name(survey, question, choice)
        sql, values = derived.chosen_clause(survey.id, question.name, list(answer.choices))
        clauses.append(sql)
        params.extend(values)
    if scope.share_consent_only:
        clauses.append("consent_share = 1")
    # Only constant SQL is formatted in; every value is a bound parameter.
    return f"SELECT seq FROM {source} WHERE {' AND '.join(clauses)}", params  # noqa: S608


def fill_scope(
    db: sqlite_utils.Database, survey: Survey, scope: Scope, attribute: str | None = None
) -> int:
    """Put the ``seq`` of every response ``scope`` keeps into ``temp.analysis_scope`` (made
    afresh), with its group: the option (the derived index's number for a choice) it picked
    in the single-choice question ``attribute`` (NULL without an answer, or without an
    attribute); how many there are."""
    sql, params = scope_sql(db, survey, scope)
    # The table of an older forumkit in this connection may lack the group: made anew.
    db.execute(f"DROP TABLE IF EXISTS temp.{SCOPE_TABLE}")
    db.execute(f"CREATE TEMP TABLE {SCOPE_TABLE} (seq INTEGER PRIMARY KEY, grp INTEGER)")
    group = "NULL"
    if attribute is not None:
        group = (
            f"(SELECT o.id FROM temp.{derived.CHOICES_TABLE} c "  # noqa: S608 (constant)
            f"JOIN temp.{derived.OPTIONS_TABLE} o ON o.id = c.option "
            "WHERE c.seq = m.seq AND o.survey_id = ? AND o.question = ?)"
        )
    db.execute(
        f"INSERT INTO temp.{SCOPE_TABLE} (seq, grp) SELECT m.seq, {group} FROM ({sql}) m",  # noqa: S608
        [*([survey.id, attribute] if attribute is not None else []), *params],
    )
    count: int = db.execute(f"SELECT count(*) FROM temp.{SCOPE_TABLE}").fetchone()[0]  # noqa: S608
    return count


def empty_scope(db: sqlite_utils.Database) -> None:
    """Forget which responses the last analysis counted."""
    db.execute(f"DELETE FROM temp.{SCOPE_TABLE}")  # noqa: S608 (constant SQL)
