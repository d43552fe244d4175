"""Codes' keywords found in a quote: the suggestions a forum gets before it has tagged anything.

A keyword is a word or a phrase. Both it and the quote are read as stemmed terms without
function words (see ``text.terms``), and a keyword is found where its terms stand next to each
other in the quote's terms: "waiting times" is found in "the waiting time was a year", "knowledge
of the law" in "no knowledge of law". Each keyword counts once per quote, weighted by its number
of terms, because a longer phrase is more specific evidence than a single word.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from forumkit.paths import resource_path
from forumkit.suggest.model import CodeProfile, Suggestion, SuggestionError, check_codes
from forumkit.suggest.text import TermReader

KEY_MESSAGE_KEYWORDS = ("codebooks", "key-messages-keywords.json")


class KeywordMatcher:
    """The keywords of a list of codes, indexed so one pass over a quote finds them all."""

    def __init__(self, codes: Sequence[CodeProfile], reader: TermReader) -> None:
        # A keyword's first term leads to every keyword starting with it: (terms, code, wording).
        self._by_first_term: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
        for index, code in enumerate(codes):
            seen: set[tuple[str, ...]] = set()
            for keyword in code.keywords:
                phrase = tuple(reader.terms(keyword))
                # A keyword of function words only ("at") can never be found; two wordings with
                # the same terms ("inspection", "inspections") are one keyword.
                if not phrase or phrase in seen:
                    continue
                seen.add(phrase)
                self._by_first_term.setdefault(phrase[0], []).append((phrase, index, keyword))
        self._code_count = len(codes)

    def found(self, quote_terms: Sequence[str]) -> list[dict[str, int]]:
        """For each code, in order, the keywords found (as the codebook words them) and their
        number of terms."""
        found: list[dict[str, int]] = [{} for _ in range(self._code_count)]
        for start, term in enumerate(quote_terms):
            for phrase, index, keyword in self._by_first_term.get(term, ()):
                end = start + len(phrase)
                if tuple(quote_terms[start:end]) == phrase:
                    found[index][keyword] = len(phrase)
        return found


def keyword_suggestions(codes: Sequence[CodeProfile], text: str) -> list[Suggestion]:
    """Codes whose keywords are in ``text``, best first; codes with none are left out.

    No tagging needed, so this works in a forum's first session. Ties keep the codebook's order.
    Each call reads the codes' keywords afresh (about 2 ms for the seven key messages); to rank
    many quotes, train a ``Suggester`` once, which weighs the same keywords.
    """
    check_codes(codes)
    reader = TermReader()
    found = KeywordMatcher(codes, reader).found(reader.terms(text))
    weights = [sum(matches.values()) for matches in found]
    total = sum(weights)
    ranked = sorted(
        (index for index, weight in enumerate(weights) if weight > 0),
        key=lambda index: -weights[index],
    )
    return [
        Suggestion(codes[index].key, weights[index] / total, tuple(found[index]))
        for index in ranked
    ]


def key_message_keywords() -> dict[str, tuple[str, ...]]:
    """forumkit's keywords for the seven key messages, by code key (``resources/codebooks/``).

    They were drawn from the NNPCF's own documents and the scope notes only; a forum can edit
    them once they are part of its codebook.
    """
    path = resource_path(*KEY_MESSAGE_KEYWORDS)
    damaged = SuggestionError(
        f"forumkit's keyword list “{path.name}” is damaged; reinstall forumkit to restore it."
    )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise damaged from error
    keywords = document.get("keywords") if isinstance(document, dict) else None
    if not isinstance(keywords, dict):
        raise damaged
    result: dict[str, tuple[str, ...]] = {}
    for key, words in keywords.items():
        if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
            raise damaged
        result[str(key)] = tuple(words)
    return result
