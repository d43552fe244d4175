"""Chart specifications: what a chart of a published table shows, as plain data.

The desktop app and the evidence pack both draw charts from these, never from counts of their
own, so a chart always shows exactly the published table: the same bars in the same order,
a suppressed bar drawn as suppressed (no height, its mark ``"<t"`` or ``"*"`` as its label), the
base stated, and alt text for screen readers built from the published figures only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from forumkit.analysis.protection import Key
from forumkit.analysis.tables import ANSWERED, NO_ANSWER

if TYPE_CHECKING:
    from forumkit.analysis.published import Figure, Shown

NO_ANSWER_NAME = "no_answer"
NO_ANSWER_LABEL = "No answer"

_TYPES = {
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


def _bar(shown: Shown, name: str, label: str, key: Key) -> dict[str, Any]:
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


def _bars(shown: Shown) -> list[dict[str, Any]]:
    measure = shown.table.measure
    if measure.kind == "answered":
        bars = [_bar(shown, "answered", "Answered", ANSWERED)]
    else:
        bars = [_bar(shown, name, measure.cells[name], key) for name, key in shown.cells()]
    bars.append(_bar(shown, NO_ANSWER_NAME, NO_ANSWER_LABEL, NO_ANSWER))
    return bars


def _alt_text(title: str, base: Figure, base_of: str, bars: list[dict[str, Any]], t: int) -> str:
    parts = []
    for bar in bars:
        value = bar["shown"] if bar["count"] is None else bar["count"]
        text = f"{bar['label']}: {_spoken(value, t)}"
        if bar["percent"] is not None:
            text += f" ({bar['percent']:g}%)"
        parts.append(text)
    hidden = any(bar["suppressed"] for bar in bars)
    note = (
        f" Counts from 1 to {t - 1} are given as fewer than {t}; hidden counts are withheld so "
        "that a small one cannot be worked out."
        if hidden
        else ""
    )
    return f"Chart of “{title}”, {_spoken(base, t)} {base_of}: " + "; ".join(parts) + "." + note


def chart_for(shown: Shown) -> dict[str, Any]:
    """The chart of one published table."""
    measure = shown.table.measure
    bars = _bars(shown)
    base = shown.figure(shown.base_key)
    base_of = shown.base_of
    spec: dict[str, Any] = {
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
) -> dict[str, Any]:
    """A grouped bar chart of a cross-tab: one series per group, the question's cells along."""
    measure = totals.table.measure
    series = []
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
