"""An analysis of one survey: every question's table, overall or by an attribute, protected.

:func:`analyse` counts the responses a :class:`~forumkit.analysis.scope.Scope` keeps (complete
ones only), tabulates every question, and protects each table (:mod:`.protection`) unless the
chair asked for the figures unsuppressed (for the forum only). With ``by``, each question is a
cross-tab against a single-choice attribute instead, its margins the one-way tables' figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from forumkit.analysis.charts import ChartSpec, GroupedChartSpec, chart_for, crosstab_chart
from forumkit.analysis.counting import (
    NO_GROUP,
    Counts,
    analysed_questions,
    count_answers,
    group_of_each,
)
from forumkit.analysis.errors import AnalysisError, GroupingError
from forumkit.analysis.messages import (
    CodebookResult,
    CodeSets,
    code_sets,
    codebook_results,
    codes_by_group,
    responses_in_scope,
)
from forumkit.analysis.protection import Display, Protection, protect, unprotected
from forumkit.analysis.published import FORUM_ONLY, SUPPRESSION_NOTE, Shown, figure
from forumkit.analysis.scope import Scope, empty_scope, fill_scope
from forumkit.analysis.settings import check_threshold, suppression_threshold
from forumkit.analysis.tables import (
    ALL,
    NO_ANSWER,
    QuestionTable,
    choice_key,
    crosstab,
    measure_for,
    tabulate,
)
from forumkit.surveys import Question, Survey

NO_ANSWER_LABEL = "No answer"


@dataclass(frozen=True)
class Settings:
    """How an analysis publishes its figures."""

    threshold: int
    suppressed: bool = True
    """False for the forum's own eyes only (``--unsuppressed``, the chair's dashboard)."""

    def protect(self, table: QuestionTable) -> Protection:
        if self.suppressed:
            return protect(table.table, self.threshold)
        return unprotected(table.table, self.threshold)

    def universe(self, responses: int) -> Display:
        """How the number of responses is shown: itself, unless it is small."""
        if self.suppressed and 0 < responses < self.threshold:
            return Display.FEWER_THAN
        return Display.NUMBER

    def describe(self) -> dict[str, Any]:
        if self.suppressed:
            note = SUPPRESSION_NOTE.format(below=self.threshold - 1, threshold=self.threshold)
        else:
            note = FORUM_ONLY
        return {"threshold": self.threshold, "suppressed": self.suppressed, "note": note}


def settings_for(
    db: sqlite_utils.Database, *, suppressed: bool = True, threshold: int | None = None
) -> Settings:
    """The forum's threshold (or ``threshold``), suppressing unless told not to."""
    chosen = suppression_threshold(db) if threshold is None else check_threshold(threshold)
    return Settings(chosen, suppressed)


@dataclass
class QuestionResult:
    """One question of an analysis, as published."""

    question: Question
    shown: Shown

    def chart(self) -> ChartSpec:
        """The chart of this question's published table."""
        return chart_for(self.shown)

    def data(self) -> dict[str, Any]:
        measure = self.shown.table.measure
        return {
            "name": self.question.name,
            "label": measure.label,
            "type": self.question.type,
            "kind": measure.kind,
            **self.shown.data(),
            "labels": dict(measure.cells),
            "suppression": self.shown.protection.level,
            "chart": self.chart(),
        }


def codes_data(codebooks: list[CodebookResult]) -> dict[str, Any]:
    """``codebooks`` (each one's totals) and ``codes`` (each code's counts) of a document."""
    books, codes = [], []
    for result in codebooks:
        totals, entries = result.data()
        books.append(totals)
        codes.extend(entries)
    return {"codebooks": books, "codes": codes}


def survey_data(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.id,
        "form_id": survey.form_id,
        "title": survey.title,
        "version": survey.version,
    }


@dataclass
class Analysis:
    """Every question of a survey, counted over the responses in scope and published."""

    survey: Survey
    scope: Scope
    settings: Settings
    responses: int
    questions: list[QuestionResult] = field(default_factory=list)
    codebooks: list[CodebookResult] = field(default_factory=list)

    @property
    def responses_figure(self) -> int | str:
        display = self.settings.universe(self.responses)
        return figure(display, self.responses, self.settings.threshold)

    def data(self) -> dict[str, Any]:
        """The ``analyse --json`` document (docs/cli.md)."""
        return {
            "survey": survey_data(self.survey),
            "filters": self.scope.describe(),
            **self.settings.describe(),
            "responses": self.responses_figure,
            "questions": [question.data() for question in self.questions],
            **codes_data(self.codebooks),
        }


@dataclass
class _Counted:
    responses: int
    questions: list[Question]
    counts: Counts
    codes: list[CodeSets]
    group_of: dict[str, str]
    """Response id → its group (by an attribute)."""


