"""What the suggester is given and what it gives back, as plain data.

The suggester knows nothing of the forum file or of codebooks as stored: the caller (the quotes
store, the command line) hands it each code's key, label, scope note and keywords, and the
quotes the forum has already tagged. So it can be trained in a worker thread, tested without a
database, and used for any codebook a forum makes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from forumkit.errors import ForumkitError


class SuggestionError(ForumkitError):
    """The codes handed to the suggester cannot be suggested from (no codes, a blank or repeated
    key), or forumkit's shipped keyword list is damaged."""


@dataclass(frozen=True, slots=True)
class CodeProfile:
    """What the suggester knows about one code before any quote is tagged with it.

    ``description`` is the code's scope note; ``keywords`` are words or phrases that, found in a
    quote, point to the code ("who pays for what", "tribunal"). Label, scope note and keywords
    together are the code's prior: they count as a few tagged quotes, so suggestions are useful
    from the first quote and the forum's own tagging takes over as it grows.
    """

    key: str
    label: str
    description: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TaggedExample:
    """A quote the forum has tagged: its text and the keys of its codes (from any codebook)."""

    text: str
    codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One code suggested for a quote.

    ``score`` ranks the codes of one suggestion list (higher first; the scores of all the codes
    add up to 1). It is a ranking, not a calibrated probability. ``because`` holds the code's
    keywords found in the quote, as the codebook spells them, so a reviewer can see why.
    """

    key: str
    score: float
    because: tuple[str, ...] = ()


def check_codes(codes: Sequence[CodeProfile]) -> None:
    """Refuse codes the suggester cannot rank: none at all, a blank key, a key given twice."""
    if not codes:
        raise SuggestionError("There are no codes to suggest from: the codebook has no codes.")
    seen: set[str] = set()
    for position, code in enumerate(codes, start=1):
        if not code.key.strip():
            raise SuggestionError(f"Code number {position} to suggest from has no key.")
        if code.key in seen:
            raise SuggestionError(
                f"The code key “{code.key}” appears twice among the codes to suggest from."
            )
        seen.add(code.key)
