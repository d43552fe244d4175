"""What a reader could work out from a published table, by brute force (independent of forumkit's
own check, which reasons with flows and a search).

A reader sees each figure as a number, ``"<t"`` (1 to t−1) or ``"*"``; knowing forumkit's rules,
they know a ``"*"`` in a table suppressed cell by cell is a count of t or more, and in a table
withheld whole any count. :class:`Grid` answers whether a figure of a grid (a cell, a row or
column total, the grand total) could be a value, by looking for a whole grid that fits all of
that with that value (a plain depth-first search). :func:`rating_values` does the
same for a one-way rating table by listing every distribution and keeping those that would be
published the same way (same numbers, same mean to one decimal place, same quartiles).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from fractions import Fraction

from forumkit.analysis import Display

Bounds = tuple[int, int]


def bounds(display: Display, value: int, threshold: int, ceiling: int) -> Bounds:
    """What a reader knows of one figure from how it is shown."""
    if display is Display.NUMBER:
        return value, value
    if display is Display.FEWER_THAN:
        return 1, threshold - 1
    if display is Display.HIDDEN:
        return threshold, ceiling
    return 0, ceiling


class Grid:
    """A published grid as a reader sees it: bounds for every cell, row total, column total and
    the grand total. :meth:`fits` looks for a whole grid within them, by depth-first search over
    the cells with each total's remaining room narrowing the next cell (no flows, no network)."""

    def __init__(
        self,
        cells: Sequence[Sequence[Bounds]],
        rows: Sequence[Bounds],
        columns: Sequence[Bounds],
        grand: Bounds,
    ) -> None:
        self.cells = [list(row) for row in cells]
        self.rows = list(rows)
        self.columns = list(columns)
        self.grand = grand

    def fits(self) -> bool:
        """Whether some grid lies within all the bounds."""
        height, width = len(self.rows), len(self.columns)
        order = [(i, j) for i in range(height) for j in range(width)]
        row_sum = [0] * height
        column_sum = [0] * width
        # What the cells not yet placed can still add, per row, per column and in all.
        row_left = [
            [sum(self.cells[i][k][b] for k in range(width)) for b in (0, 1)] for i in range(height)
        ]
        column_left = [
            [sum(self.cells[k][j][b] for k in range(height)) for b in (0, 1)] for j in range(width)
        ]
        all_left = [sum(r[b] for r in row_left) for b in (0, 1)]
        total = [0]
        # Where the search has been: the same cell with the same sums so far fails again.
        failed: set[tuple[int, ...]] = set()

        def place(position: int) -> bool:
            if position == len(order):
                return self.grand[0] <= total[0] <= self.grand[1]
            i, j = order[position]
            seen = (position, row_sum[i], *column_sum)
            if seen in failed or not balanced(i):
                return False
            found = search(position, i, j)
            if not found:
                failed.add(seen)
            return found

        def balanced(i: int) -> bool:
            """Whether what the rows still need and what the columns still need can agree."""
            rows_low = max(0, self.rows[i][0] - row_sum[i])
            rows_high = self.rows[i][1] - row_sum[i]
            for later in range(i + 1, height):
                rows_low += self.rows[later][0]
                rows_high += self.rows[later][1]
            pairs = list(zip(self.columns, column_sum, strict=True))
            columns_low = sum(max(0, c[0] - s) for c, s in pairs)
            columns_high = sum(c[1] - s for c, s in pairs)
            grand_low, grand_high = self.grand[0] - total[0], self.grand[1] - total[0]
            low = max(rows_low, columns_low, grand_low, 0)
            high = min(rows_high, columns_high, grand_high)
            return low <= high

        def search(position: int, i: int, j: int) -> bool:
            low, high = self.cells[i][j]
            for left, spent, (lo_bound, hi_bound) in (
                (row_left[i], row_sum[i], self.rows[i]),
                (column_left[j], column_sum[j], self.columns[j]),
                (all_left, total[0], self.grand),
            ):
                others_low, others_high = left[0] - low, left[1] - high
                low = max(low, lo_bound - spent - others_high)
                high = min(high, hi_bound - spent - others_low)
            if low > high:
                return False
            cell_low, cell_high = self.cells[i][j]
            for left in (row_left[i], column_left[j], all_left):
                left[0] -= cell_low
                left[1] -= cell_high
            found = False
            for value in range(low, high + 1):
                row_sum[i] += value
                column_sum[j] += value
                total[0] += value
                found = place(position + 1)
                row_sum[i] -= value
                column_sum[j] -= value
                total[0] -= value
                if found:
                    break
            for left in (row_left[i], column_left[j], all_left):
                left[0] += cell_low
                left[1] += cell_high
            return found

        return place(0)

    def could_be(self, kind: str, index: tuple[int, ...], value: int) -> bool:
        """Whether a grid fits with one figure (a ``cell`` (i, j), a ``row`` (i,), a
        ``column`` (j,), or the ``grand`` total ()) at ``value``."""
        saved = ([list(row) for row in self.cells], list(self.rows), list(self.columns), self.grand)
        try:
            if kind == "cell":
                i, j = index
                self.cells[i][j] = _within(self.cells[i][j], value)
            elif kind == "row":
                self.rows[index[0]] = _within(self.rows[index[0]], value)
            elif kind == "column":
                self.columns[index[0]] = _within(self.columns[index[0]], value)
            else:
                self.grand = _within(self.grand, value)
            return self.fits()
        finally:
            self.cells, self.rows, self.columns, self.grand = saved


