"""Counting a survey's answers for the responses in scope, overall or per group.

Choice questions are counted from the derived index of chosen options
(``forumkit.schema.derived``: one row per option a response picked), in one ``GROUP BY`` for the
whole survey, so counting stays quick at 100,000 responses; grouped by a single-choice
attribute, the index is joined to itself. Numbers and "answered or not" of the other questions
come from one pass over the answers' JSON (``json_each``, one parse per response). The
responses in scope are those :func:`forumkit.analysis.scope.fill_scope` put in ``temp``.

Nothing here decides what is shown: the counts go on to :mod:`.tables` and suppression.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

import sqlite_utils

from forumkit.analysis.numbers import exact, in_units, scale_for
from forumkit.analysis.scope import SCOPE_TABLE
from forumkit.schema import answer_index, derived
from forumkit.surveys import Question, Survey

Kind = Literal["single", "rating", "multiple", "number", "answered"]
"""How a question is analysed: one choice; one choice on a numbered scale (also a score);
several choices; a number; or only whether it was answered (text, dates, ticks)."""

CHOICE_KINDS = frozenset({"single", "rating", "multiple"})
NUMBER_TYPES = frozenset({"integer", "decimal", "range"})
MULTIPLE_TYPES = frozenset({"select_multiple", "rank"})

NO_GROUP = ""
"""The group of responses with no answer to the attribute (a choice name is never empty)."""


@dataclass
class Tally:
    """One question's counts in one group of responses."""

    responses: int
    """How many responses the group holds (answered or not)."""
    answered: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    """Choice name → how many picked it (choice questions)."""
    values: dict[object, int] = field(default_factory=dict)
    """Each answer as stored → how many gave it (number questions)."""

    @property
    def no_answer(self) -> int:
        return self.responses - self.answered


def analysed_questions(survey: Survey) -> list[Question]:
    """The questions an analysis covers: every one a parent answers, in survey order."""
    return [q for q in survey.questions if q.takes_answer and not q.is_metadata]


def kind_of(question: Question, choices: Iterable[str]) -> Kind:
    """How ``question`` is analysed, given every choice name it has or was answered with."""
    if question.type == "select_one":
        names = list(choices)
        scored = len(names) >= 2 and all(_whole(name) is not None for name in names)
        return "rating" if scored else "single"
    if question.type in MULTIPLE_TYPES:
        return "multiple"
    if question.type in NUMBER_TYPES:
        return "number"
    return "answered"


def _whole(name: str) -> int | None:
    text = name.strip()
    digits = text[1:] if text[:1] in "+-" else text
    return int(text) if digits.isdigit() else None


def rating_value(name: str) -> int:
    """The score a rating choice stands for (its name is a whole number)."""
    value = _whole(name)
    if value is None:
        raise ValueError(f"{name!r} is not a score")
    return value


_IN_SCOPE = f"SELECT seq FROM temp.{SCOPE_TABLE}"  # noqa: S608 (constant SQL)


def _names(db: sqlite_utils.Database, table: str, column: str, survey: Survey) -> dict[int, str]:
    rows = db.execute(
        f"SELECT id, {column} FROM temp.{table} WHERE survey_id = ?",  # noqa: S608 (constant)
        [survey.id],
    ).fetchall()
    return {int(number): str(name) for number, name in rows}


def _options(db: sqlite_utils.Database, survey: Survey) -> dict[int, tuple[str, str]]:
    """The derived index's option numbers of the survey → (question, choice)."""
    rows = db.execute(
        f"SELECT id, question, choice FROM temp.{derived.OPTIONS_TABLE} "  # noqa: S608
        "WHERE survey_id = ?",
        [survey.id],
    ).fetchall()
    return {int(number): (str(question), str(choice)) for number, question, choice in rows}


def group_sizes(db: sqlite_utils.Database, survey: Survey) -> dict[str, int]:
    """How many responses in scope are in each group (:data:`NO_GROUP` for no answer to the
    attribute), as :func:`forumkit.analysis.scope.fill_scope` grouped them."""
    options = _options(db, survey)
    rows = db.execute(f"SELECT grp, count(*) FROM temp.{SCOPE_TABLE} GROUP BY grp").fetchall()  # noqa: S608
    return {(options[g][1] if g is not None else NO_GROUP): int(n) for g, n in rows}


def group_of_each(db: sqlite_utils.Database, survey: Survey) -> dict[int, str]:
    """``seq`` → the group of each response in scope."""
    options = _options(db, survey)
    rows = db.execute(f"SELECT seq, grp FROM temp.{SCOPE_TABLE}").fetchall()  # noqa: S608
    return {int(seq): (options[g][1] if g is not None else NO_GROUP) for seq, g in rows}


def _choice_rows(
    db: sqlite_utils.Database, survey: Survey, grouped: bool, only: Sequence[str] | None = None
) -> list[tuple[int | None, int, int]]:
    """(group option, option, count) over every choice question of the survey (or the ``only``
    ones) for the responses in scope, by the derived index's option numbers."""
    picks = f"temp.{derived.CHOICES_TABLE}"
    group = "s.grp" if grouped else "NULL"
    by = "c.option, s.grp" if grouped else "c.option"
    if only is None and not grouped:
        # All of them: each response's picks, through the index by response.
        sql = (
            f"SELECT NULL, c.option, count(*) FROM temp.{SCOPE_TABLE} s "  # noqa: S608
            f"JOIN {picks} c ON c.seq = s.seq GROUP BY c.option"
        )
        params: list[object] = []
    else:
        # By option: each option's picks in turn, counted by group.
        wanted = ""
        params = [survey.id]
        if only is not None:
            wanted = f"AND o.question IN ({', '.join('?' for _ in only) or 'NULL'}) "
            params += list(only)
        sql = (
            f"SELECT {group}, c.option, count(*) FROM temp.{derived.OPTIONS_TABLE} o "  # noqa: S608
            f"JOIN {picks} c ON c.option = o.id JOIN temp.{SCOPE_TABLE} s ON s.seq = c.seq "
            f"WHERE o.survey_id = ? {wanted}GROUP BY {by}"
        )
    return [(g, int(o), int(n)) for g, o, n in db.execute(sql, params).fetchall()]