def _count(
    db: sqlite_utils.Database,
    survey: Survey,
    scope: Scope,
    attribute: Question | None = None,
    only: Sequence[str] | None = None,
) -> _Counted:
    """Count the responses in scope: every question (or the ``only`` ones and the attribute),
    and the key messages (all questions only)."""
    responses = fill_scope(db, survey, scope, attribute.name if attribute is not None else None)
    try:
        questions = analysed_questions(survey)
        if only is not None:
            wanted = {*only, *([attribute.name] if attribute is not None else [])}
            questions = [q for q in questions if q.name in wanted]
        names = list(survey.choice_labels(attribute)) if attribute is not None else []
        counts = count_answers(db, survey, questions, responses, attribute is not None, names)
        codes = code_sets(db, survey) if only is None else []
        group_of: dict[str, str] = {}
        if attribute is not None and any(sets.all_quotes for sets in codes):
            in_scope = responses_in_scope(db)
            by_seq = group_of_each(db, survey)
            group_of = {rid: by_seq.get(seq, NO_GROUP) for rid, seq in in_scope.items()}
    finally:
        empty_scope(db)
    return _Counted(responses, questions, counts, codes, group_of)


def analyse(
    db: sqlite_utils.Database,
    survey: Survey,
    scope: Scope,
    settings: Settings,
    *,
    questions: Sequence[str] | None = None,
) -> Analysis:
    """Count, tabulate and publish every question of ``survey``, and its key messages, over the
    responses ``scope`` keeps (complete ones only); with ``questions``, only those (by name,
    without key messages: what a dashboard showing a few asks)."""
    _check_names(survey, questions)
    counted = _count(db, survey, scope, only=questions)
    universe = settings.universe(counted.responses)
    analysis = Analysis(survey, scope, settings, counted.responses)
    for question in counted.questions:
        tally = counted.counts.overall[question.name]
        measure = measure_for(survey, question, tally)
        table = tabulate(measure, tally, settings.threshold, universe)
        analysis.questions.append(QuestionResult(question, Shown(table, settings.protect(table))))
    analysis.codebooks = codebook_results(
        counted.codes,
        counted.responses,
        universe,
        settings.protect,
        settings.threshold,
        settings.suppressed,
    )
    return analysis


# -- by an attribute --------------------------------------------------------------------------


def attribute_question(survey: Survey, name: str) -> Question:
    """The single-choice question ``--by`` names; GroupingError when it cannot group."""
    try:
        question = survey.question(name)
    except KeyError:
        raise GroupingError(
            f"The survey “{survey.form_id}” has no question “{name}” to group responses by."
        ) from None
    if question.type != "select_one":
        raise GroupingError(
            f"“{name}” in the survey “{survey.form_id}” is not a single-choice question, so it "
            "cannot split responses into groups (each response must be in one group)."
        )
    return question


@dataclass
class CrosstabResult:
    """One question by the attribute's groups, as published."""

    question: Question
    totals: Shown
    rows: dict[str, Shown]
    protection: Protection

    def chart(self, group_labels: Mapping[str, str]) -> GroupedChartSpec:
        """One series of bars per group (``GroupedAnalysis.group_labels()`` names them)."""
        return crosstab_chart(self.totals, self.rows, group_labels)

    def data(self, group_labels: dict[str, str]) -> dict[str, Any]:
        measure = self.totals.table.measure
        rows = []
        for group, shown in self.rows.items():
            rows.append({"group": group, "label": group_labels[group], **shown.data()})
        return {
            "name": self.question.name,
            "label": measure.label,
            "type": self.question.type,
            "kind": measure.kind,
            "labels": dict(measure.cells),
            "rows": rows,
            "totals": self.totals.data(),
            "suppression": self.protection.level,
            "chart": self.chart(group_labels),
        }


@dataclass
class GroupedAnalysis:
    """Every question of a survey by the groups of one single-choice attribute."""

    survey: Survey
    scope: Scope
    settings: Settings
    responses: int
    attribute: QuestionResult
    questions: list[CrosstabResult] = field(default_factory=list)
    codes: list[CodesByGroup] = field(default_factory=list)

    def group_labels(self) -> dict[str, str]:
        labels = dict(self.attribute.shown.table.measure.cells)
        labels[NO_GROUP] = NO_ANSWER_LABEL
        return labels

    def data(self) -> dict[str, Any]:
        """The ``analyse --by --json`` document (docs/cli.md)."""
        labels = self.group_labels()
        attribute = self.attribute.shown
        groups = [
            {
                "group": name,
                "label": label,
                "responses": attribute.figure(NO_ANSWER if name == NO_GROUP else choice_key(name)),
            }
            for name, label in labels.items()
        ]
        return {
            "survey": survey_data(self.survey),
            "filters": self.scope.describe(),
            **self.settings.describe(),
            "responses": figure(
                self.settings.universe(self.responses), self.responses, self.settings.threshold
            ),
            "by": {
                "name": self.attribute.question.name,
                "label": attribute.table.measure.label,
                "groups": groups,
                "suppression": attribute.protection.level,
            },
            "questions": [question.data(labels) for question in self.questions],
            "codes": [codes.data(labels) for codes in self.codes],
        }


