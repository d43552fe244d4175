"""Codebooks and codes: what a forum tags parents' words with.

A codebook (the NNPCF's seven key messages, the four broad areas of need, the forum's own…)
holds codes. A code has a key (``listen-early``, used in spreadsheets and on the command line),
a label, a scope note saying what belongs under it, a chip colour, a keyboard shortcut, keywords
that suggest it, and optionally a parent code (codes form a tree).

Ids cross files (merging laptops, exchanging codebooks), so they are UUIDs that every file
agrees on: a shipped codebook's id comes from its key, and a code's id from its codebook's id
and its own key, so two laptops that add the code ``transport`` to one codebook give it the same
id. A code imported from a REFI-QDA file keeps the guid it came with.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from forumkit.codebooks.colours import text_colour_for

FORUMKIT_CODEBOOKS = uuid.UUID("acbe6de2-3e01-4e25-acbe-64b0e30b2fa5")
"""The namespace of shipped codebooks' ids (``schema.m005_codebooks`` holds a frozen copy)."""

KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_KEY = 64
MAX_LABEL = 300
MAX_DESCRIPTION = 20_000
MAX_KEYWORD = 100
MAX_KEYWORDS = 500


def codebook_id_for(key: str) -> str:
    """The id every forum file gives the shipped codebook ``key``."""
    return str(uuid.uuid5(FORUMKIT_CODEBOOKS, f"codebook:{key}"))


def code_id_for(codebook_id: str, key: str) -> str:
    """The id every forum file gives the code ``key`` made in the codebook ``codebook_id``."""
    return str(uuid.uuid5(uuid.UUID(codebook_id), f"code:{key}"))


KEY_MESSAGES_ID = codebook_id_for("nnpcf-key-messages")
INSPECTION_AREAS_ID = codebook_id_for("inspection-areas")
"""The five areas inspectors evaluate: the codebook the inspection-area mapping points into."""


@dataclass(frozen=True)
class Code:
    """One code of a codebook, as stored."""

    id: str
    codebook_id: str
    key: str
    label: str
    description: str
    """The scope note: what belongs under this code (editable by the forum)."""
    colour: str
    """The chip colour, ``#RRGGBB``."""
    shortcut: str
    """One digit or lower-case letter, unique within the codebook, or ""."""
    keywords: tuple[str, ...]
    """Words and phrases that, found in a quote, suggest this code."""
    parent_id: str | None
    codable: bool
    """False for a heading that only groups codes (REFI-QDA ``isCodable="false"``)."""
    position: int

    @property
    def text_colour(self) -> str:
        """Black or white: the label's colour on this code's chip (WCAG AA or better)."""
        return text_colour_for(self.colour)


@dataclass(frozen=True)
class Codebook:
    """A codebook with its codes, parents before their children, in the forum's order."""

    id: str
    key: str
    name: str
    description: str
    shipped: bool
    """Whether it came with forumkit (its content is still the forum's to edit)."""
    is_default: bool
    """The codebook tagging starts with (the seven key messages)."""
    codes: tuple[Code, ...]

    def code(self, key: str) -> Code | None:
        """This codebook's code with ``key``, if any."""
        return next((code for code in self.codes if code.key == key), None)

    def children(self, parent_id: str | None) -> tuple[Code, ...]:
        """The codes directly under ``parent_id`` (None: the top level)."""
        return tuple(code for code in self.codes if code.parent_id == parent_id)

    def walk(self) -> Iterator[tuple[int, Code]]:
        """Every code with its depth (0 at the top), each parent before its children."""

        def below(parent_id: str | None, depth: int) -> Iterator[tuple[int, Code]]:
            for code in self.children(parent_id):
                yield depth, code
                yield from below(code.id, depth + 1)

        yield from below(None, 0)


@dataclass(frozen=True)
class CodeDeletion:
    """What deleting a code did: which code went, and where its uses went.

    ``moved`` counts, per table that refers to codes, the rows that now point at
    ``merged_into``; ``dropped`` the rows that already had that code as well and were removed as
    duplicates.
    """

    code_id: str
    merged_into: str | None
    moved: dict[str, int]
    dropped: dict[str, int]
