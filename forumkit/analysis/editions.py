"""Year on year: one survey against an earlier edition of it (2026 against 2025).

Editions are separate surveys linked by ``previous_form_id`` (set on the Surveys page, with
``forumkit.surveys.set_previous_edition``, or by the form's ``forumkit_previous`` setting);
versions of one survey are not editions. Each edition is analysed and protected on its own (they
are different respondents), then questions with the same name and compatible answers are set side
by side: counts, percentages, the change in percentage points, and the change in the mean score.
Questions in only one edition, or whose answers changed too much to compare, are listed with the
reason, never dropped silently. Changes are worked out from published figures only, so they
reveal nothing the two tables do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from forumkit.analysis.charts import ComparisonChartSpec, comparison_chart
from forumkit.analysis.counting import Tally, analysed_questions
from forumkit.analysis.errors import EditionError
from forumkit.analysis.published import Shown
from forumkit.analysis.report import Analysis, QuestionResult, Settings, analyse, survey_data
from forumkit.analysis.scope import Scope
from forumkit.analysis.tables import Measure, measure_for, tabulate
from forumkit.surveys import Survey, SurveyNotFound, get_survey
from forumkit.surveys.answers import range_scale

MAX_EDITIONS = 50
"""How far back a chain of editions is followed (a loop in the links stops there too)."""


def earlier_editions(db: sqlite_utils.Database, survey: Survey) -> list[Survey]:
    """The survey's earlier editions, last year's first, as far back as they are linked."""
    found: list[Survey] = []
    seen = {survey.id}
    current = survey
    while current.previous_form_id and len(found) < MAX_EDITIONS:
        try:
            previous = get_survey(db, current.previous_form_id)
        except SurveyNotFound:
            break
        if previous.id in seen:
            break
        seen.add(previous.id)
        found.append(previous)
        current = previous
    return found


def edition_to_compare(db: sqlite_utils.Database, survey: Survey, reference: str) -> Survey:
    """The earlier edition ``reference`` names; EditionError when it is not one."""
    try:
        other = get_survey(db, reference)
    except SurveyNotFound:
        raise EditionError(f"There is no survey “{reference}” in this forum file.") from None
    if other.id == survey.id:
        raise EditionError(
            f"“{reference}” is the survey itself: --compare takes an earlier edition (last "
            "year's survey), not a version of this one."
        )
    if all(edition.id != other.id for edition in earlier_editions(db, survey)):
        raise EditionError(
            f"“{other.form_id}” is not an earlier edition of “{survey.form_id}”: link the two "
            "first (the Surveys page, or the form's forumkit_previous setting)."
        )
    return other


def _choice_names(survey: Survey, result: QuestionResult) -> list[str]:
    question = result.question
    if question.type in ("select_one", "select_multiple", "rank"):
        return list(survey.choice_labels(question))
    return []


def _incompatible(
    current_survey: Survey,
    previous_survey: Survey,
    current: QuestionResult,
    previous: QuestionResult,
) -> str | None:
    """Why two editions' questions of one name cannot be compared, or None."""
    now, then = current.shown.table.measure, previous.shown.table.measure
    if now.kind != then.kind:
        return f"it is a {now.kind} question now and was a {then.kind} question"
    ours, theirs = _choice_names(current_survey, current), _choice_names(previous_survey, previous)
    if set(ours) != set(theirs):
        added = [name for name in ours if name not in theirs]
        dropped = [name for name in theirs if name not in ours]
        parts = []
        if added:
            parts.append(f"new choices {', '.join(added)}")
        if dropped:
            parts.append(f"choices no longer offered {', '.join(dropped)}")
        return "its choices changed (" + "; ".join(parts) + ")"
    types = {current.question.type, previous.question.type}
    if "range" in types and (
        len(types) > 1 or range_scale(current.question) != range_scale(previous.question)
    ):
        return "its scale changed"
    return None


def _points(now: Shown, then: Shown) -> dict[str, float | None]:
    changes: dict[str, float | None] = {}
    earlier = dict(then.cells())
    for name, key in now.cells():
        mine = now.percentage(key)
        theirs = then.percentage(earlier[name]) if name in earlier else None
        changes[name] = None if mine is None or theirs is None else round(mine - theirs, 1)
    return changes


def _mean_change(now: Shown, then: Shown) -> float | None:
    if not (now.statistics_shown and then.statistics_shown):
        return None
    assert now.table.summary is not None and then.table.summary is not None
    return (now.table.summary.mean_tenths - then.table.summary.mean_tenths) / 10


