"""A respondent's right of access reaches the conflicts a merge kept: another laptop's version
of one of their responses, or of a quote of their words, is their data too until the chair
resolves it, so their copy of their data lists it whole.

:func:`kept_versions_held` is one of ``forumkit.responses.requests.ACCESS_PARTS`` (the
package's public face adds it when ``forumkit.merge`` is imported). Erasure needs no part here:
deleting a response or a quote deletes its kept versions (the schema's triggers).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from forumkit.merge.conflicts import list_conflicts
from forumkit.responses.requests import HeldAlongside


def kept_versions_held(
    db: sqlite_utils.Database, response_ids: Sequence[str]
) -> HeldAlongside | None:
    """Versions of these responses, and of quotes of them, that a merge kept aside."""
    wanted = set(response_ids)
    entries = tuple(
        {
            "kind": conflict.kind,
            "id": conflict.record_id,
            "kept_since": conflict.found,
            "from_copy": conflict.theirs.source,
            "version": _readable(conflict.theirs.row),
        }
        for kind in ("response", "quote")
        for conflict in list_conflicts(db, kind)
        if (conflict.record_id if kind == "response" else conflict.theirs.row.get("response_id"))
        in wanted
    )
    if not entries:
        return None
    return HeldAlongside(
        "kept_by_merge", "Other versions kept by a merge, waiting for review", entries
    )


def _readable(row: dict[str, Any]) -> dict[str, Any]:
    """The kept row with a response's answers decoded, so the copy shows them as answers."""
    answers = row.get("answers")
    if isinstance(answers, str):
        try:
            return {**row, "answers": json.loads(answers)}
        except ValueError:
            return dict(row)
    return dict(row)
