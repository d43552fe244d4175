"""The quotes' full-text index, never saved: one more derived index in SQLite's ``temp`` schema.

:data:`QUOTE_SEARCH_TABLE` is a contentless FTS5 index of each quote's words and its redacted
text, rowid = ``quotes.seq``. Temporary triggers on ``main.quotes`` keep it current on every
insert, update and delete, by whichever module writes (making, editing, relocating, deleting,
undoing, importing a spreadsheet, and the deletion of a response or an erasure, which deletes
its quotes), inside the writer's transaction, so a rollback undoes them too. It is built,
dropped and rebuilt with the responses' indexes by :mod:`forumkit.schema.derived` (opening,
reloading, upgrading), so it never outlives or lags the stored quotes.

Searching (:func:`quote_search_query`): words must all appear, in any order; ``"two words"``
in double quotes is a phrase; a word ending in ``*`` is a prefix (``wait*`` finds "waiting").
Case and accents do not matter. Everything typed is quoted for FTS5, so its operators are never
interpreted.
"""

from __future__ import annotations

import re
import sqlite3

QUOTE_SEARCH_TABLE = "quote_search"
"""FTS5, rowid = ``quotes.seq``; columns text, redacted."""

TRIGGERS = ("derived_quote_added", "derived_quote_changed", "derived_quote_removed")
TABLES = (QUOTE_SEARCH_TABLE,)

_CREATE = f"""
CREATE VIRTUAL TABLE temp.{QUOTE_SEARCH_TABLE} USING fts5 (
    text, redacted,
    content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2'
);
"""

_FILL = f"""
INSERT INTO temp.{QUOTE_SEARCH_TABLE} (rowid, text, redacted)
SELECT seq, text, redacted_text FROM main.quotes;
"""  # noqa: S608 (constant SQL)

# Trigger bodies may not qualify the tables they write; the name is unique to temp. A
# contentless index forgets a row when told its old values, which the OLD row holds.
_TRIGGERS = f"""
CREATE TEMP TRIGGER derived_quote_added AFTER INSERT ON main.quotes BEGIN
    INSERT INTO {QUOTE_SEARCH_TABLE} (rowid, text, redacted)
    VALUES (NEW.seq, NEW.text, NEW.redacted_text);
END;
CREATE TEMP TRIGGER derived_quote_changed AFTER UPDATE OF seq, text, redacted_text
ON main.quotes BEGIN
    INSERT INTO {QUOTE_SEARCH_TABLE} ({QUOTE_SEARCH_TABLE}, rowid, text, redacted)
    VALUES ('delete', OLD.seq, OLD.text, OLD.redacted_text);
    INSERT INTO {QUOTE_SEARCH_TABLE} (rowid, text, redacted)
    VALUES (NEW.seq, NEW.text, NEW.redacted_text);
END;
CREATE TEMP TRIGGER derived_quote_removed AFTER DELETE ON main.quotes BEGIN
    INSERT INTO {QUOTE_SEARCH_TABLE} ({QUOTE_SEARCH_TABLE}, rowid, text, redacted)
    VALUES ('delete', OLD.seq, OLD.text, OLD.redacted_text);
END;
"""  # noqa: S608 (constant SQL)


def has_quotes(conn: sqlite3.Connection) -> bool:
    """Whether the database has its quotes table yet (data version 6 and later)."""
    row = conn.execute(
        "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'quotes'"
    ).fetchone()
    return row is not None


def scripts() -> tuple[str, ...]:
    """The SQL that builds the index, fills it and installs its triggers, in order."""
    return (_CREATE, _FILL, _TRIGGERS)


_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


def quote_search_query(text: str) -> str | None:
    """The FTS5 query for what someone typed to find quotes (module docstring), or None when
    it holds no word."""
    parts: list[str] = []
    for match in _TOKEN.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            if any(ch.isalnum() for ch in phrase):
                parts.append('"' + phrase + '"')
            continue
        prefix = word.endswith("*")
        bare = word.rstrip("*").replace('"', "")
        if any(ch.isalnum() for ch in bare):
            parts.append('"' + bare + '"' + ("*" if prefix else ""))
    return " ".join(parts) or None


def quote_search_clause(text: str, seq_column: str = "q.seq") -> tuple[str, list[object]] | None:
    """SQL (and its parameters) keeping quotes whose ``seq_column`` matches
    :func:`quote_search_query`; None when nothing searchable was typed."""
    query = quote_search_query(text)
    if query is None:
        return None
    return (
        f"{seq_column} IN (SELECT rowid FROM temp.{QUOTE_SEARCH_TABLE} "  # noqa: S608 (constant)
        f"WHERE {QUOTE_SEARCH_TABLE} MATCH ?)",
        [query],
    )
