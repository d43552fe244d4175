"""Small helpers for the redaction tests: what a detector or ``propose`` found, as text."""

from __future__ import annotations

from collections.abc import Iterable

from forumkit.redaction import DenyTerm, RedactionSpan, propose


def found(text: str, spans: Iterable[RedactionSpan]) -> list[str]:
    """The characters each span covers, in order."""
    return [text[span.start : span.end] for span in sorted(spans)]


def redacted(text: str, deny_list: Iterable[DenyTerm] = ()) -> str:
    """The text as ``propose`` would redact it."""
    return propose(text, deny_list).redacted_text


def nhs_number(first_nine: str) -> str:
    """A valid NHS number from nine digits (their check digit appended); ValueError if none."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    if check == 10:
        raise ValueError("these nine digits have no valid check digit")
    return first_nine + str(check)
