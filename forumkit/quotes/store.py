"""Reading quotes from the forum file: one, a response's, a survey's, and how many.

Each quote is read with its response's current answer to its question, so its ``state`` (is
the answer still the one quoted?) is decided afresh every time, like a response's consent.
Tags come with the codes' keys and codebooks, so a quote reads back as a person names it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlite_utils

from forumkit.quotes.errors import QuoteNotFound
from forumkit.quotes.model import Quote, Tag, state_of

FROM = (
    "quotes q JOIN responses r ON r.id = q.response_id "
    "LEFT JOIN survey_questions sq ON sq.version_id = r.version_id AND sq.name = q.question"
)
"""What quotes are read from: each with its response and its question (for form order)."""

COLUMNS = (
    "q.id, q.response_id, r.survey_id, q.question, q.span_start, q.span_end, q.text, "
    "q.redacted_text, q.redaction_edited, q.reviewed, q.reviewed_by, q.reviewed_at, q.created, "
    "q.created_by, q.modified, json_extract(r.answers, '$.\"' || q.question || '\"')"
)
"""The columns :func:`quotes_from_rows` reads, the last being the answer as it is now."""

ORDER = "r.seq, sq.position, q.question, q.span_start, q.span_end, q.seq"
"""Responses in the order they came, questions in form order, quotes along the answer."""

_BATCH = 500

_TAGS = (
    "SELECT t.quote_id, t.code_id, c.key, b.key, b.is_default, c.label, t.tagged_by, "
    "t.tagged_at FROM quote_tags t JOIN codes c ON c.id = t.code_id "
    "JOIN codebooks b ON b.id = c.codebook_id"
)
_TAG_ORDER = "t.tagged_at, b.position, c.position"


def quotes_from_rows(db: sqlite_utils.Database, rows: Sequence[Sequence[Any]]) -> list[Quote]:
    """Quotes from rows selected with :data:`COLUMNS`, each with its tags."""
    tags = tags_of(db, [str(row[0]) for row in rows])
    quotes: list[Quote] = []
    for row in rows:
        (quote_id, response_id, survey_id, question, start, end, text, redacted) = row[:8]
        (edited, reviewed, reviewed_by, reviewed_at, created, created_by, modified) = row[8:15]
        answer = row[15]
        quotes.append(
            Quote(
                id=str(quote_id),
                response_id=str(response_id),
                survey_id=str(survey_id),
                question=str(question),
                start=int(start),
                end=int(end),
                text=str(text),
                redacted_text=str(redacted),
                redaction_edited=bool(edited),
                reviewed=bool(reviewed),
                reviewed_by=str(reviewed_by),
                reviewed_at=str(reviewed_at),
                created=str(created),
                created_by=str(created_by),
                modified=str(modified),
                tags=tags.get(str(quote_id), ()),
                state=state_of(answer, int(start), int(end), str(text)),
            )
        )
    return quotes


def tags_of(db: sqlite_utils.Database, quote_ids: Iterable[str]) -> dict[str, tuple[Tag, ...]]:
    """The tags of each quote, in the order they were added (looked up in batches)."""
    wanted = list(dict.fromkeys(quote_ids))
    found: dict[str, list[Tag]] = {}
    for begin in range(0, len(wanted), _BATCH):
        batch = wanted[begin : begin + _BATCH]
        marks = ", ".join("?" * len(batch))
        sql = f"{_TAGS} WHERE t.quote_id IN ({marks}) ORDER BY {_TAG_ORDER}"
        rows = db.execute(sql, batch).fetchall()
        for quote_id, code_id, key, book_key, default, label, by, at in rows:
            found.setdefault(str(quote_id), []).append(
                Tag(str(code_id), str(key), str(book_key), bool(default), str(label), by, at)
            )
    return {quote_id: tuple(tags) for quote_id, tags in found.items()}


def get_quote(db: sqlite_utils.Database, quote_id: str) -> Quote:
    """One quote by id; QuoteNotFound otherwise."""
    sql = f"SELECT {COLUMNS} FROM {FROM} WHERE q.id = ?"  # noqa: S608 (constant SQL)
    row = db.execute(sql, [quote_id.strip()]).fetchone()
    if row is None:
        raise QuoteNotFound(quote_id.strip())
    return quotes_from_rows(db, [row])[0]


def quotes_by_id(db: sqlite_utils.Database, quote_ids: Iterable[str]) -> dict[str, Quote]:
    """The quotes with these ids that the file holds, by id (read in batches)."""
    wanted = list(dict.fromkeys(quote_ids))
    found: dict[str, Quote] = {}
    for begin in range(0, len(wanted), _BATCH):
        batch = wanted[begin : begin + _BATCH]
        marks = ", ".join("?" * len(batch))
        sql = f"SELECT {COLUMNS} FROM {FROM} WHERE q.id IN ({marks})"  # noqa: S608 (marks)
        for quote in quotes_from_rows(db, db.execute(sql, batch).fetchall()):
            found[quote.id] = quote
    return found


def find_quote(db: sqlite_utils.Database, quote_id: str) -> Quote | None:
    """One quote by id, or None."""
    try:
        return get_quote(db, quote_id)
    except QuoteNotFound:
        return None


def quotes_of_response(db: sqlite_utils.Database, response_id: str) -> list[Quote]:
    """Every quote of one response, in form order and along each answer.

    Deleting a response deletes its quotes too: to undo such a deletion, keep these first and
    put them back with ``restore_quote`` after ``restore_response``.
    """
    sql = f"SELECT {COLUMNS} FROM {FROM} WHERE q.response_id = ? ORDER BY {ORDER}"  # noqa: S608
    return quotes_from_rows(db, db.execute(sql, [response_id]).fetchall())


def list_quotes(
    db: sqlite_utils.Database,
    survey_id: str,
    *,
    question: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[Quote]:
    """A survey's quotes (or one question's), responses in the order they came."""
    where = "r.survey_id = ?"
    params: list[object] = [survey_id]
    if question is not None:
        where += " AND q.question = ?"
        params.append(question)
    sql = (
        f"SELECT {COLUMNS} FROM {FROM} WHERE {where} "  # noqa: S608 (constant SQL)
        f"ORDER BY {ORDER} LIMIT ? OFFSET ?"
    )
    rows = db.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()
    return quotes_from_rows(db, rows)


def count_quotes(db: sqlite_utils.Database, survey_id: str | None = None) -> int:
    """How many quotes a survey has (every survey's, without one)."""
    if survey_id is None:
        count: int = db.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]
        return count
    row = db.execute(
        "SELECT COUNT(*) FROM quotes q JOIN responses r ON r.id = q.response_id "
        "WHERE r.survey_id = ?",
        [survey_id],
    ).fetchone()
    return int(row[0])
