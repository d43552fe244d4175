"""Counted nouns and short lists in the sentences forumkit shows: “1 response”, “rows 3, 5 and 9”.

One helper for every count the command line and the app print, so that no message says
“1 responses” and long lists (16,000 unmapped columns, thousands of rows) stay one readable line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

LISTED_AT_MOST = 5
"""How many items a list names before it says “and N more”."""


def noun(count: int, singular: str, plural: str | None = None) -> str:
    """``singular`` for a count of one, else ``plural`` (by default ``singular`` + “s”)."""
    if count == 1:
        return singular
    return plural if plural is not None else singular + "s"


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """The count and its noun: “1 response”, “0 responses”, “1,204 responses”."""
    return f"{count:,} {noun(count, singular, plural)}"


def listed(items: Iterable[object], *, most: int = LISTED_AT_MOST) -> str:
    """“a”, “a and b”, “a, b and c”; past ``most`` items “a, b, c, d, e and 16,362 more”."""
    texts = [str(item) for item in items]
    if len(texts) > most:
        return f"{', '.join(texts[:most])} and {len(texts) - most:,} more"
    if len(texts) <= 1:
        return "".join(texts)
    return f"{', '.join(texts[:-1])} and {texts[-1]}"


def numbered(singular: str, numbers: Sequence[int], plural: str | None = None) -> str:
    """Numbered things named together: “row 3”, “rows 3, 5 and 9”, “rows 3, … and 40 more”."""
    return f"{noun(len(numbers), singular, plural)} {listed(f'{n:,}' for n in numbers)}"
