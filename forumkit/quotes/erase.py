"""Erasure reaches quotes: a respondent's erasure (or a survey removed with its responses)
deletes their quotes and tags first, in the same transaction, before their responses.

:func:`erase_quotes` is one of ``forumkit.responses.requests.ERASERS`` (the package's public
face adds it when ``forumkit.quotes`` is imported). The schema's trigger
``quotes_go_with_their_response`` deletes the quotes with their responses in any case (so an
erasure run where this package was never imported leaves no quote behind either); the eraser
counts them for the erasure's report and leaves "erased" tombstones beside the responses', so
no merge brings an erased parent's quotes back from another laptop's copy. The erasure vacuums
the database and rewrites the backup, so nothing of the quoted words survives in either file.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from forumkit import tombstones
from forumkit.quotes.edit import remove_quotes

_BATCH = 500


def erase_quotes(db: sqlite_utils.Database, response_ids: Sequence[str]) -> dict[str, int]:
    """Delete every quote (and tag) of these responses; counts of each (none when there were
    no quotes, so an erasure's report reads the same whether or not quotes were ever made)."""
    quote_ids: list[str] = []
    tags = 0
    for begin in range(0, len(response_ids), _BATCH):
        batch = list(response_ids[begin : begin + _BATCH])
        marks = ", ".join("?" * len(batch))
        quote_ids.extend(
            str(row[0])
            for row in db.execute(
                f"SELECT id FROM quotes WHERE response_id IN ({marks})",  # noqa: S608 (marks)
                batch,
            ).fetchall()
        )
    for begin in range(0, len(quote_ids), _BATCH):
        batch = quote_ids[begin : begin + _BATCH]
        marks = ", ".join("?" * len(batch))
        tags += int(
            db.execute(
                f"SELECT COUNT(*) FROM quote_tags WHERE quote_id IN ({marks})",  # noqa: S608
                batch,
            ).fetchone()[0]
        )
    if not quote_ids:
        return {}
    erased = remove_quotes(db, quote_ids)
    tombstones.bury(db, "quote", "erased", quote_ids)
    return {"quotes": erased, "tags": tags}