def analyse_by(
    db: sqlite_utils.Database,
    survey: Survey,
    attribute_name: str,
    scope: Scope,
    settings: Settings,
    *,
    questions: Sequence[str] | None = None,
) -> GroupedAnalysis:
    """Every question of ``survey`` (but the attribute) as a cross-tab by the groups of the
    single-choice question ``attribute_name``, with row and column totals, protected, and the
    key messages by group; with ``questions``, only those (no key messages)."""
    attribute = attribute_question(survey, attribute_name)
    _check_names(survey, questions)
    counted = _count(db, survey, scope, attribute, only=questions)
    responses, counts = counted.responses, counted.counts
    universe = settings.universe(responses)
    groups_measure = measure_for(survey, attribute, counts.overall[attribute.name])
    groups_table = tabulate(groups_measure, counts.overall[attribute.name], settings.threshold)
    groups_table.table.fixed[ALL] = universe
    groups_protection = settings.protect(groups_table)
    analysis = GroupedAnalysis(
        survey,
        scope,
        settings,
        responses,
        QuestionResult(attribute, Shown(groups_table, groups_protection)),
    )
    row_keys = {name: choice_key(name) for name in counts.groups if name != NO_GROUP}
    row_keys[NO_GROUP] = NO_ANSWER
    for question in counted.questions:
        if question.name == attribute.name:
            continue
        overall = counts.overall[question.name]
        measure = measure_for(survey, question, overall)
        totals = tabulate(measure, overall, settings.threshold, universe)
        totals_protection = settings.protect(totals)
        rows = {
            group: tabulate(measure, tallies[question.name], settings.threshold)
            for group, tallies in counts.groups.items()
        }
        joined = QuestionTable(
            measure,
            overall,
            crosstab(rows, row_keys, totals, totals_protection, groups_table, groups_protection),
        )
        protection = settings.protect(joined)
        analysis.questions.append(
            CrosstabResult(
                question,
                Shown(totals, _totals_protection(protection, totals_protection)),
                {g: Shown(t, protection, ("row", g)) for g, t in rows.items()},
                protection,
            )
        )
    sizes = _group_sizes(counts)
    codebooks = codebook_results(
        counted.codes,
        responses,
        universe,
        settings.protect,
        settings.threshold,
        settings.suppressed,
    )
    for result, rows_shown, protection in codes_by_group(
        counted.codes,
        counted.group_of,
        sizes,
        codebooks,
        groups_table,
        groups_protection,
        settings.protect,
        settings.threshold,
    ):
        analysis.codes.append(CodesByGroup(result, rows_shown, protection))
    return analysis


def _check_names(survey: Survey, names: Sequence[str] | None) -> None:
    for name in names or ():
        if name not in {q.name for q in analysed_questions(survey)}:
            raise AnalysisError(f"The survey “{survey.form_id}” has no question “{name}” to count.")


def _group_sizes(counts: Counts) -> dict[str, int]:
    """How many responses each group holds (the same for every question's tally)."""
    return {
        group: next(iter(tallies.values())).responses if tallies else 0
        for group, tallies in counts.groups.items()
    }


@dataclass
class CodesByGroup:
    """One codebook's respondents per code by the attribute's groups, as published."""

    codebook: CodebookResult
    rows: dict[str, Shown]
    protection: Protection

    def data(self, group_labels: dict[str, str]) -> dict[str, Any]:
        book = self.codebook.book
        totals = self.codebook.shown["respondents"]
        return {
            "codebook": book.key,
            "name": book.name,
            "labels": {code.key: code.label for _, code in book.walk()},
            "rows": [
                {"group": group, "label": group_labels[group], **shown.data()}
                for group, shown in self.rows.items()
            ],
            "totals": totals.data(),
            "suppression": self.protection.level,
        }


def _totals_protection(crosstab: Protection, own: Protection) -> Protection:
    """The column totals as the cross-tab shows them: the one-way table's figures and
    statistics, unless the cross-tab had to withhold them too (then no statistics either)."""
    withheld = any(
        display is Display.WITHHELD and own.displays.get(key) is not Display.WITHHELD
        for key, display in crosstab.displays.items()
        if key in own.displays
    )
    shown = own.statistics if not withheld else frozenset()
    return Protection(crosstab.displays, shown, crosstab.level, crosstab.threshold)
