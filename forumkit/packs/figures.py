"""A pack's headline figures: per chosen question a chart and a table, from the analysis.

Read on the database thread with the rest of a pack (``forumkit.packs.content.gather``). The
figures are the analysis's published ones and nothing else (``forumkit.analysis``): counted
over the responses the pack counts (complete, and the parent agreed to share: the analysis's
``consent=share``), always small-cell suppressed with the forum's threshold, secondary
suppression included; a pack has no way to ask for them unsuppressed. What a pack keeps of
them is plain published data (a chart specification, a table of published figures, sentences
about the base and the statistics), so no count the analysis withheld is ever at hand while
the pack is laid out or its appendix written.

With an earlier edition (``--compare``), each chosen question stands beside last year's: the
same published figures of both editions, the change in percentage points, and a chart of
pairs of bars. Questions that cannot be compared are named with the reason, never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from forumkit.analysis import (
    ChartSpec,
    ComparedQuestion,
    ComparisonChartSpec,
    QuestionResult,
    Scope,
    Settings,
    analyse,
    compare_editions,
    suppression_threshold,
)
from forumkit.analysis.counting import MULTIPLE_TYPES, NUMBER_TYPES, analysed_questions
from forumkit.packs.errors import PackError
from forumkit.surveys import Survey

PACK_SCOPE = Scope(share_consent_only=True)
"""What a pack counts: complete responses whose parent agreed to share with inspectors."""

Published = int | str | float | None
"""A table cell of a headline: a label, a published count (a number, ``"<t"`` or ``"*"``), a
percentage (None when withheld) or a change in points."""

_CHARTED_TYPES = frozenset({"select_one", *MULTIPLE_TYPES, *NUMBER_TYPES})
"""Questions a pack charts by default: choices, ratings and numbers (not free text or dates,
whose only figure is how many answered; parents' words are the quotes)."""


@dataclass(frozen=True)
class Headline:
    """One question's headline figures as a pack shows them (published figures only)."""

    name: str
    label: str
    chart: ChartSpec | ComparisonChartSpec
    columns: tuple[str, ...]
    rows: tuple[tuple[Published, ...], ...]
    """One row a cell (choice, bin, or "No answer"): its label, then published figures."""
    notes: tuple[str, ...]
    """Sentences under the table: what percentages are of, the statistics, what is hidden."""


@dataclass(frozen=True)
class Figures:
    """Every headline of a pack, and what a comparison could not cover."""

    threshold: int
    responses: Published
    """The responses counted, as published."""
    headlines: tuple[Headline, ...]
    previous_survey_id: str = ""
    previous_form_id: str = ""
    previous_title: str = ""
    previous_responses: Published = None
    not_compared: tuple[str, ...] = ()
    """Sentences naming questions shown without last year's figures, and why."""


def default_questions(survey: Survey) -> list[str]:
    """The questions a pack charts when the chair names none: every question counted by its
    answers (choices, ratings, numbers), in survey order, but the consent questions."""
    consent = {survey.consent_quote, survey.consent_share} - {""}
    return [
        question.name
        for question in analysed_questions(survey)
        if question.name not in consent and question.type in _CHARTED_TYPES
    ]


def check_questions(survey: Survey, names: Sequence[str]) -> list[str]:
    """``names`` if each is a question the pack can count; PackError naming the first that is
    not (the consent questions included: every response a pack counts agreed)."""
    known = {question.name: question for question in analysed_questions(survey)}
    consent = {survey.consent_quote, survey.consent_share} - {""}
    chosen: list[str] = []
    for name in names:
        if name not in known or name in consent:
            offered = ", ".join(default_questions(survey)) or "none"
            raise PackError(
                f"“{name}” is not a question of “{survey.form_id}” a pack can chart (those it "
                f"can: {offered})."
            )
        if name not in chosen:
            chosen.append(name)
    return chosen


def _statistics_note(data: dict[str, Any], threshold: int) -> str:
    statistics = data.get("statistics")
    if statistics is None:
        return ""
    if not statistics["shown"]:
        return (
            f"The mean and median are not shown: fewer than {threshold} answered, or a count "
            "they rest on is withheld."
        )
    return (
        f"Mean {statistics['mean']:g}, median {statistics['median']:g}, quartiles "
        f"{statistics['q1']:g} and {statistics['q3']:g} (answers counted: {statistics['n']})."
    )


def _base_note(data: dict[str, Any], kind: str) -> str:
    if kind == "multiple":
        return (
            f"More than one answer could be picked: percentages are of the {data['base']} "
            "parents who answered this question, so they add up to more than 100."
        )
    if data["base_of"] == "answered":
        return f"Percentages are of the {data['base']} parents who answered this question."
    return f"Percentages are of all the responses counted, no answer included ({data['base']})."


def _hidden_note(rows: Sequence[Sequence[Published]], threshold: int) -> str:
    marks = {cell for row in rows for cell in row[1:] if isinstance(cell, str)}
    if not marks:
        return ""
    parts = []
    if any(mark.startswith("<") for mark in marks):
        parts.append(f"“<{threshold}” is a count from 1 to {threshold - 1}")
    if "*" in marks:
        parts.append("“*” a count withheld so that a small one cannot be worked out")
    return "; ".join(parts).capitalize() + "."


def one_edition(result: QuestionResult, threshold: int) -> Headline:
    """A question's headline from its published table."""
    data = result.data()
    rows: list[tuple[Published, ...]] = [
        (label, data["counts"][name], data["percentages"][name])
        for name, label in data["labels"].items()
    ]
    rows.append(("No answer", data["no_answer"], None))
    notes = [_base_note(data, data["kind"]), _statistics_note(data, threshold)]
    notes.append(_hidden_note(rows, threshold))
    return Headline(
        name=data["name"],
        label=data["label"],
        chart=result.chart(),
        columns=("Answer", "Responses", "Per cent"),
        rows=tuple(rows),
        notes=tuple(note for note in notes if note),
    )


def two_editions(compared: ComparedQuestion, threshold: int) -> Headline:
    """A question beside last year's, from both editions' published tables."""
    data = compared.data()
    now, then = data["current"], data["previous"]
    before, after = compared.editions
    rows: list[tuple[Published, ...]] = []
    for name, label in data["labels"].items():
        rows.append(
            (
                label,
                then["counts"].get(name, "–"),
                then["percentages"].get(name),
                now["counts"][name],
                now["percentages"][name],
                data["change"]["points"].get(name),
            )
        )
    rows.append(("No answer", then["no_answer"], None, now["no_answer"], None, None))
    notes = [_base_note(now, data["kind"])]
    mean = data["change"]["mean"]
    if mean is not None:
        notes.append(f"The mean moved by {mean:+g} since {before}.")
    for edition, side in ((before, then), (after, now)):
        statistics = _statistics_note(side, threshold)
        if statistics:
            notes.append(f"{edition}: {statistics}")
    notes.append(_hidden_note(rows, threshold))
    return Headline(
        name=data["name"],
        label=data["label"],
        chart=compared.chart(),
        columns=(
            "Answer",
            f"{before}: responses",
            f"{before}: per cent",
            f"{after}: responses",
            f"{after}: per cent",
            "Change (points)",
        ),
        rows=tuple(rows),
        notes=tuple(note for note in notes if note),
    )


def headline_figures(
    db: sqlite_utils.Database,
    survey: Survey,
    names: Sequence[str],
    previous: Survey | None = None,
) -> Figures:
    """The headlines of ``names`` (checked with :func:`check_questions`), counted as a pack
    counts and suppressed with the forum's threshold; beside ``previous`` when given."""
    threshold = suppression_threshold(db)
    settings = Settings(threshold, suppressed=True)
    if not names:
        counted = analyse(db, survey, PACK_SCOPE, settings, questions=[])
        return Figures(threshold, counted.responses_figure, ())
    if previous is None:
        analysis = analyse(db, survey, PACK_SCOPE, settings, questions=names)
        found = {result.question.name: result for result in analysis.questions}
        return Figures(
            threshold,
            analysis.responses_figure,
            tuple(one_edition(found[name], threshold) for name in names),
        )
    comparison = compare_editions(db, survey, previous, PACK_SCOPE, settings, questions=names)
    compared = {item.current.question.name: item for item in comparison.questions}
    alone = {result.question.name: result for result in comparison.only_in_current}
    alone.update({result.question.name: result for result, _ in comparison.not_comparable})
    headlines = []
    for name in names:
        if name in compared:
            headlines.append(two_editions(compared[name], threshold))
        else:
            headlines.append(one_edition(alone[name], threshold))
    not_compared = [
        f"“{result.shown.table.measure.label}” was not asked in {previous.title}."
        for result in comparison.only_in_current
    ]
    not_compared += [
        f"“{result.shown.table.measure.label}” is not compared with {previous.title}: {reason}."
        for result, reason in comparison.not_comparable
    ]
    return Figures(
        threshold,
        comparison.current.responses_figure,
        tuple(headlines),
        previous_survey_id=previous.id,
        previous_form_id=previous.form_id,
        previous_title=previous.title,
        previous_responses=comparison.previous.responses_figure,
        not_compared=tuple(not_compared),
    )
