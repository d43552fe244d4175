"""A forum's own deny-list: its schools, staff and places, matched as whole words or phrases.

Matching ignores case ("oakwood academy" finds "Oakwood Academy"), lets any run of spaces or a
line break stand for a space ("St  Mary's\\nPrimary"), and treats a straight and a curly
apostrophe alike. A term is found only as whole words: "Oak" does not redact "Oakwood". A
possessive keeps its ending ("Oakwood's" becomes "[school]'s"). When one term is part of a
longer one ("Oakwood", "Oakwood Academy"), the longer wins where both match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from forumkit.redaction.model import SPECIFICITY, DenyTerm, RedactionKind, RedactionSpan

APOSTROPHES = "'’‘`"


def normalise(phrase: str) -> str:
    """The form two deny-list matches are compared in: one space, one apostrophe, no case."""
    for apostrophe in APOSTROPHES[1:]:
        phrase = phrase.replace(apostrophe, "'")
    return " ".join(phrase.split()).lower()


def term_pattern(term: str) -> str:
    """A regular expression for one term, whole words at its ends, flexible inside."""
    words = []
    for word in term.split():
        pieces = [re.escape(c) if c not in APOSTROPHES else f"[{APOSTROPHES}]" for c in word]
        words.append("".join(pieces))
    body = r"\s+".join(words)
    stripped = " ".join(term.split())
    head = r"(?<!\w)" if stripped[0].isalnum() or stripped[0] == "_" else ""
    tail = r"(?!\w)" if stripped[-1].isalnum() or stripped[-1] == "_" else ""
    return head + body + tail


@lru_cache(maxsize=16)
def compiled(terms: tuple[DenyTerm, ...]) -> tuple[re.Pattern[str], tuple[RedactionKind, ...]]:
    """One pattern for a whole deny-list (longest terms first) and each group's kind.

    Cached: the quotes store passes the same list for every quote of a session.
    """
    chosen: dict[str, DenyTerm] = {}
    rank = {kind: i for i, kind in enumerate(SPECIFICITY)}
    for term in terms:
        key = normalise(term.text)
        known = chosen.get(key)
        # The same words listed twice with different kinds: the more specific kind wins.
        if known is None or rank[term.kind.redaction_kind] < rank[known.kind.redaction_kind]:
            chosen[key] = term
    ordered = sorted(chosen, key=lambda k: (-len(k), k))
    pattern = "|".join(f"({term_pattern(chosen[key].text)})" for key in ordered)
    kinds = tuple(chosen[key].kind.redaction_kind for key in ordered)
    return re.compile(pattern, re.IGNORECASE), kinds


def find_deny_terms(text: str, deny_list: Iterable[DenyTerm]) -> Iterator[RedactionSpan]:
    """Each place in ``text`` where a deny-list term occurs, with the token its kind gives."""
    terms = tuple(deny_list)
    if not terms:
        return
    pattern, kinds = compiled(terms)
    for match in pattern.finditer(text):
        assert match.lastindex is not None
        yield RedactionSpan(match.start(), match.end(), kinds[match.lastindex - 1])
