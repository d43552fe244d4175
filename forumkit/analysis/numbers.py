"""Numbers, ranges and ratings: the distribution's bins and the summary (n, mean, quartiles).

Answers are taken exactly (``Fraction``), then counted in whole units of their finest decimal
place (a scale of 10 for answers like 2.5), so every figure and every fact the suppression
check reasons with is a whole number. The mean is shown to one decimal place, rounded half up;
the median and quartiles are answers themselves (nearest rank: the value at rank ⌈q·n⌉), so a
reader can reason about them exactly, and so does the check (:mod:`.tables`).

A distribution lists every value from the lowest to the highest (a range question: every point
of its scale) when there are at most :data:`MAX_VALUES` of them, else bins of a round width
("0–4", "5–9", …) with at most :data:`MAX_BINS` bins.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from forumkit.surveys import Question
from forumkit.surveys.answers import range_scale

MAX_VALUES = 21
"""A 0–10 score or a 1–20 count shows each value; more than this are binned."""
MAX_BINS = 12
MAX_DECIMALS = 4
QUARTERS = {"q1": 1, "median": 2, "q3": 3}
"""The quartiles shown, as quarters (nearest rank at ⌈quarter·n/4⌉)."""


def exact(value: object) -> Fraction | None:
    """An answer as an exact number; None for anything that is not a number (a tick, text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        return Fraction(number) if number.is_finite() else None
    return None


def decimals(number: Fraction) -> int:
    """How many decimal places ``number`` needs (at most :data:`MAX_DECIMALS`)."""
    for places in range(MAX_DECIMALS + 1):
        if (number * 10**places).denominator == 1:
            return places
    return MAX_DECIMALS


def scale_for(values: Iterable[Fraction], question: Question | None = None) -> int:
    """The unit answers are counted in: 10 to the finest decimal place among them (and, for a
    range question, among its scale's start and step)."""
    places = max((decimals(v) for v in values), default=0)
    if question is not None and question.type == "range":
        steps = range_scale(question)
        for point in (steps.start, steps.step):
            found = exact(point)
            if found is not None:
                places = max(places, decimals(found))
    unit: int = 10**places
    return unit


def in_units(value: Fraction, scale: int) -> int:
    """``value`` in whole units of ``1/scale`` (rounded to the nearest when finer)."""
    return round(value * scale)


def text_of(units: int, scale: int) -> str:
    """A value (in units of ``1/scale``) as people write it: ``3``, ``2.5``."""
    value = Fraction(units, scale)
    if value.denominator == 1:
        return str(value.numerator)
    places = decimals(value)
    return f"{float(value):.{places}f}"


def plain_number(units: int, scale: int) -> int | float:
    """A value for JSON: a whole number when it is one."""
    value = Fraction(units, scale)
    return value.numerator if value.denominator == 1 else float(value)


@dataclass(frozen=True)
class Bin:
    """One cell of a distribution: answers from ``low`` to ``high`` (units, inclusive)."""

    label: str
    low: int
    high: int


def _nice_width(span: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten (units) giving at most MAX_BINS bins."""
    power = 1
    while True:
        for step in (1, 2, 5):
            width = step * power
            if math.ceil(span / width) <= MAX_BINS:
                return width
        power *= 10


def distribution_bins(question: Question | None, units: Iterable[int], scale: int) -> list[Bin]:
    """The cells a number question's distribution is counted in (see the module doc)."""
    if question is not None and question.type == "range":
        found = [exact(point) for point in range_scale(question).points()]
        points = {in_units(p, scale) for p in found if p is not None} | set(units)
        if len(points) <= MAX_VALUES:
            return [Bin(text_of(p, scale), p, p) for p in sorted(points)]
    else:
        points = set(units)
        if not points:
            return []
        low, high = min(points), max(points)
        if high - low + 1 <= MAX_VALUES:
            return [Bin(text_of(p, scale), p, p) for p in range(low, high + 1)]
    return _binned(min(points), max(points), scale)


def _binned(low: int, high: int, scale: int) -> list[Bin]:
    width = _nice_width(high - low + 1)
    start = (low // width) * width
    bins = []
    while start <= high:
        end = start + width - 1
        if scale == 1:
            label = f"{text_of(start, scale)}–{text_of(end, scale)}"
        else:
            label = f"{text_of(start, scale)} to under {text_of(end + 1, scale)}"
        bins.append(Bin(label, start, end))
        start += width
    return bins


def bin_counts(bins: Sequence[Bin], units: Mapping[int, int]) -> list[int]:
    """How many answers fall in each bin (``units``: each answer's value → how many gave it)."""
    counts = [0] * len(bins)
    for value, many in units.items():
        for position, found in enumerate(bins):
            if found.low <= value <= found.high:
                counts[position] += many
                break
    return counts


@dataclass(frozen=True)
class Summary:
    """n, mean and quartiles of a group's answers (values in units of ``1/scale``)."""

    n: int
    total: int
    """The sum of the answers, in units."""
    scale: int
    quartiles: dict[str, int]
    """``q1``, ``median``, ``q3`` → the answer at that nearest rank, in units."""

    @property
    def mean_tenths(self) -> int:
        """The mean as shown, in tenths of the original unit, rounded half up."""
        return math.floor(Fraction(10 * self.total, self.n * self.scale) + Fraction(1, 2))

    @property
    def mean(self) -> float:
        return self.mean_tenths / 10


def nearest_rank(count: int, quarters: int) -> int:
    """The 1-based rank of the ``quarters``/4 quantile of ``count`` answers: ⌈q·n⌉."""
    return max(1, -((-quarters * count) // 4))


def summarise(units: Mapping[int, int], scale: int) -> Summary | None:
    """The summary of some answers (``units``: each value → how many gave it), or None when
    there are none."""
    count = sum(units.values())
    if not count:
        return None
    ordered = sorted(value for value, many in units.items() if many)
    quartiles: dict[str, int] = {}
    for name, quarters in QUARTERS.items():
        rank = nearest_rank(count, quarters)
        seen = 0
        for value in ordered:
            seen += units[value]
            if seen >= rank:
                quartiles[name] = value
                break
    total = sum(value * many for value, many in units.items())
    return Summary(count, total, scale, quartiles)
