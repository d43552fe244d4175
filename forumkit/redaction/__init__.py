"""Redaction of parents' words before they leave the forum file: offline, on shipped lists.

``propose(text, deny_list)`` returns a ``Redaction``: the spans to replace (offsets in Unicode
code points, each with its kind and token) and ``redacted_text``. ``rescan(edited_text,
deny_list)`` checks a reviewer's edit of a redacted text. A forum's deny-list is a sequence of
``DenyTerm(text, kind)`` with kind school (→ ``[school]``), person (→ ``[name]``) or place
(→ ``[place]``).

What is detected, and the rules: ``contacts`` (emails, links, phone numbers, NHS numbers),
``postcodes``, ``dates``, ``names`` (given names, and when a name that is also a word counts),
``deny`` (the forum's own terms), ``propose`` (which proposal wins an overlap). This package
imports nothing from the database: it works on strings only.
"""

from __future__ import annotations

from forumkit.redaction.model import (
    DenyKind,
    DenyTerm,
    Redaction,
    RedactionError,
    RedactionKind,
    RedactionSpan,
    apply_spans,
)
from forumkit.redaction.propose import propose, rescan

__all__ = [
    "DenyKind",
    "DenyTerm",
    "Redaction",
    "RedactionError",
    "RedactionKind",
    "RedactionSpan",
    "apply_spans",
    "propose",
    "rescan",
]
