"""Small-cell suppression cannot be undone: for random small tables, everything a reader could
work out from what is published (brute force, ``oracle``) leaves every count shown as "<t"
possibly each value from 1 to t−1, and pins no hidden count to one value."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forumkit.analysis import Display, protect_counts, protect_grid
from forumkit.analysis.counting import Tally
from forumkit.analysis.protection import protect
from forumkit.analysis.published import Shown
from forumkit.analysis.tables import ALL, ANSWERED, NO_ANSWER, Measure, tabulate
from forumkit.surveys import Question
from tests.core.analysis.oracle import Grid, bounds, multi_select_values, rating_values

SMALL_COUNTS = st.integers(0, 12)
THRESHOLDS = st.sampled_from([3, 5])


def check_figure(
    display: Display,
    truth: int,
    possible: Callable[[int], bool] | set[int],
    threshold: int,
    what: str,
) -> None:
    """One published figure against what a reader could work out about it."""
    could_be = possible.__contains__ if isinstance(possible, set) else possible
    assert could_be(truth), f"{what}: the true value {truth} does not fit the published table"
    if 0 < truth < threshold:
        assert display is not Display.NUMBER, f"{what}: the small count {truth} is shown"
    if display is Display.NUMBER:
        return
    if display is Display.FEWER_THAN:
        assert 0 < truth < threshold, f"{what}: “<{threshold}” shown for {truth}"
    if display is Display.HIDDEN:
        assert truth >= threshold, f"{what}: a “*” meant to be {threshold} or more is {truth}"
    if 0 < truth < threshold:
        missing = [value for value in range(1, threshold) if not could_be(value)]
        assert not missing, f"{what}: a reader can rule out {missing} (true {truth})"
    elif truth:
        # A set lists every value; a grid's values run without gaps (no rule there skips one).
        if isinstance(possible, set):
            others = len(possible) > 1
        else:
            others = could_be(truth + 1) or could_be(truth - 1)
        assert others, f"{what}: hidden, yet a reader can work out it is {truth}"


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
    grid = Grid([cells], [row], free, row)
    for position, (display, truth) in enumerate(zip(displays, counts, strict=True)):
        could_be = partial(grid.could_be, "cell", (0, position))
        check_figure(display, truth, could_be, threshold, f"cell {position}")


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
    reader = Grid(cells, rows, columns, grand)
    for i, row in enumerate(grid):
        for j, truth in enumerate(row):
            could_be = partial(reader.could_be, "cell", (i, j))
            check_figure(shown.cells[i][j], truth, could_be, threshold, f"cell {i},{j}")
        could_be = partial(reader.could_be, "row", (i,))
        check_figure(shown.rows[i], row_totals[i], could_be, threshold, f"row total {i}")
    for j, truth in enumerate(column_totals):
        could_be = partial(reader.could_be, "column", (j,))
        check_figure(shown.columns[j], truth, could_be, threshold, f"column total {j}")


def rating_measure(scores: list[int]) -> Measure:
    question = Question("select_one", "rating")
    return Measure(question, "rating", "A rating", {str(s): str(s) for s in scores})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 9), min_size=2, max_size=4),
    st.integers(0, 6),
    THRESHOLDS,
)
def test_a_mean_and_quartiles_shown_never_give_a_small_cell_away(
    counts: list[int], missing: int, threshold: int
) -> None:
    """A rating table with its statistics: a reader who also uses the mean (to one decimal
    place) and the quartiles still cannot narrow any small count."""
    scores = list(range(1, len(counts) + 1))
    measure = rating_measure(scores)
    answered = sum(counts)
    responses = answered + missing
    tally = Tally(responses, answered, {str(s): c for s, c in zip(scores, counts, strict=True)})
    table = tabulate(measure, tally, threshold)
    if 0 < responses < threshold:
        table.table.fixed[ALL] = Display.FEWER_THAN
    protection = protect(table.table, threshold)
    shown = Shown(table, protection)
    ceiling = responses if responses >= threshold or responses == 0 else threshold - 1
    keys = [measure.cell_key(str(s)) for s in scores]
    cells = [bounds(shown.display(k), shown.value(k), threshold, ceiling) for k in keys]
    no_answer = bounds(shown.display(NO_ANSWER), missing, threshold, ceiling)
    answered_bounds = bounds(shown.display(ANSWERED), answered, threshold, ceiling)
    statistics = None
    if shown.statistics_shown:
        assert table.summary is not None and answered >= threshold
        summary = table.summary
        quartiles = [summary.quartiles[name] for name in ("q1", "median", "q3")]
        statistics = (summary.mean_tenths, quartiles)
    everyone = bounds(shown.display(ALL), responses, threshold, ceiling)
    cell_values, no_answer_values, answered_values = rating_values(
        scores, cells, no_answer, answered_bounds, everyone, statistics
    )
    for position, key in enumerate(keys):
        check_figure(
            shown.display(key), counts[position], cell_values[position], threshold, f"score {key}"
        )
    check_figure(shown.display(NO_ANSWER), missing, no_answer_values, threshold, "no answer")
    check_figure(shown.display(ANSWERED), answered, answered_values, threshold, "answered")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 8), min_size=2, max_size=4), st.integers(0, 10), THRESHOLDS)
def test_multi_select_options_keep_their_small_cells(
    picks: list[int], extra: int, threshold: int
) -> None:
    """A multi-select: each option at most those who answered, together at least them."""
    answered = max(picks)  # the fewest respondents that could have made these ticks
    answered = min(answered + extra % 3, sum(picks))
    missing = extra
    responses = answered + missing
    names = [f"o{n}" for n in range(len(picks))]
    measure = Measure(Question("select_multiple", "m"), "multiple", "M", {n: n for n in names})
    tally = Tally(responses, answered, dict(zip(names, picks, strict=True)))
    table = tabulate(measure, tally, threshold)
    if 0 < responses < threshold:
        table.table.fixed[ALL] = Display.FEWER_THAN
    protection = protect(table.table, threshold)
    shown = Shown(table, protection)
    ceiling = responses if responses >= threshold or responses == 0 else threshold - 1
    keys = [measure.cell_key(n) for n in names]
    cells = [bounds(shown.display(k), shown.value(k), threshold, ceiling) for k in keys]
    base = bounds(shown.display(ANSWERED), answered, threshold, ceiling)
    no_answer = bounds(shown.display(NO_ANSWER), missing, threshold, ceiling)
    everyone = bounds(shown.display(ALL), responses, threshold, ceiling)
    option_values, base_values, no_answer_values = multi_select_values(
        cells, base, no_answer, everyone
    )
    for position, key in enumerate(keys):
        check_figure(
            shown.display(key), picks[position], option_values[position], threshold, key[1]
        )
    check_figure(shown.display(ANSWERED), answered, base_values, threshold, "answered")
    check_figure(shown.display(NO_ANSWER), missing, no_answer_values, threshold, "no answer")
