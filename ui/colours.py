"""The app's own few colours (everything else comes from the system palette), light and dark,
chosen for WCAG AA contrast on the palette's window and base colours (tests/ui check them)."""

from __future__ import annotations

from PySide6.QtGui import QPalette

COLOURS: dict[str, tuple[str, str]] = {
    "focus": ("#0B57D0", "#8AB4F8"),
    "error": ("#A50E0E", "#FF9C94"),
    "hint": ("#4A4A4A", "#C8C8C8"),
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colour(name: str, palette: QPalette) -> str:
    """One of :data:`COLOURS`, for the palette's light or dark look."""
    light, dark = COLOURS[name]
    return dark if is_dark(palette) else light
