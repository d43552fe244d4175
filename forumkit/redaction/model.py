"""What redaction proposes: spans of a text, each with the kind of detail and its token.

Offsets are Unicode code points (Python ``str`` indices), never UTF-16 units; the desktop app
converts from Qt's units at its edge. A ``Redaction``'s ``repr`` shows offsets and kinds only,
never the text, so it can appear in a log or a traceback without carrying a parent's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from forumkit.errors import ForumkitError


class RedactionError(ForumkitError):
    """A deny-list entry or a set of spans that cannot be used to redact a text."""


class RedactionKind(StrEnum):
    """The kinds of identifying detail forumkit replaces, each with its own token."""

    NAME = "name"
    SCHOOL = "school"
    PLACE = "place"
    PHONE = "phone"
    EMAIL = "email"
    POSTCODE = "postcode"
    NHS_NUMBER = "NHS number"
    DATE = "date"
    LINK = "link"

    @property
    def token(self) -> str:
        """The text that replaces a detail of this kind: ``[name]``, ``[NHS number]``, …"""
        return f"[{self.value}]"


# When two proposals of the same length cover the same characters, the kind earlier here wins:
# the detectors with the strictest patterns first, the word lists last.
SPECIFICITY: tuple[RedactionKind, ...] = (
    RedactionKind.EMAIL,
    RedactionKind.LINK,
    RedactionKind.NHS_NUMBER,
    RedactionKind.PHONE,
    RedactionKind.POSTCODE,
    RedactionKind.DATE,
    RedactionKind.SCHOOL,
    RedactionKind.PLACE,
    RedactionKind.NAME,
)


class DenyKind(StrEnum):
    """What a forum's deny-list entry names, which decides its token."""

    SCHOOL = "school"
    PERSON = "person"
    PLACE = "place"

    @property
    def redaction_kind(self) -> RedactionKind:
        """school → ``[school]``, person → ``[name]``, place → ``[place]``."""
        return {
            DenyKind.SCHOOL: RedactionKind.SCHOOL,
            DenyKind.PERSON: RedactionKind.NAME,
            DenyKind.PLACE: RedactionKind.PLACE,
        }[self]


@dataclass(frozen=True)
class DenyTerm:
    """One entry of a forum's deny-list: a school, a member of staff or a place to redact.

    ``kind`` may be given as its value (``"school"``, ``"person"``, ``"place"``), as a file
    stores it. An entry must hold at least one letter or digit.
    """

    text: str = field(repr=False)
    kind: DenyKind

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", DenyKind(self.kind))
        except ValueError:
            raise RedactionError(
                "A deny-list entry's kind must be school, person or place."
            ) from None
        if not any(c.isalnum() for c in self.text):
            raise RedactionError("A deny-list entry is empty: it needs a letter or a digit.")


@dataclass(frozen=True, order=True)
class RedactionSpan:
    """One proposed replacement: characters ``start``–``end`` (code points) are a ``kind``."""

    start: int
    end: int
    kind: RedactionKind

    @property
    def replacement(self) -> str:
        """The token that replaces the span's text."""
        return self.kind.token

    def overlaps(self, other: RedactionSpan) -> bool:
        """Whether the two spans share at least one character."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Redaction:
    """A text, the non-overlapping spans proposed for it (in order) and the text redacted."""

    text: str = field(repr=False)
    spans: tuple[RedactionSpan, ...]

    def __post_init__(self) -> None:
        check_spans(self.text, self.spans)

    @cached_property
    def redacted_text(self) -> str:
        """The text with every span replaced by its token."""
        return apply_spans(self.text, self.spans)

    @property
    def is_clean(self) -> bool:
        """Whether nothing identifying was detected."""
        return not self.spans

    def detected(self, span: RedactionSpan) -> str:
        """The original characters a span covers (for showing a reviewer what goes)."""
        return self.text[span.start : span.end]

    def keeping(self, spans: tuple[RedactionSpan, ...]) -> Redaction:
        """The same text with only ``spans`` applied: a reviewer's choice among the proposals."""
        return Redaction(self.text, tuple(sorted(spans)))


def check_spans(text: str, spans: tuple[RedactionSpan, ...]) -> None:
    """Refuse spans that are empty, outside the text, out of order or overlapping."""
    previous_end = 0
    for number, span in enumerate(spans, start=1):
        if not 0 <= span.start < span.end <= len(text):
            raise RedactionError(
                f"Redaction span {number} ({span.start}–{span.end}) is empty or lies outside "
                f"the text of {len(text)} characters."
            )
        if span.start < previous_end:
            raise RedactionError(
                f"Redaction span {number} ({span.start}–{span.end}) overlaps or precedes the "
                "one before it."
            )
        previous_end = span.end


def apply_spans(text: str, spans: tuple[RedactionSpan, ...]) -> str:
    """``text`` with each span (in order, not overlapping) replaced by its token."""
    check_spans(text, spans)
    pieces: list[str] = []
    position = 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(span.replacement)
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)
