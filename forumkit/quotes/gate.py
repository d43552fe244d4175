"""The one rule for whether a quote may leave the forum file, and what may leave with it.

A parent's words leave the file (in an evidence pack, in anything made for inspectors) only
when all of these hold, checked here and nowhere else:

1. the response gave consent to quote **and** consent to share, both explicitly — decided by
   ``forumkit.responses.words_may_leave`` from the survey's current consent questions and the
   current answers, so correcting a consent answer withdraws the quote at once;
2. a person reviewed the quote (its redacted text is what they approved);
3. the quote is still current: its answer has not been corrected since it was made, so what
   was reviewed is what the parent now says.

Only the ``redacted_text`` ever leaves: :func:`leaving_quotes` hands out nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from forumkit.quotes.model import Quote
from forumkit.quotes.store import list_quotes
from forumkit.responses import Response, responses_by_id, words_may_leave


def quote_may_leave(quote: Quote, response: Response) -> bool:
    """Whether this quote may leave the forum file (module docstring): its response's consent
    to quote and to share, a person's review, and an answer unchanged since."""
    if response.id != quote.response_id:
        raise ValueError("a quote is judged with its own response")
    return not reasons_to_stay(quote, response)


def reasons_to_stay(quote: Quote, response: Response) -> tuple[str, ...]:
    """Why a quote may not leave the file, in words (empty when it may): for the app and the
    command line to show next to it. The rule is :func:`quote_may_leave`'s."""
    reasons: list[str] = []
    if not words_may_leave(response):
        reasons.append("no consent to quote and share")
    if not quote.reviewed:
        reasons.append("not reviewed")
    if quote.state != "current":
        reasons.append("the answer was corrected after the quote was made")
    return tuple(reasons)


def responses_of(db: sqlite_utils.Database, quotes: Iterable[Quote]) -> dict[str, Response]:
    """The responses of ``quotes`` by id, each with its consent as the file derives it now."""
    return responses_by_id(db, (quote.response_id for quote in quotes))


def may_leave_by_id(db: sqlite_utils.Database, quotes: Sequence[Quote]) -> dict[str, bool]:
    """:func:`quote_may_leave` for many quotes at once (their responses read in batches)."""
    responses = responses_of(db, quotes)
    return {quote.id: quote_may_leave(quote, responses[quote.response_id]) for quote in quotes}


@dataclass(frozen=True)
class LeavingQuote:
    """A quote that may leave the file, as it leaves: redacted words and codes, no more."""

    quote_id: str
    response_id: str
    question: str
    redacted_text: str
    codes: tuple[str, ...]
    """The codes' references (``listen-early``, ``areas-of-need/sensory``)."""
    code_ids: tuple[str, ...]


def leaving_quotes(
    db: sqlite_utils.Database, survey_id: str, *, code_ids: Iterable[str] | None = None
) -> list[LeavingQuote]:
    """Every quote of a survey that may leave the file now (optionally only those tagged with
    one of ``code_ids``), redacted: what evidence packs and exports for inspectors carry."""
    wanted = None if code_ids is None else frozenset(code_ids)
    quotes = [
        quote for quote in list_quotes(db, survey_id) if wanted is None or quote.code_ids & wanted
    ]
    allowed = may_leave_by_id(db, quotes)
    return [
        LeavingQuote(
            quote.id,
            quote.response_id,
            quote.question,
            quote.redacted_text,
            quote.references,
            tuple(tag.code_id for tag in quote.tags),
        )
        for quote in quotes
        if allowed[quote.id]
    ]
