"""Finding quotes: by their words (word, phrase and prefix search through the derived full-text
index), and by survey, question, code, review, consent and the respondent's other answers.

"Quotes tagged ``listen-early`` from parents of secondary-age children, with consent" is
``QuoteQuery(survey_id, codes=("listen-early",), attributes={"phase": ("secondary",)},
consent=True)``. Words come from :mod:`forumkit.schema.quote_index` (never saved, kept current
by triggers), codes from the tags, attributes from the chosen-options index, so a search stays
quick at tens of thousands of quotes. Consent and "may leave" are decided by the same functions
that guard everything leaving the file (``words_may_leave``, ``quote_may_leave``), never by a
second copy of the rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlite_utils

from forumkit.codebooks import Code, get_codebook, resolve_code
from forumkit.quotes.gate import quote_may_leave, responses_of
from forumkit.quotes.model import Quote
from forumkit.quotes.store import COLUMNS, FROM, ORDER, quotes_from_rows
from forumkit.responses import words_may_leave
from forumkit.schema.derived import chosen_clause
from forumkit.schema.quote_index import quote_search_clause


@dataclass(frozen=True)
class QuoteQuery:
    """Which quotes of a survey to find; every filter given must hold."""

    survey_id: str
    text: str = ""
    """Words (all of them), ``"a phrase"``, ``prefix*``, in the quote or its redacted text."""
    question: str | None = None
    codes: tuple[str, ...] = ()
    """Code references (key, ``codebook/key`` or id): tagged with any of them or a sub-code."""
    reviewed: bool | None = None
    consent: bool | None = None
    """Whether the parent gave consent to quote and to share (``words_may_leave``)."""
    may_leave: bool | None = None
    """Whether the quote may leave the file now (``quote_may_leave``)."""
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Question name → choice names: the respondent picked any of them (single or multiple
    choice)."""


def with_sub_codes(db: sqlite_utils.Database, code: Code) -> list[str]:
    """The ids of ``code`` and every code below it: tagged with a sub-code is tagged with it."""
    book = get_codebook(db, code.codebook_id)
    found = [code.id]
    for known in found:
        found.extend(child.id for child in book.children(known))
    return found


def _where(db: sqlite_utils.Database, query: QuoteQuery) -> tuple[str, list[object]]:
    clauses = ["r.survey_id = ?"]
    params: list[object] = [query.survey_id]
    if query.question is not None:
        clauses.append("q.question = ?")
        params.append(query.question)
    if query.reviewed is not None:
        clauses.append("q.reviewed = ?")
        params.append(int(query.reviewed))
    if query.codes:
        ids = [
            code_id
            for reference in query.codes
            for code_id in with_sub_codes(db, resolve_code(db, reference))
        ]
        marks = ", ".join("?" * len(ids))
        tagged = f"q.id IN (SELECT quote_id FROM quote_tags WHERE code_id IN ({marks}))"  # noqa: S608
        clauses.append(tagged)
        params.extend(ids)
    for question, choices in query.attributes.items():
        sql, values = chosen_clause(query.survey_id, question, list(choices), "r.seq")
        clauses.append(sql)
        params.extend(values)
    words = quote_search_clause(query.text) if query.text.strip() else None
    if words is not None:
        clauses.append(words[0])
        params.extend(words[1])
    return " AND ".join(clauses), params


def _judged(query: QuoteQuery) -> bool:
    return query.consent is not None or query.may_leave is not None


def _keep(db: sqlite_utils.Database, query: QuoteQuery, quotes: list[Quote]) -> list[Quote]:
    """The quotes that pass the consent and may-leave filters, judged by the gate."""
    responses = responses_of(db, quotes)
    kept: list[Quote] = []
    for quote in quotes:
        response = responses[quote.response_id]
        if query.consent is not None and words_may_leave(response) != query.consent:
            continue
        if query.may_leave is not None and quote_may_leave(quote, response) != query.may_leave:
            continue
        kept.append(quote)
    return kept


def search_quotes(
    db: sqlite_utils.Database, query: QuoteQuery, *, offset: int = 0, limit: int | None = None
) -> list[Quote]:
    """The quotes ``query`` finds, responses in the order they came, then form order."""
    where, params = _where(db, query)
    sql = f"SELECT {COLUMNS} FROM {FROM} WHERE {where} ORDER BY {ORDER}"  # noqa: S608 (bound)
    if not _judged(query):
        sql += " LIMIT ? OFFSET ?"
        rows = db.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()
        return quotes_from_rows(db, rows)
    kept = _keep(db, query, quotes_from_rows(db, db.execute(sql, params).fetchall()))
    return kept[offset:] if limit is None else kept[offset : offset + limit]


def count_search(db: sqlite_utils.Database, query: QuoteQuery) -> int:
    """How many quotes :func:`search_quotes` would give without paging."""
    if _judged(query):
        return len(search_quotes(db, query))
    where, params = _where(db, query)
    sql = (
        "SELECT COUNT(*) FROM quotes q JOIN responses r ON r.id = q.response_id "  # noqa: S608
        f"WHERE {where}"
    )
    count: int = db.execute(sql, params).fetchone()[0]
    return count
