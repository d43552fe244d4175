"""What a reader could work out from a published table, by brute force (independent of forumkit's
own check, which reasons with flows and a search).

A reader sees each figure as a number, ``"<t"`` (1 to t−1) or ``"*"``; knowing forumkit's rules,
they know a ``"*"`` in a table suppressed cell by cell is a count of t or more, and in a table
withheld whole any count. :func:`grid_values` lists every value each figure of a grid (cells, row
totals, column totals, grand total) takes in some grid that fits all of that, by dynamic
programming over the rows (every reachable tuple of column sums). :func:`rating_values` does the
same for a one-way rating table by listing every distribution and keeping those that would be
published the same way (same numbers, same mean to one decimal place, same quartiles).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
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


def _row_assignments(
    cells: Sequence[Bounds], state: tuple[int, ...], columns: Sequence[Bounds], row: Bounds
) -> Iterator[tuple[int, ...]]:
    def extend(position: int, partial: tuple[int, ...], total: int) -> Iterator[tuple[int, ...]]:
        if position == len(cells):
            if row[0] <= total <= row[1]:
                yield partial
            return
        low, high = cells[position]
        high = min(high, columns[position][1] - state[position], row[1] - total)
        for value in range(low, high + 1):
            yield from extend(position + 1, (*partial, value), total + value)

    yield from extend(0, (), 0)


def grid_values(
    cells: Sequence[Sequence[Bounds]],
    rows: Sequence[Bounds],
    columns: Sequence[Bounds],
    grand: Bounds,
) -> tuple[list[list[set[int]]], list[set[int]], list[set[int]], set[int]]:
    """Every value each figure takes in some grid within these bounds."""
    width = len(columns)
    forward: list[set[tuple[int, ...]]] = [{(0,) * width}]
    for number, row in enumerate(rows):
        reached = set()
        for state in forward[-1]:
            for assignment in _row_assignments(cells[number], state, columns, row):
                reached.add(tuple(s + a for s, a in zip(state, assignment, strict=True)))
        forward.append(reached)
    final = {
        state
        for state in forward[-1]
        if all(low <= s <= high for s, (low, high) in zip(state, columns, strict=True))
        and grand[0] <= sum(state) <= grand[1]
    }
    good = final
    cell_values = [[set() for _ in columns] for _ in rows]
    row_values: list[set[int]] = [set() for _ in rows]
    for number in range(len(rows) - 1, -1, -1):
        earlier = set()
        for state in forward[number]:
            for assignment in _row_assignments(cells[number], state, columns, rows[number]):
                after = tuple(s + a for s, a in zip(state, assignment, strict=True))
                if after in good:
                    earlier.add(state)
                    for column, value in enumerate(assignment):
                        cell_values[number][column].add(value)
                    row_values[number].add(sum(assignment))
        good = earlier
    column_values = [{state[j] for state in final} for j in range(width)]
    return cell_values, row_values, column_values, {sum(state) for state in final}


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
    responses: int,
    statistics: tuple[int, list[int]] | None,
) -> tuple[list[set[int]], set[int], set[int]]:
    """Every value each cell, "no answer" and "answered" take in some distribution that would be
    published the same way; ``statistics`` is (mean in tenths, [q1, median, q3]) when shown."""
    cell_values: list[set[int]] = [set() for _ in cells]
    no_answer_values: set[int] = set()
    answered_values: set[int] = set()
    ranges = [range(low, min(high, responses) + 1) for low, high in cells]
    for distribution in itertools.product(*ranges):
        count = sum(distribution)
        missing = responses - count
        if not (answered[0] <= count <= answered[1] and no_answer[0] <= missing <= no_answer[1]):
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
        no_answer_values.add(missing)
        answered_values.add(count)
    return cell_values, no_answer_values, answered_values