def _within(bounds: Bounds, value: int) -> Bounds:
    """``value`` as bounds, or empty ones when it is outside ``bounds``."""
    return (value, value) if bounds[0] <= value <= bounds[1] else (1, 0)


def shown_mean_tenths(total: int, count: int) -> int:
    return math.floor(Fraction(10 * total, count) + Fraction(1, 2))


def nearest_rank_values(distribution: Sequence[int], scores: Sequence[int]) -> list[int]:
    """q1, median, q3 of answers given as counts per score (nearest rank ⌈q·n⌉)."""
    answers = [
        score for score, count in zip(scores, distribution, strict=True) for _ in range(count)
    ]
    n = len(answers)
    return [answers[max(1, math.ceil(quarters * n / 4)) - 1] for quarters in (1, 2, 3)]


def rating_values(
    scores: Sequence[int],
    cells: Sequence[Bounds],
    no_answer: Bounds,
    answered: Bounds,
    responses: Bounds,
    statistics: tuple[int, list[int]] | None,
) -> tuple[list[set[int]], set[int], set[int]]:
    """Every value each cell, "no answer" and "answered" take in some distribution that would be
    published the same way; ``statistics`` is (mean in tenths, [q1, median, q3]) when shown."""
    cell_values: list[set[int]] = [set() for _ in cells]
    no_answer_values: set[int] = set()
    answered_values: set[int] = set()
    ranges = [range(low, min(high, responses[1]) + 1) for low, high in cells]
    for distribution in itertools.product(*ranges):
        count = sum(distribution)
        if not answered[0] <= count <= answered[1]:
            continue
        fitting = [
            n - count
            for n in range(responses[0], responses[1] + 1)
            if no_answer[0] <= n - count <= no_answer[1]
        ]
        if not fitting:
            continue
        if statistics is not None:
            if count == 0:
                continue
            total = sum(score * n for score, n in zip(scores, distribution, strict=True))
            mean, quartiles = statistics
            if shown_mean_tenths(total, count) != mean:
                continue
            if nearest_rank_values(distribution, scores) != quartiles:
                continue
        for position, value in enumerate(distribution):
            cell_values[position].add(value)
        no_answer_values.update(fitting)
        answered_values.add(count)
    return cell_values, no_answer_values, answered_values


def multi_select_values(
    options: Sequence[Bounds], answered: Bounds, no_answer: Bounds, responses: Bounds
) -> tuple[list[set[int]], set[int], set[int]]:
    """Every value each option's count, "answered" and "no answer" take in some multi-select
    table that fits: each option at most those who answered, together at least them."""
    option_values: list[set[int]] = [set() for _ in options]
    answered_values: set[int] = set()
    no_answer_values: set[int] = set()
    for base in range(answered[0], min(answered[1], responses[1]) + 1):
        fitting = [
            n - base
            for n in range(responses[0], responses[1] + 1)
            if no_answer[0] <= n - base <= no_answer[1]
        ]
        if not fitting:
            continue
        ranges = [range(low, min(high, base) + 1) for low, high in options]
        for ticks in itertools.product(*ranges):
            if sum(ticks) < base:
                continue
            for position, value in enumerate(ticks):
                option_values[position].add(value)
            answered_values.add(base)
            no_answer_values.update(fitting)
    return option_values, answered_values, no_answer_values
