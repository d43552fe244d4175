"""A protected table as it is published: figures as numbers, ``"<t"`` or ``"*"``, percentages
only of figures shown over a base shown, statistics only while they are shown.

The same plain data feeds ``forumkit analyse --json``, the chart specifications and the
evidence pack, so all of them show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from forumkit.analysis.numbers import plain_number
from forumkit.analysis.protection import Display, Key, Protection
from forumkit.analysis.tables import ALL, ANSWERED, NO_ANSWER, QuestionTable

Figure = int | str
"""A count as published: the number, ``"<t"`` or ``"*"``."""

HIDDEN_MARK = "*"

SUPPRESSION_NOTE = (
    "Counts from 1 to {below} are shown as “<{threshold}”; “*” hides a count so that a small "
    "one cannot be worked out from the others and the totals."
)
FORUM_ONLY = "For the forum only: small counts are not suppressed. Do not share these figures."


def figure(display: Display, value: int, threshold: int) -> Figure:
    """How one count is published."""
    if display is Display.NUMBER:
        return value
    if display is Display.FEWER_THAN:
        return f"<{threshold}"
    return HIDDEN_MARK


def percent(count: int, base: int) -> float:
    """``count`` as a percentage of ``base``, to one decimal place (half up)."""
    tenths = Fraction(1000 * count, base) + Fraction(1, 2)
    return int(tenths) / 10


@dataclass(frozen=True)
class Shown:
    """One question's table (of one group, or of all responses) as protected.

    ``prefix`` names the group inside a cross-tab's protection (``()`` for a one-way table).
    """

    table: QuestionTable
    protection: Protection
    prefix: Key = ()

    @property
    def threshold(self) -> int:
        return self.protection.threshold

    def display(self, key: Key) -> Display:
        return self.protection.displays[(*self.prefix, *key)]

    def value(self, key: Key) -> int:
        return self.table.table.counts[key]

    def figure(self, key: Key) -> Figure:
        return figure(self.display(key), self.value(key), self.threshold)

    @property
    def base_key(self) -> Key:
        """What percentages are of: all responses for one choice, else those who answered."""
        return ALL if self.table.measure.kind in ("single", "rating") else ANSWERED

    @property
    def base_of(self) -> str:
        return "responses" if self.base_key == ALL else "answered"

    def percentage(self, key: Key) -> float | None:
        """The percentage of a cell, when both it and its base are shown."""
        base = self.base_key
        if self.display(key) is not Display.NUMBER or self.display(base) is not Display.NUMBER:
            return None
        total = self.value(base)
        return percent(self.value(key), total) if total else None

    @property
    def statistics_shown(self) -> bool:
        return self.table.summary is not None and self.protection.shows_statistics(self.prefix)

    def cells(self) -> list[tuple[str, Key]]:
        measure = self.table.measure
        return [(name, measure.cell_key(name)) for name in measure.cells]

    def statistics(self) -> dict[str, Any] | None:
        """n, mean, median and quartiles (None for a question without scores)."""
        measure = self.table.measure
        if not measure.scored:
            return None
        summary = self.table.summary
        data: dict[str, Any] = {"n": self.figure(ANSWERED), "shown": self.statistics_shown}
        for name in ("mean", "median", "q1", "q3"):
            data[name] = None
        if summary is not None and self.statistics_shown:
            data["mean"] = summary.mean
            for name, units in summary.quartiles.items():
                data[name] = plain_number(units, summary.scale)
        return data

    def data(self) -> dict[str, Any]:
        """The table's figures as plain data (the ``--json`` shape of one table)."""
        measure = self.table.measure
        found: dict[str, Any] = {"responses": self.figure(ALL)}
        if measure.has_answered:
            found["answered"] = self.figure(ANSWERED)
        found["no_answer"] = self.figure(NO_ANSWER)
        found["base"] = self.figure(self.base_key)
        found["base_of"] = self.base_of
        cells = self.cells()
        found["counts"] = {name: self.figure(key) for name, key in cells}
        found["percentages"] = {name: self.percentage(key) for name, key in cells}
        statistics = self.statistics()
        if statistics is not None:
            found["statistics"] = statistics
        return found
