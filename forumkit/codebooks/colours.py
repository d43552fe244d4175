"""Code colours: the chips a code is shown with, and text that stays readable on them.

A code's colour is never the only signal (its label or number is always beside it), but the
label written *on* the chip must still be readable: WCAG 2.x asks for a contrast ratio of at
least 4.5 : 1 for normal text (level AA). Of black and white, the one with the higher contrast
always reaches that (the worst case, a mid grey, still gives about 4.6 : 1), so the text colour
is computed from the chip colour rather than stored and allowed to drift.
"""

from __future__ import annotations

import re

OKABE_ITO = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
"""The Okabe–Ito colour-blind-safe palette (without its black), in order: the seven key
messages' chips, and the colours given to new codes that come without one."""

BLACK = "#000000"
WHITE = "#FFFFFF"
WCAG_AA_NORMAL_TEXT = 4.5

_HEX = re.compile(r"#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")


def normalise_colour(text: str) -> str | None:
    """``#RRGGBB`` in capitals for a ``#RGB`` or ``#RRGGBB`` colour, else None."""
    value = text.strip()
    if not _HEX.fullmatch(value):
        return None
    digits = value[1:].upper()
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return f"#{digits}"


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a ``#RRGGBB`` colour (0 for black, 1 for white)."""
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start : start + 2], 16) / 255
        linear = value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        channels.append(linear)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two ``#RRGGBB`` colours, from 1 (none) to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_for(chip: str) -> str:
    """Black or white, whichever reads better on ``chip`` (always at least WCAG AA)."""
    if contrast_ratio(chip, BLACK) >= contrast_ratio(chip, WHITE):
        return BLACK
    return WHITE


def palette_colour(index: int) -> str:
    """The ``index``-th colour of the Okabe–Ito palette, cycling."""
    return OKABE_ITO[index % len(OKABE_ITO)]
