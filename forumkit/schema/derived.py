"""Indexes that exist only for speed and are never saved: SQLite's ``temp`` schema.

Two indexes over ``main.responses`` (a third, which questions each response answered, in
:mod:`forumkit.schema.answer_index`, and one over ``main.quotes``, in
:mod:`forumkit.schema.quote_index`), kept in the connection's ``temp`` schema, which is not part
of ``connection.serialize()`` (checked in ``../shared/design/pack.md``), so the forum file never
carries them and saves do not grow with them:

- :data:`SEARCH_TABLE`, a contentless FTS5 index of each response's words: every answer's text
  (free text, numbers, the names of the choices picked), the respondent reference, the source
  and who captured it. Its rowid is the response's ``seq``.
- :data:`CHOICES_TABLE`, the options chosen in each choice question (``select_one``,
  ``select_multiple``, ``rank``) as small integers, one row per (option, response), with the
  options themselves named once in :data:`OPTIONS_TABLE`.

(The triggers of :mod:`forumkit.schema.history`, which record the versions records replace,
are built and dropped with these too: they live on the connection in the same way.)

Temporary triggers on ``main.responses`` keep both current on every insert, update and delete,
whatever module writes, inside the writer's transaction (a rollback undoes them too), so no
domain code calls this module to stay in sync. What triggers cannot follow is a migration
that remakes the tables they hang on: the workspace calls :func:`drop` before migrating and
:func:`rebuild` after. A new image (reloading the file) always gets a new connection, never
``deserialize`` under this one: that leaves ``temp`` in place, stale, and SQLite 3.40 crashes
using or dropping its FTS5 index afterwards. The schema knowledge lives here, at the schema
level, so the workspace (which imports no domain) can rebuild after opening, reloading and
migrating.
"""

from __future__ import annotations

import sqlite3

from forumkit.schema import answer_index, history, quote_index

SEARCH_TABLE = "response_search"
"""FTS5, rowid = ``responses.seq``; columns answers, respondent, source, captured_by."""
OPTIONS_TABLE = "choice_options"
"""One row per (survey, question, choice) ever seen: ``id`` is the option's small integer."""
CHOICES_TABLE = "response_choices"
"""(option, seq): the response ``seq`` picked the option ``option``."""

CHOICE_QUESTION_TYPES = ("select_one", "select_multiple", "rank")

_TRIGGERS = (
    "derived_response_added",
    "derived_response_changed",
    "derived_response_removed",
    *answer_index.TRIGGERS,
    *quote_index.TRIGGERS,
    *history.TRIGGERS,
)
_TABLES = (
    SEARCH_TABLE,
    CHOICES_TABLE,
    OPTIONS_TABLE,
    *answer_index.TABLES,
    *quote_index.TABLES,
    *history.TABLES,
)


def _answer_text(row: str) -> str:
    """SQL for the searchable text of a row's answers (``row`` is NEW, OLD or a table alias).

    Every leaf of the answers' JSON that is text or a number, in document order. It must give
    the same text for the same row every time: the contentless index is told what to forget by
    recomputing it.
    """
    return (
        "(SELECT group_concat(t.value, ' ') FROM json_tree("  # noqa: S608 (constant SQL)
        f"{row}.answers) AS t WHERE t.type IN ('text', 'integer', 'real'))"
    )


def _picked(row: str) -> str:
    """SQL joins giving ``a.key`` (question) and ``e.value`` (choice) for each option a row's
    answers pick; follows ``FROM`` (or ``CROSS JOIN``) a source of ``row``.

    CROSS JOIN fixes the order (each answer, its question, its choices): left to itself the
    planner may start from the questions and scan every option for every response.
    """
    types = ", ".join(f"'{t}'" for t in CHOICE_QUESTION_TYPES)
    return (
        f"json_each({row}.answers) AS a CROSS JOIN main.survey_questions AS q "
        f"ON q.version_id = {row}.version_id AND q.name = a.key AND q.type IN ({types}) "
        "CROSS JOIN json_each(CASE WHEN a.type = 'array' THEN a.value "
        "ELSE json_array(a.value) END) AS e"
    )


