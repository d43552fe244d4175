"""Which questions each response answered, with its number answers: a derived index for counts.

An analysis needs, per question, how many answered it and, for number questions, how many gave
each value. Reading that from every response's JSON answers costs a parse of each response on
every count (the dashboard counts again on every filter change), so, like the chosen options in
:mod:`forumkit.schema.derived`, it is kept in SQLite's ``temp`` schema, never saved:

- :data:`QUESTIONS_TABLE`: one row per (survey, question name) any version of a survey has;
  ``id`` is the question's small integer;
- :data:`ANSWERS_TABLE`: one row per (question, response ``seq``) the response answered (an
  answer that is not empty: blank text and an empty list of choices are no answer), with
  ``number`` the answer itself when it is a number, else NULL.

Temporary triggers on ``main.responses`` keep it current on every insert, update and delete,
inside the writer's transaction. It is built, dropped and rebuilt with the other derived
indexes by :mod:`forumkit.schema.derived` (opening, reloading, upgrading).
"""

from __future__ import annotations

QUESTIONS_TABLE = "answer_questions"
"""One row per (survey, question) of any version: ``id`` is the question's small integer."""
ANSWERS_TABLE = "response_answers"
"""(question, seq, number): the response ``seq`` answered ``question``; ``number`` its value
when the answer is a number."""

TRIGGERS = ("derived_answers_added", "derived_answers_changed", "derived_answers_removed")
TABLES = (ANSWERS_TABLE, QUESTIONS_TABLE)

_ANSWERED = (
    "a.type <> 'null' AND NOT (a.type = 'text' AND trim(a.value) = '') "
    "AND NOT (a.type = 'array' AND json_array_length(a.value) = 0)"
)
_NUMBER = "CASE WHEN a.type IN ('integer', 'real') THEN a.value END"

_CREATE = f"""
CREATE TABLE temp.{QUESTIONS_TABLE} (
    id INTEGER PRIMARY KEY,
    survey_id TEXT NOT NULL,
    question TEXT NOT NULL,
    UNIQUE (survey_id, question)
);
CREATE TABLE temp.{ANSWERS_TABLE} (
    question INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    number,
    PRIMARY KEY (question, seq)
) WITHOUT ROWID;
"""


def _questions_of(row: str) -> str:
    """SQL adding the questions of ``row``'s survey version (``row`` is NEW or a table alias)."""
    return f"""
    INSERT OR IGNORE INTO {QUESTIONS_TABLE} (survey_id, question)
    SELECT {row}.survey_id, q.name FROM main.survey_questions q
    WHERE q.version_id = {row}.version_id;
    """  # noqa: S608 (constant SQL)


def _answers_of(row: str) -> str:
    return f"""
    INSERT OR IGNORE INTO {ANSWERS_TABLE} (question, seq, number)
    SELECT q.id, {row}.seq, {_NUMBER} FROM json_each({row}.answers) AS a
    CROSS JOIN temp.{QUESTIONS_TABLE} AS q ON q.survey_id = {row}.survey_id AND q.question = a.key
    WHERE {_ANSWERED};
    """  # noqa: S608 (constant SQL)


_FILL = f"""
INSERT OR IGNORE INTO temp.{QUESTIONS_TABLE} (survey_id, question)
SELECT DISTINCT v.survey_id, q.name FROM main.survey_questions q
JOIN main.survey_versions v ON v.id = q.version_id;
INSERT OR IGNORE INTO temp.{ANSWERS_TABLE} (question, seq, number)
SELECT q.id, r.seq, {_NUMBER} FROM main.responses r CROSS JOIN json_each(r.answers) AS a
CROSS JOIN temp.{QUESTIONS_TABLE} AS q ON q.survey_id = r.survey_id AND q.question = a.key
WHERE {_ANSWERED};
"""  # noqa: S608 (constant SQL)

# Trigger bodies may not qualify the tables they write; the names are unique to temp.
_INDEX_AND_TRIGGERS = f"""
CREATE INDEX temp.{ANSWERS_TABLE}_seq ON {ANSWERS_TABLE} (seq);
CREATE TEMP TRIGGER derived_answers_added AFTER INSERT ON main.responses BEGIN
{_questions_of("NEW")}
{_answers_of("NEW")}
END;
CREATE TEMP TRIGGER derived_answers_changed
AFTER UPDATE OF seq, survey_id, version_id, answers ON main.responses BEGIN
    DELETE FROM {ANSWERS_TABLE} WHERE seq = OLD.seq;
{_questions_of("NEW")}
{_answers_of("NEW")}
END;
CREATE TEMP TRIGGER derived_answers_removed AFTER DELETE ON main.responses BEGIN
    DELETE FROM {ANSWERS_TABLE} WHERE seq = OLD.seq;
END;
"""  # noqa: S608 (constant SQL)


def scripts() -> tuple[str, ...]:
    """The SQL that builds the index, fills it and installs its triggers, in order (for a
    database that has its responses table)."""
    return (_CREATE, _FILL, _INDEX_AND_TRIGGERS)
