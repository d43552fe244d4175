"""Small-cell suppression cannot be undone: for random small tables, everything a reader could
work out from what is published (brute force, ``oracle``) leaves every count shown as "<t"
possibly each value from 1 to t−1, and pins no hidden count to one value."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forumkit.analysis import Display, protect_counts, protect_grid
from tests.core.analysis.oracle import bounds, grid_values

SMALL_COUNTS = st.integers(0, 12)
THRESHOLDS = st.sampled_from([3, 5])


def check_figure(display: Display, truth: int, seen: set[int], threshold: int, what: str) -> None:
    """One published figure against what a reader could work out about it."""
    assert truth in seen, f"{what}: the true value {truth} does not fit the published table"
    if 0 < truth < threshold:
        assert display is not Display.NUMBER, f"{what}: the small count {truth} is shown"
    if display is Display.NUMBER:
        return
    if display is Display.FEWER_THAN:
        assert 0 < truth < threshold, f"{what}: “<{threshold}” shown for {truth}"
    if display is Display.HIDDEN:
        assert truth >= threshold, f"{what}: a “*” meant to be {threshold} or more is {truth}"
    if 0 < truth < threshold:
        missing = set(range(1, threshold)) - seen
        assert not missing, f"{what}: a reader can rule out {sorted(missing)} (true {truth})"
    elif truth:
        assert len(seen) > 1, f"{what}: hidden, yet a reader can work out it is {truth}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SMALL_COUNTS, min_size=2, max_size=6), THRESHOLDS)
def test_one_way_tables_keep_their_small_cells(counts: list[int], threshold: int) -> None:
    displays, _ = protect_counts(counts, threshold)
    total = sum(counts)
    ceiling = total if total >= threshold or total == 0 else threshold - 1
    cells = [bounds(d, v, threshold, ceiling) for d, v in zip(displays, counts, strict=True)]
    shown_total = Display.FEWER_THAN if 0 < total < threshold else Display.NUMBER
    row = bounds(shown_total, total, threshold, ceiling)
    free = [(0, ceiling)] * len(counts)  # a one-way table publishes no column totals
    cell_values, _, _, _ = grid_values([cells], [row], free, row)
    for position, (display, truth) in enumerate(zip(displays, counts, strict=True)):
        check_figure(display, truth, cell_values[0][position], threshold, f"cell {position}")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 3).flatmap(
        lambda rows: st.integers(2, 3).flatmap(
            lambda columns: st.lists(
                st.lists(SMALL_COUNTS, min_size=columns, max_size=columns),
                min_size=rows,
                max_size=rows,
            )
        )
    ),
    THRESHOLDS,
)
def test_cross_tabs_with_margins_keep_their_small_cells(
    grid: list[list[int]], threshold: int
) -> None:
    shown = protect_grid(grid, threshold)
    row_totals = [sum(row) for row in grid]
    column_totals = [sum(column) for column in zip(*grid, strict=True)]
    total = sum(row_totals)
    ceiling = total if total >= threshold or total == 0 else threshold - 1
    cells = [
        [bounds(d, v, threshold, ceiling) for d, v in zip(ds, row, strict=True)]
        for ds, row in zip(shown.cells, grid, strict=True)
    ]
    rows = [bounds(d, v, threshold, ceiling) for d, v in zip(shown.rows, row_totals, strict=True)]
    columns = [
        bounds(d, v, threshold, ceiling) for d, v in zip(shown.columns, column_totals, strict=True)
    ]
    grand = bounds(shown.total, total, threshold, ceiling)
    cell_values, row_values, column_values, _ = grid_values(cells, rows, columns, grand)
    for i, row in enumerate(grid):
        for j, truth in enumerate(row):
            check_figure(shown.cells[i][j], truth, cell_values[i][j], threshold, f"cell {i},{j}")
        check_figure(shown.rows[i], row_totals[i], row_values[i], threshold, f"row total {i}")
    for j, truth in enumerate(column_totals):
        check_figure(shown.columns[j], truth, column_values[j], threshold, f"column total {j}")