_PICKED_WHERE = "e.type = 'text'"


def _index_row(row: str) -> str:
    # Trigger bodies may not qualify the tables they write; the names are unique to temp.
    return f"""
    INSERT INTO {SEARCH_TABLE} (rowid, answers, respondent, source, captured_by)
    VALUES ({row}.seq, {_answer_text(row)}, {row}.respondent, {row}.source, {row}.captured_by);
    INSERT OR IGNORE INTO {OPTIONS_TABLE} (survey_id, question, choice)
    SELECT {row}.survey_id, a.key, e.value FROM {_picked(row)} WHERE {_PICKED_WHERE};
    INSERT OR IGNORE INTO {CHOICES_TABLE} (option, seq)
    SELECT o.id, {row}.seq FROM {_picked(row)} CROSS JOIN temp.{OPTIONS_TABLE} AS o
    ON o.survey_id = {row}.survey_id AND o.question = a.key AND o.choice = e.value
    WHERE {_PICKED_WHERE};
    """  # noqa: S608 (constant SQL)


def _forget_row(row: str) -> str:
    return f"""
    INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, answers, respondent, source, captured_by)
    VALUES ('delete', {row}.seq, {_answer_text(row)}, {row}.respondent, {row}.source,
        {row}.captured_by);
    DELETE FROM {CHOICES_TABLE} WHERE seq = {row}.seq;
    """  # noqa: S608 (constant SQL)


_CREATE = f"""
CREATE VIRTUAL TABLE temp.{SEARCH_TABLE} USING fts5 (
    answers, respondent, source, captured_by,
    content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE temp.{OPTIONS_TABLE} (
    id INTEGER PRIMARY KEY,
    survey_id TEXT NOT NULL,
    question TEXT NOT NULL,
    choice TEXT NOT NULL,
    UNIQUE (survey_id, question, choice)
);
CREATE TABLE temp.{CHOICES_TABLE} (
    option INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (option, seq)
) WITHOUT ROWID;
"""

# Made after the bulk fill: one sorted pass instead of an insert per row.
_INDEX_AND_TRIGGERS = f"""
CREATE INDEX temp.{CHOICES_TABLE}_seq ON {CHOICES_TABLE} (seq);
CREATE TEMP TRIGGER derived_response_added AFTER INSERT ON main.responses BEGIN
{_index_row("NEW")}
END;
CREATE TEMP TRIGGER derived_response_changed
AFTER UPDATE OF seq, survey_id, version_id, answers, respondent, source, captured_by
ON main.responses BEGIN
{_forget_row("OLD")}
{_index_row("NEW")}
END;
CREATE TEMP TRIGGER derived_response_removed AFTER DELETE ON main.responses BEGIN
{_forget_row("OLD")}
END;
"""

_FILL = f"""
INSERT INTO temp.{SEARCH_TABLE} (rowid, answers, respondent, source, captured_by)
SELECT r.seq, {_answer_text("r")}, r.respondent, r.source, r.captured_by FROM main.responses r;
INSERT OR IGNORE INTO temp.{OPTIONS_TABLE} (survey_id, question, choice)
SELECT DISTINCT r.survey_id, a.key, e.value FROM main.responses r CROSS JOIN {_picked("r")}
WHERE {_PICKED_WHERE};
INSERT OR IGNORE INTO temp.{CHOICES_TABLE} (option, seq)
SELECT o.id, r.seq FROM main.responses r CROSS JOIN {_picked("r")}
CROSS JOIN temp.{OPTIONS_TABLE} o
ON o.survey_id = r.survey_id AND o.question = a.key AND o.choice = e.value
WHERE {_PICKED_WHERE};
"""  # noqa: S608 (constant SQL)


