"""A respondent's right of access reaches quotes: their copy of their data lists every quote
made of their words, with its codes, its redacted form and whether it was reviewed.

:func:`quotes_held` is one of ``forumkit.responses.requests.ACCESS_PARTS`` (the package's public
face adds it when ``forumkit.quotes`` is imported), as :func:`~forumkit.quotes.erase.erase_quotes`
is one of its erasers: what an erasure deletes, an access request shows.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from forumkit.quotes.store import quotes_of_response
from forumkit.responses.requests import HeldAlongside


def quotes_held(db: sqlite_utils.Database, response_ids: Sequence[str]) -> HeldAlongside | None:
    """The quotes of these responses' answers, for the respondent's copy; None when none."""
    entries = tuple(
        {
            "id": quote.id,
            "response_id": quote.response_id,
            "question": quote.question,
            "words_quoted": quote.text,
            "as_it_may_be_shared": quote.redacted_text,
            "codes": [tag.label for tag in quote.tags],
            "reviewed": quote.reviewed,
            "made": quote.created,
            "made_by": quote.created_by,
        }
        for response_id in response_ids
        for quote in quotes_of_response(db, response_id)
    )
    if not entries:
        return None
    return HeldAlongside("quotes", "Quotes made of their words", entries)
