"""Chart specifications: what a chart of a published table shows, as plain data.

The desktop app and the evidence pack both draw charts from these, never from counts of their
own, so a chart always shows exactly the published table: the same bars in the same order,
a suppressed bar drawn as suppressed (no height, its mark ``"<t"`` or ``"*"`` as its label), the
base stated, and alt text for screen readers built from the published figures only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, NotRequired, TypedDict

from forumkit.analysis.protection import Key
from forumkit.analysis.tables import ANSWERED, NO_ANSWER

if TYPE_CHECKING:
    from forumkit.analysis.published import Figure, Shown


class ChartBar(TypedDict):
    """One bar: a cell of the published table."""

    name: str
    """The choice's name (or a number's bin, ``answered``, ``no_answer``)."""
    label: str
    count: int | None
    """The published count; None when it is suppressed (then no bar is drawn)."""
    shown: str
    """What to print beside the bar: the count, ``"<t"`` or ``"*"``."""
    suppressed: bool
    percent: float | None
    """Of the chart's base, when both are published; None otherwise (and for no answer)."""
    no_answer: bool


class ChartSpec(TypedDict):
    """The chart of one question's published table (``chart_for``)."""

    type: Literal["bar", "histogram"]
    title: str
    x_label: str
    y_label: str
    base: Figure
    """The number percentages are of, as published."""
    base_of: str
    """``responses`` (a single choice, a rating) or ``answered`` (the rest)."""
    bars: list[ChartBar]
    alt_text: str
    """The chart in words, from the published figures only (a figure's alternative text)."""
    mean: NotRequired[float | None]
    median: NotRequired[float | int | None]


class ChartSeries(TypedDict):
    """One group's bars in a cross-tab's chart."""

    group: str
    label: str
    base: Figure
    bars: list[ChartBar]
    alt_text: str


class GroupedChartSpec(TypedDict):
    """The chart of a cross-tab (``crosstab_chart``): one series per group."""

    type: Literal["grouped_bar"]
    title: str
    x_label: str
    y_label: str
    series: list[ChartSeries]


class EditionBar(TypedDict):
    """One edition's side of a compared cell: its published count and percentage."""

    shown: str
    suppressed: bool
    percent: float | None


class ComparedBar(TypedDict):
    """One cell in two editions, drawn as a pair of bars by percentage."""

    name: str
    label: str
    previous: EditionBar | None
    """None when the earlier edition had no such cell (a number's bins can differ)."""
    current: EditionBar
    change: float | None
    """Percentage points, when both percentages are published."""


class ComparisonChartSpec(TypedDict):
    """A question against an earlier edition (``comparison_chart``): pairs of bars by
    percentage, last year's first, with the change in percentage points."""

    type: Literal["paired_bar"]
    title: str
    x_label: str
    y_label: str
    editions: tuple[str, str]
    """The earlier edition's title, then this one's."""
    bases: tuple[Figure, Figure]
    base_of: str
    bars: list[ComparedBar]
    alt_text: str


NO_ANSWER_NAME = "no_answer"
NO_ANSWER_LABEL = "No answer"

_TYPES: dict[str, Literal["bar", "histogram"]] = {
    "single": "bar",
    "rating": "bar",
    "multiple": "bar",
    "number": "histogram",
    "answered": "bar",
}
_X_LABELS = {
    "single": "Answer",
    "rating": "Answer",
    "multiple": "Option (more than one could be picked)",
    "number": "Answer",
    "answered": "Answered or not",
}


def _spoken(value: Figure, threshold: int) -> str:
    if isinstance(value, int):
        return str(value)
    if value.startswith("<"):
        return f"fewer than {threshold}"
    return "hidden"


def _bar(shown: Shown, name: str, label: str, key: Key) -> ChartBar:
    value = shown.figure(key)
    percent = shown.percentage(key) if key != NO_ANSWER else None
    return {
        "name": name,
        "label": label,
        "count": value if isinstance(value, int) else None,
        "shown": str(value),
        "suppressed": not isinstance(value, int),
        "percent": percent,
        "no_answer": key == NO_ANSWER,
    }


def _bars(shown: Shown) -> list[ChartBar]:
    measure = shown.table.measure
    if measure.kind == "answered":
        bars = [_bar(shown, "answered", "Answered", ANSWERED)]
    else:
        bars = [_bar(shown, name, measure.cells[name], key) for name, key in shown.cells()]
    bars.append(_bar(shown, NO_ANSWER_NAME, NO_ANSWER_LABEL, NO_ANSWER))
    return bars


def _hidden_note(hidden: bool, t: int) -> str:
    if not hidden:
        return ""
    return (
        f" Counts from 1 to {t - 1} are given as fewer than {t}; hidden counts are withheld so "
        "that a small one cannot be worked out."
    )