def _statements(script: str) -> list[str]:
    found: list[str] = []
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            found.append(statement)
            statement = ""
    return found


def _has_responses(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'responses'"
    ).fetchone()
    return row is not None


def drop(conn: sqlite3.Connection) -> None:
    """Remove the derived indexes and their triggers (nothing in ``main`` is touched)."""
    for trigger in _TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS temp.{trigger}")
    for table in _TABLES:
        conn.execute(f"DROP TABLE IF EXISTS temp.{table}")


def rebuild(conn: sqlite3.Connection) -> None:
    """Make the derived indexes afresh from ``main.responses`` (and ``main.quotes``) and install
    their triggers, and the history's (:mod:`forumkit.schema.history`).

    Runs in one transaction of its own unless the caller has one open. A database without a
    responses table yet (a file being created or upgraded) gets none; call again afterwards.
    """
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        drop(conn)
        if _has_responses(conn):
            for script in (_CREATE, _FILL, _INDEX_AND_TRIGGERS, *answer_index.scripts()):
                for statement in _statements(script):
                    conn.execute(statement)
        if quote_index.has_quotes(conn):
            for script in quote_index.scripts():
                for statement in _statements(script):
                    conn.execute(statement)
        if history.has_history(conn):
            history.install(conn)
        if own:
            conn.execute("COMMIT")
    except BaseException:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def installed(conn: sqlite3.Connection) -> bool:
    """Whether the derived indexes exist on this connection."""
    row = conn.execute(
        "SELECT 1 FROM temp.sqlite_master WHERE type = 'trigger' AND name = ?", [_TRIGGERS[0]]
    ).fetchone()
    return row is not None


def search_query(text: str) -> str | None:
    """The FTS5 query for what someone typed in a search box, or None when it has no words.

    The words must appear together and in order, the last one possibly unfinished: "key work"
    finds "key worker", "parent7@example.org" finds that reference. Case and accents do not
    matter. What is typed is one quoted phrase, so FTS5's operators and quotes are never
    interpreted.
    """
    if not any(ch.isalnum() for ch in text):
        return None
    return '"' + text.replace('"', '""') + '"*'


def search_clause(text: str, seq_column: str = "seq") -> tuple[str, list[object]] | None:
    """SQL (and its parameters) keeping rows whose ``seq_column`` matches :func:`search_query`."""
    query = search_query(text)
    if query is None:
        return None
    return (
        f"{seq_column} IN (SELECT rowid FROM temp.{SEARCH_TABLE} "  # noqa: S608 (constant)
        f"WHERE {SEARCH_TABLE} MATCH ?)",
        [query],
    )


def chosen_clause(
    survey_id: str, question: str, choices: list[str], seq_column: str = "seq"
) -> tuple[str, list[object]]:
    """SQL keeping rows whose response picked any of ``choices`` in ``question``."""
    marks = ", ".join("?" for _ in choices) or "NULL"
    return (
        f"{seq_column} IN (SELECT c.seq FROM temp.{CHOICES_TABLE} c "  # noqa: S608 (constant)
        f"JOIN temp.{OPTIONS_TABLE} o ON o.id = c.option "
        f"WHERE o.survey_id = ? AND o.question = ? AND o.choice IN ({marks}))",
        [survey_id, question, *choices],
    )


def chosen_counts_sql(survey_id: str, question: str) -> tuple[str, list[object]]:
    """``SELECT choice, count(*)`` over the picks in ``question``, to end with ``GROUP BY
    choice`` (the caller may first add ``AND seq IN (…)`` to keep some responses only)."""
    return (
        f"SELECT o.choice AS choice, count(*) FROM temp.{CHOICES_TABLE} c "  # noqa: S608
        f"JOIN temp.{OPTIONS_TABLE} o ON o.id = c.option "
        "WHERE o.survey_id = ? AND o.question = ?",
        [survey_id, question],
    )
