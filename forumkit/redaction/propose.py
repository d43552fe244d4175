"""Run every detector over a text and settle where their proposals overlap.

Overlaps are resolved by one rule: **the longest proposal wins**; between proposals of the same
length, the more specific kind wins (email, link, NHS number, phone, postcode, date, school,
place, name: ``model.SPECIFICITY``); then the earlier one. So an email address that contains a
name is one ``[email]``, "St Mary's Primary" on the deny-list beats the name "Mary", and a date
beats the month "May" inside it.

**What is found once is redacted everywhere.** A detail detected in one place is also redacted
wherever else the text has it written exactly the same way, as a whole word: in "Will you tell
Will?" the second "Will" is a name, so the first goes too, and a birthday's "3rd April" goes
wherever it recurs. The redacted text never shows a detected detail again.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator

from forumkit.redaction.contacts import (
    find_emails,
    find_links,
    find_nhs_numbers,
    find_phone_numbers,
)
from forumkit.redaction.dates import find_dates
from forumkit.redaction.deny import find_deny_terms
from forumkit.redaction.model import (
    SPECIFICITY,
    DenyTerm,
    Redaction,
    RedactionKind,
    RedactionSpan,
)
from forumkit.redaction.names import find_given_names
from forumkit.redaction.postcodes import find_postcodes

TOKEN = re.compile("|".join(re.escape(kind.token) for kind in RedactionKind))
RANK = {kind: i for i, kind in enumerate(SPECIFICITY)}


def resolve(candidates: Iterable[RedactionSpan]) -> tuple[RedactionSpan, ...]:
    """Non-overlapping spans from overlapping proposals, in text order (module docstring)."""
    starts: list[int] = []  # of the spans kept so far, in text order
    kept: list[RedactionSpan] = []
    ranked = sorted(candidates, key=lambda s: (s.start - s.end, RANK[s.kind], s.start))
    for span in ranked:
        at = bisect.bisect_left(starts, span.start)
        if at > 0 and kept[at - 1].end > span.start:
            continue
        if at < len(kept) and kept[at].start < span.end:
            continue
        starts.insert(at, span.start)
        kept.insert(at, span)
    return tuple(kept)


def token_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """Where redaction tokens (``[name]``, ``[NHS number]``, …) already stand in a text."""
    return tuple((m.start(), m.end()) for m in TOKEN.finditer(text))


def recurrences(text: str, spans: Iterable[RedactionSpan]) -> Iterator[RedactionSpan]:
    """Every whole-word place where a detected detail is written exactly as it was detected."""
    kinds: dict[str, RedactionKind] = {}
    for span in spans:
        kinds.setdefault(text[span.start : span.end], span.kind)
    for detail, kind in kinds.items():
        at = text.find(detail)
        while at != -1:
            end = at + len(detail)
            if not (
                (detail[0].isalnum() and at > 0 and is_word_character(text[at - 1]))
                or (detail[-1].isalnum() and end < len(text) and is_word_character(text[end]))
            ):
                yield RedactionSpan(at, end, kind)
            at = text.find(detail, at + 1)


def is_word_character(character: str) -> bool:
    """A letter, digit, underscore or combining mark: what continues a word."""
    return character.isalnum() or character == "_" or unicodedata.combining(character) != 0


def detect(text: str, deny_list: Iterable[DenyTerm]) -> tuple[RedactionSpan, ...]:
    """Every detector's proposals and their recurrences, minus any touching a token, resolved.

    Names are looked for last, with the other proposals standing in the text as their tokens,
    so that a name is judged in the same context as in the redacted text a reviewer rescans.
    """
    tokens = token_ranges(text)
    others = [
        *find_emails(text),
        *find_links(text),
        *find_nhs_numbers(text),
        *find_phone_numbers(text),
        *find_postcodes(text),
        *find_dates(text),
        *find_deny_terms(text, deny_list),
    ]
    settled = resolve(span for span in others if not touches(span, tokens))
    stand_ins = [
        *((start, end, text[start:end]) for start, end in tokens),
        *((span.start, span.end, span.replacement) for span in settled),
    ]
    found = resolve([*settled, *find_given_names(text, stand_ins)])
    again = [span for span in recurrences(text, found) if not touches(span, tokens)]
    return resolve([*found, *again])


def touches(span: RedactionSpan, ranges: tuple[tuple[int, int], ...]) -> bool:
    """Whether a span shares a character with any of the ranges."""
    return any(span.start < end and start < span.end for start, end in ranges)


def propose(text: str, deny_list: Iterable[DenyTerm] = ()) -> Redaction:
    """What to redact in a parent's words, and the text with it redacted.

    Detects email addresses, links, UK phone numbers, NHS numbers, UK postcodes, full dates
    (and birthdays), given names, and the forum's ``deny_list`` terms. Runs offline on shipped
    lists; nothing is downloaded and nothing is written anywhere.
    """
    return Redaction(text, detect(text, deny_list))


def rescan(edited_text: str, deny_list: Iterable[DenyTerm] = ()) -> Redaction:
    """What is still detected in a redacted text a reviewer has edited ("any edit is re-scanned").

    Detection is the same as ``propose``'s and holds no memory of the first pass: tokens already
    in the text (``[name]``, ``[phone]``, …) are left alone and are not read as context, so an
    edit that only accepted proposals comes back clean (``is_clean``), while a name or a number
    typed back in, or one that an edit moved into a recognisable context, is proposed again at
    its place in the edited text.
    """
    return propose(edited_text, deny_list)
