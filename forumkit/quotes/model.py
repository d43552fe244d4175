"""Quotes as data: a span of one parent's free-text answer, its redacted text, review and tags.

Offsets are Unicode code points (Python ``str`` indices), never Qt's UTF-16 units: the desktop
app converts at its edge. A quote keeps a copy of the words it covered when it was made
(``text``), so that when the answer is corrected later the quote is *flagged* (its ``state``)
and never silently shifted onto other words. The ``redacted_text`` is the only text of a quote
that may ever leave the forum file.

A ``Quote``'s ``repr`` shows ids, offsets and flags only, never the parent's words, so one can
appear in a log or a traceback without carrying them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

QuoteState = Literal["current", "moved", "changed", "gone"]
"""How a quote stands against its answer as the answer is now:

- ``current``: the answer still holds the quoted words at the quote's place;
- ``moved``: the answer was corrected and the words now stand elsewhere in it
  (``relocate_quote`` puts the quote there);
- ``changed``: the answer was corrected and no longer holds the words;
- ``gone``: the question is no longer answered.

Only a current quote may leave the file (``quote_may_leave``)."""

QUOTE_STATES: tuple[QuoteState, ...] = ("current", "moved", "changed", "gone")

FREE_TEXT_TYPES = frozenset({"text"})
"""Question types whose answers are parents' own words, the ones quotes are made from."""


@dataclass(frozen=True)
class Tag:
    """One code on a quote, with who tagged it and when."""

    code_id: str
    key: str
    """The code's key (``listen-early``)."""
    codebook_key: str
    in_default_codebook: bool
    label: str
    tagged_by: str
    tagged_at: str

    @property
    def reference(self) -> str:
        """How a spreadsheet or the command line names the code: its key in the default
        codebook (the seven key messages), ``codebook/key`` in any other."""
        return self.key if self.in_default_codebook else f"{self.codebook_key}/{self.key}"


@dataclass(frozen=True)
class Quote:
    """One quote as stored, with its tags and its state against the answer as it is now."""

    id: str
    response_id: str
    survey_id: str
    question: str
    """The name of the free-text question answered."""
    start: int
    end: int
    """Characters ``start`` to ``end`` (code points) of the answer when the quote was made."""
    text: str = field(repr=False)
    """The words quoted, as they were when the quote was made (never leaves the file)."""
    redacted_text: str = field(repr=False)
    """The words with identifying details replaced: the only text that may leave the file."""
    redaction_edited: bool
    """Whether a person changed ``redacted_text`` from what forumkit proposed."""
    reviewed: bool
    reviewed_by: str
    reviewed_at: str
    created: str
    created_by: str
    modified: str
    tags: tuple[Tag, ...] = ()
    state: QuoteState = "current"
    """Read afresh against the current answer whenever the quote is read (see QuoteState)."""

    @property
    def code_ids(self) -> frozenset[str]:
        return frozenset(tag.code_id for tag in self.tags)

    @property
    def references(self) -> tuple[str, ...]:
        """The codes as a spreadsheet names them (``Tag.reference``), in the order tagged."""
        return tuple(tag.reference for tag in self.tags)


@dataclass(frozen=True)
class QuoteChange:
    """What one change did to one quote: the quote before (None when it was made) and after
    (None when it was deleted). The app undoes a change with ``restore_quote(before)``, or
    ``delete_quote(after.id)`` when ``before`` is None."""

    before: Quote | None
    after: Quote | None

    @property
    def quote_id(self) -> str:
        quote = self.after or self.before
        if quote is None:
            raise ValueError("a quote change names a quote before or after it")
        return quote.id

    @property
    def changed(self) -> bool:
        """False when the call left the quote exactly as it was (nothing was saved)."""
        return self.before != self.after


def state_of(answer: object, start: int, end: int, text: str) -> QuoteState:
    """How a quote of ``text`` at ``start``–``end`` stands against the answer ``answer`` now."""
    if not isinstance(answer, str) or not answer:
        return "gone"
    if answer[start:end] == text:
        return "current"
    if text in answer:
        return "moved"
    return "changed"


def quote_id_for(response_id: str, question: str, start: int, end: int) -> str:
    """The id a quote of this span gets, the same in every copy of the forum's file, so two
    laptops (or two imports of one spreadsheet) that quote the same words agree."""
    return str(uuid.uuid5(uuid.UUID(response_id), f"quote:{question}:{start}:{end}"))