def _alt_text(title: str, base: Figure, base_of: str, bars: list[ChartBar], t: int) -> str:
    parts = []
    for bar in bars:
        value = bar["shown"] if bar["count"] is None else bar["count"]
        text = f"{bar['label']}: {_spoken(value, t)}"
        if bar["percent"] is not None:
            text += f" ({bar['percent']:g}%)"
        parts.append(text)
    note = _hidden_note(any(bar["suppressed"] for bar in bars), t)
    return f"Chart of “{title}”, {_spoken(base, t)} {base_of}: " + "; ".join(parts) + "." + note


def chart_for(shown: Shown) -> ChartSpec:
    """The chart of one published table."""
    measure = shown.table.measure
    bars = _bars(shown)
    base = shown.figure(shown.base_key)
    base_of = shown.base_of
    spec: ChartSpec = {
        "type": _TYPES[measure.kind],
        "title": measure.label,
        "x_label": _X_LABELS[measure.kind],
        "y_label": "Number of responses",
        "base": base,
        "base_of": base_of,
        "bars": bars,
        "alt_text": _alt_text(measure.label, base, base_of, bars, shown.threshold),
    }
    statistics = shown.statistics()
    if statistics is not None and statistics["shown"]:
        spec["mean"] = statistics["mean"]
        spec["median"] = statistics["median"]
    return spec


def crosstab_chart(
    totals: Shown, rows: Mapping[str, Shown], group_labels: Mapping[str, str]
) -> GroupedChartSpec:
    """A grouped bar chart of a cross-tab: one series per group, the question's cells along."""
    measure = totals.table.measure
    series: list[ChartSeries] = []
    for group, shown in rows.items():
        bars = _bars(shown)
        label = group_labels[group]
        base = shown.figure(shown.base_key)
        series.append(
            {
                "group": group,
                "label": label,
                "base": base,
                "bars": bars,
                "alt_text": _alt_text(
                    f"{measure.label}, {label}", base, shown.base_of, bars, shown.threshold
                ),
            }
        )
    return {
        "type": "grouped_bar",
        "title": measure.label,
        "x_label": _X_LABELS[measure.kind],
        "y_label": "Number of responses",
        "series": series,
    }


def _edition_bar(shown: Shown, key: Key) -> EditionBar:
    value = shown.figure(key)
    return {
        "shown": str(value),
        "suppressed": not isinstance(value, int),
        "percent": shown.percentage(key),
    }


def _spoken_percent(bar: EditionBar | None, t: int) -> str:
    if bar is None:
        return "not asked"
    if bar["percent"] is not None:
        return f"{bar['percent']:g}%"
    if bar["shown"].startswith("<"):
        return f"fewer than {t}"
    if bar["shown"] == "*":
        return "hidden"
    return f"{bar['shown']} (no percentage)"


def comparison_chart(
    current: Shown, previous: Shown, editions: tuple[str, str]
) -> ComparisonChartSpec:
    """Pairs of bars of one question in two editions, by percentage (this year's cells in
    order; a cell last year lacked has no earlier bar). Percentages and changes come from the
    published figures only: a suppressed cell has neither."""
    measure = current.table.measure
    earlier = dict(previous.cells())
    bars: list[ComparedBar] = []
    for name, key in current.cells():
        now = _edition_bar(current, key)
        then = _edition_bar(previous, earlier[name]) if name in earlier else None
        change = None
        if then is not None and now["percent"] is not None and then["percent"] is not None:
            change = round(now["percent"] - then["percent"], 1)
        bars.append(
            {
                "name": name,
                "label": measure.cells[name],
                "previous": then,
                "current": now,
                "change": change,
            }
        )
    t = current.threshold
    bases = (previous.figure(previous.base_key), current.figure(current.base_key))
    parts = []
    for bar in bars:
        text = (
            f"{bar['label']}: {_spoken_percent(bar['previous'], t)} in {editions[0]}, "
            f"{_spoken_percent(bar['current'], t)} in {editions[1]}"
        )
        if bar["change"] is not None:
            text += f" ({bar['change']:+g} points)"
        parts.append(text)
    hidden = any(
        side is not None and side["suppressed"]
        for bar in bars
        for side in (bar["previous"], bar["current"])
    )
    base_of = current.base_of
    alt = (
        f"Chart of “{measure.label}” in two editions, percentages of {_spoken(bases[0], t)} "
        f"{base_of} in {editions[0]} and {_spoken(bases[1], t)} in {editions[1]}: "
        + "; ".join(parts)
        + "."
        + _hidden_note(hidden, t)
    )
    return {
        "type": "paired_bar",
        "title": measure.label,
        "x_label": _X_LABELS[measure.kind],
        "y_label": f"Percentage of {base_of}",
        "editions": editions,
        "bases": bases,
        "base_of": base_of,
        "bars": bars,
        "alt_text": alt,
    }