def _answer_rows(
    db: sqlite_utils.Database,
    survey: Survey,
    grouped: bool,
    names: Sequence[str],
    numbers: Sequence[str],
) -> list[tuple[int | None, int, object, int]]:
    """(group option, question number, answer, how many) for the named questions over the
    responses in scope, from the index of answered questions
    (``forumkit.schema.answer_index``); the answer is given for the ``numbers`` only (the
    others count as answered or not)."""
    if not names:
        return []
    group = "s.grp" if grouped else "NULL"
    joined = (
        f"FROM temp.{answer_index.QUESTIONS_TABLE} q "
        f"JOIN temp.{answer_index.ANSWERS_TABLE} a ON a.question = q.id "
        f"JOIN temp.{SCOPE_TABLE} s ON s.seq = a.seq WHERE q.survey_id = ? "
    )
    rows: list[Any] = []
    # Two passes: the answered-or-not questions counted per question alone (the index's order,
    # no sort), the few number questions by value. One pass grouping everything by
    # (question, value) sorted every answer of the survey: a quarter slower.
    counted_by_value = set(numbers)
    plain = [name for name in names if name not in counted_by_value]
    for chosen, value in ((plain, "NULL"), (list(numbers), "a.number")):
        if not chosen:
            continue
        by = f"a.question, {value}" if value != "NULL" else "a.question"
        sql = (
            f"SELECT {group}, a.question, {value}, count(*) {joined}"
            f"AND q.question IN ({', '.join('?' for _ in chosen)}) "
            f"GROUP BY {by}{', s.grp' if grouped else ''}"
        )
        rows += db.execute(sql, [survey.id, *chosen]).fetchall()
    return [(g, int(question), v, int(n)) for g, question, v, n in rows]


@dataclass
class Counts:
    """Every analysed question's tally, over all responses in scope and, when grouped by an
    attribute, per group (each choice of the attribute, and :data:`NO_GROUP`)."""

    overall: dict[str, Tally]
    groups: dict[str, dict[str, Tally]] = field(default_factory=dict)


def count_answers(
    db: sqlite_utils.Database,
    survey: Survey,
    questions: Sequence[Question],
    responses: int,
    grouped: bool = False,
    group_names: Sequence[str] = (),
) -> Counts:
    """The tallies of ``questions`` over the ``responses`` in scope, and, when ``grouped``,
    per group as :func:`forumkit.analysis.scope.fill_scope` grouped them (``group_names``, the
    attribute's choices, are groups even when nobody picked them; :data:`NO_GROUP` too)."""
    by_name = {q.name: q for q in questions}
    overall = {q.name: Tally(responses) for q in questions}
    sizes: dict[str, int] = {}
    options = _options(db, survey)
    if grouped:
        found = group_sizes(db, survey)
        sizes = {name: found.pop(name, 0) for name in group_names}
        sizes |= {g: n for g, n in found.items() if g != NO_GROUP}
        sizes[NO_GROUP] = found.get(NO_GROUP, 0)
    groups = {g: {q.name: Tally(size) for q in questions} for g, size in sizes.items()}

    def tallies_of(group: int | None, name: str) -> list[Tally]:
        if not grouped:
            return [overall[name]]
        return [overall[name], groups[options[group][1] if group is not None else NO_GROUP][name]]

    # A few questions (a dashboard's one cross-tab) are counted alone; all at once otherwise.
    choices = [q.name for q in questions if q.type in derived.CHOICE_QUESTION_TYPES]
    every = {q.name for q in analysed_questions(survey) if q.type in derived.CHOICE_QUESTION_TYPES}
    for group, option, count in _choice_rows(
        db, survey, grouped, None if set(choices) >= every else choices
    ):
        name, choice = options[option]
        if name not in by_name:
            continue
        for tally in tallies_of(group, name):
            tally.counts[choice] = tally.counts.get(choice, 0) + count
            if by_name[name].type == "select_one":
                tally.answered += count
    # How many answered: a single choice's picks add up to it; the others' come from the index.
    others = [q.name for q in questions if q.type != "select_one"]
    numbers = [name for name in others if by_name[name].type in NUMBER_TYPES]
    question_names = _names(db, answer_index.QUESTIONS_TABLE, "question", survey)
    for group, number, value, count in _answer_rows(db, survey, grouped, others, numbers):
        name = question_names[number]
        is_number = by_name[name].type in NUMBER_TYPES
        if is_number and exact(value) is None:
            continue
        for tally in tallies_of(group, name):
            tally.answered += count
            if is_number:
                tally.values[value] = tally.values.get(value, 0) + count
    return Counts(overall, groups)


def units_of(
    values: Mapping[object, int], question: Question | None, scale: int | None = None
) -> tuple[dict[int, int], int]:
    """Number answers (each as stored → how many) in whole units (see :mod:`.numbers`): each
    value in units → how many, and the unit's scale (worked out when not given)."""
    exact_values: dict[Fraction, int] = {}
    for value, many in values.items():
        number = exact(value)
        if number is not None:
            exact_values[number] = exact_values.get(number, 0) + many
    if scale is None:
        scale = scale_for(exact_values, question)
    units: dict[int, int] = {}
    for number, many in exact_values.items():
        unit = in_units(number, scale)
        units[unit] = units.get(unit, 0) + many
    return units, scale