@dataclass
class ComparedQuestion:
    """One question in both editions."""

    current: QuestionResult
    previous: QuestionResult
    editions: tuple[str, str] = ("last year", "this year")
    """The earlier edition's title, then this one's (the chart's legend)."""

    def chart(self) -> ComparisonChartSpec:
        """Both editions' published figures as pairs of bars (``comparison_chart``)."""
        return comparison_chart(self.current.shown, self.previous.shown, self.editions)

    def data(self) -> dict[str, Any]:
        now, then = self.current.shown, self.previous.shown
        measure = now.table.measure
        return {
            "name": self.current.question.name,
            "label": measure.label,
            "kind": measure.kind,
            "labels": dict(measure.cells),
            "current": {**now.data(), "suppression": now.protection.level},
            "previous": {**then.data(), "suppression": then.protection.level},
            "change": {"points": _points(now, then), "mean": _mean_change(now, then)},
            "chart": self.chart(),
        }


@dataclass
class Comparison:
    """A survey against an earlier edition, question by question."""

    current: Analysis
    previous: Analysis
    questions: list[ComparedQuestion] = field(default_factory=list)
    only_in_current: list[QuestionResult] = field(default_factory=list)
    only_in_previous: list[QuestionResult] = field(default_factory=list)
    not_comparable: list[tuple[QuestionResult, str]] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        """The ``analyse --compare --json`` document (docs/cli.md)."""

        def named(result: QuestionResult) -> dict[str, str]:
            return {"name": result.question.name, "label": result.shown.table.measure.label}

        return {
            "survey": survey_data(self.current.survey),
            "previous": survey_data(self.previous.survey),
            "filters": self.current.scope.describe(),
            "previous_filters": self.previous.scope.describe(),
            **self.current.settings.describe(),
            "responses": {
                "current": self.current.responses_figure,
                "previous": self.previous.responses_figure,
            },
            "questions": [question.data() for question in self.questions],
            "only_in_current": [named(result) for result in self.only_in_current],
            "only_in_previous": [named(result) for result in self.only_in_previous],
            "not_comparable": [
                {**named(result), "reason": reason} for result, reason in self.not_comparable
            ],
        }


def _common_bins(survey: Survey, now: Analysis, then: Analysis) -> None:
    """Count a number question in both editions in the same cells: its distribution's bins
    follow the answers given, so each edition alone may have bins of its own (last year's
    2, 4 and 6 beside this year's 3), which cannot be set side by side. The bins are made
    afresh over the values both editions hold, and both tables protected again with them."""
    earlier = {result.question.name: result for result in then.questions}
    for position, result in enumerate(now.questions):
        match = earlier.get(result.question.name)
        if match is None or {result.shown.table.measure.kind, match.shown.table.measure.kind} != {
            "number"
        }:
            continue
        if list(result.shown.table.measure.cells) == list(match.shown.table.measure.cells):
            continue
        mine, theirs = result.shown.table.tally, match.shown.table.tally
        values = dict(mine.values)
        for value, many in theirs.values.items():
            values[value] = values.get(value, 0) + many
        both = Tally(mine.responses + theirs.responses, mine.answered + theirs.answered)
        both.values = values
        measure = measure_for(survey, result.question, both)
        now.questions[position] = _retabulated(now, result, measure)
        index = then.questions.index(match)
        then.questions[index] = _retabulated(then, match, measure)


def _retabulated(analysis: Analysis, result: QuestionResult, measure: Measure) -> QuestionResult:
    settings = analysis.settings
    universe = settings.universe(analysis.responses)
    table = tabulate(measure, result.shown.table.tally, settings.threshold, universe)
    return QuestionResult(result.question, Shown(table, settings.protect(table)))


def compare_editions(
    db: sqlite_utils.Database,
    survey: Survey,
    previous: Survey,
    scope: Scope,
    settings: Settings,
    *,
    questions: Sequence[str] | None = None,
) -> Comparison:
    """``survey`` against its earlier edition ``previous`` (see the module doc). The scope's
    versions and dates apply to this year's survey only; its other filters to both. With
    ``questions``, only those (by name) are compared."""
    now = analyse(db, survey, scope, settings, questions=questions)
    names = {q.name for q in analysed_questions(previous)}
    wanted = None if questions is None else [name for name in questions if name in names]
    then = analyse(db, previous, scope.for_other_edition(), settings, questions=wanted)
    earlier = {result.question.name: result for result in then.questions}
    _common_bins(survey, now, then)
    comparison = Comparison(now, then)
    for result in now.questions:
        match = earlier.pop(result.question.name, None)
        if match is None:
            comparison.only_in_current.append(result)
            continue
        reason = _incompatible(survey, previous, result, match)
        if reason is None:
            comparison.questions.append(
                ComparedQuestion(result, match, (previous.title, survey.title))
            )
        else:
            comparison.not_comparable.append((result, reason))
    comparison.only_in_previous.extend(earlier.values())
    return comparison
