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
from dataclasses import dataclass
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


FIRST_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class DenyIndex:
    """A deny-list ready to match: each term's pattern, filed under its first word, longest first.

    Looking a text's words up in ``by_first_word`` and trying only the terms filed there keeps
    a forum's list of a few hundred terms as quick as a short one; the rare term that starts
    with punctuation is searched for on its own.
    """

    by_first_word: dict[str, list[tuple[re.Pattern[str], RedactionKind]]]
    unanchored: list[tuple[re.Pattern[str], RedactionKind]]


@lru_cache(maxsize=16)
def compiled(terms: tuple[DenyTerm, ...]) -> DenyIndex:
    """The index of a whole deny-list.

    Cached (the quotes store passes the same list for every quote): the cache holds the forum's
    deny-list terms, never a parent's words.
    """
    chosen: dict[str, DenyTerm] = {}
    rank = {kind: i for i, kind in enumerate(SPECIFICITY)}
    for term in terms:
        key = normalise(term.text)
        known = chosen.get(key)
        # The same words listed twice with different kinds: the more specific kind wins.
        if known is None or rank[term.kind.redaction_kind] < rank[known.kind.redaction_kind]:
            chosen[key] = term
    index = DenyIndex({}, [])
    for key, term in sorted(chosen.items(), key=lambda item: (-len(item[0]), item[0])):
        entry = (re.compile(term_pattern(term.text), re.IGNORECASE), term.kind.redaction_kind)
        first = FIRST_WORD.match(key)
        if first is None:
            index.unanchored.append(entry)
        else:
            index.by_first_word.setdefault(first.group(), []).append(entry)
    return index


def find_deny_terms(text: str, deny_list: Iterable[DenyTerm]) -> Iterator[RedactionSpan]:
    """Each place in ``text`` where a deny-list term occurs, with the token its kind gives.

    Where two terms start at the same word ("Oakwood", "Oakwood Academy") the longer that
    matches is proposed; other overlaps are settled with the other detectors' proposals.
    """
    terms = tuple(deny_list)
    if not terms:
        return
    index = compiled(terms)
    for word in FIRST_WORD.finditer(text):
        # Longest terms first: at one place, only the longest that matches is proposed.
        for pattern, kind in index.by_first_word.get(word.group().lower(), ()):
            match = pattern.match(text, word.start())
            if match:
                yield RedactionSpan(match.start(), match.end(), kind)
                break
    for pattern, kind in index.unanchored:
        for match in pattern.finditer(text):
            yield RedactionSpan(match.start(), match.end(), kind)
