"""Protecting plain tables of counts the way an analysis protects a question's.

:func:`protect_counts` takes one row of counts with its total (a one-way table);
:func:`protect_grid` a grid with row totals, column totals and a grand total (a cross-tab). Both
go through the same tabulation and suppression as ``forumkit analyse``: the grid's rows are the
groups of an attribute, its columns the choices of a question, each margin protected as its own
one-way table first. They serve tables built elsewhere (an export of aggregates) and let the
tests check the suppression on any table they like.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from forumkit.analysis.counting import Tally
from forumkit.analysis.protection import Display, Level, protect
from forumkit.analysis.tables import ALL, Measure, QuestionTable, crosstab, tabulate
from forumkit.surveys import Question


@dataclass(frozen=True)
class GridDisplays:
    """How each count of a grid is published."""

    cells: list[list[Display]]
    rows: list[Display]
    """The row totals."""
    columns: list[Display]
    """The column totals."""
    total: Display
    level: Level
    """What the grid's own suppression did (its margins have their own)."""


def _measure(columns: int) -> Measure:
    names = {f"c{number}": f"column {number + 1}" for number in range(columns)}
    return Measure(Question("select_one", "counts"), "single", "counts", names)


def _table(measure: Measure, counts: Sequence[int], threshold: int) -> QuestionTable:
    tally = Tally(sum(counts), sum(counts), dict(zip(measure.cells, counts, strict=True)))
    return tabulate(measure, tally, threshold)


def protect_counts(counts: Sequence[int], threshold: int) -> tuple[list[Display], Level]:
    """How to publish a one-way table of ``counts`` (its total shown when it is not small)."""
    measure = _measure(len(counts))
    table = _table(measure, counts, threshold)
    total = sum(counts)
    if 0 < total < threshold:
        table.table.fixed[ALL] = Display.FEWER_THAN
    protection = protect(table.table, threshold)
    return [protection.displays[measure.cell_key(n)] for n in measure.cells], protection.level


def protect_grid(cells: Sequence[Sequence[int]], threshold: int) -> GridDisplays:
    """How to publish a grid of counts with its row, column and grand totals."""
    columns = len(cells[0])
    measure = _measure(columns)
    rows_measure = _measure(len(cells))
    totals = _table(measure, [sum(row[j] for row in cells) for j in range(columns)], threshold)
    groups = _table(rows_measure, [sum(row) for row in cells], threshold)
    grand = sum(sum(row) for row in cells)
    if 0 < grand < threshold:
        totals.table.fixed[ALL] = groups.table.fixed[ALL] = Display.FEWER_THAN
    totals_protection = protect(totals.table, threshold)
    groups_protection = protect(groups.table, threshold)
    rows = {
        name: _table(measure, row, threshold)
        for name, row in zip(rows_measure.cells, cells, strict=True)
    }
    row_keys = {name: rows_measure.cell_key(name) for name in rows}
    joined = crosstab(rows, row_keys, totals, totals_protection, groups, groups_protection)
    protection = protect(joined, threshold)
    displays = protection.displays
    return GridDisplays(
        cells=[
            [displays[("row", name, *measure.cell_key(c))] for c in measure.cells] for name in rows
        ],
        rows=[displays[("groups", *rows_measure.cell_key(name))] for name in rows],
        columns=[displays[measure.cell_key(c)] for c in measure.cells],
        total=displays[ALL],
        level=protection.level,
    )
