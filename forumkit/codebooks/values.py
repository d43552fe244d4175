"""Checking the values a forum gives a codebook or a code, the same way for every path in.

Each ``clean_*`` function returns the value as it is stored, or raises
:class:`~forumkit.codebooks.errors.CodeValueError` with one sentence naming the field. Editing a
code, adding one and importing a REFI-QDA file all go through these, so a file can never hold a
code that one path would have refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from forumkit.codebooks.colours import normalise_colour
from forumkit.codebooks.errors import CodeValueError
from forumkit.codebooks.model import (
    KEY,
    MAX_DESCRIPTION,
    MAX_KEY,
    MAX_KEYWORD,
    MAX_KEYWORDS,
    MAX_LABEL,
)

_SHORTCUT = re.compile(r"[0-9a-z]")
# XML 1.0 cannot carry these (a .qdc export would be unreadable) and no one types them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_key(key: str, what: str = "code") -> str:
    """A key: lower-case letters and digits in words joined by hyphens (``listen-early``)."""
    value = key.strip()
    if not KEY.fullmatch(value) or len(value) > MAX_KEY:
        raise CodeValueError(
            f"The {what} key “{shown(value)}” is not usable: a key is lower-case letters and "
            f"digits in words joined by hyphens (like listen-early), at most {MAX_KEY} characters."
        )
    return value


def key_from_label(label: str, taken: Iterable[str]) -> str:
    """A key made from ``label`` (``Speech & language`` → ``speech-language``), not in ``taken``."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    base = "-".join(words)[: MAX_KEY - 4].strip("-") or "code"
    used = set(taken)
    key, number = base, 2
    while key in used:
        key = f"{base}-{number}"
        number += 1
    return key


def clean_label(label: str, what: str = "code") -> str:
    """A label: one line, not empty, at most ``MAX_LABEL`` characters; spaces tidied."""
    if _CONTROL.search(label):
        raise CodeValueError(f"A {what} name may not hold control characters.")
    value = " ".join(label.split())
    if not value:
        raise CodeValueError(f"A {what} needs a name.")
    if len(value) > MAX_LABEL:
        raise CodeValueError(
            f"A {what} name may be at most {MAX_LABEL} characters; this one has {len(value):,}."
        )
    return value


def clean_description(text: str, what: str = "code") -> str:
    """A scope note or description: free text up to ``MAX_DESCRIPTION`` characters."""
    if _CONTROL.search(text):
        raise CodeValueError(f"A {what}'s description may not hold control characters.")
    value = text.strip()
    if len(value) > MAX_DESCRIPTION:
        raise CodeValueError(
            f"A {what}'s description may be at most {MAX_DESCRIPTION:,} characters; this one "
            f"has {len(value):,}."
        )
    return value


def clean_colour(colour: str) -> str:
    """A chip colour as ``#RRGGBB`` (``#RGB`` is accepted and widened)."""
    value = normalise_colour(colour)
    if value is None:
        raise CodeValueError(
            f"The colour “{shown(colour)}” is not usable: give it as #RRGGBB (like #E69F00)."
        )
    return value


def clean_shortcut(shortcut: str) -> str:
    """A keyboard shortcut: one digit or letter (stored in lower case), or "" for none."""
    value = shortcut.strip().lower()
    if value and not _SHORTCUT.fullmatch(value):
        raise CodeValueError(
            f"The shortcut “{shown(shortcut)}” is not usable: a shortcut is one digit or letter."
        )
    return value


def clean_keywords(keywords: Iterable[str]) -> tuple[str, ...]:
    """Keywords and phrases: tidied, without repeats (ignoring case), in the order given."""
    seen: set[str] = set()
    result: list[str] = []
    for keyword in keywords:
        if _CONTROL.search(keyword):
            raise CodeValueError("A keyword may not hold control characters.")
        value = " ".join(keyword.split())
        if not value or value.casefold() in seen:
            continue
        if len(value) > MAX_KEYWORD:
            raise CodeValueError(
                f"A keyword may be at most {MAX_KEYWORD} characters; “{shown(value)}” has "
                f"{len(value):,}."
            )
        seen.add(value.casefold())
        result.append(value)
    if len(result) > MAX_KEYWORDS:
        raise CodeValueError(
            f"A code may have at most {MAX_KEYWORDS} keywords; this one would have {len(result)}."
        )
    return tuple(result)


def shown(value: str) -> str:
    """A value short enough to quote in a one-sentence message."""
    return value if len(value) <= 40 else value[:37] + "…"
