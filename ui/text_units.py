"""Where the core's offsets meet Qt's: Unicode code points on one side, UTF-16 units on the other.

The core counts a quote's span in code points (Python ``str`` indices); a ``QTextDocument``
counts positions in UTF-16 units, so every character outside the Basic Multilingual Plane (an
emoji, 🧩) is one index to Python and two to Qt. These functions convert at the edge, in both
directions, and :func:`display_text` makes the text a document shows hold exactly one position
per code point of the answer.
"""

from __future__ import annotations

_ASTRAL = 0x10000


def display_text(answer: str) -> str:
    """``answer`` as a ``QTextDocument`` may show it, with the same code points at the same
    places: a document turns ``\\r\\n`` (two characters) into one paragraph break, so the
    ``\\r`` of a Windows line break becomes a zero-width space and a lone ``\\r`` a line break."""
    if "\r" not in answer:
        return answer
    return answer.replace("\r\n", "\u200b\n").replace("\r", "\n")


def _is_plain(text: str) -> bool:
    return text.isascii() or max(map(ord, text), default=0) < _ASTRAL


def to_utf16(text: str, index: int) -> int:
    """The UTF-16 position of code point ``index`` of ``text``."""
    if _is_plain(text):
        return index
    return index + sum(1 for character in text[:index] if ord(character) >= _ASTRAL)


def to_code_points(text: str, position: int) -> int:
    """The code point index at UTF-16 ``position`` of ``text``; a position inside a character's
    surrogate pair (Qt never puts a cursor there) counts as the character's start."""
    if _is_plain(text):
        return max(0, min(position, len(text)))
    units = 0
    for index, character in enumerate(text):
        width = 2 if ord(character) >= _ASTRAL else 1
        if units + width > position:
            return index
        units += width
    return len(text)
